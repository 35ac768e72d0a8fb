#!/bin/sh
# Init container of a RestoreJob (shipped as wait-for-database.sh): waits until the server at
# PGHOST:PGPORT accepts connections (pg_isready exit 0), for at most WAIT_TIMEOUT_SECONDS.
set -eu

: "${PGHOST:?PGHOST must name the database host}"
: "${PGPORT:=5432}"
: "${WAIT_TIMEOUT_SECONDS:=600}"
: "${WAIT_INTERVAL_SECONDS:=2}"

waited=0
until pg_isready -q -h "$PGHOST" -p "$PGPORT"; do
  if [ "$waited" -ge "$WAIT_TIMEOUT_SECONDS" ]; then
    echo "wait: $PGHOST:$PGPORT does not accept connections after ${WAIT_TIMEOUT_SECONDS}s" >&2
    exit 1
  fi
  echo "wait: $PGHOST:$PGPORT not ready yet"
  sleep "$WAIT_INTERVAL_SECONDS"
  waited=$((waited + WAIT_INTERVAL_SECONDS))
done
echo "wait: $PGHOST:$PGPORT accepts connections"
