#!/bin/sh
# Blue-green migration, logical replication, step 2 (Job <name>-<from>-to-<to>-cutover):
#   1. preflight: the subscription streams and every table is copied (nothing frozen yet);
#   2. freeze v1 (NOLOGIN, sessions terminated, write privileges revoked) and write a marker row
#      holding v1's WAL position at the freeze;
#   3. catch-up: wait until the marker row is on v2 (v2 applied everything up to that LSN);
#   4. sequences: setval on v2 to v1's values (logical replication does not copy them);
#   5. verify: row count and checksum of every table equal on both;
#   6. detach: drop the subscription, v1's slot and the publication; ANALYZE v2;
#   7. with REVERSE_REPLICATION=true: publish every table on v2 and subscribe v1 to it
#      (copy_data = false), before any write reaches v2, so a rollback keeps v2's writes.
# Steps 2-7 must finish within FREEZE_TIMEOUT_SECONDS; any failure (or the timeout) unfreezes v1
# and exits non-zero. On success v1 stays frozen and intact (the rollback is to unfreeze it).
set -eu
: "${SCRIPTS_DIR:=/opt/cdk8s-workloads/blue-green}"
# shellcheck source=/dev/null
. "$SCRIPTS_DIR/pg-common.sh"
require_replication_env
: "${FREEZE_TIMEOUT_SECONDS:=300}"
: "${CATCH_UP_INTERVAL:=0.2}"
: "${REVERSE_REPLICATION:=false}"
if [ "$REVERSE_REPLICATION" = true ]; then
  : "${REVERSE_PUBLICATION_NAME:?REVERSE_PUBLICATION_NAME must be set}"
  : "${REVERSE_SUBSCRIPTION_NAME:?REVERSE_SUBSCRIPTION_NAME must be set}"
  # The target as the source server reaches it (its Service name).
  : "${SUBSCRIPTION_TARGET_HOST:=$TARGET_HOST}"
  wal_level=$(tgt_psql postgres -c 'SHOW wal_level')
  [ "$wal_level" = logical ] || fail "reverse replication needs wal_level=logical on the target (it has $wal_level): set settings.logicalReplication: true on it and restart it (nothing was frozen)"
fi

subscribed=$(tgt_psql postgres -c "SELECT count(*) FROM pg_subscription WHERE subname = '$SUBSCRIPTION_NAME'")
[ "$subscribed" = 1 ] || fail "subscription $SUBSCRIPTION_NAME does not exist on the target: run the replicate Job first (nothing was frozen)"
ready=$(tgt_psql "$MIGRATE_DATABASE" -c "SELECT count(*) FILTER (WHERE r.srsubstate <> 'r') || ' ' || count(r.srsubid) || ' ' || bool_and(s.subenabled)::text FROM pg_subscription s LEFT JOIN pg_subscription_rel r ON r.srsubid = s.oid WHERE s.subname = '$SUBSCRIPTION_NAME'")
case "$ready" in
  "0 0 "*) fail "subscription $SUBSCRIPTION_NAME has no tables: run the replicate Job first (nothing was frozen)" ;;
  "0 "*" true") ;;
  *) fail "subscription $SUBSCRIPTION_NAME is not ready (not-ready tables, tables, enabled: $ready): wait for the replicate Job (nothing was frozen)" ;;
esac

frozen=0
abort() {
  rc=$?
  if [ "$rc" -ne 0 ] && [ "$frozen" = 1 ]; then
    unset PGOPTIONS
    echo "cutover: aborting after $(( $(date +%s) - freeze_start ))s of freeze; unfreezing v1" >&2
    unfreeze_source || echo "cutover: UNFREEZE FAILED: run the unfreeze Job for this color now" >&2
  fi
  exit "$rc"
}
trap abort EXIT
trap 'exit 130' INT TERM

# Fails once the freeze bound passed; otherwise bounds every following statement by the time
# left (PGOPTIONS statement_timeout), so a blocked query cannot stretch the freeze.
check_deadline() {
  left=$(( freeze_start + FREEZE_TIMEOUT_SECONDS - $(date +%s) ))
  [ "$left" -gt 0 ] || fail "freeze timeout of ${FREEZE_TIMEOUT_SECONDS}s exceeded during $1"
  PGOPTIONS="-c statement_timeout=${left}s -c lock_timeout=${left}s"
  export PGOPTIONS
}

freeze_start=$(date +%s)
frozen=1
check_deadline "the freeze"
freeze_source
check_deadline "the freeze"
marker=$(src_psql "$MIGRATE_DATABASE" -c "INSERT INTO cdk8s_bluegreen.cutover (id, freeze_lsn) VALUES ($freeze_start, pg_current_wal_lsn()) ON CONFLICT (id) DO UPDATE SET freeze_lsn = pg_current_wal_lsn() RETURNING freeze_lsn")
log "v1's WAL position at the freeze: $marker"

until [ "$(tgt_psql "$MIGRATE_DATABASE" -c "SELECT count(*) FROM cdk8s_bluegreen.cutover WHERE id = $freeze_start AND freeze_lsn = '$marker'")" = 1 ]; do
  check_deadline "catch-up (v2 has not applied v1's changes up to $marker)"
  sleep "$CATCH_UP_INTERVAL"
done
log "catch-up: v2 applied v1's changes up to $marker"

src_psql "$MIGRATE_DATABASE" -c "SELECT format('SELECT setval(%L, %s, true);', format('%I.%I', schemaname, sequencename), last_value) FROM pg_sequences WHERE last_value IS NOT NULL AND schemaname <> 'cdk8s_bluegreen'" \
  | tgt_psql "$MIGRATE_DATABASE" > /dev/null
log "sequences: $(src_psql "$MIGRATE_DATABASE" -c "SELECT count(*) FROM pg_sequences WHERE last_value IS NOT NULL AND schemaname <> 'cdk8s_bluegreen'") set on v2"
check_deadline "sequence sync"

dir="${TMPDIR:-/tmp}"
table_checksums src_psql > "$dir/v1.sums"
table_checksums tgt_psql > "$dir/v2.sums"
if ! cmp -s "$dir/v1.sums" "$dir/v2.sums"; then
  diff "$dir/v1.sums" "$dir/v2.sums" >&2 || true
  fail "verification: row counts or checksums differ"
fi
log "verify: $(wc -l < "$dir/v1.sums") tables, counts and checksums equal"
sed 's/^/verify: /' "$dir/v1.sums"
check_deadline "verification"

tgt_psql "$MIGRATE_DATABASE" -c "DROP SUBSCRIPTION $SUBSCRIPTION_NAME" > /dev/null
src_psql "$MIGRATE_DATABASE" -c "SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE slot_name = '$SUBSCRIPTION_NAME'" > /dev/null
src_psql "$MIGRATE_DATABASE" -c "DROP PUBLICATION IF EXISTS $PUBLICATION_NAME" > /dev/null
log "detach: subscription, v1's slot and publication dropped; v1 stays frozen and intact for a rollback"
if [ "$REVERSE_REPLICATION" = true ]; then
  check_deadline "reverse replication"
  tgt_psql "$MIGRATE_DATABASE" -c "CREATE PUBLICATION $REVERSE_PUBLICATION_NAME FOR ALL TABLES" > /dev/null
  REVERSE_CONNINFO=$(conninfo "$SUBSCRIPTION_TARGET_HOST" "$TARGET_PORT" "$TARGET_USER" "$TARGET_PASSWORD" "$MIGRATE_DATABASE")
  export REVERSE_CONNINFO
  src_psql "$MIGRATE_DATABASE" > /dev/null <<SQL
\\getenv conninfo REVERSE_CONNINFO
CREATE SUBSCRIPTION $REVERSE_SUBSCRIPTION_NAME CONNECTION :'conninfo' PUBLICATION $REVERSE_PUBLICATION_NAME WITH (copy_data = false);
SQL
  log "reverse replication: v1 subscribes to v2 ($REVERSE_SUBSCRIPTION_NAME, from now on, no copy); a rollback is the reverse cutover Job"
fi
frozen=0
log "cutover complete: writes paused for $(( $(date +%s) - freeze_start ))s so far. Flip active now and apply."
tgt_psql "$MIGRATE_DATABASE" -c "ANALYZE" > /dev/null
log "ANALYZE done on v2. Take a fresh base backup of v2."
