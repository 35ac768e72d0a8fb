/** Finding the pod template inside any workload manifest. */

export type Manifest = Record<string, any>;

/** The pod spec of a workload manifest, or undefined for kinds without pods. */
export function podSpecOf(manifest: Manifest): Manifest | undefined {
  return podTemplateOf(manifest)?.spec;
}

/** The pod template (metadata and spec) of a workload manifest. */
export function podTemplateOf(manifest: Manifest): Manifest | undefined {
  switch (manifest.kind) {
    case 'Pod': return manifest;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
      return manifest.spec?.template;
    case 'CronJob': return manifest.spec?.jobTemplate?.spec?.template;
    default: return undefined;
  }
}

/** Every container of a pod spec, init containers first, each with its role. */
export function containersOf(pod: Manifest): { container: Manifest; init: boolean }[] {
  return [
    ...(pod.initContainers ?? []).map((container: Manifest) => ({ container, init: true })),
    ...(pod.containers ?? []).map((container: Manifest) => ({ container, init: false })),
  ];
}

/** The Job spec of a Job or a CronJob's job template. */
export function jobSpecOf(manifest: Manifest): Manifest | undefined {
  if (manifest.kind === 'Job') return manifest.spec;
  if (manifest.kind === 'CronJob') return manifest.spec?.jobTemplate?.spec;
  return undefined;
}
