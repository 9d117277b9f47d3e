//! The character-level steps: each maps single characters (or drops them), so its
//! edits are exact runs of the line.

use super::codepage::WINDOWS_1252;
use super::{Edit, Edited};
use unicode_normalization::UnicodeNormalization;

/// What a step does with one character.
enum Map {
    Keep,
    Drop,
    To(char),
    ToStr(&'static str),
    ToString(String),
}

/// Apply `f` to every non-ASCII character of `line` (none of these steps changes
/// ASCII); one edit per run of changed characters. Nothing is allocated when no
/// character changes.
fn map_chars(line: &str, f: impl Fn(char) -> Map) -> Edited {
    let mut edits: Vec<Edit> = Vec::new();
    for (i, c) in super::non_ascii(line) {
        let end = i + c.len_utf8();
        let mut buf = [0; 4];
        let owned;
        let with: &str = match f(c) {
            Map::Keep => continue,
            Map::Drop => "",
            Map::To(c) => c.encode_utf8(&mut buf),
            Map::ToStr(s) => s,
            Map::ToString(s) => {
                owned = s;
                &owned
            }
        };
        match edits.last_mut() {
            Some(e) if e.end == i => {
                e.end = end;
                e.with.push_str(with);
            }
            _ => edits.push(Edit {
                start: i,
                end,
                with: with.to_string(),
            }),
        }
    }
    if edits.is_empty() {
        return None;
    }
    Some((super::apply_edits(line, &edits), edits))
}

/// NBSP and the other fixed-width spaces become a plain space.
pub fn spaces(line: &str) -> Edited {
    map_chars(line, |c| match c {
        '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' => Map::To(' '),
        _ => Map::Keep,
    })
}

/// Zero-width spaces, word joiners and stray byte-order marks are removed. Joiners
/// that shape text (ZWJ, ZWNJ) and direction marks stay.
pub fn zero_width(line: &str) -> Edited {
    map_chars(line, |c| match c {
        '\u{ad}' | '\u{200b}' | '\u{2060}' | '\u{feff}' | '\u{180e}' => Map::Drop,
        _ => Map::Keep,
    })
}

fn is_c0(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{e}'..='\u{1f}' | '\u{7f}')
}

/// Length in bytes of an ANSI terminal escape (`ESC [ 1;31 m`) at the start of `s`.
fn ansi_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() < 3 || b[0] != 0x1B || b[1] != b'[' {
        return None;
    }
    let n = b[2..]
        .iter()
        .position(|&x| !(x.is_ascii_digit() || x == b';'))?;
    b[2 + n].is_ascii_alphabetic().then_some(3 + n)
}

/// C0 controls (but tab and form feed), DEL, terminal escapes, deprecated format
/// characters and the object replacement character are removed. C1 controls are
/// read as the windows-1252 characters they almost always were (`\x93` is `“`); the
/// five C1 codes windows-1252 leaves undefined are removed.
pub fn controls(line: &str) -> Edited {
    let odd = |c: char| {
        is_c0(c)
            || ('\u{80}'..='\u{9f}').contains(&c)
            || ('\u{206a}'..='\u{206f}').contains(&c)
            || ('\u{fff9}'..='\u{fffc}').contains(&c)
    };
    if !line.chars().any(odd) {
        return None;
    }
    // Terminal escapes go whole; everything else character by character.
    let mut edits: Vec<Edit> = Vec::new();
    let mut skip_to = 0;
    for (i, c) in line.char_indices() {
        if i < skip_to || !odd(c) {
            continue;
        }
        let (end, with) = if let Some(n) = ansi_len(&line[i..]) {
            skip_to = i + n;
            (i + n, String::new())
        } else if ('\u{80}'..='\u{9f}').contains(&c) {
            let w = WINDOWS_1252.decode_byte(c as u8);
            let with = if w == c { String::new() } else { w.to_string() };
            (i + c.len_utf8(), with)
        } else {
            (i + c.len_utf8(), String::new())
        };
        match edits.last_mut() {
            Some(e) if e.end == i => {
                e.end = end;
                e.with.push_str(&with);
            }
            _ => edits.push(Edit {
                start: i,
                end,
                with,
            }),
        }
    }
    Some((super::apply_edits(line, &edits), edits))
}

/// Curly quotes straightened (off by default).
pub fn quotes(line: &str) -> Edited {
    map_chars(line, |c| match c {
        '\u{2bc}' | '\u{2018}'..='\u{201b}' => Map::To('\''),
        '\u{201c}'..='\u{201f}' => Map::To('"'),
        _ => Map::Keep,
    })
}

/// Latin typographic ligatures and legacy digraphs split into their letters (off by
/// default: ligatures of other scripts are never touched).
pub fn ligatures(line: &str) -> Edited {
    map_chars(line, |c| match c {
        'Ĳ' => Map::ToStr("IJ"),
        'ĳ' => Map::ToStr("ij"),
        'ŉ' => Map::ToStr("\u{2bc}n"),
        'Ǳ' => Map::ToStr("DZ"),
        'ǲ' => Map::ToStr("Dz"),
        'ǳ' => Map::ToStr("dz"),
        'Ǆ' => Map::ToStr("DŽ"),
        'ǅ' => Map::ToStr("Dž"),
        'ǆ' => Map::ToStr("dž"),
        'Ǉ' => Map::ToStr("LJ"),
        'ǈ' => Map::ToStr("Lj"),
        'ǉ' => Map::ToStr("lj"),
        'Ǌ' => Map::ToStr("NJ"),
        'ǋ' => Map::ToStr("Nj"),
        'ǌ' => Map::ToStr("nj"),
        'ﬀ' => Map::ToStr("ff"),
        'ﬁ' => Map::ToStr("fi"),
        'ﬂ' => Map::ToStr("fl"),
        'ﬃ' => Map::ToStr("ffi"),
        'ﬄ' => Map::ToStr("ffl"),
        'ﬅ' => Map::ToStr("ſt"),
        'ﬆ' => Map::ToStr("st"),
        _ => Map::Keep,
    })
}

/// Full-width and half-width forms folded to their usual width, and the ideographic
/// space to a space (off by default: wrong for much CJK text).
pub fn width(line: &str) -> Edited {
    map_chars(line, |c| match c {
        '\u{3000}' => Map::To(' '),
        '\u{ff01}'..='\u{ffef}' => {
            let folded: String = std::iter::once(c).nfkc().collect();
            if folded.chars().eq(std::iter::once(c)) {
                Map::Keep
            } else {
                Map::ToString(folded)
            }
        }
        _ => Map::Keep,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(&str) -> Edited, s: &str) -> String {
        f(s).map_or(s.to_string(), |(t, _)| t)
    }

    #[test]
    fn steps() {
        assert_eq!(run(spaces, "a\u{a0}b\u{202f}c"), "a b c");
        assert_eq!(run(zero_width, "a\u{200b}b\u{feff}"), "ab");
        assert_eq!(
            run(zero_width, "Mit\u{ad}tel\u{ad}al\u{ad}ter"),
            "Mittelalter"
        );
        assert_eq!(run(zero_width, "a\u{200d}b"), "a\u{200d}b");
        assert_eq!(run(controls, "a\u{1}b\u{1b}[31mred\u{1b}[0m"), "abred");
        assert_eq!(run(controls, "\u{93}hi\u{94}\u{81}"), "“hi”");
        assert_eq!(run(quotes, "“it’s”"), "\"it's\"");
        assert_eq!(run(ligatures, "ﬁne"), "fine");
        assert_eq!(run(width, "ＬＯＵＤ　ｶ"), "LOUD カ");
        let (_, e) = spaces("x\u{a0}\u{a0}y z\u{a0}").unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].start, e[0].end, e[0].with.as_str()), (1, 5, "  "));
    }
}
