//! HTML input: decode (byte-order mark, `--encoding`, `<meta charset>`, UTF-8,
//! detection), cut what is never visible, parse with `scraper` (html5ever), lay the
//! page out as text, and claim the lines of page furniture for HTML-level rules so the
//! text pipeline records them as removals with ids.

pub mod charset;
pub mod classify;
pub mod extract;
pub mod prefilter;

pub use extract::Extracted;

use crate::input::{Decoded, Hints, decode_with};
use std::sync::Arc;

/// A CSS selector from a site file's `[html]` table, with the rule id its removals get.
#[derive(Debug, Clone)]
pub struct SiteSelector {
    pub selector: scraper::Selector,
    /// The selector as written.
    pub source: String,
    pub id: Arc<str>,
}

/// The HTML-level rules that apply to one document.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Built-in rules that are on, by index in [`classify::RULES`].
    on: Vec<bool>,
    /// `html/<name>` for each built-in rule, allocated once.
    ids: Vec<Arc<str>>,
    builtin_any: bool,
    /// Site `root` selectors: only text inside them is kept.
    pub root: Vec<SiteSelector>,
    /// Site `drop` selectors.
    pub drop: Vec<SiteSelector>,
}

impl Default for Settings {
    /// No built-in rules, no site selectors: extraction only.
    fn default() -> Self {
        Settings::new(false, &[])
    }
}

impl Settings {
    /// The built-in rules on (`defaults`) or off, less the `disabled` ids.
    pub fn new(defaults: bool, disabled: &[&str]) -> Self {
        let ids: Vec<Arc<str>> = classify::RULES
            .iter()
            .map(|(n, _)| Arc::from(format!("{}/{n}", classify::STEM)))
            .collect();
        let on: Vec<bool> = ids
            .iter()
            .map(|id| defaults && !disabled.contains(&&**id))
            .collect();
        Settings {
            builtin_any: on.iter().any(|&b| b),
            on,
            ids,
            root: Vec::new(),
            drop: Vec::new(),
        }
    }

    /// Whether built-in rule `name` is on.
    pub fn builtin_on(&self, name: &str) -> bool {
        classify::index(name).is_some_and(|i| self.on[i])
    }

    fn outside_root_on(&self) -> bool {
        self.builtin_on("outside-root")
    }
}

/// Every HTML-level rule id: the built-in ones and each `[html]` selector of `files`.
pub fn rule_ids(files: &[crate::rules::RuleFile]) -> impl Iterator<Item = String> + '_ {
    classify::RULES
        .iter()
        .map(|(n, _)| format!("{}/{n}", classify::STEM))
        .chain(files.iter().flat_map(|f| {
            f.html_root
                .iter()
                .chain(&f.html_drop)
                .map(|s| s.id.to_string())
        }))
}

/// Decode an HTML page: a byte-order mark, then `--encoding`, then the page's own
/// `<meta charset>`, then valid UTF-8, then detection.
pub fn decode<'a>(bytes: &'a [u8], hints: &Hints) -> Decoded<'a> {
    let mut hints = *hints;
    if hints.forced.is_none() {
        hints.declared = charset::declared(bytes);
    }
    decode_with(bytes, &hints)
}

/// A page from its bytes: its visible text, the lines HTML-level rules claim, the
/// encoding it was read in and the characters decoding replaced. In an ASCII-compatible
/// encoding (all but UTF-16 and the ISO-2022 family) the markup is cut before decoding,
/// so only what is left is decoded.
pub fn page(bytes: &[u8], hints: &Hints, settings: &Settings) -> (Extracted, &'static str, usize) {
    let mut hints = *hints;
    if hints.forced.is_none() {
        hints.declared = charset::declared(bytes);
    }
    let compatible =
        |e: Option<&'static encoding_rs::Encoding>| e.is_none_or(|e| e.is_ascii_compatible());
    let bom = encoding_rs::Encoding::for_bom(bytes).map(|(e, _)| e);
    if compatible(bom)
        && compatible(hints.forced)
        && compatible(hints.declared)
        && memchr::memchr(0x1B, bytes).is_none()
    {
        let stripped = prefilter::strip_bytes(bytes, slim(settings));
        let d = decode_with(&stripped, &hints);
        return (extract::extract(&d.text, settings), d.encoding, d.replaced);
    }
    let d = decode_with(bytes, &hints);
    (extract(&d.text, settings), d.encoding, d.replaced)
}

/// Tags keep only what the built-in rules read, unless site selectors may read more.
fn slim(settings: &Settings) -> bool {
    settings.root.is_empty() && settings.drop.is_empty()
}

/// The page's visible text and the lines HTML-level rules claim.
pub fn extract(html: &str, settings: &Settings) -> Extracted {
    extract::extract(&prefilter::strip(html, slim(settings)), settings)
}

/// Whether bytes read from a stream look like an HTML page (for `-` with `auto`, and a
/// JSONL record's field): after a byte-order mark (its encoding read), white space, an
/// XML declaration and comments, a tag that only a page starts with. A fragment
/// (`<p>`, `<div>`) is not enough: Markdown and prose about markup start so too.
pub fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let decoded = match encoding_rs::Encoding::for_bom(head) {
        Some((enc, len)) => enc.decode_without_bom_handling(&head[len..]).0,
        None => String::from_utf8_lossy(head),
    };
    let mut b = decoded.as_bytes().trim_ascii_start();
    if let Some(decl) = b.strip_prefix(b"<?xml") {
        match memchr::memmem::find(decl, b"?>") {
            Some(end) => b = decl[end + 2..].trim_ascii_start(),
            None => return false,
        }
    }
    // Comments before the page (a generator's note) say nothing either way.
    while let Some(comment) = b.strip_prefix(b"<!--") {
        match memchr::memmem::find(comment, b"-->") {
            Some(end) => b = comment[end + 3..].trim_ascii_start(),
            None => return false,
        }
    }
    [
        &b"<!doctype html"[..],
        b"<html",
        b"<head",
        b"<body",
        b"<meta",
        b"<title",
    ]
    .iter()
    .any(|p| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::decode::Source;

    fn text(html: &str) -> String {
        let t = extract(html, &Settings::default()).text;
        t.strip_suffix('\n').unwrap_or(&t).to_string()
    }

    #[test]
    fn lays_out_like_a_browser() {
        assert_eq!(
            text("<p>One  <b>two</b>\n three</p><p>Four</p>"),
            "One two three\n\nFour"
        );
        assert_eq!(text("<div>a</div><div>b<br>c</div>"), "a\nb\nc");
        assert_eq!(text("<ul><li>x</li><li> y </li></ul>"), "x\n\ny");
        assert_eq!(text("<h2>Title</h2>Text"), "Title\n\nText");
        assert_eq!(text("<pre>  a\n    b</pre>"), "  a\n    b");
        assert_eq!(
            text("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>"),
            "1\t2\n3"
        );
        assert_eq!(
            text(
                "<p>a<script>x</script><span hidden>h</span><span style='display: none'>h\
                 </span><i aria-hidden=true>h</i><input value=v><button>b</button>c</p>"
            ),
            "ac"
        );
        assert_eq!(text("no body at all"), "no body at all");
    }

    #[test]
    fn declared_charset_ranks_below_forced_and_above_detection() {
        let page = b"<meta charset=windows-1252><p>caf\xe9";
        let d = decode(page, &Hints::default());
        assert_eq!((d.source, d.encoding), (Source::Declared, "windows-1252"));
        assert!(d.text.ends_with("café"));
        let forced = Hints {
            forced: Some(encoding_rs::ISO_8859_2),
            ..Hints::default()
        };
        assert_eq!(decode(page, &forced).source, Source::Forced);
        let bom = b"\xEF\xBB\xBF<meta charset=windows-1252><p>caf\xC3\xA9";
        let d = decode(bom, &Hints::default());
        assert_eq!((d.source, d.text.ends_with("café")), (Source::Bom, true));
    }

    #[test]
    fn bytes_and_text_give_the_same_page() {
        let page_of = |b: &[u8]| {
            let t = page(b, &Hints::default(), &Settings::new(true, &[])).0.text;
            t.trim_end().to_string()
        };
        let html = "<meta charset=shift_jis><nav>メニュー</nav><p>日本語の  文章。</p>";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(html);
        assert_eq!(page_of(&sjis), "メニュー\n\n日本語の 文章。");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(html.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        // UTF-16 is decoded before the markup is cut; its byte-order mark outranks the
        // page's declaration.
        assert_eq!(page_of(&utf16), "メニュー\n\n日本語の 文章。");
    }

    #[test]
    fn the_outside_of_a_root_goes_unless_another_root_may_be_the_story() {
        let story = "The council voted on Tuesday to keep the old library open for another \
            ten years, after a campaign by readers who collected signatures all summer long.";
        let comment = "I have read in that library since I was a child and I am glad the \
            council listened to the people who use it every single week of the year.";
        let comments = format!("<p>{comment}</p>").repeat(6);
        let claimed = |html: &str| -> Vec<String> {
            let page = extract(html, &Settings::new(true, &[]));
            let lines: Vec<&str> = page.text.split('\n').collect();
            let mut ids: Vec<String> = page
                .claims
                .iter()
                .filter(|(i, _)| lines[*i].contains("council"))
                .map(|(_, id)| id.to_string())
                .collect();
            ids.dedup();
            ids
        };
        // The comments hold most of the text: as the only root, all else is residue,
        // and so is a teaser in an <article> of its own below them...
        let alone = format!("<main>{comments}</main><div><p>{story}</p></div>");
        assert_eq!(claimed(&alone), ["html/outside-root"]);
        let below = format!("<main>{comments}</main><article><p>{story}</p></article>");
        assert_eq!(claimed(&below), ["html/outside-root"]);
        // ...but a story marked articleBody, or an article above them (further up than
        // a lead), may be the article: which one is, is unclear.
        let body = format!("<main>{comments}</main><div itemprop=articleBody><p>{story}</p></div>");
        assert_eq!(claimed(&body), Vec::<String>::new());
        let menu = "<p>Menu entry</p>".repeat(10);
        let above = format!("<article><p>{story}</p></article>{menu}<main>{comments}</main>");
        assert_eq!(claimed(&above), Vec::<String>::new());
    }

    #[test]
    fn an_ad_class_on_sections_of_prose_does_not_claim_them() {
        let prose = "The grill heats the steak from above with a ceramic burner, which reaches \
            very high temperatures within a few minutes, and the fat drips into a tray below \
            that goes into the dishwasher afterwards, so cleaning it takes little time at all \
            once it has cooled down.";
        let html = format!(
            "<article><section class=\"Report__Section--Ads\"><h2>Heat</h2><p>{prose}</p>\
             <div class=\"ad-slot\">Advertisement</div></section>\
             <section class=\"Report__Section--Ads\"><h2>Cleaning</h2><p>{prose}</p></section>\
             <section class=\"Report__Section--Ads\"><h2>Verdict</h2><p>{prose}</p></section>\
             </article>"
        );
        let page = extract(&html, &Settings::new(true, &[]));
        let lines: Vec<&str> = page.text.split('\n').collect();
        let claimed: Vec<(&str, &str)> = page
            .claims
            .iter()
            .map(|(i, id)| (lines[*i], &**id))
            .collect();
        assert_eq!(claimed, [("Advertisement", "html/advert")]);
    }

    #[test]
    fn class_words_claim_furniture_not_sentences_or_prose() {
        let kept = |html: &str| {
            let page = extract(html, &Settings::new(true, &[]));
            let lines: Vec<String> = page.text.lines().map(String::from).collect();
            let claimed: Vec<&str> = page.claims.iter().map(|(i, _)| &*lines[*i]).collect();
            let kept: Vec<&str> = lines
                .iter()
                .map(String::as_str)
                .filter(|l| !l.is_empty() && !claimed.contains(l))
                .collect();
            kept.join("\n")
        };
        assert_eq!(
            kept(
                "<p>Read the <a class=share-link href=#>full report</a> before the vote, \
                  an <span class=ad-hoc>ad hoc</span> group said.</p>"
            ),
            "Read the full report before the vote, an ad hoc group said."
        );
        // A furniture element at the end of a line of labels, or in a row of links, is
        // still a line of its own, and goes.
        assert_eq!(
            kept(
                "<p>May 3, 2024 | <a class=comments-link href=#>Leave a comment</a></p>\
                  <div><a class=share-fb href=#>Facebook</a> <a class=share-x href=#>X</a></div>\
                  <p>The story itself.</p>"
            ),
            "May 3, 2024 |\nThe story itself."
        );
        // Nor is a bar of links set off by line breaks, or one that breaks lines inside.
        assert_eq!(
            kept(
                "<div>The story itself.<br>Share this: <span class=share-buttons><a href=#>\
                  Facebook</a> <a href=#>Email</a></span><br>More of it.</div>\
                  <p>Text <span class=share-bar><a>Facebook</a><br><a>Email</a></span> and \
                  more.</p>"
            ),
            "The story itself.\nShare this:\nMore of it.\nText\nand more."
        );
        // The sentence's punctuation after it continues the sentence.
        assert_eq!(
            kept("<p>The mayor named an <span class=ad-hoc>ad hoc committee</span>.</p>"),
            "The mayor named an ad hoc committee."
        );
    }

    #[test]
    fn comments_that_hold_most_of_the_prose_are_the_page() {
        let post = |who: &str| {
            format!(
                "<div class=\"comment\"><p>{who}</p><p>Since the last update my phone cannot \
                 reach the store over mobile data any more, only over the wireless network \
                 at home, and I changed no setting that I know of.</p></div>"
            )
        };
        let story = "<p>The council voted on Tuesday to keep the old library open for another \
            ten years, after a campaign by readers who collected signatures all summer long, \
            and the mayor thanked the staff for keeping the reading rooms open.</p>";
        let claimed = |html: &str| -> Vec<String> {
            let page = extract(html, &Settings::new(true, &[]));
            let mut ids: Vec<String> = page.claims.iter().map(|(_, id)| id.to_string()).collect();
            ids.dedup();
            ids
        };
        // Below an article, a thread of comments is residue...
        let article = format!("<article>{story}{story}{story}</article>{}", post("Anna"));
        assert_eq!(claimed(&article), ["html/comments"]);
        // ...but a forum thread, every post marked as a comment, is the page.
        let forum = format!(
            "<h1>No store access</h1>{}{}{}",
            post("Anna"),
            post("Ben"),
            post("Cleo")
        );
        assert_eq!(claimed(&forum), Vec::<String>::new());
    }

    #[test]
    fn sniffs_html() {
        assert!(sniff(b"\n <!DOCTYPE html><p>x"));
        assert!(sniff(b"<html lang=en>"));
        assert!(!sniff(b"Just text <b>"));
        // Comments before a page are passed over; a fragment, Markdown that starts with
        // markup, or a comment before text is no page.
        assert!(sniff(b"<!-- built 2024 -->\n<!DOCTYPE html><p>x"));
        assert!(!sniff(b"<!-- generated -->\nfirst line"));
        assert!(!sniff(
            b"<p align=\"center\"><img src=logo.png></p>\n\n# fastthing"
        ));
        assert!(!sniff(b"<div> vs <span>: when should I use which?"));
        assert!(sniff(b"<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC"));
        assert!(!sniff(b"<?xml version=\"1.0\"?><rss>"));
        let utf16: Vec<u8> = "\u{feff}<html><p>x"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(sniff(&utf16));
    }
}
