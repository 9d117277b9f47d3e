"""The decoder of src/heuristics/content/mod.rs, for cross-validation: line scores -> one main
region by max-sum over clipped scores -> keep (loose inside the region, strict outside) ->
headline -> render; repeated on the output until it no longer changes.

Decode parameters P: lo, hi, bias, m, t_in, t_out (rules/default.toml [heuristics.main-content])."""
import numpy as np
import data, features

MAX_PASSES = 6


def smooth_max(s, k=3):
    """max over i of (s_i + mean(s over i-k..i+k without i)) / 2"""
    n = len(s)
    if n == 1:
        return s[0]
    c = np.concatenate([[0.0], np.cumsum(s)])
    ar = np.arange(n)
    lo = np.clip(ar - k, 0, n); hi = np.clip(ar + k + 1, 0, n)
    m = hi - lo - 1
    nb = np.where(m > 0, (c[hi] - c[lo] - s) / np.maximum(m, 1), 0.0)
    return ((s + nb) / 2).max()


def maxsum(v):
    """The contiguous range [a, b) with the largest sum (empty when nothing is positive)."""
    best = 0.0; ba = bb = 0; cur = 0.0; ca = 0
    for i, x in enumerate(v):
        if cur <= 0:
            cur = 0.0; ca = i
        cur += x
        if cur > best:
            best = cur; ba = ca; bb = i + 1
    return ba, bb


def decide(s, P, X, names):
    """Line scores s of a page -> keep mask."""
    n = len(s)
    if n == 0:
        return np.zeros(0, bool)
    delta = min(0.0, smooth_max(s) - P['m'])
    v = np.clip(s - P['bias'] - delta, P['lo'], P['hi'])
    a, b = maxsum(v)
    inr = np.zeros(n, bool); inr[a:b] = True
    keep = np.where(inr, s > P['t_in'] + delta, s > P['t_out'])
    if P.get('headline', True) and b > a:
        h = headline_index(X, names, keep, a)
        if h is not None:
            keep[h] = True
    return keep


def headline_index(X, names, keep, a):
    """The title line just above the main text: within six lines above the first kept line of
    the region, 3..20 words, no sentence end, separator, residue word, credit, marker or URL,
    few digits. None if the first kept line is itself title-like or a line above is kept."""
    kept = np.where(keep[a:])[0]
    if len(kept) == 0:
        return None
    first = a + kept[0]
    c = {k: names.index(k) for k in ('lw', 'endp', 'sep', 'kw', 'credit', 'mark', 'dig', 'url')}

    def title_like(r):
        nw = np.rint(np.expm1(r[c['lw']]))  # as the engine rounds: expm1(log1p(2)) < 2
        return 3 <= nw <= 20 and not r[c['endp']] and not r[c['sep']] and not r[c['kw']] and not r[c['credit']] \
            and not r[c['mark']] and not r[c['url']] and r[c['dig']] < 0.2
    if title_like(X[first]):
        return None
    for j in range(first - 1, max(-1, first - 7), -1):
        if keep[j]:
            return None
        if title_like(X[j]):
            return j
    return None


def render(lines, idx, keep):
    """Kept units, one blank line between two of them where the input had any."""
    out = []
    prev = None
    for k, i in enumerate(idx):
        if not keep[k]:
            continue
        if prev is not None and any(not lines[j].strip() for j in range(prev + 1, i)):
            out.append('')
        out.append(lines[i])
        prev = i
    return '\n'.join(out) + ('\n' if out else '')


def clean_once(text, lang, model, P):
    lines = data.normalise(text).split('\n')
    idx, X, names = features.page_matrix(lines, lang)
    if len(idx) == 0:
        return ''
    return render(lines, idx, decide(model.logit(X), P, X, names))


def clean(text, lang, model, P):
    """Clean to a fixed point (at most MAX_PASSES passes; the language stays the one detected
    on the input). Returns (output, passes run)."""
    cur = text
    for passes in range(1, MAX_PASSES + 1):
        out = clean_once(cur, lang, model, P)
        if out == cur:
            break
        cur = out
    return out, passes
