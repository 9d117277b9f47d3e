//! All whole-line patterns of a resolved rule set in one `RegexSet`, so each line is
//! scanned once per pass instead of once per rule.

use super::pattern::Matcher;
use super::{Action, Rule};
use crate::document::Document;
use regex::{RegexSet, RegexSetBuilder};
use std::sync::Arc;

/// Size limits of the combined automaton and of its lazy DFA cache (per thread): large
/// enough that the cache rarely resets, small enough that memory stays flat.
const SET_LIMIT: usize = 16 << 20;

#[derive(Debug)]
pub struct LineSet {
    set: Option<RegexSet>,
    /// Per rule of the resolved set: the set indices of its line pattern and, for
    /// `drop_between`, of its end pattern.
    slots: Vec<[Option<usize>; 2]>,
    len: usize,
}

impl LineSet {
    pub fn new(rules: &[Arc<Rule>]) -> Self {
        let mut exprs: Vec<String> = Vec::new();
        let mut add = |m: &Matcher| {
            exprs.push(m.set_expr().to_string());
            Some(exprs.len() - 1)
        };
        let slots = rules
            .iter()
            .map(|r| match &r.action {
                Action::Drop(m) | Action::CutAfter(m) | Action::CutBefore(m) => [add(m), None],
                Action::DropBetween(s, e) => [add(s), add(e)],
                Action::Strip(_) | Action::Replace(..) => [None, None],
            })
            .collect();
        // Every pattern already compiled on its own, so the set compiles too unless it
        // outgrows the limit; then rules fall back to their own regexes.
        let set = (!exprs.is_empty())
            .then(|| {
                RegexSetBuilder::new(&exprs)
                    .size_limit(SET_LIMIT)
                    .dfa_size_limit(SET_LIMIT)
                    .build()
                    .ok()
            })
            .flatten();
        LineSet {
            set,
            slots,
            len: exprs.len(),
        }
    }

    /// Which patterns match each live line of `doc`.
    pub fn scan(&self, doc: &Document) -> Hits {
        let words = self.len.div_ceil(64);
        let mut bits = vec![0u64; doc.lines.len() * words];
        if let Some(set) = &self.set {
            for (i, line) in doc.lines.iter().enumerate() {
                if !line.is_live() {
                    continue;
                }
                for p in set.matches(line.key()).iter() {
                    bits[i * words + p / 64] |= 1 << (p % 64);
                }
            }
        }
        Hits {
            bits,
            words,
            exact: self.set.is_some(),
        }
    }

    /// The set indices of rule `k`'s patterns.
    pub fn slots(&self, k: usize) -> [Option<usize>; 2] {
        self.slots[k]
    }
}

/// Line-by-pattern matches of one document for one pass.
#[derive(Debug)]
pub struct Hits {
    bits: Vec<u64>,
    words: usize,
    /// False when the set could not be built: callers run each regex instead.
    exact: bool,
}

impl Hits {
    /// Whether pattern `slot` (or, without a set, `m` itself) matches line `i`.
    pub fn matches(&self, doc: &Document, i: usize, slot: Option<usize>, m: &Matcher) -> bool {
        match slot {
            Some(p) if self.exact => self.bits[i * self.words + p / 64] & (1 << (p % 64)) != 0,
            _ => m.is_match(doc.lines[i].key()),
        }
    }
}
