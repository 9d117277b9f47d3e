//! The text pipeline for one document: normalize -> rules -> heuristics -> tidy.

use crate::document::{Change, Document, Kept, Removal};
use crate::heuristics::Memo;
use crate::normalize::{normalize_line, normalize_with};
use crate::rules::lineset::Hits;
use crate::rules::{DocContext, Resolved, RuleBook, engine};
use crate::tidy::tidy;
use std::sync::Arc;

/// Rules can uncover each other's targets (a drop moves a line into another rule's
/// window), so they run until nothing changes: that is what makes cleaning idempotent.
/// Passes remove, or replace with what the replace rules leave settled (checked when
/// the rules load, and per replacement), so they end; a windowed drop settles within
/// one pass. The bound only caps pathological cascades between rules.
const MAX_PASSES: usize = 100;

/// The result of cleaning one document.
#[derive(Debug, Clone)]
pub struct Cleaned {
    /// The normalized input, the text every removal's line number refers to.
    pub input: String,
    /// The input before the line steps of normalization (line endings already
    /// unified, so its lines are `input`'s), when they changed something: what
    /// `--diff` shows as the old side.
    pub source: Option<String>,
    /// The cleaned text.
    pub text: String,
    /// Every removal, in document order.
    pub removals: Vec<Removal>,
    /// The lines of the output a scoring heuristic judged and kept, in document order.
    pub kept: Vec<Kept>,
    /// The site rule files that applied, by stem.
    pub sites: Vec<Arc<str>>,
}

impl Cleaned {
    /// Whole lines removed.
    pub fn lines_removed(&self) -> usize {
        self.removals
            .iter()
            .filter(|r| r.change == Change::Drop)
            .count()
    }
}

/// Cleans documents with one rule book; cheap to share across threads.
#[derive(Debug)]
pub struct Cleaner {
    pub book: RuleBook,
}

impl Cleaner {
    pub fn new(book: RuleBook) -> Self {
        Cleaner { book }
    }

    pub fn clean(&self, text: &str, cx: &DocContext) -> Cleaned {
        clean_with(&self.book.resolve(cx), text)
    }

    /// Clean an HTML page: its text as a browser lays it out, with the lines of page
    /// furniture removed by HTML-level rules before the text rules run.
    pub fn clean_html(&self, html: &str, cx: &DocContext) -> Cleaned {
        let set = self.book.resolve(cx);
        let page = crate::html::extract(html, &set.html);
        clean_claimed(&set, &page.text, &page.claims)
    }

    /// Clean an HTML page from its bytes (see [`crate::html::page`]); also returns the
    /// encoding it was read in and the characters decoding replaced.
    pub fn clean_html_bytes(
        &self,
        bytes: &[u8],
        hints: &crate::input::Hints,
        cx: &DocContext,
    ) -> (Cleaned, &'static str, usize) {
        let set = self.book.resolve(cx);
        let (page, encoding, replaced) = crate::html::page(bytes, hints, &set.html);
        (
            clean_claimed(&set, &page.text, &page.claims),
            encoding,
            replaced,
        )
    }
}

/// Normalize `text` except its claimed lines, which no rule will see: they are blanked
/// for normalization and put back as they were, so the input and the removal records
/// show them as written. Returns the normalized input, the unified source when
/// normalization changed something, and normalization's records.
fn normalize_unclaimed(
    set: &Resolved,
    text: &str,
    claims: &[(usize, Arc<str>)],
) -> (String, Option<String>, Vec<Removal>) {
    let whole = |text: &str| {
        let norm = normalize_with(text, &set.normalize);
        match norm.changed {
            Some(changed) => (changed, Some(norm.unified.into_owned()), norm.records),
            None => (norm.unified.into_owned(), None, norm.records),
        }
    };
    if claims.is_empty() {
        return whole(text);
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let mut claimed = vec![false; lines.len()];
    for (i, _) in claims {
        if let Some(c) = claimed.get_mut(*i) {
            *c = true;
        }
    }
    let mut blanked = String::with_capacity(text.len());
    for (i, (line, c)) in lines.iter().zip(&claimed).enumerate() {
        if i > 0 {
            blanked.push('\n');
        }
        if !c {
            blanked.push_str(line);
        }
    }
    let norm = normalize_with(&blanked, &set.normalize);
    if norm.unified.split('\n').count() != lines.len() {
        // Line endings of another kind moved the lines: normalize it all.
        return whole(text);
    }
    let restore = |t: &str| -> String {
        let mut out = String::with_capacity(text.len());
        for (i, l) in t.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(if claimed[i] { lines[i] } else { l });
        }
        out
    };
    match &norm.changed {
        Some(changed) => (restore(changed), Some(restore(&norm.unified)), norm.records),
        None => (restore(&norm.unified), None, norm.records),
    }
}

/// Normalize again the lines that span rules changed since removal `from`: a strip can
/// join the halves of what normalization mends ("â€" and "“" around a stripped span make
/// a mangled dash), which a second clean would otherwise mend.
fn renormalize(set: &Resolved, doc: &mut Document, from: usize) {
    let mut lines: Vec<usize> = doc.removals[from..]
        .iter()
        .filter(|r| r.change != Change::Drop)
        .map(|r| r.line)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    for no in lines {
        let line = &doc.lines[no - 1];
        if !line.kept {
            continue;
        }
        if let Some(new) = normalize_line(&line.text, no, &set.normalize, &mut doc.removals) {
            doc.lines[no - 1].set_text(new);
        }
    }
}

/// Clean `text` with an already resolved rule set.
pub fn clean_with(set: &Resolved, text: &str) -> Cleaned {
    clean_claimed(set, text, &[])
}

/// Clean `text`, whose lines in `claims` (0-based index, rule id) are removed first,
/// recorded under those ids: how rules that saw the text's source (HTML-level rules)
/// take part. The line count of `text` must survive normalization, as it does for text
/// without CR or U+2028/U+2029 line ends.
pub fn clean_claimed(set: &Resolved, text: &str, claims: &[(usize, Arc<str>)]) -> Cleaned {
    let (input, source, records) = normalize_unclaimed(set, text, claims);
    let mut doc = Document::from_text(&input);
    // Normalization's records come first: they describe the text the rules saw. Room
    // for a drop of every line with text, so the record is not copied as it grows.
    doc.removals = records;
    doc.removals
        .reserve(doc.lines.iter().filter(|l| l.words() > 0).count());
    for (idx, id) in claims {
        if *idx < doc.lines.len() {
            doc.drop_line(*idx, id);
        }
    }
    // Later passes rerun only what can decide differently on a changed page: rules
    // that look at position or neighbours, heuristics, and spans if text changed.
    let spans = set.rules.partition_point(|r| r.action.phase() == 0);
    let mut first = true;
    let mut text_changed = true;
    // Per heuristic: the removal count after its last call, and what it keeps between calls.
    let mut state: Vec<(Option<usize>, Memo)> =
        set.heuristics.iter().map(|_| (None, None)).collect();
    let mut hits = None;
    for _ in 0..MAX_PASSES {
        let mut changed = false;
        let mut mended = false;
        let from = doc.removals.len();
        for rule in &set.rules[..spans] {
            if first || text_changed || rule.contextual() {
                mended |= engine::apply(rule, &mut doc, None, &set.rules[..spans]);
            }
        }
        if mended {
            renormalize(set, &mut doc, from);
        }
        // Whole-line matches are scanned once the span phase has mended the text. They
        // depend on nothing but a line's text, which only span rules change, so they
        // hold until a span rule mends again (the engine skips lines dropped since).
        if mended || hits.is_none() {
            hits = Some(set.lines.scan(&doc));
        }
        let hits: &[Hits] = hits.as_ref().expect("scanned above");
        for (k, rule) in set.rules.iter().enumerate().skip(spans) {
            if first || rule.contextual() {
                let (s, slots) = set.lines.slots(k);
                changed |= engine::apply(rule, &mut doc, Some((&hits[s], slots)), &[]);
            }
        }
        for ((id, h), (seen, memo)) in set.heuristics.iter().zip(&mut state) {
            // A heuristic that settles a page need not run again on an unchanged page.
            if h.settles() && *seen == Some(doc.removals.len()) {
                continue;
            }
            let before = doc.removals.len();
            h.apply(&mut doc, id, memo);
            changed |= doc.removals.len() > before;
            *seen = Some(doc.removals.len());
        }
        if !changed && !mended {
            break;
        }
        first = false;
        text_changed = mended;
    }
    let text = tidy(&doc);
    // A rule or heuristic that ran after the scoring one took none of these lines, or
    // the loop would have run the scorer again; the filter keeps that a guarantee.
    let kept = std::mem::take(&mut doc.kept)
        .into_iter()
        .filter(|k| doc.lines[k.line - 1].kept)
        .collect();
    let removals = doc.into_sorted_removals();
    Cleaned {
        input,
        source,
        text,
        removals,
        kept,
        sites: set.sites.clone(),
    }
}
