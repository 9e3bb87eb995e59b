#!/usr/bin/env bash
# Installs the Debian 12 packages the suite needs, only those missing.
# Runs apt-get update at most once, and only when an install is needed.
set -euo pipefail

packages=(
  build-essential cmake make pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libpq-dev libssl-dev libicu-dev postgresql-15 postgresql-client-15
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev openssl
  golang-github-gogo-googleapis-dev grpc-proto
  prometheus-cpp-dev libcivetweb-dev  # metrics; the gateway's dashboard listener
  libcurl4-openssl-dev  # webhook deliveries
  libnghttp2-dev  # the gateway's frame relay
  libjemalloc-dev  # the servers' allocator
  chromium  # the dashboard's test drives a real browser
  nginx-light  # make bench measures the gateway against nginx's grpc_pass
  python3-grpcio python3-protobuf  # the README's grpcurl lines run in the tests through them
  iproute2  # make run: ss, to wait out a recent connection holding a fixed port
)

# The manifest checks and the dashboard's test need Node.js (for the pinned
# schema validator and the renderer, and for puppeteer-core, which drives
# chromium); machines that already have it keep theirs. kubectl is not
# needed: where a current one is installed the check compares with it.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

root=$(cd "$(dirname "$0")/../.." && pwd)

# A folder's npm packages, exactly as locked, again when the lock changes.
install_locked() {
  local dir=$root/$1 what=$2
  local lock
  lock=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [[ "$(cat "$dir/node_modules/.installed-lock" 2>/dev/null)" != "$lock" ]]; then
    echo "deps: installing $what (npm ci in $1)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock" >"$dir/node_modules/.installed-lock"
  fi
}

install_npm_packages() {
  install_locked deploy/k8s/check "the manifest validator"
  install_locked tests/web "puppeteer-core, which drives chromium in the dashboard's test"
}

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "deps: all ${#packages[@]} Debian packages present"
  install_npm_packages
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "deps: need root (or sudo) to run: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}" || {
    echo "deps: could not install: ${missing[*]} (is a Debian 12 package mirror reachable?)" >&2
    exit 1
  }
fi
install_npm_packages
