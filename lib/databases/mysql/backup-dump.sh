#!/bin/sh
# MySQL / MariaDB dump (shipped as dump-database.sh): runs in the server's own image, so the
# dump tool has the server's version. Connects to MYSQL_HOST:MYSQL_PORT as root with the
# password in MYSQL_PWD (a Secret reference); output to DUMP_FILE, gzip.
# Dumps every user database (not the mysql/sys schemas: users and grants are not included) in
# one consistent snapshot (--single-transaction; InnoDB), with routines, events and triggers.
# POSIX sh has no pipefail: the dump's exit status is carried through a file.
set -eu

: "${DUMP_FILE:?DUMP_FILE must name the output file}"
: "${MYSQL_HOST:?MYSQL_HOST must name the database host}"
: "${MYSQL_PORT:=3306}"
: "${MYSQL_CLIENT:=mysql}"
: "${MYSQL_DUMP:=mysqldump}"
: "${MYSQL_DUMP_OPTIONS:=}"
: "${DUMP_COMPRESS_LEVEL:=6}"

status_file="$DUMP_FILE.status"
trap 'rm -f "$status_file"' EXIT

databases=$("$MYSQL_CLIENT" --protocol=tcp -h "$MYSQL_HOST" -P "$MYSQL_PORT" -uroot -N -B -e 'SHOW DATABASES' \
  | grep -v -x -e information_schema -e performance_schema -e mysql -e sys || true)
if [ -z "$databases" ]; then
  echo "dump: no user databases on $MYSQL_HOST:$MYSQL_PORT" >&2
  exit 1
fi

# Database names are one per line; word splitting below is intended (names with spaces are not supported).
# shellcheck disable=SC2086
{ rc=0; "$MYSQL_DUMP" --protocol=tcp -h "$MYSQL_HOST" -P "$MYSQL_PORT" -uroot \
    --single-transaction --routines --events --triggers --hex-blob $MYSQL_DUMP_OPTIONS \
    --databases $databases || rc=$?; echo "$rc" > "$status_file"; } \
  | gzip -"$DUMP_COMPRESS_LEVEL" -c > "$DUMP_FILE"
rc=$(cat "$status_file" 2>/dev/null || echo 1)
if [ "$rc" -ne 0 ]; then
  echo "dump: $MYSQL_DUMP failed with exit status $rc" >&2
  exit 1
fi

# A dump is only kept when it reads back completely.
gzip -t "$DUMP_FILE"
if ! gzip -dc "$DUMP_FILE" | tail -n 1 | grep -q 'Dump completed'; then
  echo "dump: $DUMP_FILE does not end with the dump-completed marker" >&2
  exit 1
fi
echo "dump: databases $(echo "$databases" | tr '\n' ' ')of $MYSQL_HOST:$MYSQL_PORT written"
