#!/bin/sh
# Shell functions shared by every engine's scripts (sourced; shipped in the scripts ConfigMap).

# The StatefulSet ordinal of POD_NAME (<name>-<ordinal>); exits when there is none.
pod_ordinal() {
  ordinal="${POD_NAME##*-}"
  case "$ordinal" in
    ''|*[!0-9]*) echo "cannot read an ordinal from POD_NAME=$POD_NAME" >&2; exit 1 ;;
  esac
  echo "$ordinal"
}

# wait_until SECONDS DESCRIPTION COMMAND...: retries COMMAND every 2 s; exits after SECONDS.
wait_until() {
  limit="$1"
  description="$2"
  shift 2
  waited=0
  until "$@" >/dev/null 2>&1; do
    if [ "$waited" -ge "$limit" ]; then
      echo "$description: not ready after ${limit}s" >&2
      exit 1
    fi
    sleep 2
    waited=$((waited + 2))
  done
}
