export * from './schedule';
export * from './backup-source';
export * from './backup-target';
export * from './postgres-backup-source';
export * from './backup-cron-job';
export * from './restore-job';
export { BACKUP_SCRIPT_KEYS, BACKUP_DIR, SCRIPTS_DIR } from './scripts';
export type { BackupDatabase } from './backup-pod';
export * from './mysql-backup-source';
