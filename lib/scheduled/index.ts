export { BackupSchedule } from './schedule';
export { BackupTarget, BackupTargetKind } from './backup-target';
export type { PersistentVolumeTargetOptions, S3TargetOptions } from './backup-target';
export { BackupCronJob } from './backup-cron-job';
export type { BackupCronJobProps } from './backup-cron-job';
export { RestoreJob } from './restore-job';
export type { RestoreJobProps } from './restore-job';
