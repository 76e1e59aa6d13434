#!/usr/bin/env bash
# The stack benchmark (issue 10): `cloister up` to ready for samples/seed-architecture, excluding the
# first build, and the memory of the whole running stack. Baseline in the same run: the cost of
# starting the cloister command at all (`cloister version`).
#   bench/stack/run.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-5}"
export CLOISTER_HOME="$(mktemp -d /tmp/cloister-bench-stack.XXXXXX)"
cloister="$root/cloister"
trap '"$cloister" down >/dev/null 2>&1 || true; rm -rf "$CLOISTER_HOME"' EXIT

"$cloister" version >/dev/null            # builds the CLI once if needed
"$cloister" up --detach >/dev/null         # publishes the claims functions once (cached by content hash)
"$cloister" down >/dev/null

echo "== up to ready (seed architecture: 2 VPCs, on-premises network, 5 functions, 1 table), $runs runs"
hyperfine -N -w 1 -r "$runs" --export-json "$CLOISTER_HOME/hyperfine.json" \
  --prepare "$cloister down" \
  "$cloister version" \
  "$cloister up --detach"
"$cloister" down >/dev/null

echo "== resident memory of the running stack after 20 claim creations"
"$cloister" up --detach >/dev/null
url="$("$cloister" outputs --json | jq -r '.Stacks[0].Outputs[] | select(.OutputKey=="ClaimUrl") | .OutputValue')"
for i in $(seq 1 20); do
  "$cloister" exec --from ClientVpcInstance -- curl -s -o /dev/null -X POST "$url?memberId=bench&policyId=p&memberName=B" \
    -H 'Content-Type: application/json' -d '{"amount":1}'
done
prefix="$("$cloister" status --json | jq -r .Prefix)"
host="$(cat "$CLOISTER_HOME/host.pid")"
pids="$host"
for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix"); do
  pids="$pids $(ip netns pids "$ns" | tr '\n' ' ')"
done
rss=0; pss=0; count=0
for pid in $pids; do
  [[ -r /proc/$pid/status ]] || continue
  r=$(awk '/^VmRSS:/ {print $2}' /proc/$pid/status); p=$(awk '/^Pss:/ {print $2}' /proc/$pid/smaps_rollup 2>/dev/null || echo 0)
  rss=$((rss + ${r:-0})); pss=$((pss + ${p:-0})); count=$((count + 1))
  printf '  %-8s %-28s RSS %6d KiB  PSS %6d KiB\n' "$pid" "$(tr '\0' ' ' </proc/$pid/cmdline | cut -c1-28)" "${r:-0}" "${p:-0}"
done
host_rss=$(awk '/^VmRSS:/ {print $2}' /proc/$host/status)
echo "processes: $count  host RSS: $((host_rss / 1024)) MiB  total RSS: $((rss / 1024)) MiB  total PSS: $((pss / 1024)) MiB (target: under 300 MB)"
