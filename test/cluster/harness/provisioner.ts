/**
 * Storage without a storage backend. The cluster has no CSI driver and no dynamic provisioner, so
 * the harness plays the part of an external provisioner, as a real one would: for every Pending
 * claim of one of its StorageClasses it creates a PersistentVolume of the requested size, access
 * modes and class, pre-bound to the claim (spec.claimRef). The controller manager's real
 * PersistentVolume controller then binds the claim; the scheduler waits for the binding. The
 * volume (a hostPath nobody mounts: there is no kubelet) holds no data.
 */
import { Api } from './api';

export const PROVISIONER = 'cdk8s-workloads.test/fake-provisioner';

export function storageClasses(): any[] {
  const sc = (name: string, isDefault: boolean) => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, annotations: isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {} },
    provisioner: PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  });
  // "standard" is the default class; "standard-rwo" is the class the example orders-db asks for.
  return [sc('standard', true), sc('standard-rwo', false)];
}

export function startProvisioner(api: Api, log: (m: string) => void): () => void {
  const ours = new Set(storageClasses().map((s) => s.metadata.name));
  const created = new Set<string>();
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      for (const pvc of await api.list('/api/v1/persistentvolumeclaims')) {
        const uid = pvc.metadata.uid;
        if (pvc.status?.phase !== 'Pending' || !ours.has(pvc.spec.storageClassName) || created.has(uid)) continue;
        await api.post('/api/v1/persistentvolumes', {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: `pv-${uid}`, annotations: { 'pv.kubernetes.io/provisioned-by': PROVISIONER } },
          spec: {
            capacity: { storage: pvc.spec.resources.requests.storage },
            accessModes: pvc.spec.accessModes,
            storageClassName: pvc.spec.storageClassName,
            persistentVolumeReclaimPolicy: 'Retain',
            claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid },
            hostPath: { path: `/nonexistent/fake-pv/${uid}` },
          },
        }).catch((e) => { if (!/AlreadyExists|409/.test(e.message)) throw e; });
        created.add(uid);
      }
    } catch (e) {
      log(`fake provisioner: ${(e as Error).message}`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(tick, 1_000);
  return () => clearInterval(timer);
}
