#!/bin/sh
# Liveness: the node's HTTP layer answers an authenticated request with any status. 000 means no
# answer within the timeout; a 401 or 503 still proves the process is alive (restarting it would
# not bring back a lost master).
# shellcheck source=/dev/null
. "${SCRIPTS_DIR:-/opt/cdk8s-workloads}/es-common.sh"
code="$(es_status '/_cluster/health?local=true')"
[ -n "$code" ] && [ "$code" != 000 ] && exit 0
echo "liveness: the node did not answer HTTP (code ${code:-none})" >&2
exit 1
