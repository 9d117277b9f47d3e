//! HTML character references left in plain text: `&amp;`, `&eacute;`, `&#8217;`,
//! `&#x2019;`, and all-caps names from upper-cased databases (`P&EACUTE;REZ`). Only
//! references closed by `;` are read, so "this&not that" stays as written.

use super::tables::ENTITIES;
use super::{Edit, Edited};

/// The longest reference body read (`&` + up to 24 letters or digits + `;`).
const MAX_BODY: usize = 24;

/// The text a reference body (between `&` and `;`) stands for, if it is one.
fn lookup(body: &str) -> Option<std::borrow::Cow<'static, str>> {
    if let Some(num) = body.strip_prefix('#') {
        let cp = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            (!hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| u32::from_str_radix(hex, 16).unwrap_or(u32::MAX))?
        } else {
            (!num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()))
                .then(|| num.parse::<u32>().unwrap_or(u32::MAX))?
        };
        return numeric(cp).map(|c| c.to_string().into());
    }
    ENTITIES
        .binary_search_by_key(&body, |&(name, _)| name)
        .ok()
        .map(|i| ENTITIES[i].1.into())
}

/// A numeric reference as HTML reads it: C1 numbers are windows-1252, NUL, surrogates
/// and numbers past Unicode are U+FFFD. References to characters that would break
/// the text (line breaks, control characters, noncharacters) are left as written.
fn numeric(cp: u32) -> Option<char> {
    if (0x80..=0x9F).contains(&cp) {
        return Some(super::codepage::WINDOWS_1252.decode_byte(cp as u8))
            .filter(|c| !super::mojibake::is_c1(*c));
    }
    if cp == 0 || (0xD800..=0xDFFF).contains(&cp) || cp > 0x10FFFF {
        return Some('\u{FFFD}');
    }
    let c = char::from_u32(cp)?;
    let breaks = c.is_control() && c != '\t' || matches!(c, '\u{2028}' | '\u{2029}');
    let nonchar = (0xFDD0..=0xFDEF).contains(&cp) || cp & 0xFFFE == 0xFFFE;
    (!breaks && !nonchar).then_some(c)
}

/// Decode the references in `line`: the new line and one edit per reference, or None
/// when there are none to decode.
pub fn decode(line: &str) -> Edited {
    let mut edits = Vec::new();
    let mut search = 0;
    while let Some(pos) = line[search..].find('&').map(|p| p + search) {
        search = pos + 1;
        let rest = &line[pos + 1..];
        let len = rest
            .bytes()
            .take(MAX_BODY + 2)
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'#'))
            .unwrap_or(rest.len());
        let body = &rest[..len];
        // `&#?` then 1..=24 letters or digits, then `;`.
        let alnum = body.strip_prefix('#').unwrap_or(body);
        if rest.as_bytes().get(len) != Some(&b';')
            || alnum.is_empty()
            || alnum.len() > MAX_BODY
            || alnum.contains('#')
        {
            continue;
        }
        let Some(text) = lookup(body) else { continue };
        let end = pos + 1 + len + 1;
        edits.push(Edit {
            start: pos,
            end,
            with: text.into_owned(),
        });
        search = end;
    }
    if edits.is_empty() {
        return None;
    }
    Some((super::apply_edits(line, &edits), edits))
}

#[cfg(test)]
mod tests {

    #[test]
    fn references() {
        let decode = |s: &str| super::decode(s).map(|(t, _)| t);
        assert_eq!(decode("Tom &amp; Jerry").as_deref(), Some("Tom & Jerry"));
        assert_eq!(decode("it&#8217;s &#x2019;").as_deref(), Some("it’s ’"));
        assert_eq!(decode("P&EACUTE;REZ").as_deref(), Some("PÉREZ"));
        assert_eq!(decode("&#150;").as_deref(), Some("–"));
        assert_eq!(decode("this&not that"), None);
        assert_eq!(decode("a &nosuch; b"), None);
        assert_eq!(decode("line&#10;break"), None);
        assert_eq!(decode("&amp;amp;").as_deref(), Some("&amp;"));
        assert_eq!(decode("AT&T"), None);
    }
}
