#!/usr/bin/env bash
# amiboot's own resident memory while `amiboot start` supervises 8 job workers (issue #4).
#
#   bench/supervise-rss.sh [FLAGSET ...]
#   DURATION=5 bench/supervise-rss.sh '-XX:+UseSerialGC'             a quick smoke test
#   ROUNDS=3 bench/supervise-rss.sh '' '-XX:+UseSerialGC' 'MALLOC_ARENA_MAX=2 -XX:+UseSerialGC -Xmx64m'
#   REPO=big bench/supervise-rss.sh '-XX:+UseSerialGC -Xmx64m'      boot from the big repository
#
# Each FLAGSET is one argument: JVM flags for the `amiboot start` process, optionally preceded by
# environment variables (NAME=value words, such as MALLOC_ARENA_MAX=2). '' means the JVM's
# defaults. Without arguments, the flag sets of BENCHMARKS.md (issue #4) are compared, 12 of
# them: about 13 minutes per round (one uses -XX:TrimNativeHeapInterval, which JDK 17 updates
# older than late 2023 do not know).
#
# Per flag set and round: `amiboot start` boots a role whose run: command (a shell loop writing
# a line every second) is supervised in 8 copies, from a fresh deploy_to, with the local metadata
# stand-in. Once it prints "supervising (pid N)", VmRSS of that one process (not its workers) is
# read from /proc/N/status every second for DURATION seconds; then VmHWM (the peak since the
# JVM started, the boot included). Then `amiboot stop` (default JVM flags), which must leave the
# start process exiting 0. The flag sets run one after the other, never at the same time;
# with ROUNDS > 1 they are interleaved (round 2 runs them in reverse order, and so on).
#
# Settings (environment):
#   DURATION=60   seconds of sampling per run (not SECONDS: bash counts that one up by itself)
#   ROUNDS=1      rounds over all flag sets
#   REPO=small    small: the example app (examples/smallpayroll) over file://
#                 big:   bench/make-repo.py's repository (5,040 files, 35 MB pack) over git://
#                        from `git daemon` on 127.0.0.1:PORT: a fresh clone of a big repository
#                        during the boot, as on a real box; VmHWM then shows its peak
#   PORT=19419    git daemon's port (REPO=big)
#   KEEP=1        keep the work directory (logs, configs, samples)
#
# Prints one table row per run, in MiB: VmRSS when "supervising" was printed, the largest and the
# last sample, VmHWM; then the wall time from launching the JVM to "supervising" (the boot), the
# boot's deploy step (from state.json), the CPU time amiboot used while sampled, how many of the 8
# workers were alive at the end, and the exit code of `amiboot start` after stop. Exits 1 if any
# run failed these checks.
# Needs java 17, git, python3 (REPO=big) and /proc. Builds the jar only when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
repo_root=$(pwd)

duration=${DURATION:-60}
rounds=${ROUNDS:-1}
repo_kind=${REPO:-small}
port=${PORT:-19419}
workers=8
case "$repo_kind" in small|big) ;; *) echo "supervise-rss.sh: REPO is small or big, not $repo_kind" >&2; exit 64 ;; esac
[ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ] && { sed -n '2,38p' "$0"; exit 0; }

if [ $# -gt 0 ]; then
  sets=("$@")
else
  chosen='-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms16m -Xmx128m -Xmn4m -XX:SoftRefLRUPolicyMSPerMB=0'
  sets=(
    ''                                                                # the JVM's defaults on this box
    '-XX:+UseSerialGC'                                                # shipped before issue #4
    '-XX:+UseSerialGC -XX:MaxRAM=1740m -XX:ActiveProcessorCount=1'     # the same, sized as on an m1.small
    '-XX:+UseSerialGC -XX:TieredStopAtLevel=1'
    '-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=64m -XX:CICompilerCount=1'
    '-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx32m'
    "$chosen"                                                         # shipped: init.d/amiboot, amiboot.service
    "MALLOC_ARENA_MAX=2 $chosen"
    "MALLOC_ARENA_MAX=2 $chosen -XX:TrimNativeHeapInterval=10000"
    "MALLOC_ARENA_MAX=2 $chosen -Xshare:off"
    'MALLOC_ARENA_MAX=2 -XX:+UseG1GC -XX:TieredStopAtLevel=1 -Xms16m -Xmx128m -XX:G1PeriodicGCInterval=15000 -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10'
    'MALLOC_ARENA_MAX=2 -XX:+UseSerialGC -Xint -Xms16m -Xmx128m -Xmn4m'  # no JIT at all: a floor, not a choice
  )
fi

for tool in java git; do
  command -v $tool >/dev/null || { echo "supervise-rss.sh: $tool is needed" >&2; exit 69; }
done
[ -r /proc/self/status ] || { echo "supervise-rss.sh: /proc is needed" >&2; exit 69; }

jar=$repo_root/packaging/target/amiboot.jar
if [ ! -f "$jar" ]; then
  echo "== building $jar"
  mvn -B -q -DskipTests package
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/amiboot-rss.XXXXXX")
pids=()
running=   # the amiboot start under measurement: SIGTERM stops its workers too
cleanup() {
  if [ -n "$running" ] && kill -0 "$running" 2>/dev/null; then kill "$running"; wait "$running" || true; fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ "${KEEP:-}" = 1 ]; then echo "== kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The repository every run deploys from.
if [ "$repo_kind" = small ]; then
  cp -r examples/smallpayroll "$work/app-src"
  git -C "$work/app-src" init -q -b main
  git -C "$work/app-src" add -A
  git -C "$work/app-src" -c user.name=bench -c user.email=bench@example.com commit -q -m "SmallPayroll example"
  url=file://$work/app-src
else
  command -v python3 >/dev/null || { echo "supervise-rss.sh: python3 is needed for REPO=big" >&2; exit 69; }
  echo "== making the repository (bench/make-repo.py)"
  mkdir -p "$work/served"
  python3 bench/make-repo.py init "$work/served/repo.git"
  git daemon --export-all --base-path="$work/served" --listen=127.0.0.1 --port="$port" --reuseaddr \
    >"$work/daemon.log" 2>&1 &
  pids+=($!)
  url=git://127.0.0.1:$port/repo.git
  for _ in $(seq 1 50); do git ls-remote "$url" >/dev/null 2>&1 && break; sleep 0.1; done
fi

# The metadata stand-in, shared by every run.
java -cp "$jar" amiboot.simulate.ImdsStandIn --instance-type m1.large --user-data 'ROLE=job' >"$work/imds.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q '^endpoint ' "$work/imds.out" 2>/dev/null && break; sleep 0.1; done
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$(sed -n 's/^endpoint //p' "$work/imds.out")
[ -n "$AWS_EC2_METADATA_SERVICE_ENDPOINT" ] || { cat "$work/imds.out" >&2; exit 1; }

write_config() { # $1 = run dir
  cat >"$1/amiboot.yml" <<YAML
deploy_to: $1/deploy
repository: { type: git, url: "$url" }
hosts_file: $1/hosts
state_dir: $1/state
roles:
  job:
    workers: { count: $workers }
    run: [sh, -c, "while :; do echo worker \$WORKER_INDEX; sleep 1; done"]
    stop_timeout: 5s
YAML
  echo "127.0.0.1 localhost" >"$1/hosts"
}

kb() { # $1 = field, $2 = pid: the field of /proc/PID/status in kB, empty once the process is gone
  sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$2/status" 2>/dev/null || true
}
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
cpu_ticks() { # $1 = pid: user + system CPU time so far, in clock ticks (fields 14 and 15 of stat)
  sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}
hz=$(getconf CLK_TCK)
failures=0

rows=$work/rows
: >"$rows"

run_one() { # $1 = round, $2 = index of the flag set
  local round=$1 index=$2 set=${sets[$2]} dir envs=() opts=() word
  dir=$(mktemp -d "$work/run.XXXXXX")
  write_config "$dir"
  for word in $set; do
    if [[ $word =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then envs+=("$word"); else opts+=("$word"); fi
  done

  local started=$(date +%s%3N)
  env "${envs[@]}" java "${opts[@]}" -jar "$jar" start --config "$dir/amiboot.yml" >"$dir/start.out" 2>&1 &
  local pid=$!   # env execs java: the same process
  running=$pid
  local up=false
  for _ in $(seq 1 1800); do
    grep -q '^supervising (pid ' "$dir/start.out" && { up=true; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  local boot_ms=$(( $(date +%s%3N) - started ))
  if ! $up; then
    echo "supervise-rss.sh: amiboot start did not reach 'supervising' with [$set]:" >&2
    cat "$dir/start.out" >&2
    kill "$pid" 2>/dev/null || true
    exit 1
  fi
  local said
  said=$(sed -n 's/^supervising (pid \([0-9]*\)).*/\1/p' "$dir/start.out")
  [ "$said" = "$pid" ] || { echo "supervise-rss.sh: supervising pid $said, started $pid" >&2; exit 1; }

  local deploy_s=-   # the boot's deploy step, from state.json
  if command -v python3 >/dev/null && [ -f "$dir/state/state.json" ]; then
    deploy_s=$(python3 -c 'import json, sys
ms = [s["duration_ms"] for s in json.load(open(sys.argv[1]))["steps"] if s["step"] == "deploy"]
print("%.2f" % (ms[0] / 1000) if ms else "-")' "$dir/state/state.json")
  fi

  local first max last rss t cpu0
  first=$(kb VmRSS "$pid")
  max=$first
  cpu0=$(cpu_ticks "$pid")
  for t in $(seq 1 "$duration"); do
    sleep 1
    rss=$(kb VmRSS "$pid")
    [ -n "$rss" ] || { echo "supervise-rss.sh: amiboot start died:" >&2; cat "$dir/start.out" >&2; exit 1; }
    echo "$t $rss" >>"$dir/samples"
    [ "$rss" -gt "$max" ] && max=$rss
    last=$rss
  done
  local hwm alive=0 f cpu
  hwm=$(kb VmHWM "$pid")
  cpu=$(awk -v t=$(( $(cpu_ticks "$pid") - cpu0 )) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }')
  for f in "$dir"/deploy/shared/tmp/pids/*.pid; do
    [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && alive=$((alive + 1))
  done

  java -jar "$jar" stop --config "$dir/amiboot.yml" >"$dir/stop.out" 2>&1 || {
    echo "supervise-rss.sh: amiboot stop failed:" >&2; cat "$dir/stop.out" >&2; }
  local code=0
  wait "$pid" || code=$?
  running=
  if [ "$code" -ne 0 ]; then
    echo "supervise-rss.sh: amiboot start exited $code after stop:" >&2; tail -5 "$dir/start.out" >&2
    failures=$((failures + 1))
  fi
  if [ "$alive" -ne "$workers" ]; then
    echo "supervise-rss.sh: only $alive of $workers workers were alive at the end [$set]" >&2
    failures=$((failures + 1))
  fi

  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$index" "$round" "$(mb "$first")" "$(mb "$max")" "$(mb "$last")" \
    "$(mb "$hwm")" "$(awk -v m="$boot_ms" 'BEGIN { printf "%.1f", m / 1000 }')" "$deploy_s" "$cpu" "$alive" "$code" >>"$rows"
  echo "   round $round: [${set:-(JVM defaults)}] max $(mb "$max") MB, final $(mb "$last") MB, VmHWM $(mb "$hwm") MB"
  [ "${KEEP:-}" = 1 ] || rm -rf "$dir"
}

echo "== ${#sets[@]} flag sets, $rounds round(s), ${duration} s each, $workers workers, repository: $repo_kind"
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order=$(seq 0 $((${#sets[@]} - 1)))
  else order=$(seq $((${#sets[@]} - 1)) -1 0); fi
  for i in $order; do run_one "$round" "$i"; done
done

echo
echo "amiboot start, $workers workers, ${duration} s, repository $repo_kind: RSS of the amiboot process (MiB)"
echo
echo "| flags | round | at start | max | final | VmHWM | to supervising | deploy | CPU | workers | exit |"
echo "|-------|------:|---------:|----:|------:|------:|---------------:|-------:|----:|--------:|-----:|"
for i in "${!sets[@]}"; do   # grouped by flag set, in the order given
  set=${sets[i]}
  awk -F'\t' -v i="$i" -v s="${set:-(JVM defaults)}" '$1 == i {
    printf "| `%s` | %s | %s | %s | %s | %s | %s s | %s s | %s s | %s | %s |\n", s, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' "$rows"
done
[ "$failures" -eq 0 ] || { echo "supervise-rss.sh: $failures check(s) failed (see above)" >&2; exit 1; }
