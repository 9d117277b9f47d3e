//! A blog's comment thread: lines that name a commenter ("Anna says:", "Max sagt:"),
//! each followed by the comment's time stamp ("March 3, 2020 at 4:11 pm", "28. Juli 2019
//! um 13:39"). From the first such pair on, everything is cut. A quote introduced by
//! "Die Redaktion sagt:" has no time stamp under it, and a lone pair is not a thread.

use super::text::words;
use super::{Heuristic, Memo};
use crate::document::Document;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentThread {
    /// The word before the colon of a commenter line ("says", "sagt"), lowercase.
    verbs: Vec<String>,
    /// Longest commenter line, in words (name and verb).
    max_author_words: usize,
    /// Longest time-stamp line, in words.
    max_stamp_words: usize,
    /// Commenter lines with a time stamp under them that make a thread.
    min_comments: usize,
    /// Words of text that must stand before the thread, so a page is never emptied.
    min_words_before: usize,
}

impl Heuristic for CommentThread {
    fn apply(&self, doc: &mut Document, id: &Arc<str>, _: &mut Memo) {
        let live = doc.live();
        let mut comments = live.iter().enumerate().filter(|&(k, &i)| {
            self.is_commenter(doc.lines[i].trimmed())
                && live[k + 1..]
                    .iter()
                    .take(2)
                    .any(|&j| self.is_stamp(doc.lines[j].trimmed()))
        });
        let Some((_, &first)) = comments.next() else {
            return;
        };
        if 1 + comments.count() < self.min_comments
            || doc.words_in(0..first) < self.min_words_before
        {
            return;
        }
        for j in first..doc.lines.len() {
            doc.drop_line(j, id);
        }
    }

    fn settles(&self) -> bool {
        true
    }
}

impl CommentThread {
    /// "Anna Berg says:": a few words, the last a verb of saying, then a colon.
    fn is_commenter(&self, t: &str) -> bool {
        let Some(t) = t.strip_suffix(':') else {
            return false;
        };
        (2..=self.max_author_words).contains(&words(t))
            && t.split_whitespace()
                .next_back()
                .is_some_and(|v| self.verbs.contains(&v.to_lowercase()))
    }

    /// A short line with a clock time (`4:11`, `13.39`) and another number (the date).
    fn is_stamp(&self, t: &str) -> bool {
        let b = t.as_bytes();
        let numbers = b
            .split(|c| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .count();
        let time = (0..b.len()).any(|i| {
            let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
            matches!(b[i], b':' | b'.')
                && digit(i.wrapping_sub(1))
                && digit(i + 1)
                && digit(i + 2)
                && !digit(i + 3)
        });
        time && numbers >= 3 && words(t) <= self.max_stamp_words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread() -> CommentThread {
        CommentThread {
            verbs: vec!["says".into(), "sagt".into()],
            max_author_words: 8,
            max_stamp_words: 10,
            min_comments: 2,
            min_words_before: 10,
        }
    }

    #[test]
    fn commenters_and_stamps() {
        let c = thread();
        assert!(c.is_commenter("Anna Berg says:"));
        assert!(c.is_commenter("Die CHIP Redaktion sagt:"));
        assert!(!c.is_commenter("says:"));
        assert!(!c.is_commenter("The mayor says the bridge will open in May:"));
        assert!(c.is_stamp("August 3, 2019 at 4:11 am"));
        assert!(c.is_stamp("28. Juli 2019 um 13:39"));
        assert!(!c.is_stamp("At 4:11 the lights went out."));
        assert!(!c.is_stamp("3 years ago"));
    }

    #[test]
    fn cuts_a_thread_and_keeps_a_quote() {
        let article = "The council voted on Tuesday to keep the old library open.";
        let cut = |text: &str| {
            let mut doc = Document::from_text(text);
            thread().apply(&mut doc, &Arc::from("default/comment-thread"), &mut None);
            crate::tidy::tidy(&doc)
        };
        let blog = format!(
            "{article}\n\nAnna says:\nAugust 3, 2019 at 4:11 am\nGreat post.\n\
             Reply\nBen says:\nAugust 4, 2019 at 9:02 pm\nI disagree.\n"
        );
        assert_eq!(cut(&blog), format!("{article}\n"));
        // One commenter is not a thread; a quote has no time stamp.
        let one = format!("{article}\n\nAnna says:\nAugust 3, 2019 at 4:11 am\nGreat post.\n");
        assert_eq!(cut(&one), one);
        let quote = format!("{article}\n\nThe editor says:\nIt is open.\nBen says:\nYes.\n");
        assert_eq!(cut(&quote), quote);
    }
}
