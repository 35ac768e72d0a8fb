#!/bin/sh
# Redis restore (shipped as restore-database.sh) of the RDB file DUMP_FILE into the server at
# REDIS_HOST:REDIS_PORT. A running server cannot load an RDB file, so this starts a private
# redis-server on the loopback of the restore pod from a copy of the dump, empties the target
# (FLUSHALL: the dump replaces the dataset) and moves every key over with MIGRATE COPY REPLACE,
# which keeps values byte for byte and keeps TTLs. Replicas follow the primary as usual.
# The target's password (REDISCLI_AUTH) reaches MIGRATE through stdin (`redis-cli -x`), not argv.
# Keys containing a newline are not supported (keys are read one per line).
set -eu

: "${DUMP_FILE:?DUMP_FILE must name the dump to restore}"
: "${REDIS_HOST:?REDIS_HOST must name the Redis host}"
: "${REDIS_PORT:=6379}"
: "${REDISCLI_AUTH:=}"
: "${RESTORE_LOCAL_PORT:=6399}"
: "${RESTORE_WORK_DIR:=${TMPDIR:-/tmp}/redis-restore}"
: "${MIGRATE_TIMEOUT_MS:=10000}"

rm -rf "$RESTORE_WORK_DIR"
mkdir -p "$RESTORE_WORK_DIR"
cp "$DUMP_FILE" "$RESTORE_WORK_DIR/dump.rdb"

# The private server has no password: REDISCLI_AUTH (even empty) would make redis-cli send AUTH.
local_cli() {
  (unset REDISCLI_AUTH; redis-cli --no-auth-warning -h 127.0.0.1 -p "$RESTORE_LOCAL_PORT" "$@")
}
target_cli() {
  redis-cli --no-auth-warning -h "$REDIS_HOST" -p "$REDIS_PORT" "$@"
}

redis-server --port "$RESTORE_LOCAL_PORT" --bind 127.0.0.1 --dir "$RESTORE_WORK_DIR" --dbfilename dump.rdb \
  --appendonly no --save '' --daemonize yes --pidfile "$RESTORE_WORK_DIR/redis.pid" --logfile "$RESTORE_WORK_DIR/redis.log"
trap 'local_cli shutdown nosave >/dev/null 2>&1 || true; rm -rf "$RESTORE_WORK_DIR"' EXIT

waited=0
until [ "$(local_cli ping 2>/dev/null)" = "PONG" ]; do
  if [ "$waited" -ge 300 ]; then
    echo "restore: the dump did not load within 300s" >&2
    cat "$RESTORE_WORK_DIR/redis.log" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
expected=$(local_cli dbsize)

if [ "$(target_cli flushall)" != "OK" ]; then
  echo "restore: FLUSHALL on $REDIS_HOST:$REDIS_PORT failed" >&2
  exit 1
fi
local_cli --scan > "$RESTORE_WORK_DIR/keys"
while IFS= read -r key; do
  if [ -n "$REDISCLI_AUTH" ]; then
    reply=$(printf '%s' "$REDISCLI_AUTH" | local_cli -x migrate "$REDIS_HOST" "$REDIS_PORT" "$key" 0 "$MIGRATE_TIMEOUT_MS" copy replace auth)
  else
    reply=$(local_cli migrate "$REDIS_HOST" "$REDIS_PORT" "$key" 0 "$MIGRATE_TIMEOUT_MS" copy replace)
  fi
  if [ "$reply" != "OK" ]; then
    echo "restore: MIGRATE of a key failed: $reply" >&2
    exit 1
  fi
done < "$RESTORE_WORK_DIR/keys"

actual=$(target_cli dbsize)
if [ "$actual" != "$expected" ]; then
  echo "restore: $REDIS_HOST:$REDIS_PORT holds $actual keys, the dump $expected" >&2
  exit 1
fi
echo "restore: $expected keys restored into $REDIS_HOST:$REDIS_PORT"
