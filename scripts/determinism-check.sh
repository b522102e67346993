#!/usr/bin/env bash
# Runs one scenario with the built CLI B×P times (P processes at once) and counts the distinct
# probes.csv hashes: one hash means run-to-run identical bytes. Extra arguments go to node
# (e.g. --no-maglev, --no-concurrent-recompilation). docs/testing.md, "Run-to-run bytes under
# concurrent compilation", records what it found.
# Usage: scripts/determinism-check.sh SCENARIO [B] [P] [node flags…]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scenario=$1; batches=${2:-10}; procs=${3:-6}; shift $(( $# < 3 ? $# : 3 ))
out=$(mktemp -d)
for b in $(seq 1 "$batches"); do
  for i in $(seq 1 "$procs"); do node "$@" "$root/dist/cli/main.js" run "$scenario" --out "$out/$b-$i" --quiet >/dev/null & done
  wait
done
for f in "$out"/*/*/*/probes.csv; do md5sum < "$f" | cut -c1-8; done | sort | uniq -c
rm -rf "$out"
