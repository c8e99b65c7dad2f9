#!/usr/bin/env python3
"""End-to-end `mayak scan` timings: the wall clock and peak memory of the real binary, as a
class teacher or a department runs it, on one or more snapshot folders.

    python3 bench/end_to_end.py SNAPSHOT [SNAPSHOT ...] [--mayak .build/release/mayak] [--runs 5]

For each snapshot: one run to write the binary cache (not timed), then RUNS timed reruns from
the cache (the department's "edit a rule, rerun" loop) with the table on /dev/null and with
JSON to a file; prints medians and the parts `--timings` reports (load, index, rules, alerts
and plans, output). Medians, because the machines are shared and noisy.
"""
import argparse, os, statistics, subprocess, sys, tempfile

PARTS = ["load", "index", "rules", "alerts and plans", "output"]


def run(args, env):
    """Runs mayak under /usr/bin/time; returns (wall seconds, peak KB, {part: seconds})."""
    p = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"mayak failed: {p.stderr}")
    lines = p.stderr.strip().splitlines()
    wall, kb = lines[-1].split()
    parts = {}
    for line in lines:
        if line.startswith("timings:"):
            for name in PARTS:
                parts[name] = float(line.split(name + " ")[1].split(" s")[0])
    return float(wall), int(kb), parts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("snapshots", nargs="+")
    ap.add_argument("--mayak", default=".build/release/mayak")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="mayak-e2e-") as work:
        env = dict(os.environ, MAYAK_CACHE_DIR=os.path.join(work, "cache"))
        for snapshot in args.snapshots:
            run([args.mayak, "check", snapshot], env)  # writes the cache
            for label, extra in [("table", []), ("json", ["--format", "json", "--out", os.path.join(work, "a.json")])]:
                samples = []
                for _ in range(args.runs):
                    samples.append(run([args.mayak, "scan", snapshot, "--timings"] + extra, env))
                wall = statistics.median(s[0] for s in samples)
                kb = max(s[1] for s in samples)
                parts = ", ".join(f"{n} {statistics.median(s[2][n] for s in samples):.3f}" for n in PARTS)
                print(f"{snapshot} ({label}): median {wall:.2f} s, peak {kb / 1024:.0f} MB; {parts}")


if __name__ == "__main__":
    main()
