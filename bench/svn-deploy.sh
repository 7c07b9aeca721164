#!/usr/bin/env bash
# Deploy from Subversion: amiboot (SVNKit) beside the svn command line, fresh and redeploy.
#
#   bench/svn-deploy.sh [ROUNDS] [DIR...]     ROUNDS default 5; DIR: where releases are written
#                                             (default /tmp; e.g. /tmp /dev/shm for disk and tmpfs)
#
# The content is the git benchmark's tree (bench/make-repo.py: 5,029 files, 60 MB): its main
# imported as r1, the extra commit (10 new files, 15 edited) committed as r2. svnserve serves it on
# loopback (anonymous read). Each round, for each DIR, in fresh directories, `sync` before each
# timed case: amiboot boot at r1 into an empty deploy_to (fresh), `svn export @1`, amiboot boot at
# r2 into the same deploy_to (redeploy), `svn export @2`, and `svn update` of an r1 working copy
# to r2. amiboot's numbers are its deploy step (state.json) and the whole run's wall time.
# AMIBOOT_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" passes JVM flags to amiboot.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
shift || true
dirs=("${@:-/tmp}")

for tool in java svn svnadmin svnserve git python3; do
  command -v "$tool" >/dev/null || { echo "svn-deploy: $tool is needed" >&2; exit 69; }
done
jar=packaging/target/amiboot.jar
[ -f "$jar" ] || mvn -B -q -DskipTests package

data=$(mktemp -d /tmp/amiboot-svnbench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$data"
}
trap cleanup EXIT

echo "== repository: $data/svn/repo (r1: the git benchmark's tree, r2: one more commit)"
python3 bench/make-repo.py init "$data/src.git"
mkdir "$data/tree1" "$data/tree2"
git --git-dir="$data/src.git" archive main | tar -x -C "$data/tree1"
python3 bench/make-repo.py commit "$data/src.git"
git --git-dir="$data/src.git" archive main | tar -x -C "$data/tree2"
mkdir -p "$data/svn"
svnadmin create "$data/svn/repo"
svn import -q -m "the benchmark tree" "$data/tree1" "file://$data/svn/repo/trunk"
svn checkout -q "file://$data/svn/repo/trunk" "$data/wc"
cp -a "$data/tree2/." "$data/wc/"
svn add -q --force "$data/wc"
(cd "$data/wc" && svn status | sed -n 's/^!       //p' | xargs -r svn rm -q)
svn commit -q -m "one more commit" "$data/wc"
rm -rf "$data/wc" "$data/tree1" "$data/tree2" "$data/src.git"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
svnserve -d --foreground --listen-host 127.0.0.1 --listen-port "$port" -r "$data/svn" &
pids+=($!)
java -cp "$jar" amiboot.simulate.ImdsStandIn --instance-type m1.small --user-data 'ROLE=job' > "$data/imds.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q '^endpoint ' "$data/imds.out" 2>/dev/null && break; sleep 0.1; done
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$(sed -n 's/^endpoint //p' "$data/imds.out")
svn info "svn://127.0.0.1:$port/repo/trunk" >/dev/null

python3 bench/svn-rounds.py --jar "$jar" --url "svn://127.0.0.1:$port/repo/trunk" --rounds "$rounds" "${dirs[@]}"
