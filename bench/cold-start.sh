#!/usr/bin/env bash
# Cold start (issue #5): `amiboot --version` and `amiboot plan`, each beside `java -version` (the
# floor: a JVM that starts and exits) in the same run.
#
#   bench/cold-start.sh            10 rounds
#   ROUNDS=20 bench/cold-start.sh
#   KEEP=1 bench/cold-start.sh     keep the work directory (config, archive, raw samples)
#   AGAINST=/path/to/older/amiboot.jar bench/cold-start.sh
#                                  also times plan with that jar (shipped flags, and the launcher
#                                  with its own archive), interleaved with the others: a change's
#                                  effect, side by side in one run
#
# Per round, interleaved, each a new JVM (the OS's page cache stays warm, as on a box that has
# just read the jar; a boot from a cold EBS volume adds its reads to every case alike):
#   java -version                               the floor, with the JVM's defaults
#   --version / plan, defaults                  java -jar amiboot.jar, no flags
#   --version / plan, shipped flags             java $JAVA_OPTS -jar amiboot.jar (the init script's default)
#   --version / plan, launcher                  packaging/bin/amiboot, as /usr/bin/amiboot runs it: the
#                                               shipped flags, and for plan the light class-data archive
#                                               it built on its first run (not counted; --version runs
#                                               without an archive, which costs it more than it saves)
# `plan` reads a local metadata stand-in (IMDSv2 over HTTP on 127.0.0.1, its own JVM, started
# once) and checks a git repository over file://, as a dry run of the README's example does.
#
# Prints, per case, the wall-clock median, min and max in ms, the ratio of the median to the
# floor's, and the median peak RSS (VmHWM, from /usr/bin/time) in MB.
# Needs java 17, git, GNU time (/usr/bin/time). Builds the jar only when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ] && { sed -n '2,26p' "$0"; exit 0; }
rounds=${ROUNDS:-10}

for tool in java git /usr/bin/time; do
  command -v $tool >/dev/null || { echo "cold-start.sh: $tool is needed" >&2; exit 69; }
done
jar=$PWD/packaging/target/amiboot.jar
launcher=$PWD/packaging/bin/amiboot
if [ ! -f "$jar" ]; then
  echo "== building $jar"
  mvn -B -q -DskipTests package
fi
shipped=$(sed -n 's/^: "${JAVA_OPTS:=\(.*\)}"$/\1/p' init.d/amiboot)
[ -n "$shipped" ] || { echo "cold-start.sh: cannot read the JAVA_OPTS default of init.d/amiboot" >&2; exit 70; }

work=$(mktemp -d "${TMPDIR:-/tmp}/amiboot-cold.XXXXXX")
imds=
cleanup() {
  [ -n "$imds" ] && kill "$imds" 2>/dev/null || true
  if [ "${KEEP:-}" = 1 ]; then echo "== kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

cp -r examples/smallpayroll "$work/app-src"
git -C "$work/app-src" init -q -b main
git -C "$work/app-src" add -A
git -C "$work/app-src" -c user.name=bench -c user.email=bench@example.com commit -q -m "SmallPayroll example"
printf '127.0.0.1\tlocalhost\n' >"$work/hosts"
cat >"$work/amiboot.yml" <<YAML
deploy_to: $work/deploy
repository: { type: git, url: "file://$work/app-src" }
hosts_file: $work/hosts
state_dir: $work/state
shared: { dirs: [log, tmp/pids] }
hosts: { dbhost: "\${DB}" }
role_from: ROLE
roles:
  app:
    start: ["\${current}/script/server", start]
    stop: ["\${current}/script/server", stop]
    health: { url: "http://127.0.0.1:3000/", expect: welcome }
YAML

java -cp "$jar" amiboot.simulate.ImdsStandIn --instance-type m1.small --user-data 'DB=10.126.17.1;ROLE=app' \
  >"$work/imds.out" 2>&1 &
imds=$!
for _ in $(seq 1 100); do grep -q '^endpoint ' "$work/imds.out" 2>/dev/null && break; sleep 0.1; done
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$(sed -n 's/^endpoint //p' "$work/imds.out")
[ -n "$AWS_EC2_METADATA_SERVICE_ENDPOINT" ] || { cat "$work/imds.out" >&2; exit 1; }

# The launcher's archive, in the work directory; its first run builds it (not measured).
export AMIBOOT_JAR=$jar AMIBOOT_CDS=$work/cds/amiboot.jsa
unset JAVA_OPTS
mkdir -p "$work/cds"
sh "$launcher" --version >/dev/null
[ -s "$AMIBOOT_CDS" ] || { echo "cold-start.sh: the launcher built no archive at $AMIBOOT_CDS" >&2; exit 1; }
echo "== archives: $(du -m "$AMIBOOT_CDS" | cut -f1) MB (boot), $(du -m "$work/cds/amiboot-light.jsa" 2>/dev/null | cut -f1) MB (light:" \
  "plan and the other readers), built by the launcher's first run"

names=(floor version-default version-shipped version-launcher plan-default plan-shipped plan-launcher)
against=${AGAINST:-}
if [ -n "$against" ]; then
  [ -f "$against" ] || { echo "cold-start.sh: AGAINST=$against is not a file" >&2; exit 64; }
  AMIBOOT_JAR=$against AMIBOOT_CDS=$work/cds/against.jsa sh "$launcher" --version >/dev/null
  names+=(plan-shipped-against plan-launcher-against)
  echo "== against $against (archive: $(du -m "$work/cds/against.jsa" | cut -f1) MB)"
fi
run_case() { # $1 = case name; prints nothing, fails on a non-zero exit
  case "$1" in
    floor)           java -version ;;
    version-default) java -jar "$jar" --version ;;
    # shellcheck disable=SC2086
    version-shipped) java $shipped -jar "$jar" --version ;;
    version-launcher)     sh "$launcher" --version ;;
    plan-default)    java -jar "$jar" plan --config "$plan_config" ;;
    # shellcheck disable=SC2086
    plan-shipped)    java $shipped -jar "$jar" plan --config "$plan_config" ;;
    plan-launcher)        sh "$launcher" plan --config "$plan_config" ;;
    # shellcheck disable=SC2086
    plan-shipped-against) java $shipped -jar "$against" plan --config "$plan_config" ;;
    plan-launcher-against) AMIBOOT_JAR=$against AMIBOOT_CDS=$work/cds/against.jsa sh "$launcher" plan --config "$plan_config" ;;
  esac
}
export -f run_case
export jar launcher shipped against work
export plan_config=$work/amiboot.yml

echo "== $rounds rounds of ${#names[@]} cases, interleaved (order reversed every other round)"
for round in $(seq 1 "$rounds"); do
  order=("${names[@]}")
  if [ $((round % 2)) -eq 0 ]; then
    order=(); for ((i = ${#names[@]} - 1; i >= 0; i--)); do order+=("${names[$i]}"); done
  fi
  for name in "${order[@]}"; do
    start=$(date +%s%N)
    if ! /usr/bin/time -f '%M' -o "$work/rss" bash -c "run_case $name" >"$work/out" 2>&1; then
      echo "cold-start.sh: $name failed:" >&2; cat "$work/out" >&2; exit 1
    fi
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000000 )) $(tail -1 "$work/rss")" >>"$work/$name.samples"
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
floor=$(cut -d' ' -f1 "$work/floor.samples" | median)
printf '\n%-22s %8s %6s %6s %7s %8s\n' case median min max ratio "RSS MB"
for name in "${names[@]}"; do
  ms=$(cut -d' ' -f1 "$work/$name.samples")
  med=$(echo "$ms" | median)
  rss=$(cut -d' ' -f2 "$work/$name.samples" | median)
  printf '%-22s %8s %6s %6s %6.2fx %8.1f\n' "$name" "$med" "$(echo "$ms" | sort -n | head -1)" \
    "$(echo "$ms" | sort -n | tail -1)" "$(echo "$med $floor" | awk '{ print $1 / $2 }')" "$(echo "$rss" | awk '{ print $1 / 1024 }')"
done
