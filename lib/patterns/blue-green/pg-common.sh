#!/bin/sh
# Shared by the PostgreSQL blue-green migration scripts (sourced, shipped as pg-common.sh).
# Connections: SOURCE_* (the active color, v1) and TARGET_* (the new color, v2), each with HOST,
# PORT, USER and PASSWORD (the password from a secretKeyRef, never in the manifest).
# MIGRATE_DATABASE is the application's database, APP_ROLE the role the application logs in as.
set -eu

: "${SOURCE_HOST:?SOURCE_HOST must name the source (active) primary}"
: "${SOURCE_PORT:=5432}"
: "${SOURCE_USER:=postgres}"
: "${SOURCE_PASSWORD:?SOURCE_PASSWORD must be set (secretKeyRef)}"
: "${MIGRATE_DATABASE:?MIGRATE_DATABASE must name the database to migrate}"
: "${APP_ROLE:?APP_ROLE must name the application role to freeze}"
: "${PGCONNECT_TIMEOUT:=10}"
export PGCONNECT_TIMEOUT

# Freeze state on v1 (in the "postgres" database, which is never replicated).
FREEZE_TABLE=cdk8s_bluegreen_freeze

# The replication steps (replicate, cutover) also talk to v2 and name the publication and subscription.
require_replication_env() {
  : "${TARGET_HOST:?TARGET_HOST must name the target primary}"
  : "${TARGET_PORT:=5432}"
  : "${TARGET_USER:=postgres}"
  : "${TARGET_PASSWORD:?TARGET_PASSWORD must be set (secretKeyRef)}"
  : "${PUBLICATION_NAME:?PUBLICATION_NAME must be set}"
  : "${SUBSCRIPTION_NAME:?SUBSCRIPTION_NAME must be set}"
}

# conninfo HOST PORT USER PASSWORD DB: a libpq connection string, values quoted and escaped
# (for CREATE SUBSCRIPTION; it travels through the environment and psql \getenv, never argv).
conninfo() {
  esc() { printf '%s' "$1" | sed "s/[\\\\']/\\\\&/g"; }
  printf "host='%s' port=%s user='%s' password='%s' dbname='%s'" "$(esc "$1")" "$2" "$(esc "$3")" "$(esc "$4")" "$(esc "$5")"
}

log() { echo "$(date -u +%H:%M:%S) ${0##*/}: $*"; }
fail() { echo "$(date -u +%H:%M:%S) ${0##*/}: FAILED: $*" >&2; exit 1; }

# src_psql DB [psql args...]: SQL on v1 (stdin or -c), unaligned, stop on the first error.
src_psql() {
  db=$1; shift
  PGPASSWORD="$SOURCE_PASSWORD" psql -X -At -q -v ON_ERROR_STOP=1 --no-password \
    -h "$SOURCE_HOST" -p "$SOURCE_PORT" -U "$SOURCE_USER" -d "$db" -v app_role="$APP_ROLE" "$@"
}

tgt_psql() {
  db=$1; shift
  PGPASSWORD="$TARGET_PASSWORD" psql -X -At -q -v ON_ERROR_STOP=1 --no-password \
    -h "$TARGET_HOST" -p "$TARGET_PORT" -U "$TARGET_USER" -d "$db" -v app_role="$APP_ROLE" "$@"
}

# Freeze v1 for APP_ROLE: NOLOGIN, terminate its sessions, revoke its write privileges on every
# table of MIGRATE_DATABASE. What was granted is saved first (once: a retried freeze keeps the
# first saved state), so unfreeze restores exactly it. default_transaction_read_only is NOT a
# freeze: a session can set it off and write.
freeze_source() {
  src_psql postgres <<'SQL'
CREATE TABLE IF NOT EXISTS public.cdk8s_bluegreen_freeze (
  role name PRIMARY KEY, database name NOT NULL, could_login boolean NOT NULL, grants text NOT NULL, frozen_at timestamptz NOT NULL DEFAULT now());
SQL
  grants=$(src_psql "$MIGRATE_DATABASE" <<'SQL'
SELECT coalesce(string_agg(format('GRANT %s ON TABLE %s TO %I;', a.privilege_type, c.oid::regclass, :'app_role'), E'\n' ORDER BY 1), '')
FROM pg_class c CROSS JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
WHERE c.relkind IN ('r', 'p') AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = :'app_role')
  AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')
  AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace);
SQL
)
  src_psql postgres -v grants="$grants" -v db="$MIGRATE_DATABASE" <<'SQL'
SELECT count(*) = 1 AS role_exists FROM pg_roles WHERE rolname = :'app_role' \gset
\if :role_exists
\else
  \echo 'freeze: the application role does not exist on the source'
  SELECT 1/0;
\endif
INSERT INTO public.cdk8s_bluegreen_freeze (role, database, could_login, grants)
SELECT :'app_role', :'db', rolcanlogin, :'grants' FROM pg_roles WHERE rolname = :'app_role'
ON CONFLICT (role) DO NOTHING;
ALTER ROLE :"app_role" NOLOGIN;
SQL
  # Twice: a session that finished authenticating while NOLOGIN committed is caught the second time.
  for _ in 1 2; do
    src_psql postgres > /dev/null <<'SQL'
SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = :'app_role' AND pid <> pg_backend_pid();
SQL
    sleep 0.2
  done
  src_psql "$MIGRATE_DATABASE" <<'SQL'
SELECT format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON TABLE %s FROM %I', c.oid::regclass, :'app_role')
FROM pg_class c WHERE c.relkind IN ('r', 'p')
  AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace) \gexec
SQL
  log "v1 frozen: role $APP_ROLE cannot log in, its sessions are terminated, its write privileges on $MIGRATE_DATABASE are revoked"
}

# Undo freeze_source from the saved state; a no-op when v1 is not frozen.
unfreeze_source() {
  saved=$(src_psql postgres -c "SELECT to_regclass('public.$FREEZE_TABLE') IS NOT NULL")
  if [ "$saved" != t ]; then log "v1 is not frozen (no freeze state)"; return 0; fi
  login=$(echo "SELECT could_login FROM public.$FREEZE_TABLE WHERE role = :'app_role';" | src_psql postgres)
  if [ -z "$login" ]; then log "v1 is not frozen for $APP_ROLE"; return 0; fi
  echo "SELECT grants FROM public.$FREEZE_TABLE WHERE role = :'app_role';" | src_psql postgres | src_psql "$MIGRATE_DATABASE" > /dev/null
  if [ "$login" = t ]; then echo 'ALTER ROLE :"app_role" LOGIN;' | src_psql postgres > /dev/null; fi
  echo "DELETE FROM public.$FREEZE_TABLE WHERE role = :'app_role';" | src_psql postgres > /dev/null
  log "v1 unfrozen: role $APP_ROLE can log in and write again"
}

# Row count and md5 of the rows (in text order) of every table of MIGRATE_DATABASE, one line per
# table, marker schema excluded. Equal output on both servers means equal data.
table_checksums() {
  "$1" "$MIGRATE_DATABASE" <<'SQL'
SELECT format($q$SELECT %L || ' ' || count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text COLLATE "C")), '-') FROM %s t$q$, c.oid::regclass, c.oid::regclass)
FROM pg_class c WHERE c.relkind = 'r'
  AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
  AND c.relnamespace::regnamespace::text <> 'cdk8s_bluegreen' AND c.relnamespace::regnamespace::text NOT LIKE 'pg_toast%'
ORDER BY c.oid::regclass::text COLLATE "C" \gexec
SQL
}
