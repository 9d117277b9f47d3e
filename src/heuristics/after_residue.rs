//! The end of an article, marked by residue the rules removed: a related or comments
//! form heading, a newsletter box, an author's heading below most of the page's text.
//! What follows it (teasers, promos, bios that no pattern names) goes too, when it reads
//! like residue: short lines, not paragraphs. The detector never sees the marks, as the
//! rules took them first, so its main text runs on past them.

use super::content::features::ends_sentence;
use super::text::words;
use super::{Heuristic, Memo};
use crate::document::{Change, Document};
use crate::lang::is_cjk;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AfterResidue {
    /// Ids of the rules whose removed lines mark the end of an article.
    rules: Vec<String>,
    /// Share of the page's text (in words) that must stand before the mark: a share bar
    /// under the lead, or a menu between title and text, is no end.
    #[serde(deserialize_with = "super::share")]
    min_share: f64,
    /// Words that must stand before the mark, so a short page is never emptied.
    min_words: usize,
    /// A line of this many words after the mark is a paragraph: the mark was a box
    /// inside the article ("Related" between two paragraphs), and nothing is cut.
    paragraph_words: usize,
}

/// Words of a line, a run of CJK text counted by its characters (1.5 to a word), as
/// the detector counts them: a Chinese paragraph is no one-word line.
fn weight(t: &str) -> usize {
    // Most lines hold no CJK at all: no need to look at each character.
    if t.is_ascii() {
        return words(t);
    }
    t.split_whitespace()
        .map(|w| match w.chars().filter(|&c| is_cjk(c)).count() {
            0 => 1,
            n => (2 * n).div_ceil(3),
        })
        .sum()
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
            .map(|r| weight(&r.text))
            .sum();
        let live = doc.live();
        let w: Vec<usize> = live.iter().map(|&i| weight(doc.lines[i].key())).collect();
        let total = taken + w.iter().sum::<usize>();
        let (mut before, mut next) = (0, 0);
        for mark in marks {
            while next < live.len() && doc.lines[live[next]].no <= mark {
                before += w[next];
                next += 1;
            }
            // What follows must read like residue: no paragraph, and more short lines
            // than sentences (teasers are headlines, some with a summary sentence; a
            // paragraph, or a teaser's summary, ends like a sentence).
            let after = next..live.len();
            let sentences = after
                .clone()
                .filter(|&k| ends_sentence(doc.lines[live[k]].key()))
                .count();
            if before >= self.min_words
                && before as f64 >= self.min_share * total as f64
                && after.clone().all(|k| w[k] < self.paragraph_words)
                && 2 * sentences < after.len()
            {
                for k in after {
                    doc.drop_line(live[k], id);
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
            rules: vec!["default/related".into()],
            min_share: 0.7,
            min_words: 10,
            paragraph_words: 12,
        }
    }

    /// `text` with the lines starting "Related" removed by `default/related` first.
    fn applied(text: &str) -> String {
        let mut doc = Document::from_text(text);
        let related: Arc<str> = Arc::from("default/related");
        for i in doc.live() {
            if doc.lines[i].trimmed().starts_with("Related") {
                doc.drop_line(i, &related);
            }
        }
        cut().apply(&mut doc, &Arc::from("default/after-residue"), &mut None);
        crate::tidy::tidy(&doc)
    }

    #[test]
    fn cuts_teasers_after_a_mark_below_most_of_the_text() {
        let story = "The council voted on Tuesday to keep the old library open for two more years.\n\
                     Members said the building still serves hundreds of readers every week.";
        let teasers = "Ten things to do this weekend\nBridge repairs start in May\n";
        assert_eq!(
            applied(&format!("{story}\nRelated stories\n{teasers}")),
            format!("{story}\n")
        );
        // A box under the lead is no end: most of the text follows it.
        let text = format!("Library stays open\nRelated stories\n{story}\n");
        assert_eq!(applied(&text), format!("Library stays open\n{story}\n"));
        // Nor is one followed by sentences: the article goes on.
        let text = format!("{story}\nRelated stories\nIt opens at nine.\nIt shuts at six.\n");
        assert_eq!(
            applied(&text),
            format!("{story}\nIt opens at nine.\nIt shuts at six.\n")
        );
        // Nor on a page too short to tell.
        let text = "A short note.\nRelated stories\nAnother line\n";
        assert_eq!(applied(text), "A short note.\nAnother line\n");
    }

    #[test]
    fn a_cjk_paragraph_weighs_by_its_characters() {
        assert_eq!(weight("東京 マラソン"), 5);
        assert_eq!(weight("two words"), 2);
    }
}
