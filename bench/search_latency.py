# Search latency: BM25 top-10 over FTS5 for three-word OR queries drawn from random
# stored documents. Usage: python3 bench/search_latency.py STORE.db
import sqlite3, random, time, sys
db = sqlite3.connect(sys.argv[1])
random.seed(1)
rows = db.execute("select text from docs where id in (%s)" % ",".join(str(random.randint(1, 2400000)) for _ in range(300))).fetchall()
qs = []
for (t,) in rows:
    w = [x for x in t.split() if x.isalpha() and len(x) > 3]
    if len(w) >= 3: qs.append(" OR ".join('"%s"' % x for x in random.sample(w, 3)))
lat = []
for q in qs:
    t0 = time.perf_counter()
    db.execute("select rowid, bm25(docs_fts,1.0,0.5) from docs_fts where docs_fts match ? order by rank limit 10", (q,)).fetchall()
    lat.append(time.perf_counter() - t0)
lat.sort()
print("queries", len(lat), "p50 %.1f ms p99 %.1f ms" % (lat[len(lat)//2]*1000, lat[int(len(lat)*.99)]*1000))
