/**
 * A hand-written chart (plain manifests, no library constructs) that passes every readiness
 * rule; each rule's test breaks one thing of it. The pods run nginx-unprivileged (uid 101,
 * port 8080) and busybox as uid 65534, so they satisfy the restricted level for real.
 */
import { ApiObject, Chart, Testing } from 'cdk8s';

export type Manifest = Record<string, any>;

const restricted = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 65534 };
const resources = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };
const podSecurity = { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } };

function podTemplate(app: string, main: Manifest, extra: Manifest = {}): Manifest {
  return {
    metadata: { labels: { app } },
    spec: { securityContext: podSecurity, automountServiceAccountToken: false, containers: [{ resources, securityContext: restricted, ...main }], ...extra },
  };
}

export function goodManifests(): Manifest[] {
  const probe = { httpGet: { path: '/', port: 8080 }, periodSeconds: 10 };
  // A deep copy without shared objects (structuredClone keeps them shared): tests break one field.
  return JSON.parse(JSON.stringify([
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
      spec: {
        replicas: 2, selector: { matchLabels: { app: 'web' } },
        template: podTemplate('web', {
          name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.0', ports: [{ containerPort: 8080 }], readinessProbe: probe, livenessProbe: { ...probe, failureThreshold: 6 },
          securityContext: { ...restricted, runAsUser: 101, readOnlyRootFilesystem: false },
          env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'web-db', key: 'password' } } }, { name: 'DB_PASSWORD_FILE', value: '/run/secrets/db/password' }],
        }, { initContainers: [{ name: 'init', image: 'busybox:1.36.1', command: ['true'], resources, securityContext: restricted }] }),
      },
    },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } },
    {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop', labels: { 'app.kubernetes.io/component': 'database' } },
      spec: {
        replicas: 1, serviceName: 'db', selector: { matchLabels: { app: 'db' } },
        template: podTemplate('db', { name: 'db', image: 'busybox:1.36.1', command: ['httpd', '-f', '-p', '8080'], ports: [{ containerPort: 8080 }], readinessProbe: { tcpSocket: { port: 8080 } }, livenessProbe: { tcpSocket: { port: 8080 } } }),
      },
    },
    {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'db-backup', namespace: 'shop', annotations: { 'cdk8s-workloads.io/backup-of': 'db' } },
      spec: {
        schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300,
        jobTemplate: { spec: { activeDeadlineSeconds: 1800, backoffLimit: 2, template: podTemplate('db-backup', { name: 'dump', image: 'busybox:1.36.1', command: ['true'] }, { restartPolicy: 'Never' }) } },
      },
    },
    {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'shop' },
      spec: { activeDeadlineSeconds: 600, backoffLimit: 1, ttlSecondsAfterFinished: 86400, template: podTemplate('migrate', { name: 'migrate', image: 'busybox:1.36.1', command: ['true'] }, { restartPolicy: 'Never' }) },
    },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
    {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'shop-alerts', namespace: 'shop' },
      spec: {
        groups: [{
          name: 'shop', rules: [
            { alert: 'WebReplicasMismatch', expr: 'kube_deployment_status_replicas_available{namespace="shop", deployment="web"} < 2', for: '15m' },
            { alert: 'DbNotReady', expr: 'kube_statefulset_status_replicas_ready{namespace="shop", statefulset="db"} < 1', for: '5m' },
            { alert: 'BackupTooOld', expr: 'time() - kube_cronjob_status_last_successful_time{namespace="shop", cronjob=~"db-.*"} > 172800' },
            { alert: 'MigrationFailed', expr: 'kube_job_failed{job_name="migrate", condition="true"} > 0' },
          ],
        }],
      },
    },
  ]));
}

/** The manifests as a hand-written cdk8s chart of plain ApiObjects. */
export function chartOf(manifests: Manifest[]): Chart {
  const chart = new Chart(Testing.app(), 'hand-written');
  manifests.forEach((m, i) => new ApiObject(chart, `${m.kind.toLowerCase()}-${m.metadata.name}-${i}`, m as any));
  return chart;
}

/** The manifest of a kind and name, to break. */
export function find(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found;
}

export function without(manifests: Manifest[], kind: string, name: string): Manifest[] {
  return manifests.filter((m) => !(m.kind === kind && m.metadata.name === name));
}
