//! A trailing byline and author bio: a short name line near the end (often twice:
//! link text and heading) followed by a paragraph that starts with the first name or a
//! pronoun and reads as a bio. Everything from the name line on is cut, unless another
//! name and bio follow (a profile of several people). A bio without its name line
//! ("Jane Doe is a professor of law and the author of ...") is cut too when it is among
//! the last lines and names a writer's role.

use super::text::{first_word, is_name_like, words};
use super::{Heuristic, Memo};
use crate::document::Document;
use serde::Deserialize;
use std::sync::Arc;

/// A bio, with or without its name line, has at least this many words.
const MIN_BIO_WORDS: usize = 8;

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
    /// A bio standing without a name line must be among the last `alone_window` lines.
    alone_window: usize,
    /// ...and name one of these roles (matched lowercase) after an English "is a/an/the":
    /// stricter than `cues`, since "Jane Doe is a spokeswoman" may close a news story.
    roles: Vec<String>,
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
            if !self.is_bio(name, &doc.lines[bio].text) {
                continue;
            }
            if self.profile(doc, &live, name, b) {
                break;
            }
            if doc.words_in(0..live[k]) >= self.min_words_before {
                for j in live[k]..doc.lines.len() {
                    doc.drop_line(j, id);
                }
                return;
            }
        }
        let from = live.len().saturating_sub(self.alone_window);
        if let Some(k) =
            (from..live.len()).find(|&k| self.is_bio_alone(doc.lines[live[k]].trimmed()))
        {
            // The bio's name line above it goes with it, or neither goes.
            let bio = doc.lines[live[k]].trimmed();
            let named = k.checked_sub(1).map(|j| live[j]).filter(|&j| {
                let name = doc.lines[j].trimmed();
                is_name_like(name, self.max_name_words) && mentions(first_word(bio), name)
            });
            let i = named.unwrap_or(live[k]);
            if doc.words_in(0..i) < self.min_words_before {
                return;
            }
            for j in i..doc.lines.len() {
                doc.drop_line(j, id);
            }
        }
    }
}

impl BylineBio {
    /// Whether other names, each with a paragraph about that person (naming them or
    /// opening with a pronoun), follow the bio at `live[b]` of `name`: a profile of
    /// several people, whose later ones are no author box either; unless it is one more
    /// person and both name a writer's role (a box of two authors).
    fn profile(&self, doc: &Document, live: &[usize], name: &str, b: usize) -> bool {
        let para = |j: usize| doc.lines[live[j]].text.as_str();
        let others: Vec<usize> = (b + 1..live.len().saturating_sub(1))
            .filter(|&j| {
                let next = doc.lines[live[j]].trimmed();
                next != name
                    && is_name_like(next, self.max_name_words)
                    && words(para(j + 1)) >= MIN_BIO_WORDS
                    && (mentions(para(j + 1), next) || self.opens_with_pronoun(para(j + 1)))
            })
            .collect();
        let two_authors = matches!(others[..], [j]
            if self.names_role(&para(b).to_lowercase())
                && self.names_role(&para(j + 1).to_lowercase()));
        !others.is_empty() && !two_authors
    }

    fn opens_with_pronoun(&self, para: &str) -> bool {
        let start = first_word(para);
        self.pronouns.iter().any(|p| p == start)
    }

    /// Whether `lower` (lowercase) names one of the writer's roles.
    fn names_role(&self, lower: &str) -> bool {
        self.roles.iter().any(|r| lower.contains(r.as_str()))
    }

    /// "Jane Q. Doe is an assistant professor of law ...": a name, "is a/an/the", and a
    /// writer's role.
    fn is_bio_alone(&self, para: &str) -> bool {
        // The first "is a/an/the" of the line ends the name.
        let Some((name, rest)) = [" is a ", " is an ", " is the "]
            .iter()
            .filter_map(|verb| para.split_once(verb))
            .min_by_key(|(name, _)| name.len())
        else {
            return false;
        };
        is_name_like(name, self.max_name_words)
            && !name.starts_with("By ")
            && words(para) >= MIN_BIO_WORDS
            && self.names_role(&rest.to_lowercase())
    }

    fn is_bio(&self, name: &str, para: &str) -> bool {
        let name = name.strip_prefix("By ").unwrap_or(name);
        let opens = mentions(first_word(para), name) || self.opens_with_pronoun(para);
        let lower = para.to_lowercase();
        opens
            && words(para) >= MIN_BIO_WORDS
            && self.cues.iter().any(|c| lower.contains(c.as_str()))
    }
}

/// Whether `text` holds a word of the name line `name` (a first name, a surname: a
/// capitalised word, not a title such as "Dr." nor a particle such as "in" or "von"), in
/// any case: "JANE DOE" and "Dr. Jane Doe" are Jane's.
fn mentions(text: &str, name: &str) -> bool {
    let name = name.strip_prefix("By ").unwrap_or(name);
    let parts: Vec<String> = name
        .split_whitespace()
        .filter(|w| {
            !w.ends_with('.')
                && w.chars().count() > 1
                && w.chars().next().is_some_and(char::is_uppercase)
        })
        .map(|w| w.to_lowercase())
        .collect();
    text.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        .any(|w| parts.iter().any(|p| *p == w.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heuristics::applied;

    fn bio() -> BylineBio {
        BylineBio {
            window: 8,
            max_name_words: 4,
            min_words_before: 10,
            pronouns: vec!["She".into(), "He".into()],
            cues: vec!["is a ".into()],
            alone_window: 2,
            roles: vec!["professor".into(), "author of".into()],
        }
    }

    #[test]
    fn a_bio_without_its_name_line_is_cut_at_the_end_only() {
        let article = "The council voted on Tuesday to keep the old library open for good.\n";
        let cut = |text: &str| applied(&bio(), text);
        let alone = format!(
            "{article}Jane Q. Doe is an assistant professor of law and the author of a book.\n"
        );
        assert_eq!(cut(&alone), article);
        // Mid-article, or a role that is no writer's, it stays.
        let middle = format!(
            "Jane Q. Doe is an assistant professor of law at the city college.\n{article}{article}{article}"
        );
        assert_eq!(cut(&middle), middle);
        let spokes = format!("{article}Jane Doe is a spokeswoman for the city council office.\n");
        assert_eq!(cut(&spokes), spokes);
    }

    #[test]
    fn a_bio_goes_with_its_name_line_or_not_at_all() {
        let cut = |text: &str| applied(&bio(), text);
        // Too few words before the name for a cut: the bio stays with it.
        let short = "The council voted to keep the old library open.\nJane Q. Doe\n\
                     Jane Q. Doe is an assistant professor of law and the author of a book.\n";
        assert_eq!(cut(short), short);
        // The name line in capitals, or with a title, is the bio's too.
        for name in ["JANE DOE", "Dr. Jane Doe"] {
            let page = format!(
                "The council voted to keep the old library open.\n{name}\n\
                 Jane Doe is an assistant professor of law and the author of a book.\n"
            );
            assert_eq!(cut(&page), page);
        }
        let more = "The council voted on Tuesday to keep the old library open for good.\n";
        let kept = format!("{more}The council voted to keep the old library open.\n");
        assert_eq!(cut(&format!("{more}{short}")), kept);
    }

    #[test]
    fn a_profile_of_several_people_is_no_author_box() {
        let cut = |text: &str| applied(&bio(), text);
        let article = "The lifeboat station opened its doors to visitors on Saturday morning.\n";
        let people = "Mary Jones\nShe is a volunteer at the station and lives in the town.\n\
                      Tom Hughes\nTom is a fisherman who has worked on the boats of this harbour \
                      for more than twenty years, and he joined the crew in 2015.\n";
        let profile = format!("{article}{people}");
        assert_eq!(cut(&profile), profile);
        // The next person's paragraph need not open with the name.
        let later = "Mary Jones\nShe is a volunteer at the station and lives in the town.\n\
                     Tom Hughes\nA fisherman for twenty years, Tom joined the crew in 2015.\n";
        let profile = format!("{article}{later}");
        assert_eq!(cut(&profile), profile);
        // A pronoun opens the next person's paragraph; three people are a profile even
        // when each names a writer's role; a heading and a paragraph are no name and bio.
        let crew = "Mary Jones\nShe is a volunteer at the station and lives in the town.\n\
                    Tom Hughes\nHe has fished these waters and joined the crew in 2015.\n";
        assert_eq!(cut(&format!("{article}{crew}")), format!("{article}{crew}"));
        let three = "Anna Berg\nBerg is a professor of law and the author of two books.\n\
                     Tom Hughes\nHughes is a professor of history and the author of a novel.\n\
                     Leila Haddad\nHaddad is a professor of art and the author of a memoir.\n";
        assert_eq!(
            cut(&format!("{article}{three}")),
            format!("{article}{three}")
        );
        let heading =
            "Life in Lisbon\nIn Lisbon a coffee is a ritual that most people have worked out.\n";
        assert_eq!(
            cut(&format!("{article}{heading}")),
            format!("{article}{heading}")
        );
        // A box of two authors, each with a writer's role, is cut.
        let authors = "Anna Berg\nShe is a professor of law and the author of two books.\n\
                       Tom Hughes\nTom is a professor of history and the author of a novel.\n";
        assert_eq!(cut(&format!("{article}{authors}")), article);
        // One author box at the end is cut, links after it and all.
        let boxed = format!(
            "{article}Mary Jones\nShe is a reporter who covers the coast.\nView all posts\n"
        );
        assert_eq!(cut(&boxed), article);
    }
}
