#!/usr/bin/env bash
# What the root/user boundary costs a deploy: `amiboot deploy` of the SmallPayroll example as root,
# alternately with `user:` (the work under deploy_to in a JVM of that user's) and without (in
# amiboot's own JVM), N rounds each, side by side. Prints the median of the deploy step (the
# build) and of the whole run. Needs root and an unprivileged account (AMIBOOT_BENCH_USER,
# default amiboot-test, which .ci/run creates). Usage: bench/as-user.sh [N]   (default 8)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-8}
user=${AMIBOOT_BENCH_USER:-amiboot-test}
[ "$(id -u)" = 0 ] || { echo "as-user.sh: needs root" >&2; exit 64; }
id "$user" >/dev/null 2>&1 || { echo "as-user.sh: no account $user" >&2; exit 64; }
jar=packaging/target/amiboot.jar
[ -f "$jar" ] || mvn -B -q -DskipTests package
root=$(mktemp -d /tmp/amiboot-bench-as-user.XXXXXX)
chmod 755 "$root"
trap 'kill $imds_pid 2>/dev/null || true; pkill -f "$root" 2>/dev/null || true; rm -rf "$root"' EXIT

cp -r examples/smallpayroll "$root/src"
git -C "$root/src" init -q && git -C "$root/src" add -A
git -C "$root/src" -c user.name=b -c user.email=b@example.com commit -q -m v1
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -cp "$jar" amiboot.simulate.ImdsStandIn --instance-type m1.small --user-data "DB=10.126.17.1;ROLE=app" \
  > "$root/imds.out" 2>&1 &
imds_pid=$!
for _ in $(seq 1 100); do grep -q '^endpoint ' "$root/imds.out" 2>/dev/null && break; sleep 0.1; done
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$(sed -n 's/^endpoint //p' "$root/imds.out")

config() { # $1: box dir, $2: the user line or ""
  mkdir -p "$1/home/payroll/shared/config" "$1/etc"
  echo "production: {}" > "$1/home/payroll/shared/config/database.yml"
  printf '127.0.0.1 localhost\n' > "$1/etc/hosts"
  cat > "$1/amiboot.yml" <<YAML
$2
deploy_to: $1/home/payroll
repository: { type: git, url: "file://$root/src" }
hosts_file: $1/etc/hosts
state_dir: $1/state
shared: { dirs: [log, tmp/pids], files: [config/database.yml] }
hosts:
  dbhost: \${DB}
role_from: ROLE
roles:
  app:
    start: ["\${current}/script/server", start, -p, "$port"]
    stop: ["\${current}/script/server", stop]
    health: { url: "http://127.0.0.1:$port/", expect: welcome, timeout: 60s }
YAML
}
config "$root/as-user" "user: $user"
config "$root/as-root" ""
run() { java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$jar" "$@"; }
for box in as-user as-root; do run boot --config "$root/$box/amiboot.yml" >/dev/null; run stop --config "$root/$box/amiboot.yml" >/dev/null; done

for i in $(seq 1 "$rounds"); do
  git -C "$root/src" -c user.name=b -c user.email=b@example.com commit -q --allow-empty -m "round $i"
  for box in as-user as-root; do
    run boot --config "$root/$box/amiboot.yml" > "$root/$box.out"
    awk -v b="$box" '/^deploy /{d=$3} /^boot ok in/{t=$4} END {gsub(/s[:,]?$/, "", d); gsub(/s[:,]?$/, "", t); print b, d, t}' \
      "$root/$box.out" >> "$root/times"
    run stop --config "$root/$box/amiboot.yml" >/dev/null
  done
done
echo "amiboot deploy of the SmallPayroll example, as root, median of $rounds rounds, $(nproc) cores:"
for box in as-user as-root; do
  for col in 2 3; do
    grep "^$box " "$root/times" | awk -v c="$col" '{print $c}' | sort -n | awk -v b="$box" -v c="$col" \
      '{a[NR]=$1} END {printf "  %-8s %-12s %5.2f s (min %.2f, max %.2f)\n", b, (c==2?"deploy step":"whole boot"), a[int((NR+1)/2)], a[1], a[NR]}'
  done
done
