#!/bin/sh
# Backup container of a BackupCronJob: writes one dump named
# <DUMP_PREFIX>-<UTC timestamp><DUMP_EXTENSION> into BACKUP_DIR, then applies retention.
# The dump is written under a hidden temporary name and renamed when complete, so a crashed run
# never leaves a file that restore would take for the latest dump.
# Every path and setting comes from the environment; the defaults are the manifest's values.
set -eu

: "${BACKUP_DIR:=/backups}"
: "${SCRIPTS_DIR:=/opt/cdk8s-workloads/backup}"
: "${DUMP_PREFIX:?DUMP_PREFIX must name the dump files, e.g. orders-db}"
: "${DUMP_EXTENSION:?DUMP_EXTENSION must be set, e.g. .sql.gz}"
: "${RETAIN_COUNT:=0}"
# A fixed timestamp (YYYYMMDDTHHMMSSZ) is for tests; the job takes the current UTC time.
timestamp="${BACKUP_TIMESTAMP:-$(date -u +%Y%m%dT%H%M%SZ)}"

case "$timestamp" in
  [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z) ;;
  *) echo "backup: BACKUP_TIMESTAMP must look like 20240131T030000Z (got $timestamp)" >&2; exit 1 ;;
esac

name="$DUMP_PREFIX-$timestamp$DUMP_EXTENSION"
final="$BACKUP_DIR/$name"
partial="$BACKUP_DIR/.$name.partial"
if [ -e "$final" ]; then
  echo "backup: $final already exists; refusing to overwrite it" >&2
  exit 1
fi

mkdir -p "$BACKUP_DIR"
trap 'rm -f "$partial"' EXIT
DUMP_FILE="$partial" sh "$SCRIPTS_DIR/dump-database.sh"
mv "$partial" "$final"
trap - EXIT
echo "backup: wrote $final ($(wc -c < "$final") bytes)"

if [ "$RETAIN_COUNT" -gt 0 ]; then
  sh "$SCRIPTS_DIR/retention.sh"
fi
