#!/usr/bin/env python3
"""Generate tests/data/ftfy/fix_encoding_sample.jsonl: mojibake made from a few
words through random code pages and layers (some lossy, some with lost no-break
spaces), each line {"input": ..., "ftfy": ftfy.fix_encoding(input)}.

Needs ftfy 6.3.1 (pip install ftfy==6.3.1). Run:
    python3 tests/data/ftfy/ftfy_sample.py > tests/data/ftfy/fix_encoding_sample.jsonl
"""

import json
import random

import ftfy
import ftfy.bad_codecs  # noqa: F401  (sloppy-windows-125x)

assert ftfy.__version__ == "6.3.1", ftfy.__version__

WORDS = [
    "café", "naïve", "Hôtel", "doesn’t", "“quoted”", "Grüße", "Привет", "Ελληνικά",
    "żółć", "€100", "😀 emoji", "ﬁ", "Ωmega", "à la", "日本語", "Ä", "É", "—dash", "…",
    "à", "às", "\xa0", "ça", "señor", "Ærø", "İstanbul", "ĳs",
]
PAGES = [
    "latin-1", "windows-1252", "sloppy-windows-1252", "windows-1251", "windows-1250",
    "iso-8859-2", "macroman", "cp437", "windows-1253", "windows-1257",
    "sloppy-windows-1250", "sloppy-windows-1251",
]

rng = random.Random(2024)
for _ in range(3000):
    parts = []
    for _ in range(rng.randint(1, 4)):
        s = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
        for _ in range(rng.randint(0, 3)):
            page = rng.choice(PAGES)
            try:
                s = s.encode("utf-8").decode(page, errors=rng.choice(["strict", "replace"]))
            except UnicodeDecodeError:
                pass
        if rng.random() < 0.3:
            s = s.replace("\xa0", " ")
        if rng.random() < 0.1:
            s = s.replace("\ufffd", "?")
        parts.append(s)
    text = " ".join(parts)
    print(json.dumps({"input": text, "ftfy": ftfy.fix_encoding(text)}, ensure_ascii=False))
