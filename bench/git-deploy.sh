#!/usr/bin/env bash
# Deploy from git, fresh vs redeploy (issue #3): amiboot beside native git doing the same work.
#
#   bench/git-deploy.sh [--rounds N] [--dir DIR] [--port P] [--keep]
#
# The repository is bench/make-repo.py's (5,000 files, ~60 MB, 200 commits), served by
# `git daemon` on 127.0.0.1 (git://: a real network transport, as a box would see). Each round,
# in fresh directories, interleaved (the order of amiboot and git alternates between rounds):
#   amiboot fresh     `amiboot boot` into an empty deploy_to: the deploy step's duration_ms from
#                     state.json (and the wall time of the whole run, JVM start included)
#   git fresh         git clone -q --depth 1 git://.../repo.git DIR
#   (upstream gets one more commit: bench/make-repo.py commit, the same commit every round)
#   amiboot redeploy  `amiboot boot` again: the deploy step
#   git redeploy      a bare mirror at the old commit (git clone --mirror, not timed), then
#                     git fetch + git worktree add --detach
# `sync` runs before each timed case. --dir picks the file system (default: a temp dir under
# /tmp; /dev/shm for tmpfs). Prints medians (min-max) and the ratios against the targets.
set -euo pipefail
cd "$(dirname "$0")/.."
repo_root=$(pwd)

rounds=5 base_dir=${TMPDIR:-/tmp} port=19418 keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --dir) base_dir=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "git-deploy.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done
for tool in java git python3; do
  command -v $tool >/dev/null || { echo "git-deploy.sh: $tool is needed" >&2; exit 69; }
done

jar=$repo_root/packaging/target/amiboot.jar
if [ ! -f "$jar" ]; then
  echo "== building $jar"
  mvn -B -q -DskipTests package
fi

work=$(mktemp -d "$base_dir/amiboot-bench.XXXXXX")
results=$work/results.tsv
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if $keep; then echo "== kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

now_ms() { date +%s%3N; }

echo "== making the repository (bench/make-repo.py) in $work"
python3 bench/make-repo.py init "$work/original.git"
mkdir -p "$work/served"

git daemon --export-all --base-path="$work/served" --listen=127.0.0.1 --port="$port" --reuseaddr \
  >"$work/daemon.log" 2>&1 &
pids+=($!)
java -cp "$jar" amiboot.simulate.ImdsStandIn --instance-type m1.small --user-data 'ROLE=job' >"$work/imds.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q '^endpoint ' "$work/imds.out" 2>/dev/null && break; sleep 0.1; done
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$(sed -n 's/^endpoint //p' "$work/imds.out")
url=git://127.0.0.1:$port/repo.git
for _ in $(seq 1 50); do git ls-remote "git://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done

# The upstream as every round starts: 200 commits. Serving a fresh copy each round means every
# round deploys the same two commits.
reset_upstream() {
  rm -rf "$work/served/repo.git"
  cp -a "$work/original.git" "$work/served/repo.git"
}

write_config() { # $1 = round dir
  cat >"$1/amiboot.yml" <<YAML
deploy_to: $1/deploy
repository: { type: git, url: "$url" }
hosts_file: $1/hosts
state_dir: $1/state
shared: { dirs: [log] }
roles:
  job:
    start: [/bin/true]
YAML
  : >"$1/hosts"
}

# amiboot boot; records the deploy step's duration and the whole run's wall time.
amiboot_case() { # $1 = case name, $2 = round, $3 = round dir
  sync
  local start end
  start=$(now_ms)
  java -jar "$jar" boot --config "$3/amiboot.yml" >"$3/$1.out" 2>&1 || { cat "$3/$1.out" >&2; exit 1; }
  end=$(now_ms)
  local deploy_ms
  deploy_ms=$(python3 -c 'import json,sys; print(next(s["duration_ms"] for s in json.load(open(sys.argv[1]))["steps"] if s["step"] == "deploy"))' "$3/state/state.json")
  printf '%s\t%s\t%s\n' "$1" "$2" "$deploy_ms" >>"$results"
  printf '%s-run\t%s\t%s\n' "$1" "$2" "$((end - start))" >>"$results"
}

timed() { # $1 = case name, $2 = round, rest = command
  local name=$1 round=$2
  shift 2
  sync
  local start end
  start=$(now_ms)
  "$@"
  end=$(now_ms)
  printf '%s\t%s\t%s\n' "$name" "$round" "$((end - start))" >>"$results"
}

native_redeploy() { # $1 = mirror, $2 = worktree
  git --git-dir="$1" fetch -q origin '+refs/heads/*:refs/heads/*'
  git --git-dir="$1" worktree add -q --detach "$2" main
}

amiboot_fresh() { amiboot_case "amiboot fresh" "$1" "$2"; }
native_fresh() { timed "git fresh" "$1" git clone -q --depth 1 "$url" "$2/clone"; }
amiboot_redeploy() { amiboot_case "amiboot redeploy" "$1" "$2"; }
git_redeploy() { timed "git redeploy" "$1" native_redeploy "$2/mirror.git" "$2/worktree"; }

: >"$results"
for round in $(seq 1 "$rounds"); do
  dir=$work/round-$round
  mkdir -p "$dir"
  write_config "$dir"
  reset_upstream
  if [ $((round % 2)) -eq 1 ]; then amiboot_fresh "$round" "$dir"; native_fresh "$round" "$dir"
  else native_fresh "$round" "$dir"; amiboot_fresh "$round" "$dir"; fi
  git clone -q --mirror "$url" "$dir/mirror.git"   # the native side's cache, at the old commit: not timed
  python3 bench/make-repo.py commit "$work/served/repo.git"
  if [ $((round % 2)) -eq 1 ]; then amiboot_redeploy "$round" "$dir"; git_redeploy "$round" "$dir"
  else git_redeploy "$round" "$dir"; amiboot_redeploy "$round" "$dir"; fi
  echo "   round $round/$rounds done"
  rm -rf "$dir"
done

python3 - "$results" "$rounds" "$base_dir" <<'PY'
import collections, statistics, sys
results, rounds, where = sys.argv[1], sys.argv[2], sys.argv[3]
ms = collections.defaultdict(list)
for line in open(results):
    case, _, value = line.rstrip("\n").split("\t")
    ms[case].append(int(value))
med = {c: statistics.median(v) for c, v in ms.items()}
def cell(case):
    v = ms[case]
    return "%.2f s (%.2f-%.2f)" % (med[case] / 1000, min(v) / 1000, max(v) / 1000)
print()
print("git deploy, %s rounds, work dir under %s (median, min-max)" % (rounds, where))
print()
print("| case | amiboot deploy step | native git | amiboot / git |")
print("|------|---------------------|------------|---------------|")
for kind in ("fresh", "redeploy"):
    print("| %s | %s | %s | %.2fx |" % (kind, cell("amiboot " + kind), cell("git " + kind),
                                       med["amiboot " + kind] / med["git " + kind]))
print()
print("amiboot whole run (JVM start to exit): fresh %s, redeploy %s" % (cell("amiboot fresh-run"), cell("amiboot redeploy-run")))
fresh_over_redeploy = med["amiboot fresh"] / med["amiboot redeploy"]
print()
print("targets:")
print("  redeploy at least 5x faster than fresh:  amiboot %.1fx  %s   (git: %.1fx)" % (
    fresh_over_redeploy, "met" if fresh_over_redeploy >= 5 else "MISSED", med["git fresh"] / med["git redeploy"]))
for kind in ("fresh", "redeploy"):
    r = med["amiboot " + kind] / med["git " + kind]
    print("  %-8s within 2x of native git:          %.2fx  %s" % (kind, r, "met" if r <= 2 else "MISSED"))
PY
