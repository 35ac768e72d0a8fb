#!/bin/sh
# Readiness: only PONG (a loading server or a replica without its primary takes no traffic).
export REDISCLI_AUTH="${REDIS_PASSWORD:-}"
response="$(redis-cli --no-auth-warning -h 127.0.0.1 -p "${REDIS_PORT:-6379}" ping 2>&1)" || true
if [ "$response" = "PONG" ]; then exit 0; fi
echo "readiness: $response" >&2
exit 1
