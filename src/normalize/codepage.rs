//! The single-byte code pages UTF-8 text is commonly mis-decoded as, and a UTF-8
//! decoder that also takes the variants mojibake leaves behind (CESU-8 surrogate
//! pairs, Java's two-byte NUL).

use super::tables;
use std::sync::LazyLock;

/// A single-byte code page. Bytes 0x00-0x7F are ASCII in all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodePage {
    pub name: &'static str,
    /// Index into the reverse tables.
    id: usize,
    upper: &'static [char; 128],
    /// Windows code pages as text really meets them: bytes the code page leaves
    /// undefined pass through as Latin-1, and byte 0x1A stands for U+FFFD, a
    /// character some earlier decoder already lost.
    sloppy: bool,
}

pub const LATIN_1: CodePage = page(0, "latin-1", &tables::LATIN_1, false);
pub const WINDOWS_1252: CodePage = page(1, "windows-1252", &tables::WINDOWS_1252, true);

/// The order in which mojibake repair tries the code pages: the first one the text
/// can be encoded in and whose bytes decode as UTF-8 wins.
pub const REPAIR_ORDER: [CodePage; 10] = [
    LATIN_1,
    WINDOWS_1252,
    page(2, "windows-1251", &tables::WINDOWS_1251, true),
    page(3, "windows-1250", &tables::WINDOWS_1250, true),
    page(4, "windows-1253", &tables::WINDOWS_1253, true),
    page(5, "windows-1254", &tables::WINDOWS_1254, true),
    page(6, "windows-1257", &tables::WINDOWS_1257, true),
    page(7, "iso-8859-2", &tables::ISO_8859_2, false),
    page(8, "macroman", &tables::MAC_ROMAN, false),
    page(9, "cp437", &tables::CP437, false),
];

/// For each code page, its upper half as (char, byte) sorted by char.
static REVERSE: LazyLock<Vec<Vec<(char, u8)>>> = LazyLock::new(|| {
    REPAIR_ORDER
        .iter()
        .map(|p| {
            let mut v: Vec<(char, u8)> = (0..128u8)
                .map(|i| (p.upper[i as usize], 0x80 + i))
                .collect();
            v.sort_unstable();
            v
        })
        .collect()
});

/// For every non-ASCII character some code page has: the mask of pages (bit = id)
/// that have it. U+0080..U+00FF by index, the rest sorted by char.
struct Pages {
    low: [u16; 128],
    high: Vec<(char, u16)>,
}

static PAGES: LazyLock<Pages> = LazyLock::new(|| {
    let mut low = [0u16; 128];
    let mut high: Vec<(char, u16)> = Vec::new();
    for p in REPAIR_ORDER {
        for &c in p.upper {
            let u = c as u32;
            if (0x80..0x100).contains(&u) {
                low[(u - 0x80) as usize] |= 1 << p.id;
            } else {
                match high.iter_mut().find(|(k, _)| *k == c) {
                    Some((_, m)) => *m |= 1 << p.id,
                    None => high.push((c, 1 << p.id)),
                }
            }
        }
    }
    high.sort_unstable();
    Pages { low, high }
});

/// The mask of sloppy pages: the ones where U+FFFD is byte 0x1A.
fn sloppy_mask() -> u16 {
    REPAIR_ORDER
        .iter()
        .filter(|p| p.sloppy)
        .fold(0, |m, p| m | 1 << p.id)
}

/// The code pages (a mask of ids) that can encode every character of `text`, found in
/// one pass: repair then encodes only with those.
pub fn pages_for(text: &str) -> u16 {
    let all: u16 = (1 << REPAIR_ORDER.len()) - 1;
    let sloppy = sloppy_mask();
    let pages = &*PAGES;
    let mut m = all;
    for c in text.chars() {
        let u = c as u32;
        m &= if u < 0x80 {
            if c == '\u{1A}' { all & !sloppy } else { all }
        } else if u < 0x100 {
            pages.low[(u - 0x80) as usize]
        } else if c == '\u{FFFD}' {
            sloppy
        } else {
            pages
                .high
                .binary_search_by_key(&c, |&(k, _)| k)
                .map_or(0, |i| pages.high[i].1)
        };
        if m == 0 {
            break;
        }
    }
    m
}

const fn page(
    id: usize,
    name: &'static str,
    upper: &'static [char; 128],
    sloppy: bool,
) -> CodePage {
    CodePage {
        name,
        id,
        upper,
        sloppy,
    }
}

impl CodePage {
    pub fn is_sloppy(&self) -> bool {
        self.sloppy
    }

    /// This page's bit in a mask from [`pages_for`].
    pub fn bit(&self) -> u16 {
        1 << self.id
    }

    /// The character byte `b` decodes to.
    pub fn decode_byte(&self, b: u8) -> char {
        match b {
            0x1A if self.sloppy => '\u{FFFD}',
            0..=0x7F => b as char,
            _ => self.upper[(b - 0x80) as usize],
        }
    }

    /// The byte that decodes to `c`, if any.
    pub fn encode_char(&self, c: char) -> Option<u8> {
        match c {
            '\u{1A}' if self.sloppy => None,
            '\u{FFFD}' if self.sloppy => Some(0x1A),
            '\0'..='\u{7F}' => Some(c as u8),
            // Latin-1 is the identity; the others mostly keep 0xA0..0xFF too.
            _ if self.id == LATIN_1.id && (c as u32) < 0x100 => Some(c as u32 as u8),
            _ if (c as u32) < 0x100 && self.upper[(c as u32 - 0x80) as usize] == c => {
                Some(c as u32 as u8)
            }
            _ => {
                let rev = &REVERSE[self.id];
                rev.binary_search_by_key(&c, |&(k, _)| k)
                    .ok()
                    .map(|i| rev[i].1)
            }
        }
    }

    /// Encode `text`, or None when some character has no byte in this code page.
    pub fn encode(&self, text: &str) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            out.push(self.encode_char(c)?);
        }
        Some(out)
    }
}

/// Decode UTF-8 strictly, also accepting CESU-8 (a supplementary character written as
/// two 3-byte surrogates) and `C0 80` for NUL. Anything else invalid gives None.
pub fn decode_utf8_variants(bytes: Vec<u8>) -> Option<String> {
    if !bytes.iter().any(|&b| b == 0xED || b == 0xC0) {
        return String::from_utf8(bytes).ok();
    }
    let mut out = String::with_capacity(bytes.len());
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let special = match rest {
            [0xC0, 0x80, ..] => Some(('\0', 2)),
            [
                0xED,
                a @ 0xA0..=0xAF,
                b @ 0x80..=0xBF,
                0xED,
                c @ 0xB0..=0xBF,
                d @ 0x80..=0xBF,
                ..,
            ] => {
                let cp = 0x10000
                    + (((*a as u32) & 0x0F) << 16)
                    + (((*b as u32) & 0x3F) << 10)
                    + (((*c as u32) & 0x0F) << 6)
                    + ((*d as u32) & 0x3F);
                Some((char::from_u32(cp)?, 6))
            }
            _ => None,
        };
        match special {
            Some((c, len)) => {
                out.push_str(std::str::from_utf8(&bytes[start..i]).ok()?);
                out.push(c);
                i += len;
                start = i;
            }
            None => i += 1,
        }
    }
    out.push_str(std::str::from_utf8(&bytes[start..]).ok()?);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_sloppiness() {
        assert_eq!(WINDOWS_1252.encode("Ã©"), Some(vec![0xC3, 0xA9]));
        assert_eq!(WINDOWS_1252.encode_char('\u{81}'), Some(0x81));
        assert_eq!(WINDOWS_1252.encode_char('\u{FFFD}'), Some(0x1A));
        assert_eq!(WINDOWS_1252.encode_char('\u{1A}'), None);
        assert_eq!(LATIN_1.encode_char('\u{1A}'), Some(0x1A));
        assert_eq!(LATIN_1.encode_char('€'), None);
        for p in REPAIR_ORDER {
            for b in 0..=255u8 {
                assert_eq!(
                    p.encode_char(p.decode_byte(b)),
                    Some(b),
                    "{} {b:#x}",
                    p.name
                );
            }
        }
    }

    #[test]
    fn pages_for_agrees_with_encode() {
        for text in [
            "Ã©",
            "â€œ",
            "\u{81}x",
            "Ð¿Ñ€",
            "┬┐",
            "√π",
            "\u{FFFD}",
            "\u{1A}é",
            "日本",
        ] {
            let m = pages_for(text);
            for p in REPAIR_ORDER {
                assert_eq!(
                    m & p.bit() != 0,
                    p.encode(text).is_some(),
                    "{text} {}",
                    p.name
                );
            }
        }
    }

    #[test]
    fn utf8_variants() {
        // U+1F600 as CESU-8.
        let cesu = [0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80];
        assert_eq!(
            decode_utf8_variants(cesu.to_vec()).as_deref(),
            Some("\u{1F600}")
        );
        assert_eq!(
            decode_utf8_variants(b"a\xC0\x80b".to_vec()).as_deref(),
            Some("a\0b")
        );
        assert_eq!(decode_utf8_variants(b"\xED\xA0\xBD".to_vec()), None);
        assert_eq!(
            decode_utf8_variants(b"caf\xC3\xA9".to_vec()).as_deref(),
            Some("café")
        );
        assert_eq!(decode_utf8_variants(b"caf\xE9".to_vec()), None);
    }
}
