#!/bin/sh
# One step of a dump/restore migration while the source is frozen (the dump, the restore):
# runs STEP_SCRIPT from the scripts ConfigMap; when it fails, or the freeze has lasted
# FREEZE_TIMEOUT_SECONDS (counted from the time in FREEZE_STARTED_FILE, written by the freeze
# container; 0 = no bound), it kills the step, runs UNFREEZE_SCRIPT so the source is writable
# again, and exits non-zero. On success the source stays frozen until the flip.
set -eu
: "${SCRIPTS_DIR:=/opt/cdk8s-workloads/blue-green}"
: "${STEP_SCRIPT:?STEP_SCRIPT must name the step}"
: "${UNFREEZE_SCRIPT:?UNFREEZE_SCRIPT must name the unfreeze script of the engine}"
: "${FREEZE_TIMEOUT_SECONDS:=0}"
: "${FREEZE_STARTED_FILE:?FREEZE_STARTED_FILE must name the freeze start file}"

rc=0
if [ "$FREEZE_TIMEOUT_SECONDS" -gt 0 ]; then
  started=$(cat "$FREEZE_STARTED_FILE")
  left=$(( started + FREEZE_TIMEOUT_SECONDS - $(date +%s) ))
  # GNU timeout signals the step's whole process group (the dump pipeline too).
  if [ "$left" -gt 0 ]; then timeout "$left" /bin/sh "$SCRIPTS_DIR/$STEP_SCRIPT" || rc=$?; else rc=124; fi
  if [ "$rc" = 124 ]; then echo "FAILED: freeze timeout of ${FREEZE_TIMEOUT_SECONDS}s exceeded during $STEP_SCRIPT" >&2; fi
else
  /bin/sh "$SCRIPTS_DIR/$STEP_SCRIPT" || rc=$?
fi
if [ "$rc" -ne 0 ]; then
  echo "$STEP_SCRIPT failed (exit $rc); unfreezing the source" >&2
  /bin/sh "$SCRIPTS_DIR/$UNFREEZE_SCRIPT" >&2 || echo "UNFREEZE FAILED: run the unfreeze Job of this color now" >&2
  exit "$rc"
fi
