//! The encoding an HTML page declares about itself: `<meta charset=...>` or
//! `<meta http-equiv="Content-Type" content="text/html; charset=...">` in the first
//! 1024 bytes, as a browser's prescan finds it.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How far a browser looks for the declaration.
const PRESCAN: usize = 1024;

/// The declared encoding, if any names a known one.
pub fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN)];
    let mut i = 0;
    while let Some(k) = memchr::memmem::find(&head[i..], b"<") {
        let at = i + k;
        i = at + 1;
        let rest = &head[at + 1..];
        // A comment is skipped, as a browser's prescan skips it: a commented-out meta
        // tag declares nothing. It ends at the first "-->" after "<!" ("<!-->" too).
        if rest.starts_with(b"!--") {
            match memchr::memmem::find(&rest[1..], b"-->") {
                Some(end) => i = at + 1 + 1 + end + 3,
                None => return None,
            }
            continue;
        }
        if rest.len() < 5 || !rest[..4].eq_ignore_ascii_case(b"meta") {
            continue;
        }
        if !matches!(rest[4], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/') {
            continue;
        }
        let end = memchr::memchr(b'>', rest).unwrap_or(rest.len());
        if let Some(enc) = from_meta(&rest[4..end]) {
            return Some(enc);
        }
    }
    None
}

/// The charset named by a meta tag's attributes (`charset=x`, or `content` holding
/// `charset=x`): both forms come down to the text after `charset`.
fn from_meta(attrs: &[u8]) -> Option<&'static Encoding> {
    let lower = attrs.to_ascii_lowercase();
    let at = memchr::memmem::find(&lower, b"charset")?;
    let rest = &lower[at + 7..];
    let rest = trim_start(rest);
    let rest = trim_start(rest.strip_prefix(b"=")?);
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|&c| matches!(c, b'"' | b'\'' | b';' | b' ' | b'\t' | b'\n' | b'\r' | b'/'))
        .unwrap_or(rest.len());
    let enc = Encoding::for_label(&rest[..end])?;
    // As the HTML standard says: a page that names UTF-16 in ASCII bytes is not
    // UTF-16, and x-user-defined means windows-1252.
    Some(
        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            UTF_8
        } else if enc == encoding_rs::X_USER_DEFINED {
            WINDOWS_1252
        } else {
            enc
        },
    )
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &s[n..]
}

#[cfg(test)]
mod tests {
    use super::declared;

    #[test]
    fn meta_forms() {
        let name = |s: &str| declared(s.as_bytes()).map(|e| e.name());
        assert_eq!(name("<meta charset=windows-1252>"), Some("windows-1252"));
        assert_eq!(
            name("<head><META CHARSET=\"ISO-8859-1\">"),
            Some("windows-1252")
        );
        assert_eq!(
            name("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">"),
            Some("KOI8-R")
        );
        assert_eq!(name("<meta charset='utf-16'>"), Some("UTF-8"));
        assert_eq!(name("<meta name=x content=y>"), None);
        assert_eq!(name("<meta charset=nonsense>"), None);
        // Commented out: not a declaration; the one after the comment is.
        assert_eq!(
            name("<!-- <meta charset=shift_jis> --><meta charset=windows-1252>"),
            Some("windows-1252")
        );
        assert_eq!(name("<!--> <meta charset=koi8-r>"), Some("KOI8-R"));
        assert_eq!(name("<!-- <meta charset=koi8-r>"), None);
        assert_eq!(
            name(&format!("{}<meta charset=koi8-r>", " ".repeat(2000))),
            None
        );
    }
}
