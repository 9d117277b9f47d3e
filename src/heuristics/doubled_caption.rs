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
    /// Words it may have: a longer half is a paragraph glued twice, not a caption, and
    /// dropping the line would lose it.
    max_words: usize,
}

impl Heuristic for DoubledCaption {
    fn apply(&self, doc: &mut Document, id: &Arc<str>, _: &mut Memo) {
        for i in doc.live() {
            if half(doc.lines[i].trimmed())
                .is_some_and(|h| (self.min_words..=self.max_words).contains(&words(h)))
            {
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
    use super::*;
    use crate::heuristics::applied;

    #[test]
    fn drops_a_doubled_caption_but_not_a_doubled_paragraph() {
        let h = DoubledCaption {
            min_words: 2,
            max_words: 40,
        };
        let clean = |text: &str| applied(&h, text);
        let article = "The council voted on Tuesday to keep the old library open.\n";
        let caption = "The library at dusk.The library at dusk.\n";
        assert_eq!(clean(&format!("{article}{caption}")), article);
        // Forty-one words twice: a paragraph scraped twice, kept rather than lost.
        let para = "word ".repeat(41);
        let doubled = format!("{article}{para}{}\n", para.trim_end());
        assert_eq!(clean(&doubled), doubled);
    }

    #[test]
    fn glued_and_spaced() {
        assert_eq!(half("Nick Schifrin Nick Schifrin"), Some("Nick Schifrin"));
        assert_eq!(half("a cata cat"), Some("a cat"));
        assert_eq!(half("not doubled at all"), None);
        assert_eq!(half("ÄÖÄÖ"), Some("ÄÖ"));
    }
}
