//! Rule files: raw TOML types, loading and validation, site resolution, and the engine
//! that applies a resolved rule set to a document.

pub mod book;
pub mod diagnostic;
pub mod engine;
pub mod load;
pub mod pattern;
pub mod schema;

use globset::GlobSet;
use pattern::Matcher;
use std::sync::Arc;

pub use book::{DocContext, Resolved, RuleBook};
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

/// Limits a rule to the first or last N lines that hold text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    First(usize),
    Last(usize),
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
    pub min_words: usize,
    pub examples: Vec<Example>,
}

/// The `[site]` table: when a file applies, and which rules it switches off.
#[derive(Debug, Clone)]
pub struct Site {
    pub hosts: Vec<String>,
    pub paths: GlobSet,
    /// Ids to switch off, each with the line and column it was written at.
    pub disable: Vec<(String, usize, usize)>,
}

/// One loaded rule file.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// The file stem: the prefix of every id in the file.
    pub stem: String,
    /// The path shown to users (`rules/default.toml (embedded)` for the built-in set).
    pub path: String,
    /// None for the defaults and for user files without `[site]`: those always apply.
    pub site: Option<Site>,
    pub rules: Vec<Arc<Rule>>,
    /// `[heuristics.<name>]` tables as written, merged key by key at resolution.
    pub heuristics: Vec<(String, toml::Table)>,
}
