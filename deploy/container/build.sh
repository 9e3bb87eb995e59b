#!/usr/bin/env bash
# `make image`: builds the servers' image with docker or podman, whichever
# this machine has; says so and succeeds without building when it has none.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tag=${IMAGE:-caunoi:0.1.0}
for engine in docker podman; do
  # A client without a reachable daemon cannot build either.
  if command -v "$engine" >/dev/null 2>&1 && "$engine" info >/dev/null 2>&1; then
    echo "image: building $tag with $engine"
    exec "$engine" build -f "$root/deploy/container/Dockerfile" -t "$tag" "$root"
  fi
done
echo "image: no working container engine (docker or podman with its daemon) on this machine;"
echo "image: $tag was not built."
echo "image: on a machine with one, run \`make image\` (IMAGE=registry/caunoi:tag to name it)."
