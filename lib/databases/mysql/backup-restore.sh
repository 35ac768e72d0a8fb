#!/bin/sh
# MySQL / MariaDB restore (shipped as restore-database.sh) of DUMP_FILE written by
# dump-database.sh: the dump recreates each database's tables (DROP TABLE IF EXISTS).
# The client stops at the first error and exits non-zero, which fails the restore.
set -eu

: "${DUMP_FILE:?DUMP_FILE must name the dump to restore}"
: "${MYSQL_HOST:?MYSQL_HOST must name the database host}"
: "${MYSQL_PORT:=3306}"
: "${MYSQL_CLIENT:=mysql}"

# The archive is checked whole first: a truncated file must not half-restore.
gzip -t "$DUMP_FILE"
gzip -dc "$DUMP_FILE" | "$MYSQL_CLIENT" --protocol=tcp -h "$MYSQL_HOST" -P "$MYSQL_PORT" -uroot --binary-mode
echo "restore: $DUMP_FILE restored into $MYSQL_HOST:$MYSQL_PORT"
