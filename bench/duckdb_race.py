#!/usr/bin/env python3
"""The same five core rules in Mayak and in DuckDB SQL, on the same snapshot: do both flag the
same pupils, and how long does each take to load the CSVs and to run the rules?

    pip install duckdb
    swift build -c release
    python3 bench/duckdb_race.py SNAPSHOT [--mayak .build/release/mayak] [--rules rules/core] [--threads 2]

Rules raced (defaults as in rules/core): failing-two-subjects, missed-diagnostic-work,
vpr-score-drop, chronic-absence, repeated-twos. Mayak runs a pack of just these five, from the
CSVs (`--no-cache`) and from its binary cache; DuckDB loads the CSVs into tables with
`read_csv` and runs one query per rule. Exit 1 if any rule flags different pupils.
"""
import argparse, datetime, json, os, shutil, subprocess, sys, tempfile, time

import duckdb
import yaml

RULES = ["failing-two-subjects", "missed-diagnostic-work", "vpr-score-drop", "chronic-absence", "repeated-twos"]


def periods_by_grade(manifest):
    """The current period per grade, as Mayak picks it: the last quarter/half-year that started by as_of."""
    as_of = manifest["as_of"]
    out = {}
    for g in range(1, 12):
        ps = []
        for p in manifest["periods"]:
            if p["kind"] == "year":
                continue
            lo, _, hi = str(p.get("grades", "1-11")).partition("-")
            hi = hi or lo
            if int(lo) <= g <= int(hi):
                ps.append(p)
        ps.sort(key=lambda p: p["start"])
        started = [p for p in ps if p["start"] <= as_of]
        if started:
            p = started[-1]
            end = min(p["end"], as_of)
            days = sum(1 for k in range((end - p["start"]).days + 1) if (p["start"] + datetime.timedelta(k)).weekday() < 5)
            out[g] = (p["id"], p["start"], end, days)
    return out


def run_mayak(binary, snapshot, rules_dir, cache_dir, no_cache):
    env = dict(os.environ, MAYAK_CACHE_DIR=cache_dir)
    args = [binary, "scan", snapshot, "--rules", rules_dir, "--format", "ndjson", "--timings"]
    if no_cache:
        args.append("--no-cache")
    started = time.perf_counter()
    p = subprocess.run(args, capture_output=True, text=True, env=env)
    total = time.perf_counter() - started
    if p.returncode != 0:
        sys.exit(f"mayak failed: {p.stderr}")
    line = [l for l in p.stderr.splitlines() if l.startswith("timings:")][0]
    def seconds(name):
        return float(line.split(name + " ")[1].split(" s")[0])
    load = seconds("load")
    # The index (each pupil's marks grouped by subject and date) is built for every scan:
    # it counts as rule time, as DuckDB's joins do.
    rules = seconds("index") + seconds("rules")
    flagged = {r: set() for r in RULES}
    for l in p.stdout.splitlines():
        a = json.loads(l)
        if a["rule"] in flagged and a["subject"]["kind"] == "pupil":
            flagged[a["rule"]].add(a["subject"]["id"])
    return total, load, rules, flagged


SQL = {
    # Forecast «2» in two or more of the pupil's subjects: the current period's mark once set,
    # else the weighted mean of the period's numeric marks (3 or more) below 2.5.
    "failing-two-subjects": """
        WITH ps AS (SELECT p.pupil_id, s.subject, cp.period, cp.start, cp.stop
                    FROM pupils p JOIN classes c USING (class_id) JOIN subjects s USING (class_id) JOIN cur cp ON cp.grade = c.grade),
        pm AS (SELECT ps.pupil_id, ps.subject, m.value FROM ps JOIN period_marks m
               ON m.pupil_id = ps.pupil_id AND m.subject = ps.subject AND m.period = ps.period),
        wm AS (SELECT ps.pupil_id, ps.subject, sum(mk.w * mk.v) / sum(mk.w) AS mean, count(*) AS n
               FROM ps JOIN mk ON mk.pupil_id = ps.pupil_id AND mk.subject = ps.subject AND mk.date BETWEEN ps.start AND ps.stop
               WHERE mk.v IS NOT NULL GROUP BY ALL),
        f AS (SELECT ps.pupil_id, ps.subject,
                     CASE WHEN pm.value IS NOT NULL THEN lower(trim(pm.value)) IN ('2', 'н/а', 'незач')
                          ELSE wm.n >= 3 AND wm.mean < 2.5 END AS failing
              FROM ps LEFT JOIN pm USING (pupil_id, subject) LEFT JOIN wm USING (pupil_id, subject))
        SELECT pupil_id FROM f WHERE failing GROUP BY pupil_id HAVING count(*) >= 2""",
    # A diagnostic or administrative work (or a title like them) up to as-of, unwritten or absent.
    "missed-diagnostic-work": """
        SELECT DISTINCT p.pupil_id FROM works w JOIN pupils p USING (class_id)
        LEFT JOIN work_results r ON r.work_id = w.work_id AND r.pupil_id = p.pupil_id
        WHERE w.date <= (SELECT as_of FROM meta)
          AND (w.kind IN ('diagnostic', 'administrative') OR regexp_matches(lower(w.title), 'диагност|административн|пробн'))
          AND (r.status IS NULL OR r.status = 'absent')""",
    # The latest ВПР fell 15+ points against the year before in the subject, or to a 2.
    "vpr-score-drop": """
        SELECT DISTINCT v.pupil_id FROM vpr_results v JOIN vpr_results b
          ON b.pupil_id = v.pupil_id AND b.subject = v.subject AND b.year = v.year - 1
        JOIN pupils p ON p.pupil_id = v.pupil_id
        WHERE v.year >= (SELECT spring - 1 FROM meta)
          AND (100.0 * b.score / b.max_score - 100.0 * v.score / v.max_score >= 15 OR (v.mark = 2 AND b.mark >= 3))""",
    # 10 % or more of the current period's lessons missed (late arrivals excluded).
    "chronic-absence": """
        WITH lessons AS (SELECT p.pupil_id, round(sum(s.hours_per_week) * any_value(cp.days) / 5.0) AS n, any_value(cp.start) AS start, any_value(cp.stop) AS stop
                         FROM pupils p JOIN classes c USING (class_id) JOIN subjects s USING (class_id) JOIN cur cp ON cp.grade = c.grade
                         GROUP BY p.pupil_id),
        missed AS (SELECT l.pupil_id, any_value(l.n) AS n, count(a.pupil_id) AS k FROM lessons l
                   LEFT JOIN attendance a ON a.pupil_id = l.pupil_id AND a.date BETWEEN l.start AND l.stop AND upper(trim(a.code)) <> 'О'
                   GROUP BY l.pupil_id)
        SELECT pupil_id FROM missed WHERE n > 0 AND 100.0 * k / n >= 10""",
    # Three or more «2» (or 1) in one of the pupil's subjects within the last 14 days.
    "repeated-twos": """
        SELECT DISTINCT mk.pupil_id FROM mk JOIN pupils p USING (pupil_id) JOIN subjects s ON s.class_id = p.class_id AND s.subject = mk.subject
        WHERE mk.v <= 2 AND mk.date > (SELECT as_of FROM meta) - INTERVAL 14 DAY AND mk.date <= (SELECT as_of FROM meta)
        GROUP BY mk.pupil_id, mk.subject HAVING count(*) >= 3""",
}


def run_duckdb(snapshot, manifest, threads):
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    started = time.perf_counter()
    def load(name, columns):
        path = os.path.join(snapshot, name + ".csv")
        cols = ", ".join(f"'{k}': '{v}'" for k, v in columns.items())
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header = true, columns = {{{cols}}}, quote = '\"')")
    load("pupils", {"pupil_id": "VARCHAR", "class_id": "VARCHAR", "full_name": "VARCHAR", "gender": "VARCHAR", "birth_date": "DATE"})
    load("classes", {"class_id": "VARCHAR", "school_id": "VARCHAR", "grade": "INTEGER", "letter": "VARCHAR", "class_teacher": "VARCHAR"})
    load("subjects", {"class_id": "VARCHAR", "subject": "VARCHAR", "teacher": "VARCHAR", "hours_per_week": "DOUBLE"})
    load("marks", {"pupil_id": "VARCHAR", "subject": "VARCHAR", "date": "DATE", "value": "VARCHAR", "work_type": "VARCHAR", "weight": "VARCHAR"})
    load("period_marks", {"pupil_id": "VARCHAR", "subject": "VARCHAR", "period": "VARCHAR", "value": "VARCHAR"})
    load("attendance", {"pupil_id": "VARCHAR", "date": "DATE", "lesson": "INTEGER", "subject": "VARCHAR", "code": "VARCHAR"})
    load("works", {"work_id": "VARCHAR", "class_id": "VARCHAR", "subject": "VARCHAR", "date": "DATE", "kind": "VARCHAR", "title": "VARCHAR", "max_score": "DOUBLE"})
    load("work_results", {"work_id": "VARCHAR", "pupil_id": "VARCHAR", "status": "VARCHAR", "score": "DOUBLE", "mark": "INTEGER"})
    load("vpr_results", {"pupil_id": "VARCHAR", "year": "INTEGER", "grade": "INTEGER", "subject": "VARCHAR", "score": "DOUBLE",
                         "max_score": "DOUBLE", "mark": "INTEGER", "journal_mark": "INTEGER"})
    # Numeric marks and weights with decimal commas, as the rules read them.
    con.execute("""CREATE TABLE mk AS SELECT pupil_id, subject, date,
                   TRY_CAST(trim(split_part(value, '/', 1)) AS INTEGER) AS v, CAST(replace(weight, ',', '.') AS DOUBLE) AS w FROM marks""")
    load_seconds = time.perf_counter() - started
    spring = manifest["school_year"]["end"].year
    con.execute(f"CREATE TABLE meta AS SELECT DATE '{manifest['as_of']}' AS as_of, {spring} AS spring")
    con.execute("CREATE TABLE cur (grade INTEGER, period VARCHAR, start DATE, stop DATE, days INTEGER)")
    for g, (pid, start, stop, days) in periods_by_grade(manifest).items():
        con.execute("INSERT INTO cur VALUES (?, ?, ?, ?, ?)", [g, pid, start, stop, days])
    started = time.perf_counter()
    flagged = {}
    for rule in RULES:
        flagged[rule] = {r[0] for r in con.execute(SQL[rule]).fetchall()}
    return load_seconds, time.perf_counter() - started, flagged


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("snapshot")
    ap.add_argument("--mayak", default=".build/release/mayak")
    ap.add_argument("--rules", default="rules/core")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    with open(os.path.join(args.snapshot, "manifest.yaml"), encoding="utf-8") as f:
        manifest = yaml.safe_load(f)
    work = tempfile.mkdtemp(prefix="mayak-race-")
    try:
        pack = os.path.join(work, "rules")
        os.makedirs(pack)
        for r in RULES:
            shutil.copy(os.path.join(args.rules, r + ".yaml"), pack)
        cache = os.path.join(work, "cache")
        m_cold = run_mayak(args.mayak, args.snapshot, pack, cache, no_cache=True)
        run_mayak(args.mayak, args.snapshot, pack, cache, no_cache=False)          # writes the cache
        m_warm = run_mayak(args.mayak, args.snapshot, pack, cache, no_cache=False)
        d_load, d_rules, d_flagged = run_duckdb(args.snapshot, manifest, args.threads)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ok = True
    print(f"{'rule':26} {'mayak':>7} {'duckdb':>7}  same")
    for r in RULES:
        same = m_cold[3][r] == d_flagged[r]
        ok &= same
        print(f"{r:26} {len(m_cold[3][r]):7} {len(d_flagged[r]):7}  {'yes' if same else 'NO'}")
        if not same:
            print(f"   only mayak: {sorted(m_cold[3][r] - d_flagged[r])[:5]}  only duckdb: {sorted(d_flagged[r] - m_cold[3][r])[:5]}")
    print()
    print(f"load CSV:     mayak {m_cold[1]:.3f} s   duckdb read_csv {d_load:.3f} s   ratio {m_cold[1] / d_load:.2f}")
    print(f"load cached:  mayak {m_warm[1]:.3f} s")
    print(f"rules:        mayak {m_warm[2]:.3f} s (index and rules, {os.cpu_count()} cores)   duckdb {d_rules:.3f} s   ratio {m_warm[2] / d_rules:.2f}")
    print(f"end to end:   mayak cold {m_cold[0]:.3f} s, warm {m_warm[0]:.3f} s")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
