#!/bin/sh
# Readiness: a real query over TCP on the loopback, as root (password from the environment).
MYSQL_PWD="$MYSQL_ROOT_PASSWORD" "${MYSQL_CLIENT:-mysql}" --protocol=tcp -h 127.0.0.1 -P "${MYSQL_PORT:-3306}" -uroot -e 'SELECT 1' >/dev/null
