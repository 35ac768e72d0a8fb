#!/bin/sh
# Init container of a RestoreJob (shipped as wait-for-database.sh): waits until Redis at
# REDIS_HOST:REDIS_PORT answers PONG (password from REDISCLI_AUTH), for at most WAIT_TIMEOUT_SECONDS.
set -eu

: "${REDIS_HOST:?REDIS_HOST must name the Redis host}"
: "${REDIS_PORT:=6379}"
: "${WAIT_TIMEOUT_SECONDS:=600}"
: "${WAIT_INTERVAL_SECONDS:=2}"

waited=0
until [ "$(redis-cli --no-auth-warning -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; do
  if [ "$waited" -ge "$WAIT_TIMEOUT_SECONDS" ]; then
    echo "wait: $REDIS_HOST:$REDIS_PORT does not answer PONG after ${WAIT_TIMEOUT_SECONDS}s" >&2
    exit 1
  fi
  echo "wait: $REDIS_HOST:$REDIS_PORT not ready yet"
  sleep "$WAIT_INTERVAL_SECONDS"
  waited=$((waited + WAIT_INTERVAL_SECONDS))
done
echo "wait: $REDIS_HOST:$REDIS_PORT answers"
