#!/bin/sh
# Blue-green rollback on MySQL / MariaDB (Job <name>-unfreeze-<color>, and the abort path of a
# frozen migration): the source writable again and the application user's accounts unlocked.
set -eu
: "${SCRIPTS_DIR:=/opt/cdk8s-workloads/blue-green}"
# shellcheck source=/dev/null
. "$SCRIPTS_DIR/mysql-common.sh"
unfreeze_source
