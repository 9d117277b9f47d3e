//! Built-in detectors for residue that no single pattern describes. Each has an id
//! (`default/<name>`), is switched on by a `[heuristics.<name>]` table in a rule file,
//! takes its thresholds from that table, and can be disabled like any rule.

mod after_residue;
mod byline_bio;
mod comment_thread;
mod content;
mod doubled_caption;
mod repeated_line;
pub(crate) mod text;

use crate::document::Document;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::sync::{Arc, OnceLock};

/// What a heuristic keeps between its calls on one document (passes rerun it when the
/// rules removed more): its own type, behind `Any`. Starts empty for each document.
pub type Memo = Option<Box<dyn std::any::Any>>;

pub trait Heuristic: Send + Sync + Debug {
    /// Remove what the heuristic finds, recording each removal under `id`. `memo` is
    /// what earlier calls on this document left there.
    fn apply(&self, doc: &mut Document, id: &Arc<str>, memo: &mut Memo);

    /// True when one call leaves nothing for a second call on the same page to remove:
    /// then a pass in which nothing else changed the page may skip it.
    fn settles(&self) -> bool {
        false
    }
}

/// Every heuristic, in the order they run: name and one-line description. The
/// byline-bio cut runs first so it claims both copies of a doubled name line; the
/// main-content detector runs on what the rules left, and the cut after residue last,
/// on what the detector kept.
pub const NAMES: &[(&str, &str)] = &[
    (
        "byline-bio",
        "a short name line near the end followed by an author bio: cut to the end",
    ),
    (
        "doubled-caption",
        "a line that is one string of a few words twice, glued or spaced (image captions, names)",
    ),
    (
        "repeated-line",
        "a line repeated on the next line: the second copy is residue",
    ),
    (
        "comment-thread",
        "a blog's comment thread (commenter lines with their time stamps, two names or more): cut to the end",
    ),
    (
        "main-content",
        "lines outside the page's main text, judged from the text alone (a small learned model)",
    ),
    (
        "after-residue",
        "a line a rule for a closing block removed (related, comment form, author, newsletter) below most of the page's text ends the article, when short lines follow: cut to the end",
    ),
];

/// Parameters that name rule ids, as (heuristic, key): a rule file's check finds the ids
/// as it finds `disable` entries, so a misspelt id is an error, not a mark that never shows.
pub const RULE_ID_KEYS: &[(&str, &str)] = &[("after-residue", "rules")];

/// A parameter that is a share of something: a number from 0 to 1.
pub(crate) fn share<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = f64::deserialize(d)?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(serde::de::Error::custom(format!(
            "a share from 0 to 1 was expected, not {v}"
        )))
    }
}

/// Build heuristic `name` from the tables of the files that apply, in order, laid over
/// its built-in parameters (the embedded defaults' table), so a file names only the keys
/// it changes. `Ok(None)` when `enabled = false`. The error names the offending key in
/// the words of serde.
pub fn build<'a>(
    name: &str,
    tables: impl IntoIterator<Item = &'a toml::Table>,
) -> Result<Option<Box<dyn Heuristic>>, String> {
    let mut table = builtin(name);
    for t in tables {
        table.extend(t.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let table = &table;
    match name {
        "doubled-caption" => make::<doubled_caption::DoubledCaption>(table),
        "repeated-line" => make::<repeated_line::RepeatedLine>(table),
        "byline-bio" => make::<byline_bio::BylineBio>(table),
        "comment-thread" => make::<comment_thread::CommentThread>(table),
        "main-content" => make::<content::MainContent>(table),
        "after-residue" => make::<after_residue::AfterResidue>(table),
        other => Err(format!("unknown heuristic `{other}`")),
    }
}

/// The `[heuristics.<name>]` table of the embedded defaults (empty if it has none).
fn builtin(name: &str) -> toml::Table {
    static TABLES: OnceLock<toml::Table> = OnceLock::new();
    let all = TABLES.get_or_init(|| {
        let file: toml::Table =
            toml::from_str(crate::rules::load::DEFAULT_RULES).expect("embedded rules parse");
        match file.get("heuristics") {
            Some(toml::Value::Table(t)) => t.clone(),
            _ => toml::Table::new(),
        }
    });
    match all.get(name) {
        Some(toml::Value::Table(t)) => t.clone(),
        _ => toml::Table::new(),
    }
}

/// Every heuristic's table may say `enabled = false`; the rest are the heuristic's own
/// parameters, read by serde with unknown keys refused.
fn make<H: Heuristic + DeserializeOwned + 'static>(
    table: &toml::Table,
) -> Result<Option<Box<dyn Heuristic>>, String> {
    let mut params = table.clone();
    let enabled = match params.remove("enabled") {
        None => true,
        Some(toml::Value::Boolean(b)) => b,
        Some(v) => {
            return Err(format!(
                "`enabled` must be true or false, not a {}",
                v.type_str()
            ));
        }
    };
    let h: H = toml::Value::Table(params)
        .try_into()
        .map_err(|e: toml::de::Error| e.message().trim().to_string())?;
    Ok(enabled.then(|| Box::new(h) as Box<dyn Heuristic>))
}

/// `text` after one call of `h`, as the output would read: the heuristics' unit tests.
#[cfg(test)]
fn applied(h: &dyn Heuristic, text: &str) -> String {
    let mut doc = Document::from_text(text);
    h.apply(&mut doc, &Arc::from("default/test"), &mut None);
    crate::tidy::tidy(&doc)
}
