#!/bin/sh
# Liveness: the server answers (mysqladmin ping succeeds even while it is busy recovering).
MYSQL_PWD="$MYSQL_ROOT_PASSWORD" "${MYSQL_ADMIN:-mysqladmin}" --protocol=tcp -h 127.0.0.1 -P "${MYSQL_PORT:-3306}" -uroot ping >/dev/null
