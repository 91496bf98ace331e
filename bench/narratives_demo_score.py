#!/usr/bin/env python3
"""B-cubed of the talking points found in the demo against the planted ones.

Usage: narratives_demo_score.py GROUND_TRUTH.json NARRATIVE_UNITS.jsonl

Each planted mention (ground_truth.json: talking_points[].mentions, a byte
range in a document) takes the talking point of the stored unit overlapping it
most (export --what narrative-units; 0 or no unit: an outlier, its own
cluster). B-cubed precision, recall and F1 over the mentions, gold = the
planted talking point. Standard library only.
"""
import collections
import json
import sys


def main():
    truth = json.load(open(sys.argv[1], encoding="utf-8"))
    units = collections.defaultdict(list)
    for line in open(sys.argv[2], encoding="utf-8"):
        u = json.loads(line)
        units[u["doc_id"]].append(u)
    items = []  # (gold, predicted or None)
    for tp in truth["talking_points"]:
        for m in tp["mentions"]:
            best, overlap = None, 0
            for u in units.get(m["doc"], []):
                o = min(u["end"], m["end"]) - max(u["start"], m["start"])
                if o > overlap:
                    best, overlap = u, o
            items.append((tp["id"], best["narrative_id"] if best and best["narrative_id"] else None))
    by_pred = collections.Counter(c for _, c in items if c is not None)
    by_both = collections.Counter((g, c) for g, c in items if c is not None)
    by_gold = collections.Counter(g for g, _ in items)
    p = r = 0.0
    for g, c in items:
        both = by_both[(g, c)] if c is not None else 1
        p += both / (by_pred[c] if c is not None else 1)
        r += both / by_gold[g]
    p, r = p / len(items), r / len(items)
    f = 2 * p * r / (p + r) if p + r else 0
    print(f"{len(items)} planted mentions of {len(by_gold)} talking points in "
          f"{len(set(c for _, c in items if c))} found ones; "
          f"B-cubed P/R/F1 {p:.3f}/{r:.3f}/{f:.3f}")


if __name__ == "__main__":
    main()
