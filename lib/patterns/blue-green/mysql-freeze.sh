#!/bin/sh
# Blue-green dump/restore on MySQL / MariaDB (init container of the migrate Job): freezes the source
# before the dump (see mysql-common.sh for what is enforced). A failed freeze unfreezes again.
# Undo a successful one with the unfreeze Job of this color.
set -eu
: "${SCRIPTS_DIR:=/opt/cdk8s-workloads/blue-green}"
# shellcheck source=/dev/null
. "$SCRIPTS_DIR/mysql-common.sh"
# shellcheck source=/dev/null
. "$SCRIPTS_DIR/freeze-start.sh"
freeze_start
freeze_source
