//! Text normalization before the rules see it, as named steps that a rule file's
//! `[normalize]` table switches on and off: one line ending, HTML references decoded,
//! mojibake repaired, control and invisible characters removed, plain spaces, NFC.
//!
//! Line endings are unified first over the whole text (not recorded: every line number
//! refers to the text after it). The other steps work line by line and record each
//! change as a [`Removal`] under `normalize/<step>`, like any rule. Lines (and whole
//! texts) that no step would change are passed through without allocating.

mod badness;
mod chars;
pub mod codepage;
mod entities;
pub mod mojibake;
mod tables;

pub use badness::is_bad;

use crate::document::{Change, Removal};
use std::borrow::Cow;
use std::sync::{Arc, LazyLock};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The prefix of every normalization step's id.
pub const STEM: &str = "normalize";

/// One normalization step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    LineEndings,
    Entities,
    Mojibake,
    Controls,
    ZeroWidth,
    Spaces,
    Ligatures,
    Width,
    Quotes,
    Nfc,
}

/// What a step is called, whether it is on by default, and what it does.
#[derive(Debug, Clone, Copy)]
pub struct StepInfo {
    pub step: Step,
    /// The key in `[normalize]` and the id after `normalize/`.
    pub name: &'static str,
    pub default: bool,
    pub summary: &'static str,
}

/// Every step, in the order they run.
pub const STEPS: [StepInfo; 10] = [
    StepInfo {
        step: Step::LineEndings,
        name: "line-endings",
        default: true,
        summary: "CRLF, CR, U+2028, U+2029 (and U+0085 where the text uses it as one) to LF",
    },
    StepInfo {
        step: Step::Entities,
        name: "entities",
        default: true,
        summary: "HTML references left in text decoded (&amp; &eacute; &#8217;); lines with `<` are left alone",
    },
    StepInfo {
        step: Step::Mojibake,
        name: "mojibake",
        default: true,
        summary: "UTF-8 read as windows-1252, latin-1, 1250, 1251, 1257, ISO-8859-2, MacRoman or cp437 repaired (HÃ´tel -> Hôtel), only where the text looks broken",
    },
    StepInfo {
        step: Step::Controls,
        name: "controls",
        default: true,
        summary: "control characters and terminal escapes removed; C1 controls read as the windows-1252 characters they were",
    },
    StepInfo {
        step: Step::ZeroWidth,
        name: "zero-width",
        default: true,
        summary: "zero-width spaces, soft hyphens, word joiners and stray byte-order marks removed",
    },
    StepInfo {
        step: Step::Spaces,
        name: "spaces",
        default: true,
        summary: "no-break and other fixed-width spaces to a plain space",
    },
    StepInfo {
        step: Step::Ligatures,
        name: "ligatures",
        default: false,
        summary: "Latin ligatures and digraphs split into letters (ﬁ -> fi)",
    },
    StepInfo {
        step: Step::Width,
        name: "width",
        default: false,
        summary: "full-width and half-width forms folded (ＬＯＵＤ -> LOUD); wrong for much CJK text",
    },
    StepInfo {
        step: Step::Quotes,
        name: "quotes",
        default: false,
        summary: "curly quotes straightened (“it’s” -> \"it's\")",
    },
    StepInfo {
        step: Step::Nfc,
        name: "nfc",
        default: true,
        summary: "Unicode NFC: composed characters (e + U+0301 -> é)",
    },
];

impl Step {
    fn index(self) -> usize {
        // STEPS lists the steps in declaration order (checked by a test).
        self as usize
    }

    /// This step's bit in a mask of steps.
    fn bit(self) -> u16 {
        1 << self.index()
    }

    pub fn info(self) -> &'static StepInfo {
        &STEPS[self.index()]
    }

    pub fn by_name(name: &str) -> Option<Step> {
        STEPS.iter().find(|s| s.name == name).map(|s| s.step)
    }

    /// `normalize/<name>`: the id in the provenance record, `explain` and `rules`.
    pub fn id(self) -> &'static Arc<str> {
        &IDS[self.index()]
    }
}

static IDS: LazyLock<Vec<Arc<str>>> = LazyLock::new(|| {
    STEPS
        .iter()
        .map(|s| Arc::from(format!("{STEM}/{}", s.name)))
        .collect()
});

/// Which steps are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Settings {
    on: [bool; STEPS.len()],
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            on: STEPS.map(|s| s.default),
        }
    }
}

impl Settings {
    /// Every step off: the text goes through untouched.
    pub fn none() -> Self {
        Settings {
            on: [false; STEPS.len()],
        }
    }

    pub fn is_on(&self, step: Step) -> bool {
        self.on[step.index()]
    }

    pub fn set(&mut self, step: Step, on: bool) {
        self.on[step.index()] = on;
    }
}

/// One change a step makes to a line: bytes `start..end` become `with`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub with: String,
}

/// What a line step gives: the new line and its edits, or None when nothing changed.
pub type Edited = Option<(String, Vec<Edit>)>;

/// `line` with `edits` (sorted, not overlapping) applied.
fn apply_edits(line: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut last = 0;
    for e in edits {
        out.push_str(&line[last..e.start]);
        out.push_str(&e.with);
        last = e.end;
    }
    out.push_str(&line[last..]);
    out
}

/// The result of normalizing a text.
#[derive(Debug, Clone)]
pub struct Normalized<'a> {
    /// The text after line endings were unified: what the line steps start from, with
    /// the same lines as `text`.
    pub unified: Cow<'a, str>,
    /// The normalized text, when a line step changed something.
    pub changed: Option<String>,
    /// One record per change, in document order.
    pub records: Vec<Removal>,
}

impl Normalized<'_> {
    /// The normalized text.
    pub fn text(&self) -> &str {
        self.changed.as_deref().unwrap_or(&self.unified)
    }
}

/// Normalize `text` with the default steps.
pub fn normalize(text: &str) -> String {
    normalize_with(text, &Settings::default())
        .text()
        .to_string()
}

/// Rounds of the line steps at most; each round runs every step once, and rounds
/// repeat until the line is stable (`&amp;amp;` takes two), so a second run changes
/// nothing. Enough for entities escaped again and again (a page through 70 escaping
/// CMS layers, say); bounded, so a line of a million cannot take quadratic time.
const MAX_ROUNDS: usize = 1000;

/// Normalize `text` with the steps of `settings`.
pub fn normalize_with<'a>(text: &'a str, settings: &Settings) -> Normalized<'a> {
    let unified = if settings.is_on(Step::LineEndings) {
        line_endings(text)
    } else {
        Cow::Borrowed(text)
    };
    let mut out = Normalized {
        unified,
        changed: None,
        records: Vec::new(),
    };
    // Plain lines are passed over one by one below; a test of the whole text for plain
    // ASCII first would be one more pass over nearly every page, as most hold some
    // non-ASCII character.
    if !settings.on[1..].iter().any(|&b| b) {
        return out;
    }
    let src: &str = &out.unified;
    let mut changed: Option<String> = None;
    // `src[..copied]` is in `changed`: unchanged lines are copied in runs.
    let (mut start, mut copied) = (0, 0);
    // Lines split with the memchr crate: its search costs less per (short) line.
    let ends = memchr::memchr_iter(b'\n', src.as_bytes()).chain([src.len()]);
    for (i, end) in ends.enumerate() {
        if let Some(new) = normalize_line(&src[start..end], i + 1, settings, &mut out.records) {
            let o = changed.get_or_insert_with(|| String::with_capacity(src.len() + 64));
            o.push_str(&src[copied..start]);
            o.push_str(&new);
            copied = end;
        }
        start = end + 1;
    }
    if let Some(o) = changed.as_mut() {
        o.push_str(&src[copied..]);
    }
    out.changed = changed;
    out
}

/// ASCII with nothing a step would change, from the text's [`ascii_flags`]: printable
/// characters, tabs, line feeds, and no `&` when references are decoded.
fn plain(flags: u8, settings: &Settings) -> bool {
    let amp = settings.is_on(Step::Entities) && flags & AMP != 0;
    let controls = settings.is_on(Step::Controls) && flags & CONTROL != 0;
    flags & NON_ASCII == 0 && !amp && !controls
}

/// [`ascii_flags`]: a byte of 0x80 or more.
const NON_ASCII: u8 = 1;
/// `&`.
const AMP: u8 = 2;
/// A control character but tab and line feed (or DEL).
const CONTROL: u8 = 4;
const LF: u8 = 8;

/// Which kinds of byte `b` holds: one pass without an early exit, which the compiler
/// vectorizes (the early exit of `all` cost more than it saved).
fn ascii_flags(b: &[u8]) -> u8 {
    // Bitwise, not lazy, operators: a branch would stop the vectorizing.
    b.iter().fold(0, |f, &c| {
        f | (u8::from(c >= 0x80) * NON_ASCII)
            | (u8::from(c == b'&') * AMP)
            | (u8::from((c < 0x20) & (c != b'\t') & (c != b'\n') | (c == 0x7F)) * CONTROL)
            | (u8::from(c == b'\n') * LF)
    })
}

/// CRLF, CR, U+2028 and U+2029 to LF. U+0085 (NEL) is a line break only in a text
/// that has no LF or CR of its own, no other C1 controls and at least two NELs: one
/// from a system that ends lines with NEL. Elsewhere NEL is nearly always the
/// windows-1252 ellipsis read as Latin-1 ("parlé\u{85} Tu sais"), and the controls
/// step makes it one.
fn line_endings(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let has_cr = memchr::memchr(b'\r', b).is_some();
    // U+2028 and U+2029 are E2 80 A8 and E2 80 A9: a byte search, not a char one.
    let has_sep =
        memchr::memchr_iter(0xE2, b).any(|i| matches!(b[i + 1..], [0x80, 0xA8 | 0xA9, ..]));
    // Cheapest test first: nearly every text has a line feed.
    let nel_breaks = !has_cr
        && memchr::memchr(b'\n', b).is_none()
        && text.matches('\u{85}').count() >= 2
        && !b
            .windows(2)
            .any(|w| w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1]) && w[1] != 0x85);
    if !has_cr && !has_sep && !nel_breaks {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\u{85}' if nel_breaks => out.push('\n'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The line steps in the order they run.
const LINE_STEPS: [Step; 9] = [
    Step::Entities,
    Step::Mojibake,
    Step::Controls,
    Step::ZeroWidth,
    Step::Spaces,
    Step::Ligatures,
    Step::Width,
    Step::Quotes,
    Step::Nfc,
];

/// Normalize one line (no line breaks in it), recording each change. None when the
/// line stays as it is.
pub fn normalize_line(
    line: &str,
    no: usize,
    settings: &Settings,
    records: &mut Vec<Removal>,
) -> Option<String> {
    let flags = ascii_flags(line.as_bytes());
    if plain(flags, settings) {
        return None;
    }
    let mut cur: Cow<str> = Cow::Borrowed(line);
    let mut todo = candidates(line, flags, true);
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        for step in LINE_STEPS {
            if todo & step.bit() == 0 || !settings.is_on(step) {
                continue;
            }
            if let Some((new, edits)) = apply(step, &cur, settings) {
                for e in edits {
                    records.push(record(step, no, &cur, e));
                }
                cur = Cow::Owned(new);
                // Repair runs to a fixpoint itself: only a later step can give it
                // more to do.
                todo = candidates(&cur, ascii_flags(cur.as_bytes()), step != Step::Mojibake);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    match cur {
        Cow::Owned(s) if s != line => Some(s),
        _ => None,
    }
}

/// The steps that might change `line` (whose [`ascii_flags`] are `ascii`), as a mask
/// of [`Step::bit`]s; a step not in it is not run. The mojibake step is a candidate
/// only where the line looks broken (and when `mojibake` asks for that scan).
fn candidates(line: &str, ascii: u8, mojibake: bool) -> u16 {
    let bit = Step::bit;
    let b = line.as_bytes();
    let mut m = 0;
    if ascii & AMP != 0 {
        m |= bit(Step::Entities);
    }
    if ascii & (CONTROL | LF) != 0 {
        m |= bit(Step::Controls);
    }
    if ascii & NON_ASCII == 0 {
        return m;
    }
    // Only the non-ASCII characters are looked at one by one; the scan is given the
    // ASCII runs between them whole.
    let mut scan = badness::Scan::default();
    let mut bad = !mojibake;
    let mut end = 0;
    for (at, c) in non_ascii(line) {
        if !bad && (scan.push_ascii(&b[end..at]) || scan.push(c, badness::categories(c))) {
            bad = true;
            m |= bit(Step::Mojibake);
        }
        end = at + c.len_utf8();
        let u = c as u32;
        if u >= 0x300 {
            m |= bit(Step::Nfc);
        }
        m |= match u {
            0x80..=0x9F | 0x206A..=0x206F | 0xFFF9..=0xFFFC => bit(Step::Controls),
            0xA0 | 0x1680 | 0x2000..=0x200A | 0x202F | 0x205F => bit(Step::Spaces),
            0x00AD | 0x200B | 0x2060 | 0xFEFF | 0x180E => bit(Step::ZeroWidth),
            0x2BC | 0x2018..=0x201F => bit(Step::Quotes),
            0x132 | 0x133 | 0x149 | 0x1C4..=0x1CC | 0x1F1..=0x1F3 | 0xFB00..=0xFB06 => {
                bit(Step::Ligatures)
            }
            0x3000 | 0xFF01..=0xFFEF => bit(Step::Width),
            _ => 0,
        };
    }
    if !bad && scan.push_ascii(&b[end..]) {
        m |= bit(Step::Mojibake);
    }
    m
}

/// The non-ASCII characters of `s` with their offsets; the ASCII between them is
/// skipped eight bytes at a time.
fn non_ascii(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        at += non_ascii_at(&s.as_bytes()[at..]);
        let c = s[at..].chars().next()?;
        at += c.len_utf8();
        Some((at - c.len_utf8(), c))
    })
}

/// The offset of the first non-ASCII byte of `b` (its length if none), eight bytes
/// at a time.
fn non_ascii_at(b: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = b.chunks_exact(8);
    for (k, c) in chunks.by_ref().enumerate() {
        let high = u64::from_le_bytes(c.try_into().expect("eight bytes")) & HIGH;
        if high != 0 {
            return k * 8 + high.trailing_zeros() as usize / 8;
        }
    }
    let tail = chunks.remainder();
    b.len() - tail.len() + tail.iter().position(|&c| c >= 0x80).unwrap_or(tail.len())
}

fn record(step: Step, line: usize, text: &str, e: Edit) -> Removal {
    let (change, replacement) = if e.with.is_empty() {
        (Change::Strip, None)
    } else {
        (Change::Replace, Some(e.with))
    };
    Removal {
        rule_id: step.id().clone(),
        change,
        line,
        span: Some((e.start, e.end)),
        text: text[e.start..e.end].to_string(),
        replacement,
        score: None,
    }
}

/// Run one step on a line: the new line and its edits, or None when it changes nothing.
fn apply(step: Step, line: &str, settings: &Settings) -> Edited {
    match step {
        Step::LineEndings => None,
        // A line with `<` may be markup, where `&lt;` must stay escaped.
        Step::Entities if line.contains('<') => None,
        Step::Entities => entities::decode(line),
        Step::Mojibake => {
            if line.is_ascii() {
                return None;
            }
            // Only run where `candidates` found the line bad.
            let fixed = mojibake::fix_bad(line)?;
            // A repair never splits a line; and U+0085 is only safe where the
            // controls step turns it into an ellipsis.
            let nel_left = !settings.is_on(Step::Controls) && fixed.contains('\u{85}');
            if nel_left || fixed.contains(['\u{2028}', '\u{2029}', '\r', '\n']) {
                return None;
            }
            let edits = word_edits(line, &fixed);
            Some((fixed, edits))
        }
        Step::Controls => chars::controls(line),
        Step::ZeroWidth => chars::zero_width(line),
        Step::Spaces => chars::spaces(line),
        Step::Ligatures => chars::ligatures(line),
        Step::Width => chars::width(line),
        Step::Quotes => chars::quotes(line),
        Step::Nfc => {
            // ASCII resets the quick check, so each run of it can stand as one space.
            let mut end = 0;
            let chars = non_ascii(line).flat_map(|(at, c)| {
                let gap = at > end;
                end = at + c.len_utf8();
                gap.then_some(' ').into_iter().chain([c])
            });
            if line.is_ascii() || is_nfc_quick(chars) == IsNormalized::Yes {
                return None;
            }
            let nfc: String = line.nfc().collect();
            if nfc == line {
                return None;
            }
            let edits = word_edits(line, &nfc);
            Some((nfc, edits))
        }
    }
}

/// The edits that turn `old` into `new`, word by word where both have the same
/// number of words between the same white space (mojibake repair and NFC keep words
/// apart), else one edit over the words that differ.
fn word_edits(old: &str, new: &str) -> Vec<Edit> {
    let (mut ow, mut nw) = (Words::new(old), Words::new(new));
    let mut edits = Vec::new();
    let (mut last_old, mut last_new) = (0, 0);
    loop {
        match (ow.next(), nw.next()) {
            (Some((os, oe)), Some((ns, ne))) => {
                // The white space between words must agree too.
                if old[last_old..os] != new[last_new..ns] {
                    return whole(old, new);
                }
                if old[os..oe] != new[ns..ne] {
                    edits.push(Edit {
                        start: os,
                        end: oe,
                        with: new[ns..ne].to_string(),
                    });
                }
                (last_old, last_new) = (oe, ne);
            }
            (None, None) if old[last_old..] == new[last_new..] => return edits,
            _ => return whole(old, new),
        }
    }
}

/// Byte ranges of the words (runs without white space) of a line.
struct Words<'a> {
    s: &'a str,
    at: usize,
}

impl<'a> Words<'a> {
    fn new(s: &'a str) -> Self {
        Words { s, at: 0 }
    }
}

impl Iterator for Words<'_> {
    type Item = (usize, usize);

    /// Words are split at ASCII white space and no-break spaces (what mojibake repair
    /// keeps in place); other spaces stay inside words, which only widens an edit.
    fn next(&mut self) -> Option<(usize, usize)> {
        let b = self.s.as_bytes();
        let sep = |i: usize| match b[i] {
            b' ' | b'\t' | 0x0B | 0x0C | b'\r' | b'\n' => 1,
            0xC2 if b.get(i + 1) == Some(&0xA0) => 2,
            _ => 0,
        };
        let mut i = self.at;
        loop {
            if i >= b.len() {
                self.at = i;
                return None;
            }
            match sep(i) {
                0 => break,
                n => i += n,
            }
        }
        let start = i;
        while i < b.len() && sep(i) == 0 {
            i += 1;
        }
        self.at = i;
        Some((start, i))
    }
}

/// One edit from the first to the last differing byte, widened to whole words.
fn whole(old: &str, new: &str) -> Vec<Edit> {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let suffix = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    let mut start = prefix;
    while start > 0 && !old[..start].ends_with(char::is_whitespace) {
        start -= old[..start].chars().next_back().map_or(1, char::len_utf8);
    }
    let mut end = old.len() - suffix;
    let mut new_end = new.len() - suffix;
    while end < old.len() && !old[end..].starts_with(char::is_whitespace) {
        let n = old[end..].chars().next().map_or(1, char::len_utf8);
        end += n;
        new_end += n;
    }
    vec![Edit {
        start,
        end,
        with: new[start..new_end].to_string(),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_listed_in_order() {
        for (i, s) in STEPS.iter().enumerate() {
            assert_eq!(s.step as usize, i);
        }
    }

    #[test]
    fn line_endings_and_spaces() {
        assert_eq!(normalize("a\r\nb\rc\u{2028}d"), "a\nb\nc\nd");
        assert_eq!(normalize("the\u{a0}New\u{200b}York"), "the NewYork");
        assert_eq!(normalize("plain"), "plain");
    }

    #[test]
    fn entities_escaped_many_times_over_settle_in_one_run() {
        let deep = format!("Tom &{}lt; Jerry", "amp;".repeat(70));
        assert_eq!(normalize(&deep), "Tom < Jerry");
    }

    #[test]
    fn nel_is_a_break_only_where_the_text_ends_lines_with_it() {
        assert_eq!(normalize("one\u{85}two\u{85}three"), "one\ntwo\nthree");
        assert_eq!(normalize("wait\u{85} what"), "wait… what");
        assert_eq!(normalize("a\u{85}b\u{85}c\nd"), "a…b…c\nd");
        assert_eq!(normalize("\u{93}quoted\u{94}\u{85} \u{85}"), "“quoted”… …");
    }

    #[test]
    fn plain_text_is_borrowed() {
        let n = normalize_with("just ascii\nlines\n", &Settings::default());
        assert!(matches!(n.unified, Cow::Borrowed(_)));
        assert!(n.changed.is_none());
        let n = normalize_with("Grüße aus Köln\n", &Settings::default());
        assert!(n.changed.is_none() && n.records.is_empty());
    }

    #[test]
    fn repairs_are_recorded_word_by_word() {
        let n = normalize_with("Le HÃ´tel de Ville\nok\n", &Settings::default());
        assert_eq!(n.text(), "Le Hôtel de Ville\nok\n");
        assert_eq!(n.records.len(), 1);
        let r = &n.records[0];
        assert_eq!(&*r.rule_id, "normalize/mojibake");
        assert_eq!((r.line, r.span), (1, Some((3, 11))));
        assert_eq!(r.text, "HÃ´tel");
        assert_eq!(r.replacement.as_deref(), Some("Hôtel"));
    }

    #[test]
    fn steps_switch_off() {
        let mut s = Settings::default();
        s.set(Step::Mojibake, false);
        s.set(Step::Quotes, true);
        let n = normalize_with("HÃ´tel “x”", &s);
        assert_eq!(n.text(), "HÃ´tel \"x\"");
        assert_eq!(
            normalize_with("a\r\n&amp;", &Settings::none()).text(),
            "a\r\n&amp;"
        );
    }

    #[test]
    fn word_edits_align() {
        let e = word_edits("a ÃŸ b Ã©", "a ß b é");
        assert_eq!(e.len(), 2);
        let e = word_edits("namedÂ â€žscars", "named\u{a0}„scars");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].start, 0);
    }
}
