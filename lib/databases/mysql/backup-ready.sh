#!/bin/sh
# Backup contract readiness check (one attempt): exits 0 when MySQL / MariaDB at
# MYSQL_HOST:MYSQL_PORT answers (password from MYSQL_PWD). The restore job's wait container repeats it.
set -eu

: "${MYSQL_HOST:?MYSQL_HOST must name the database host}"
: "${MYSQL_PORT:=3306}"
: "${MYSQL_ADMIN:=mysqladmin}"
exec "$MYSQL_ADMIN" --protocol=tcp -h "$MYSQL_HOST" -P "$MYSQL_PORT" -uroot ping
