//! The text pipeline for one document: normalize -> rules -> heuristics -> tidy.

use crate::document::{Change, Document, Removal};
use crate::normalize::normalize;
use crate::rules::{DocContext, Resolved, RuleBook, engine};
use crate::tidy::tidy;

/// Rules can uncover each other's targets (a drop moves a line into another rule's
/// window), so the rules run until nothing changes. This bound is never reached in
/// practice; it only guarantees termination.
const MAX_PASSES: usize = 4;

/// The result of cleaning one document.
#[derive(Debug, Clone)]
pub struct Cleaned {
    /// The normalized input, the text every removal's line number refers to.
    pub input: String,
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
    let input = normalize(text);
    let mut doc = Document::from_text(&input);
    for _ in 0..MAX_PASSES {
        let mut changed = false;
        for rule in &set.rules {
            changed |= engine::apply(rule, &mut doc);
        }
        for (id, h) in &set.heuristics {
            let before = doc.removals.len();
            h.apply(&mut doc, id);
            changed |= doc.removals.len() > before;
        }
        if !changed {
            break;
        }
    }
    let text = tidy(&doc);
    let removals = doc.sorted_removals();
    Cleaned {
        input,
        text,
        removals,
    }
}
