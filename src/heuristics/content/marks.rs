//! The residue marks of a line the detector asks about: separators, URLs, residue
//! vocabulary and credits. One automaton finds every literal of the four in a single
//! pass over the line, and each hit is checked in place; four regexes cost four passes
//! and a regex call's fixed price each, which on short lines was most of the cost.
//! (The regexes they replace are kept in the tests as the specification.)

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::OnceLock;

/// Which marks a line carries.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Marks {
    /// A menu or breadcrumb separator: " | ", " > ", " · ", " • ", "»", "›", " / ", or
    /// two " – ".
    pub sep: bool,
    /// "http:", "https:", "www.", an e-mail address, or ".com"/".de"/".org"/".net".
    pub url: bool,
    /// A word of residue vocabulary (cookie, share, newsletter, menu ...).
    pub kw: bool,
    /// A credit: "©", "(c)", or a credit word (foto, source, getty ...) before ":" or "/".
    pub credit: bool,
}

/// Residue vocabulary, matched anywhere (ASCII case-insensitive).
const KW: &[&str] = &[
    "cookie",
    "newsletter",
    "abonn",
    "subscri",
    "teilen",
    "share",
    "tweet",
    "facebook",
    "twitter",
    "whatsapp",
    "instagram",
    "pinterest",
    "linkedin",
    "e-mail",
    "drucken",
    "print",
    "kommentar",
    "comment",
    "anmelden",
    "login",
    "log in",
    "sign in",
    "sign up",
    "registrier",
    "impressum",
    "datenschutz",
    "privacy",
    "copyright",
    "©",
    "all rights",
    "alle rechte",
    "weiterlesen",
    "read more",
    "mehr zum thema",
    "related",
    "advertis",
    "anzeige",
    "werbung",
    "foto:",
    "bild:",
    "photo",
    "image",
    "credit",
    "quelle:",
    "source:",
    "tag:",
    "tags:",
    "kategorie",
    "category",
    "menü",
    "menÜ",
    "menu",
    "suche",
    "search",
    "home",
    "startseite",
    "kontakt",
    "contact",
];

/// Words that make a credit when they stand alone before ":" or "/".
const CREDIT_WORDS: &[&str] = &[
    "foto",
    "fotos",
    "bild",
    "photo",
    "image",
    "credit",
    "quelle",
    "source",
    "getty",
    "dpa",
    "afp",
    "reuters",
    "imago",
    "shutterstock",
    "istock",
];

const SEPS: &[&str] = &[" | ", " > ", " · ", " • ", "»", "›", " / "];
const DASH: &str = " – ";
const URL_STARTS: &[&str] = &["http:", "https:", "www."];
const TLDS: &[&str] = &[".com", ".de", ".org", ".net"];

/// What a literal found in the line means; one literal may mean several things.
#[derive(Debug, Default, Clone, Copy)]
struct Role {
    sep: bool,
    dash: bool,
    url: bool,
    at: bool,
    tld: bool,
    kw: bool,
    credit_sign: bool,
    credit_word: bool,
}

struct Finder {
    ac: AhoCorasick,
    roles: Vec<Role>,
}

fn finder() -> &'static Finder {
    static F: OnceLock<Finder> = OnceLock::new();
    F.get_or_init(|| {
        let mut needles: Vec<String> = Vec::new();
        let mut roles: Vec<Role> = Vec::new();
        let mut add = |s: &str, set: fn(&mut Role)| {
            // Needles are matched ASCII case-insensitively, so they are kept lowercase
            // and merged when equal.
            let s = s.to_ascii_lowercase();
            let k = match needles.iter().position(|n| *n == s) {
                Some(k) => k,
                None => {
                    needles.push(s);
                    roles.push(Role::default());
                    needles.len() - 1
                }
            };
            set(&mut roles[k]);
        };
        SEPS.iter().for_each(|s| add(s, |r| r.sep = true));
        add(DASH, |r| r.dash = true);
        URL_STARTS.iter().for_each(|s| add(s, |r| r.url = true));
        add("@", |r| r.at = true);
        TLDS.iter().for_each(|s| add(s, |r| r.tld = true));
        KW.iter().for_each(|s| add(s, |r| r.kw = true));
        ["©", "(c)"]
            .iter()
            .for_each(|s| add(s, |r| r.credit_sign = true));
        CREDIT_WORDS
            .iter()
            .for_each(|s| add(s, |r| r.credit_word = true));
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&needles)
            .expect("literal needles build");
        Finder { ac, roles }
    })
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// An ASCII word boundary before byte `i` of `t` (the regexes used `(?-u:\b)`).
fn boundary_at(t: &[u8], i: usize) -> bool {
    let before = i > 0 && is_word_byte(t[i - 1]);
    let after = i < t.len() && is_word_byte(t[i]);
    before != after
}

/// "@" at byte `i` of `t` inside an address shape: a non-space before it, and after it
/// a run of non-spaces holding a "." that has a non-space on each side. Err when the run
/// after it holds no such dot, with the byte where the run ends: no later "@" before
/// that byte can be in an address either, as its run is the rest of this one.
fn address_at(t: &str, i: usize) -> Result<bool, usize> {
    if t[..i].chars().next_back().is_none_or(char::is_whitespace) {
        return Ok(false);
    }
    let rest = &t[i + 1..];
    let run = &rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())];
    // The dot needs at least one character before it and one after it in the run.
    let dot = (run.char_indices().skip(1)).any(|(j, c)| c == '.' && j + 1 < run.len());
    if dot {
        Ok(true)
    } else {
        Err(i + 1 + run.len())
    }
}

/// Whether a credit word ending at byte `end` of `t` is followed by optional spaces
/// and ":" or "/".
fn credit_tail(t: &str, end: usize) -> bool {
    t[end..]
        .trim_start_matches(char::is_whitespace)
        .starts_with([':', '/'])
}

/// The marks of line `t`.
pub fn marks(t: &str) -> Marks {
    let f = finder();
    let b = t.as_bytes();
    let mut m = Marks::default();
    // The checks that read on from a hit are not repeated where they must fail again
    // (a later dash, an "@" later in the same run), so a line of thousands of hits
    // costs linear time, not quadratic.
    let mut dash_tried = false;
    let mut no_address_before = 0;
    for hit in f.ac.find_overlapping_iter(t) {
        let r = f.roles[hit.pattern().as_usize()];
        let (s, e) = (hit.start(), hit.end());
        if r.dash && !m.sep && !dash_tried {
            dash_tried = true;
            m.sep = t[e..].contains(DASH);
        }
        if r.at && !m.url && s >= no_address_before {
            match address_at(t, s) {
                Ok(yes) => m.url = yes,
                Err(end) => no_address_before = end,
            }
        }
        m.sep |= r.sep;
        m.url |= r.url || (r.tld && boundary_at(b, e));
        m.kw |= r.kw;
        m.credit |= r.credit_sign
            || (r.credit_word && boundary_at(b, s) && boundary_at(b, e) && credit_tail(t, e));
        if m.sep && m.url && m.kw && m.credit {
            break;
        }
    }
    m
}

/// A list item: after leading spaces, a bullet sign, or a one- or two-digit number
/// with "." or ")" and a space.
pub fn bullet(t: &str) -> bool {
    let rest = t.trim_start_matches(char::is_whitespace);
    let mut cs = rest.chars();
    let (first, second) = (cs.next(), cs.next());
    match first {
        Some('-' | '•' | '*' | '·' | '–' | '▪' | '►' | '>') => return true,
        Some(c) if c.is_ascii_digit() => {}
        // Digits of other scripts: the regex knows which are decimal (`\d`).
        Some(c) if !c.is_ascii() && c.is_numeric() => return numbered_item().is_match(rest),
        _ => return false,
    }
    let after = match second {
        Some(c) if c.is_ascii_digit() => cs.next(),
        Some(c) if !c.is_ascii() && c.is_numeric() => return numbered_item().is_match(rest),
        other => other,
    };
    matches!(after, Some('.' | ')')) && cs.next().is_some_and(char::is_whitespace)
}

fn numbered_item() -> &'static regex::Regex {
    static R: OnceLock<regex::Regex> = OnceLock::new();
    R.get_or_init(|| regex::Regex::new(r"^\d{1,2}[.)]\s").expect("valid"))
}

/// A "Label: value" line: a colon after 1 to 30 characters (the first colon), then
/// spaces, then more text.
pub fn label_colon(t: &str) -> bool {
    let mut cs = t.char_indices();
    let mut n = 0;
    let colon = loop {
        match cs.next() {
            Some((i, ':')) => break i,
            Some(_) if n < 30 => n += 1,
            _ => return false,
        }
    };
    if n == 0 {
        return false;
    }
    let rest = &t[colon + 1..];
    let value = rest.trim_start_matches(char::is_whitespace);
    value.len() < rest.len() && !value.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::{Regex, RegexBuilder};

    /// The regexes the hand-written matchers replace: their specification.
    struct Spec {
        sep: Regex,
        url: Regex,
        kw: Regex,
        credit: Regex,
        bullet: Regex,
        icolon: Regex,
    }

    fn spec() -> Spec {
        let ci = |p: &str| RegexBuilder::new(p).case_insensitive(true).build().unwrap();
        Spec {
            sep: Regex::new(r" \| | > | · | • |»|›| / | – .* – ").unwrap(),
            url: ci(r"https?:|www\.|\S@\S+\.\S|\.(com|de|org|net)(?-u:\b)"),
            kw: ci(concat!(
                r"cookie|newsletter|abonn|subscri|teilen|share|tweet|facebook|twitter|whatsapp|",
                r"instagram|pinterest|linkedin|e-mail|drucken|print|kommentar|comment|anmelden|",
                r"login|log in|sign in|sign up|registrier|impressum|datenschutz|privacy|copyright|",
                r"©|all rights|alle rechte|weiterlesen|read more|mehr zum thema|related|advertis|",
                r"anzeige|werbung|foto:|bild:|photo|image|credit|quelle:|source:|tags?:|kategorie|",
                r"category|menü|menu|suche|search|home|startseite|kontakt|contact"
            )),
            credit: ci(concat!(
                r"(©|\(c\)|(?-u:\b)(foto|fotos|bild|photo|image|credit|quelle|source|getty|dpa|afp|",
                r"reuters|imago|shutterstock|istock)(?-u:\b)\s*[:/])"
            )),
            bullet: Regex::new(r"^\s*([-•*·–▪►>]|\d{1,2}[.)]\s)").unwrap(),
            icolon: Regex::new(r"^[^:]{1,30}:\s+\S").unwrap(),
        }
    }

    fn agree(s: &Spec, t: &str) {
        let m = marks(t);
        assert_eq!(m.sep, s.sep.is_match(t), "sep {t:?}");
        assert_eq!(m.url, s.url.is_match(t), "url {t:?}");
        assert_eq!(m.kw, s.kw.is_match(t), "kw {t:?}");
        assert_eq!(m.credit, s.credit.is_match(t), "credit {t:?}");
        assert_eq!(bullet(t), s.bullet.is_match(t), "bullet {t:?}");
        assert_eq!(label_colon(t), s.icolon.is_match(t), "icolon {t:?}");
    }

    #[test]
    fn marks_of_typical_lines() {
        let s = spec();
        for t in [
            "Home | News | Sport",
            "Politik – Inland – Bayern",
            "A sentence – with one dash – and more",
            "Contact us at editor@example.org today",
            "mail@host",
            "@handle.",
            "x@y.z",
            "a@@b@c.de",
            "@a@b.c",
            " @x y@z.de",
            "a@b@c. d@e.f",
            "x – y, and – then",
            "Visit WWW.Example.COM now",
            "example.community",
            "example.de/path",
            "Foto: dpa",
            "Photos: Jane",
            "Fotos / Getty Images",
            "photography: by me",
            "(C) 2024 Some Paper",
            "© 2024",
            "MENÜ",
            "Tags: politics",
            "1. First step",
            "12) Second",
            "123. Too long",
            "  • item",
            "٣. Arabic-Indic three",
            "1٣) mixed digits",
            "Zutaten: 200 g Mehl",
            "Ingredients:",
            "A label that is far too long to be a label: value",
            ":value",
            "Time:\u{a0}20 min",
            "The council met on Tuesday evening to discuss the budget.",
            "",
        ] {
            agree(&s, t);
        }
    }

    /// Lines pieced together from the fragments the patterns turn on.
    fn line() -> impl Strategy<Value = String> {
        let parts = prop::sample::select(vec![
            " ", "  ", "\u{a0}", "\t", ":", "/", "@", ".", "(", ")", "-", "–", " – ", "|", " | ",
            ">", "»", "·", "•", "a", "x", "É", "é", "_", "1", "12", "٣", "com", "de", "net", "org",
            "Www", "http", "s", "foto", "FOTOS", "bild", "credit", "source", "dpa", "(c)", "©",
            "share", "MENÜ", "menü", "tags", "tag", "log in", "Home", "ü",
        ]);
        prop::collection::vec(parts, 0..12).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn hand_written_matchers_agree_with_their_regexes(t in line()) {
            agree(&spec(), &t);
        }
    }
}
