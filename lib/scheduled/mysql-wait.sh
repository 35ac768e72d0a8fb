#!/bin/sh
# Init container of a RestoreJob (shipped as wait-for-database.sh): waits until MySQL / MariaDB
# at MYSQL_HOST:MYSQL_PORT answers, for at most WAIT_TIMEOUT_SECONDS.
set -eu

: "${MYSQL_HOST:?MYSQL_HOST must name the database host}"
: "${MYSQL_PORT:=3306}"
: "${MYSQL_ADMIN:=mysqladmin}"
# shellcheck source=/dev/null
. "${SCRIPTS_DIR:-/opt/cdk8s-workloads/backup}/wait-loop.sh"

wait_for_database "$MYSQL_HOST:$MYSQL_PORT" 'does not answer' 'answers' \
  "$MYSQL_ADMIN" --protocol=tcp -h "$MYSQL_HOST" -P "$MYSQL_PORT" -uroot ping
