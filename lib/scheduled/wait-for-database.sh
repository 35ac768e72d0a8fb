#!/bin/sh
# Wait init container of a RestoreJob: runs the engine's database-ready.sh (one attempt) every
# WAIT_INTERVAL_SECONDS until it succeeds; fails after WAIT_TIMEOUT_SECONDS.
set -eu

: "${SCRIPTS_DIR:=/opt/cdk8s-workloads/backup}"
: "${WAIT_TARGET:=the database}"
: "${WAIT_TIMEOUT_SECONDS:=600}"
: "${WAIT_INTERVAL_SECONDS:=2}"

waited=0
until sh "$SCRIPTS_DIR/database-ready.sh" >/dev/null 2>&1; do
  if [ "$waited" -ge "$WAIT_TIMEOUT_SECONDS" ]; then
    echo "wait: $WAIT_TARGET does not accept connections after ${WAIT_TIMEOUT_SECONDS}s" >&2
    exit 1
  fi
  echo "wait: $WAIT_TARGET not ready yet"
  sleep "$WAIT_INTERVAL_SECONDS"
  waited=$((waited + WAIT_INTERVAL_SECONDS))
done
echo "wait: $WAIT_TARGET accepts connections"
