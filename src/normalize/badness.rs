//! Does this text look like mojibake? A few hundred characters make up nearly all
//! UTF-8 mojibake (what UTF-8 lead and continuation bytes look like in the code pages
//! it gets mis-decoded as). Sorted into categories, they show mojibake by the company
//! they keep: an accented letter followed by a currency sign, `Ã` followed by a
//! no-break space, a box-drawing character after a letter. Correct text almost never
//! has those juxtapositions, so repair is only tried where one is found; that is what
//! keeps "NESTLÉ®" or "C O N C L U S Ã O" untouched.
//!
//! The categories and juxtapositions follow the heuristic published by ftfy
//! (`ftfy/badness.py`, ftfy 6.3.1, Apache-2.0, by Robyn Speer), reimplemented here as a
//! single left-to-right scan over a per-character category table, with every pattern
//! checked where it ends: no regex, no allocation.

use std::sync::LazyLock;

/// Characters common in good text too (spaces, dashes, apostrophes).
pub const COMMON: u16 = 1 << 0;
/// C1 control characters: today only ever mojibake.
pub const C1: u16 = 1 << 1;
/// Characters nearly only seen in mojibake (¦ ¤ ¨ ¬ ƒ ˆ ‡ ‰ ◊ ...).
pub const BAD: u16 = 1 << 2;
pub const LAW: u16 = 1 << 3;
pub const CURRENCY: u16 = 1 << 4;
pub const START: u16 = 1 << 5;
pub const END: u16 = 1 << 6;
pub const NUMERIC: u16 = 1 << 7;
/// Letters used in emoticons, so allowed more odd company.
pub const KAOMOJI: u16 = 1 << 8;
pub const UPPER_ACC: u16 = 1 << 9;
pub const LOWER_ACC: u16 = 1 << 10;
/// Greek and Cyrillic capitals (and Þ).
pub const UPPER_COMMON: u16 = 1 << 11;
/// Greek and Cyrillic small letters.
pub const LOWER_COMMON: u16 = 1 << 12;
pub const BOX: u16 = 1 << 13;

type Ranges = &'static [(u32, u32)];

const fn one(c: u32) -> (u32, u32) {
    (c, c)
}

const CATEGORIES: &[(u16, Ranges)] = &[
    (
        COMMON,
        &[
            one(0xA0),
            one(0xAD),
            one(0xB7),
            one(0xB4),
            (0x2013, 0x2015),
            one(0x2026),
            one(0x2019),
        ],
    ),
    (C1, &[(0x80, 0x9F)]),
    (
        BAD,
        &[
            one(0xA6),
            one(0xA4),
            one(0xA8),
            one(0xAC),
            one(0xAF),
            one(0xB8),
            one(0x192),
            one(0x2C6),
            one(0x2C7),
            one(0x2D8),
            one(0x2DB),
            one(0x2DC),
            one(0x2020),
            one(0x2021),
            one(0x2030),
            one(0x2310),
            one(0x25CA),
            one(0xFFFD),
            one(0xAA),
            one(0xBA),
        ],
    ),
    (LAW, &[one(0xB6), one(0xA7)]),
    (
        CURRENCY,
        &[one(0xA2), one(0xA3), one(0xA5), one(0x20A7), one(0x20AC)],
    ),
    (
        START,
        &[
            one(0xA1),
            one(0xAB),
            one(0xBF),
            one(0xA9),
            one(0x384),
            one(0x385),
            one(0x2018),
            one(0x201A),
            one(0x201C),
            one(0x201E),
            one(0x2022),
            one(0x2039),
            one(0xF8FF),
        ],
    ),
    (
        END,
        &[
            one(0xAE),
            one(0xBB),
            one(0x2DD),
            one(0x201D),
            one(0x203A),
            one(0x2122),
        ],
    ),
    (
        NUMERIC,
        &[
            one(0xB2),
            one(0xB3),
            one(0xB9),
            one(0xB1),
            (0xBC, 0xBE),
            one(0xD7),
            one(0xB5),
            one(0xF7),
            one(0x2044),
            one(0x2202),
            one(0x2206),
            one(0x220F),
            one(0x2211),
            one(0x221A),
            one(0x221E),
            one(0x2229),
            one(0x222B),
            one(0x2248),
            one(0x2260),
            one(0x2261),
            one(0x2264),
            one(0x2265),
            one(0x2116),
        ],
    ),
    (
        KAOMOJI,
        &[
            (0xD2, 0xD6),
            (0xD9, 0xDC),
            (0xF2, 0xF6),
            (0xF8, 0xFC),
            one(0x150),
            one(0x14C),
            one(0x16A),
            one(0x172),
            one(0xB0),
        ],
    ),
    (
        UPPER_ACC,
        &[
            (0xC0, 0xD1),
            one(0xD8),
            one(0xDC),
            one(0xDD),
            one(0x102),
            one(0x100),
            one(0x104),
            one(0x106),
            one(0x10C),
            one(0x10E),
            one(0x110),
            one(0x118),
            one(0x11A),
            one(0x112),
            one(0x116),
            one(0x11E),
            one(0x122),
            one(0x130),
            one(0x12A),
            one(0x136),
            one(0x139),
            one(0x13D),
            one(0x141),
            one(0x13B),
            one(0x143),
            one(0x147),
            one(0x145),
            one(0x152),
            one(0x158),
            one(0x15A),
            one(0x15E),
            one(0x160),
            one(0x162),
            one(0x164),
            one(0x16E),
            one(0x170),
            one(0x178),
            one(0x179),
            one(0x17B),
            one(0x17D),
            one(0x490),
        ],
    ),
    (
        LOWER_ACC,
        &[
            one(0xDF),
            (0xE0, 0xF1),
            one(0x103),
            one(0x105),
            one(0x101),
            one(0x107),
            one(0x10D),
            one(0x10F),
            one(0x111),
            one(0x119),
            one(0x11B),
            one(0x113),
            one(0x117),
            one(0x11F),
            one(0x123),
            one(0x12F),
            one(0x12B),
            one(0x137),
            one(0x13A),
            one(0x13E),
            one(0x142),
            one(0x13C),
            one(0x153),
            one(0x155),
            one(0x15B),
            one(0x15F),
            one(0x161),
            one(0x165),
            one(0xFC),
            one(0x17A),
            one(0x17C),
            one(0x17E),
            one(0x491),
            one(0xFB01),
            one(0xFB02),
        ],
    ),
    (
        UPPER_COMMON,
        &[
            one(0xDE),
            (0x391, 0x3A9),
            one(0x386),
            (0x388, 0x38A),
            one(0x38C),
            (0x38E, 0x38F),
            (0x3AA, 0x3AB),
            (0x401, 0x42F),
        ],
    ),
    (
        LOWER_COMMON,
        &[(0x3B1, 0x3C9), (0x3AC, 0x3B0), (0x430, 0x45F)],
    ),
    (
        BOX,
        &[
            one(0x2502),
            one(0x250C),
            one(0x2510),
            one(0x2518),
            one(0x251C),
            one(0x2524),
            one(0x252C),
            one(0x253C),
            (0x2550, 0x256C),
            one(0x2580),
            one(0x2584),
            one(0x2588),
            one(0x258C),
            (0x2590, 0x2593),
        ],
    ),
];

/// Categories of U+0080..U+04FF, the block nearly every mojibake character is in.
const LOW_END: u32 = 0x500;
static LOW: LazyLock<Vec<u16>> = LazyLock::new(|| {
    let mut t = vec![0u16; LOW_END as usize];
    for (bit, ranges) in CATEGORIES {
        for &(a, b) in *ranges {
            for c in a..=b.min(LOW_END - 1) {
                t[c as usize] |= bit;
            }
        }
    }
    t
});

/// The mojibake categories of `c` (0 for ASCII and most of Unicode).
#[inline]
pub fn categories(c: char) -> u16 {
    let u = c as u32;
    if u < 0x80 {
        return 0;
    }
    if u < LOW_END {
        return LOW[u as usize];
    }
    if !(0x2013..=0x25CA).contains(&u) && !matches!(u, 0xF8FF | 0xFB01 | 0xFB02 | 0xFFFD) {
        return 0;
    }
    let mut cats = 0;
    for (bit, ranges) in CATEGORIES {
        if ranges.iter().any(|&(a, b)| a <= u && u <= b) {
            cats |= bit;
        }
    }
    cats
}

/// What bytes 0xA0..0xBF look like in windows-1251: UTF-8 continuation bytes of the
/// accented Latin letters after the lead byte 0xC3 (`Г`).
const CP1251_A0_BF: &[char] = &[
    '\u{a0}', 'Ў', 'ў', 'Ј', '\u{a4}', 'Ґ', '\u{a6}', '\u{a7}', 'Ё', '\u{a9}', 'Є', '\u{ab}',
    '\u{ac}', '\u{ad}', '\u{ae}', 'Ї', '\u{b0}', '\u{b1}', 'І', 'і', 'ґ', 'µ', '\u{b6}', '\u{b7}',
    'ё', '\u{2116}', 'є', '\u{bb}', 'ј', 'Ѕ', 'ѕ', 'ї',
];

/// White space as Python's `\s` sees it (which includes U+001C..U+001F).
fn space(c: char) -> bool {
    c.is_whitespace() || ('\u{1C}'..='\u{1F}').contains(&c)
}

fn lower(c: char) -> bool {
    c.is_ascii_lowercase()
}

/// Whether `text` has at least one juxtaposition that marks mojibake.
pub fn is_bad(text: &str) -> bool {
    let mut s = Scan::default();
    text.chars().any(|c| s.push(c, categories(c)))
}

/// How many characters the scan keeps: the longest pattern's length.
const N: usize = 7;

/// A scan for mojibake, fed one character at a time: the last few characters and
/// their categories, newest first.
#[derive(Default)]
pub struct Scan {
    c: [char; N],
    k: [u16; N],
    /// Characters seen.
    n: usize,
}

const ACCENTED: u16 = LOWER_ACC | UPPER_ACC;
/// Characters that, before or after a BAD one, make a mojibake pair.
const PAIRS_WITH_BAD: u16 = ACCENTED | BOX | START | END | CURRENCY | NUMERIC | LAW;

impl Scan {
    /// Add `c` (with its [`categories`]); true when a mojibake pattern ends at it.
    #[inline]
    pub fn push(&mut self, c: char, categories: u16) -> bool {
        self.shift(c, categories);
        // Every pattern has a categorized character among its last three.
        if self.k[0] == 0 && self.k[1] == 0 && self.k[2] == 0 {
            return false;
        }
        self.ends_here()
    }

    /// Add a run of ASCII characters, as `push` of each would. ASCII has no
    /// categories and every pattern has a categorized character among its last
    /// three, so only the run's first three can end one; of the rest, only the
    /// last few are kept, moved in at once.
    #[inline(always)]
    pub fn push_ascii(&mut self, run: &[u8]) -> bool {
        let (head, rest) = run.split_at(run.len().min(3));
        if head.iter().any(|&c| self.push(char::from(c), 0)) {
            return true;
        }
        let kept = rest.len().min(N);
        self.c.copy_within(..N - kept, kept);
        self.k.copy_within(..N - kept, kept);
        for (i, &c) in rest[rest.len() - kept..].iter().rev().enumerate() {
            self.c[i] = char::from(c);
            self.k[i] = 0;
        }
        self.n += rest.len();
        false
    }

    fn shift(&mut self, c: char, categories: u16) {
        self.c.copy_within(0..N - 1, 1);
        self.k.copy_within(0..N - 1, 1);
        self.c[0] = c;
        self.k[0] = categories;
        self.n += 1;
    }

    /// Character `i` back (0 = the one just added), if there is one.
    fn ch(&self, i: usize) -> Option<char> {
        (i < self.n).then(|| self.c[i])
    }

    fn cat(&self, i: usize) -> u16 {
        if i < self.n { self.k[i] } else { 0 }
    }

    fn is(&self, i: usize, set: &[char]) -> bool {
        self.ch(i).is_some_and(|c| set.contains(&c))
    }

    fn has(&self, i: usize, bits: u16) -> bool {
        self.cat(i) & bits != 0
    }

    /// Windows-1251 over Latin-1 over windows-1252 (`ГўВЂВ`), near a Latin letter.
    fn cp1251_over_latin1(&self) -> bool {
        let c = self.c[0];
        (c.is_ascii_alphabetic() || c == ' ')
            && self.ch(1).is_some_and(|p| p != '\n')
            && self.is(2, &['В'])
            && self.is(3, &['Ђ'])
            && self.is(4, &['В'])
            && self.is(5, &['ў'])
            && self.is(6, &['Г'])
    }

    fn ends_here(&self) -> bool {
        let c = self.c[0];
        let k = self.k[0];
        if k & C1 != 0 {
            return true;
        }
        // Shortcuts for the common case, letters of good text. After a character of
        // no category, only the seven-character windows-1251 pattern can end here.
        if self.k[1] == 0 {
            return self.cp1251_over_latin1();
        }
        // Every check below but those of `ends_at_any` needs `c` to have a category,
        // or to be one of a few characters that all have one.
        if k == 0 {
            return self.ends_at_any();
        }
        // A Greek or Cyrillic letter ends a pattern only after punctuation, or as one
        // of a few letters, or after Œ, œ or Г.
        if k & !(LOWER_COMMON | UPPER_COMMON) == 0
            && self.k[1] & (START | END) == 0
            && !matches!(
                c,
                'Ђ' | 'В' | 'Г' | 'Р' | 'С' | 'Β' | 'Γ' | 'Ξ' | 'Ο' | 'π' | 'Ά'
            )
            && !matches!(self.c[1], 'Œ' | 'œ' | 'Г')
        {
            return false;
        }
        // Pairs around the characters that are nearly always mojibake.
        if k & BAD != 0 && self.has(1, BAD | PAIRS_WITH_BAD) {
            return true;
        }
        if k & BAD != 0
            && self.has(1, LOWER_COMMON | UPPER_COMMON)
            && self.ch(2).is_some_and(|p| p.is_ascii_alphabetic())
        {
            return true;
        }
        if k & PAIRS_WITH_BAD != 0 && self.has(1, BAD) {
            return true;
        }
        // Letters, symbols and punctuation in unlikely order.
        if k & UPPER_ACC != 0
            && self.has(1, LOWER_ACC | LOWER_COMMON | BOX | END | CURRENCY | NUMERIC)
        {
            return true;
        }
        if k & LOWER_ACC != 0 && self.has(1, BOX | END | CURRENCY | NUMERIC) {
            return true;
        }
        if k & CURRENCY != 0 {
            if self.has(1, LOWER_ACC | BOX | END) {
                return true;
            }
            if self.has(1, UPPER_ACC) && self.ch(2).is_some_and(space) {
                return true;
            }
        }
        if k & (NUMERIC | LAW) != 0 && self.has(1, UPPER_ACC | BOX) {
            return true;
        }
        if k & NUMERIC != 0 && self.has(1, START) && self.has(2, ACCENTED | BOX | CURRENCY | END) {
            return true;
        }
        if k & START != 0 {
            if self.has(1, END) && self.has(2, ACCENTED | CURRENCY | NUMERIC | BOX | LAW) {
                return true;
            }
            if self.has(1, CURRENCY | NUMERIC | BOX) {
                return true;
            }
        }
        if k & (START | CURRENCY) != 0 && self.has(1, UPPER_ACC) && self.ch(2).is_some_and(lower) {
            return true;
        }
        if k & KAOMOJI != 0 && self.has(1, BOX) {
            return true;
        }
        if k & BOX != 0 && self.has(1, ACCENTED | CURRENCY | NUMERIC | START | END | LAW) {
            return true;
        }
        if k & END != 0 && self.has(1, BOX) {
            return true;
        }
        if c == '°' && self.has(1, UPPER_ACC) {
            return true;
        }
        // Two-character windows-1252 mojibake the rules above miss.
        if self.is(1, &['Â', 'Ã', 'Î', 'Ð'])
            && (k & (START | END) != 0
                || [
                    '\u{20ac}', 'œ', 'Š', 'š', '\u{a2}', '\u{a3}', 'Ÿ', 'ž', '\u{a0}', '\u{ad}',
                    '\u{ae}', '\u{a9}', '\u{b0}', '\u{b7}', '\u{bb}', '\u{2013}', '\u{2014}',
                    '\u{b4}',
                ]
                .contains(&c))
        {
            return true;
        }
        if self.is(1, &['\u{d7}']) && ['\u{b2}', '\u{b3}'].contains(&c) {
            return true;
        }
        // Windows-1252 mojibake of Arabic: four characters, since the second and
        // fourth may be common ones.
        const ARABIC_X: u16 = COMMON | CURRENCY | BAD | NUMERIC | START;
        let arabic_x = |i: usize| {
            self.has(i, ARABIC_X) || self.is(i, &['Ÿ', 'Š', '\u{ae}', '\u{b0}', 'µ', '\u{bb}'])
        };
        if arabic_x(0) && self.is(1, &['Ø', 'Ù']) && arabic_x(2) && self.is(3, &['Ø', 'Ù']) {
            return true;
        }
        // Windows-1252 lead of 3-byte sequences of some South Asian scripts.
        if self.is(1, &['à'])
            && ['\u{b2}', 'µ', '\u{b9}', '\u{bc}', '\u{bd}', '\u{be}'].contains(&c)
        {
            return true;
        }
        // MacRoman mojibake.
        if self.is(1, &['\u{221a}'])
            && [
                '\u{b1}', '\u{2202}', '\u{2020}', '\u{2260}', '\u{ae}', '\u{2122}', '\u{b4}',
                '\u{2264}', '\u{2265}', '\u{a5}', 'µ', 'ø',
            ]
            .contains(&c)
        {
            return true;
        }
        if self.is(1, &['\u{2248}']) && ['\u{b0}', '\u{a2}'].contains(&c) {
            return true;
        }
        if self.is(2, &['\u{201a}'])
            && self.is(1, &['Ä'])
            && [
                'ì', 'î', 'ï', 'ò', 'ô', 'ú', 'ù', 'û', '\u{2020}', '\u{b0}', '\u{a2}', 'π',
            ]
            .contains(&c)
        {
            return true;
        }
        if self.is(2, &['\u{201a}'])
            && self.is(1, &['â', 'ó'])
            && ['à', 'ä', '\u{b0}', 'ê'].contains(&c)
        {
            return true;
        }
        // Windows-1251 mojibake: of U+2000..U+206F, and of Latin-1 or Cyrillic
        // (three characters, as pairs of Cyrillic capitals are common).
        if c == 'Ђ' && self.is(1, &['в']) {
            return true;
        }
        if ['В', 'Г', 'Р', 'С'].contains(&c)
            && (self.has(1, C1 | BAD | START | END | CURRENCY) || self.is(1, &['\u{b0}', 'µ']))
            && self.is(2, &['В', 'Г', 'Р', 'С'])
        {
            return true;
        }
        // rinse's own, bolder than ftfy: a Latin small letter straight before what an
        // accented Latin small letter looks like as windows-1251 ("mГ©dicament") or
        // MacRoman ("pi√π"). Genuine text does not put a Cyrillic capital or a root
        // sign inside a Latin word.
        if self.ch(2).is_some_and(lower)
            && ((self.is(1, &['Г']) && CP1251_A0_BF.contains(&c))
                || (self.is(1, &['\u{221a}']) && ['π', '\u{a8}'].contains(&c)))
        {
            return true;
        }
        // Windows-1252 for à and á.
        if self.is(1, &['Ã']) && ['\u{a0}', '\u{a1}'].contains(&c) {
            return true;
        }
        // Windows-1253 mojibake, of U+2000..U+206F and of Latin-1 or Greek.
        if self.is(2, &['β'])
            && self.is(1, &['\u{20ac}'])
            && ['\u{2122}', '\u{a0}', 'Ά', '\u{ad}', '\u{ae}', '\u{b0}'].contains(&c)
        {
            return true;
        }
        if ['Β', 'Γ', 'Ξ', 'Ο'].contains(&c)
            && (self.has(1, C1 | BAD | START | END | CURRENCY) || self.is(1, &['\u{b0}']))
            && self.is(2, &['Β', 'Γ', 'Ξ', 'Ο'])
        {
            return true;
        }
        if self.ends_at_any() {
            return true;
        }
        // Windows-1257 mojibake of U+2000..U+206F.
        c == '€' && self.is(1, &['ā'])
    }

    /// The patterns that can end at a character of no category (ASCII, say).
    fn ends_at_any(&self) -> bool {
        let c = self.c[0];
        let k = self.k[0];
        if self.has(1, START | END) && self.has(2, ACCENTED) && (c.is_alphanumeric() || c == '_') {
            return true;
        }
        // The ligature œ not followed by an unaccented Latin letter.
        if self.is(1, &['Œ', 'œ']) && !c.is_ascii_alphabetic() {
            return true;
        }
        // Windows-1252 for à and for a no-break space itself, before a space.
        if c == ' '
            && self.is(1, &['Ã', 'Â'])
            && (self.ch(2).is_some_and(lower)
                || (self.ch(2).is_some_and(space) && self.ch(3).is_some_and(lower))
                || self.n == 2)
        {
            return true;
        }
        // Â standing before the very character it was meant to be.
        if (c == ' ' || k & (START | END) != 0)
            && self.is(1, &['Â'])
            && (self
                .ch(2)
                .is_some_and(|p| p.is_ascii_lowercase() || ".,?!".contains(p))
                || self.has(2, END))
        {
            return true;
        }
        self.cp1251_over_latin1()
    }
}

#[cfg(test)]
mod tests {
    use super::is_bad;

    #[test]
    fn mojibake_is_bad_and_text_is_not() {
        for bad in [
            "HÃ´tel",
            "doesnÃ¢â‚¬â„¢t",
            "voilÃ le",
            "вЂњB-вЂњ",
            "â€œquotedâ€\u{9d}",
            "ÃƒÂ©",
        ] {
            assert!(is_bad(bad), "{bad}");
        }
        for good in [
            "Hôtel de Ville",
            "NESTLÉ® products",
            "C O N C L U S Ã O",
            "Привет, как дела?",
            "Größe und Übermaß",
            "L’épisode",
            "plain ascii",
        ] {
            assert!(!is_bad(good), "{good}");
        }
    }
}
