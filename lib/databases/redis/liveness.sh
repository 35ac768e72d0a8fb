#!/bin/sh
# Liveness: the server answers. LOADING (reading the append-only file after a restart) and
# MASTERDOWN (a replica that lost its primary) are alive: restarting would not help.
export REDISCLI_AUTH="${REDIS_PASSWORD:-}"
response="$(redis-cli --no-auth-warning -h 127.0.0.1 -p "${REDIS_PORT:-6379}" ping 2>&1)" || true
case "$response" in
  PONG|LOADING*|MASTERDOWN*) exit 0 ;;
  *) echo "liveness: $response" >&2; exit 1 ;;
esac
