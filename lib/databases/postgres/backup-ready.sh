#!/bin/sh
# Backup contract readiness check (one attempt): exits 0 when the server at PGHOST:PGPORT accepts
# connections. The restore job's wait container repeats it until a timeout.
set -eu

: "${PGHOST:?PGHOST must name the database host}"
: "${PGPORT:=5432}"
exec pg_isready -q -h "$PGHOST" -p "$PGPORT"
