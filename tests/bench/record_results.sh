#!/usr/bin/env bash
# record_results.sh RESULTS_FILE COMMAND [ARGS...]
#
# Runs the bench COMMAND, passing its output through, then writes what it
# printed on stdout (its figures beside their baselines and targets; the
# progress lines go to stderr) into RESULTS_FILE as a new section, newest
# first, headed by the date, the commit, and the machine: figures are only
# comparable with those of the same run on the same machine. Exits with the
# bench's status. Interrupted, it records nothing.
set -uo pipefail

results=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
[[ -f $results ]] || : >"$results"
printed=$(mktemp)
section=$(mktemp)
trap 'rm -f "$printed" "$section" "$results.new"' EXIT
trap 'exit 130' INT TERM

# Line by line, so that each figure still shows as it completes.
stdbuf -oL "$@" | tee "$printed"
status=${PIPESTATUS[0]}

# A Debian package's upstream version ("1.51.1" of "1.51.1-3+b1").
version() {
  dpkg-query -W -f='${Version}' "$1" 2>/dev/null | sed -e 's/^[0-9]*://' -e 's/-[^-]*$//'
}

machine() {
  local cpu vcpus memory virt os
  cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
  vcpus=$(nproc)
  memory=$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
  virt=$(systemd-detect-virt 2>/dev/null || true)
  os=$(. /etc/os-release && echo "$PRETTY_NAME")
  printf '%s, %s vCPU%s, %s, %s, gRPC %s, PostgreSQL %s, nginx %s' "${cpu:-unknown CPU}" \
    "$vcpus" "${virt:+ ($virt)}" "$memory" "$os" "$(version libgrpc++-dev)" \
    "$(version postgresql-15)" "$(version nginx-light)"
}

commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "no commit")
if ! git -C "$root" diff --quiet HEAD 2>/dev/null; then commit="$commit with changes"; fi
arguments=${*:2}
{
  printf '## %s, `make bench%s` of %s · %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" \
    "${arguments:+ $arguments}" "$commit" "$(machine)"
  printf 'Recorded by `make bench` as it ended (exit %d): what it printed, each\n' "$status"
  printf 'figure beside its baselines or its target.\n\n'
  printf '```text\n'
  cat "$printed"
  printf '```\n\n'
} >"$section"

# Before the first section, after the file's introduction.
awk -v section="$section" '
  function insert(  line) { while ((getline line < section) > 0) print line; inserted = 1 }
  /^## / && !inserted { insert() }
  { print }
  END { if (!inserted) insert() }
' "$results" >"$results.new" && mv "$results.new" "$results"
echo "recorded in $results" >&2
exit "$status"
