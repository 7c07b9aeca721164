#!/usr/bin/env python3
"""Builds the benchmark's git repository: about 5,000 files and 60 MB in the work tree, 200 commits.

  bench/make-repo.py init DIR      a bare repository at DIR (deterministic: same bytes every time)
  bench/make-repo.py commit DIR    one more commit on main: 10 new files, 15 files edited

The first commit has 3,000 text files; each later one adds 10 and edits 15; every 5th adds a
500 kB binary (40 in all). Text files are ~8 kB of words. Written through `git fast-import`,
then repacked into one pack, as a hosted repository would serve it.
"""
import os
import random
import subprocess
import sys

WORDS = ("amiboot deploy release payroll employee invoice ledger account balance period tax "
         "salary bonus cheque report worker server health load balancer region zone instance "
         "metadata revision branch shared current rollback drain register").split()


def text(rng, size=8000):
    out, n = [], 0
    while n < size:
        line = " ".join(rng.choice(WORDS) for _ in range(12)) + "\n"
        out.append(line)
        n += len(line)
    return "".join(out).encode()


def blob(data):
    return b"data %d\n%s\n" % (len(data), data)


def commit(stream, number, files, parent, message):
    """parent: start from the branch as it is in the repository (a new fast-import stream);
    within one stream, fast-import chains the commits of a branch by itself."""
    stream.write(b"commit refs/heads/main\n")
    stream.write(b"author Bench <bench@example.com> %d +0000\n" % (1700000000 + number * 60))
    stream.write(b"committer Bench <bench@example.com> %d +0000\n" % (1700000000 + number * 60))
    stream.write(blob(message.encode()))
    if parent:
        stream.write(b"from refs/heads/main^0\n")
    for path, data in files:
        stream.write(b"M 100644 inline %s\n" % path.encode())
        stream.write(blob(data))


def tracked(repo):
    out = subprocess.run(["git", "--git-dir", repo, "ls-tree", "-r", "--name-only", "main"],
                         check=True, capture_output=True, text=True).stdout
    return [p for p in out.splitlines() if p.endswith(".txt")]


def changes(rng, number, paths):
    new = [("app/module%03d/file%05d.txt" % (number % 100, 3000 + number * 10 + i), text(rng)) for i in range(10)]
    edited = [(p, text(rng)) for p in rng.sample(paths, min(15, len(paths)))]
    binary = [("assets/blob%03d.bin" % number, rng.randbytes(500_000))] if number % 5 == 0 else []
    paths.extend(p for p, _ in new)
    return new + edited + binary


def init(repo, commits=200):
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", repo], check=True)
    rng = random.Random(42)
    fast_import = subprocess.Popen(["git", "--git-dir", repo, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    first = [("app/module%03d/file%05d.txt" % (i % 100, i), text(rng)) for i in range(3000)]
    commit(fast_import.stdin, 0, first, False, "first commit")
    paths = [p for p, _ in first]
    for number in range(1, commits):
        commit(fast_import.stdin, number, changes(rng, number, paths), False, "commit %d" % number)
    fast_import.stdin.close()
    if fast_import.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "--git-dir", repo, "repack", "-adq"], check=True)


def one_more(repo):
    number = int(subprocess.run(["git", "--git-dir", repo, "rev-list", "--count", "main"],
                                check=True, capture_output=True, text=True).stdout)
    rng = random.Random(number)
    fast_import = subprocess.Popen(["git", "--git-dir", repo, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    commit(fast_import.stdin, number, changes(rng, number, tracked(repo)), True, "commit %d" % number)
    fast_import.stdin.close()
    if fast_import.wait() != 0:
        sys.exit("git fast-import failed")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("init", "commit"):
        sys.exit(__doc__)
    (init if sys.argv[1] == "init" else one_more)(os.path.abspath(sys.argv[2]))
