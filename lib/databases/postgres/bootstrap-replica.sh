#!/bin/sh
# Init container of every pod. Ordinal 0 is the primary and is left to the image's entrypoint.
# A replica (ordinal >= 1) streams from the primary through its own physical replication slot,
# named after the pod, so the primary keeps the WAL the replica has not received yet, up to
# max_slot_wal_keep_size. The replica is cloned with pg_basebackup (which creates the slot) when
#  - its data directory is empty or holds an interrupted clone (no standby.signal, written last);
#  - its slot on the primary is missing or invalidated (wal_status "lost": the replica fell
#    further behind than max_slot_wal_keep_size and the WAL it needs is gone). The old data
#    directory is moved aside to $PGDATA.invalidated and removed once the new clone is complete.
# A replica whose slot is intact is left alone: it resumes streaming where it stopped.
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
: "${SLOT_DROP_WAIT_SECONDS:=120}"

ordinal="$(pod_ordinal)"
if [ "$ordinal" -eq 0 ]; then
  echo "bootstrap-replica: $POD_NAME is the primary; nothing to do"
  exit 0
fi
# Pod names are DNS labels; slot and application names allow [a-z0-9_].
slot="$(echo "$POD_NAME" | tr -c 'a-z0-9_\n' '_')"
export PGPASSWORD="$REPLICATION_PASSWORD"

# SQL on the primary as the replication role (reading pg_replication_slots and dropping a slot
# need no more than the REPLICATION attribute). Prints the first column of the result.
primary_sql() {
  psql -X -A -t -q -v ON_ERROR_STOP=1 --no-password -h "$PRIMARY_HOST" -p "$PGPORT" -U "$REPLICATION_USER" -d postgres -c "$1"
}

wait_until "$PRIMARY_WAIT_SECONDS" "bootstrap-replica: primary $PRIMARY_HOST:$PGPORT" pg_isready -q -h "$PRIMARY_HOST" -p "$PGPORT"

if [ -s "$PGDATA/PG_VERSION" ] && [ -f "$PGDATA/standby.signal" ]; then
  wal_status="$(primary_sql "SELECT COALESCE((SELECT wal_status FROM pg_replication_slots WHERE slot_name = '$slot'), 'missing')")"
  case "$wal_status" in
    reserved|extended|unreserved)
      echo "bootstrap-replica: $PGDATA holds a replica and slot $slot is $wal_status on the primary; resuming"
      exit 0 ;;
  esac
  echo "bootstrap-replica: slot $slot is ${wal_status:-unusable} on the primary, the WAL this replica needs is gone; moving $PGDATA aside and cloning again"
  rm -rf "$PGDATA.invalidated"
  mv "$PGDATA" "$PGDATA.invalidated"
fi

# A slot left by an earlier clone of this ordinal (invalidated, or from a replica removed and
# added again) is dropped. It may stay active until the old walsender notices its replica is
# gone (wal_sender_timeout). A wrong password fails here, loudly, not in the retry loop.
primary_sql "SELECT 1" >/dev/null
slot_inactive() {
  [ "$(primary_sql "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$slot' AND active")" = 0 ]
}
wait_until "$SLOT_DROP_WAIT_SECONDS" "bootstrap-replica: the old slot $slot is still active" slot_inactive
primary_sql "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$slot'" >/dev/null

# A partial copy from an interrupted attempt is discarded; the directory must be empty and 0700.
rm -rf "$PGDATA"
mkdir -p "$PGDATA"
chmod 0700 "$PGDATA"

pg_basebackup --pgdata="$PGDATA" --host="$PRIMARY_HOST" --port="$PGPORT" --username="$REPLICATION_USER" \
  --create-slot --slot="$slot" --wal-method=stream --checkpoint=fast --no-password --progress

# Stream from the primary through the slot. The password is not written to disk: the server
# reads PGPASSWORD from its environment (set from the Secret), so a rotated Secret applies at the
# next restart. standby.signal comes last: it marks a complete clone.
printf "primary_conninfo = 'host=%s port=%s user=%s application_name=%s'\nprimary_slot_name = '%s'\n" \
  "$PRIMARY_HOST" "$PGPORT" "$REPLICATION_USER" "$slot" "$slot" >> "$PGDATA/postgresql.auto.conf"
touch "$PGDATA/standby.signal"
rm -rf "$PGDATA.invalidated"
echo "bootstrap-replica: $POD_NAME cloned from $PRIMARY_HOST:$PGPORT with replication slot $slot"
