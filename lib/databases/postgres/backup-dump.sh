#!/bin/sh
# PostgreSQL dump (shipped as dump-database.sh): runs in the server's own image, so pg_dump has
# the server's version. Connection from PGHOST/PGPORT/PGUSER/PGPASSWORD; output to DUMP_FILE.
#   PG_DUMP_SCOPE=all       pg_dumpall --clean --if-exists (roles and every database), gzip
#   PG_DUMP_SCOPE=database  pg_dump --create --clean --if-exists of DUMP_DATABASE:
#     PG_DUMP_FORMAT=plain   SQL, gzip
#     PG_DUMP_FORMAT=custom  pg_dump's custom format (compressed with zlib, i.e. gzip's deflate)
# POSIX sh has no pipefail: the dump's exit status is carried through a file, so a failed dump
# piped into gzip fails the job instead of leaving a truncated file that looks fine.
set -eu

: "${DUMP_FILE:?DUMP_FILE must name the output file}"
: "${PG_DUMP_SCOPE:=all}"
: "${PG_DUMP_FORMAT:=plain}"
: "${PG_COMPRESS_LEVEL:=6}"
: "${DUMP_DATABASE:=}"

status_file="$DUMP_FILE.status"
trap 'rm -f "$status_file"' EXIT

piped_dump() {
  { rc=0; "$@" || rc=$?; echo "$rc" > "$status_file"; } | gzip -"$PG_COMPRESS_LEVEL" -c > "$DUMP_FILE"
  rc=$(cat "$status_file" 2>/dev/null || echo 1)
  if [ "$rc" -ne 0 ]; then
    echo "dump: $1 failed with exit status $rc" >&2
    exit 1
  fi
}

case "$PG_DUMP_SCOPE/$PG_DUMP_FORMAT" in
  all/plain)
    piped_dump pg_dumpall --clean --if-exists --no-password
    ;;
  database/plain)
    : "${DUMP_DATABASE:?DUMP_DATABASE must name the database to dump}"
    piped_dump pg_dump --create --clean --if-exists --no-password --dbname "$DUMP_DATABASE"
    ;;
  database/custom)
    : "${DUMP_DATABASE:?DUMP_DATABASE must name the database to dump}"
    pg_dump --format=custom --compress="$PG_COMPRESS_LEVEL" --create --clean --if-exists --no-password \
      --file "$DUMP_FILE" --dbname "$DUMP_DATABASE"
    ;;
  *)
    echo "dump: unsupported PG_DUMP_SCOPE/PG_DUMP_FORMAT $PG_DUMP_SCOPE/$PG_DUMP_FORMAT" >&2
    exit 1
    ;;
esac

# A dump is only kept when it reads back completely.
if [ "$PG_DUMP_FORMAT" = custom ]; then
  pg_restore --list "$DUMP_FILE" > /dev/null
else
  gzip -t "$DUMP_FILE"
  if ! gzip -dc "$DUMP_FILE" | tail -n 3 | grep -q 'dump complete'; then
    echo "dump: $DUMP_FILE does not end with the dump-complete marker" >&2
    exit 1
  fi
fi
echo "dump: $PG_DUMP_SCOPE/$PG_DUMP_FORMAT dump of $PGHOST:${PGPORT:-5432} written"
