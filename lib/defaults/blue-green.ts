import { Duration } from 'cdk8s';
import { JobLifecycleDefaults } from './jobs';

/** The defaults of BlueGreenDatabase and its migration strategies, documented with `@default` on their props. */
export const BLUE_GREEN_DEFAULTS = {
  /**
   * Every migration Job: no automatic retry (a failed step needs a human to read its log; the
   * cutover unfroze v1 already), six hours to run, logs kept a week.
   */
  jobs: { backoffLimit: 0, activeDeadline: Duration.hours(6), ttlAfterFinished: Duration.days(7) } as JobLifecycleDefaults,
  /** How long the init containers wait for each database. */
  waitTimeout: Duration.minutes(10),
  /** The longest write pause of a cutover before it aborts and unfreezes v1 (the RDS blue/green default). */
  freezeTimeout: Duration.minutes(5),
  /** How long the replicate Job waits for the initial copy of every table. */
  syncTimeout: Duration.hours(1),
  /** Where the migration scripts ConfigMap is mounted. */
  scriptsDir: '/opt/cdk8s-workloads/blue-green',
  /** The emptyDir a dump/restore migration passes its dump through. */
  workDir: '/migration',
  /** Where a user step finds the password files: `<dir>/source/password`, `<dir>/target/password`. */
  secretsDir: '/var/run/secrets/cdk8s-workloads',
};
