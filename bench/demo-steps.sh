#!/usr/bin/env bash
# Runs the demo N times (a cold JVM each time) and prints each boot step's median duration.
# Usage: bench/demo-steps.sh [N]     (default 5; ROLE/TYPE as for demo.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=$(mktemp)
for i in $(seq 1 "$runs"); do
  ./demo.sh 2>&1 | awk '/^== amiboot (boot|simulate)/{b=1; next} b && /^(lock|metadata|config|hosts|deploy|start|health|register|record) /{print $1, $3} b && /^(boot|simulate) ok in/{print "total", $4; b=0}' >> "$out"
done
echo "steps of the boot (amiboot simulate since issue #5) in ./demo.sh (role ${ROLE:-app}, ${TYPE:-m1.small}), median of $runs runs, $(nproc) cores:"
for step in lock metadata config hosts deploy start health register record total; do
  grep "^$step " "$out" | awk '{gsub(/s[:,]?$/, "", $2); print $2}' | sort -n | awk -v s="$step" '{a[NR]=$1} END {if (NR) printf "  %-9s %6.2f s  (min %.2f, max %.2f)\n", s, a[int((NR+1)/2)], a[1], a[NR]}'
done
rm -f "$out"
