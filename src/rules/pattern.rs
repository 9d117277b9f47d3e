//! Compiling rule patterns into one regex each, once per rule set.

use super::schema::RawPattern;
use regex::{Regex, RegexBuilder};
use regex_syntax::hir::{Class, Hir, HirKind, Look};
use std::sync::OnceLock;

/// Where a pattern is looked for: inside the line (strip, replace), as the whole line
/// (line actions given as literals, so "Print" never removes a sentence that mentions it),
/// or inside the line as whole-line patterns read it, trimmed with each white space run
/// as one space (`unless`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Span,
    Line,
    Key,
}

#[derive(Debug, Clone)]
pub struct Matcher {
    /// Compiled on demand: whole-line patterns are answered by their file's `LineSet`
    /// and need no regex of their own unless that set could not be built.
    re: OnceLock<Regex>,
    expr: String,
    case_insensitive: bool,
    /// The pattern as the user wrote it, for `rinse rules ID`.
    pub source: String,
    /// Bytes a match needs at least, and, for a pattern anchored at both ends, at most:
    /// most lines are skipped by length before any regex runs.
    min_len: usize,
    max_len: Option<usize>,
    /// The bytes every match starts with one of, when there are at most three: a
    /// line holding none of them is skipped by a byte search, without a regex call or
    /// a line set's automaton. (Not looked for in whole-line patterns anchored at the
    /// line start, whose automaton gives up after a few bytes anyway.)
    first: Option<FirstBytes>,
    /// The parsed pattern, flags applied: a `LineSet` compiles it without parsing again.
    hir: Hir,
}

impl Matcher {
    /// Whether the pattern matches in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        text.len() >= self.min_len
            && self.max_len.is_none_or(|m| text.len() <= m)
            && self.first.as_ref().is_none_or(|f| f.may_start_in(text))
            && self.regex().is_match(text)
    }

    /// The pattern's own regex. Loading compiles it (`compile_now`) for every pattern a
    /// line set does not answer, so this does not fail.
    pub fn regex(&self) -> &Regex {
        self.re.get_or_init(|| {
            build(&self.expr, self.case_insensitive).expect("compiled when the rules loaded")
        })
    }

    /// Compile the pattern's own regex now; the error says why it does not compile.
    pub fn compile_now(&self) -> Result<(), String> {
        if self.re.get().is_none() {
            let _ = self.re.set(build(&self.expr, self.case_insensitive)?);
        }
        Ok(())
    }

    /// Whether it matches lines of every kind (`PROBES`), as a `drop_between` end of `.`
    /// ("the next line") does; an error if its regex does not compile. A line set
    /// holding such a pattern would find a match in every line and so could skip none.
    pub fn takes_any_line(&self) -> Result<bool, String> {
        self.compile_now()?;
        Ok(PROBES.iter().all(|p| self.regex().is_match(p)))
    }

    pub fn hir(&self) -> &Hir {
        &self.hir
    }

    /// The bytes every match starts with one of, if a byte search can rule lines out.
    pub fn first_bytes(&self) -> Option<&FirstBytes> {
        self.first.as_ref()
    }
}

/// The first regex of a pattern list that fails to parse on its own: its index and why.
pub fn failing_item(list: &[String], case_insensitive: bool) -> Option<(usize, String)> {
    list.iter()
        .enumerate()
        .find_map(|(k, r)| parse(r, case_insensitive).err().map(|e| (k, e)))
}

/// At most three bytes, one of which starts every match of a pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct FirstBytes(Vec<u8>);

impl FirstBytes {
    /// No ASCII letter or digit among them: most lines of text hold none of them.
    pub fn is_rare(&self) -> bool {
        !self.0.iter().any(u8::is_ascii_alphanumeric)
    }

    /// Whether `text` holds a byte a match can start with.
    pub fn may_start_in(&self, text: &str) -> bool {
        self.start_in(text).is_some()
    }

    /// Where the first byte a match can start with stands in `text`: no match starts
    /// before it.
    pub fn start_in(&self, text: &str) -> Option<usize> {
        let text = text.as_bytes();
        match self.0[..] {
            [a] => memchr::memchr(a, text),
            [a, b] => memchr::memchr2(a, b, text),
            [a, b, c] => memchr::memchr3(a, b, c, text),
            _ => Some(0),
        }
    }
}

/// Whether the pattern asks for two white-space characters in a row or a tab, as
/// written or through classes (`\s\s`, ` {2}`, `\s+ `; not where verbose mode drops
/// them): no squashed line holds them.
fn white_run(hir: &Hir) -> bool {
    if white_min(hir).is_some_and(|n| n >= 2) {
        return true;
    }
    match hir.kind() {
        HirKind::Literal(l) => {
            let text = String::from_utf8_lossy(&l.0);
            text.contains('\t') || text.contains("  ")
        }
        HirKind::Concat(hs) => {
            // White space carried over from the items before: a run ends at the first
            // item that is not all white space, whose own edges continue it.
            let mut run = 0;
            hs.iter().any(|h| {
                if white_run(h) {
                    return true;
                }
                match white_min(h) {
                    Some(n) => run += n,
                    None => {
                        let (lead, trail) = white_edges(h);
                        if run + lead >= 2 {
                            return true;
                        }
                        run = trail;
                    }
                }
                run >= 2
            })
        }
        // Impossible only when every alternative is, or a part that must be there.
        HirKind::Alternation(hs) => hs.iter().all(white_run),
        HirKind::Capture(c) => white_run(&c.sub),
        HirKind::Repetition(r) => {
            r.min >= 1
                && (white_run(&r.sub)
                    || (r.min >= 2 && {
                        let (l, t) = white_edges(&r.sub);
                        l + t >= 2
                    }))
        }
        HirKind::Empty | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

/// For a part that matches only white space, the fewest characters it matches.
fn white_min(hir: &Hir) -> Option<usize> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(0),
        HirKind::Literal(l) => {
            let text = std::str::from_utf8(&l.0).ok()?;
            text.chars()
                .all(char::is_whitespace)
                .then(|| text.chars().count())
        }
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .all(|r| (r.start()..=r.end()).all(char::is_whitespace))
            .then_some(1),
        HirKind::Class(Class::Bytes(c)) => c
            .ranges()
            .iter()
            .all(|r| (r.start()..=r.end()).all(|b| b.is_ascii_whitespace()))
            .then_some(1),
        HirKind::Capture(c) => white_min(&c.sub),
        HirKind::Repetition(r) => Some(white_min(&r.sub)? * r.min as usize),
        HirKind::Concat(hs) => hs.iter().map(white_min).sum(),
        HirKind::Alternation(hs) => hs.iter().map(white_min).min()?,
    }
}

/// The white space a part must start and end with.
fn white_edges(hir: &Hir) -> (usize, usize) {
    if let Some(n) = white_min(hir) {
        return (n, n);
    }
    match hir.kind() {
        HirKind::Literal(l) => {
            let text = String::from_utf8_lossy(&l.0);
            let count =
                |cs: &mut dyn Iterator<Item = char>| cs.take_while(|c| c.is_whitespace()).count();
            (count(&mut text.chars()), count(&mut text.chars().rev()))
        }
        HirKind::Capture(c) => white_edges(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => white_edges(&r.sub),
        // Items that are all white space, then the first that is not, from each end.
        HirKind::Concat(hs) => {
            let edge = |items: &mut dyn Iterator<Item = &Hir>, last: bool| {
                let mut n = 0;
                for h in items {
                    match white_min(h) {
                        Some(k) => n += k,
                        None => {
                            let (l, t) = white_edges(h);
                            return n + if last { t } else { l };
                        }
                    }
                }
                n
            };
            (
                edge(&mut hs.iter(), false),
                edge(&mut hs.iter().rev(), true),
            )
        }
        _ => (0, 0),
    }
}

/// Generous but bounded: a pattern that compiles to more than this is a mistake.
const SIZE_LIMIT: usize = 32 << 20;

pub fn compile(p: &RawPattern, case_insensitive: bool, scope: Scope) -> Result<Matcher, String> {
    let (expr, source) = match p {
        RawPattern::Regex(r) => (r.clone(), r.clone()),
        RawPattern::AnyOf(list) => {
            if list.is_empty() {
                return Err("the pattern list is empty".into());
            }
            let expr = list
                .iter()
                .map(|r| format!("(?:{r})"))
                .collect::<Vec<_>>()
                .join("|");
            (expr, format!("{list:?}"))
        }
        RawPattern::Literal(l) => {
            if l.literal.is_empty() || l.literal.iter().any(|s| s.trim().is_empty()) {
                return Err("a literal list needs non-empty strings".into());
            }
            // A whole line is matched with its runs of white space as one space, so a
            // literal copied from scraped text ("Paid  post") is read the same way.
            let alts = l
                .literal
                .iter()
                .map(|s| match scope {
                    Scope::Span => regex::escape(s.trim()),
                    Scope::Line | Scope::Key => {
                        regex::escape(&s.split_whitespace().collect::<Vec<_>>().join(" "))
                    }
                })
                .collect::<Vec<_>>()
                .join("|");
            let expr = match scope {
                Scope::Span | Scope::Key => alts,
                // Whole-line matching sees the line trimmed.
                Scope::Line => format!(r"^(?:{alts})$"),
            };
            (expr, format!("literal {:?}", l.literal))
        }
    };
    // Checked here; compiled now only if no line set will answer it.
    let hir = parse(&expr, case_insensitive).map_err(|e| match p {
        // Name the alternative at fault when one fails alone.
        RawPattern::AnyOf(list) => failing_item(list, case_insensitive)
            .map_or(e, |(k, e)| format!("in {:?}: {e}", list[k])),
        _ => e,
    })?;
    if scope != Scope::Span && !matches!(p, RawPattern::Literal(_)) && white_run(&hir) {
        return Err(
            "two spaces or a tab can never match here: whole-line patterns and `unless` see \
             the line with each run of white space as one space (write one space, or \\s+)"
                .into(),
        );
    }
    let (min_len, max_len) = length_bounds(&hir);
    let first = (scope != Scope::Line || !starts_anchored(&hir))
        .then(|| first_bytes(&hir))
        .flatten();
    let m = Matcher {
        re: OnceLock::new(),
        expr,
        case_insensitive,
        source,
        min_len,
        max_len,
        first,
        hir,
    };
    // A pattern that can match the empty string and matches lines of every kind it was
    // not written for matches every line. (One that matches only an empty line,
    // `^(Share)?$`, is harmless: blank lines carry no text.)
    if min_len == 0 && m.takes_any_line()? {
        return Err(
            "it matches the empty string in lines it was not written for, so it would \
            take every line (an empty alternative, as in 'Share|', or nothing but optional \
            parts)"
                .into(),
        );
    }
    // Whole-line patterns are answered by their file's line set.
    if scope != Scope::Line {
        m.compile_now()?;
    }
    Ok(m)
}

/// Lines no rule is written for, of a letter, a digit, punctuation, a non-Latin letter:
/// a pattern that matches all of them takes any line.
const PROBES: [&str; 5] = [
    "A sentence of an article, which no rule was written for.",
    "zz",
    "0",
    "—",
    "ж",
];

/// Parse a pattern as the regex crate would. The error is the regex crate's.
fn parse(expr: &str, case_insensitive: bool) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(expr)
        .map_err(|e| regex::Error::Syntax(e.to_string()).to_string())
}

/// Every match starts at the start of the line (`^` first).
pub fn starts_anchored(hir: &Hir) -> bool {
    hir.properties().look_set_prefix().contains(Look::Start)
}

/// Whether a match may open with a run of nearly any characters (`^(.{0,40}: )?Allow`):
/// an automaton then reads that far into every line, whatever it holds, and in one
/// automaton with other anchored patterns each step of that run multiplies their states.
pub fn opens_wide(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Capture(c) => opens_wide(&c.sub),
        HirKind::Repetition(r) => {
            (wide(&r.sub) && r.max.is_none_or(|m| m > 3)) || opens_wide(&r.sub)
        }
        HirKind::Alternation(hs) => hs.iter().any(opens_wide),
        // Each part may open the match while the ones before it can be empty.
        HirKind::Concat(hs) => {
            for h in hs {
                if opens_wide(h) {
                    return true;
                }
                if h.properties().minimum_len() != Some(0) {
                    return false;
                }
            }
            false
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

/// Whether the pattern counts a run of nearly any characters (`[^.!?]{1,60}`): in an
/// automaton that must read the whole line, each count is a state of its own, and
/// beside other patterns it multiplies theirs.
pub fn counts_wide(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Capture(c) => counts_wide(&c.sub),
        HirKind::Repetition(r) => {
            (wide(&r.sub) && r.max.is_some_and(|m| m > 3)) || counts_wide(&r.sub)
        }
        HirKind::Alternation(hs) | HirKind::Concat(hs) => hs.iter().any(counts_wide),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

/// Past a few thousand characters, a class is "any character but ...".
fn wide(h: &Hir) -> bool {
    match h.kind() {
        HirKind::Class(Class::Unicode(c)) => {
            c.ranges().iter().map(|r| r.len()).sum::<usize>() > 5000
        }
        HirKind::Class(Class::Bytes(c)) => c.ranges().iter().map(|r| r.len()).sum::<usize>() > 128,
        _ => false,
    }
}

/// The byte lengths a match can have (at most only for a pattern anchored at both ends).
fn length_bounds(hir: &Hir) -> (usize, Option<usize>) {
    let p = hir.properties();
    let both = starts_anchored(hir) && p.look_set_suffix().contains(Look::End);
    (
        p.minimum_len().unwrap_or(0),
        p.maximum_len().filter(|_| both),
    )
}

/// The first bytes of the pattern's literal prefixes, when it has a finite set of
/// non-empty ones (every match then starts with one of them) starting with at most
/// three distinct bytes.
fn first_bytes(hir: &Hir) -> Option<FirstBytes> {
    let seq = regex_syntax::hir::literal::Extractor::new().extract(hir);
    let mut first = Vec::new();
    for lit in seq.literals()? {
        let &b = lit.as_bytes().first()?;
        if !first.contains(&b) {
            first.push(b);
        }
    }
    (!first.is_empty() && first.len() <= 3).then_some(FirstBytes(first))
}

fn build(expr: &str, case_insensitive: bool) -> Result<Regex, String> {
    RegexBuilder::new(expr)
        .case_insensitive(case_insensitive)
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(expr: &str, ci: bool) -> Matcher {
        compile(&RawPattern::Regex(expr.into()), ci, Scope::Span).unwrap()
    }

    #[test]
    fn first_bytes_name_where_a_match_can_start() {
        let first = |expr: &str, ci: bool| span(expr, ci).first.map(|f| f.0);
        assert_eq!(first(r"\((photo|image) credit\)", false), Some(vec![b'(']));
        // Unicode case folding: "ſ" (U+017F, C5 BF) is an "s" too.
        let mut share = first("share", true).unwrap();
        share.sort();
        assert_eq!(share, vec![b'S', b's', 0xC5]);
        // Too many first bytes, or a match that may start anywhere: no byte search.
        assert_eq!(first("[a-d]x", false), None);
        assert_eq!(first(r"\w+ credit", false), None);
        assert_eq!(first("x?y", false), Some(vec![b'x', b'y']));
        assert_eq!(first(r"a*\d", false), None);
        // A pattern that matches every line is refused; one that matches only an empty
        // line is not.
        let refused = |expr: &str| compile(&RawPattern::Regex(expr.into()), false, Scope::Span);
        for expr in ["a*", r"\w*", "A|", "(?i)a?", "[^x]{0,3}", r"\s*$"] {
            assert!(
                refused(expr).unwrap_err().contains("empty string"),
                "{expr}"
            );
        }
        for expr in ["^(a)?$", r"^\W*$", r"^[\d\s]*$"] {
            assert!(refused(expr).is_ok(), "{expr}");
        }
        // Whole-line patterns too, unless anchored at the line start.
        let line = |expr: &str| {
            compile(&RawPattern::Regex(expr.into()), false, Scope::Line)
                .unwrap()
                .first
        };
        assert!(line(r"\(AP Photo/[^)]+\)$").is_some());
        assert!(line(r"^\(AP Photo/[^)]+\)$").is_none());
    }

    #[test]
    fn whole_line_patterns_that_need_two_white_spaces_are_refused() {
        let check = |expr: &str| compile(&RawPattern::Regex(expr.into()), false, Scope::Line);
        for expr in [
            "^a  b$",
            r"^a\s\sb$",
            "^a {2}b$",
            r"^a\s+ b$",
            r"^a \sb$",
            r"^(a )\s?\sb$",
            r"^a[ \t]{2,}b$",
            "^a\tb$",
            r"^(?:a  |a \s)b$",
            r"^(a )(\sb)$",
            r"^(a\s)+\sb$",
        ] {
            assert!(
                check(expr).unwrap_err().contains("two spaces or a tab"),
                "{expr}"
            );
        }
        // One white space at a time, or a class that also takes other characters.
        for expr in [
            r"^a\s+b$",
            r"^a \s*b$",
            r"^a\s?\s?b$",
            r"^a[\s,]\sb$",
            "(?x) ^ a  b $",
            r"^\s*$",
            r"^a \w\sb$",
            r"^(?:x|a \s)b$",
            r"^a(?:\s|\s\s)b$",
            r"^a( \s)?b$",
        ] {
            assert!(check(expr).is_ok(), "{expr}");
        }
    }

    #[test]
    fn runs_of_nearly_any_characters_are_found_where_they_cost_states() {
        type Check = fn(&Hir) -> bool;
        let cases: [(Check, &[&str], &[&str]); 2] = [
            (
                opens_wide,
                &[
                    r"^(.{0,40}[:!] )?allow notifications",
                    r"^(licensed under|(.{0,60}, )?this work is licensed)",
                    r"^\S+ says",
                    r"^(a )?[^.!?]{3,}: read more",
                ],
                &[
                    r"^(skip|jump) to content$",
                    r"^\s*advertisement\s*$",
                    r"^[(\[]?(foto|photo)\s*:\s*[^.!?]*$",
                    r"^\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+$",
                    r"^.?share$",
                    r"^\d{1,2}\. \w+ \d{4}$",
                ],
            ),
            // A run without a bound is one state; a narrow class counts few.
            (
                counts_wide,
                &[
                    r"(photo|foto): [^.!?]{1,60}$",
                    r"\([^()]{1,40}/ ?staff\)",
                    r"^by .{2,30}$",
                ],
                &[
                    r"photo: [^.!?]*getty images$",
                    r"\d{1,4} comments",
                    r"^\s{0,9}x",
                ],
            ),
        ];
        for (check, yes, no) in cases {
            for expr in yes {
                assert!(check(span(expr, true).hir()), "{expr}");
            }
            for expr in no {
                assert!(!check(span(expr, true).hir()), "{expr}");
            }
        }
    }

    #[test]
    fn the_byte_search_never_changes_an_answer() {
        let lines = [
            "",
            "Read on (opens in new tab)",
            "no bracket here",
            "(PHOTO CREDIT: Jane)",
            "Share this",
            "sHARE",
            "ß y",
            "xy",
            "yes",
            "ya*",
            "ſhare",
        ];
        for (expr, ci) in [
            (r"\((photo|image) credit: [^)]+\)", true),
            ("share", true),
            ("x?y", false),
            (r"\by\b", false),
            ("(?i)ß", false),
            (r"^ya\*$", false),
        ] {
            let m = span(expr, ci);
            for l in lines {
                assert_eq!(m.is_match(l), m.regex().is_match(l), "{expr} on {l:?}");
            }
        }
    }
}
