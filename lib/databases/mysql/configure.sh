#!/bin/sh
# Init container of every pod: derives server-id = 100 + ordinal from the pod name and selects
# the primary (ordinal 0) or replica configuration from the settings ConfigMap into the
# server's conf.d (an emptyDir). A replica whose data directory is already initialized also
# gets the read-only file (on a fresh replica, replication-init.sh adds it after initializing:
# the image's initialization must be able to write).
set -eu
# shellcheck source=/dev/null
. "${SCRIPTS_DIR:-/opt/cdk8s-workloads}/common.sh"

: "${POD_NAME:?POD_NAME must be set (downward API metadata.name)}"
: "${SETTINGS_DIR:=/etc/cdk8s-workloads/mysql}"
: "${CONF_DIR:=/etc/mysql/conf.d}"
: "${DATADIR:=/var/lib/mysql}"

ordinal="$(pod_ordinal)"

printf '[mysqld]\nserver-id = %s\n' "$((100 + ordinal))" > "$CONF_DIR/20-server-id.cnf"
if [ "$ordinal" -eq 0 ]; then
  cp "$SETTINGS_DIR/primary.cnf" "$CONF_DIR/30-role.cnf"
  echo "configure: $POD_NAME is the primary, server-id $((100 + ordinal))"
else
  cp "$SETTINGS_DIR/replica.cnf" "$CONF_DIR/30-role.cnf"
  if [ -d "$DATADIR/mysql" ]; then
    cp "$SETTINGS_DIR/read-only.cnf" "$CONF_DIR/40-read-only.cnf"
  fi
  echo "configure: $POD_NAME is a replica, server-id $((100 + ordinal))"
fi
cp "$SETTINGS_DIR/server.cnf" "$CONF_DIR/10-server.cnf"
