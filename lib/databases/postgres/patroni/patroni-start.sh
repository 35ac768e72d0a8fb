#!/bin/sh
# Server container of a Patroni member: starts Patroni with the generated configuration.
# The passwords come from the cluster's Secret, mounted as files in CREDENTIALS_DIR (never in the
# manifest, never in the pod spec's environment). Patroni reads PATRONI_*_PASSWORD and removes
# them from its own environment at start, so PostgreSQL and its children do not inherit them.
# Everything member-specific (PATRONI_NAME, PATRONI_KUBERNETES_NAMESPACE, PATRONI_KUBERNETES_POD_IP,
# the connect addresses) is set from the downward API in the manifest.
set -eu

: "${PATRONI_CONFIG:=/etc/patroni/patroni.yml}"
: "${CREDENTIALS_DIR:=/etc/patroni-credentials}"
: "${PATRONI_NAME:?PATRONI_NAME must be set (the pod name)}"
: "${PGDATA:?PGDATA must be set (Patroni postgresql.data_dir)}"

# read_secret KEY: the content of the Secret key's file (trailing newlines dropped).
read_secret() {
  file="$CREDENTIALS_DIR/$1"
  if [ ! -s "$file" ]; then
    echo "patroni-start: $file is missing or empty: the Secret needs the key $1" >&2
    exit 1
  fi
  cat "$file"
}

PATRONI_SUPERUSER_PASSWORD="$(read_secret postgres-password)"
PATRONI_REPLICATION_PASSWORD="$(read_secret replication-password)"
PATRONI_REWIND_PASSWORD="$(read_secret rewind-password)"
export PATRONI_SUPERUSER_PASSWORD PATRONI_REPLICATION_PASSWORD PATRONI_REWIND_PASSWORD

# fsGroup may leave the volume's files group-accessible; PostgreSQL refuses a data directory
# that is not 0700 (or 0750).
if [ -d "$PGDATA" ]; then
  chmod 0700 "$PGDATA"
fi

echo "patroni-start: member $PATRONI_NAME, configuration $PATRONI_CONFIG"
exec patroni "$PATRONI_CONFIG"
