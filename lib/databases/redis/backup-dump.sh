#!/bin/sh
# Redis dump (shipped as dump-database.sh): an RDB snapshot of the primary at
# REDIS_HOST:REDIS_PORT, transferred with `redis-cli --rdb` over the replication protocol (the
# server forks and streams it; clients are not blocked). The password comes from REDISCLI_AUTH
# (a Secret reference), never from the command line. Output to DUMP_FILE.
set -eu

: "${DUMP_FILE:?DUMP_FILE must name the output file}"
: "${REDIS_HOST:?REDIS_HOST must name the Redis host}"
: "${REDIS_PORT:=6379}"

redis-cli --no-auth-warning -h "$REDIS_HOST" -p "$REDIS_PORT" --rdb "$DUMP_FILE" >/dev/null
# A dump is only kept when it reads back completely.
if ! redis-check-rdb "$DUMP_FILE" >/dev/null 2>&1; then
  echo "dump: $DUMP_FILE is not a valid RDB file" >&2
  exit 1
fi
echo "dump: RDB snapshot of $REDIS_HOST:$REDIS_PORT written"
