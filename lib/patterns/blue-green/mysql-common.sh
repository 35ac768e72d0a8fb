#!/bin/sh
# Shared by the MySQL / MariaDB blue-green freeze scripts (sourced, shipped as mysql-common.sh).
# SOURCE_* is the server to freeze (root, password from a secretKeyRef), APP_ROLE the user the
# application logs in as (every host of it), MYSQL_FAMILY `mysql` or `mariadb`.
#
# What the freeze enforces, and what it does not:
# - every account of APP_ROLE is locked (ALTER USER ... ACCOUNT LOCK, stored in the grant tables,
#   so it survives a server restart) and its sessions are killed: the application can neither
#   log in nor finish an open transaction (uncommitted work is rolled back, never acknowledged);
# - MySQL: super_read_only = ON, which refuses writes from every account, SUPER included;
# - MariaDB has no super_read_only: read_only = ON refuses writes from accounts without the
#   READ_ONLY ADMIN privilege (since 10.11 SUPER no longer implies it, but ALL PRIVILEGES ON *.*
#   does, so root still writes). The application account does not have to lack it (it is
#   locked), but any other account the application could use must.
# SET GLOBAL read_only is not persistent: after a restart during the freeze only the lock holds.
set -eu

: "${SOURCE_HOST:?SOURCE_HOST must name the source (active) primary}"
: "${SOURCE_PORT:=3306}"
: "${SOURCE_USER:=root}"
: "${SOURCE_PASSWORD:?SOURCE_PASSWORD must be set (secretKeyRef)}"
: "${APP_ROLE:?APP_ROLE must name the application user to freeze}"
: "${MYSQL_FAMILY:=mysql}"
: "${MYSQL_CLIENT:=mysql}"
# How long SET GLOBAL read_only may wait for other sessions' table locks.
: "${FREEZE_LOCK_WAIT_SECONDS:=30}"

log() { echo "$(date -u +%H:%M:%S) ${0##*/}: $*"; }
fail() { echo "$(date -u +%H:%M:%S) ${0##*/}: FAILED: $*" >&2; exit 1; }

# SQL on the source (stdin or -e), tab-separated, no column names.
src_sql() {
  MYSQL_PWD="$SOURCE_PASSWORD" "$MYSQL_CLIENT" --protocol=tcp --connect-timeout=10 -h "$SOURCE_HOST" -P "$SOURCE_PORT" -u"$SOURCE_USER" -N -B "$@"
}

# APP_ROLE as an SQL string literal.
app_literal() {
  printf "'%s'" "$(printf '%s' "$APP_ROLE" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")"
}

if [ "$MYSQL_FAMILY" = mariadb ]; then READ_ONLY_ON='SET GLOBAL read_only = ON'; READ_ONLY_OFF='SET GLOBAL read_only = OFF'
else READ_ONLY_ON='SET GLOBAL super_read_only = ON'; READ_ONLY_OFF='SET GLOBAL super_read_only = OFF; SET GLOBAL read_only = OFF'; fi

# ALTER USER <every account of APP_ROLE> ACCOUNT LOCK | UNLOCK; returns 2 when it has none.
lock_app_accounts() {
  accounts=$(src_sql -e "SELECT CONCAT(QUOTE(User), '@', QUOTE(Host)) FROM mysql.user WHERE User = $(app_literal)")
  if [ -z "$accounts" ]; then echo "the application user $APP_ROLE has no account on $SOURCE_HOST" >&2; return 2; fi
  echo "$accounts" | sed "s/.*/ALTER USER & ACCOUNT $1;/" | src_sql
}

# Kills every session of APP_ROLE; fails when one is left.
kill_app_sessions() {
  src_sql -e "SELECT CONCAT('KILL ', ID, ';') FROM information_schema.PROCESSLIST WHERE USER = $(app_literal) AND ID <> CONNECTION_ID()" \
    | src_sql --force 2>/dev/null || true # a session that ended meanwhile is an "Unknown thread id"
  left=$(src_sql -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = $(app_literal) AND COMMAND <> 'Killed'")
  [ "$left" = 0 ] || fail "$left sessions of $APP_ROLE are still open"
}

freeze_source() {
  lock_app_accounts LOCK || fail "cannot lock the application user $APP_ROLE"
  kill_app_sessions
  src_sql -e "SET SESSION lock_wait_timeout = $FREEZE_LOCK_WAIT_SECONDS; $READ_ONLY_ON"
  # Again: a session that finished authenticating while the lock committed is caught now.
  sleep 0.2
  kill_app_sessions
  log "source frozen: every account of $APP_ROLE locked, its sessions killed, $READ_ONLY_ON"
}

# Undoes freeze_source; safe on a server that is not frozen.
unfreeze_source() {
  was=$(src_sql -e 'SELECT @@GLOBAL.read_only')
  src_sql -e "$READ_ONLY_OFF"
  lock_app_accounts UNLOCK || [ $? = 2 ] # no account: nothing was locked
  if [ "$was" = 0 ]; then log "source was not read-only; accounts of $APP_ROLE unlocked"
  else log "source unfrozen: writable, accounts of $APP_ROLE unlocked"; fi
}
