//! The document the engine works on, and the provenance record every stage writes.

use serde::Serialize;
use std::sync::Arc;

/// One input line. `no` is the 1-based line number in the normalized input and never
/// changes, so every removal can point back at the line it came from.
#[derive(Debug, Clone)]
pub struct Line {
    pub no: usize,
    pub text: String,
    pub kept: bool,
    /// The text trimmed with inner white space as single spaces, when that differs
    /// from `text`: what whole-line patterns are matched against.
    squashed: Option<Box<str>>,
    /// Words in the line, counted once: many rules and heuristics ask.
    words: usize,
}

impl Line {
    pub fn new(no: usize, text: String) -> Self {
        let mut line = Line {
            no,
            text: String::new(),
            kept: true,
            squashed: None,
            words: 0,
        };
        line.set_text(text);
        line
    }

    /// Replace the text (keeping the match key and word count in step).
    pub fn set_text(&mut self, text: String) {
        (self.squashed, self.words) = shape(&text);
        self.text = text;
    }

    /// Number of whitespace-separated words.
    pub fn words(&self) -> usize {
        self.words
    }

    /// The text without leading and trailing white space: the text itself when it has
    /// none (known from its shape, so most lines need no trim).
    pub fn trimmed(&self) -> &str {
        match self.squashed {
            None => &self.text,
            Some(_) => self.text.trim(),
        }
    }

    /// The line trimmed, inner white space runs as one space.
    pub fn key(&self) -> &str {
        self.squashed.as_deref().unwrap_or(&self.text)
    }

    /// A line that still holds text: the unit windows and neighbours are counted in.
    pub fn is_live(&self) -> bool {
        self.kept && self.words > 0
    }
}

/// What a removal did to its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// A span inside the line was removed; the rest of the line stays.
    Strip,
    /// A span inside the line was rewritten.
    Replace,
    /// The whole line was removed.
    Drop,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Strip => "strip",
            Change::Replace => "replace",
            Change::Drop => "drop",
        }
    }
}

/// The provenance record: one per removal, built once in the engine and read by
/// `explain`, `--diff`, the report and `test`.
#[derive(Debug, Clone, Serialize)]
pub struct Removal {
    pub rule_id: Arc<str>,
    pub change: Change,
    /// 1-based line number in the normalized input.
    pub line: usize,
    /// Byte range within the line as it stood when the rule ran (strip/replace only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<(usize, usize)>,
    /// The text removed: the span for strip/replace, the whole line for drop.
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    /// For a line a scoring heuristic dropped (main-content): why, in numbers.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub score: Option<Score>,
}

/// A line's score from a scoring heuristic, the threshold it had to pass to stay, and
/// whether it stood in the page's main text (main-content's thresholds differ there).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Score {
    pub score: f32,
    pub threshold: f32,
    pub in_main_text: bool,
}

/// As `explain` and `test` show it: `score -3.20, needs > 1.00 outside the main text`.
impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let place = if self.in_main_text { "in" } else { "outside" };
        write!(
            f,
            "score {:.2}, needs > {:.2} {place} the main text",
            self.score, self.threshold
        )
    }
}

impl Score {
    /// Score and threshold to three decimals, as they are shown.
    pub fn new(score: f64, threshold: f64, in_main_text: bool) -> Score {
        let round = |x: f64| ((x * 1000.0).round() / 1000.0) as f32;
        Score {
            score: round(score),
            threshold: round(threshold),
            in_main_text,
        }
    }
}

/// A line a scoring heuristic (main-content) judged on its last decision and kept: the
/// score it had and the threshold it passed. What `explain --kept` shows, and what
/// `rinse test` names when such a line is residue a fixture wants gone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kept {
    pub rule_id: Arc<str>,
    /// 1-based line number in the normalized input.
    pub line: usize,
    #[serde(flatten)]
    pub score: Score,
    /// Kept as the title line above the main text, whatever its score.
    pub headline: bool,
}

/// As `explain --kept` and `test` show it: the score, or the headline's reason.
impl std::fmt::Display for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.score)?;
        if self.headline {
            write!(f, "; kept as the headline above the main text")?;
        }
        Ok(())
    }
}

/// Lines plus the removals made so far.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub lines: Vec<Line>,
    pub removals: Vec<Removal>,
    /// The lines a scoring heuristic kept on its last decision over the page.
    pub kept: Vec<Kept>,
}

/// A document of more lines of text than this is a list or a dump (many pages in one
/// file), not a web page: the steps that cut a page from a heading to its end (or from
/// its start) leave it alone, since one section's "Comments" there is not the page's.
/// The longest dev page has 2,266.
pub const PAGE_LINES: usize = 5000;

impl Document {
    pub fn from_text(text: &str) -> Self {
        // Lines split with the memchr crate: its search costs less per (short) line.
        // Counted first, so the vector is allocated once.
        let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
        let mut start = 0;
        let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
        lines.extend(ends.enumerate().map(|(i, end)| {
            let line = &text[start..end];
            start = end + 1;
            Line::new(i + 1, line.trim_end().to_string())
        }));
        Document {
            lines,
            removals: Vec::new(),
            kept: Vec::new(),
        }
    }

    /// Whether the document is the size of one page: at most `PAGE_LINES` lines of text.
    pub fn is_page_sized(&self) -> bool {
        self.lines
            .iter()
            .filter(|l| l.is_live())
            .nth(PAGE_LINES)
            .is_none()
    }

    /// Indices of the lines that still hold text, in document order.
    pub fn live(&self) -> Vec<usize> {
        // Sized for every line: growing it as it fills cost more than the spare room.
        let mut live = Vec::with_capacity(self.lines.len());
        live.extend((0..self.lines.len()).filter(|&i| self.lines[i].is_live()));
        live
    }

    /// Remove a whole line and record why. Blank lines go unrecorded: they carry no
    /// text, and tidy would collapse them anyway.
    pub fn drop_line(&mut self, idx: usize, rule_id: &Arc<str>) {
        self.drop_scored(idx, rule_id, None);
    }

    /// [`Document::drop_line`], recording the score that decided it.
    pub fn drop_scored(&mut self, idx: usize, rule_id: &Arc<str>, score: Option<Score>) {
        let line = &mut self.lines[idx];
        if !line.kept {
            return;
        }
        line.kept = false;
        // No words: only white space.
        if line.words == 0 {
            return;
        }
        self.removals.push(Removal {
            rule_id: rule_id.clone(),
            change: Change::Drop,
            line: line.no,
            span: None,
            text: std::mem::take(&mut line.text),
            replacement: None,
            score,
        });
        line.squashed = None;
        line.words = 0;
    }

    /// Number of words in live lines in `range` (indices into `lines`).
    pub fn words_in(&self, range: std::ops::Range<usize>) -> usize {
        self.lines[range]
            .iter()
            .filter(|l| l.is_live())
            .map(Line::words)
            .sum()
    }

    /// Removals in document order (line, then position in the line); stable, so
    /// records of one line keep the order the rules ran in.
    pub fn into_sorted_removals(self) -> Vec<Removal> {
        let mut r = self.removals;
        r.sort_by_key(|r| (r.line, r.span.map_or(0, |s| s.0)));
        r
    }
}

/// The match key (`Some` when `s` has leading, trailing or repeated white space, or
/// a tab or ideographic space) and the number of words.
fn shape(s: &str) -> (Option<Box<str>>, usize) {
    if let Some((clean, words)) = ascii_shape(s.as_bytes()) {
        let space = |c: char| matches!(c, '\t'..='\r' | ' ');
        return ((!clean).then(|| squash(s, space)), words);
    }
    shape_of_chars(s)
}

/// [`shape`] character by character: its definition, and the way for lines with a
/// non-ASCII space.
fn shape_of_chars(s: &str) -> (Option<Box<str>>, usize) {
    let clean = !s.starts_with(char::is_whitespace)
        && !s.ends_with(char::is_whitespace)
        && !s
            .as_bytes()
            .windows(2)
            .any(|w| w[0].is_ascii_whitespace() && w[1].is_ascii_whitespace())
        && !s.contains(['\t', '\u{3000}']);
    let words = s.split_whitespace().count();
    ((!clean).then(|| squash(s, char::is_whitespace)), words)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = ONES * 0x80;

/// The high bit of every byte of `x` that is `v`.
fn bytes_eq(x: u64, v: u8) -> u64 {
    let t = x ^ (ONES * u64::from(v));
    !(((t & !HIGH) + !HIGH) | t) & HIGH
}

/// [`shape`] of a line whose white space is all ASCII, eight bytes at a time: whether
/// it is clean (no key needed) and its word count. None when it has a non-ASCII
/// space. White space as `char::is_whitespace` sees ASCII is TAB..=CR and space;
/// repeats are pairs of `is_ascii_whitespace` bytes, which leaves out VT.
fn ascii_shape(b: &[u8]) -> Option<(bool, usize)> {
    let mut shape = AsciiShape {
        words: 0,
        repeat: 0,
        // A line starts after white space.
        prev_space: 0x80,
        prev_ascii_space: 0,
    };
    let mut at = 0;
    while let Some(c) = b.get(at..at + 8) {
        let x = u64::from_le_bytes(c.try_into().expect("eight bytes"));
        if !shape.add(b, at, x, HIGH) {
            return None;
        }
        at += 8;
    }
    if at < b.len() {
        // Padded with zero bytes, which are not white space but start no word
        // either: `real` leaves them out.
        let x = b[at..].iter().rev().fold(0, |x, &c| x << 8 | u64::from(c));
        if !shape.add(b, at, x, HIGH >> (8 * (8 - (b.len() - at)))) {
            return None;
        }
    }
    let space = |c: Option<&u8>| c.is_some_and(|c| matches!(c, b'\t'..=b'\r' | b' '));
    let clean = shape.repeat == 0 && !space(b.first()) && !space(b.last());
    Some((clean, shape.words))
}

/// What [`ascii_shape`] has seen so far.
struct AsciiShape {
    words: usize,
    /// Nonzero once a repeat or a tab is seen.
    repeat: u64,
    /// The previous byte's flags, at the first byte's high bit.
    prev_space: u64,
    prev_ascii_space: u64,
}

impl AsciiShape {
    /// Add the eight bytes `x` at `b[at..]`, of which those whose high bit is in
    /// `real` are in the line. False when they start a non-ASCII space.
    #[inline(always)]
    fn add(&mut self, b: &[u8], at: usize, x: u64, real: u64) -> bool {
        // Non-ASCII spaces start with C2, E1, E2 or E3.
        if x & HIGH != 0 {
            let mut leads = bytes_eq(x, 0xC2) | bytes_eq(x & (ONES * 0xFC), 0xE0);
            while leads != 0 {
                if unicode_space(&b[at + leads.trailing_zeros() as usize / 8..]) {
                    return false;
                }
                leads &= leads - 1;
            }
        }
        let low = x & !HIGH;
        // TAB..=CR, rare in a line: only then look for the tab and VT among them.
        let controls = (low + ONES * (0x80 - 9)) & !(low + ONES * (0x80 - 14)) & !x & HIGH;
        let space = bytes_eq(x, b' ') | controls;
        let mut ascii_space = space;
        if controls != 0 {
            ascii_space &= !bytes_eq(x, 0x0B);
            self.repeat |= bytes_eq(x, b'\t');
        }
        let starts = !space & real & ((space << 8) | self.prev_space);
        // One bit per byte: their sum, in the top byte.
        self.words += ((starts >> 7).wrapping_mul(ONES) >> 56) as usize;
        self.repeat |= ascii_space & ((ascii_space << 8) | self.prev_ascii_space);
        self.prev_space = space >> 56;
        self.prev_ascii_space = ascii_space >> 56;
        true
    }
}

/// Whether `s` starts with a non-ASCII white space character: U+0085, U+00A0,
/// U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
fn unicode_space(s: &[u8]) -> bool {
    matches!(
        s,
        [0xC2, 0x85 | 0xA0, ..]
            | [0xE1, 0x9A, 0x80, ..]
            | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
            | [0xE2, 0x81, 0x9F, ..]
            | [0xE3, 0x80, 0x80, ..]
    )
}

/// The words of `s` (between `space`s) joined by single spaces.
fn squash(s: &str, space: impl Fn(char) -> bool) -> Box<str> {
    let mut out = String::with_capacity(s.len());
    for w in s.split(space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_agrees_with_its_definition() {
        let alphabet = [
            "a", "é", " ", "\t", "\u{b}", "\u{c}", "\r", "\u{85}", "\u{a0}", "\u{1680}",
            "\u{2000}", "\u{200a}", "\u{200b}", "\u{2028}", "\u{202f}", "\u{205f}", "\u{3000}",
            "\u{3001}", "€", "😀", "x", "\n", "’",
        ];
        let n = alphabet.len();
        // Every string of up to three symbols, and longer ones walked by a counter.
        let mut cases = vec![String::new()];
        for a in 0..n {
            for b in 0..=n {
                for c in 0..=n {
                    let mut s = alphabet[a].to_string();
                    s.push_str(alphabet.get(b).copied().unwrap_or(""));
                    s.push_str(alphabet.get(c).copied().unwrap_or(""));
                    cases.push(s);
                }
            }
        }
        // Longer ones, to cross the eight-byte chunks, from a xorshift generator.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..5000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            let s: String = (0..len)
                .map(|k| alphabet[(state >> (k % 60)) as usize % n])
                .collect();
            cases.push(s);
        }
        for s in &cases {
            assert_eq!(shape(s), shape_of_chars(s), "{s:?}");
            assert_eq!(Line::new(1, s.clone()).trimmed(), s.trim(), "{s:?}");
        }
    }
}
