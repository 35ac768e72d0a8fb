#!/bin/sh
# Runs once per pod from the image's /docker-entrypoint-initdb.d, after the entrypoint created
# the root user, while its temporary server listens on the socket only.
# Primary (ordinal 0): creates the replication user. Replica: points replication at the
# primary with GTID auto-positioning, starts it, and turns on read-only for the real start.
# Statements that differ between MySQL 8 and MariaDB are chosen by MYSQL_FLAVOR.
set -eu
# shellcheck source=/dev/null
. "${SCRIPTS_DIR:-/opt/cdk8s-workloads}/common.sh"

: "${POD_NAME:?POD_NAME must be set}"
: "${MYSQL_ROOT_PASSWORD:?MYSQL_ROOT_PASSWORD must be set (Secret key root-password)}"
: "${REPLICATION_USER:?REPLICATION_USER must be set}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD must be set (Secret key replication-password)}"
: "${PRIMARY_HOST:?PRIMARY_HOST must be set}"
: "${MYSQL_PORT:=3306}"
: "${MYSQL_FLAVOR:=mysql}"
: "${MYSQL_CLIENT:=mysql}"
: "${MYSQL_ADMIN:=mysqladmin}"
: "${MYSQL_SOCKET:=/var/run/mysqld/mysqld.sock}"
: "${SETTINGS_DIR:=/etc/cdk8s-workloads/mysql}"
: "${CONF_DIR:=/etc/mysql/conf.d}"
: "${PRIMARY_WAIT_SECONDS:=600}"

# SQL string literal: backslashes and single quotes escaped.
quote() {
  printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")"
}

# Passwords go through stdin and MYSQL_PWD, never through the command line.
local_sql() {
  MYSQL_PWD="$MYSQL_ROOT_PASSWORD" "$MYSQL_CLIENT" --protocol=socket --socket="$MYSQL_SOCKET" -uroot
}

user="$(quote "$REPLICATION_USER")"
password="$(quote "$REPLICATION_PASSWORD")"
ordinal="$(pod_ordinal)"

if [ "$ordinal" = "0" ]; then
  local_sql <<SQL
CREATE USER IF NOT EXISTS $user@'%' IDENTIFIED BY $password;
GRANT REPLICATION SLAVE ON *.* TO $user@'%';
SQL
  echo "replication-init: replication user created on the primary $POD_NAME"
  exit 0
fi

# mysqladmin ping succeeds once the server answers (even before the user may log in).
export MYSQL_PWD="$REPLICATION_PASSWORD"
wait_until "$PRIMARY_WAIT_SECONDS" "replication-init: primary $PRIMARY_HOST:$MYSQL_PORT" \
  "$MYSQL_ADMIN" --protocol=tcp -h "$PRIMARY_HOST" -P "$MYSQL_PORT" -u"$REPLICATION_USER" ping
unset MYSQL_PWD

host="$(quote "$PRIMARY_HOST")"
case "$MYSQL_FLAVOR" in
  mysql)
    local_sql <<SQL
CHANGE REPLICATION SOURCE TO SOURCE_HOST=$host, SOURCE_PORT=$MYSQL_PORT, SOURCE_USER=$user, SOURCE_PASSWORD=$password, SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1;
START REPLICA;
SQL
    ;;
  mariadb)
    local_sql <<SQL
CHANGE MASTER TO MASTER_HOST=$host, MASTER_PORT=$MYSQL_PORT, MASTER_USER=$user, MASTER_PASSWORD=$password, MASTER_USE_GTID=slave_pos;
START SLAVE;
SQL
    ;;
  *) echo "replication-init: unknown MYSQL_FLAVOR=$MYSQL_FLAVOR" >&2; exit 1 ;;
esac
cp "$SETTINGS_DIR/read-only.cnf" "$CONF_DIR/40-read-only.cnf"
echo "replication-init: $POD_NAME replicates from $PRIMARY_HOST:$MYSQL_PORT"
