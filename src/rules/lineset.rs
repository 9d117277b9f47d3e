//! The whole-line patterns of a rule file that are anchored at the line start, in one
//! `RegexSet`, so each line is scanned once per pass instead of once per rule.
//! (Patterns that may match anywhere keep their own regex and its literal prefilter.)

use super::pattern::Matcher;
use super::{Action, Rule};
use crate::document::Document;
use regex::{RegexSet, RegexSetBuilder};
use std::sync::Arc;

/// Size limit of the combined automaton: generous, it is built once per rule file.
const SET_LIMIT: usize = 256 << 20;
/// Its lazy DFA cache (per thread): large enough that the cache rarely resets, small
/// enough that memory stays flat.
const CACHE_LIMIT: usize = 16 << 20;

#[derive(Debug, Default)]
pub struct LineSet {
    set: Option<RegexSet>,
    /// Per rule given to `new`: the set indices of its line pattern and, for
    /// `drop_between`, of its end pattern.
    slots: Vec<[Option<usize>; 2]>,
    len: usize,
}

impl LineSet {
    pub fn new(rules: &[Arc<Rule>]) -> Self {
        let mut exprs: Vec<String> = Vec::new();
        let mut add = |m: &Matcher| {
            m.anchored.then(|| {
                exprs.push(m.set_expr().to_string());
                exprs.len() - 1
            })
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
                    .dfa_size_limit(CACHE_LIMIT)
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

    /// False when there were patterns but their set could not be built: rules then
    /// run their own regexes.
    pub fn built(&self) -> bool {
        self.set.is_some() || self.len == 0
    }

    /// Which live lines of `doc` each pattern matches.
    pub fn scan(&self, doc: &Document) -> Hits {
        let Some(set) = &self.set else {
            return Hits { by_pattern: None };
        };
        let mut by_pattern = vec![Vec::new(); self.len];
        for (i, line) in doc.lines.iter().enumerate() {
            if line.is_live() {
                for p in set.matches(line.key()).iter() {
                    by_pattern[p].push(i as u32);
                }
            }
        }
        Hits {
            by_pattern: Some(by_pattern),
        }
    }

    /// The set indices of rule `k`'s patterns.
    pub fn slots(&self, k: usize) -> [Option<usize>; 2] {
        self.slots[k]
    }
}

/// Which lines each pattern matched in one document, for one pass.
#[derive(Debug)]
pub struct Hits {
    /// None when the set could not be built: rules then run their own regexes.
    by_pattern: Option<Vec<Vec<u32>>>,
}

impl Hits {
    /// The lines (in order) pattern `slot` matched, if the scan knows.
    pub fn lines(&self, slot: Option<usize>) -> Option<&[u32]> {
        Some(&self.by_pattern.as_ref()?[slot?])
    }
}
