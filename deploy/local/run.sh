#!/usr/bin/env bash
# `make run`: a throwaway PostgreSQL under .run/ and the four servers on fixed
# local ports, until Ctrl-C. Data persists across runs; `make wipe` removes it.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
run_dir=$root/.run
pg_port=${CAUNOI_RUN_PG_PORT:-55432}
declare -A ports=([gateway]=50050 [directives]=50051 [organizations]=50052 [reports]=50053)
order=(organizations directives reports gateway)
web_port=${CAUNOI_RUN_WEB_PORT:-50080}
# Flags one server alone takes: the gateway serves the web dashboard.
declare -A own_flags=([gateway]="--web_listen=127.0.0.1:$web_port")

source "$root/deploy/local/postgres.sh"

# The fixed ports lie in the kernel's range for outgoing connections
# (32768-60999): a recent connection made from one of them (to PostgreSQL,
# say) stays in TIME_WAIT for a minute and keeps a server from listening
# there, SO_REUSEADDR or not. Where the kernel lets us, keep them out of
# that range; then wait out any such connection still there.
fixed_ports=("${ports[@]}" "$web_port")
reserved=/proc/sys/net/ipv4/ip_local_reserved_ports
if [[ -w $reserved ]]; then
  wanted=$(IFS=,; echo "${fixed_ports[*]}")
  current=$(cat "$reserved")
  echo "${current:+$current,}$wanted" >"$reserved" 2>/dev/null || true
fi
for port in "${fixed_ports[@]}"; do
  for waited in $(seq 0 70); do
    ss -Htan state time-wait "( sport = :$port )" 2>/dev/null | grep -q . || break
    ((waited == 0)) && echo "run: port $port is held by a recent connection; waiting for it (up to 70 s)"
    sleep 1
  done
done

mkdir -p "$run_dir/logs"
data=$run_dir/pgdata
# The postgres user must be able to reach the data directory; when this
# checkout sits somewhere it cannot (e.g. under /root), keep the cluster in
# /var/tmp and point .run/pgdata at it.
if [[ $(id -u) -eq 0 ]] && ! runuser -u postgres -- test -x "$run_dir"; then
  outside=/var/tmp/caunoi-run-$(printf '%s' "$root" | md5sum | cut -c1-12)
  mkdir -p "$outside"
  [[ -L "$data" ]] || ln -s "$outside/pgdata" "$data"
  data=$outside/pgdata
fi

declare -A pids=()
stop_all() {
  trap "" INT TERM  # a second Ctrl-C must not cut the cleanup short
  trap - EXIT
  echo
  echo "run: stopping servers"
  for name in "${!pids[@]}"; do kill -TERM "${pids[$name]}" 2>/dev/null || true; done
  for name in "${!pids[@]}"; do wait "${pids[$name]}" 2>/dev/null || true; done
  echo "run: stopping PostgreSQL"
  pg_stop "$data"
}
trap "stop_all; exit 0" INT TERM
trap stop_all EXIT

echo "run: PostgreSQL on 127.0.0.1:$pg_port (data in $data)"
pg_start "$data" "$pg_port" "$run_dir/logs/postgres.log"
export CAUNOI_DATABASE_URL="host=127.0.0.1 port=$pg_port user=caunoi dbname=caunoi"
export CAUNOI_ORGANIZATIONS_ADDRESS="127.0.0.1:${ports[organizations]}"
export CAUNOI_DIRECTIVES_ADDRESS="127.0.0.1:${ports[directives]}"
export CAUNOI_REPORTS_ADDRESS="127.0.0.1:${ports[reports]}"
# The gateway vouches for callers to the services with this secret; a fresh
# one each run.
CAUNOI_GATEWAY_SECRET=$(head -c 24 /dev/urandom | base64)
export CAUNOI_GATEWAY_SECRET
# Demo principals, for local use only: the file keeps only the tokens'
# SHA-256, as a production tokens file must.
export CAUNOI_TOKENS_FILE=$run_dir/tokens
# The demo loader and the README's direct calls write with no principal.
export CAUNOI_DEVELOPMENT_MODE=true
{
  echo "# sha256(token) name locality role [organization] (demo tokens: see README)"
  while read -r token name locality role organization; do
    printf '%s %s %s %s %s\n' "$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)" \
      "$name" "$locality" "$role" "$organization"
  done <<'TOKENS'
demo-central ban-doi-ngoai-trung-uong central central
demo-ha-noi ha-noi 01 locality
demo-haufo haufo 01 unit organizations/2
demo-tp-hcm tp-ho-chi-minh 79 locality
demo-reader doc-gia central reader
demo-phuong-ba-dinh phuong-ba-dinh 01/00004 locality
TOKENS
} >"$CAUNOI_TOKENS_FILE"
export CAUNOI_DRAIN_GRACE=${CAUNOI_DRAIN_GRACE:-0s}

for name in "${order[@]}"; do
  rm -f "$run_dir/$name.port"
  "$build/services/$name/${name}_server" --listen="127.0.0.1:${ports[$name]}" \
    --port_file="$run_dir/$name.port" ${own_flags[$name]:-} 2>"$run_dir/logs/$name.log" &
  pids[$name]=$!
done
for name in "${order[@]}"; do
  for _ in $(seq 1 300); do
    [[ -f "$run_dir/$name.port" ]] && break
    kill -0 "${pids[$name]}" 2>/dev/null || { echo "run: $name failed, see $run_dir/logs/$name.log" >&2; tail -5 "$run_dir/logs/$name.log" >&2; exit 1; }
    sleep 0.1
  done
done

echo "run: loading demo data through the APIs"
"$build/deploy/local/demo/caunoi_demo" --organizations="127.0.0.1:${ports[organizations]}" \
  --directives="127.0.0.1:${ports[directives]}" --reports="127.0.0.1:${ports[reports]}" ||
  { echo "run: demo data failed to load" >&2; exit 1; }

cat <<MSG

Cầu Nối is up (logs in .run/logs/, Ctrl-C stops everything):
  gateway        127.0.0.1:${ports[gateway]}
  dashboard      http://127.0.0.1:$web_port/  (sign in with a demo token)
  directives     127.0.0.1:${ports[directives]}
  organizations  127.0.0.1:${ports[organizations]}
  reports        127.0.0.1:${ports[reports]}
  PostgreSQL     $CAUNOI_DATABASE_URL

Try (demo tokens: demo-central, demo-ha-noi, demo-haufo, demo-tp-hcm, demo-reader, demo-phuong-ba-dinh):
  grpcurl -plaintext 127.0.0.1:${ports[gateway]} list
  grpcurl -plaintext -H 'authorization: Bearer demo-reader' \\
    -d '{"filter":"symbol = \\"12-CT/TW\\""}' \\
    127.0.0.1:${ports[gateway]} caunoi.v1.DirectiveService/ListDocuments
  grpcurl -plaintext -d '{"code":"80","as_of":{"year":2024,"month":6,"day":1}}' \\
    127.0.0.1:${ports[organizations]} caunoi.v1.OrganizationService/ResolveLocalityCode
  grpcurl -plaintext -d '{"filter":"display_name : \\"huu nghi ha noi\\""}' \\
    127.0.0.1:${ports[organizations]} caunoi.v1.OrganizationService/ListOrganizations
MSG
wait -n "${pids[@]}" || true
echo "run: a server exited; see .run/logs/" >&2
