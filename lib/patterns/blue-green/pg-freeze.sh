#!/bin/sh
# Blue-green dump/restore on PostgreSQL (init container of the migrate Job): freezes v1 before the
# dump so no write is made after it. A failed freeze unfreezes again. Undo a successful one with
# the unfreeze Job of this color.
set -eu
: "${SCRIPTS_DIR:=/opt/cdk8s-workloads/blue-green}"
# shellcheck source=/dev/null
. "$SCRIPTS_DIR/pg-common.sh"
# shellcheck source=/dev/null
. "$SCRIPTS_DIR/freeze-start.sh"
freeze_start
freeze_source
