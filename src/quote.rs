//! A text quoted for a message, as `{:?}` quotes it (escapes, invisible characters shown)
//! but with the combining marks of a word kept as they are: Debug writes every one as
//! `\u{...}`, which leaves Thai, Devanagari or Arabic lines unreadable ("ส\u{e39}ตร").

use std::fmt::Write;
use unicode_normalization::char::is_combining_mark;

/// `text` in double quotes, escaped as Debug escapes it except for a combining mark that
/// follows a letter or another mark.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut after_letter = false;
    for c in text.chars() {
        if after_letter && is_combining_mark(c) {
            out.push(c);
            continue;
        }
        let _ = write!(out, "{}", c.escape_debug());
        after_letter = c.is_alphanumeric() || (after_letter && is_combining_mark(c));
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_of_a_word_stay_and_the_rest_is_escaped_as_debug_does() {
        for t in ["สูตรอาหาร", "देश", "مُحَمَّد", "café"] {
            assert_eq!(quote(t), format!("\"{t}\""));
        }
        for t in [
            "a \"b\" \\ c",
            "tab\there",
            "zero\u{200b}width",
            "\u{301}alone",
        ] {
            assert_eq!(quote(t), format!("{t:?}"));
        }
    }
}
