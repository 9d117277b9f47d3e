//! Raw serde types of a rule file: exactly what the TOML says, nothing compiled.
//! Every table denies unknown keys so a typo is an error, not a silently ignored rule.

use serde::Deserialize;
use toml::Spanned;

/// Keys allowed at the top of a rule file.
pub const TOP_KEYS: &[&str] = &["site", "disable", "rule", "heuristics", "normalize", "html"];

/// `[html]`: CSS selectors for HTML input.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawHtml {
    /// Where the article lives: text outside every match is removed.
    pub root: Option<Spanned<String>>,
    /// Elements removed wherever they are.
    #[serde(default)]
    pub drop: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    #[serde(default)]
    pub hosts: Vec<Spanned<String>>,
    #[serde(default)]
    pub paths: Vec<Spanned<String>>,
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
}

/// A pattern: a regex, a list of regexes (any may match), or plain strings.
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum RawPattern {
    Regex(String),
    AnyOf(Vec<String>),
    Literal(RawLiteral),
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawLiteral {
    pub literal: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBetween {
    pub start: Spanned<RawPattern>,
    pub end: Spanned<RawPattern>,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct RawWithin {
    pub first: Option<usize>,
    pub last: Option<usize>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawExample {
    pub input: String,
    pub output: String,
}

/// The keys of a `[[rule]]` table, in the order of `RawRule`: every unknown key of a
/// rule is reported at once, where serde would name only one.
pub const RULE_KEYS: &[&str] = &[
    "id",
    "description",
    "strip",
    "drop",
    "replace",
    "with",
    "cut_after",
    "cut_before",
    "drop_between",
    "case_insensitive",
    "within",
    "unless",
    "max_words",
    "min_run",
    "min_words",
    "max_cut_ratio",
    "examples",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: Spanned<String>,
    #[serde(default)]
    pub description: String,
    pub strip: Option<Spanned<RawPattern>>,
    pub drop: Option<Spanned<RawPattern>>,
    pub replace: Option<Spanned<RawPattern>>,
    pub with: Option<Spanned<String>>,
    pub cut_after: Option<Spanned<RawPattern>>,
    pub cut_before: Option<Spanned<RawPattern>>,
    pub drop_between: Option<Spanned<RawBetween>>,
    #[serde(default)]
    pub case_insensitive: bool,
    pub within: Option<Spanned<RawWithin>>,
    /// A pattern that, found anywhere in a line, keeps the rule off that line.
    pub unless: Option<Spanned<RawPattern>>,
    /// Line actions: only lines of at most this many words.
    pub max_words: Option<Spanned<usize>>,
    /// Drops only: the line must be in a run of this many consecutive matching lines.
    pub min_run: Option<Spanned<usize>>,
    /// Cuts only: prose words that must stand on the kept side of the match.
    pub min_words: Option<Spanned<usize>>,
    /// Cuts only: the prose cut may be at most this times the prose kept.
    pub max_cut_ratio: Option<Spanned<f64>>,
    #[serde(default)]
    pub examples: Vec<Spanned<RawExample>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_keys_are_the_fields_of_a_rule() {
        // serde names the fields it expects when it meets an unknown one.
        let err = toml::from_str::<RawRule>("id = 'a'\nzzz = 1\n").unwrap_err();
        let listed = RULE_KEYS
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        assert!(
            err.to_string()
                .contains(&format!("expected one of {listed}")),
            "{err}"
        );
    }
}
