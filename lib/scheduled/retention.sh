#!/bin/sh
# Keeps the newest RETAIN_COUNT dumps of DUMP_PREFIX in BACKUP_DIR and deletes the older ones.
# Dump names end in a fixed-width UTC timestamp, so name order is age order; only files that
# match the exact name pattern are counted, so other files on the volume are never touched.
set -eu
export LC_ALL=C

: "${BACKUP_DIR:=/backups}"
: "${DUMP_PREFIX:?DUMP_PREFIX must name the dump files, e.g. orders-db}"
: "${DUMP_EXTENSION:?DUMP_EXTENSION must be set, e.g. .sql.gz}"
: "${RETAIN_COUNT:?RETAIN_COUNT must be the number of dumps to keep}"

case "$RETAIN_COUNT" in
  ''|*[!0-9]*|0) echo "retention: RETAIN_COUNT must be a whole number >= 1 (got $RETAIN_COUNT)" >&2; exit 1 ;;
esac

total=0
for dump in "$BACKUP_DIR/$DUMP_PREFIX"-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z"$DUMP_EXTENSION"; do
  [ -f "$dump" ] && total=$((total + 1))
done

excess=$((total - RETAIN_COUNT))
# The glob expands in ascending (oldest first) order under LC_ALL=C.
for dump in "$BACKUP_DIR/$DUMP_PREFIX"-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z"$DUMP_EXTENSION"; do
  [ "$excess" -gt 0 ] || break
  [ -f "$dump" ] || continue
  rm -f "$dump"
  echo "retention: deleted $dump"
  excess=$((excess - 1))
done
echo "retention: keeping the newest $RETAIN_COUNT of $total dump(s)"
