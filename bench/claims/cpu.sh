#!/usr/bin/env bash
# CPU accounting for bench/claims/run.sh, from /proc (clock ticks, both cores together).
#   cpu.sh snapshot PREFIX HOST_PID > FILE   one line per process of the sandbox ("pid comm ticks"),
#                                             the stack host included, then "machine busy-ticks"
#   cpu.sh diff BEFORE AFTER [RATE]          CPU seconds and cores used between two snapshots (and CPU µs per
#                                             request at RATE requests per second), by
#                                             process kind; the rest of the machine is busy minus the sandbox
set -euo pipefail

case "$1" in
  snapshot)
    prefix="$2"; host="$3"
    pids="$host"
    for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix" || true); do
      pids="$pids $(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')"
    done
    # One awk reads the clock, the machine's counters and every process's, so the snapshot is one instant; a
    # process that has exited since it was listed is skipped (getline returns -1 where a file argument would stop awk).
    awk -v pids="$pids" 'BEGIN {
        getline line < "/proc/uptime"; split(line, f, " "); print "uptime", f[1]
        while ((getline line < "/proc/stat") > 0) if (line ~ /^cpu /) { split(line, f, " "); print "machine", f[2] + f[3] + f[4] + f[7] + f[8] }
        n = split(pids, list, " ")
        for (i = 1; i <= n; i++) {
          if ((getline line < ("/proc/" list[i] "/stat")) <= 0) continue
          comm = line; sub(/^[0-9]+ \(/, "", comm); sub(/\).*/, "", comm)
          rest = line; sub(/^[^)]*\) /, "", rest); split(rest, f, " ")
          print list[i], comm, f[12] + f[13]
        }
      }'
    ;;
  diff)
    before="$2"; after="$3"; rate="${4:-0}"
    hz="$(getconf CLK_TCK)"
    awk -v hz="$hz" -v rate="$rate" '
      NR == FNR { if ($1 == "machine") machine0 = $2; else if ($1 == "uptime") uptime0 = $2; else start[$1] = $3; next }
      $1 == "machine" { machine = $2 - machine0; next }
      $1 == "uptime" { seconds = $2 - uptime0; next }
      {
        used = $3 - (($1 in start) ? start[$1] : 0)
        kind = ($2 == "cloister") ? "stack host (gateway, tables, DNS, Runtime API)" : ($2 == "bootstrap") ? "function environments" : $2
        if ($2 == "bootstrap" && used > 0) environments++
        cpu[kind] += used; sandbox += used
      }
      function line(name, ticks,   per) {
        per = "-"
        if (rate > 0) per = sprintf("%.0f", ticks / hz / seconds / rate * 1e6)
        printf("  %-50s %8.2f %6.2f %10s\n", name, ticks / hz, ticks / hz / seconds, per)
      }
      END {
        printf "  %-50s %8s %6s %10s   (over %.1f s)\n", "process", "CPU s", "cores", "µs/request", seconds
        for (kind in cpu) line(kind (kind == "function environments" ? " (" environments ")" : ""), cpu[kind])
        line("sandbox, all", sandbox)
        line("rest of the machine (other work, kernel threads)", machine - sandbox)
        line("machine, all", machine)
      }' "$before" "$after"
    ;;
  *) echo "usage: cpu.sh snapshot PREFIX HOST_PID | cpu.sh diff BEFORE AFTER" >&2; exit 2 ;;
esac
