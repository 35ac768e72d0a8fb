#!/bin/sh
# Restore container of a RestoreJob: picks a dump in BACKUP_DIR (DUMP_NAME when set, otherwise
# the newest <DUMP_PREFIX>-<UTC timestamp><DUMP_EXTENSION>) and restores it with the engine's
# restore-database.sh, which connects with the engine's environment (e.g. PGHOST, PGPASSWORD).
set -eu
export LC_ALL=C

: "${BACKUP_DIR:=/backups}"
: "${SCRIPTS_DIR:=/opt/cdk8s-workloads/backup}"
: "${DUMP_PREFIX:?DUMP_PREFIX must name the dump files, e.g. orders-db}"
: "${DUMP_EXTENSION:?DUMP_EXTENSION must be set, e.g. .sql.gz}"
: "${DUMP_NAME:=}"

if [ -n "$DUMP_NAME" ]; then
  case "$DUMP_NAME" in
    */*|.*) echo "restore: DUMP_NAME must be a file name in $BACKUP_DIR, not a path (got $DUMP_NAME)" >&2; exit 1 ;;
  esac
  dump="$BACKUP_DIR/$DUMP_NAME"
else
  dump=''
  for candidate in "$BACKUP_DIR/$DUMP_PREFIX"-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z"$DUMP_EXTENSION"; do
    [ -f "$candidate" ] && dump="$candidate"
  done
fi
if [ -z "$dump" ] || [ ! -f "$dump" ]; then
  echo "restore: no dump ${DUMP_NAME:-of $DUMP_PREFIX} in $BACKUP_DIR" >&2
  exit 1
fi

echo "restore: restoring $dump"
DUMP_FILE="$dump" sh "$SCRIPTS_DIR/restore-database.sh"
echo "restore: restored $dump"
