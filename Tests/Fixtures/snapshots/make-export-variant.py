#!/usr/bin/env python3
"""Rewrites the `tiny` snapshot the way e-journal exports come: Windows-1251, `;` separators,
CRLF line ends, dates as DD.MM.YYYY. The result (`tiny-cp1251/`) is committed; the reader
tests check that both folders load to the same snapshot. Rerun after editing `tiny/`."""
import csv, io, os, re, shutil

here = os.path.dirname(os.path.abspath(__file__))
src, dst = os.path.join(here, "tiny"), os.path.join(here, "tiny-cp1251")
shutil.rmtree(dst, ignore_errors=True)
os.makedirs(dst)
shutil.copy(os.path.join(src, "manifest.yaml"), dst)  # the manifest is YAML, always UTF-8
iso = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
for name in sorted(os.listdir(src)):
    if not name.endswith(".csv"):
        continue
    with open(os.path.join(src, name), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([iso.sub(r"\3.\2.\1", v) for v in row])
    with open(os.path.join(dst, name), "wb") as f:
        f.write(out.getvalue().encode("cp1251"))
