import { Duration } from 'cdk8s';
import { ResourcePreset } from './resources';
import { WritablePath } from './security';

/**
 * The defaults of every StatelessWorkload, documented with `@default` on StatelessWorkloadProps.
 * A service built on it (Logstash) adds its own (image, resources, probes).
 */
export const STATELESS_DEFAULTS = {
  /** Two pods: one can be drained or replaced while the other serves. */
  replicas: 2,
  resourcePreset: ResourcePreset.SMALL,
  /** Most images write temporary files; the root filesystem is read-only. */
  writablePaths: [{ path: '/tmp', volumeName: 'tmp' }] as WritablePath[],
  terminationGracePeriod: Duration.seconds(30),
  component: 'server',
  clusterDomain: 'cluster.local',
};
