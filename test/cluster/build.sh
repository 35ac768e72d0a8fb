#!/usr/bin/env bash
# Builds the control-plane binaries the cluster tests run (kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl, etcd, kwok) from the pinned Go modules beside this script, into a cache
# outside the repository keyed by the hash of the go.mod/go.sum files:
#   ${CDK8S_CLUSTER_CACHE:-~/.cache/cdk8s-workloads}/cluster-<hash>/bin
# A cache whose binaries are all present is reused without running the Go toolchain.
# Prints the bin directory on stdout (last line); progress goes to stderr.
# `build.sh --locate` only prints the directory if it is complete (exit 1 otherwise): no build.
set -euo pipefail

# The whole script is one function, so bash has parsed all of it before it runs (editing or
# checking out this file during a long build cannot change what the running build does).
main() {
  here="$(cd "$(dirname "$0")" && pwd)"
  cache_root="${CDK8S_CLUSTER_CACHE:-$HOME/.cache/cdk8s-workloads}"
  binaries=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok)

  flags=(-trimpath -ldflags='-s -w')
  # The Kubernetes release, stamped into the binaries as its own build does (hack/lib/version.sh):
  # without it they report v0.0.0-master, and clients judge version skew by it.
  k8s_version="$(sed -n 's#^\t*k8s.io/kubernetes \(v[0-9.]*\)$#\1#p' "$here/go.mod")"
  [[ "$k8s_version" =~ ^v1\.([0-9]+)\.[0-9]+$ ]] || { echo "build.sh: no k8s.io/kubernetes version in go.mod" >&2; exit 1; }
  stamp=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    stamp+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=${BASH_REMATCH[1]} -X $pkg.gitTreeState=clean"
  done
  k8s_flags=(-trimpath "-ldflags=-s -w$stamp")
  key="$( (cd "$here" && cat go.mod go.sum kwok/go.mod kwok/go.sum; echo "${flags[*]} ${k8s_flags[*]}") | sha256sum | cut -c1-16)"
  bin="$cache_root/cluster-$key/bin"

  complete() { for b in "${binaries[@]}"; do [ -x "$bin/$b" ] || return 1; done; }
  if [ "${1:-}" = "--locate" ]; then
    complete && echo "$bin" && exit 0
    echo "cluster binaries: $bin is missing or incomplete; run bash test/cluster/build.sh" >&2
    exit 1
  fi
  if complete; then
    echo "cluster binaries: reusing $bin" >&2
    echo "$bin"
    exit 0
  fi

  command -v go >/dev/null || { echo "build.sh: the go command is missing (Go 1.26 is needed)" >&2; exit 1; }
  mkdir -p "$cache_root"
  staging="$(mktemp -d "$cache_root/.building-XXXXXX")"
  trap 'rm -rf "$staging"' EXIT
  # The machine has 2 cores shared with other work: build at a lower priority.
  # build MODULE_DIR OUTPUT FLAGS_ARRAY_NAME PACKAGE...
  build() {
    local -n build_flags="$3"
    (cd "$1" && nice -n 10 go build "${build_flags[@]}" -o "$2" "${@:4}")
  }

  echo "cluster binaries: building into $bin (cold builds take a while, see BENCHMARK.md)" >&2
  start=$(date +%s)
  build "$here" "$staging/" k8s_flags \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler \
    k8s.io/kubernetes/cmd/kubectl
  build "$here" "$staging/etcd" flags go.etcd.io/etcd/server/v3   # etcd's main package
  build "$here/kwok" "$staging/" flags sigs.k8s.io/kwok/cmd/kwok

  mkdir -p "$(dirname "$bin")"
  rm -rf "$bin"
  mv "$staging" "$bin"
  trap - EXIT
  echo "cluster binaries: built in $(( $(date +%s) - start )) s" >&2
  for b in "${binaries[@]}"; do [ -x "$bin/$b" ] || { echo "build.sh: $b missing after the build" >&2; exit 1; }; done
  echo "$bin"
}
main "$@"
