#!/usr/bin/env python3
"""Per-language breakdown of score.py's --per-page table (English, German, other).

usage: by_language.py DEV_EVAL_DIR PAGES_TSV
The language of a page is guessed from its scraped text by counting a few very common
function words; good enough to split English and German pages from the rest."""
import csv, re, statistics, sys

EN = set("the and of to in is that for it with as was on are this be by".split())
DE = set("der die und das ist nicht mit den von zu sich des auf für dem im eine".split())

def lang(text):
    words = re.findall(r"\w+", text.lower())
    en = sum(w in EN for w in words)
    de = sum(w in DE for w in words)
    if max(en, de) < 0.05 * max(len(words), 1):
        return "other"
    return "en" if en > de else "de"

def main():
    dev, tsv = sys.argv[1], sys.argv[2]
    groups = {}
    for row in csv.DictReader(open(tsv, encoding="utf-8"), delimiter="\t"):
        text = open(f"{dev}/text/{row['id']}.txt", encoding="utf-8", errors="replace").read()
        groups.setdefault(lang(text), []).append(row)
    for g in ("en", "de", "other"):
        rows = groups.get(g, [])
        if not rows:
            continue
        w = [int(r["with_present"]) / int(r["with_total"]) if int(r["with_total"]) else 1 for r in rows]
        wo = [1 - int(r["without_present"]) / int(r["without_total"]) if int(r["without_total"]) else 1 for r in rows]
        tp = sum(int(r["with_present"]) for r in rows)
        fn = sum(int(r["with_total"]) - int(r["with_present"]) for r in rows)
        fp = sum(int(r["without_present"]) for r in rows)
        p = tp / (tp + fp) if tp + fp else 0
        rc = tp / (tp + fn) if tp + fn else 0
        f1 = 2 * p * rc / (p + rc) if p + rc else 0
        none = sum(1 for r in rows if int(r["with_total"]) and int(r["with_present"]) == 0)
        print(f"  {g:<5} pages {len(rows):4}  with-kept {statistics.mean(w):.3f}  "
              f"without-removed {statistics.mean(wo):.3f}  F1 {f1:.3f}  pages keeping no content {none}")

main()
