//! Compiling rule patterns into one regex each, once per rule set.

use super::schema::RawPattern;
use regex::{Regex, RegexBuilder};

/// Where a pattern is looked for: inside the line (strip, replace) or as the whole line
/// (line actions given as literals, so "Print" never removes a sentence that mentions it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Span,
    Line,
}

#[derive(Debug, Clone)]
pub struct Matcher {
    pub re: Regex,
    /// The pattern as the user wrote it, for `rinse rules ID`.
    pub source: String,
}

/// Generous but bounded: a pattern that compiles to more than this is a mistake.
const SIZE_LIMIT: usize = 32 << 20;

pub fn compile(p: &RawPattern, case_insensitive: bool, scope: Scope) -> Result<Matcher, String> {
    let (expr, source) = match p {
        RawPattern::Regex(r) => (r.clone(), r.clone()),
        RawPattern::AnyOf(list) => {
            if list.is_empty() {
                return Err("the pattern list is empty".into());
            }
            // Check each alternative alone so the error names the one at fault.
            for r in list {
                build(r, case_insensitive).map_err(|e| format!("in {r:?}: {e}"))?;
            }
            let expr = list
                .iter()
                .map(|r| format!("(?:{r})"))
                .collect::<Vec<_>>()
                .join("|");
            (expr, format!("{list:?}"))
        }
        RawPattern::Literal(l) => {
            if l.literal.is_empty() || l.literal.iter().any(|s| s.trim().is_empty()) {
                return Err("a literal list needs non-empty strings".into());
            }
            let alts = l
                .literal
                .iter()
                .map(|s| regex::escape(s.trim()))
                .collect::<Vec<_>>()
                .join("|");
            let expr = match scope {
                Scope::Span => alts,
                Scope::Line => format!(r"^\s*(?:{alts})\s*$"),
            };
            (expr, format!("literal {:?}", l.literal))
        }
    };
    let re = build(&expr, case_insensitive)?;
    Ok(Matcher { re, source })
}

fn build(expr: &str, case_insensitive: bool) -> Result<Regex, String> {
    RegexBuilder::new(expr)
        .case_insensitive(case_insensitive)
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| e.to_string())
}
