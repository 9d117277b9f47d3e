//! The page's language, guessed once from its longer lines, and how much a line reads
//! like running text in it: the share of its words that are stopwords. Scripts without
//! spaces (Chinese, Japanese) are measured by characters instead.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// Languages with their own stopword list; others use the union of all of them.
const LISTED: &[&str] = &["en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru"];

/// Function characters of Chinese and Japanese: particles, copulas, pronouns.
const ZH_FUNCTION: &str = "的了是在和有我他这不也就都而及与着或之其为以于被把对从到个们";
const JA_FUNCTION: &str = "のにはをたがでてとしれさあるいもなかからまです";

/// Characters trimmed from a token before the stopword lookup.
const PUNCT: &[char] = &[
    '.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '"', '\'', '«', '»', '„', '“', '”',
    '‘', '’', '‚', '‹', '›', '—', '–', '-', '…', '*', '/', '\\', '|', '<', '>',
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang {
    /// ISO 639-1 code, or "xx" when unknown.
    pub code: &'static str,
    /// The bits (in `LISTED` order) of the stopword lists that apply: its own, or all
    /// of them for a language without one. Set once, asked for every word.
    stop: u16,
}

impl Lang {
    pub fn new(code: &'static str) -> Lang {
        let stop = LISTED
            .iter()
            .position(|&c| c == code)
            .map_or(u16::MAX, |k| 1 << k);
        Lang { code, stop }
    }

    /// Guess from the page's lines: the longer lines are the best evidence.
    pub fn detect<'a>(lines: impl Iterator<Item = &'a str>) -> Lang {
        Lang::of_sample(&Lang::sample(lines))
    }

    /// The evidence a guess is made on: the longest lines, in page order, about 600
    /// characters. Dropping menus and teasers rarely changes it, so a caller can skip
    /// guessing again when the sample is the same.
    pub fn sample<'a>(lines: impl Iterator<Item = &'a str>) -> String {
        use std::cmp::Reverse;
        let lines: Vec<&str> = lines.collect();
        // Longest first, earlier first among equals: a heap hands out the few lines
        // taken without sorting them all.
        let mut longest: std::collections::BinaryHeap<(usize, Reverse<usize>)> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| (l.len(), Reverse(i)))
            .collect();
        let (mut budget, mut take) = (0, Vec::new());
        while budget < 600 {
            let Some((len, Reverse(i))) = longest.pop() else {
                break;
            };
            budget += len;
            take.push(i);
        }
        take.sort_unstable();
        take.iter()
            .map(|&i| lines[i])
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn of_sample(sample: &str) -> Lang {
        if let Some(lang) = Lang::by_stopwords(sample) {
            return lang;
        }
        Lang::new(whatlang_code(sample))
    }

    /// The listed language whose stopwords make up a clear share of the sample's words,
    /// well ahead of every other list's: plain prose in one of them, where whatlang's
    /// much dearer guess would say the same. Close languages share many stopwords
    /// (German and Dutch "in", "die"; Spanish and Portuguese "de", "que"), so a list
    /// also wins when it is well ahead on the words no other list holds. None for
    /// anything less clear.
    fn by_stopwords(sample: &str) -> Option<Lang> {
        let mut n = 0usize;
        let mut hits = [0usize; LISTED.len()];
        // Hits of words on one list only.
        let mut own = [0usize; LISTED.len()];
        let mut buf = String::new();
        for t in sample.split_whitespace() {
            let t = t.trim_matches(is_punct);
            if t.is_empty() {
                continue;
            }
            let key = if t.is_ascii() {
                if !t.bytes().all(|c| c.is_ascii_alphabetic() || c == b'\'') {
                    continue;
                }
                ascii_key(t.as_bytes())
            } else {
                if !t
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '\'' || c == '’')
                {
                    continue;
                }
                buf.clear();
                buf.extend(t.chars().flat_map(char::to_lowercase));
                pack(buf.as_bytes())
            };
            n += 1;
            // Most words are on no list.
            let langs = key.map_or(0, |key| stopwords().langs(key));
            if langs != 0 {
                for (k, hit) in hits.iter_mut().enumerate() {
                    *hit += usize::from(langs >> k & 1 == 1);
                }
                if langs.is_power_of_two() {
                    own[langs.trailing_zeros() as usize] += 1;
                }
            }
        }
        // The list with the most hits, if it has at least `least` and three times the
        // next one's.
        let ahead = |hits: &[usize; LISTED.len()], least: usize| {
            let mut order: Vec<usize> = (0..LISTED.len()).collect();
            order.sort_by_key(|&k| std::cmp::Reverse(hits[k]));
            let (best, second) = (hits[order[0]], hits[order[1]]);
            (best >= least && best >= 3 * second).then(|| Lang::new(LISTED[order[0]]))
        };
        if n < 30 {
            return None;
        }
        ahead(&hits, n.div_ceil(4)).or_else(|| ahead(&own, 5))
    }

    /// Chinese or Japanese: measured by characters.
    pub fn is_cjk(self) -> bool {
        matches!(self.code, "zh" | "ja")
    }

    /// Whether whitespace-delimited token `t`, trimmed of punctuation and lowercased, is
    /// a stopword of the language (not for CJK).
    pub fn is_stopword(self, t: &str) -> bool {
        if t.is_ascii() {
            return self.is_stopword_ascii(t.as_bytes());
        }
        let t = t.trim_matches(is_punct);
        if t.chars().any(char::is_uppercase) {
            self.is_listed(t.to_lowercase().as_bytes())
        } else {
            self.is_listed(t.as_bytes())
        }
    }

    /// `is_stopword` for a token known to be ASCII: its key is packed while lowercasing.
    pub fn is_stopword_ascii(self, t: &[u8]) -> bool {
        // None: longer than any stopword.
        ascii_key(trim_punct(t)).is_some_and(|key| self.lists(key))
    }

    /// `is_stopword_ascii` for a token already lowercased. Its ASCII digits may read as
    /// 0: no listed word holds a digit (checked by a test).
    pub fn is_stopword_lower(self, t: &[u8]) -> bool {
        self.is_listed(trim_punct(t))
    }

    /// `is_stopword` for any token already lowercased character by character (which
    /// differs from `str::to_lowercase` only in Greek final sigma, and no list is
    /// Greek). Its numerals may read as 0: no listed word holds one (checked by a test).
    pub fn is_stopword_lowered(self, t: &str) -> bool {
        self.is_listed(t.trim_matches(is_punct).as_bytes())
    }

    /// Whether `word`, already trimmed and lowercased, is on the language's list.
    fn is_listed(self, word: &[u8]) -> bool {
        pack(word).is_some_and(|key| self.lists(key))
    }

    /// Whether the word packed as `key` is on the language's list.
    fn lists(self, key: u128) -> bool {
        stopwords().langs(key) & self.stop != 0
    }

    /// Share of the line's words that are stopwords; for CJK, the share of its CJK
    /// characters that are function characters, scaled to sit in the same range as
    /// the word shares (capped at 1). Japanese prose is near half function characters
    /// (hiragana particles), Chinese prose a fifth: doubled, Japanese prose would sit at
    /// the cap and a menu label, which has none, would stand further below it than an
    /// English label below English prose.
    pub fn stopword_density(self, line: &str) -> f64 {
        if self.is_cjk() {
            let (function, scale) = if self.code == "zh" {
                (ZH_FUNCTION, 2.0)
            } else {
                (JA_FUNCTION, 1.0)
            };
            let (mut cjk, mut func) = (0usize, 0usize);
            for c in line.chars().filter(|&c| is_cjk(c)) {
                cjk += 1;
                func += usize::from(function.contains(c));
            }
            return if cjk == 0 {
                0.0
            } else {
                (scale * func as f64 / cjk as f64).min(1.0)
            };
        }
        let (mut n, mut hits) = (0usize, 0usize);
        for t in line.split_whitespace() {
            n += 1;
            hits += usize::from(self.is_stopword(t));
        }
        if n == 0 { 0.0 } else { hits as f64 / n as f64 }
    }
}

/// whatlang's guess as a code of ours.
fn whatlang_code(sample: &str) -> &'static str {
    whatlang::detect(sample).map_or("xx", |info| iso639_1(info.lang()))
}

/// One of `PUNCT`, with the ASCII ones answered without a search.
pub(crate) fn is_punct(c: char) -> bool {
    match u8::try_from(c) {
        Ok(b) if b.is_ascii() => is_ascii_punct(b),
        _ => PUNCT.contains(&c),
    }
}

/// The ASCII members of `PUNCT`.
#[inline]
fn is_ascii_punct(b: u8) -> bool {
    matches!(
        b,
        b'.' | b','
            | b';'
            | b':'
            | b'!'
            | b'?'
            | b'('
            | b')'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'"'
            | b'\''
            | b'-'
            | b'*'
            | b'/'
            | b'\\'
            | b'|'
            | b'<'
            | b'>'
    )
}

/// `t` without the punctuation `is_punct` names at either end, for ASCII bytes.
fn trim_punct(t: &[u8]) -> &[u8] {
    let start = t
        .iter()
        .position(|&c| !is_ascii_punct(c))
        .unwrap_or(t.len());
    let end = t
        .iter()
        .rposition(|&c| !is_ascii_punct(c))
        .map_or(start, |e| e + 1);
    &t[start..end]
}

/// A Han, kana or hangul character.
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}')
}

fn iso639_1(l: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match l {
        Eng => "en",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Nld => "nl",
        Pol => "pl",
        Rus => "ru",
        Cmn => "zh",
        Jpn => "ja",
        _ => "xx",
    }
}

/// Every listed stopword with the languages (bits in `LISTED` order) that list it: one
/// lookup answers all of them. Keyed by the word's bytes packed into one number (every
/// listed word has at most 16 bytes), which hashes and compares in a few instructions;
/// ASCII tokens need no UTF-8 check.
struct Stopwords(HashMap<u128, u16>);

impl Stopwords {
    /// The languages listing the word packed as `key` (see `pack`).
    fn langs(&self, key: u128) -> u16 {
        self.0.get(&key).copied().unwrap_or(0)
    }
}

/// `pack` of an ASCII word lowercased.
fn ascii_key(w: &[u8]) -> Option<u128> {
    let mut key = [0u8; 16];
    for (k, b) in key.get_mut(..w.len())?.iter_mut().zip(w) {
        *k = b.to_ascii_lowercase();
    }
    Some(u128::from_le_bytes(key))
}

/// The bytes of a word of up to 16 bytes as one number, zero-padded (words hold no NUL);
/// None for a longer word, which no list holds.
fn pack(word: &[u8]) -> Option<u128> {
    let mut key = [0u8; 16];
    key.get_mut(..word.len())?.copy_from_slice(word);
    Some(u128::from_le_bytes(key))
}

fn stopwords() -> &'static Stopwords {
    static MAP: OnceLock<Stopwords> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::default();
        for (k, code) in LISTED.iter().enumerate() {
            for &w in stop_words::get(code) {
                let key = pack(w.as_bytes()).expect("listed stopwords have at most 16 bytes");
                *map.entry(key).or_insert(0) |= 1 << k;
            }
        }
        Stopwords(map)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punct_fast_path_agrees_with_the_list() {
        for c in (0..=0x2100).filter_map(char::from_u32) {
            assert_eq!(is_punct(c), PUNCT.contains(&c), "{c:?}");
        }
    }

    #[test]
    fn every_listed_word_is_found() {
        for code in LISTED {
            let lang = Lang::new(code);
            for w in stop_words::get(code) {
                assert!(lang.is_listed(w.as_bytes()), "{code}: {w}");
                // `is_stopword_lower(ed)` read keys with numerals as 0.
                assert!(!w.chars().any(char::is_numeric), "{code}: {w}");
            }
        }
        assert!(!Lang::new("en").is_listed(b"council"));
        assert!(!Lang::new("en").is_listed("нибудь".as_bytes()));
        assert!(!Lang::new("en").is_listed(b"theeeeeeeeeeeeeeeeeeeeeeee"));
    }

    #[test]
    fn sample_takes_the_longest_lines_in_page_order() {
        let long = "x".repeat(400);
        let lines = ["a", long.as_str(), "bb", "cc", long.as_str(), "dd", "e"];
        // 400 + 400 reach the budget: the two long lines, nothing after.
        assert_eq!(Lang::sample(lines.into_iter()), format!("{long}\n{long}"));
        // Short lines only: all are taken, in page order.
        assert_eq!(Lang::sample(["b", "aa", "c"].into_iter()), "b\naa\nc");
        // Among equally long lines the earlier ones come first.
        let mid = "y".repeat(300);
        let other = "z".repeat(300);
        let lines = [mid.as_str(), "q", other.as_str(), mid.as_str()];
        assert_eq!(Lang::sample(lines.into_iter()), format!("{mid}\n{other}"));
    }

    #[test]
    fn detects_and_measures() {
        let en = Lang::detect(
            ["The council met on Tuesday to discuss the budget for the year."].into_iter(),
        );
        assert_eq!(en.code, "en");
        assert!(en.stopword_density("the cat and the dog") > 0.5);
        assert!(en.stopword_density("Home News Sports") < 0.1);
        let de = Lang::detect(
            ["Der Rat hat am Dienstag über den Haushalt für das kommende Jahr beraten."]
                .into_iter(),
        );
        assert_eq!(de.code, "de");
        assert!(en.stopword_density("THE cat, AND (the) dog") > 0.5);
        let zh = Lang::new("zh");
        // Clear prose in a listed language is told by its stopwords alone; a short or
        // mixed sample is left to whatlang.
        let prose = "Der Rat hat am Dienstag über den Haushalt für das kommende Jahr beraten, \
            und die Mitglieder waren sich in den meisten Fragen einig. Es wurde aber auch \
            über die Kosten der neuen Schule gesprochen, die im Herbst eröffnet werden soll.";
        assert_eq!(Lang::by_stopwords(prose).map(|l| l.code), Some("de"));
        assert_eq!(Lang::of_sample(prose).code, whatlang_code(prose));
        assert_eq!(Lang::by_stopwords("Home News Sport Kontakt"), None);
        // Spanish shares most of its stopwords with Portuguese, French and Italian;
        // the words only its list holds tell it.
        let es = "El gobierno anunció ayer que las nuevas medidas entrarán en vigor el \
            próximo mes, aunque algunos expertos creen que serán insuficientes para frenar \
            la subida de los precios. Según el ministro, la economía crecerá este año \
            porque el consumo de los hogares se mantiene fuerte y el empleo sigue subiendo.";
        assert_eq!(Lang::by_stopwords(es).map(|l| l.code), Some("es"));
        assert_eq!(Lang::of_sample(es).code, whatlang_code(es));
        assert!(zh.stopword_density("我们的朋友在这里") > 0.3);
    }
}
