#!/bin/sh
# The server command. Ordinal 0 is the primary; the others start as replicas of
# <name>-0.<headless>. The password (Secret) reaches redis-server through its stdin as config
# lines (`redis-server <file> -`), never as a command-line argument: arguments are visible in
# the process list. dash feeds a heredoc through a pipe, so no file is written.
set -eu
# shellcheck source=/dev/null
. "${SCRIPTS_DIR:-/opt/cdk8s-workloads}/common.sh"

: "${POD_NAME:?POD_NAME must be set (downward API metadata.name)}"
: "${REDIS_PASSWORD:?REDIS_PASSWORD must be set (Secret key redis-password)}"
: "${PRIMARY_HOST:?PRIMARY_HOST must be set}"
: "${REDIS_PORT:=6379}"
: "${PRIMARY_PORT:=$REDIS_PORT}"
: "${REDIS_DATA_DIR:=/data}"
: "${REDIS_CONFIG:=/etc/cdk8s-workloads/redis/redis.conf}"
: "${REDIS_SERVER:=redis-server}"

ordinal="$(pod_ordinal)"

# Redis config strings in double quotes: escape backslashes and double quotes.
password="$(printf '%s' "$REDIS_PASSWORD" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
if [ "$ordinal" -eq 0 ]; then
  replication=""
else
  replication="replicaof $PRIMARY_HOST $PRIMARY_PORT"
fi

exec "$REDIS_SERVER" "$REDIS_CONFIG" - <<CONFIG
port $REDIS_PORT
dir $REDIS_DATA_DIR
requirepass "$password"
masterauth "$password"
$replication
CONFIG
