#!/bin/sh
# Blue-green migration, logical replication, step 1 (Job <name>-<from>-to-<to>-replicate): copies
# the roles and the schema of MIGRATE_DATABASE from v1 to v2, publishes every table on v1 and
# subscribes v2 to it, then waits until every table finished its initial copy and streams.
# v1 keeps serving writes throughout. Safe to run again: an existing subscription is kept.
set -eu
: "${SCRIPTS_DIR:=/opt/cdk8s-workloads/blue-green}"
# shellcheck source=/dev/null
. "$SCRIPTS_DIR/pg-common.sh"
require_replication_env
# The source as the target server reaches it (its Service name).
: "${SUBSCRIPTION_SOURCE_HOST:=$SOURCE_HOST}"
: "${SYNC_TIMEOUT_SECONDS:=3600}"
# Roles not copied: each cluster keeps its own superuser and replication role (and passwords).
: "${KEEP_ROLES:=postgres replicator}"

wal_level=$(src_psql postgres -c 'SHOW wal_level')
[ "$wal_level" = logical ] || fail "the source has wal_level=$wal_level; set settings.logicalReplication: true on the source cluster and restart it"

subscribed=$(tgt_psql postgres -c "SELECT count(*) FROM pg_subscription WHERE subname = '$SUBSCRIPTION_NAME'")
if [ "$subscribed" = 0 ]; then
  exists=$(echo "SELECT count(*) FROM pg_database WHERE datname = :'db';" | tgt_psql postgres -v db="$MIGRATE_DATABASE")
  [ "$exists" = 0 ] || fail "database $MIGRATE_DATABASE already exists on the target without subscription $SUBSCRIPTION_NAME; drop it on the target (it is not serving) and run again"

  src_psql "$MIGRATE_DATABASE" <<'SQL'
CREATE SCHEMA IF NOT EXISTS cdk8s_bluegreen;
CREATE TABLE IF NOT EXISTS cdk8s_bluegreen.cutover (id bigint PRIMARY KEY, freeze_lsn pg_lsn NOT NULL, frozen_at timestamptz NOT NULL DEFAULT now());
SQL

  log "copying roles (except $KEEP_ROLES)"
  errors="${TMPDIR:-/tmp}/roles-$$.log"
  PGPASSWORD="$SOURCE_PASSWORD" pg_dumpall --roles-only --no-password -h "$SOURCE_HOST" -p "$SOURCE_PORT" -U "$SOURCE_USER" \
    | awk -v keep="$KEEP_ROLES" 'BEGIN { n = split(keep, k, " "); for (i = 1; i <= n; i++) skip[k[i]] = 1 }
        /^(CREATE|ALTER) ROLE / { name = $3; sub(/;$/, "", name); gsub(/"/, "", name); if (name in skip) next } { print }' \
    | PGPASSWORD="$TARGET_PASSWORD" psql -X -q -v ON_ERROR_STOP=0 --no-password -h "$TARGET_HOST" -p "$TARGET_PORT" -U "$TARGET_USER" -d postgres > /dev/null 2> "$errors" || true
  if grep 'ERROR:' "$errors" | grep -v 'already exists' >&2; then rm -f "$errors"; fail "copying the roles"; fi
  rm -f "$errors"

  log "copying the schema of $MIGRATE_DATABASE (no publications, no subscriptions)"
  PGPASSWORD="$SOURCE_PASSWORD" pg_dump --schema-only --create --no-publications --no-subscriptions --no-password \
    -h "$SOURCE_HOST" -p "$SOURCE_PORT" -U "$SOURCE_USER" -d "$MIGRATE_DATABASE" | tgt_psql postgres > /dev/null

  echo "CREATE PUBLICATION $PUBLICATION_NAME FOR ALL TABLES;" | src_psql "$MIGRATE_DATABASE" 2>/dev/null \
    || log "publication $PUBLICATION_NAME exists already"
  # The connection string travels through the environment (psql \getenv), not the command line.
  SUB_CONNINFO=$(conninfo "$SUBSCRIPTION_SOURCE_HOST" "$SOURCE_PORT" "$SOURCE_USER" "$SOURCE_PASSWORD" "$MIGRATE_DATABASE")
  export SUB_CONNINFO
  tgt_psql "$MIGRATE_DATABASE" <<SQL
\\getenv conninfo SUB_CONNINFO
CREATE SUBSCRIPTION $SUBSCRIPTION_NAME CONNECTION :'conninfo' PUBLICATION $PUBLICATION_NAME;
SQL
  log "subscription $SUBSCRIPTION_NAME created on the target"
else
  log "subscription $SUBSCRIPTION_NAME exists already; waiting for it"
fi

waited=0
while :; do
  pending=$(tgt_psql "$MIGRATE_DATABASE" -c "SELECT count(*) FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid WHERE s.subname = '$SUBSCRIPTION_NAME' AND r.srsubstate <> 'r'")
  tables=$(tgt_psql "$MIGRATE_DATABASE" -c "SELECT count(*) FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid WHERE s.subname = '$SUBSCRIPTION_NAME'")
  if [ "$pending" = 0 ] && [ "$tables" != 0 ]; then break; fi
  [ "$waited" -lt "$SYNC_TIMEOUT_SECONDS" ] || fail "$pending of $tables tables still copying after ${SYNC_TIMEOUT_SECONDS}s"
  sleep 1; waited=$((waited + 1))
done
log "all $tables tables copied; v2 streams v1's changes. Next: the cutover Job."
