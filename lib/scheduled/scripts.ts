import { readAsset } from '../defaults/assets';

/** The text of a script shipped next to this file (the build copies *.sh into build/). */
export function readScript(fileName: string): string {
  return readAsset(__dirname, fileName);
}

/** ConfigMap keys of the scripts: the generic ones, and the engine's (dump, restore, ready) from its backup source. */
export const BACKUP_SCRIPT_KEYS = {
  backup: 'backup.sh',
  retention: 'retention.sh',
  upload: 'upload.sh',
  s3Common: 's3-common.sh',
  download: 'download.sh',
  restore: 'restore.sh',
  dumpDatabase: 'dump-database.sh',
  restoreDatabase: 'restore-database.sh',
  waitForDatabase: 'wait-for-database.sh',
  databaseReady: 'database-ready.sh',
};

/** Where the scripts ConfigMap is mounted in every container of a backup or restore pod. */
export const SCRIPTS_DIR = '/opt/cdk8s-workloads/backup';
/** Where dumps are read and written (the volume, or an emptyDir shared with the upload/download container). */
export const BACKUP_DIR = '/backups';
