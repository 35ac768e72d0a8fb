#!/bin/sh
# Sourced by the freeze scripts after the engine's common file: freeze_start records when the
# freeze began (FREEZE_STARTED_FILE, read by frozen-step.sh for the freeze timeout) and arms a
# trap that unfreezes the source when the freeze itself fails half-way.
freeze_failed() {
  rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "freeze failed (exit $rc); unfreezing the source" >&2
    unfreeze_source >&2 || echo "UNFREEZE FAILED: run the unfreeze Job of this color now" >&2
  fi
  exit "$rc"
}

freeze_start() {
  trap freeze_failed EXIT
  if [ -n "${FREEZE_STARTED_FILE:-}" ]; then date +%s > "$FREEZE_STARTED_FILE"; fi
}
