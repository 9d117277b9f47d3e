//! The end of an article, marked by residue the rules removed: a share bar, a related
//! or comments heading, a newsletter box below most of the page's text. What follows
//! it (teasers, promos, bios that no pattern names) goes too. The detector never sees
//! those lines, as the rules took them first, so its main text runs on past them.

use super::text::words;
use super::{Heuristic, Memo};
use crate::document::{Change, Document};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AfterResidue {
    /// Ids of the rules whose removed lines mark the end of an article.
    rules: Vec<String>,
    /// Share of the page's text (in words) that must stand before the mark: a share bar
    /// under the lead, or a menu between title and text, is no end.
    min_share: f64,
    /// Words that must stand before the mark, so a short page is never emptied.
    min_words: usize,
    /// A line of this many words after the mark is a paragraph: the mark was a box
    /// inside the article ("Related" between two paragraphs), and nothing is cut.
    paragraph_words: usize,
}

impl Heuristic for AfterResidue {
    fn apply(&self, doc: &mut Document, id: &Arc<str>, _: &mut Memo) {
        if !doc.is_page_sized() {
            return;
        }
        let mut marks: Vec<usize> = doc
            .removals
            .iter()
            .filter(|r| r.change == Change::Drop && self.rules.iter().any(|x| **x == *r.rule_id))
            .map(|r| r.line)
            .collect();
        if marks.is_empty() {
            return;
        }
        marks.sort_unstable();
        // The page's text counts what this cut took in an earlier pass, so a later pass
        // (after other removals) measures the share as the first did.
        let taken: usize = doc
            .removals
            .iter()
            .filter(|r| r.rule_id == *id)
            .map(|r| words(&r.text))
            .sum();
        let live = doc.live();
        let total = taken + live.iter().map(|&i| doc.lines[i].words()).sum::<usize>();
        let mut before = 0;
        let mut next = live.iter().peekable();
        for mark in marks {
            while let Some(&&i) = next.peek() {
                if doc.lines[i].no > mark {
                    break;
                }
                before += doc.lines[i].words();
                next.next();
            }
            if before >= self.min_words
                && before as f64 >= self.min_share * total as f64
                && next
                    .clone()
                    .all(|&i| doc.lines[i].words() < self.paragraph_words)
            {
                for &i in next {
                    doc.drop_line(i, id);
                }
                return;
            }
        }
    }

    fn settles(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut() -> AfterResidue {
        AfterResidue {
            rules: vec!["default/share".into()],
            min_share: 0.7,
            min_words: 10,
            paragraph_words: 12,
        }
    }

    /// `text` with the lines starting "Share" removed by `default/share` first.
    fn applied(text: &str) -> String {
        let mut doc = Document::from_text(text);
        let share: Arc<str> = Arc::from("default/share");
        for i in doc.live() {
            if doc.lines[i].trimmed().starts_with("Share") {
                doc.drop_line(i, &share);
            }
        }
        cut().apply(&mut doc, &Arc::from("default/after-residue"), &mut None);
        crate::tidy::tidy(&doc)
    }

    #[test]
    fn cuts_after_a_mark_below_most_of_the_text() {
        let story = "The council voted on Tuesday to keep the old library open for two more years.\n\
                     Members said the building still serves hundreds of readers every week.";
        assert_eq!(
            applied(&format!(
                "{story}\nShare this\nTen things to do this weekend\n"
            )),
            format!("{story}\n")
        );
        // A share bar under the lead is no end: most of the text follows it.
        let text = format!("Library stays open\nShare this\n{story}\n");
        assert_eq!(applied(&text), format!("Library stays open\n{story}\n"));
        // Nor on a page too short to tell.
        let text = "A short note.\nShare this\nAnother line\n";
        assert_eq!(applied(text), "A short note.\nAnother line\n");
    }
}
