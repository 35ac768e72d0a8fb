#!/bin/sh
# Readiness. Until this pod has passed once, it is ready only when the cluster reaches
# ES_READY_STATUS (green by default: with RollingUpdate, the controller restarts the next pod only
# after this one is ready, so every shard has its copies back before another node goes down).
# After that (a marker in the pod's /tmp emptyDir, gone when the pod is replaced), it only needs the
# node to answer health locally, so a yellow or red cluster does not empty the client Service
# and a lost master does not make every pod unready at once.
# shellcheck source=/dev/null
. "${SCRIPTS_DIR:-/opt/cdk8s-workloads}/es-common.sh"
passed="${ES_READY_MARKER:-/tmp/.cdk8s-workloads-ready}"

# A node that reports a cluster UUID has joined a formed cluster: from now on start.sh never
# sets cluster.initial_master_nodes on this volume again. Checked on every probe until then (the
# cluster may form between two requests of one probe).
formed="$(cluster_formed_marker)"
if [ ! -f "$formed" ]; then
  root="$(es_request / 2>/dev/null)" || true
  if has_cluster_uuid "$root"; then touch "$formed"; fi
fi

if [ -f "$passed" ]; then
  code="$(es_status '/_cluster/health?local=true')"
  [ "$code" = 200 ] && exit 0
  echo "readiness: local cluster health answered HTTP $code" >&2
  exit 1
fi

code="$(es_status "/_cluster/health?wait_for_status=${ES_READY_STATUS:-green}&timeout=1s")"
if [ "$code" = 200 ]; then
  # Only an elected master answers a non-local health request (a node without one gets 503), so
  # this node belongs to a formed cluster even if the cluster formed after the request above.
  touch "$formed" "$passed"
  exit 0
fi
echo "readiness: the cluster is not ${ES_READY_STATUS:-green} yet (HTTP $code)" >&2
exit 1
