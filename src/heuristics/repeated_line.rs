//! A line repeated as the next line (link text + heading of a byline, a caption
//! shown twice): the second copy is residue.

use super::{Heuristic, Memo};
use crate::document::Document;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepeatedLine {
    /// Longer lines are left alone: repeated paragraphs are rarely layout residue.
    max_words: usize,
}

impl Heuristic for RepeatedLine {
    fn apply(&self, doc: &mut Document, id: &Arc<str>, _: &mut Memo) {
        let mut prev: Option<usize> = None;
        for i in doc.live() {
            let same = prev.is_some_and(|p| {
                let (a, b) = (&doc.lines[p], &doc.lines[i]);
                a.words() <= self.max_words && a.trimmed() == b.trimmed()
            });
            if same {
                doc.drop_line(i, id);
            } else {
                prev = Some(i);
            }
        }
    }

    fn settles(&self) -> bool {
        true
    }
}
