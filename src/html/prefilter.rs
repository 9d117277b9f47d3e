//! Cutting what can never be visible text out of the markup before the HTML parser
//! sees it: `<script>`, `<style>`, `<svg>`, `<noscript>`, `<template>`, `<iframe>`,
//! form controls and comments. On real pages they are about half of the bytes, and a byte
//! scan over them is many times faster than tokenizing them.
//!
//! Start tags are also rewritten with only what the extractor reads (role, itemprop,
//! href, open; a hiding `style` or `aria-hidden` becomes `hidden`; class and id become
//! the name of the rule their words call for, if any): attributes are most of what is
//! left, and the parser need not copy them.
//! A site file with `[html]` selectors may select on any attribute, so then tags are
//! left whole.

use memchr::memchr;

/// Elements whose whole content is skipped, with how a missing end tag is treated:
/// `true` means the element runs to the end of the page (raw text, as a parser reads
/// it), `false` that only the start tag is left for the parser to deal with.
const SKIPPED: &[(&[u8], bool)] = &[
    (b"script", true),
    (b"style", true),
    (b"noscript", true),
    (b"template", false),
    (b"iframe", true),
    (b"svg", false),
    (b"textarea", true),
    (b"button", false),
    (b"select", false),
    (b"datalist", false),
];

/// `html` without skipped elements and comments. With `slim`, also: start tags keep
/// only the attributes that matter, inline start tags with none left (`<span>`, `<b>`,
/// `<img>`, ...) go, and white space runs outside `<pre>` become one character.
/// Borrowed when there is no markup at all.
pub fn strip(html: &str, slim: bool) -> std::borrow::Cow<'_, str> {
    match strip_bytes(html.as_bytes(), slim) {
        std::borrow::Cow::Borrowed(_) => std::borrow::Cow::Borrowed(html),
        // Cuts fall before `<` and after `>`, and white space is ASCII: still UTF-8.
        std::borrow::Cow::Owned(v) => std::borrow::Cow::Owned(
            String::from_utf8(v)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        ),
    }
}

/// [`strip`] on the bytes of a page in an ASCII-compatible encoding, before decoding:
/// the markup is ASCII whatever the encoding of the text.
pub fn strip_bytes(html: &[u8], slim: bool) -> std::borrow::Cow<'_, [u8]> {
    let b = html;
    let mut out: Option<Vec<u8>> = None;
    // Bytes before `copied` are already in `out` (or skipped).
    let mut copied = 0;
    let mut i = 0;
    let text = |o: &mut Vec<u8>, s: &[u8]| {
        if slim {
            collapse_space(o, s)
        } else {
            o.extend_from_slice(s)
        }
    };
    let mut depth = 0usize;
    while let Some(k) = memchr(b'<', &b[i..]) {
        let lt = i + k;
        i = lt + 1;
        if let Some(end) = skip_at(b, lt) {
            let o = out.get_or_insert_with(|| Vec::with_capacity(html.len() / 2));
            text(o, &html[copied..lt]);
            copied = end;
            i = end;
            continue;
        }
        // Nesting past MAX_DEPTH is flattened, as browsers do: those tags go.
        let next = b.get(lt + 1).copied().unwrap_or(0);
        let closing = next == b'/' && b.get(lt + 2).is_some_and(u8::is_ascii_alphabetic);
        if !next.is_ascii_alphabetic() && !closing {
            continue;
        }
        let name_at = lt + 1 + closing as usize;
        let name = tag_name(b, name_at);
        let o = out.get_or_insert_with(|| Vec::with_capacity(html.len() / 2));
        text(o, &html[copied..lt]);
        let mark = o.len();
        // The tag as it goes to the parser (slimmed or not), where it ends, and
        // whether it is written `<x/>` (which opens nothing, in foreign content).
        let (end, verbatim, self_closing) = if slim && !closing {
            slim_tag(html, lt, o)
        } else {
            let end = tag_end(b, name_at + name.len());
            o.extend_from_slice(&html[lt..end]);
            (
                end,
                None,
                b[end - 1] == b'>' && end >= 2 && b[end - 2] == b'/',
            )
        };
        copied = end;
        i = end;
        if nests(name) && (closing || !self_closing) {
            let deep = if closing {
                let deep = depth > MAX_DEPTH;
                depth = depth.saturating_sub(1);
                deep
            } else {
                depth += 1;
                depth > MAX_DEPTH
            };
            if deep {
                o.truncate(mark);
                continue;
            }
        }
        if let Some(name) = verbatim {
            // Preformatted text is copied as it is, up to its end tag, which closes
            // the level it opened.
            let close = find_end_tag(b, end, name).unwrap_or(b.len());
            o.extend_from_slice(&html[end..close]);
            copied = close;
            i = close;
            depth = depth.saturating_sub(1);
        }
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut o) => {
            text(&mut o, &html[copied..]);
            std::borrow::Cow::Owned(o)
        }
    }
}

/// How deep elements may nest; deeper start and end tags are dropped, so a page of
/// 100,000 nested elements costs what a page of 512 does (the HTML parser's work per
/// tag grows with the depth). Chromium's parser stops nesting at the same depth.
const MAX_DEPTH: usize = 512;

/// The tag name starting at `at`.
fn tag_name(b: &[u8], at: usize) -> &[u8] {
    let n = b[at..]
        .iter()
        .position(|&c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>'))
        .unwrap_or(b.len() - at);
    &b[at..at + n]
}

/// Whether a tag opens a level of nesting that its end tag closes: not void elements,
/// and not those whose end tag is optional (an unclosed `<p>` or `<li>` is closed by
/// the next one, and counting it would drift).
fn nests(name: &[u8]) -> bool {
    let Some(lower) = Lower::of(name) else {
        return true;
    };
    !matches!(
        lower.get(),
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"keygen"
            | b"frame"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"tr"
            | b"td"
            | b"th"
            | b"option"
            | b"optgroup"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"colgroup"
            | b"caption"
            | b"rb"
            | b"rt"
            | b"rp"
            | b"rtc"
            | b"html"
            | b"head"
            | b"body"
    )
}

/// A short tag or attribute name in lower case, to match on.
struct Lower {
    buf: [u8; 16],
    len: usize,
}

impl Lower {
    /// None for names longer than any we look for.
    fn of(name: &[u8]) -> Option<Lower> {
        if name.len() > 16 {
            return None;
        }
        let mut buf = [0u8; 16];
        buf[..name.len()].copy_from_slice(name);
        buf[..name.len()].make_ascii_lowercase();
        Some(Lower {
            buf,
            len: name.len(),
        })
    }

    fn get(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// The offset after the `>` that ends the tag whose attributes start at `from`
/// (quoted attribute values may hold `>`).
fn tag_end(b: &[u8], mut i: usize) -> usize {
    let mut after_eq = false;
    while i < b.len() {
        match b[i] {
            b'>' => return i + 1,
            q @ (b'"' | b'\'') if after_eq => {
                i = memchr(q, &b[i + 1..]).map_or(b.len(), |k| i + 1 + k);
                after_eq = false;
            }
            b'=' => after_eq = true,
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {}
            _ => after_eq = false,
        }
        i += 1;
    }
    b.len()
}

/// Append `s` with each run of HTML white space as one space (outside `<pre>` they lay
/// out alike, and the parser reads a line of text with no line breaks in one go).
fn collapse_space(out: &mut Vec<u8>, s: &[u8]) {
    let b = s;
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut from = 0;
    let mut i = 0;
    while i < b.len() {
        // Most bytes are not white space: one comparison rules them out.
        if b[i] > b' ' {
            i += 1;
            continue;
        }
        if is_space(b[i]) && (b[i] != b' ' || b.get(i + 1).copied().is_some_and(is_space)) {
            let mut j = i + 1;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            out.extend_from_slice(&s[from..i]);
            out.push(b' ');
            from = j;
            i = j;
        } else {
            i += 1;
        }
    }
    out.extend_from_slice(&s[from..]);
}

/// If a skipped element or a comment starts at `lt` (a `<`), the offset just after it.
fn skip_at(b: &[u8], lt: usize) -> Option<usize> {
    let rest = &b[lt + 1..];
    if rest.starts_with(b"!--") {
        return Some(find(b, lt + 4, b"-->").map_or(b.len(), |e| e + 3));
    }
    let first = *rest.first()?;
    if !matches!(
        first.to_ascii_lowercase(),
        b's' | b'n' | b't' | b'i' | b'b' | b'd'
    ) {
        return None;
    }
    for &(name, to_end) in SKIPPED {
        if rest.len() > name.len()
            && rest[..name.len()].eq_ignore_ascii_case(name)
            && matches!(
                rest[name.len()],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>' | b'/'
            )
        {
            let from = lt + 1 + name.len();
            return match find_end_tag(b, from, name) {
                Some(e) => Some(e),
                None if to_end => Some(b.len()),
                None => None,
            };
        }
    }
    None
}

/// The offset after `</name ... >` at or after `from`, case-insensitively.
fn find_end_tag(b: &[u8], mut from: usize, name: &[u8]) -> Option<usize> {
    while let Some(k) = find(b, from, b"</") {
        let at = k + 2;
        if b.len() >= at + name.len() && b[at..at + name.len()].eq_ignore_ascii_case(name) {
            let after = at + name.len();
            match b.get(after) {
                Some(b'>') => return Some(after + 1),
                Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/') => {
                    return Some(memchr(b'>', &b[after..]).map_or(b.len(), |g| after + g + 1));
                }
                None => return Some(b.len()),
                _ => {}
            }
        }
        from = at;
    }
    None
}

/// The attribute that carries what a slimmed tag's class and id said: the name of the
/// built-in rule their words call for.
pub const RULE_ATTR: &str = "rinse-rule";

/// Elements whose text is laid out as written.
const VERBATIM: &[&[u8]] = &[b"pre", b"listing", b"xmp", b"plaintext"];

/// Inline elements that mean nothing to the extractor without attributes: their start
/// tags go (an end tag without its start tag is ignored by the parser).
fn is_bare(lower: &[u8]) -> bool {
    matches!(
        lower,
        b"span"
            | b"b"
            | b"i"
            | b"em"
            | b"strong"
            | b"font"
            | b"small"
            | b"u"
            | b"s"
            | b"big"
            | b"tt"
            | b"sub"
            | b"sup"
            | b"abbr"
            | b"cite"
            | b"mark"
            | b"time"
            | b"label"
            | b"bdi"
            | b"bdo"
            | b"q"
            | b"dfn"
            | b"kbd"
            | b"samp"
            | b"var"
            | b"del"
            | b"ins"
            | b"data"
            | b"img"
            | b"wbr"
            | b"source"
            | b"picture"
            | b"nobr"
            | b"strike"
    )
}

/// Copy the start tag at `lt` to `out` with only the attributes that matter; returns
/// the offset after it, and the tag's name when it starts preformatted text. A tag cut
/// off by the end of the page is copied as it is.
fn slim_tag(html: &[u8], lt: usize, out: &mut Vec<u8>) -> (usize, Option<&'static [u8]>, bool) {
    let b = html;
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut i = lt + 1;
    while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    let name_end = i;
    // (name, value) spans of the attributes kept, and whether the element hides.
    // At most one of each kept name counts (the parser keeps the first), so five fit.
    let mut kept = [(0usize, 0usize, 0usize, 0usize); 5];
    let mut n_kept = 0;
    let mut keep = |span| {
        if n_kept < kept.len() {
            kept[n_kept] = span;
            n_kept += 1;
        }
    };
    let mut hides = false;
    let self_closing;
    let (mut class, mut id): (Option<&[u8]>, Option<&[u8]>) = (None, None);
    loop {
        while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            out.extend_from_slice(&html[lt..]);
            return (b.len(), None, false);
        }
        if b[i] == b'>' {
            self_closing = b[i - 1] == b'/';
            i += 1;
            break;
        }
        let n0 = i;
        i += 1;
        while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let n1 = i;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        let (mut v0, mut v1) = (i, i);
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    v0 = i + 1;
                    match memchr(q, &b[v0..]) {
                        Some(k) => {
                            v1 = v0 + k;
                            i = v1 + 1;
                        }
                        None => {
                            out.extend_from_slice(&html[lt..]);
                            return (b.len(), None, false);
                        }
                    }
                }
                _ => {
                    v0 = i;
                    while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                    v1 = i;
                }
            }
        }
        let Some(name) = Lower::of(&b[n0..n1]) else {
            continue;
        };
        match name.get() {
            b"role" | b"itemprop" | b"open" | b"hidden" => keep((n0, n1, v0, v1)),
            b"class" => class = class.or(Some(&html[v0..v1])),
            b"id" => id = id.or(Some(&html[v0..v1])),
            b"href" => keep((n0, n1, n1, n1)),
            b"style" => {
                hides |= std::str::from_utf8(&html[v0..v1]).is_ok_and(super::extract::style_hides)
            }
            b"aria-hidden" => hides |= html[v0..v1].trim_ascii().eq_ignore_ascii_case(b"true"),
            _ => {}
        }
    }
    let name = &b[lt + 1..name_end];
    let lower = Lower::of(name);
    let lower = lower.as_ref().map_or(&b""[..], Lower::get);
    // Elements that never show text, whatever their attributes.
    if matches!(
        lower,
        b"link" | b"meta" | b"input" | b"col" | b"base" | b"param" | b"track"
    ) {
        return (i, None, self_closing);
    }
    let rule = class
        .and_then(super::classify::by_word_bytes)
        .or_else(|| id.and_then(super::classify::by_word_bytes));
    if n_kept == 0 && !hides && rule.is_none() && is_bare(lower) {
        return (i, None, self_closing);
    }
    out.extend_from_slice(&html[lt..name_end]);
    for &(n0, n1, v0, v1) in &kept[..n_kept] {
        out.push(b' ');
        out.extend_from_slice(&html[n0..n1]);
        if v1 > v0 {
            out.extend_from_slice(b"=\"");
            for &c in &html[v0..v1] {
                if c == b'"' {
                    out.extend_from_slice(b"&quot;");
                } else {
                    out.push(c);
                }
            }
            out.push(b'"');
        }
    }
    if let Some(rule) = rule {
        out.push(b' ');
        out.extend_from_slice(RULE_ATTR.as_bytes());
        out.push(b'=');
        out.extend_from_slice(rule.as_bytes());
    }
    if hides {
        out.extend_from_slice(b" hidden");
    }
    out.push(b'>');
    let verbatim = VERBATIM.iter().find(|n| **n == lower).copied();
    (i, verbatim, self_closing)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(&b[from.min(b.len())..], needle).map(|k| from + k)
}

#[cfg(test)]
mod tests {
    use super::{MAX_DEPTH, strip};

    #[test]
    fn cuts_invisible_elements_and_comments() {
        let s = "<p>a<script>x<y</script>b<!-- c -->d<STYLE type=x>p{}</style >e</p>";
        assert_eq!(strip(s, false), "<p>abde</p>");
        assert_eq!(strip("<p>a<svg><text>t</text></svg>b", false), "<p>ab");
        // A skipped name must be the whole tag name.
        let s = "<p><span>s</span><section>x";
        assert_eq!(strip(s, false), s);
        // Unclosed raw text runs to the end; an unclosed svg is left to the parser.
        assert_eq!(strip("a<script>b", false), "a");
        assert_eq!(strip("a<svg>b", false), "a<svg>b");
        assert_eq!(strip("a<!-- b", false), "a");
        assert_eq!(strip("<p>plain</p>", false), "<p>plain</p>");
        assert!(matches!(
            strip("plain", false),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn flattens_deep_nesting() {
        let n = MAX_DEPTH + 10;
        let deep = format!("{}x{}", "<div a='>'>".repeat(n), "</div>".repeat(n));
        let out = strip(&deep, false);
        assert_eq!(out.matches("<div").count(), MAX_DEPTH);
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH);
        // Unclosed paragraphs and void elements do not count as nesting.
        let flat = "<p>a".repeat(2 * MAX_DEPTH) + &"<br>".repeat(2 * MAX_DEPTH);
        assert_eq!(strip(&flat, false), flat);
        // Skipped elements are not counted either (their end tags are never seen).
        let many = "<script>x</script>".repeat(2 * MAX_DEPTH) + "<div>kept</div>";
        assert_eq!(strip(&many, false), "<div>kept</div>");
        let closed = "<pre>p</pre><x/>".repeat(2 * MAX_DEPTH) + "<div>kept</div>";
        assert_eq!(strip(&closed, false), closed);
    }

    #[test]
    fn slims_start_tags() {
        let s =
            r#"<div data-x="a>b" class='share bar' style="color:red"><a href=/x?a=1 title=t>l</a>"#;
        assert_eq!(strip(s, true), r#"<div rinse-rule=share><a href>l</a>"#);
        let s = r#"<p STYLE="display: none" id=x aria-hidden="true" role=main>"#;
        assert_eq!(strip(s, true), r#"<p role="main" hidden>"#);
        // A tag cut off by the end of the page stays as it was.
        assert_eq!(strip("a<p class=\"x", true), "a<p class=\"x");
        assert_eq!(strip("1 < 2 <3", true), "1 < 2 <3");
        // Bare inline tags go, white space runs shrink, preformatted text stays.
        let s = "<p>a  <b>b</b>\n\n <img src=x>c<pre class=x>  p  <b>q</b></pre>  d";
        assert_eq!(strip(s, true), "<p>a b</b> c<pre>  p  <b>q</b></pre> d");
    }
}
