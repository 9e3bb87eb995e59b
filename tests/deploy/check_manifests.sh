#!/usr/bin/env bash
# The Kubernetes manifests, offline: every overlay renders with kustomize,
# every object validates against the Kubernetes API schemas, and the policy
# holds (probes, limits, security settings). Then a deliberately broken
# overlay must be caught, so this check can fail.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
validator=$root/deploy/k8s/check/validate.mjs
[[ -d $root/deploy/k8s/check/node_modules ]] || {
  echo "the validator is not installed: run \`make deps\`" >&2
  exit 1
}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

render() {
  kubectl kustomize "$1" >"$2" 2>"$out/kustomize.err" || {
    echo "FAIL: $1 does not render (kustomize v4+ is needed):" >&2
    cat "$out/kustomize.err" >&2
    return 1
  }
}

passed=0
failed=0
for overlay in base overlays/dev overlays/prod; do
  rendered=$out/${overlay//\//-}.yaml
  if render "$root/deploy/k8s/$overlay" "$rendered" && node "$validator" "$rendered"; then
    passed=$((passed + 1))
  else
    echo "FAIL: deploy/k8s/$overlay" >&2
    failed=$((failed + 1))
  fi
done

# The broken overlay drops the gateway's readiness probe and limits, runs a
# service as root, gives a replica count the API refuses and misspells a
# field: each must be reported.
broken=$out/broken.yaml
render "$root/tests/deploy/broken" "$broken"
if node "$validator" "$broken" 2>"$out/broken.err"; then
  echo "FAIL: the broken overlay passed the checks" >&2
  failed=$((failed + 1))
else
  caught=1
  for expected in "caunoi-gateway container gateway: no readinessProbe" \
    "caunoi-gateway container gateway: no limits.memory" \
    "caunoi-reports container reports: must run as non-root" \
    "Deployment/caunoi-directives: " \
    "caunoi-organizations: must be headless" \
    "Deployment/caunoi-reports: spec.strategy.rollingUpdate.maxUnavailabel: not a field"; do
    if ! grep -qF "$expected" "$out/broken.err"; then
      echo "FAIL: the broken overlay's problem was not reported: $expected" >&2
      caught=0
    fi
  done
  if ((caught)); then passed=$((passed + 1)); else failed=$((failed + 1)); cat "$out/broken.err" >&2; fi
fi

echo "$passed passed, $failed failed"
((failed == 0))
