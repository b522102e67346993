#!/usr/bin/env bash
# Runs the README's test command N times in a row (default 5) while a CPU-bound process spins
# beside it on one core, and prints one line per run: pass/fail, wall seconds, load average.
# docs/testing.md, "Robustness under load", records what it printed.
# Usage: scripts/test-under-load.sh [N] [LOG]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
log=${2:-/tmp/wpsim-test-under-load.log}
node -e 'for (;;) {}' &
hog=$!
trap 'kill $hog 2>/dev/null' EXIT
failed=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  if npm test >"$log.$i" 2>&1; then status=pass; else status=FAIL; failed=$((failed + 1)); fi
  end=$(date +%s)
  summary=$(sed 's/\x1b\[[0-9;]*m//g' "$log.$i" | grep -E '^ +Tests ' | tail -1 | sed 's/^ *//')
  echo "run $i: $status in $((end - start)) s; load average $(cut -d' ' -f1-3 /proc/loadavg); $summary" | tee -a "$log"
done
exit $((failed > 0))
