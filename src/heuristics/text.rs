//! Small measures of a line's text shared by the heuristics.

/// Number of whitespace-separated words.
pub fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// A line that reads as a person's name: 2 to `max_words` capitalised words (short
/// lowercase particles such as "van" or "de" allowed inside), letters and `.'-` only,
/// optionally after "By ".
pub fn is_name_like(line: &str, max_words: usize) -> bool {
    let t = line.trim();
    let t = t.strip_prefix("By ").unwrap_or(t);
    // One word past the limit is enough to say no: a paragraph is not split whole.
    let ws: Vec<&str> = t.split_whitespace().take(max_words + 1).collect();
    if ws.len() < 2 || ws.len() > max_words {
        return false;
    }
    let last = ws.len() - 1;
    ws.iter().enumerate().all(|(i, w)| {
        let letters_only = w
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '-' | '’'));
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        let particle = i > 0 && i < last && w.chars().count() <= 3;
        letters_only && (capital || particle)
    })
}

/// The first word of a line without trailing punctuation.
pub fn first_word(s: &str) -> &str {
    let w = s.split_whitespace().next().unwrap_or("");
    w.trim_end_matches(|c: char| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_name_like("Paul Cooper", 4));
        assert!(is_name_like("By Jane van Doe", 4));
        assert!(!is_name_like("Paul", 4));
        assert!(!is_name_like("Apple has denied it.", 4));
        assert!(!is_name_like("Top 10 Phones", 4));
        assert!(is_name_like("Anna Maria van Berg", 4));
        assert!(!is_name_like("Anna Maria Luise van Berg", 4));
    }
}
