#!/usr/bin/env python3
"""The timed part of bench/svn-deploy.sh: interleaved rounds, medians, ratios.

  svn-rounds.py --jar JAR --url svn://.../repo/trunk [--rounds N] DIR...

Needs AWS_EC2_METADATA_SERVICE_ENDPOINT (the metadata stand-in) in the environment.
AMIBOOT_JAVA_OPTS, if set, is passed to amiboot's JVM (e.g. "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC").
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time

CONFIG = """deploy_to: {root}/deploy
repository:
  type: svn
  url: {url}
  revision: {revision}
hosts_file: {root}/hosts
state_dir: {root}/state
roles:
  job:
    start: [/bin/true]
"""


def timed(command, cpu=None):
    """Wall seconds of the command; its CPU seconds (user + system) are appended to {@code cpu}."""
    subprocess.run(["sync"], check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def boot(jar, root, url, revision, cpu):
    """Returns (deploy step seconds, whole run seconds); the run's CPU seconds go to {@code cpu}."""
    config = os.path.join(root, "amiboot.yml")
    with open(config, "w") as f:
        f.write(CONFIG.format(root=root, url=url, revision=revision))
    java = ["java"] + os.environ.get("AMIBOOT_JAVA_OPTS", "").split()
    wall = timed(java + ["-jar", jar, "boot", "--config", config], cpu)
    with open(os.path.join(root, "state", "state.json")) as f:
        state = json.load(f)
    deploy = next(s for s in state["steps"] if s["step"] == "deploy")
    return deploy["duration_ms"] / 1000.0, wall


def check(root):
    """The redeployed release is svn's export of r2 (plus REVISION), and shares its unchanged files with r1's."""
    release = os.path.realpath(os.path.join(root, "deploy", "current"))
    subprocess.run(["diff", "-rq", "--no-dereference", "-x", "REVISION", release, os.path.join(root, "export2")], check=True)
    files = shared = 0
    for dirpath, _, names in os.walk(release):
        for name in names:
            st = os.lstat(os.path.join(dirpath, name))
            files += 1
            shared += st.st_nlink > 1
    if shared < files - 100:
        raise SystemExit("redeploy shared only %d of %d files with the previous release" % (shared, files))


def one_round(jar, url, base, results):
    root = tempfile.mkdtemp(prefix="svnbench.", dir=base)
    r = results
    try:
        shutil.copy("/etc/hosts", os.path.join(root, "hosts"))
        step, wall = boot(jar, root, url, 1, r["amiboot fresh, whole run: CPU"])
        r["amiboot fresh (deploy step)"].append(step)
        r["amiboot fresh (whole run)"].append(wall)
        r["svn export @1"].append(timed(["svn", "export", "-q", url + "@1", os.path.join(root, "export1")], r["svn export @1: CPU"]))
        step, wall = boot(jar, root, url, 2, r["amiboot redeploy, whole run: CPU"])
        r["amiboot redeploy (deploy step)"].append(step)
        r["amiboot redeploy (whole run)"].append(wall)
        r["svn export @2"].append(timed(["svn", "export", "-q", url + "@2", os.path.join(root, "export2")], r["svn export @2: CPU"]))
        check(root)
        subprocess.run(["svn", "checkout", "-q", "-r", "1", url, os.path.join(root, "wc")], check=True)
        r["svn update 1->2"].append(timed(["svn", "update", "-q", "-r", "2", os.path.join(root, "wc")]))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def summary(values):
    return "%.2f s (%.2f-%.2f)" % (statistics.median(values), min(values), max(values)) if values else "-"


def report(base, results, rounds):
    median = {k: statistics.median(v) for k, v in results.items()}
    flags = os.environ.get("AMIBOOT_JAVA_OPTS", "")
    print("\n%s, median of %d (min-max)%s:\n" % (base, rounds, ", amiboot with " + flags if flags else ""))
    print("| case | time |")
    print("|------|-----:|")
    for name, values in results.items():
        print("| %s | %s |" % (name, summary(values)))
    print("\n| ratio (target: within 2x) | |")
    print("|------|-----:|")
    pairs = [("fresh: amiboot deploy step / svn export @1", "amiboot fresh (deploy step)", "svn export @1"),
             ("fresh: amiboot whole run / svn export @1", "amiboot fresh (whole run)", "svn export @1"),
             ("redeploy: amiboot deploy step / svn export @2", "amiboot redeploy (deploy step)", "svn export @2"),
             ("redeploy: amiboot deploy step / svn update", "amiboot redeploy (deploy step)", "svn update 1->2"),
             ("redeploy: amiboot whole run / svn export @2", "amiboot redeploy (whole run)", "svn export @2")]
    for label, a, b in pairs:
        print("| %s | %.2fx |" % (label, median[a] / median[b]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args()
    names = ["amiboot fresh (deploy step)", "amiboot fresh (whole run)", "svn export @1",
             "amiboot redeploy (deploy step)", "amiboot redeploy (whole run)", "svn export @2", "svn update 1->2",
             "amiboot fresh, whole run: CPU", "svn export @1: CPU", "amiboot redeploy, whole run: CPU", "svn export @2: CPU"]
    results = {base: {n: [] for n in names} for base in args.dirs}
    for r in range(args.rounds):
        for base in args.dirs:
            one_round(args.jar, args.url, base, results[base])
        print("round %d/%d done" % (r + 1, args.rounds), flush=True)
    for base in args.dirs:
        report(base, results[base], args.rounds)


if __name__ == "__main__":
    main()
