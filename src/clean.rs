//! The text pipeline for one document: normalize -> rules -> heuristics -> tidy.

use crate::document::{Change, Document, Removal};
use crate::normalize::normalize_with;
use crate::rules::lineset::Hits;
use crate::rules::{DocContext, Resolved, RuleBook, engine};
use crate::tidy::tidy;

/// Rules can uncover each other's targets (a drop moves a line into another rule's
/// window), so they run until nothing changes: that is what makes cleaning idempotent.
/// Passes only remove, so they end; the bound only caps pathological cascades.
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
}

/// Clean `text` with an already resolved rule set.
pub fn clean_with(set: &Resolved, text: &str) -> Cleaned {
    let norm = normalize_with(text, &set.normalize);
    let (input, source) = match norm.changed {
        Some(changed) => (changed, Some(norm.unified.into_owned())),
        None => (norm.unified.into_owned(), None),
    };
    let mut doc = Document::from_text(&input);
    // Normalization's records come first: they describe the text the rules saw.
    doc.removals = norm.records;
    // Later passes rerun only what can decide differently on a changed page: rules
    // that look at position or neighbours, heuristics, and spans if text changed.
    let spans = set.rules.partition_point(|r| r.action.phase() == 0);
    let mut first = true;
    let mut text_changed = true;
    let mut settled_at: Vec<Option<usize>> = vec![None; set.heuristics.len()];
    let mut hits = None;
    for _ in 0..MAX_PASSES {
        let mut changed = false;
        let mut mended = false;
        for rule in &set.rules[..spans] {
            if first || text_changed || rule.contextual() {
                mended |= engine::apply(rule, &mut doc, None);
            }
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
                changed |= engine::apply(rule, &mut doc, Some((&hits[s], slots)));
            }
        }
        for ((id, h), seen) in set.heuristics.iter().zip(&mut settled_at) {
            // A heuristic that settles a page need not run again on an unchanged page.
            if h.settles() && *seen == Some(doc.removals.len()) {
                continue;
            }
            let before = doc.removals.len();
            h.apply(&mut doc, id);
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
    let removals = doc.into_sorted_removals();
    Cleaned {
        input,
        source,
        text,
        removals,
    }
}
