#!/usr/bin/env python3
"""Writes the IRA tweets K times to stdout as CSV, for scale runs (BENCHMARKS.md,
"Five times the IRA corpus"). Copy k > 0 has " ·k" appended to the text and "_k" to the
author, so copies are new documents (other content hashes) -- and near-duplicates and
reused passages of the originals, which makes this a stress test of the detectors rather
than a picture of a corpus with K times as much distinct text.

Usage: bench/replicate_ira.py K [FILE] | echotrace ingest --format csv --db big.db -
"""
import csv, io, subprocess, sys
K = int(sys.argv[1])
FILE = sys.argv[2] if len(sys.argv) > 2 else "../shared/data/ira/ira_tweets.csv.zst"
csv.field_size_limit(10**9)
w = csv.writer(sys.stdout, lineterminator="\n")
header_done = False
for k in range(K):
    p = subprocess.Popen(["zstd", "-dc", FILE], stdout=subprocess.PIPE)
    r = csv.reader(io.TextIOWrapper(p.stdout, encoding="utf-8", errors="surrogateescape", newline=""))
    h = next(r)
    if not header_done:
        w.writerow(h); header_done = True
    ci, ai = h.index("content"), h.index("author_id")
    for row in r:
        if k and len(row) > max(ci, ai):
            row[ci] = row[ci] + " ·" + str(k)
            row[ai] = row[ai] + "_" + str(k)
        w.writerow(row)
    p.wait()
