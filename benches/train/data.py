"""The dev set: pages, their site, their language, the labels of their lines, and the score
of a cleaned output (the same matching and aggregation as the dev set's score.py)."""
import bisect, json, os, re, statistics
from urllib.parse import urlparse
import whatlang

WS = re.compile(r'\s+')
# Soft hyphens and zero-width characters split words and break substring matching.
INVISIBLE = re.compile('[\u00ad\u200b\u200c\u200d\u2060\ufeff]')


def normalise(text):
    return INVISIBLE.sub('', text)


def norm(s):
    return WS.sub(' ', s).strip()


def site_of(pid, url):
    """Host of a page, for folds by site: `www.` stripped, web.archive.org unwrapped; the
    `hard::` / `recall::` pseudo-URLs use the host the page id starts with."""
    u = url
    if u.startswith('hard::') or u.startswith('recall::') or '://' not in u:
        h = pid.split('-')[0]
    else:
        m = re.match(r'https?://web\.archive\.org/web/\d+/(.*)', u)
        if m:
            u = m.group(1)
            if '://' not in u:
                u = 'http://' + u
        h = urlparse(u).netloc.lower()
    h = h.split(':')[0]
    if h.startswith('www.'):
        h = h[4:]
    return h


LANGMAP = {'eng': 'en', 'deu': 'de', 'fra': 'fr', 'spa': 'es', 'ita': 'it', 'por': 'pt',
           'nld': 'nl', 'pol': 'pl', 'rus': 'ru', 'cmn': 'zh', 'jpn': 'ja'}


def detect_lang(lines):
    """whatlang on the lines of >= 5 words (up to 20,000 chars), else on all the text.
    Detected once per page, on the input."""
    long = [l for l in lines if len(l.split()) >= 5]
    txt = '\n'.join(long)[:20000] or '\n'.join(lines)[:20000]
    info = whatlang.detect(txt) if txt.strip() else None
    if info is None:
        return 'xx'
    return LANGMAP.get(info.lang, 'xx')


def label_lines(lines, withs, withouts):
    """Labels of the raw lines: +1 content, -1 boilerplate, 0 unlabelled; and the occurrences
    of each string (lists of line indices), for the fast proxy score.

    A string is searched in the whitespace-normalised lines joined by one space; each
    occurrence labels every line it overlaps. Content wins conflicts."""
    normed = [norm(l) for l in lines]
    starts = []
    pos = 0
    for n in normed:
        starts.append(pos)
        pos += len(n) + 1
    joined = ' '.join(normed)
    lab = [0] * len(lines)
    occ = {1: [], -1: []}

    def mark(s, val):
        s = norm(s)
        o = []
        occ[val].append(o)
        if not s:
            return
        i = joined.find(s)
        while i >= 0:
            a = bisect.bisect_right(starts, i) - 1
            b = bisect.bisect_right(starts, i + len(s) - 1) - 1
            o.append([k for k in range(a, b + 1) if normed[k]])
            for k in range(a, b + 1):
                if normed[k]:
                    if val > 0 or lab[k] == 0:
                        lab[k] = val if lab[k] != 1 else 1
            i = joined.find(s, i + 1)
    for s in withouts:
        mark(s, -1)
    for s in withs:
        mark(s, 1)
    return lab, occ


def load(dev):
    """All pages of DEV_EVAL_DIR (evaldata.json and text/<id>.txt), normalised, in id order."""
    gold = json.load(open(os.path.join(dev, 'evaldata.json'), encoding='utf-8'))
    pages = []
    for pid in sorted(gold):
        g = gold[pid]
        raw = open(os.path.join(dev, 'text', pid + '.txt'), 'rb').read().decode('utf-8', 'replace')
        lines = normalise(raw).split('\n')
        lab, occ = label_lines(lines, g['with'], g['without'])
        pages.append(dict(id=pid, url=g['url'], site=site_of(pid, g['url']), with_=g['with'],
                          without=g['without'], lines=lines, lang=detect_lang(lines),
                          labels=lab, occ=occ))
    return pages


def score_page(page, out_text):
    """(with present, with total, without present, without total), as score.py counts them."""
    out = norm(out_text)
    w = sum(norm(s) in out for s in page['with_'])
    wo = sum(norm(s) in out for s in page['without'])
    return w, len(page['with_']), wo, len(page['without'])


def aggregate(rows):
    """Macro with-kept, macro without-removed, pooled P/R/F1 (as score.py)."""
    tp = sum(r[0] for r in rows); fn = sum(r[1] - r[0] for r in rows); fp = sum(r[2] for r in rows)
    ws = [r[0] / r[1] if r[1] else 1.0 for r in rows]
    wos = [1 - r[2] / r[3] if r[3] else 1.0 for r in rows]
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / (tp + fn) if tp + fn else 0.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    return dict(wk=statistics.mean(ws), wr=statistics.mean(wos), P=P, R=R, F1=F, n=len(rows))


def fmt(a):
    return (f"with-kept {a['wk']:.3f}  without-removed {a['wr']:.3f}  P {a['P']:.3f}  R {a['R']:.3f}  "
            f"F1 {a['F1']:.3f}  (n={a['n']})")
