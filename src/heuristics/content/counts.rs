//! The one pass over a line that counts what the detector's features are made of:
//! words, capitals, stopwords, a duplicate key, letters, digits, CJK characters, commas.

use crate::lang::{Lang, is_cjk};

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
    pub(super) lower: bool,
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
        let (mut extra, mut cjk) = (0, 0);
        let (mut letters, mut digits, mut commas, mut lowers) = (0, 0, 0, 0);
        let mut tab = false;
        key.clear();
        key.reserve(t.len());
        let stopwords = !lang.is_cjk();
        // The word being read: where it starts in `t` and in `key`, and whether it is
        // all ASCII so far.
        let mut word: Option<(usize, usize, bool)> = None;
        let mut end_word = |word: &mut Option<(usize, usize, bool)>, key: &[u8], end: usize| {
            if let Some((s, k, ascii)) = word.take()
                && stopwords
            {
                stop += usize::from(if ascii {
                    lang.is_stopword_lower(&key[k..])
                } else {
                    lang.is_stopword(&t[s..end])
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
                        end_word(&mut word, key, i - 1);
                        continue;
                    }
                    if word.is_none() {
                        if nw > 0 {
                            key.push(b' ');
                        }
                        word = Some((i - 1, key.len(), true));
                        nw += 1;
                        alpha += usize::from(k & ALPHA != 0);
                        upper += usize::from(k & UPPER != 0);
                    }
                    key.push(KEY[usize::from(byte)]);
                    acc += INC[usize::from(byte)];
                    continue;
                }
                let ch = t[i..].chars().next().expect("a char starts here");
                let at = i;
                i += ch.len_utf8();
                extra += ch.len_utf8() - 1;
                if ch.is_whitespace() {
                    end_word(&mut word, key, at);
                    continue;
                }
                match &mut word {
                    Some((_, _, ascii)) => *ascii = false,
                    None => {
                        if nw > 0 {
                            key.push(b' ');
                        }
                        word = Some((at, key.len(), false));
                        nw += 1;
                        if ch.is_alphabetic() {
                            alpha += 1;
                            upper += usize::from(ch.is_uppercase());
                        }
                    }
                }
                for c in ch.to_lowercase() {
                    let c = if c.is_numeric() { '0' } else { c };
                    key.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                letters += usize::from(ch.is_alphabetic());
                digits += usize::from(ch.is_numeric());
                cjk += usize::from(is_cjk(ch));
                lowers += usize::from(ch.is_lowercase());
            }
            let field = |f: u32| (acc >> (f * FIELD)) as usize & ((1 << FIELD) - 1);
            letters += field(0);
            digits += field(1);
            commas += field(2);
            lowers += field(3);
        }
        end_word(&mut word, key, b.len());
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
            lower: lowers > 0,
            commas,
            tab,
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
            t in "[ -~\t\x0b\x0c\r]{0,60}|(([A-Za-zÄäÉéßİǅ]{1,6}|the|The|und|über|Über|der|le|été|,|\\.|[0-9２½Ⅻ]{1,3}|\"|„|«|\\(|-|—|中文|的)[ \t\x0b\u{a0}\u{2003}]{1,2}){0,12}",
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
        for w in t.split_whitespace() {
            nw += 1;
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
            lower,
            commas: t.matches(',').count(),
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
    fn counts_of_lines_longer_than_a_counter_chunk_agree_with_the_spec() {
        // Each packed counter holds 16 bits: a line of more bytes is counted in chunks.
        let t = "Ab1, é ".repeat(100_000);
        let lang = Lang::new("en");
        let counts = Counts::of(&t, lang, &mut Vec::new());
        assert_eq!(counts.letters, 300_000);
        assert_eq!(counts, counts_spec(&t, lang));
    }

    #[test]
    fn duplicate_keys_fold_case_digits_and_spaces() {
        assert_eq!(line_dup("Page  12 Of 30"), line_dup("page 00 of 00"));
        assert_ne!(line_dup("page one"), line_dup("pageone"));
    }
}
