#!/usr/bin/env bash
# The Kubernetes manifests, offline: every overlay renders (render.mjs, as
# kustomize does; where a current kubectl is installed its rendering must be
# the same), every object validates against the Kubernetes API schemas with
# no unknown field, and the policy holds (probes, limits, security
# settings). Then a deliberately broken overlay must be caught, so this
# check can fail. Debian 12's kubectl (1.20, kustomize 2.0.3) cannot render
# the manifests; the check does not need it.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
validator=$root/deploy/k8s/check/validate.mjs
[[ -d $root/deploy/k8s/check/node_modules ]] || {
  echo "the validator is not installed: run \`make deps\`" >&2
  exit 1
}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

check_dir=$root/deploy/k8s/check
kubectl=${KUBECTL:-kubectl}
# A kubectl whose kustomize reads these manifests, to compare with.
if command -v "$kubectl" >/dev/null 2>&1 && "$kubectl" kustomize "$root/deploy/k8s/base" >/dev/null 2>&1; then
  compare_with=$kubectl
  echo "rendering compared with $("$kubectl" version --client 2>/dev/null | head -1)"
else
  compare_with=
  echo "no kubectl with kustomize v4+ here ($("$kubectl" version --client --short 2>/dev/null || echo none)): rendering with render.mjs alone"
fi

render() {
  node "$check_dir/render.mjs" "$1" >"$2" 2>"$out/render.err" || {
    echo "FAIL: $1 does not render:" >&2
    cat "$out/render.err" >&2
    return 1
  }
  if [[ -n $compare_with ]]; then
    "$compare_with" kustomize "$1" >"$out/kubectl.yaml" 2>"$out/kustomize.err" &&
      node "$check_dir/compare.mjs" "$2" "$out/kubectl.yaml" || {
      echo "FAIL: $1 renders differently with $compare_with:" >&2
      cat "$out/kustomize.err" >&2
      return 1
    }
  fi
}

passed=0
failed=0
for overlay in base overlays/dev overlays/prod; do
  rendered=$out/${overlay//\//-}.yaml
  flags=()
  [[ $overlay == overlays/prod ]] && flags=(--prod)
  if render "$root/deploy/k8s/$overlay" "$rendered" && node "$validator" "${flags[@]}" "$rendered"; then
    passed=$((passed + 1))
  else
    echo "FAIL: deploy/k8s/$overlay" >&2
    failed=$((failed + 1))
  fi
done

# The broken overlay drops the gateway's readiness probe and limits, runs a
# service as root, gives a replica count the API refuses and misspells a
# field: each must be reported.
# expect_caught <name> <command...> -- <expected...>: the command must fail
# and report every expected problem.
expect_caught() {
  local name=$1 command=() expected caught=1
  shift
  while [[ $1 != -- ]]; do command+=("$1"); shift; done
  shift
  if "${command[@]}" 2>"$out/$name.err"; then
    echo "FAIL: $name passed the checks" >&2
    failed=$((failed + 1))
    return
  fi
  for expected in "$@"; do
    if ! grep -qF "$expected" "$out/$name.err"; then
      echo "FAIL: $name: this problem was not reported: $expected" >&2
      caught=0
    fi
  done
  if ((caught)); then passed=$((passed + 1)); else failed=$((failed + 1)); cat "$out/$name.err" >&2; fi
}

render "$root/tests/deploy/broken" "$out/broken.yaml"
expect_caught broken node "$validator" "$out/broken.yaml" -- \
  "caunoi-gateway container gateway: no readinessProbe" \
  "caunoi-gateway container gateway: no limits.memory" \
  "caunoi-reports container reports: must run as non-root" \
  "Deployment/caunoi-directives: " \
  "caunoi-organizations: must be headless" \
  "Deployment/caunoi-reports: spec.strategy.rollingUpdate.maxUnavailabel: not a field"

# The broken prod overlay: what an operator relies on must be caught too.
render "$root/tests/deploy/broken-prod" "$out/broken-prod.yaml"
expect_caught broken-prod node "$validator" --prod "$out/broken-prod.yaml" -- \
  "Namespace/caunoi: no Pod Security Standards label" \
  "Cluster/caunoi-db: no ScheduledBackup backs it up" \
  "Cluster/caunoi-db: max_connections 100 is below the 220" \
  "Deployment/caunoi-gateway container gateway: image registry.example.org/caunoi/caunoi:0.1.0 is not pinned by digest"

# The README's kubectl commands against the manifests, and a copy of it with
# a key misspelt, which must be caught.
guide=$check_dir/guide.mjs
if node "$guide" "$root/README.md" "$out/overlays-dev.yaml" "$out/overlays-prod.yaml"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi
sed 's/--from-literal=ACCESS_KEY_ID=/--from-literal=ACCESS_KEY=/' "$root/README.md" >"$out/README.md"
expect_caught guide node "$guide" "$out/README.md" "$out/overlays-dev.yaml" "$out/overlays-prod.yaml" -- \
  "reads key ACCESS_KEY_ID, the guide does not set it"

echo "$passed passed, $failed failed"
((failed == 0))
