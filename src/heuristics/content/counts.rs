//! The one pass over a line that counts what the detector's features are made of:
//! words, capitals, stopwords, a duplicate key, letters, digits, CJK characters, commas.

use crate::lang::{Lang, is_cjk};
use std::sync::OnceLock;

/// The counts of a line's words and characters the features are made of.
#[derive(Debug, PartialEq)]
pub(super) struct Counts {
    /// Words (split at whitespace); those starting with a letter; of those, capitalised.
    pub(super) nw: usize,
    pub(super) alpha: usize,
    pub(super) upper: usize,
    /// Words that are stopwords of the language (none counted for CJK).
    pub(super) stop: usize,
    /// Hash of the duplicate key: the words lowercased, digits as 0, one space apart.
    pub(super) dup: u64,
    /// Characters; letters; digits; CJK characters; any lowercase letter.
    pub(super) nc: usize,
    pub(super) letters: usize,
    pub(super) digits: usize,
    pub(super) cjk: usize,
    /// Words holding a CJK character: a run of CJK text is one "word" between spaces.
    pub(super) cjk_words: usize,
    pub(super) lower: bool,
    /// Commas of any script: `,` and `，`, `、`, `،`.
    pub(super) commas: usize,
    pub(super) tab: bool,
}

/// A table over the ASCII bytes, `c` bound to each in turn, built when compiling.
macro_rules! ascii_table {
    ($t:ty, |$c:ident| $e:expr) => {{
        let mut t: [$t; 128] = [0; 128];
        let mut b = 0;
        while b < 128 {
            let $c = b as u8;
            t[b] = $e;
            b += 1;
        }
        t
    }};
}

/// Byte classes of ASCII, for the pass over a line.
const WS: u8 = 1;
const ALPHA: u8 = 2;
const UPPER: u8 = 4;
const CLASS: [u8; 128] = ascii_table!(u8, |c| if c.is_ascii_whitespace() || c == 0x0b {
    WS // `char::is_whitespace` on ASCII, which also counts vertical tab
} else if c.is_ascii_uppercase() {
    ALPHA | UPPER
} else if c.is_ascii_lowercase() {
    ALPHA
} else {
    0
});

/// What an ASCII byte adds to the counters packed in one u64, 16 bits each: letters,
/// digits, commas, lowercase letters. One addition a byte instead of four.
const FIELD: u32 = 16;
const INC: [u64; 128] = ascii_table!(u64, |c| (c.is_ascii_alphabetic() as u64)
    | (c.is_ascii_digit() as u64) << FIELD
    | ((c == b',') as u64) << (2 * FIELD)
    | (c.is_ascii_lowercase() as u64) << (3 * FIELD));

/// The commas of other scripts: CJK (full-width, ideographic, half-width) and Arabic.
const WIDE_COMMAS: [char; 4] = ['，', '、', '､', '،'];

/// Bytes between flushes of the packed counters, so no field overflows.
const CHUNK: usize = (1 << FIELD) - 8;

/// An ASCII byte as it stands in the duplicate key: lowercase, digits as 0.
const KEY: [u8; 128] = ascii_table!(u8, |c| if c.is_ascii_digit() {
    b'0'
} else {
    c.to_ascii_lowercase()
});

impl Counts {
    /// One pass over the line: ASCII bytes by class tables, other characters by their
    /// Unicode classes; words are split at whitespace as `split_whitespace` does. The
    /// duplicate key is written to `key` (reused between lines) as it goes, and an ASCII
    /// word is looked up among the stopwords from its lowercase bytes there.
    pub(super) fn of(t: &str, lang: Lang, key: &mut Vec<u8>) -> Counts {
        let (mut nw, mut alpha, mut upper, mut stop) = (0, 0, 0, 0);
        // Bytes beyond the first of each non-ASCII character, to count characters.
        let (mut extra, mut cjk, mut cjk_words) = (0, 0, 0);
        // Whether the word being read holds a CJK character yet.
        let mut cjk_word = false;
        let (mut letters, mut digits, mut commas, mut lowers) = (0, 0, 0, 0);
        let mut tab = false;
        key.clear();
        key.reserve(t.len());
        let stopwords = !lang.is_cjk();
        // The word being read: where it starts in `key`, and whether it is all ASCII so far.
        let mut word: Option<(usize, bool)> = None;
        let mut end_word = |word: &mut Option<(usize, bool)>, key: &[u8]| {
            if let Some((k, ascii)) = word.take()
                && stopwords
            {
                // The word as the key holds it: lowercase, numerals as 0.
                stop += usize::from(if ascii {
                    lang.is_stopword_lower(&key[k..])
                } else {
                    lang.is_stopword_lowered(
                        std::str::from_utf8(&key[k..]).expect("the key holds whole characters"),
                    )
                });
            }
        };
        let b = t.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let stop_at = b.len().min(i + CHUNK);
            let mut acc = 0u64;
            while i < stop_at {
                let byte = b[i];
                if byte < 0x80 {
                    let k = CLASS[usize::from(byte)];
                    i += 1;
                    if k & WS != 0 {
                        tab |= byte == b'\t';
                        end_word(&mut word, key);
                        continue;
                    }
                    if word.is_none() {
                        if nw > 0 {
                            key.push(b' ');
                        }
                        word = Some((key.len(), true));
                        cjk_word = false;
                        nw += 1;
                        alpha += usize::from(k & ALPHA != 0);
                        upper += usize::from(k & UPPER != 0);
                    }
                    key.push(KEY[usize::from(byte)]);
                    acc += INC[usize::from(byte)];
                    continue;
                }
                let ch = t[i..].chars().next().expect("a char starts here");
                i += ch.len_utf8();
                extra += ch.len_utf8() - 1;
                let c = Class::of(ch);
                if c.space {
                    end_word(&mut word, key);
                    continue;
                }
                match &mut word {
                    Some((_, ascii)) => *ascii = false,
                    None => {
                        if nw > 0 {
                            key.push(b' ');
                        }
                        word = Some((key.len(), false));
                        cjk_word = false;
                        nw += 1;
                        if c.alpha {
                            alpha += 1;
                            upper += usize::from(c.upper);
                        }
                    }
                }
                match c.key {
                    Some(k) => key.extend_from_slice(k.encode_utf8(&mut [0; 4]).as_bytes()),
                    None => {
                        for k in ch.to_lowercase() {
                            let k = if k.is_numeric() { '0' } else { k };
                            key.extend_from_slice(k.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                    }
                }
                letters += usize::from(c.alpha);
                digits += usize::from(c.numeric);
                if is_cjk(ch) {
                    cjk += 1;
                    cjk_words += usize::from(!cjk_word);
                    cjk_word = true;
                }
                commas += usize::from(WIDE_COMMAS.contains(&ch));
                lowers += usize::from(c.lower);
            }
            let field = |f: u32| (acc >> (f * FIELD)) as usize & ((1 << FIELD) - 1);
            letters += field(0);
            digits += field(1);
            commas += field(2);
            lowers += field(3);
        }
        end_word(&mut word, key);
        Counts {
            nw,
            alpha,
            upper,
            stop,
            dup: dup_hash(key),
            nc: b.len() - extra,
            letters,
            digits,
            cjk,
            cjk_words,
            lower: lowers > 0,
            commas,
            tab,
        }
    }
}

/// The Unicode classes of a non-ASCII character the count pass asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Class {
    space: bool,
    alpha: bool,
    upper: bool,
    lower: bool,
    numeric: bool,
    /// What the character becomes in the duplicate key (lowercase, numerics as 0), when
    /// that is one character.
    key: Option<char>,
}

impl Class {
    /// The characters whose classes come from a table: Latin, Greek, Cyrillic, Hebrew and
    /// Arabic letters (U+0080..U+07FF) and general punctuation (quotes, dashes, spaces).
    /// Most non-ASCII characters of a page are among them, and the standard library's
    /// answers for them are range searches.
    const RANGES: [std::ops::Range<u32>; 2] = [0x80..0x800, 0x2000..0x2070];

    /// The classes of `ch`.
    fn of(ch: char) -> Class {
        static TABLE: OnceLock<Vec<Class>> = OnceLock::new();
        let mut base = 0;
        for r in &Self::RANGES {
            if r.contains(&u32::from(ch)) {
                let table = TABLE.get_or_init(|| {
                    Self::RANGES
                        .iter()
                        .flat_map(|r| r.clone().filter_map(char::from_u32))
                        .map(Class::asked)
                        .collect()
                });
                return table[base + (u32::from(ch) - r.start) as usize];
            }
            base += r.len();
        }
        Class::asked(ch)
    }

    /// The classes of `ch`, asked of the standard library.
    fn asked(ch: char) -> Class {
        let mut lower = ch.to_lowercase();
        let key = match (lower.next(), lower.next()) {
            (Some(k), None) => Some(if k.is_numeric() { '0' } else { k }),
            _ => None,
        };
        Class {
            space: ch.is_whitespace(),
            alpha: ch.is_alphabetic(),
            upper: ch.is_uppercase(),
            lower: ch.is_lowercase(),
            numeric: ch.is_numeric(),
            key,
        }
    }
}

/// The hash of a duplicate key, which stands for the key when lines are compared.
fn dup_hash(key: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(key);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The one-pass ASCII counts are the Unicode counts, on any ASCII line.
        #[test]
        fn one_pass_counts_agree_with_the_spec(
            t in "[ -~\t\x0b\x0c\r]{0,60}|(([A-Za-zÄäÉéßİǅ]{1,6}|the|The|und|über|Über|der|le|été|,|\\.|[0-9２½Ⅻ]{1,3}|\"|„|«|\\(|-|—|中文|的|，|、|،|a中)[ \t\x0b\u{a0}\u{2003}]{1,2}){0,12}",
            k in 0usize..4,
        ) {
            let lang = Lang::new(["en", "de", "xx", "zh"][k]);
            prop_assert_eq!(Counts::of(&t, lang, &mut Vec::new()), counts_spec(&t, lang));
        }
    }

    /// The specification of `Counts::of`: words by `split_whitespace`, characters by
    /// Unicode classes, one pass each.
    fn counts_spec(t: &str, lang: Lang) -> Counts {
        let (mut nw, mut alpha, mut upper, mut stop) = (0, 0, 0, 0);
        let stopwords = !lang.is_cjk();
        let mut cjk_words = 0;
        for w in t.split_whitespace() {
            nw += 1;
            cjk_words += usize::from(w.chars().any(is_cjk));
            if let Some(c) = w.chars().next().filter(|c| c.is_alphabetic()) {
                alpha += 1;
                upper += usize::from(c.is_uppercase());
            }
            stop += usize::from(stopwords && lang.is_stopword(w));
        }
        let (mut nc, mut letters, mut digits, mut cjk, mut lower) = (0, 0, 0, 0, false);
        for ch in t.chars() {
            nc += 1;
            letters += usize::from(ch.is_alphabetic());
            digits += usize::from(ch.is_numeric());
            cjk += usize::from(is_cjk(ch));
            lower |= ch.is_lowercase();
        }
        Counts {
            nw,
            alpha,
            upper,
            stop,
            dup: dup_hash(dup_key(t).as_bytes()),
            nc,
            letters,
            digits,
            cjk,
            cjk_words,
            lower,
            commas: t.matches([',', '，', '、', '､', '،']).count(),
            tab: t.contains('\t'),
        }
    }

    /// The duplicate key of a line: its words lowercased, digits as 0, one space apart.
    fn dup_key(t: &str) -> String {
        let word = |w: &str| -> String {
            w.chars()
                .flat_map(char::to_lowercase)
                .map(|c| if c.is_numeric() { '0' } else { c })
                .collect()
        };
        t.split_whitespace().map(word).collect::<Vec<_>>().join(" ")
    }

    fn line_dup(t: &str) -> u64 {
        Counts::of(t, Lang::new("en"), &mut Vec::new()).dup
    }

    #[test]
    fn cjk_runs_and_commas_of_other_scripts_are_counted() {
        let c = Counts::of(
            "東京 マラソン、完走 of 42 km，good",
            Lang::new("ja"),
            &mut Vec::new(),
        );
        assert_eq!((c.nw, c.cjk_words, c.cjk, c.commas), (5, 2, 8, 2));
    }

    #[test]
    fn counts_of_lines_longer_than_a_counter_chunk_agree_with_the_spec() {
        // Each packed counter holds 16 bits: a line of more bytes is counted in chunks.
        let t = "Ab1, é ".repeat(100_000);
        let lang = Lang::new("en");
        let counts = Counts::of(&t, lang, &mut Vec::new());
        assert_eq!(counts.letters, 300_000);
        assert_eq!(counts, counts_spec(&t, lang));
    }

    #[test]
    fn classes_from_the_table_are_the_classes_asked() {
        for ch in (0x80..0x3100).filter_map(char::from_u32) {
            assert_eq!(
                Class::of(ch),
                Class::asked(ch),
                "{ch:?} U+{:04X}",
                u32::from(ch)
            );
        }
        // One character lowercasing to two has no one-character key.
        assert_eq!(Class::of('İ').key, None);
        assert_eq!(Class::of('Ä').key, Some('ä'));
        assert_eq!(Class::of('٣').key, Some('0'));
    }

    #[test]
    fn duplicate_keys_fold_case_digits_and_spaces() {
        assert_eq!(line_dup("Page  12 Of 30"), line_dup("page 00 of 00"));
        assert_ne!(line_dup("page one"), line_dup("pageone"));
    }
}
