/** Name collisions across constructs and charts are errors at synth, naming both construct paths. */
import { App, Chart, Cron, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BackupCronJob, BackupSchedule, BackupTarget, BatchJob, JobPattern, PostgresCluster, RedisCluster } from '../../lib';

const daily = BackupSchedule.cron(Cron.daily());

describe('one name per kind and namespace across the app', () => {
  test('a BackupCronJob given its database\'s name would replace the database\'s scripts ConfigMap and NetworkPolicy', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const db = new PostgresCluster(chart, 'orders-db', { replicas: 1 });
    expect(() => new BackupCronJob(chart, 'nightly', { name: 'orders-db', database: db, schedule: daily, target: BackupTarget.persistentVolume({ size: Size.gibibytes(5) }) }))
      .toThrow(/^shop\/nightly: name gives its ConfigMap "orders-db-scripts" in namespace "shop" a name shop\/orders-db \(shop\/orders-db\/scripts\/Resource\) already uses: the one applied later would replace the other \(got "orders-db-scripts"\)\. Give this construct \(or the other one\) another `name`/);
  });
  test('two BatchJobs with one name', () => {
    const chart = Testing.chart();
    new BatchJob(chart, 'a', { name: 'reindex', image: 'busybox:1.36', pattern: JobPattern.singleRun() });
    expect(() => new BatchJob(chart, 'b', { name: 'reindex', image: 'busybox:1.36', pattern: JobPattern.singleRun() }))
      .toThrow(/^test\/b: name gives its Job "reindex" a name test\/a \(test\/a\/Default\/Resource\) already uses/);
  });
  test('a PostgresCluster and a RedisCluster with one name in two charts of one namespace', () => {
    const app = new App({ outdir: '/tmp/unused' });
    new PostgresCluster(new Chart(app, 'db', { namespace: 'shop' }), 'store', { replicas: 1 });
    const cacheChart = new Chart(app, 'cache', { namespace: 'shop' });
    expect(() => new RedisCluster(cacheChart, 'store', { replicas: 1 })).toThrow(/^cache\/store: name gives its ConfigMap "store-config" in namespace "shop" a name db\/store \(db\/store\/config\/Resource\) already uses/);
  });
  test('the same names in different namespaces, and different kinds with one name, are fine', () => {
    const app = new App({ outdir: '/tmp/unused' });
    new PostgresCluster(new Chart(app, 'a', { namespace: 'shop' }), 'store', { replicas: 1 });
    const other = new Chart(app, 'b', { namespace: 'ops' });
    new PostgresCluster(other, 'store', { replicas: 1 });
    new kplus.ConfigMap(other, 'cm', { metadata: { name: 'store' } });
    expect(() => Testing.synth(other)).not.toThrow();
  });
  test('a user object colliding with a library object is caught at synth, naming both', () => {
    const chart = Testing.chart();
    new PostgresCluster(chart, 'orders-db', { replicas: 1 });
    new kplus.ConfigMap(chart, 'mine', { metadata: { name: 'orders-db-config' } });
    expect(() => Testing.synth(chart)).toThrow(/ConfigMap "orders-db-config" \(no namespace: the one kubectl uses\) is defined twice, by test\/orders-db \(test\/orders-db\/config\/Resource\) and by test\/mine \(test\/mine\/Resource\)/);
  });
  test('the app-wide check remembers its answer per set of objects: an object added after a clean synth is still caught', () => {
    const chart = Testing.chart();
    new PostgresCluster(chart, 'orders-db', { replicas: 1 });
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(() => Testing.synth(chart)).not.toThrow();
    new kplus.ConfigMap(chart, 'late', { metadata: { name: 'orders-db-scripts' } });
    expect(() => Testing.synth(chart)).toThrow(/ConfigMap "orders-db-scripts" \(no namespace: the one kubectl uses\) is defined twice, by test\/orders-db \(test\/orders-db\/scripts\/Resource\) and by test\/late/);
  });
});
