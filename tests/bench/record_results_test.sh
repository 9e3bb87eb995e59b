#!/usr/bin/env bash
# record_results.sh against a stand-in bench: what it printed on stdout goes
# into a new section after the introduction and before the older sections,
# headed by the date and the machine; its stderr and status pass through.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results=$work/RESULTS.md
printf '# Benchmark results\n\nIntroduction.\n\n## 2026-01-01 (older)\n\nOlder figures.\n' >"$results"
bench=$work/bench
printf '#!/bin/sh\necho "figure A  12/s"\necho "target B: met"\necho progress >&2\nexit 3\n' >"$bench"
chmod +x "$bench"

fail() {
  echo "FAIL: $1" >&2
  cat "$results" >&2
  exit 1
}

status=0
"$here/record_results.sh" "$results" "$bench" --only=filing >"$work/out" 2>"$work/err" || status=$?
[[ $status -eq 3 ]] || fail "the bench's status 3 became $status"
grep -qx 'figure A  12/s' "$work/out" || fail "stdout was not passed through"
grep -qx 'progress' "$work/err" || fail "stderr was not passed through"

heading=$(grep -n '^## ' "$results" | head -1)
[[ $heading == 5:*'## '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' '* ]] ||
  fail "the new section is not first after the introduction: $heading"
[[ $heading == *'`make bench --only=filing`'* ]] || fail "the heading lacks the bench's arguments"
[[ $heading == *' vCPU'*', gRPC '*', PostgreSQL '* ]] || fail "the heading lacks the machine"
grep -q 'exit 3' "$results" || fail "the section does not say how the bench ended"
awk '/^```text$/ {inside = 1; next} /^```$/ {inside = 0} inside' "$results" >"$work/recorded"
printf 'figure A  12/s\ntarget B: met\n' | cmp -s - "$work/recorded" ||
  fail "the section's block is not what the bench printed"
[[ $(grep -c '^## ' "$results") -eq 2 ]] || fail "sections were added or lost"
tail -3 "$results" | grep -qx 'Older figures.' || fail "the older section was changed"
head -3 "$results" | grep -qx 'Introduction.' || fail "the introduction was changed"
echo "recorded as expected"
