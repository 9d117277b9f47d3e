//! The HTML-level rules built into rinse: which elements hold page furniture rather
//! than the article, by tag, ARIA role, or the words of their class and id.

/// The stem of the built-in HTML rules' ids: `html/nav`, `html/share`, ...
pub const STEM: &str = "html";

/// Every built-in HTML rule: name and what it removes.
pub const RULES: &[(&str, &str)] = &[
    (
        "nav",
        "<nav>, <menu> and role=navigation/menu/menubar: site navigation",
    ),
    (
        "header",
        "<header> and role=banner that hold no article: the site's masthead",
    ),
    (
        "footer",
        "<footer> and role=contentinfo that hold no article: the page footer",
    ),
    (
        "aside",
        "<aside> and role=complementary outside the article: side boxes",
    ),
    (
        "share",
        "elements whose class or id says share, sharing, social, sharebar",
    ),
    (
        "newsletter",
        "elements whose class or id says newsletter, subscribe, subscription, signup",
    ),
    (
        "cookie",
        "elements whose class or id says cookie, cookies, consent, gdpr",
    ),
    (
        "related",
        "elements whose class or id says related, recommended, recommendations",
    ),
    (
        "comments",
        "elements whose class or id says comment, comments, disqus, respond, unless together they hold most of the page's prose (a forum thread)",
    ),
    (
        "breadcrumb",
        "elements whose class or id says breadcrumb, breadcrumbs",
    ),
    ("sidebar", "elements whose class or id says sidebar"),
    (
        "advert",
        "elements whose class or id says ad, ads, advert, advertisement, sponsor, sponsored, unless they hold paragraphs of prose",
    ),
    ("promo", "elements whose class or id says promo, promotion"),
    (
        "credit",
        "caption credits: elements whose class or id says credit, credits, copyright",
    ),
    (
        "caption",
        "<figcaption> and elements whose class says caption: image captions and credits",
    ),
    (
        "screen-reader",
        "text for screen readers only: class sr-only, screen-reader-text, visually-hidden",
    ),
    (
        "outside-root",
        "everything outside the page's article root (<article>, <main>, role=main, \
         itemprop=articleBody) when that root holds most of the page's text and no \
         other root above it (or marked articleBody below it) holds a tenth",
    ),
    (
        "link-list",
        "short blocks that are almost all link text: menus, tag lists, lists of headlines",
    ),
];

/// Index of a built-in rule in [`RULES`].
pub fn index(name: &str) -> Option<usize> {
    RULES.iter().position(|(n, _)| *n == name)
}

/// Class and id words name rules (see `word_rule`). A word matches a whole token of
/// a class or id, split at anything that is not a letter or digit and at lower-to-upper
/// case changes (`social-share`, `shareBar` -> `share`, `bar`).
/// The rule a class or id value calls for, by the first of its words (or of two
/// adjacent words written together: `side-bar` -> `sidebar`) that names one.
pub fn by_words(value: &str) -> Option<&'static str> {
    by_word_bytes(value.as_bytes())
}

/// [`by_words`] on bytes (an attribute value before decoding: class and id words are
/// ASCII, other bytes only separate them).
pub fn by_word_bytes(value: &[u8]) -> Option<&'static str> {
    let b = value;
    let mut start = 0;
    let mut prev: Option<(usize, usize)> = None;
    for i in 0..=b.len() {
        let boundary = i == b.len()
            || !b[i].is_ascii_alphanumeric()
            || (i > start && b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase());
        if !boundary {
            continue;
        }
        if i > start {
            if let Some(rule) = word_rule(&value[start..i], b"") {
                return Some(rule);
            }
            if let Some((p0, p1)) = prev
                && let Some(rule) = word_rule(&value[p0..p1], &value[start..i])
            {
                return Some(rule);
            }
            prev = Some((start, i));
        }
        // A space ends a class name: words of two classes are not joined.
        if i < b.len() && b[i].is_ascii_whitespace() {
            prev = None;
        }
        start = if i < b.len() && b[i].is_ascii_alphanumeric() {
            i
        } else {
            i + 1
        };
    }
    None
}

/// The rule the word `a` followed by `b` names (`b` is empty for one word).
fn word_rule(a: &[u8], b: &[u8]) -> Option<&'static str> {
    let n = a.len() + b.len();
    if !(2..=15).contains(&n) || (!b.is_empty() && (a.len() < 2 || b.len() < 2)) {
        return None;
    }
    // Most tokens are rejected by their first two letters.
    let head = [a[0] | 0x20, a[1] | 0x20];
    if !matches!(
        &head,
        b"sh"
            | b"sr"
            | b"sc"
            | b"vi"
            | b"so"
            | b"ne"
            | b"su"
            | b"si"
            | b"co"
            | b"gd"
            | b"re"
            | b"di"
            | b"br"
            | b"ad"
            | b"sp"
            | b"pr"
            | b"cr"
            | b"ca"
            | b"fi"
    ) {
        return None;
    }
    let mut buf = [0u8; 15];
    buf[..a.len()].copy_from_slice(a);
    buf[a.len()..n].copy_from_slice(b);
    let lower = &mut buf[..n];
    lower.make_ascii_lowercase();
    // A match on byte strings compiles to a length switch, then a few comparisons.
    Some(match &*lower {
        b"share" | b"shares" | b"sharing" | b"sharebar" | b"social" => "share",
        b"newsletter" | b"newsletters" | b"subscribe" | b"subscription" | b"signup" => "newsletter",
        b"cookie" | b"cookies" | b"consent" | b"gdpr" => "cookie",
        b"related" | b"recommended" | b"recommendations" => "related",
        b"comment" | b"comments" | b"disqus" | b"respond" => "comments",
        b"breadcrumb" | b"breadcrumbs" => "breadcrumb",
        b"sidebar" => "sidebar",
        b"ad" | b"ads" | b"advert" | b"adverts" | b"advertisement" | b"advertising"
        | b"sponsor" | b"sponsored" => "advert",
        b"promo" | b"promotion" => "promo",
        b"credit" | b"credits" | b"copyright" => "credit",
        b"caption" | b"figcaption" => "caption",
        b"sronly" | b"screenreader" | b"visuallyhidden" => "screen-reader",
        _ => return None,
    })
}

/// The rule an element's tag or ARIA role calls for.
pub fn by_tag(tag: &str, role: Option<&str>) -> Option<&'static str> {
    let by_role = role.and_then(|r| {
        let r = r.trim();
        [
            ("navigation", "nav"),
            ("menu", "nav"),
            ("menubar", "nav"),
            ("banner", "header"),
            ("contentinfo", "footer"),
            ("complementary", "aside"),
        ]
        .iter()
        .find(|(n, _)| r.eq_ignore_ascii_case(n))
        .map(|&(_, rule)| rule)
    });
    by_role.or(match tag {
        "nav" | "menu" => Some("nav"),
        "header" => Some("header"),
        "figcaption" => Some("caption"),
        "footer" => Some("footer"),
        "aside" => Some("aside"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_whole_tokens() {
        assert_eq!(by_words("post social-share"), Some("share"));
        assert_eq!(by_words("shareBar"), Some("share"));
        assert_eq!(by_words("entry-comments"), Some("comments"));
        assert_eq!(by_words("ad-slot"), Some("advert"));
        assert_eq!(by_words("side-bar"), Some("sidebar"));
        assert_eq!(by_words("sr-only"), Some("screen-reader"));
        assert_eq!(by_words("screen-reader-text"), Some("screen-reader"));
        assert_eq!(by_words("sideBar"), Some("sidebar"));
        // Two class names are not one word.
        assert_eq!(by_words("side bar"), None);
        // Words inside longer words are not words.
        assert_eq!(by_words("shadow header-loader"), None);
        assert_eq!(by_words("commentary"), None);
        assert_eq!(by_words("download"), None);
        assert_eq!(by_words("readability"), None);
        assert_eq!(by_words(""), None);
    }

    #[test]
    fn every_word_names_a_rule() {
        for w in [
            "share",
            "newsletter",
            "cookie",
            "related",
            "comment",
            "breadcrumb",
        ] {
            assert!(
                index(word_rule(w.as_bytes(), b"").unwrap()).is_some(),
                "{w}"
            );
        }
        for w in ["sidebar", "ad", "promo", "credit"] {
            assert!(
                index(word_rule(w.as_bytes(), b"").unwrap()).is_some(),
                "{w}"
            );
        }
        assert_eq!(by_tag("div", Some("Navigation")), Some("nav"));
        assert_eq!(by_tag("aside", None), Some("aside"));
    }
}
