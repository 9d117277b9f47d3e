//! Text normalization before the rules see it: one line ending, plain spaces, no
//! invisible characters. Lines that need none of it are passed through untouched.

/// Normalize `text`: CRLF, CR and Unicode line/paragraph separators to LF; NBSP and other
/// fixed-width spaces to a plain space; zero-width spaces and stray BOMs removed.
pub fn normalize(text: &str) -> String {
    if text.is_ascii() && !text.contains('\r') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' => {
                out.push(' ')
            }
            '\u{200b}' | '\u{2060}' | '\u{feff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn line_endings_and_spaces() {
        assert_eq!(normalize("a\r\nb\rc\u{2028}d"), "a\nb\nc\nd");
        assert_eq!(normalize("the\u{a0}New\u{200b}York"), "the NewYork");
        assert_eq!(normalize("plain"), "plain");
    }
}
