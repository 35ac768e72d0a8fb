#!/bin/sh
# Backup contract readiness check (one attempt): exits 0 when Redis at REDIS_HOST:REDIS_PORT
# answers PONG (password from REDISCLI_AUTH). The restore job's wait container repeats it.
set -eu

: "${REDIS_HOST:?REDIS_HOST must name the Redis host}"
: "${REDIS_PORT:=6379}"
[ "$(redis-cli --no-auth-warning -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
