#!/bin/sh
# Sourced by every engine's wait-for-database.sh (the wait init container of a RestoreJob).

: "${WAIT_TIMEOUT_SECONDS:=600}"
: "${WAIT_INTERVAL_SECONDS:=2}"

# wait_for_database TARGET FAILURE SUCCESS CHECK...: runs CHECK every WAIT_INTERVAL_SECONDS until
# it succeeds; exits 1 after WAIT_TIMEOUT_SECONDS.
wait_for_database() {
  target="$1"
  failure="$2"
  success="$3"
  shift 3
  waited=0
  until "$@" >/dev/null 2>&1; do
    if [ "$waited" -ge "$WAIT_TIMEOUT_SECONDS" ]; then
      echo "wait: $target $failure after ${WAIT_TIMEOUT_SECONDS}s" >&2
      exit 1
    fi
    echo "wait: $target not ready yet"
    sleep "$WAIT_INTERVAL_SECONDS"
    waited=$((waited + WAIT_INTERVAL_SECONDS))
  done
  echo "wait: $target $success"
}
