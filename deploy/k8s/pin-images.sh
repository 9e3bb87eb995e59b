#!/usr/bin/env bash
# Pins the prod overlay's images to the digests a release pushed:
#   deploy/k8s/pin-images.sh sha256:<caunoi image digest> sha256:<postgresql image digest>
# (docker buildx imagetools inspect, or the registry's UI, shows them).
set -euo pipefail
[[ $# -eq 2 && $1 =~ ^sha256:[0-9a-f]{64}$ && $2 =~ ^sha256:[0-9a-f]{64}$ ]] || {
  echo "usage: $0 sha256:<caunoi digest> sha256:<postgresql digest>" >&2
  exit 2
}
prod=$(cd "$(dirname "$0")/overlays/prod" && pwd)
sed -i -E "s|^(    digest: )sha256:[0-9a-f]{64}$|\1$1|" "$prod/kustomization.yaml"
sed -i -E "s|^(  imageName: ghcr.io/cloudnative-pg/postgresql:15@)sha256:[0-9a-f]{64}$|\1$2|" \
  "$prod/postgres-cluster.yaml"
sed -i -E "s|^(  value: caunoi-migrate-)[0-9a-f]{12}$|\1${1:7:12}|" "$prod/migrate-job-name.yaml"
echo "pinned: caunoi@$1, postgresql@$2; migration Job caunoi-migrate-${1:7:12}"
