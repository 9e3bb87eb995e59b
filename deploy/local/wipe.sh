#!/usr/bin/env bash
# `make wipe`: removes the `make run` database and logs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/deploy/local/postgres.sh"
data=$root/.run/pgdata
if [[ -f "$data/postmaster.pid" ]]; then
  echo "wipe: PostgreSQL under $data is running; stop \`make run\` first" >&2
  exit 1
fi
[[ -L "$data" ]] && rm -rf "$(readlink "$data")"
rm -rf "$root/.run"
echo "wipe: removed .run/"
