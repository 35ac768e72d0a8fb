#!/bin/sh
# Runs once, on the primary (ordinal 0), from the official image's /docker-entrypoint-initdb.d
# after initdb, while the entrypoint's temporary server listens on the local socket only.
# Creates the replication role (password from the environment, i.e. from the Secret), allows
# replication connections with that role, and includes the server settings from the ConfigMap.
set -eu

: "${PGDATA:?PGDATA must be set}"
: "${REPLICATION_USER:?REPLICATION_USER must be set}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD must be set (Secret key replication-password)}"
: "${SETTINGS_DIR:=/etc/postgresql/conf.d}"

# \getenv keeps the password out of the command line (visible in ps) and out of the script.
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres <<'SQL'
\getenv repl_user REPLICATION_USER
\getenv repl_password REPLICATION_PASSWORD
CREATE ROLE :"repl_user" WITH REPLICATION LOGIN PASSWORD :'repl_password';
SQL

# The image's "host all all all" line does not match replication connections.
# Only the replication role may replicate, with a password (scram). The NetworkPolicy limits who
# can reach the port at all; the password is only given to this cluster's pods.
printf 'host replication %s all scram-sha-256\n' "$REPLICATION_USER" >> "$PGDATA/pg_hba.conf"

# Server settings live in the ConfigMap mounted at SETTINGS_DIR; replicas inherit this line
# through pg_basebackup and mount the same ConfigMap.
printf "include_dir = '%s'\n" "$SETTINGS_DIR" >> "$PGDATA/postgresql.conf"
echo "primary-init: replication role \"$REPLICATION_USER\" created, settings included from $SETTINGS_DIR"
