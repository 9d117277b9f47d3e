"""jusText on scraped text, the way the dev set's README measured it: each line one <p>.
   python justext_text.py TEXT_DIR OUT_DIR  -> prints pages/s on the calling core."""
import html
import os
import sys
import time

import justext

src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
stoplist = justext.get_stoplist("English")
names = sorted(os.listdir(src))
start = time.perf_counter()
for name in names:
    with open(os.path.join(src, name), encoding="utf-8") as f:
        text = f.read()
    page = "<html><body>" + "".join(f"<p>{html.escape(l)}</p>" for l in text.split("\n")) + "</body></html>"
    paragraphs = justext.justext(page, stoplist)
    with open(os.path.join(dst, name), "w", encoding="utf-8") as f:
        f.write("\n".join(p.text for p in paragraphs if not p.is_boilerplate))
elapsed = time.perf_counter() - start
print(f"{len(names) / elapsed:.0f} {elapsed:.2f}")
