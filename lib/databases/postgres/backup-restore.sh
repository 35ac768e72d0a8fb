#!/bin/sh
# PostgreSQL restore (shipped as restore-database.sh) of DUMP_FILE, written by dump-database.sh
# with the same PG_DUMP_SCOPE/PG_DUMP_FORMAT. Connection from PGHOST/PGPORT/PGUSER/PGPASSWORD.
# Every dump recreates its databases (DROP DATABASE IF EXISTS, CREATE DATABASE): stop the
# application's connections first, or DROP DATABASE fails and the restore fails with it.
set -eu

: "${DUMP_FILE:?DUMP_FILE must name the dump to restore}"
: "${PG_DUMP_SCOPE:=all}"
: "${PG_DUMP_FORMAT:=plain}"

log="${TMPDIR:-/tmp}/restore-$$.log"
trap 'rm -f "$log"' EXIT

case "$PG_DUMP_SCOPE/$PG_DUMP_FORMAT" in
  all/plain)
    gzip -t "$DUMP_FILE"
    # pg_dumpall drops and recreates template1 while connected to "postgres", then "postgres"
    # while connected to template1, so starting on "postgres" recreates both cleanly. Two
    # statements fail harmlessly on a running server (the connected superuser can be neither
    # dropped nor created again): psql continues on errors, and any other error fails the restore.
    gzip -dc "$DUMP_FILE" | psql -X -q -v ON_ERROR_STOP=0 --no-password --dbname postgres > /dev/null 2> "$log" || true
    cat "$log" >&2
    unexpected=$(grep 'ERROR:' "$log" \
      | grep -v -e 'current user cannot be dropped' -e "role \"${PGUSER:-postgres}\" already exists" || true)
    if [ -n "$unexpected" ]; then
      echo "restore: unexpected errors:" >&2
      echo "$unexpected" >&2
      exit 1
    fi
    ;;
  database/plain)
    gzip -t "$DUMP_FILE"
    gzip -dc "$DUMP_FILE" | psql -X -q -v ON_ERROR_STOP=1 --no-password --dbname postgres > /dev/null
    ;;
  database/custom)
    pg_restore --create --clean --if-exists --exit-on-error --no-password --dbname postgres "$DUMP_FILE"
    ;;
  *)
    echo "restore: unsupported PG_DUMP_SCOPE/PG_DUMP_FORMAT $PG_DUMP_SCOPE/$PG_DUMP_FORMAT" >&2
    exit 1
    ;;
esac
echo "restore: $PG_DUMP_SCOPE/$PG_DUMP_FORMAT dump restored into $PGHOST:${PGPORT:-5432}"
