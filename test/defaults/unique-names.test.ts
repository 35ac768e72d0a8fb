/** Name collisions across constructs and charts are errors at synth, naming both construct paths. */
import { App, Chart, Cron, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BackupCronJob, BackupSchedule, BackupTarget, BatchJob, JobPattern, PostgresCluster, RedisCluster } from '../../lib';

const daily = BackupSchedule.cron(Cron.daily());

describe('one name per kind and namespace across the app', () => {
  test('a BackupCronJob given its database\'s name would replace the database\'s scripts ConfigMap and NetworkPolicy', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const db = new PostgresCluster(chart, 'orders-db', { replicas: 1 });
    new BackupCronJob(chart, 'nightly', { name: 'orders-db', database: db, schedule: daily, target: BackupTarget.persistentVolume({ size: Size.gibibytes(5) }) });
    expect(() => Testing.synth(chart)).toThrow(/ConfigMap "orders-db-scripts" in namespace "shop" is defined twice, by shop\/orders-db \(shop\/orders-db\/scripts\/Resource\) and by shop\/nightly \(shop\/nightly\/scripts\/Resource\): the one applied later replaces the other\. Give one of them another `name`/);
    expect(() => Testing.synth(chart)).toThrow(/NetworkPolicy "orders-db" in namespace "shop" is defined twice/);
  });
  test('two BatchJobs with one name', () => {
    const chart = Testing.chart();
    new BatchJob(chart, 'a', { name: 'reindex', image: 'busybox:1.36', pattern: JobPattern.singleRun() });
    new BatchJob(chart, 'b', { name: 'reindex', image: 'busybox:1.36', pattern: JobPattern.singleRun() });
    expect(() => Testing.synth(chart)).toThrow(/Job "reindex" \(no namespace: the one kubectl uses\) is defined twice, by test\/a \(test\/a\/Default\/Resource\) and by test\/b \(test\/b\/Default\/Resource\)/);
  });
  test('a PostgresCluster and a RedisCluster with one name in two charts of one namespace', () => {
    const app = new App({ outdir: '/tmp/unused' });
    new PostgresCluster(new Chart(app, 'db', { namespace: 'shop' }), 'store', { replicas: 1 });
    const cacheChart = new Chart(app, 'cache', { namespace: 'shop' });
    new RedisCluster(cacheChart, 'store', { replicas: 1 });
    expect(() => Testing.synth(cacheChart)).toThrow(/StatefulSet "store" in namespace "shop" is defined twice, by db\/store \(db\/store\/Default\/Resource\) and by cache\/store \(cache\/store\/Default\/Resource\)/);
  });
  test('the same names in different namespaces, and different kinds with one name, are fine', () => {
    const app = new App({ outdir: '/tmp/unused' });
    new PostgresCluster(new Chart(app, 'a', { namespace: 'shop' }), 'store', { replicas: 1 });
    const other = new Chart(app, 'b', { namespace: 'ops' });
    new PostgresCluster(other, 'store', { replicas: 1 });
    new kplus.ConfigMap(other, 'cm', { metadata: { name: 'store' } });
    expect(() => Testing.synth(other)).not.toThrow();
  });
  test('a user object colliding with a library object is caught too', () => {
    const chart = Testing.chart();
    new PostgresCluster(chart, 'orders-db', { replicas: 1 });
    new kplus.ConfigMap(chart, 'mine', { metadata: { name: 'orders-db-config' } });
    expect(() => Testing.synth(chart)).toThrow(/ConfigMap "orders-db-config" \(no namespace: the one kubectl uses\) is defined twice, by test\/orders-db \(test\/orders-db\/config\/Resource\) and by test\/mine \(test\/mine\/Resource\)/);
  });
});
