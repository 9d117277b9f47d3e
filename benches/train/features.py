"""The 52 line features of src/heuristics/content/features.rs, in the same order (train.py
checks the names against NAMES there).

A page is a list of raw lines. Only non-blank lines ("units") are classified; blank lines only
feed the blank-before / blank-after features. Windows and positions count units.

Where the Rust port sees something else (these are the known differences; the weights are
trained on what this file computes):
- Line text. The engine computes features on the line's match key: trimmed, whitespace runs
  as one space (squash in src/document.rs). No tab reaches it, so `tab` is always 0 in the
  engine (it is 1 here on about 4,000 dev lines, weight +2.9); `dig` (digits / chars) and the
  30-char limit of `icolon` count the collapsed spaces.
- Normalisation. Here only U+00AD (soft hyphen), U+200B/C/D, U+2060 and U+FEFF are removed.
  The engine's default normalisation (src/normalize/) also decodes HTML references, repairs
  mojibake, removes control characters, turns NBSP and the other fixed-width spaces into a
  plain space (so `sep` matches " | " written with NBSPs), composes to NFC (decomposed umlauts
  then match stopwords: `swd` differs on 17 dev pages), breaks lines at CR, U+2028 and U+2029,
  and keeps U+200C/U+200D.
- Language. Here whatlang 0.16.4 (whatlang-pyo3) on the lines of >= 5 words, up to 20,000
  chars, once per page on the input. The engine: the longest lines it sees (after the rules),
  about 600 bytes, told by stopword shares when one listed language clearly leads, else by
  whatlang 0.18.0; guessed again on the kept lines once the page settles (a few of the 990 dev
  pages get another language on the raw text).
- Blank lines. Here `bb`/`ba` look at the raw neighbouring line, so the first unit after
  leading blank lines and the last one before the final newline are blank-before/after. The
  engine counts only blank lines between two units (and only kept ones, after the rules).
- Regexes. `url` and `credit` use ASCII word boundaries `(?-u:\b)` in the engine and Unicode
  `\b` here ("Großbild:" is a credit there, not here). Rust's `\w` includes combining marks,
  so a line ending in an emoji with U+FE0F fails `mark`'s trailing `\W*` there.
- Digits. Here `\d` / isdigit (decimal digits); the engine uses char::is_numeric, which also
  counts ₂, ½ or ² (`dig`, `digit0`, the duplicate key).
- Whitespace. Python's split() and strip() also split at U+001C..U+001F; Rust's
  split_whitespace does not (the engine's normalisation removes them, joining the words).
- `no_prose_after`. Here the prose words left after a line are total - cumsum, which can leave
  float residue when CJK word counts are fractional (the last prose line of a few zh/ja pages).
The stopword density is computed the same way: whitespace tokens, the same punctuation trimmed,
lowercased, looked up in the same lists.
Measured on the dev set (first pass, no rules): given the same lines, language and blank flags,
the two implementations agree on every feature of every line but about 130 (the digit,
whitespace, `\w` and float corners above). On the raw pages as the engine sees them, 2,150 of
182,223 keep decisions differ (1,590 of them from `tab`); the dev scores do not move (F1 0.894,
single pass, either way).
"""
import math, os, re
import numpy as np

# Stopword lists: byte-identical to the Rust crate stop-words 0.10.1 (feature `nltk` for the
# eight NLTK/Snowball lists, `iso` for Polish), which the engine uses.
SW_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'stopwords')
_FILES = {'en': 'english', 'de': 'german', 'fr': 'french', 'es': 'spanish', 'it': 'italian',
          'pt': 'portuguese', 'nl': 'dutch', 'ru': 'russian', 'pl': 'polish'}
STOP = {}
for code, fn in _FILES.items():
    STOP[code] = frozenset(w.strip().lower() for w in open(os.path.join(SW_DIR, fn), encoding='utf-8') if w.strip())
STOP['xx'] = frozenset().union(*STOP.values())
# zh / ja: function characters (share of CJK chars that are one of these)
CJK_FUNC = {'zh': set('的了是在和有我他这不也就都而及与着或之其为以于被把对从到个们'),
            'ja': set('のにはをたがでてとしれさあるいもなかからまです')}
CJK_RE = re.compile(r'[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]')

TERM = set('.!?…。！？｡।॥؟۔')
CLOSERS = set('"\'”’»«)]」』）】')
COMMAS = ',，、､،'
SEP_RE = re.compile(r' \| | > | · | • |»|›| / | – .* – ')
PUNCT_STRIP = '.,;:!?()[]{}"\'«»„“”‘’‚‹›—–-…*/\\|<>'
URL_RE = re.compile(r'https?:|www\.|\S@\S+\.\S|\.(com|de|org|net)\b', re.I)
BULLET_RE = re.compile(r'^\s*([-•*·–▪►>]|\d{1,2}[.)]\s)')
DIGIT_RE = re.compile(r'\d')

# Generic residue vocabulary (multilingual). Used by `kw` (short lines) and `kwl` (long lines).
KW_RE = re.compile(r'(cookie|newsletter|abonn|subscri|teilen|share|tweet|facebook|twitter|whatsapp|instagram|pinterest|linkedin|'
                   r'e-mail|drucken|print|kommentar|comment|anmelden|login|log in|sign in|sign up|registrier|impressum|'
                   r'datenschutz|privacy|copyright|©|all rights|alle rechte|weiterlesen|read more|mehr zum thema|'
                   r'related|advertis|anzeige|werbung|foto:|bild:|photo|image|credit|quelle:|source:|tags?:|'
                   r'kategorie|category|menü|menu|suche|search|home|startseite|kontakt|contact)', re.I)
# Headers that open a trailing section (comments / related / share), whole short lines.
MARK_RE = re.compile(r'^\W*(\d+\s+)?(kommentare?|comments?|leave a (reply|comment)|schreibe einen kommentar|'
                     r'kommentar (verfassen|schreiben|hinzufügen)|antworten|reply|responses?|'
                     r'ähnliche (beiträge|artikel)|verwandte (beiträge|artikel)|related( (posts|articles|stories))?|'
                     r'(das|dies) könnte (sie|dich) (auch )?interessieren|mehr zum thema|weitere (artikel|beiträge|themen)|'
                     r'you (might|may) also like|more from|read (more|next|also)|lesen sie auch|auch interessant|'
                     r'empfehlungen|recommended|meistgelesen|most (read|popular)|'
                     r'commentaires?|comentarios?|commenti|komentarze|articles? similaires|noticias relacionadas|'
                     r'teilen|share( this)?|diesen artikel teilen|tags?|schlagwörter|kategorien|categories)\W*$', re.I)
CREDIT_RE = re.compile(r'(©|\(c\)|\b(foto|fotos|bild|photo|image|credit|quelle|source|getty|dpa|afp|reuters|imago|shutterstock|istock)\b\s*[:/])', re.I)
INNER_COLON_RE = re.compile(r'^[^:]{1,30}:\s+\S')


def line_key(s):
    """Duplicate key: lowercase, single spaces, digits as 0."""
    return DIGIT_RE.sub('0', ' '.join(s.lower().split()))


def base_features(text, lang):
    """One line (stripped, non-empty) -> dict of base features."""
    toks = text.split()
    nw = len(toks)
    nc = len(text)
    if lang in ('zh', 'ja'):
        cjk = len(CJK_RE.findall(text))
        # a run of CJK text counts by its characters, not also as a word
        wlen = sum(1 for t in toks if not CJK_RE.search(t)) + cjk / 1.5
        func = sum(1 for ch in text if ch in CJK_FUNC[lang])
        swd = func / cjk if cjk else 0.0
        # rescale to the range of Latin stopword densities (Japanese prose is near half
        # function characters, Chinese a fifth)
        swd = min(1.0, swd * (2.0 if lang == 'zh' else 1.0))
    else:
        wlen = nw
        sw = STOP.get(lang, STOP['xx'])
        nsw = 0
        for t in toks:
            if t.strip(PUNCT_STRIP).lower() in sw:
                nsw += 1
        swd = nsw / nw
    last = text[-1]
    if last in CLOSERS and len(text) > 1:
        endp = text[-2] in TERM
    else:
        endp = last in TERM
    alpha = [t for t in toks if t[0].isalpha()]
    cap = sum(1 for t in alpha if t[0].isupper()) / len(alpha) if alpha else 0.0
    letters = [c for c in text if c.isalpha()]
    allcaps = len(letters) >= 2 and not any(c.islower() for c in letters)
    digits = len(DIGIT_RE.findall(text))
    return dict(
        wlen=wlen, nc=nc,
        endp=1.0 if endp else 0.0,
        colon=1.0 if last == ':' else 0.0,
        swd=swd,
        cap=cap,
        dig=digits / nc,
        sep=1.0 if SEP_RE.search(text) else 0.0,
        allcaps=1.0 if allcaps else 0.0,
        comma=sum(text.count(c) for c in COMMAS) / max(wlen, 1),
        url=1.0 if URL_RE.search(text) else 0.0,
        bullet=1.0 if BULLET_RE.match(text) else 0.0,
        kw=1.0 if (wlen <= 12 and KW_RE.search(text)) else 0.0,
        kwl=1.0 if (wlen > 12 and KW_RE.search(text)) else 0.0,
        tab=1.0 if '\t' in text else 0.0,
        lower=1.0 if (letters and text.lstrip(PUNCT_STRIP + ' ')[:1].islower()) else 0.0,
        icolon=1.0 if (last != ':' and INNER_COLON_RE.match(text)) else 0.0,
        ellip=1.0 if (text.endswith('...') or last == '…') else 0.0,
        credit=1.0 if CREDIT_RE.search(text) else 0.0,
        digit0=1.0 if text[:1].isdigit() else 0.0,
        mark=1.0 if (wlen <= 6 and MARK_RE.match(text)) else 0.0,
        noalpha=1.0 if not letters else 0.0,
    )


def page_units(lines):
    """Indices of non-blank lines and their blank-before / blank-after flags."""
    idx = [i for i, l in enumerate(lines) if l.strip()]
    bb = []
    ba = []
    for i in idx:
        bb.append(1.0 if (i > 0 and not lines[i - 1].strip()) else 0.0)
        ba.append(1.0 if (i + 1 < len(lines) and not lines[i + 1].strip()) else 0.0)
    return idx, bb, ba


def prose(b):
    """The 'prose line' indicator the context features are built from."""
    return 1.0 if (b['wlen'] >= 10 and b['endp'] and b['swd'] >= 0.15) else 0.0


def win_mean(a, k):
    """Mean of a over i-k..i+k without i (at the edges: over the units that exist)."""
    n = len(a)
    c = np.concatenate([[0.0], np.cumsum(a)])
    lo = np.clip(np.arange(n) - k, 0, n)
    hi = np.clip(np.arange(n) + k + 1, 0, n)
    s = c[hi] - c[lo] - a
    m = (hi - lo - 1).astype(float)
    return np.where(m > 0, s / np.maximum(m, 1), 0.0)


# The second stage's context of a line: the first stage's score of the line, the mean score
# of its neighbours within 1, 3 and 10 lines, and the page's best and mean score.
CONTEXT = ['s1', 's1_nb1', 's1_nb3', 's1_nb10', 's1_max', 's1_mean']


def context(s):
    """First-stage scores of a page's units -> their CONTEXT columns [units, 6]."""
    n = len(s)
    return np.stack([s, win_mean(s, 1), win_mean(s, 3), win_mean(s, 10), np.full(n, s.max()),
                     np.full(n, s.mean())], axis=1)


def page_matrix(lines, lang):
    """(unit line indices, feature matrix [units, 52], feature names)."""
    idx, bb, ba = page_units(lines)
    n = len(idx)
    if n == 0:
        return idx, None, None
    texts = [lines[i].strip() for i in idx]
    B = [base_features(t, lang) for t in texts]
    keys = [line_key(t) for t in texts]
    cnt = {}
    for k in keys:
        cnt[k] = cnt.get(k, 0) + 1
    wl = np.array([b['wlen'] for b in B])
    lw = np.log1p(wl)
    swd = np.array([b['swd'] for b in B])
    cap = np.array([b['cap'] for b in B])
    pr = np.array([prose(b) for b in B])
    tot_prose_words = (pr * wl).sum()
    cum_prose = np.cumsum(pr * wl) - pr * wl   # prose words strictly before
    f = {}
    # line shape
    f['lw'] = lw
    f['short'] = (wl <= 3).astype(float)
    f['endp'] = np.array([b['endp'] for b in B])
    f['colon'] = np.array([b['colon'] for b in B])
    f['swd'] = swd
    f['sw_x_lw'] = swd * np.minimum(lw, math.log1p(40))
    f['cap'] = cap
    f['dig'] = np.array([b['dig'] for b in B])
    f['sep'] = np.array([b['sep'] for b in B])
    f['allcaps'] = np.array([b['allcaps'] for b in B])
    f['comma'] = np.minimum(np.array([b['comma'] for b in B]), 0.5)
    for nm in ('url', 'bullet', 'kw', 'kwl', 'tab', 'lower', 'icolon', 'ellip', 'credit', 'digit0'):
        f[nm] = np.array([b[nm] for b in B])
    # blank-line structure
    para = np.array(bb) * np.array(ba)
    f['para'] = para
    f['para_lw'] = para * lw
    f['nb3_para'] = win_mean(para, 3)
    blk = np.zeros(n); start = 0   # size of the blank-delimited block (units)
    for k in range(1, n + 1):
        if k == n or bb[k]:
            blk[start:k] = k - start; start = k
    f['blk'] = np.log(blk)
    # page-relative stopword density and capitalisation (vs the median over prose lines)
    if pr.sum() >= 1:
        med_sw = np.median(swd[pr > 0]); med_cap = np.median(cap[pr > 0])
    else:
        med_sw = np.median(swd); med_cap = np.median(cap)
    f['rel_sw'] = swd - med_sw
    f['rel_cap'] = cap - med_cap
    # after a trailing-section marker that follows >= 60 prose words
    mk = np.array([b['mark'] for b in B])
    after = np.zeros(n); seen = False; pw_so_far = 0.0
    for k in range(n):
        after[k] = 1.0 if seen else 0.0
        if mk[k] and pw_so_far >= 60:
            seen = True
        pw_so_far += pr[k] * wl[k]
    f['mark'] = mk
    f['after_mark'] = after
    f['noalpha'] = np.array([b['noalpha'] for b in B])
    f['dup'] = np.array([1.0 if cnt[k] > 1 else 0.0 for k in keys])
    f['bb'] = np.array(bb)
    f['ba'] = np.array(ba)
    # neighbours
    for k in (1, 3, 8):
        f[f'nb{k}_prose'] = win_mean(pr, k)
        f[f'nb{k}_lw'] = win_mean(lw, k)
    f['nb1_sw'] = win_mean(swd, 1)
    f['nb2_dup'] = win_mean(f['dup'], 2)
    f['nb2_short'] = win_mean(f['short'], 2)
    # prose words in the W units before / after, and "sandwiched between prose"
    pw = pr * wl
    cpw = np.concatenate([[0.0], np.cumsum(pw)])
    ar = np.arange(n)
    for W in (10, 30):
        above = cpw[ar] - cpw[np.clip(ar - W, 0, n)]
        below = cpw[np.clip(ar + 1 + W, 0, n)] - cpw[ar + 1]
        f[f'sand{W}'] = np.log1p(np.minimum(above, below))
        f[f'above{W}'] = np.log1p(above)
        f[f'below{W}'] = np.log1p(below)
    # position in prose mass (does not move when non-prose lines are removed); without prose,
    # the unit's rank
    pos = np.arange(n) / max(n - 1, 1)
    f['prose_before'] = cum_prose / tot_prose_words if tot_prose_words > 0 else pos
    f['prose_after'] = (tot_prose_words - cum_prose - pr * wl) / tot_prose_words if tot_prose_words > 0 else 1 - pos
    f['no_prose_before'] = (cum_prose == 0).astype(float)
    f['no_prose_after'] = ((tot_prose_words - cum_prose - pr * wl) == 0).astype(float)
    names = list(f)
    X = np.stack([f[k] for k in names], axis=1)
    return idx, X, names


def build(pages):
    """Features and labels of every page: list of dict(idx, X, y), and the feature names."""
    out = []
    names = None
    for p in pages:
        idx, X, nm = page_matrix(p['lines'], p['lang'])
        names = nm or names
        y = np.array([p['labels'][i] for i in idx])
        out.append(dict(idx=idx, X=X, y=y))
    for d in out:
        if d['X'] is None:   # a page without any text
            d['X'] = np.zeros((0, len(names)))
    return out, names
