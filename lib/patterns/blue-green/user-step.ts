/**
 * The user's own migration step of a BlueGreenDatabase (e.g. `flyway migrate`, a data fix-up, a
 * verification query): the user's image and command in a suspended Job that first waits for both
 * databases, with the connection of each as SOURCE_* / TARGET_* env and the passwords as mounted
 * Secret files (SOURCE_PASSWORD_FILE, TARGET_PASSWORD_FILE), never as values.
 */
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../../errors';
import { validateImage } from '../../defaults/container';
import { checkType, PropKeys, PropType, rejectUnknownProps } from '../../defaults/props';
import { validateResources } from '../../defaults/resources';
import { ImageUser } from '../../defaults/security';
import { dnsLabelProblem } from '../../kube/names';

/** A migration step the user supplies: an image and a command, run as its own suspended Job. */
export interface UserMigrationStep {
  /** A pinned image, e.g. `flyway/flyway:10.17`. */
  readonly image: string;
  /**
   * The command (the container's entrypoint), e.g. `['flyway', 'migrate']` or
   * `['/bin/sh', '-c', '...']`. It reads SOURCE_HOST, SOURCE_PORT, SOURCE_USER,
   * SOURCE_PASSWORD_FILE and the TARGET_* equivalents (and MIGRATE_DATABASE when the strategy
   * names one); it must exit non-zero on failure.
   */
  readonly command: string[];
  /** @default - none */
  readonly args?: string[];
  /**
   * Extra literal env. Names starting with SOURCE_ or TARGET_, and MIGRATE_DATABASE, are the
   * step's connection and cannot be overridden. Secrets do not belong here (they would be in the
   * manifest): mount them with the Job's escape hatch (`userStepJob`).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /** @default - ResourcePreset.SMALL */
  readonly resources?: kplus.ContainerResources;
  /**
   * The last part of the Job name, `<name>-<from>-to-<to>-<stepName>`, and the container name.
   * @default 'user-step'
   */
  readonly stepName?: string;
  /**
   * The numeric user the image runs as (the pod is restricted: non-root, read-only root
   * filesystem with an emptyDir on /tmp).
   * @default - the source database image's user (999 for the official postgres and mysql images)
   */
  readonly user?: ImageUser;
}

const KEYS: PropKeys<UserMigrationStep> = { image: true, command: true, args: true, env: true, resources: true, stepName: true, user: true };

/** Env names the step's connection owns. */
export function reservedEnvName(name: string): boolean {
  return name.startsWith('SOURCE_') || name.startsWith('TARGET_') || name === 'MIGRATE_DATABASE';
}

/** Checks a UserMigrationStep as passed in prop `userStep`; returns the step name. */
export function checkUserStep(scope: IConstruct, step: UserMigrationStep): string {
  const prop = 'userStep';
  if (typeof step !== 'object' || step === null) throw new ConfigurationError(scope, prop, 'must be a UserMigrationStep object', step, "Pass { image: 'flyway/flyway:10.17', command: ['flyway', 'migrate'] }.");
  rejectUnknownProps(scope, step, KEYS, 'UserMigrationStep');
  validateImage(scope, `${prop}.image`, step.image);
  for (const field of ['command', 'args'] as const) {
    const value = step[field];
    if (value === undefined && field === 'args') continue;
    if (!Array.isArray(value) || (field === 'command' && value.length === 0) || value.some((v) => typeof v !== 'string')) {
      throw new ConfigurationError(scope, `${prop}.${field}`, field === 'command' ? 'must be a non-empty list of strings' : 'must be a list of strings', value,
        "Pass e.g. ['/bin/sh', '-c', 'psql -h \"$TARGET_HOST\" ...'].");
    }
  }
  checkType(scope, `${prop}.stepName`, step.stepName, PropType.STRING);
  const name = step.stepName ?? 'user-step';
  const nameProblem = dnsLabelProblem(name);
  if (nameProblem) throw new ConfigurationError(scope, `${prop}.stepName`, nameProblem, name, 'Use lowercase letters, digits and "-", e.g. "flyway".');
  if (['replicate', 'cutover', 'migrate'].includes(name) || name.startsWith('unfreeze-')) {
    throw new ConfigurationError(scope, `${prop}.stepName`, 'is the name of a built-in migration Job', name, 'Pick another, e.g. "flyway" or "smoke-check".');
  }
  if (step.env !== undefined) {
    if (typeof step.env !== 'object' || step.env === null || Array.isArray(step.env)) throw new ConfigurationError(scope, `${prop}.env`, 'must be an object of names to strings', step.env, "Pass e.g. { LOG_LEVEL: 'info' }.");
    for (const [key, value] of Object.entries(step.env)) {
      if (reservedEnvName(key)) throw new ConfigurationError(scope, `${prop}.env`, `sets ${key}, which the step's connection sets`, key, 'Rename it; the connection env comes from the clusters.');
      checkType(scope, `${prop}.env.${key}`, value, PropType.STRING);
    }
  }
  if (step.resources !== undefined) validateResources(scope, `${prop}.resources`, step.resources);
  if (step.user !== undefined) {
    if (typeof step.user !== 'object' || step.user === null) throw new ConfigurationError(scope, `${prop}.user`, 'must be an ImageUser', step.user, 'Pass e.g. { uid: 10001, gid: 10001 }.');
    for (const field of ['uid', 'gid'] as const) {
      const value = step.user[field];
      if (!Number.isInteger(value) || value < 1) throw new ConfigurationError(scope, `${prop}.user.${field}`, 'must be a non-root integer >= 1', value, "Use the image's numeric user, e.g. 10001.");
    }
  }
  return name;
}

/** The connection env of one side: host, port, user and the path of the mounted password file. */
export function userStepEnv(prefix: string, side: { host: string; port: number; user: string }, passwordFile: string): Record<string, kplus.EnvValue> {
  return {
    [`${prefix}_HOST`]: kplus.EnvValue.fromValue(side.host),
    [`${prefix}_PORT`]: kplus.EnvValue.fromValue(String(side.port)),
    [`${prefix}_USER`]: kplus.EnvValue.fromValue(side.user),
    [`${prefix}_PASSWORD_FILE`]: kplus.EnvValue.fromValue(passwordFile),
  };
}
