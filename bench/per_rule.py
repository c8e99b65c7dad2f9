#!/usr/bin/env python3
"""What each rule of a pack costs alone: the `rules` part of `mayak scan --timings` for a
pack of that one rule, and (with --split) for the same rule with its condition made false,
so that nothing is rendered — the rule's deciding part; the difference is rendering its
findings.

    python3 bench/per_rule.py SNAPSHOT [--rules rules] [--mayak .build/release/mayak] [--runs 5] [--split]

Reruns from the binary cache (the first run writes it). Medians, because the machines are
shared and noisy. A rule that reads other rules' alerts (multiple-indicators) finds none alone.
"""
import argparse, glob, os, re, shutil, statistics, subprocess, sys, tempfile


def rules_time(mayak, snapshot, pack, env):
    p = subprocess.run([mayak, "scan", snapshot, "--rules", pack, "--format", "table", "--out", os.devnull, "--timings"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"mayak failed on {pack}: {p.stderr}")
    m = re.search(r"rules ([0-9.]+) s", p.stderr)
    if not m:
        sys.exit(f"no timings from mayak: {p.stderr}")
    return float(m.group(1))


def one_rule_pack(rule_file, version_file, folder, decide_only):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(os.path.join(folder, "core"))
    shutil.copy(version_file, folder)
    text = open(rule_file, encoding="utf-8").read().split("\ntests:")[0] + "\n"
    if decide_only:
        # The same work, then false: `(condition) and as_of < date("2000-01-01")`.
        text, n = re.subn(r"^when: (.*)$", r'when: (\1) and as_of < date("2000-01-01")', text, count=1, flags=re.M)
        if n != 1:
            sys.exit(f"{rule_file}: no one-line `when:` to make false")
    with open(os.path.join(folder, "core", os.path.basename(rule_file)), "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("snapshot")
    ap.add_argument("--rules", default="rules")
    ap.add_argument("--mayak", default=".build/release/mayak")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--split", action="store_true", help="also time each rule with its condition made false")
    a = ap.parse_args()
    version = os.path.join(a.rules, "VERSION")
    files = sorted(glob.glob(os.path.join(a.rules, "**", "*.yaml"), recursive=True))
    if not files or not os.path.exists(version):
        sys.exit(f"{a.rules}: no rules (*.yaml and VERSION expected)")
    with tempfile.TemporaryDirectory(prefix="mayak-per-rule-") as tmp:
        env = dict(os.environ)
        env.setdefault("MAYAK_CACHE_DIR", os.path.join(tmp, "cache"))
        pack = os.path.join(tmp, "pack")
        print(f"{'rule':28s} {'alone':>8s}" + (f" {'deciding':>9s} {'rendering':>10s}" if a.split else ""))
        for rule in files:
            name = os.path.splitext(os.path.basename(rule))[0]
            times = {}
            for decide_only in ([False, True] if a.split else [False]):
                one_rule_pack(rule, version, pack, decide_only)
                rules_time(a.mayak, a.snapshot, pack, env)  # the cache, and warm pages
                times[decide_only] = statistics.median(rules_time(a.mayak, a.snapshot, pack, env) for _ in range(a.runs))
            line = f"{name:28s} {times[False]:8.3f}"
            if a.split:
                line += f" {times[True]:9.3f} {times[False] - times[True]:10.3f}"
            print(line)


if __name__ == "__main__":
    main()
