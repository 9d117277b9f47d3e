//! What the text shows about each line: shape, stopwords, residue vocabulary, blank-line
//! structure, repetition, and the same of its neighbours. Positions are measured in
//! prose words, not lines, so removing a menu does not move the article.

use super::counts::Counts;
use super::marks::{bullet, label_colon, marks};
use crate::lang::{Lang, is_punct};
use regex::{Regex, RegexBuilder};
use rustc_hash::FxHashMap as HashMap;
use std::hash::BuildHasher;
use std::sync::OnceLock;

/// Feature names, in the order of a row. The model file names its weights the same way.
pub const NAMES: [&str; 52] = [
    "lw",
    "short",
    "endp",
    "colon",
    "swd",
    "sw_x_lw",
    "cap",
    "dig",
    "sep",
    "allcaps",
    "comma",
    "url",
    "bullet",
    "kw",
    "kwl",
    "tab",
    "lower",
    "icolon",
    "ellip",
    "credit",
    "digit0",
    "para",
    "para_lw",
    "nb3_para",
    "blk",
    "rel_sw",
    "rel_cap",
    "mark",
    "after_mark",
    "noalpha",
    "dup",
    "bb",
    "ba",
    "nb1_prose",
    "nb1_lw",
    "nb3_prose",
    "nb3_lw",
    "nb8_prose",
    "nb8_lw",
    "nb1_sw",
    "nb2_dup",
    "nb2_short",
    "sand10",
    "above10",
    "below10",
    "sand30",
    "above30",
    "below30",
    "prose_before",
    "prose_after",
    "no_prose_before",
    "no_prose_after",
];

pub type Row = [f64; NAMES.len()];

/// The second stage's features of a line, from the first stage's scores on the page: the
/// line's own, the mean of its neighbours within 1, 3 and 10 lines, the page's best and mean.
pub const CONTEXT: [&str; 6] = ["s1", "s1_nb1", "s1_nb3", "s1_nb10", "s1_max", "s1_mean"];

/// The model's two stages. The first scores each line from its features; the second from
/// the same features and the first stage's scores around it (`CONTEXT`), so a line among
/// weak neighbours, or on a page of weak lines, counts for less.
pub struct Weights {
    /// Bias and feature weights of each stage.
    pub stages: [(f64, Row); 2],
    /// The second stage's weights of `CONTEXT`.
    pub context: [f64; CONTEXT.len()],
}

/// Column of a feature by name; with `c!` it is computed at compile time.
pub const fn col(name: &str) -> usize {
    let mut i = 0;
    while i < NAMES.len() {
        if eq(NAMES[i].as_bytes(), name.as_bytes()) {
            return i;
        }
        i += 1;
    }
    panic!("no such feature")
}

const fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The column of a feature, checked when compiling.
macro_rules! c {
    ($name:literal) => {
        const { $crate::heuristics::content::features::col($name) }
    };
}

/// Where a line stands: whether a blank line stands before/after it (as the cleaned
/// output will show it).
pub struct Unit {
    pub blank_before: bool,
    pub blank_after: bool,
}

/// The pieces of a line the context features are built from.
#[derive(Clone)]
struct Base {
    wl: f64,
    /// `wl.ln_1p()`, which the context features ask for on every round.
    lw: f64,
    swd: f64,
    cap: f64,
    short: bool,
    prose: bool,
    mark: bool,
    /// Hash of the line as a duplicate key (`hash_word`), for spotting repeated lines.
    dup: u64,
    /// Each stage's sum over the features of the line alone.
    partial: [f64; 2],
    /// Shaped like a title (see `title_like`).
    title: bool,
}

/// The trailing-section marker: a short line that heads comments, related articles,
/// sharing or tags. Only short lines are asked, so one regex serves.
fn mark_pattern() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| {
        RegexBuilder::new(concat!(
            r"^\W*(\d+\s+)?(kommentare?|comments?|leave a (reply|comment)|schreibe einen kommentar|",
            r"kommentar (verfassen|schreiben|hinzufügen)|antworten|reply|responses?|",
            r"ähnliche (beiträge|artikel)|verwandte (beiträge|artikel)|related( (posts|articles|stories))?|",
            r"(das|dies) könnte (sie|dich) (auch )?interessieren|mehr zum thema|weitere (artikel|beiträge|themen)|",
            r"you (might|may) also like|more from|read (more|next|also)|lesen sie auch|auch interessant|",
            r"empfehlungen|recommended|meistgelesen|most (read|popular)|",
            r"commentaires?|comentarios?|commenti|komentarze|articles? similaires|noticias relacionadas|",
            r"teilen|share( this)?|diesen artikel teilen|tags?|schlagwörter|kategorien|categories)\W*$"
        ))
        .case_insensitive(true)
        .build()
        .expect("valid")
    })
}

/// Sentence ends, of Latin, CJK, Devanagari (danda), Arabic and Urdu. (Greek's question
/// mark, U+037E, is `;` after normalization, as in code.)
const TERM: &[char] = &[
    '.', '!', '?', '…', '。', '！', '？', '｡', '।', '॥', '؟', '۔',
];
const CLOSERS: &[char] = &[
    '"', '\'', '”', '’', '»', '«', ')', ']', '」', '』', '）', '】',
];

/// Ends like a sentence, possibly inside a closing quote or bracket.
pub(crate) fn ends_sentence(t: &str) -> bool {
    let mut rev = t.chars().rev();
    match rev.next() {
        Some(c) if CLOSERS.contains(&c) => rev.next().is_some_and(|p| TERM.contains(&p)),
        Some(c) => TERM.contains(&c),
        None => false,
    }
}

/// Prefix sums of a column, for the mean of its neighbours in windows of any width.
struct Prefix<'a> {
    a: &'a [f64],
    c: Vec<f64>,
}

impl<'a> Prefix<'a> {
    fn new(a: &'a [f64]) -> Self {
        let mut c = vec![0.0; a.len() + 1];
        for i in 0..a.len() {
            c[i + 1] = c[i] + a[i];
        }
        Prefix { a, c }
    }

    /// Mean of the column over `i-k..=i+k` without `i`.
    fn mean(&self, i: usize, k: usize) -> f64 {
        let n = self.a.len();
        let (lo, hi) = (i.saturating_sub(k), (i + k + 1).min(n));
        let m = hi - lo - 1;
        if m > 0 {
            (self.c[hi] - self.c[lo] - self.a[i]) / m as f64
        } else {
            0.0
        }
    }
}

/// Mean of `a` over `i-k..=i+k` without `i`, for every `i`.
pub(crate) fn window_means(a: &[f64], k: usize) -> Vec<f64> {
    let p = Prefix::new(a);
    (0..a.len()).map(|i| p.mean(i, k)).collect()
}

/// `ln` and `ln_1p` of the whole numbers below `Logs::N`, which the context features take
/// of counts (block sizes, prose words) for every line on every round: read from tables
/// of the very same values. Other numbers are computed.
struct Logs {
    ln: Vec<f64>,
    ln_1p: Vec<f64>,
}

impl Logs {
    const N: usize = 4096;

    fn get() -> &'static Logs {
        static L: OnceLock<Logs> = OnceLock::new();
        L.get_or_init(|| Logs {
            ln: (0..Self::N).map(|k| (k as f64).ln()).collect(),
            ln_1p: (0..Self::N).map(|k| (k as f64).ln_1p()).collect(),
        })
    }

    /// The table index of `x`, if it is a whole number in range (not -0.0). Tested by
    /// converting, not by `fract`, which is a libm call on baseline x86-64.
    fn index(x: f64) -> Option<usize> {
        let k = x as u32 as usize; // NaN gives 0, which then differs from x
        (k < Self::N && k as f64 == x && x.is_sign_positive()).then_some(k)
    }

    fn ln(&self, x: f64) -> f64 {
        Self::index(x).map_or_else(|| x.ln(), |k| self.ln[k])
    }

    fn ln_1p(&self, x: f64) -> f64 {
        Self::index(x).map_or_else(|| x.ln_1p(), |k| self.ln_1p[k])
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let n = v.len();
    let (low, &mut mid, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        mid
    } else {
        // The element just below the middle is the largest of the lower part.
        let below = low.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (below + mid) / 2.0
    }
}

fn flag(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// What the model needs of each line alone (all but blank-line structure and context):
/// it depends only on the text and the language, so a page computes it once. Only the
/// weighted sum is kept, not the feature rows: a page of many short lines stays small.
pub struct LineFeatures {
    base: Vec<Base>,
}

/// The features of the lines a page has shown, by text, for one language: a line seen
/// before (repeated on the page, or seen by an earlier call on the same page before the
/// rules removed more) is not computed again.
#[derive(Default)]
pub struct Seen {
    lang: Option<Lang>,
    /// The texts seen, one after another.
    texts: String,
    /// By hash of a text: where it stands in `texts`, and its features.
    lines: HashMap<u64, (std::ops::Range<usize>, Base)>,
}

impl Seen {
    /// Ready for `texts` in `lang`: what was remembered for another language goes, and
    /// an empty memo makes room for all of them at once rather than growing as they come.
    fn prepare(&mut self, lang: Lang, texts: &[&str]) {
        if self.lang != Some(lang) {
            self.texts.clear();
            self.lines.clear();
            self.lang = Some(lang);
        }
        if self.lines.is_empty() {
            self.lines.reserve(texts.len());
            self.texts.reserve(texts.iter().map(|t| t.len()).sum());
        }
    }

    /// The features of `t` in the language `prepare` was given, from an earlier line of
    /// the same text or computed now.
    fn get(&mut self, t: &str, lang: Lang, w: &Weights, key: &mut Vec<u8>) -> Base {
        use std::collections::hash_map::Entry;
        let h = rustc_hash::FxBuildHasher.hash_one(t);
        match self.lines.entry(h) {
            Entry::Occupied(e) if self.texts[e.get().0.clone()] == *t => e.get().1.clone(),
            // Another text of the same hash: computed, not remembered.
            Entry::Occupied(_) => features_of(t, lang, w, key),
            Entry::Vacant(e) => {
                let b = features_of(t, lang, w, key);
                let start = self.texts.len();
                self.texts.push_str(t);
                e.insert((start..self.texts.len(), b.clone()));
                b
            }
        }
    }
}

/// The features of line `t` alone, weighted into each stage's partial score.
fn features_of(t: &str, lang: Lang, w: &Weights, key: &mut Vec<u8>) -> Base {
    let mut row = [0.0; NAMES.len()];
    let mut b = line_features(t, lang, &mut row, key);
    b.partial = w
        .stages
        .each_ref()
        .map(|(_, w)| row.iter().zip(w).map(|(x, w)| x * w).sum());
    b.title = title_like(&row);
    b
}

impl LineFeatures {
    pub fn new(texts: &[&str], lang: Lang, w: &Weights, seen: &mut Seen) -> Self {
        seen.prepare(lang, texts);
        let mut key = Vec::new();
        let base = texts
            .iter()
            .map(|t| seen.get(t, lang, w, &mut key))
            .collect();
        LineFeatures { base }
    }

    /// The second stage's scores of the lines `pick` (indices into the texts given to
    /// `new`), laid out as `units` (one per pick) describe them now.
    pub fn scores(&self, pick: &[usize], units: &[Unit], w: &Weights) -> Vec<f64> {
        let base: Vec<&Base> = pick.iter().map(|&i| &self.base[i]).collect();
        let mut s = [0, 1].map(|k| base.iter().map(|b| b.partial[k]).collect::<Vec<f64>>());
        for (k, (bias, w)) in w.stages.iter().enumerate() {
            for ((u, b), s) in units.iter().zip(&base).zip(s[k].iter_mut()) {
                let (bb, ba) = (u.blank_before, u.blank_after);
                *s += bias
                    + w[c!("bb")] * flag(bb)
                    + w[c!("ba")] * flag(ba)
                    + w[c!("para")] * flag(bb && ba)
                    + w[c!("para_lw")] * flag(bb && ba) * b.lw;
            }
        }
        context(units, &base, &mut s, w);
        let [first, mut second] = s;
        first_scores(&first, &mut second, &w.context);
        second
    }

    /// Whether each line of `pick` is shaped like a title.
    pub fn titles(&self, pick: &[usize]) -> Vec<bool> {
        pick.iter().map(|&i| self.base[i].title).collect()
    }
}

/// A title line: 3 to 20 words, no sentence end, no separator, residue word, credit or
/// URL, few digits.
fn title_like(r: &Row) -> bool {
    // Rounded: `lw` is ln(1 + words), and e^ln(3) - 1 falls just short of 2. Two words
    // are too few: most such lines heading an article are its author's name.
    let words = r[c!("lw")].exp_m1().round();
    (3.0..=20.0).contains(&words)
        && [
            c!("endp"),
            c!("sep"),
            c!("kw"),
            c!("credit"),
            c!("mark"),
            c!("url"),
        ]
        .iter()
        .all(|&f| r[f] == 0.0)
        && r[c!("dig")] < 0.2
}

/// Fill `row` with the features of line `t` alone; return what context needs.
fn line_features(t: &str, lang: Lang, row: &mut Row, key: &mut Vec<u8>) -> Base {
    let counts = Counts::of(t, lang, key);
    let nc = counts.nc.max(1);
    // A run of CJK text is counted by its characters alone, not also as a word.
    let wl = if lang.is_cjk() {
        (counts.nw - counts.cjk_words) as f64 + counts.cjk as f64 / 1.5
    } else {
        counts.nw as f64
    };
    let swd = if lang.is_cjk() {
        lang.stopword_density(t)
    } else if counts.nw == 0 {
        0.0
    } else {
        counts.stop as f64 / counts.nw as f64
    };
    let endp = ends_sentence(t);
    let cap = if counts.alpha > 0 {
        counts.upper as f64 / counts.alpha as f64
    } else {
        0.0
    };
    let allcaps = counts.letters >= 2 && !counts.lower;
    let last = t.chars().next_back().unwrap_or(' ');
    let lw = Logs::get().ln_1p(wl);
    let m = marks(t);
    let kw = m.kw;
    let short = wl <= 3.0;
    let mark = wl <= 6.0 && mark_pattern().is_match(t);
    let set = |row: &mut Row, col: usize, v: f64| row[col] = v;
    set(row, c!("lw"), lw);
    set(row, c!("short"), flag(short));
    set(row, c!("endp"), flag(endp));
    set(row, c!("colon"), flag(last == ':'));
    set(row, c!("swd"), swd);
    set(row, c!("sw_x_lw"), swd * lw.min(41f64.ln()));
    set(row, c!("cap"), cap);
    set(row, c!("dig"), counts.digits as f64 / nc as f64);
    set(row, c!("sep"), flag(m.sep));
    set(row, c!("allcaps"), flag(allcaps));
    set(
        row,
        c!("comma"),
        (counts.commas as f64 / wl.max(1.0)).min(0.5),
    );
    set(row, c!("url"), flag(m.url));
    set(row, c!("bullet"), flag(bullet(t)));
    set(row, c!("kw"), flag(wl <= 12.0 && kw));
    set(row, c!("kwl"), flag(wl > 12.0 && kw));
    set(row, c!("tab"), flag(counts.tab));
    let first = t
        .trim_start_matches(|c: char| is_punct(c) || c == ' ')
        .chars()
        .next();
    set(
        row,
        c!("lower"),
        flag(counts.letters > 0 && first.is_some_and(char::is_lowercase)),
    );
    set(row, c!("icolon"), flag(last != ':' && label_colon(t)));
    set(row, c!("ellip"), flag(t.ends_with("...") || last == '…'));
    set(row, c!("credit"), flag(m.credit));
    set(
        row,
        c!("digit0"),
        flag(t.chars().next().is_some_and(|c| c.is_numeric())),
    );
    set(row, c!("mark"), flag(mark));
    set(row, c!("noalpha"), flag(counts.letters == 0));
    Base {
        wl,
        lw,
        swd,
        cap,
        short,
        prose: wl >= 10.0 && endp && swd >= 0.15,
        mark,
        dup: counts.dup,
        partial: [0.0; 2],
        title: false,
    }
}

/// The second stage's weights `v` of the first stage's scores `s1` (`CONTEXT`), added to
/// its scores `s`.
fn first_scores(s1: &[f64], s: &mut [f64], v: &[f64; CONTEXT.len()]) {
    if s1.is_empty() {
        return;
    }
    let near = Prefix::new(s1);
    let best = s1.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mean = s1.iter().sum::<f64>() / s1.len() as f64;
    let page = v[4] * best + v[5] * mean;
    for (i, s) in s.iter_mut().enumerate() {
        *s += v[0] * s1[i]
            + v[1] * near.mean(i, 1)
            + v[2] * near.mean(i, 3)
            + v[3] * near.mean(i, 10)
            + page;
    }
}

/// Features that look at the whole page and at neighbours, weighted into each stage's
/// scores `s`.
fn context(units: &[Unit], base: &[&Base], s: &mut [Vec<f64>; 2], w: &Weights) {
    let n = base.len();
    if n == 0 {
        return;
    }
    let get = |f: &dyn Fn(&Base) -> f64| base.iter().map(|b| f(b)).collect::<Vec<f64>>();
    let prose = get(&|b| flag(b.prose));
    let lw = get(&|b| b.lw);
    let swd = get(&|b| b.swd);
    let short = get(&|b| flag(b.short));
    let para: Vec<f64> = units
        .iter()
        .map(|u| flag(u.blank_before && u.blank_after))
        .collect();
    let prose_words: Vec<f64> = base.iter().map(|b| flag(b.prose) * b.wl).collect();

    // Blank-delimited blocks: a block starts at a unit with a blank line before it.
    let mut block = vec![0.0; n];
    let mut start = 0;
    for k in 1..=n {
        if k == n || units[k].blank_before {
            block[start..k].fill((k - start) as f64);
            start = k;
        }
    }
    // Page-relative stopword density and capitalisation, against the prose lines.
    let of_prose = |f: &dyn Fn(&Base) -> f64| {
        let v: Vec<f64> = base.iter().filter(|b| b.prose).map(|b| f(b)).collect();
        if v.is_empty() {
            median(base.iter().map(|b| f(b)).collect())
        } else {
            median(v)
        }
    };
    let (med_sw, med_cap) = (of_prose(&|b| b.swd), of_prose(&|b| b.cap));
    // Repeated lines.
    let mut count: HashMap<u64, u32> = HashMap::with_capacity_and_hasher(n, Default::default());
    for b in base {
        *count.entry(b.dup).or_insert(0) += 1;
    }
    let dup: Vec<f64> = base.iter().map(|b| flag(count[&b.dup] > 1)).collect();
    // Prose words before each unit, and the trailing-section marker.
    let total: f64 = prose_words.iter().sum();
    let mut cum = vec![0.0; n + 1];
    for i in 0..n {
        cum[i + 1] = cum[i] + prose_words[i];
    }
    let mut after_mark = vec![0.0; n];
    let mut seen = false;
    for i in 0..n {
        after_mark[i] = flag(seen);
        if base[i].mark && cum[i] >= 60.0 {
            seen = true;
        }
    }
    // Neighbour means, read from one set of prefix sums per column.
    let (para, prose, lw) = (Prefix::new(&para), Prefix::new(&prose), Prefix::new(&lw));
    let (swd, dup_p, short) = (Prefix::new(&swd), Prefix::new(&dup), Prefix::new(&short));
    let windows = [
        (c!("nb3_para"), &para, 3),
        (c!("nb1_prose"), &prose, 1),
        (c!("nb3_prose"), &prose, 3),
        (c!("nb8_prose"), &prose, 8),
        (c!("nb1_lw"), &lw, 1),
        (c!("nb3_lw"), &lw, 3),
        (c!("nb8_lw"), &lw, 8),
        (c!("nb1_sw"), &swd, 1),
        (c!("nb2_dup"), &dup_p, 2),
        (c!("nb2_short"), &short, 2),
    ];
    let pos = |i: usize| i as f64 / (n.max(2) - 1) as f64;
    let logs = Logs::get();
    for i in 0..n {
        // Summed apart and added once: the stages' scores are not read back per feature.
        let mut sum = [0.0; 2];
        let mut set = |col: usize, v: f64| {
            for (sum, (_, w)) in sum.iter_mut().zip(&w.stages) {
                *sum += w[col] * v;
            }
        };
        set(c!("blk"), logs.ln(block[i]));
        set(c!("rel_sw"), base[i].swd - med_sw);
        set(c!("rel_cap"), base[i].cap - med_cap);
        set(c!("after_mark"), after_mark[i]);
        set(c!("dup"), dup[i]);
        for (col, p, k) in &windows {
            set(*col, p.mean(i, *k));
        }
        for w in [10usize, 30] {
            let above = cum[i] - cum[i.saturating_sub(w)];
            let below = cum[(i + 1 + w).min(n)] - cum[i + 1];
            let (a, b, s) = match w {
                10 => (c!("above10"), c!("below10"), c!("sand10")),
                _ => (c!("above30"), c!("below30"), c!("sand30")),
            };
            let (above, below) = (logs.ln_1p(above), logs.ln_1p(below));
            set(a, above);
            set(b, below);
            // ln_1p rises with its argument, so this is ln_1p of the smaller count.
            set(s, above.min(below));
        }
        let before = cum[i];
        let after = total - cum[i + 1];
        if total > 0.0 {
            set(c!("prose_before"), before / total);
            set(c!("prose_after"), after / total);
        } else {
            set(c!("prose_before"), pos(i));
            set(c!("prose_after"), 1.0 - pos(i));
        }
        set(c!("no_prose_before"), flag(before == 0.0));
        set(c!("no_prose_after"), flag(after == 0.0));
        for (s, sum) in s.iter_mut().zip(sum) {
            s[i] += sum;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scores of `texts` (all picked, one block), with features from `seen`.
    fn scores_with(texts: &[&str], lang: Lang, seen: &mut Seen) -> Vec<f64> {
        let w = Weights {
            stages: [0.37, 0.53].map(|f| (0.0, std::array::from_fn(|k| (k as f64 * f).sin()))),
            context: [0.5, 0.2, 0.1, 0.1, -0.2, 0.3],
        };
        let units: Vec<Unit> = texts
            .iter()
            .map(|_| Unit {
                blank_before: false,
                blank_after: false,
            })
            .collect();
        let pick: Vec<usize> = (0..texts.len()).collect();
        LineFeatures::new(texts, lang, &w, seen).scores(&pick, &units, &w)
    }

    #[test]
    fn titles_have_three_to_twenty_words() {
        let w = Weights {
            stages: [(0.0, [0.0; NAMES.len()]); 2],
            context: [0.0; CONTEXT.len()],
        };
        let (twenty, many) = (["word"; 20].join(" "), ["word"; 21].join(" "));
        let texts = [
            "Jane Doe",
            "Council keeps library open",
            "The council met on Tuesday to discuss the budget.",
            &twenty,
            &many,
        ];
        let f = LineFeatures::new(&texts, Lang::new("en"), &w, &mut Seen::default());
        // A two-word line heading an article is most often its author's name.
        assert_eq!(
            f.titles(&[0, 1, 2, 3, 4]),
            [false, true, false, true, false]
        );
    }

    #[test]
    fn features_remembered_for_a_page_are_the_features_computed_afresh() {
        let page = [
            "Home | News | Sport",
            "The council met on Tuesday to discuss the budget for the coming year.",
            "Share",
            "Der Rat hat am Dienstag über den Haushalt beraten.",
            "Share",
        ];
        let (en, de) = (Lang::new("en"), Lang::new("de"));
        let fresh = |texts: &[&str], lang| scores_with(texts, lang, &mut Seen::default());
        let mut seen = Seen::default();
        // The repeated line is computed once; a later call on fewer lines, and one in
        // another language, read or recompute what they need.
        assert_eq!(scores_with(&page, en, &mut seen), fresh(&page, en));
        assert_eq!(seen.lines.len(), 4);
        let fewer = [page[1], page[3], page[4]];
        assert_eq!(scores_with(&fewer, en, &mut seen), fresh(&fewer, en));
        assert_eq!(scores_with(&fewer, de, &mut seen), fresh(&fewer, de));
        assert_ne!(fresh(&fewer, de), fresh(&fewer, en));
    }

    #[test]
    fn the_second_stage_reads_the_first_stages_scores_around_a_line() {
        let s1 = [4.0, -2.0, 1.0, 3.0];
        let one = |k: usize| {
            let mut v = [0.0; CONTEXT.len()];
            v[k] = 1.0;
            let mut s = vec![0.0; s1.len()];
            first_scores(&s1, &mut s, &v);
            s
        };
        assert_eq!(one(0), s1);
        // Neighbours within one line, the line itself left out.
        assert_eq!(one(1), [-2.0, 2.5, 0.5, 1.0]);
        // Within three and ten lines, every other line of this short page.
        assert_eq!(one(2), [2.0 / 3.0, 8.0 / 3.0, 5.0 / 3.0, 1.0]);
        assert_eq!(one(3), one(2));
        assert_eq!(one(4), [4.0; 4]);
        assert_eq!(one(5), [1.5; 4]);
        let mut s = vec![1.0; 4];
        first_scores(&s1, &mut s, &[0.5, 0.0, 0.0, 0.0, 0.0, 0.25]);
        assert_eq!(s, [3.375, 0.375, 1.875, 2.875], "added to the scores given");
    }

    #[test]
    fn log_tables_give_the_computed_values() {
        let l = Logs::get();
        for x in [
            0.0,
            -0.0,
            1.0,
            2.5,
            7.0,
            4095.0,
            4096.0,
            1e9,
            f64::NAN,
            -3.0,
        ] {
            assert_eq!(l.ln(x).to_bits(), x.ln().to_bits(), "ln {x}");
            assert_eq!(l.ln_1p(x).to_bits(), x.ln_1p().to_bits(), "ln_1p {x}");
        }
    }

    #[test]
    fn names_are_unique_and_shapes_read_right() {
        for (i, n) in NAMES.iter().enumerate() {
            assert_eq!(col(n), i);
        }
        assert!(ends_sentence("He said so.\""));
        assert!(!ends_sentence("Home"));
        // Other scripts' sentence ends, and CJK closing brackets after them.
        for t in ["बारिश दर्ज की गई।", "هل هذا صحيح؟", "「そうですね。」"]
        {
            assert!(ends_sentence(t), "{t}");
        }
        assert!(!ends_sentence("प्रशासन"));
        assert_eq!(window_means(&[1.0, 2.0, 3.0], 1), vec![2.0, 2.0, 2.0]);
    }
}
