//! Mojibake repair: text that was UTF-8, decoded as a single-byte code page (once or
//! several times), is encoded back to those bytes and decoded as UTF-8, but only
//! while [`is_bad`] says it looks broken, so correct text is never touched.
//!
//! The order of attempts follows ftfy's `fix_encoding` (ftfy 6.3.1, Apache-2.0):
//! the whole line through each code page in turn; then runs of mojibake embedded in
//! good text, one run at a time; then Latin-1 read as windows-1252; then stray C1
//! controls as windows-1252. Each attempt repeats until nothing changes, which undoes
//! several layers.

use super::badness::is_bad;
use super::codepage::{LATIN_1, REPAIR_ORDER, WINDOWS_1252, decode_utf8_variants, pages_for};
use super::tables;

/// Layers of mojibake undone at most (three is the most seen in the wild).
const MAX_LAYERS: usize = 16;

/// Repair `text`, or None when it is not mojibake (or cannot be repaired).
pub fn fix(text: &str) -> Option<String> {
    fix_from(text, false)
}

/// [`fix`] for text already found bad.
pub fn fix_bad(text: &str) -> Option<String> {
    fix_from(text, true)
}

fn fix_from(text: &str, mut known_bad: bool) -> Option<String> {
    let mut cur: Option<String> = None;
    for _ in 0..MAX_LAYERS {
        let t = cur.as_deref().unwrap_or(text);
        match fix_once(t, known_bad) {
            Some(next) if next != t => cur = Some(next),
            _ => break,
        }
        known_bad = false;
    }
    cur
}

/// One layer of repair.
fn fix_once(text: &str, known_bad: bool) -> Option<String> {
    if text.is_ascii() || !(known_bad || is_bad(text)) {
        return None;
    }
    let possible = pages_for(text);
    let latin1_possible = possible & LATIN_1.bit() != 0;
    for page in REPAIR_ORDER {
        if possible & page.bit() == 0 {
            continue;
        }
        let Some(mut bytes) = page.encode(text) else {
            continue;
        };
        // Mojibake that also lost its no-break spaces (0xA0 bytes turned to spaces).
        if page.name != "macroman" && altered_a0(&bytes).is_some() {
            bytes = restore_a0(&bytes);
        }
        // Characters an earlier decoder already replaced with U+FFFD.
        if page.is_sloppy()
            && let Some(b) = replace_lossy(&bytes)
        {
            bytes = b;
        }
        if let Some(fixed) = decode_utf8_variants(bytes) {
            return Some(fixed);
        }
    }
    if let Some(fixed) = fix_embedded(text)
        && fixed != text
    {
        return Some(fixed);
    }
    // Latin-1 where windows-1252 was meant: C1 controls that were curly quotes.
    if latin1_possible
        && let Some(bytes) = LATIN_1.encode(text)
        && let Some(fixed) = strict_windows_1252(&bytes)
        && fixed != text
    {
        return Some(fixed);
    }
    if text.chars().any(is_c1) {
        return Some(c1_as_windows_1252(text));
    }
    None
}

pub fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9F}').contains(&c)
}

/// C1 controls read as the windows-1252 characters they stand for; the five bytes
/// windows-1252 leaves undefined stay as they are.
pub fn c1_as_windows_1252(text: &str) -> String {
    text.chars()
        .map(|c| {
            if is_c1(c) {
                WINDOWS_1252.decode_byte(c as u8)
            } else {
                c
            }
        })
        .collect()
}

/// Decode as windows-1252 proper, where 0x81, 0x8D, 0x8F, 0x90 and 0x9D are errors.
fn strict_windows_1252(bytes: &[u8]) -> Option<String> {
    bytes
        .iter()
        .map(|&b| match b {
            0x81 | 0x8D | 0x8F | 0x90 | 0x9D => None,
            0x1A => Some('\u{1A}'),
            b => Some(WINDOWS_1252.decode_byte(b)),
        })
        .collect()
}

fn is_cont(b: u8) -> bool {
    (0x80..=0xBF).contains(&b)
}

/// A continuation byte that forms a likely character when followed by 0xA0 (or
/// preceded by it), excluding 0x85 and 0xA0 itself.
fn is_cont_a0(b: u8) -> bool {
    matches!(b, 0x80..=0x84 | 0x86..=0x9F | 0xA1..=0xBF)
}

/// Length of a sequence starting at `i` that would be UTF-8 if a space were 0xA0.
fn altered_at(b: &[u8], i: usize) -> Option<usize> {
    let at = |k: usize| b.get(i + k).copied();
    let lead = at(0)?;
    if matches!(lead, 0xC2 | 0xC3 | 0xC5 | 0xCE | 0xD0 | 0xD9) && at(1) == Some(b' ') {
        return Some(2);
    }
    if matches!(lead, 0xE2 | 0xE3) && at(1) == Some(b' ') && at(2).is_some_and(is_cont_a0) {
        return Some(3);
    }
    if (0xE0..=0xE3).contains(&lead) && at(1).is_some_and(is_cont_a0) && at(2) == Some(b' ') {
        return Some(3);
    }
    if lead == 0xF0 {
        let (b1, b2, b3) = (at(1)?, at(2)?, at(3)?);
        let spaces = [b1, b2, b3].iter().filter(|&&x| x == b' ').count();
        let conts = [b1, b2, b3].iter().filter(|&&x| is_cont(x)).count();
        if spaces == 1 && conts == 2 {
            return Some(4);
        }
    }
    None
}

/// The first position where [`altered_at`] matches.
fn altered_a0(b: &[u8]) -> Option<usize> {
    (0..b.len()).find(|&i| altered_at(b, i).is_some())
}

/// Put back the 0xA0 bytes a converter turned into spaces. A lone `Ã ` (mojibake of
/// "à " that lost the A0) keeps its space too, as in "à la", except before the
/// Portuguese contractions "às", "àquele", "àquela", "àquilo".
fn restore_a0(b: &[u8]) -> Vec<u8> {
    let mut first = Vec::with_capacity(b.len() + 4);
    let mut i = 0;
    while i < b.len() {
        if b[i] == 0xC3 && b.get(i + 1) == Some(&b' ') {
            let rest = &b[i + 2..];
            let keep = rest.first() == Some(&b' ')
                || rest.starts_with(b"quele")
                || rest.starts_with(b"quela")
                || rest.starts_with(b"quilo")
                || rest.starts_with(b"s ");
            if !keep {
                first.extend_from_slice(&[0xC3, 0xA0, b' ']);
                i += 2;
                continue;
            }
        }
        first.push(b[i]);
        i += 1;
    }
    let mut out = Vec::with_capacity(first.len());
    let mut i = 0;
    while i < first.len() {
        if let Some(len) = altered_at(&first, i) {
            out.extend(
                first[i..i + len]
                    .iter()
                    .map(|&x| if x == b' ' { 0xA0 } else { x }),
            );
            i += len;
        } else {
            out.push(first[i]);
            i += 1;
        }
    }
    out
}

/// Length of a lossy UTF-8 sequence at `i`: one whose lost bytes show as 0x1A (from
/// U+FFFD) or, once per sequence, as `?`.
fn lossy_at(b: &[u8], i: usize) -> Option<usize> {
    let at = |k: usize| b.get(i + k).copied();
    let lost = |x: Option<u8>| x == Some(0x1A);
    let lost_q = |x: Option<u8>| matches!(x, Some(0x1A | b'?'));
    let cont_or_lost = |x: Option<u8>| x.is_some_and(|x| x == 0x1A || is_cont(x));
    let cont_or_lost_q = |x: Option<u8>| x.is_some_and(|x| x == 0x1A || x == b'?' || is_cont(x));
    let lead = at(0)?;
    if (0xC2..=0xDF).contains(&lead) && lost(at(1)) {
        return Some(2);
    }
    if (0xC2..=0xC3).contains(&lead) && at(1) == Some(b'?') {
        return Some(2);
    }
    if lead == 0xED {
        let hi = at(1).is_some_and(|x| (0xA0..=0xAF).contains(&x));
        let lo = at(4).is_some_and(|x| (0xB0..=0xBF).contains(&x)) && at(3) == Some(0xED);
        if hi && lo && lost_q(at(2)) && cont_or_lost_q(at(5)) {
            return Some(6);
        }
        if hi && lo && cont_or_lost_q(at(2)) && lost_q(at(5)) {
            return Some(6);
        }
    }
    if (0xE0..=0xEF).contains(&lead) {
        if lost_q(at(1)) && cont_or_lost(at(2)) {
            return Some(3);
        }
        if cont_or_lost(at(1)) && lost_q(at(2)) {
            return Some(3);
        }
    }
    if (0xF0..=0xF4).contains(&lead) {
        let (b1, b2, b3) = (at(1), at(2), at(3));
        if (lost_q(b1) && cont_or_lost(b2) && cont_or_lost(b3))
            || (cont_or_lost(b1) && lost_q(b2) && cont_or_lost(b3))
            || (cont_or_lost(b1) && cont_or_lost(b2) && lost_q(b3))
        {
            return Some(4);
        }
    }
    (lead == 0x1A).then_some(1)
}

/// Decode lossy UTF-8 sequences as U+FFFD instead of failing on them.
fn replace_lossy(b: &[u8]) -> Option<Vec<u8>> {
    if !b.iter().any(|&x| x == 0x1A || x == b'?') {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if let Some(len) = lossy_at(b, i) {
            out.extend_from_slice("\u{FFFD}".as_bytes());
            i += len;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

fn in_set(set: &[char], c: char) -> bool {
    set.binary_search(&c).is_ok()
}

/// Continuation characters that are not also common punctuation.
fn strict_cont(c: char) -> bool {
    in_set(&tables::CONTINUATION, c) && !in_set(&tables::LOOSE_CONTINUATION, c)
}

fn cont(c: char) -> bool {
    c == ' ' || in_set(&tables::CONTINUATION, c)
}

/// Length in chars of one UTF-8-looking sequence at the start of `cs`.
fn sequence_at(cs: &[char]) -> Option<usize> {
    let conts = |n: usize| cs.len() > n && cs[1..=n].iter().all(|&c| cont(c));
    let first = *cs.first()?;
    if in_set(&tables::LEAD_2, first) && conts(1) {
        Some(2)
    } else if in_set(&tables::LEAD_3, first) && conts(2) {
        Some(3)
    } else if in_set(&tables::LEAD_4, first) && conts(3) {
        Some(4)
    } else {
        None
    }
}

/// Repair runs of UTF-8-looking mojibake inside otherwise good text, each on its own,
/// where the run itself looks bad. A run right after a continuation character is part
/// of a bigger garble and is left alone.
fn fix_embedded(text: &str) -> Option<String> {
    let cs: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    while i < cs.len() {
        let after_cont = i > 0 && strict_cont(cs[i - 1]);
        let mut end = i;
        if !after_cont {
            while let Some(len) = sequence_at(&cs[end..]) {
                end += len;
            }
        }
        if end == i {
            out.push(cs[i]);
            i += 1;
            continue;
        }
        let run: String = cs[i..end].iter().collect();
        match (end - i < cs.len() && is_bad(&run))
            .then(|| fix(&run))
            .flatten()
        {
            Some(fixed) => {
                changed = true;
                out.push_str(&fixed);
            }
            None => out.push_str(&run),
        }
        i = end;
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::fix;

    #[test]
    fn repairs() {
        assert_eq!(fix("HÃ´tel").as_deref(), Some("Hôtel"));
        assert_eq!(
            fix("The Mona Lisa doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t have eyebrows.").as_deref(),
            Some("The Mona Lisa doesn’t have eyebrows.")
        );
        assert_eq!(fix("voilÃ le travail").as_deref(), Some("voilà le travail"));
        assert_eq!(fix("Hôtel"), None);
        assert_eq!(fix("NESTLÉ®"), None);
    }
}
