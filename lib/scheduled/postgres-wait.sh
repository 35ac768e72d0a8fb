#!/bin/sh
# Init container of a RestoreJob (shipped as wait-for-database.sh): waits until the server at
# PGHOST:PGPORT accepts connections (pg_isready exit 0), for at most WAIT_TIMEOUT_SECONDS.
set -eu

: "${PGHOST:?PGHOST must name the database host}"
: "${PGPORT:=5432}"
# shellcheck source=/dev/null
. "${SCRIPTS_DIR:-/opt/cdk8s-workloads/backup}/wait-loop.sh"

wait_for_database "$PGHOST:$PGPORT" 'does not accept connections' 'accepts connections' pg_isready -q -h "$PGHOST" -p "$PGPORT"
