#!/bin/sh
# Init container of a RestoreJob (shipped as wait-for-database.sh): waits until MySQL / MariaDB
# at MYSQL_HOST:MYSQL_PORT answers, for at most WAIT_TIMEOUT_SECONDS.
set -eu

: "${MYSQL_HOST:?MYSQL_HOST must name the database host}"
: "${MYSQL_PORT:=3306}"
: "${MYSQL_ADMIN:=mysqladmin}"
: "${WAIT_TIMEOUT_SECONDS:=600}"
: "${WAIT_INTERVAL_SECONDS:=2}"

waited=0
until "$MYSQL_ADMIN" --protocol=tcp -h "$MYSQL_HOST" -P "$MYSQL_PORT" -uroot ping >/dev/null 2>&1; do
  if [ "$waited" -ge "$WAIT_TIMEOUT_SECONDS" ]; then
    echo "wait: $MYSQL_HOST:$MYSQL_PORT does not answer after ${WAIT_TIMEOUT_SECONDS}s" >&2
    exit 1
  fi
  echo "wait: $MYSQL_HOST:$MYSQL_PORT not ready yet"
  sleep "$WAIT_INTERVAL_SECONDS"
  waited=$((waited + WAIT_INTERVAL_SECONDS))
done
echo "wait: $MYSQL_HOST:$MYSQL_PORT answers"
