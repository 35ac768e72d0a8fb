#!/bin/sh
# Blue-green rollback (Job <name>-unfreeze-<color>): gives the application role back its login and
# the write privileges the freeze revoked on this color, from the state the freeze saved.
# Safe to run on a color that is not frozen.
set -eu
: "${SCRIPTS_DIR:=/opt/cdk8s-workloads/blue-green}"
# shellcheck source=/dev/null
. "$SCRIPTS_DIR/pg-common.sh"
unfreeze_source
