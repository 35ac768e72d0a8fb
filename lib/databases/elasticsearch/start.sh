#!/bin/sh
# Starts the server through the image's entrypoint. cluster.initial_master_nodes is set only to
# bootstrap a brand-new cluster (Elastic: remove it once the cluster has formed, never set it
# again): only on the first BOOTSTRAP_NODES ordinals, only when this volume has never been part of
# a formed cluster, and only when no other bootstrap pod already reports a cluster UUID (a
# scale-up from 1 to 3 nodes must join the existing cluster, not elect a second one).
set -eu
# shellcheck source=/dev/null
. "${SCRIPTS_DIR:-/opt/cdk8s-workloads}/es-common.sh"
# shellcheck source=/dev/null
. "${SCRIPTS_DIR:-/opt/cdk8s-workloads}/common.sh"

ordinal="$(pod_ordinal)"
count="${BOOTSTRAP_NODES:-0}"
name="${POD_NAME%-*}"

# The HTTP URL of bootstrap pod $1 (the prefix and suffix are the pod's DNS name in the manifest).
peer_url() {
  echo "${PEER_URL_PREFIX-https://$name-}$1${PEER_URL_SUFFIX-.${HEADLESS_HOST:?}:${ES_HTTP_PORT:-9200}}"
}

existing_cluster() {
  i=0
  while [ "$i" -lt "$count" ]; do
    if [ "$i" != "$ordinal" ]; then
      body="$(ES_URL="$(peer_url "$i")" ES_CURL_TIMEOUT=3 es_request / 2>/dev/null)" || true
      if has_cluster_uuid "$body"; then echo "$name-$i"; return 0; fi
    fi
    i=$((i + 1))
  done
  return 1
}

bootstrap=""
if [ "$ordinal" -ge "$count" ]; then
  echo "start: ordinal $ordinal is not one of the $count bootstrap nodes: joining through discovery.seed_hosts"
elif [ -f "$(cluster_formed_marker)" ]; then
  echo "start: this volume has been part of a formed cluster: cluster.initial_master_nodes stays unset"
elif peer="$(existing_cluster)"; then
  echo "start: $peer already belongs to a formed cluster: joining it"
else
  i=0
  while [ "$i" -lt "$count" ]; do
    bootstrap="${bootstrap:+$bootstrap,}$name-$i"
    i=$((i + 1))
  done
  echo "start: no cluster has formed yet: bootstrapping with cluster.initial_master_nodes=$bootstrap"
fi

if [ "${ES_FLAVOR:-elasticsearch}" = opensearch ]; then
  # The security plugin reads its users from config/opensearch-security at the first start of the
  # cluster; the admin password (OPENSEARCH_INITIAL_ADMIN_PASSWORD, from the Secret) is hashed here,
  # read by hash.sh from the environment, never written in a manifest.
  users="$ES_HOME/config/opensearch-security/internal_users.yml"
  hash="$("$ES_HOME/plugins/opensearch-security/tools/hash.sh" -env OPENSEARCH_INITIAL_ADMIN_PASSWORD | tail -n 1)"
  {
    printf '_meta:\n  type: "internalusers"\n  config_version: 2\n'
    printf '%s:\n  hash: "%s"\n  reserved: true\n  backend_roles: ["admin"]\n  description: "cdk8s-workloads: the admin user"\n' "${ES_USER:?}" "$hash"
  } > "$users"
fi

if [ -n "$bootstrap" ]; then
  exec env "cluster.initial_master_nodes=$bootstrap" "$@"
fi
exec "$@"
