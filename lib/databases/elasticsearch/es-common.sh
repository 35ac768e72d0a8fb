#!/bin/sh
# Shell functions of the Elasticsearch/OpenSearch scripts (sourced). Every request goes to the
# node over TLS, verified against the CA, as the built-in superuser whose password is a mounted
# Secret file: it reaches curl on stdin (a config line), never on the command line.

# es_request PATH [CURL_ARGS...]: the HTTP body of GET $ES_URL$PATH, then a line with the status code.
# ES_URL names the pod by its DNS name (the name its certificate carries) and ES_RESOLVE
# (host:port:127.0.0.1) sends that name to the local node, so the probe verifies the certificate
# without asking DNS and without accepting any certificate.
es_request() {
  path="$1"
  shift
  if [ -n "${ES_RESOLVE:-}" ]; then set -- --resolve "$ES_RESOLVE" "$@"; fi
  password="$(cat "${ES_PASSWORD_FILE:?}")" || return 1
  # curl's config syntax: a quoted value with \ and " escaped.
  escaped="$(printf '%s' "${ES_USER:?}:$password" | sed 's/\\/\\\\/g; s/"/\\"/g')"
  printf 'user = "%s"\n' "$escaped" | curl --config - --silent --show-error --max-time "${ES_CURL_TIMEOUT:-4}" \
    --cacert "${ES_CA_FILE:?}" --write-out '\n%{http_code}' "$@" "${ES_URL:-https://127.0.0.1:9200}$path"
}

# es_status PATH: only the HTTP status code of GET $ES_URL$PATH (000 when nothing answered).
es_status() {
  es_request "$1" --output /dev/null 2>/dev/null | tail -n 1
}

# cluster_formed_marker: the file on the data volume that says this node has been part of a formed
# cluster (written by the readiness probe, read by start.sh).
cluster_formed_marker() {
  echo "${ES_DATA_DIR:?}/.cdk8s-workloads-cluster-formed"
}

# has_cluster_uuid BODY: whether a `GET /` body names a cluster UUID (`_na_` until a cluster forms).
has_cluster_uuid() {
  printf '%s' "$1" | grep -q '"cluster_uuid"' && ! printf '%s' "$1" | grep -q '"cluster_uuid" *: *"_na_"'
}
