#!/bin/sh
# Init container of every pod. Ordinal 0 is the primary and is left to the image's entrypoint.
# A replica (ordinal >= 1) with an empty data directory is cloned from the primary with
# pg_basebackup and configured to stream from it. A replica that already has data is left alone
# (it resumes streaming from where it stopped).
set -eu
# shellcheck source=/dev/null
. "${SCRIPTS_DIR:-/opt/cdk8s-workloads}/common.sh"

: "${POD_NAME:?POD_NAME must be set (downward API metadata.name)}"
: "${PGDATA:?PGDATA must be set}"
: "${PRIMARY_HOST:?PRIMARY_HOST must be set}"
: "${PGPORT:=5432}"
: "${REPLICATION_USER:?REPLICATION_USER must be set}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD must be set (Secret key replication-password)}"
: "${PRIMARY_WAIT_SECONDS:=600}"

ordinal="$(pod_ordinal)"
if [ "$ordinal" -eq 0 ]; then
  echo "bootstrap-replica: $POD_NAME is the primary; nothing to do"
  exit 0
fi
if [ -s "$PGDATA/PG_VERSION" ]; then
  echo "bootstrap-replica: $PGDATA already holds a data directory; resuming as a replica"
  exit 0
fi

wait_until "$PRIMARY_WAIT_SECONDS" "bootstrap-replica: primary $PRIMARY_HOST:$PGPORT" pg_isready -q -h "$PRIMARY_HOST" -p "$PGPORT"

# A partial copy from an interrupted attempt is discarded; the directory must be empty and 0700.
rm -rf "$PGDATA"
mkdir -p "$PGDATA"
chmod 0700 "$PGDATA"

export PGPASSWORD="$REPLICATION_PASSWORD"
pg_basebackup --pgdata="$PGDATA" --host="$PRIMARY_HOST" --port="$PGPORT" --username="$REPLICATION_USER" \
  --wal-method=stream --checkpoint=fast --no-password --progress

# Stream from the primary. The password is not written to disk: the server reads PGPASSWORD
# from its environment (set from the Secret), so a rotated Secret applies at the next restart.
touch "$PGDATA/standby.signal"
printf "primary_conninfo = 'host=%s port=%s user=%s application_name=%s'\n" \
  "$PRIMARY_HOST" "$PGPORT" "$REPLICATION_USER" "$(echo "$POD_NAME" | tr -c 'a-zA-Z0-9_\n' '_')" >> "$PGDATA/postgresql.auto.conf"
echo "bootstrap-replica: $POD_NAME cloned from $PRIMARY_HOST:$PGPORT"
