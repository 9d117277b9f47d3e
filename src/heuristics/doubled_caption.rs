//! "Caption textCaption text": a line that is one string twice, glued or spaced.

use super::text::words;
use super::{Heuristic, Memo};
use crate::document::Document;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoubledCaption {
    /// Words the repeated half must have ("Bora Bora" is a place, not residue).
    min_words: usize,
}

impl Heuristic for DoubledCaption {
    fn apply(&self, doc: &mut Document, id: &Arc<str>, _: &mut Memo) {
        for i in doc.live() {
            if half(doc.lines[i].trimmed()).is_some_and(|h| words(h) >= self.min_words) {
                doc.drop_line(i, id);
            }
        }
    }

    fn settles(&self) -> bool {
        true
    }
}

/// The repeated half when `t` is `s + s` or `s + " " + s`.
fn half(t: &str) -> Option<&str> {
    let n = t.len();
    if n.is_multiple_of(2) && t.is_char_boundary(n / 2) && t[..n / 2] == t[n / 2..] {
        return Some(&t[..n / 2]);
    }
    let m = n / 2;
    if !n.is_multiple_of(2) && t.as_bytes()[m] == b' ' && t[..m] == t[m + 1..] {
        return Some(&t[..m]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::half;

    #[test]
    fn glued_and_spaced() {
        assert_eq!(half("Nick Schifrin Nick Schifrin"), Some("Nick Schifrin"));
        assert_eq!(half("a cata cat"), Some("a cat"));
        assert_eq!(half("not doubled at all"), None);
        assert_eq!(half("ÄÖÄÖ"), Some("ÄÖ"));
    }
}
