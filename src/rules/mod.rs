//! Rule files: raw TOML types, loading and validation, site resolution, and the engine
//! that applies a resolved rule set to a document.

pub mod book;
pub mod diagnostic;
pub mod engine;
pub mod lineset;
pub mod load;
pub mod pattern;
pub mod schema;

use globset::GlobSet;
use pattern::Matcher;
use std::sync::Arc;

pub use book::{DocContext, Resolved, RuleBook, Sources};
pub use diagnostic::{Diagnostic, LoadErrors};

/// What a rule does with a match.
#[derive(Debug, Clone)]
pub enum Action {
    /// Remove the matched span and mend the spaces around it.
    Strip(Matcher),
    /// Remove the whole line.
    Drop(Matcher),
    /// Rewrite the matched span (`$1` refers to groups).
    Replace(Matcher, String),
    /// Remove the first matching line and everything after it.
    CutAfter(Matcher),
    /// Remove the last matching line and everything before it.
    CutBefore(Matcher),
    /// Remove each block from a `start` line to the next `end` line, both included.
    DropBetween(Matcher, Matcher),
}

impl Action {
    /// Rules run in phases, whatever file they come from: spans are mended first, then
    /// sections are cut while their headings are still there, then single lines drop.
    pub fn phase(&self) -> u8 {
        match self {
            Action::Strip(_) | Action::Replace(..) => 0,
            Action::CutAfter(_) | Action::CutBefore(_) | Action::DropBetween(..) => 1,
            Action::Drop(_) => 2,
        }
    }

    /// The action's patterns: the one, or `start` and `end`.
    pub fn matchers(&self) -> (&Matcher, Option<&Matcher>) {
        match self {
            Action::Strip(m)
            | Action::Drop(m)
            | Action::Replace(m, _)
            | Action::CutAfter(m)
            | Action::CutBefore(m) => (m, None),
            Action::DropBetween(s, e) => (s, Some(e)),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Action::Strip(_) => "strip",
            Action::Drop(_) => "drop",
            Action::Replace(..) => "replace",
            Action::CutAfter(_) => "cut_after",
            Action::CutBefore(_) => "cut_before",
            Action::DropBetween(..) => "drop_between",
        }
    }
}

/// Limits a rule to the first and/or last N lines that hold text; with both, a line in
/// either window counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub first: Option<usize>,
    pub last: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Example {
    pub input: String,
    pub output: String,
    pub line: usize,
}

/// A compiled rule. `id` is the full, stable id: `<file stem>/<id>`.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: Arc<str>,
    pub file: Arc<str>,
    /// Line of the rule's `id` in its file.
    pub line: usize,
    pub description: String,
    pub action: Action,
    pub within: Option<Window>,
    /// A line this matches anywhere is left alone: the rule's precision guard.
    pub unless: Option<Matcher>,
    /// Line actions: only lines of at most this many words.
    pub max_words: Option<usize>,
    /// Drops: only lines in a run of at least this many consecutive matching lines.
    pub min_run: usize,
    /// Cuts: prose words that must stay on the kept side.
    pub min_words: usize,
    /// Cuts: prose words cut may be at most this times the prose words kept.
    pub max_cut_ratio: Option<f64>,
    pub examples: Vec<Example>,
}

impl Rule {
    /// Whether the rule's decision on a line depends on other lines (its position, its
    /// neighbours, the prose around it), so removals elsewhere can change it.
    pub fn contextual(&self) -> bool {
        self.within.is_some() || self.min_run > 1 || self.action.phase() == 1
    }
}

/// The `[site]` table: when a file applies, and which rules it switches off.
#[derive(Debug, Clone)]
pub struct Site {
    pub hosts: Vec<String>,
    pub paths: GlobSet,
}

/// One loaded rule file.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// The file stem: the prefix of every id in the file.
    pub stem: String,
    /// The path shown to users (`rules/default.toml (embedded)` for the built-in set).
    pub path: String,
    /// A hash of the file's text: an output's origin names the rules it was cleaned
    /// with by content, as a file's time can be set back (`cp -p`, `rsync -a`).
    pub digest: u64,
    /// None for the defaults and for user files without `[site]`: those always apply.
    pub site: Option<Site>,
    /// Ids to switch off where the file applies (`disable`, at the top or in `[site]`),
    /// each with the line and column it was written at.
    pub disable: Vec<(String, usize, usize)>,
    pub rules: Vec<Arc<Rule>>,
    /// `[heuristics.<name>]` tables as written, merged key by key at resolution.
    pub heuristics: Vec<(String, toml::Table)>,
    /// Rule ids a heuristic's table names (`heuristics::RULE_ID_KEYS`), with the line
    /// and column each was written at: checked across files as `disable` entries are.
    pub rule_refs: Vec<(String, usize, usize)>,
    /// `[normalize]` keys as written: steps switched on or off.
    pub normalize: Vec<(crate::normalize::Step, bool)>,
    /// The whole-line patterns of `rules`, compiled into one set when the file loads:
    /// every combination of site files shares it.
    pub lines: Arc<lineset::LineSet>,
    /// `[html]`: the article root selector, if any.
    pub html_root: Option<crate::html::SiteSelector>,
    /// `[html]`: selectors of elements to drop.
    pub html_drop: Vec<crate::html::SiteSelector>,
}
