//! A blog's comment thread: lines that name a commenter, each with the comment's time
//! stamp: "Anna says:" with "March 3, 2020 at 4:11 pm" under it, or name and stamp on
//! one line ("Anna Berg March 3, 2020 at 4:11 pm", "Max 28.07.2019 // 13:39"). From the
//! first such line on, everything is cut. A thread needs two commenters by different
//! names: a quote introduced by "Die Redaktion sagt:" has no time stamp under it, a
//! list of reviews by one "Kundenbewertung" or one poster's forum posts are not a thread.

use super::text::words;
use super::{Heuristic, Memo};
use crate::document::{Document, PAGE_LINES};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentThread {
    /// The word before the colon of a commenter line ("says", "sagt"), lowercase.
    verbs: Vec<String>,
    /// Most words of a commenter's name (with the verb, on a `says:` line).
    max_author_words: usize,
    /// Longest time-stamp line, in words.
    max_stamp_words: usize,
    /// Commenter lines (with their time stamps) that make a thread.
    min_comments: usize,
    /// Words of text that must stand before the thread, so a page is never emptied.
    min_words_before: usize,
    /// Most words between the first two commenter lines of a thread.
    max_comment_words: usize,
    /// Words of a time stamp, lowercase, taken off the end of a name on the stamp's
    /// line: month and weekday names, the word before a date ("on", "am"), and labels
    /// ("published", "updated"), so that a label with its stamp names nobody.
    stamp_words: Vec<String>,
}

impl Heuristic for CommentThread {
    fn apply(&self, doc: &mut Document, id: &Arc<str>, _: &mut Memo) {
        let live = doc.live();
        // A dump of many pages holds many threads; cutting at the first loses the rest.
        // (`Document::is_page_sized`, from the live lines at hand.)
        if live.len() > PAGE_LINES {
            return;
        }
        // Each commenter line with the commenter's name.
        let comments: Vec<(usize, String)> = live
            .iter()
            .enumerate()
            .filter_map(|(k, &i)| {
                let t = doc.lines[i].trimmed();
                let name = match self.commenter(t) {
                    Some(name)
                        if live[k + 1..]
                            .iter()
                            .take(2)
                            .any(|&j| self.is_stamp(doc.lines[j].trimmed())) =>
                    {
                        name
                    }
                    _ => self.named_stamp(t)?,
                };
                // "Jo Beispiel," and "Jo Beispiel" are one commenter.
                let name = name.trim_matches(|c: char| !c.is_alphanumeric());
                Some((i, name.to_lowercase()))
            })
            .collect();
        // The thread starts at the first commenter whose next one follows within a
        // comment's length (a byline with a stamp over the article is not a comment)
        // and not at once (stamps in a row are a schedule: a comment has text).
        let Some(start) = comments
            .windows(2)
            .position(|w| (1..=self.max_comment_words).contains(&doc.words_in(w[0].0 + 1..w[1].0)))
        else {
            return;
        };
        let comments = &comments[start..];
        let first = comments[0].0;
        let names: std::collections::HashSet<&str> =
            comments.iter().map(|(_, n)| n.as_str()).collect();
        if comments.len() < self.min_comments
            || names.len() < 2
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
    /// "Anna Berg says:": a few words, the last a verb of saying, then a colon. The name
    /// is the words before the verb.
    fn commenter<'a>(&self, t: &'a str) -> Option<&'a str> {
        let t = t.strip_suffix(':')?;
        let (name, verb) = t.trim_end().rsplit_once(char::is_whitespace)?;
        ((2..=self.max_author_words).contains(&words(t))
            && self.verbs.contains(&verb.to_lowercase()))
        .then_some(name.trim_end())
    }

    /// "Anna Berg March 3, 2020 at 4:11 pm": a name of a few words without digits, then a
    /// time stamp with a clock time (`4:11`) and a date. The name is returned; a label
    /// ("Published:", "Termin:") is no name.
    fn named_stamp<'a>(&self, t: &'a str) -> Option<&'a str> {
        // One clock time (a range "13:15 - 17:00" is a schedule), found first: most
        // lines have none, and are turned away before any parsing.
        let b = t.as_bytes();
        let mut clocks = memchr::memchr_iter(b':', b).filter(|&i| clock_at(b, i));
        clocks.next()?;
        if clocks.next().is_some() || words(t) > self.max_author_words + self.max_stamp_words {
            return None;
        }
        let at = t
            .split_whitespace()
            .find(|w| w.bytes().any(|b| b.is_ascii_digit()))
            .map(|w| w.as_ptr() as usize - t.as_ptr() as usize)?;
        let (mut name, stamp) = t.split_at(at);
        // Month and weekday names and labels before the first number are the stamp's.
        loop {
            name = name.trim_end();
            let (head, last) = name.rsplit_once(char::is_whitespace).unwrap_or(("", name));
            let word = last
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            if word.is_empty() || !self.stamp_words.contains(&word) {
                break;
            }
            name = head;
        }
        // A year: a number from 1990 to 2039, or a date of three numbers ("26/10/13").
        let year = stamp
            .split(|c: char| !c.is_ascii_digit())
            .any(|n| n.len() == 4 && ("1990".."2040").contains(&n))
            || stamp.split_whitespace().any(|w| {
                w.split(['.', '/', '-'])
                    .filter(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
                    .count()
                    == 3
            });
        // A sentence that mentions a time ("The train left at 10:25 on June 28.") ends
        // like one; a stamp does not. An embed's "shared by X (@x)" is no commenter, nor
        // is a remark signed after a dash ("Did you push it? – Jo Jan 17, 2018 at 15:47"):
        // Q&A sites put those under a question and each answer, and the answers follow.
        let core = name.trim_matches(|c: char| !c.is_alphanumeric());
        ((1..=self.max_author_words).contains(&words(name))
            && !name.ends_with(':')
            && !name.contains(['(', '@'])
            && !core.contains(['?', '!'])
            && ![" – ", " — ", " - "].iter().any(|d| core.contains(d))
            && !t.ends_with(['.', '!', '?'])
            && year
            && self.is_stamp(stamp))
        .then_some(name)
    }

    /// A short line with a clock time (`4:11`, `13.39`) and another number (the date).
    fn is_stamp(&self, t: &str) -> bool {
        let b = t.as_bytes();
        let numbers = b
            .split(|c| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .count();
        let time = (0..b.len()).any(|i| matches!(b[i], b':' | b'.') && clock_at(b, i));
        time && numbers >= 3 && words(t) <= self.max_stamp_words
    }
}

/// A clock time's separator at `i`: a digit before it, two after, and no third ("4:11",
/// "13.39", not "13:395").
fn clock_at(b: &[u8], i: usize) -> bool {
    let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    i > 0 && digit(i - 1) && digit(i + 1) && digit(i + 2) && !digit(i + 3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heuristics::applied;

    fn thread() -> CommentThread {
        CommentThread {
            verbs: vec!["says".into(), "sagt".into()],
            max_author_words: 8,
            max_stamp_words: 10,
            min_comments: 2,
            min_words_before: 10,
            max_comment_words: 50,
            stamp_words: ["june", "july", "august", "do", "published", "updated"]
                .map(String::from)
                .to_vec(),
        }
    }

    #[test]
    fn commenters_and_stamps() {
        let c = thread();
        assert_eq!(c.commenter("Anna Berg says:"), Some("Anna Berg"));
        assert_eq!(
            c.commenter("Die Beispiel Redaktion sagt:"),
            Some("Die Beispiel Redaktion")
        );
        assert_eq!(c.commenter("says:"), None);
        assert_eq!(
            c.commenter("The mayor says the bridge will open in May:"),
            None
        );
        assert_eq!(
            c.named_stamp("Anna Berg June 28, 2015 at 10:25 pm"),
            Some("Anna Berg")
        );
        assert_eq!(c.named_stamp("Max 29.07.2020 // 12:56"), Some("Max"));
        assert_eq!(
            c.named_stamp("Jo Beispiel, Do 9 Apr 2020 / 08:34"),
            Some("Jo Beispiel,")
        );
        // A stamp alone names nobody.
        assert_eq!(c.named_stamp("August 3, 2019 at 4:11 am"), None);
        assert_eq!(c.named_stamp("Published: 10:00am, 20 Jan, 2020"), None);
        assert_eq!(c.named_stamp("Termin: 21.02.2020, 19 Uhr"), None);
        assert_eq!(
            c.named_stamp("The train left at 10:25 on June 28, 2015."),
            None
        );
        // A remark signed after a dash, as Q&A sites show them under each post.
        assert_eq!(
            c.named_stamp("Did you push the branch? – Colm O. Jan 17, 2018 at 15:47"),
            None
        );
        assert_eq!(
            c.named_stamp("It is local. - Jo June 17, 2018 at 15:49"),
            None
        );
        assert!(c.is_stamp("August 3, 2019 at 4:11 am"));
        assert!(c.is_stamp("28. Juli 2019 um 13:39"));
        assert!(!c.is_stamp("At 4:11 the lights went out."));
        assert!(!c.is_stamp("3 years ago"));
    }

    #[test]
    fn cuts_a_thread_and_keeps_a_quote() {
        let article = "The council voted on Tuesday to keep the old library open.";
        let cut = |text: &str| applied(&thread(), text);
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
        // Name and stamp on one line.
        let inline = format!(
            "{article}\n\nAnna June 28, 2015 at 10:25 pm\nGreat post.\n\
             Ben Berg July 6, 2015 at 6:57 pm\nI disagree.\n"
        );
        assert_eq!(cut(&inline), format!("{article}\n"));
        // A publication stamp and an update stamp around the article are no thread,
        // nor is a schedule of stamps in a row.
        let dated = format!(
            "Published June 28, 2015 at 10:25 pm\n{article}\n{article}\n\
             Updated July 6, 2015 at 6:57 pm\nMore of the article follows here.\n"
        );
        assert_eq!(cut(&dated), dated);
        let schedule = format!(
            "{article}\n\nBerlin Hall 14.03.2020 20:00\nHamburg Hall 15.03.2020 20:00\n\
             Munich Hall 16.03.2020 20:00\nTickets are on sale now at the box office.\n"
        );
        assert_eq!(cut(&schedule), schedule);
        // One name on every stamp: reviews under one label, or one poster, not a thread.
        let reviews = format!(
            "{article}\n\nKundenbewertung 02.05.2020 um 08:11 Uhr\nGood.\n\
             Kundenbewertung 03.05.2020 um 09:12 Uhr\nFine.\n"
        );
        assert_eq!(cut(&reviews), reviews);
    }
}
