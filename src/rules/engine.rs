//! Applying one compiled rule to a document. Every change goes through `Document`
//! so it lands in the provenance record.

use super::lineset::Hits;
use super::pattern::Matcher;
use super::{Action, Rule, Window};
use crate::document::{Change, Document, Removal};
use std::sync::Arc;

/// Precomputed whole-line matches and the rule's slots in them (see `LineSet`).
pub type Scan<'a> = Option<(&'a Hits, [Option<usize>; 2])>;

/// Apply `rule` to `doc`. Returns true when it changed anything. `scan` answers
/// whole-line matches when given; otherwise each line runs the rule's regex. Line
/// actions start from the lines their pattern matches, so a rule that matches nothing
/// costs nothing. `span_rules` are the span rules that run with it: a replacement one of
/// them would rewrite is not made.
pub fn apply(rule: &Rule, doc: &mut Document, scan: Scan, span_rules: &[Arc<Rule>]) -> bool {
    let before = doc.removals.len();
    let (hits, [slot, end_slot]) = match scan {
        Some((h, s)) => (Some(h), s),
        None => (None, [None, None]),
    };
    // Live lines the pattern matches, in order, within the rule's word limit.
    // `guard`: leave out the lines the rule's `unless` spares.
    let candidates =
        |doc: &Document, m: &Matcher, slot: Option<usize>, guard: bool| -> Vec<usize> {
            let fits = |i: &usize| {
                let line = &doc.lines[*i];
                line.is_live() && rule.max_words.is_none_or(|n| line.words() <= n)
            };
            let lines: Vec<usize> = match hits.and_then(|h| h.lines(slot)) {
                Some(lines) => lines.iter().map(|&i| i as usize).filter(fits).collect(),
                None => (0..doc.lines.len())
                    .filter(fits)
                    .filter(|&i| m.is_match(doc.lines[i].key()))
                    .collect(),
            };
            match guard {
                true => lines
                    .into_iter()
                    .filter(|&i| !spared(rule, doc.lines[i].key()))
                    .collect(),
                false => lines,
            }
        };
    match &rule.action {
        Action::Strip(m) => {
            for i in window(doc, rule.within) {
                strip(doc, i, m, rule);
            }
        }
        Action::Replace(m, with) => {
            for i in window(doc, rule.within) {
                replace(doc, i, m, with, rule, span_rules);
            }
        }
        Action::Drop(m) => {
            let mut hit = candidates(doc, m, slot, true);
            if hit.is_empty() {
                return false;
            }
            if rule.min_run > 1 {
                // Runs are counted over all matching live lines, before the window.
                let live = doc.live();
                let matched: Vec<bool> =
                    live.iter().map(|i| hit.binary_search(i).is_ok()).collect();
                hit = (0..live.len())
                    .filter(|&k| matched[k] && in_run(&matched, k, rule.min_run))
                    .map(|k| live[k])
                    .collect();
            }
            for i in windowed_drops(doc, hit, rule.within) {
                doc.drop_line(i, &rule.id);
            }
        }
        Action::CutAfter(m) | Action::CutBefore(m) => {
            // Asked only when a head was found: most pages have none.
            let heads = windowed(doc, candidates(doc, m, slot, true), rule.within);
            if heads.is_empty() || !doc.is_page_sized() {
                return false;
            }
            let prose = ProseCount::new(doc);
            if matches!(rule.action, Action::CutAfter(_)) {
                // A head repeated further down with prose between is a control under
                // each post ("Add a comment" under a question and under each answer),
                // not where the trailing section starts: only its last copy may be. A
                // copy already removed counts too (its text is in its removal), so a
                // second pass over the page decides as the first did.
                let repeated = |i: usize| {
                    let key = doc.lines[i].key();
                    let after_prose = |j: usize| prose.before(j) > prose.before(i + 1);
                    (i + 1..doc.lines.len()).any(|j| doc.lines[j].key() == key && after_prose(j))
                        || doc.removals.iter().any(|r| {
                            r.span.is_none()
                                && r.line > doc.lines[i].no
                                && r.text.split_whitespace().eq(key.split(' '))
                                && doc
                                    .lines
                                    .binary_search_by_key(&r.line, |l| l.no)
                                    .is_ok_and(after_prose)
                        })
                };
                let hit = heads
                    .iter()
                    .copied()
                    .find(|&i| cut_allowed(rule, prose.before(i), prose.after(i)) && !repeated(i));
                if let Some(i) = hit {
                    // The copies passed over go too: kept, they would open the cut when
                    // the output is cleaned again, with their last copy gone.
                    let passed: Vec<usize> = heads
                        .into_iter()
                        .take_while(|&k| k < i)
                        .filter(|&k| repeated(k))
                        .collect();
                    for k in passed {
                        doc.drop_line(k, &rule.id);
                    }
                    for j in i..doc.lines.len() {
                        doc.drop_line(j, &rule.id);
                    }
                }
            } else {
                let hit = heads
                    .into_iter()
                    .rev()
                    .find(|&i| cut_allowed(rule, prose.after(i), prose.before(i)));
                if let Some(i) = hit {
                    for j in 0..=i {
                        doc.drop_line(j, &rule.id);
                    }
                }
            }
        }
        Action::DropBetween(start, end) => {
            let starts = windowed(doc, candidates(doc, start, slot, true), rule.within);
            if starts.is_empty() {
                return false;
            }
            // An end line `unless` spares still ends the block, and stays.
            let ends = windowed(doc, candidates(doc, end, end_slot, false), rule.within);
            let mut from = 0;
            for s in starts {
                if s < from {
                    continue;
                }
                // An unclosed block is left alone: better residue than lost text.
                let Some(&e) = ends.iter().find(|&&e| e > s) else {
                    break;
                };
                let last = if spared(rule, doc.lines[e].key()) {
                    e
                } else {
                    e + 1
                };
                for j in s..last {
                    doc.drop_line(j, &rule.id);
                }
                from = e + 1;
            }
        }
    }
    doc.removals.len() > before
}

/// `hits[k]` lies in a run of at least `min_run` consecutive hits.
fn in_run(hits: &[bool], k: usize, min_run: usize) -> bool {
    if min_run <= 1 {
        return true;
    }
    let left = hits[..k].iter().rev().take_while(|&&h| h).count();
    let right = hits[k + 1..].iter().take_while(|&&h| h).count();
    left + 1 + right >= min_run
}

/// The members of `lines` (live, sorted) that lie in the window.
fn windowed(doc: &Document, mut lines: Vec<usize>, within: Option<Window>) -> Vec<usize> {
    if within.is_some() && !lines.is_empty() {
        let in_window = Bounds::new(doc, within);
        lines.retain(|&i| in_window.contains(i));
    }
    lines
}

/// The members of `hit` (live, sorted) a windowed drop takes, as dropping until nothing
/// changes would: each line dropped lets the next one into the window, so the window is
/// walked in from each end, and only the lines that stay take up its places. One call
/// settles it, however long the run of matching lines (passes would take one a line).
fn windowed_drops(doc: &Document, hit: Vec<usize>, within: Option<Window>) -> Vec<usize> {
    let Some(w) = within.filter(|_| !hit.is_empty()) else {
        return hit;
    };
    let live = doc.live();
    let mut take = Vec::new();
    let mut walk = |places: Option<usize>, lines: &mut dyn Iterator<Item = &usize>| {
        let mut places = places.unwrap_or(0);
        for &i in lines {
            if places == 0 {
                break;
            }
            if hit.binary_search(&i).is_ok() {
                take.push(i);
            } else {
                places -= 1;
            }
        }
    };
    walk(w.first, &mut live.iter());
    walk(w.last, &mut live.iter().rev());
    take.sort_unstable();
    take.dedup();
    take
}

/// A window as line indices: a live line is in it when it comes before `first_end`
/// or at or after `last_start`. Found by walking in from each end as far as the
/// window reaches, not by listing every live line.
struct Bounds {
    first_end: usize,
    last_start: usize,
}

impl Bounds {
    fn new(doc: &Document, within: Option<Window>) -> Self {
        let n = doc.lines.len();
        let Some(w) = within else {
            return Bounds {
                first_end: n,
                last_start: 0,
            };
        };
        let live = |i: &usize| doc.lines[*i].is_live();
        let first_end = match w.first {
            None | Some(0) => 0,
            Some(f) => (0..n).filter(live).nth(f - 1).map_or(n, |i| i + 1),
        };
        let last_start = match w.last {
            None | Some(0) => n,
            Some(l) => (0..n).rev().filter(live).nth(l - 1).unwrap_or(0),
        };
        Bounds {
            first_end,
            last_start,
        }
    }

    fn contains(&self, i: usize) -> bool {
        i < self.first_end || i >= self.last_start
    }
}

/// A cut keeps `kept` prose words and removes `cut` of them: it must keep at least
/// `min_words`, and cut at most `max_cut_ratio` times what it keeps, so a "Related"
/// box in the middle of an article never takes the article's second half with it.
fn cut_allowed(rule: &Rule, kept: usize, cut: usize) -> bool {
    kept >= rule.min_words
        && rule
            .max_cut_ratio
            .is_none_or(|r| cut as f64 <= r * kept as f64)
}

const PROSE_END: [char; 11] = ['.', '!', '?', ':', ';', '"', '“', '”', '»', '«', ')'];

/// Prose words before and after each line, where prose is a line of 8 words or more
/// or one that ends like a sentence: menus and link lists do not count as text.
struct ProseCount {
    /// `prefix[i]` = prose words in lines `0..i`.
    prefix: Vec<usize>,
}

impl ProseCount {
    fn new(doc: &Document) -> Self {
        let mut prefix = Vec::with_capacity(doc.lines.len() + 1);
        prefix.push(0);
        let mut sum = 0;
        for l in &doc.lines {
            if l.is_live() && (l.words() >= 8 || l.key().ends_with(PROSE_END)) {
                sum += l.words();
            }
            prefix.push(sum);
        }
        ProseCount { prefix }
    }

    fn before(&self, i: usize) -> usize {
        self.prefix[i]
    }

    fn after(&self, i: usize) -> usize {
        self.prefix[self.prefix.len() - 1] - self.prefix[i + 1]
    }
}

/// Indices of the live lines a rule may touch: all, or those among the first and/or
/// last N (a line in either window counts).
fn window(doc: &Document, within: Option<Window>) -> Vec<usize> {
    windowed(doc, doc.live(), within)
}

/// Rounds a strip takes on one line in one pass: enough for any nesting a page shows
/// ("(opens in (opens in new tab) new tab)"), bounded so a line of a million nested
/// brackets cannot take quadratic time; deeper nesting settles over later passes.
const STRIP_ROUNDS: usize = 1000;

fn strip(doc: &mut Document, i: usize, m: &Matcher, rule: &Rule) {
    let line = &doc.lines[i];
    if !m.is_match(&line.text) || spared(rule, line.key()) {
        return;
    }
    let before = doc.removals.len();
    let no = line.no;
    // What a strip leaves can join into a new match of the rule: taken again at once,
    // so the line settles in this pass and a second clean finds nothing.
    let mut text = strip_once(&line.text, m, rule, no, &mut doc.removals);
    for _ in 1..STRIP_ROUNDS {
        if !m.is_match(&text) {
            break;
        }
        text = strip_once(&text, m, rule, no, &mut doc.removals);
    }
    finish(doc, i, text, before, &rule.id);
}

/// Whether the rule's `unless` pattern keeps it off a line, read as whole-line patterns
/// read it (trimmed, white space runs as one space) whatever the action.
fn spared(rule: &Rule, text: &str) -> bool {
    rule.unless.as_ref().is_some_and(|u| u.is_match(text))
}

/// `line` without the rule's matches, each recorded (spans in `line` as given).
fn strip_once(
    line: &str,
    m: &Matcher,
    rule: &Rule,
    no: usize,
    removals: &mut Vec<Removal>,
) -> String {
    let mut text = String::with_capacity(line.len());
    let mut last = 0;
    for hit in m.regex().find_iter(line).filter(|h| !h.is_empty()) {
        mend(&mut text, &line[last..hit.start()], last == 0);
        removals.push(Removal {
            rule_id: rule.id.clone(),
            change: Change::Strip,
            line: no,
            span: Some((hit.start(), hit.end())),
            text: hit.as_str().to_string(),
            replacement: None,
            score: None,
        });
        last = hit.end();
    }
    mend(&mut text, &line[last..], last == 0);
    text
}

/// Join the text left of a removed span (`out`, so far) with the text right of it, so
/// that "its own (opens in new tab) against" reads "its own against" and no space is left
/// before punctuation. `first` marks the line's first piece, which keeps its indentation.
/// In place: a line with many spans costs linear time, not quadratic.
fn mend(out: &mut String, right: &str, first: bool) {
    if first {
        out.push_str(right);
        return;
    }
    let left_len = out.trim_end().len();
    let right_t = right.trim_start();
    let gap = left_len != out.len() || right_t.len() != right.len();
    out.truncate(left_len);
    if left_len == 0
        || right_t.is_empty()
        || right_t.starts_with([',', '.', ';', ':', '!', '?', ')', ']'])
    {
        out.push_str(right_t);
    } else if gap {
        out.push(' ');
        out.push_str(right_t);
    } else {
        out.push_str(right);
    }
}

/// The replace rules among `rules` that keep rewriting `text` when they are applied
/// again and again, as passes do; none when it settles. A chain (`&amp;` -> `&` ->
/// `and`) settles within as many rounds as there are rules; a cycle (`foo` -> `bar`
/// beside `bar` -> `foo`) or growth (`x` -> `yz` beside `y` -> `xx`) never does, and
/// growth is cut short once the text is four times as long.
pub(crate) fn unsettled(text: &str, rules: &[Arc<Rule>]) -> Vec<Arc<str>> {
    let replaces: Vec<(&Rule, &Matcher, &str)> = (rules.iter())
        .filter_map(|r| match &r.action {
            Action::Replace(m, with) => Some((&**r, m, with.as_str())),
            _ => None,
        })
        .collect();
    let limit = 4 * text.len() + 64;
    let mut now = text.to_string();
    let mut busy = Vec::new();
    for _ in 0..=replaces.len() {
        busy.clear();
        for &(r, m, with) in &replaces {
            if let std::borrow::Cow::Owned(next) = m.regex().replace_all(&now, with)
                && next != now
            {
                busy.push(r.id.clone());
                now = next;
            }
        }
        if busy.is_empty() || now.len() > limit {
            break;
        }
    }
    busy
}

fn replace(
    doc: &mut Document,
    i: usize,
    m: &Matcher,
    with: &str,
    rule: &Rule,
    span_rules: &[Arc<Rule>],
) {
    let line = &doc.lines[i];
    if !m.is_match(&line.text) || spared(rule, line.key()) {
        return;
    }
    let before = doc.removals.len();
    let mut out = String::with_capacity(line.text.len());
    let mut last = 0;
    for caps in m.regex().captures_iter(&line.text) {
        let hit = caps.get(0).expect("group 0 always matches");
        let mut rep = String::new();
        caps.expand(with, &mut rep);
        // A replacement the replace rules would rewrite without end (`(x)` -> `$1$1`,
        // or `x` -> `yz` beside `y` -> `xx`) would grow or cycle on every pass and every
        // clean: it is not made. (Literal ones are refused when the rules load.)
        if rep == hit.as_str() || !unsettled(&rep, span_rules).is_empty() {
            continue;
        }
        out.push_str(&line.text[last..hit.start()]);
        out.push_str(&rep);
        doc.removals.push(Removal {
            rule_id: rule.id.clone(),
            change: Change::Replace,
            line: line.no,
            span: Some((hit.start(), hit.end())),
            text: hit.as_str().to_string(),
            replacement: Some(rep),
            score: None,
        });
        last = hit.end();
    }
    out.push_str(&line.text[last..]);
    finish(doc, i, out, before, &rule.id);
}

/// Store a rewritten line. A line the rule left with no text is one it removed whole:
/// its span records (from `before` on) become one drop of the line, so the report's
/// lines removed, the diff and `explain` tell the same.
fn finish(doc: &mut Document, i: usize, text: String, before: usize, id: &Arc<str>) {
    if text.trim().is_empty() {
        doc.removals.truncate(before);
        doc.drop_line(i, id);
        return;
    }
    doc.lines[i].set_text(text.trim_end().to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::parse_file;

    #[test]
    fn strip_mends_the_line_around_every_span() {
        let file = parse_file("t", "t.toml", "[[rule]]\nid = \"x\"\nstrip = ' ?\\(x\\)'\n")
            .expect("rules load");
        let mut doc = Document::from_text("  a (x) b (x), c(x) d (x)\n(x)(x)\n");
        assert!(apply(&file.rules[0], &mut doc, None, &file.rules));
        // Indentation kept, one space between words, none before punctuation; a line
        // of spans only is removed whole. Four spans, each with its own record, and
        // the line of two as one dropped line.
        assert_eq!(crate::tidy::tidy(&doc), "  a b, c d\n");
        let changes: Vec<(Change, usize)> =
            doc.removals.iter().map(|r| (r.change, r.line)).collect();
        assert_eq!(
            changes,
            [[(Change::Strip, 1); 4].as_slice(), &[(Change::Drop, 2)]].concat()
        );
        assert_eq!(doc.removals[4].text, "(x)(x)");
    }
}
