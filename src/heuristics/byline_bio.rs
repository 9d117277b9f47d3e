//! A trailing byline and author bio: a short name line near the end (often twice:
//! link text and heading) followed by a paragraph that starts with the first name or a
//! pronoun and reads as a bio. Everything from the name line on is cut.

use super::text::{first_word, is_name_like, words};
use super::{Heuristic, Memo};
use crate::document::Document;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BylineBio {
    /// The name line must be among the last `window` lines that hold text.
    window: usize,
    /// Longest name, in words.
    max_name_words: usize,
    /// Words of text that must stand before the name, so a short page is never emptied.
    min_words_before: usize,
    /// Words a bio may start with besides the author's first name.
    pronouns: Vec<String>,
    /// Phrases of which a bio holds at least one (matched lowercase).
    cues: Vec<String>,
}

impl Heuristic for BylineBio {
    fn apply(&self, doc: &mut Document, id: &Arc<str>, _: &mut Memo) {
        let live = doc.live();
        let from = live.len().saturating_sub(self.window);
        for k in from..live.len() {
            let name = doc.lines[live[k]].trimmed();
            if !is_name_like(name, self.max_name_words) {
                continue;
            }
            // Skip the name's second copy, then the bio must follow.
            let mut b = k + 1;
            while b < live.len() && doc.lines[live[b]].trimmed() == name {
                b += 1;
            }
            let Some(&bio) = live.get(b) else { break };
            if self.is_bio(name, &doc.lines[bio].text)
                && doc.words_in(0..live[k]) >= self.min_words_before
            {
                for j in live[k]..doc.lines.len() {
                    doc.drop_line(j, id);
                }
                return;
            }
        }
    }
}

impl BylineBio {
    fn is_bio(&self, name: &str, para: &str) -> bool {
        let name = name.strip_prefix("By ").unwrap_or(name);
        let start = first_word(para);
        let opens = start == first_word(name) || self.pronouns.iter().any(|p| p == start);
        let lower = para.to_lowercase();
        opens && words(para) >= 8 && self.cues.iter().any(|c| lower.contains(c.as_str()))
    }
}
