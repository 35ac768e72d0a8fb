import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { PvcRetention } from '../kube/stateful-set';
import { DEFAULT_DISRUPTION_BUDGET } from './disruption';

/**
 * The defaults of every replicated database, documented with `@default` on ReplicatedDatabaseProps.
 * The engine adds its own (image, resource preset); nothing else defaults a database prop.
 */
export const DATABASE_DEFAULTS = {
  replicas: 3,
  storage: Size.gibibytes(10),
  accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
  pvcRetention: PvcRetention.RETAIN,
  podManagementPolicy: kplus.PodManagementPolicy.ORDERED_READY,
  partition: 0,
  disruptionBudget: DEFAULT_DISRUPTION_BUDGET,
  terminationGracePeriod: Duration.seconds(60),
  clusterDomain: 'cluster.local',
  /** The smallest volume we accept: below it WAL and a base backup do not fit. */
  minimumStorage: Size.gibibytes(1),
  /** The shortest grace period for a clean shutdown. */
  minimumGracePeriodSeconds: 15,
  /** What the preStop command leaves of the grace period for the process to exit before SIGKILL. */
  stopMarginSeconds: 10,
};
