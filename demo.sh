#!/usr/bin/env bash
# The amiboot demo: boot the example SmallPayroll app on this machine, no AWS account needed.
#
# It does what a baker does before baking an image: `amiboot validate` checks the README's config
# with the user-data an instance will get, and `amiboot simulate` rehearses the boot, with the
# instance metadata (m1.small, user-data DB=10.126.17.1;ROLE=app) served in-process and /etc/hosts,
# /home/payroll and /var/lib/amiboot moved into a temp directory. Then it runs what an operator
# runs on a booted instance, with the metadata from a local stand-in over HTTP (IMDSv2).
# What is real: the amiboot jar, the git deploy, the app's processes and the health check. No load
# balancer is configured, so the register step is skipped.
#
#   ./demo.sh                      validate, boot the app role (simulate), show the result,
#                                  redeploy a new commit, list the releases, roll back, stop the app
#   ./demo.sh --keep               leave the app running (stop it with the printed command)
#   ROLE=job TYPE=m1.large ./demo.sh   boot the job role: 8 workers on an m1.large
set -euo pipefail
cd "$(dirname "$0")"
keep=false
[ "${1:-}" = "--keep" ] && keep=true
role=${ROLE:-app}
type=${TYPE:-m1.small}
port=${PORT:-3000}

command -v java >/dev/null || { echo "demo: java 17 is needed" >&2; exit 69; }
command -v git >/dev/null || { echo "demo: git is needed to make the example repository (apt-get install git)" >&2; exit 69; }

jar=packaging/target/amiboot.jar
if [ ! -f "$jar" ] || [ -n "$(find agent/src packaging/pom.xml agent/pom.xml pom.xml -newer "$jar" -print -quit)" ]; then
  echo "== building $jar (mvn -B -q -DskipTests package)"
  mvn -B -q -DskipTests package
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/amiboot-demo.XXXXXX")
echo "== demo root: $root"

# The application's repository: the example app, committed to a fresh git repository.
cp -r examples/smallpayroll "$root/payroll-src"
git -C "$root/payroll-src" init -q -b main
git -C "$root/payroll-src" add -A
git -C "$root/payroll-src" -c user.name=demo -c user.email=demo@example.com commit -q -m "SmallPayroll example"

# The box: a copy of this machine's /etc/hosts, and the shared file the app expects, where
# simulate puts the box's files (deploy_to /home/payroll under the demo root).
mkdir -p "$root/etc/amiboot" "$root/home/payroll/shared/config"
cp /etc/hosts "$root/etc/hosts"
printf 'production:\n  host: dbhost\n' > "$root/home/payroll/shared/config/database.yml"

# The config as the README has it (the SmallPayroll setup, from git), with the box's own paths:
# simulate moves hosts_file, deploy_to and state_dir under the demo root.
cat > "$root/smallpayroll.yml" <<YAML
deploy_to: /home/payroll
repository:
  type: git
  url: file://$root/payroll-src
keep_releases: 5
shared: { dirs: [log, tmp/pids], files: [config/database.yml] }
hosts:
  dbhost: \${DB}
role_from: ROLE
roles:
  app:
    start: ["\${current}/script/server", start, -p, "$port"]
    stop:  ["\${current}/script/server", stop]
    health: { url: "http://127.0.0.1:$port/", expect: welcome, timeout: 1m }
  job:
    workers: { per_ecu: 2, default: 2 }
    start: ["\${current}/script/delayed_job", -n, "\${workers}", start]
    stop:  ["\${current}/script/delayed_job", stop]
    env: { RAILS_ENV: production }
YAML
user_data="DB=10.126.17.1;ROLE=$role"

echo; echo "== amiboot validate (off the box: no metadata service, no repository, nothing written)"
java -jar "$jar" validate --config "$root/smallpayroll.yml" --user-data "$user_data" --instance-type "$type"

echo; echo "== amiboot simulate: the boot of a $type launched with user-data '$user_data'"
status=0
java -jar "$jar" simulate --config "$root/smallpayroll.yml" --user-data "$user_data" --instance-type "$type" \
  --root "$root" || status=$?

# The same config as simulate re-rooted it, for the commands run on a booted box below.
sed -e "s|^deploy_to: .*|deploy_to: $root/home/payroll|" "$root/smallpayroll.yml" > "$root/etc/amiboot/amiboot.yml"
printf 'hosts_file: %s\nstate_dir: %s\n' "$root/etc/hosts" "$root/var/lib/amiboot" >> "$root/etc/amiboot/amiboot.yml"

# From here on the box's own commands run as on an instance: they read the metadata over HTTP,
# from a stand-in (IMDSv2: token required) on a free loopback port.
java -cp "$jar" amiboot.simulate.ImdsStandIn --instance-type "$type" --user-data "$user_data" \
  > "$root/imds.out" 2>&1 &
imds_pid=$!
trap 'kill $imds_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q '^endpoint ' "$root/imds.out" 2>/dev/null && break; sleep 0.1; done
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$(sed -n 's/^endpoint //p' "$root/imds.out")

echo; echo "== what changed"
echo "hosts file:  $(grep -E '(^| )dbhost( |$)' "$root/etc/hosts")"
echo "current ->   $(readlink "$root/home/payroll/current")"
echo "revision:    $(cat "$root/home/payroll/current/REVISION" 2>/dev/null || echo none)"
if [ "$role" = app ] && [ $status -eq 0 ]; then
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  echo "the app:     $(grep -o '<h1>[^<]*</h1>' <&3)"
  exec 3>&-
else
  echo "workers:     $(ls "$root/home/payroll/shared/tmp/pids" 2>/dev/null | wc -l) pid files in shared/tmp/pids"
fi

config="$root/etc/amiboot/amiboot.yml"
if [ $status -eq 0 ]; then
  echo; echo "== the metadata service stand-in at $AWS_EC2_METADATA_SERVICE_ENDPOINT, for the commands on the booted box"
  echo; echo "== a new commit upstream; amiboot plan (dry run), then amiboot deploy"
  echo 2 > "$root/payroll-src/VERSION"
  git -C "$root/payroll-src" add -A
  git -C "$root/payroll-src" -c user.name=demo -c user.email=demo@example.com commit -q -m "version 2"
  java -jar "$jar" plan --config "$config" || status=$?
  java -jar "$jar" deploy --config "$config" || status=$?
  echo; echo "== amiboot releases"
  java -jar "$jar" releases --config "$config"
  echo; echo "== amiboot rollback (to the previous good release)"
  java -jar "$jar" rollback --config "$config" || status=$?
  echo; echo "== amiboot releases"
  java -jar "$jar" releases --config "$config"
  echo; echo "== amiboot status"
  java -jar "$jar" status --config "$config" || status=$?
fi

stop="java -jar $jar stop --config $config"
if $keep; then
  echo; echo "== left running; stop it with: AWS_EC2_METADATA_SERVICE_ENDPOINT=... $stop (while the stand-in runs)"
  echo "   or: $root/home/payroll/current/script/$([ "$role" = job ] && echo delayed_job || echo server) stop"
else
  echo; echo "== amiboot stop"
  $stop || status=$?
  echo; echo "== the demo root is kept for a look: $root"
fi
exit $status
