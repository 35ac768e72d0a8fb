#!/bin/sh
# Init container of a RestoreJob (shipped as wait-for-database.sh): waits until Redis at
# REDIS_HOST:REDIS_PORT answers PONG (password from REDISCLI_AUTH), for at most WAIT_TIMEOUT_SECONDS.
set -eu

: "${REDIS_HOST:?REDIS_HOST must name the Redis host}"
: "${REDIS_PORT:=6379}"
# shellcheck source=/dev/null
. "${SCRIPTS_DIR:-/opt/cdk8s-workloads/backup}/wait-loop.sh"

answers_pong() {
  [ "$(redis-cli --no-auth-warning -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
}
wait_for_database "$REDIS_HOST:$REDIS_PORT" 'does not answer PONG' 'answers' answers_pong
