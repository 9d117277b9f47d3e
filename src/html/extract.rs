//! HTML to text the way a browser lays it out (`innerText`): block elements break
//! lines, `<p>` stands apart as a paragraph, inline white space collapses, `<pre>` is
//! kept as written, table cells are separated by tabs and rows by lines. What is not
//! rendered (scripts, styles, form controls, hidden elements) is left out silently.
//!
//! Alongside the text, every element an HTML-level rule names (a `<nav>`, a share box,
//! a site's `drop` selector) is recorded with the span of text it produced, and each
//! such element starts and ends its own lines, so a rule claims whole lines. The
//! claims are decided once the whole page is seen, with guards that need the page's
//! totals (never claim the element that holds the article).

use super::Settings;
use super::classify;
use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node};
use std::sync::Arc;

/// The visible text of a page, one block per line, and the lines HTML-level rules
/// claim: `(0-based line index, rule id)`, in line order.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub text: String,
    pub claims: Vec<(usize, Arc<str>)>,
}

/// A root holding at least this share of the page's text makes the rest residue.
const ROOT_SHARE: f64 = 0.4;
/// ...unless a root that may be the story instead (see `root` below) holds this share.
const RIVAL_SHARE: f64 = 0.1;
/// A class/id or structural element holding more than this share of the page's text
/// is a wrapper, not furniture: it is never claimed.
const MAX_CLAIM_SHARE: f64 = 0.5;
/// A line whose text is at least this share link text...
const LINK_DENSITY: f64 = 0.8;
/// ...and has at most this many words is a link list entry...
const LINK_LINE_WORDS: usize = 12;
/// ...in a run of at least this many such lines.
const LINK_RUN: usize = 3;
/// Captions of more words than this are prose, not credits.
const CAPTION_WORDS: usize = 20;
/// An element called an ad by its class that holds this many words of prose is not one.
const AD_PROSE_WORDS: usize = 40;
/// Prose lines this close above an article root are its lead, not residue.
const LEAD_LINES: usize = 8;

/// A paragraph of prose: enough words, little link text.
fn is_prose(l: &LineInfo) -> bool {
    l.words >= 12 && (l.link_bytes as f64) < 0.5 * l.bytes as f64
}

/// Extract `html` (already stripped of invisible elements or not: both work).
pub fn extract(html: &str, settings: &Settings) -> Extracted {
    let doc = Html::parse_document(html);
    let mut w = Walker::new(settings);
    let mut skip: Option<NodeId> = None;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skip.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => w.text(t),
                    Node::Element(el) => {
                        let attrs = Attrs::of(el);
                        if attrs.hidden || invisible(el) || (el.name() == "dialog" && !attrs.open) {
                            skip = Some(node.id());
                        } else {
                            w.open(node, el, &attrs);
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skip {
                    if id == node.id() {
                        skip = None;
                    }
                    continue;
                }
                if let Node::Element(el) = node.value() {
                    w.close(node, el);
                }
            }
        }
    }
    w.finish()
}

/// The attributes the extractor reads, found in one pass.
#[derive(Default)]
struct Attrs<'a> {
    /// The built-in rule the class or id words call for.
    words: Option<&'static str>,
    role: Option<&'a str>,
    itemprop: Option<&'a str>,
    href: bool,
    open: bool,
    /// `hidden`, `aria-hidden="true"`, or an inline style with `display:none` or
    /// `visibility:hidden`.
    hidden: bool,
}

impl<'a> Attrs<'a> {
    fn of(el: &'a scraper::node::Element) -> Self {
        let mut a = Attrs::default();
        let (mut class, mut id) = (None, None);
        for (name, value) in el.attrs() {
            match name {
                "class" => class = Some(value),
                "id" => id = Some(value),
                super::prefilter::RULE_ATTR => {
                    a.words = classify::RULES
                        .iter()
                        .find(|(n, _)| *n == value)
                        .map(|&(n, _)| n);
                }
                "role" => a.role = Some(value),
                "itemprop" => a.itemprop = Some(value),
                "href" => a.href = true,
                "open" => a.open = true,
                "hidden" => a.hidden = true,
                "aria-hidden" => a.hidden |= value.trim().eq_ignore_ascii_case("true"),
                "style" => a.hidden |= style_hides(value),
                _ => {}
            }
        }
        if a.words.is_none() {
            a.words = class
                .and_then(classify::by_words)
                .or_else(|| id.and_then(classify::by_words));
        }
        a
    }
}

/// Whether the element is inside a sentence: words of its parent's own text on both
/// sides in the same line (or the sentence's punctuation right after it), and no line
/// break inside it. Not at the end of a line of labels (`Allgemein | <a
/// class=comments>Leave a comment</a>`), nor one of a row of links, nor a bar of them
/// set off by `<br>`.
fn in_running_text(node: NodeRef<'_, Node>) -> bool {
    let breaks = |n: NodeRef<'_, Node>| {
        n.value()
            .as_element()
            .is_some_and(|e| layout(e.name()) != Layout::Inline)
    };
    if node.descendants().skip(1).any(breaks) {
        return false;
    }
    // The nearest text of the same line on one side that `holds` accepts.
    let side = |mut sibs: Box<dyn Iterator<Item = NodeRef<'_, Node>> + '_>,
                holds: &dyn Fn(&str) -> bool| {
        sibs.find_map(|n| {
            if breaks(n) {
                return Some(false);
            }
            let t = n.value().as_text()?;
            holds(t).then_some(true)
        })
        .unwrap_or(false)
    };
    let words = |t: &str| t.chars().any(char::is_alphabetic);
    let goes_on = |t: &str| {
        let t = t.trim_start();
        words(t) || t.starts_with(['.', ',', ';', ':', '!', '?', ')', '»', '"', '’', '”'])
    };
    side(Box::new(node.prev_siblings()), &words) && side(Box::new(node.next_siblings()), &goes_on)
}

/// Elements that are never rendered as text.
fn invisible(el: &scraper::node::Element) -> bool {
    matches!(
        el.name(),
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "audio"
            | "video"
            | "input"
            | "button"
            | "select"
            | "textarea"
            | "option"
            | "optgroup"
            | "datalist"
            | "map"
            | "title"
    )
}

pub(crate) fn style_hides(style: &str) -> bool {
    style.split(';').any(|decl| {
        let Some((prop, val)) = decl.split_once(':') else {
            return false;
        };
        let (prop, val) = (prop.trim(), val.trim());
        let val = val
            .strip_suffix("!important")
            .map_or(val, str::trim_end)
            .trim();
        (prop.eq_ignore_ascii_case("display") && val.eq_ignore_ascii_case("none"))
            || (prop.eq_ignore_ascii_case("visibility") && val.eq_ignore_ascii_case("hidden"))
    })
}

/// How an element lays out its content.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    Inline,
    /// A line of its own.
    Block,
    /// A paragraph: a blank line before and after.
    Para,
    Cell,
    Br,
}

fn layout(tag: &str) -> Layout {
    match tag {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" => Layout::Para,
        "address" | "article" | "aside" | "blockquote" | "body" | "center" | "dd" | "details"
        | "dialog" | "dir" | "div" | "dl" | "dt" | "fieldset" | "figcaption" | "figure"
        | "footer" | "form" | "header" | "hgroup" | "hr" | "html" | "legend" | "listing"
        | "main" | "menu" | "nav" | "ol" | "plaintext" | "pre" | "search" | "section"
        | "summary" | "ul" | "xmp" | "table" | "tr" | "caption" | "frameset" | "frame" => {
            Layout::Block
        }
        "td" | "th" => Layout::Cell,
        "br" => Layout::Br,
        _ => Layout::Inline,
    }
}

/// An element some rule may claim, or a possible article root, with the span of
/// text (in bytes written) it produced.
struct Candidate {
    start: usize,
    end: usize,
    /// Built-in rule its tag or role names.
    builtin: Option<&'static str>,
    /// Built-in rule its class or id names.
    words: Option<&'static str>,
    /// `<article>`, `<main>`, role=main, itemprop=articleBody; the rank says which is
    /// preferred among roots of the same size (articleBody first).
    root: Option<u8>,
    /// Inside an `<article>` (or one itself).
    in_article: bool,
    site_drop: Option<usize>,
    site_root: bool,
}

/// One line with text.
struct LineInfo {
    /// 0-based line index in the output.
    no: usize,
    /// Bytes written before the line.
    at: usize,
    bytes: usize,
    link_bytes: usize,
    words: usize,
    heading: bool,
    /// A table row of more than one cell.
    cells: bool,
}

struct Walker<'s> {
    settings: &'s Settings,
    text: String,
    /// 0-based index of the line being written.
    line_no: usize,
    /// The current line holds text.
    line_has: bool,
    space: bool,
    tab: bool,
    /// Required line breaks before the next text (1: a new line, 2: a blank line too).
    breaks: u8,
    /// Bytes of visible text written so far (no separators): spans are measured in it.
    written: usize,
    lines: Vec<LineInfo>,
    candidates: Vec<Candidate>,
    /// Open candidates: (element, index in `candidates`).
    open: Vec<(NodeId, usize)>,
    pre: usize,
    links: usize,
    headings: usize,
    articles: usize,
}

impl<'s> Walker<'s> {
    fn new(settings: &'s Settings) -> Self {
        Walker {
            settings,
            text: String::new(),
            line_no: 0,
            line_has: false,
            space: false,
            tab: false,
            breaks: 0,
            written: 0,
            lines: Vec::new(),
            candidates: Vec::new(),
            open: Vec::new(),
            pre: 0,
            links: 0,
            headings: 0,
            articles: 0,
        }
    }

    fn brk(&mut self, n: u8) {
        if self.written > 0 {
            self.breaks = self.breaks.max(n);
        }
    }

    fn newline(&mut self) {
        self.text.push('\n');
        self.line_no += 1;
        self.line_has = false;
    }

    /// Apply pending breaks before more text.
    fn flush_breaks(&mut self) {
        if self.breaks > 0 {
            let n = if self.line_has {
                self.breaks
            } else {
                self.breaks - 1
            };
            for _ in 0..n {
                self.newline();
            }
            self.breaks = 0;
            self.space = false;
            self.tab = false;
        }
    }

    /// Write one run of visible text that holds no line break.
    fn put(&mut self, s: &str) {
        self.flush_breaks();
        if !self.line_has {
            self.line_has = true;
            self.lines.push(LineInfo {
                no: self.line_no,
                at: self.written,
                bytes: 0,
                link_bytes: 0,
                words: 0,
                heading: self.headings > 0,
                cells: false,
            });
        } else if self.tab {
            self.text.push('\t');
            if let Some(l) = self.lines.last_mut() {
                l.cells = true;
            }
        } else if self.space {
            self.text.push(' ');
        }
        self.space = false;
        self.tab = false;
        if s.contains(['\u{2028}', '\u{2029}']) {
            self.text
                .push_str(&s.replace(['\u{2028}', '\u{2029}'], " "));
        } else {
            self.text.push_str(s);
        }
        self.written += s.len();
        let line = self.lines.last_mut().expect("a line was started");
        line.bytes += s.len();
        if self.links > 0 {
            line.link_bytes += s.len();
        }
    }

    fn text(&mut self, t: &str) {
        if self.pre > 0 {
            return self.pre_text(t);
        }
        let is_ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
        let mut rest = t;
        loop {
            let trimmed = rest.trim_start_matches(is_ws);
            if trimmed.len() < rest.len() && self.line_has {
                self.space = true;
            }
            rest = trimmed;
            if rest.is_empty() {
                break;
            }
            let end = rest.find(is_ws).unwrap_or(rest.len());
            self.put(&rest[..end]);
            if let Some(line) = self.lines.last_mut() {
                line.words += 1;
            }
            rest = &rest[end..];
        }
    }

    /// Text in `<pre>`: as written, each line break a line.
    fn pre_text(&mut self, t: &str) {
        for (i, seg) in t.split('\n').enumerate() {
            if i > 0 {
                self.flush_breaks();
                self.newline();
            }
            let seg = seg.strip_suffix('\r').unwrap_or(seg);
            if !seg.is_empty() {
                self.put(seg);
                if let Some(line) = self.lines.last_mut() {
                    line.words += seg.split_whitespace().count();
                }
            }
        }
    }

    fn open(&mut self, node: NodeRef<'_, Node>, el: &scraper::node::Element, attrs: &Attrs) {
        let tag = el.name();
        self.candidate_open(node, attrs, tag);
        match layout(tag) {
            Layout::Inline => {}
            Layout::Block => self.brk(1),
            Layout::Para => self.brk(2),
            Layout::Cell => {
                if self.line_has && self.breaks == 0 {
                    self.tab = true;
                }
            }
            Layout::Br => {
                self.flush_breaks();
                self.newline();
                self.space = false;
            }
        }
        match tag {
            "pre" | "listing" | "xmp" | "plaintext" | "textarea" => self.pre += 1,
            "a" if attrs.href => self.links += 1,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.headings += 1,
            "article" => self.articles += 1,
            _ => {}
        }
    }

    fn close(&mut self, node: NodeRef<'_, Node>, el: &scraper::node::Element) {
        let tag = el.name();
        match tag {
            "pre" | "listing" | "xmp" | "plaintext" | "textarea" => self.pre -= 1,
            "a" if el.attrs().any(|(n, _)| n == "href") => self.links -= 1,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.headings -= 1,
            "article" => self.articles -= 1,
            _ => {}
        }
        match layout(tag) {
            Layout::Block => self.brk(1),
            Layout::Para => self.brk(2),
            _ => {}
        }
        if let Some(&(id, k)) = self.open.last()
            && id == node.id()
        {
            self.open.pop();
            self.candidates[k].end = self.written;
            self.brk(1);
        }
    }

    fn candidate_open(&mut self, node: NodeRef<'_, Node>, attrs: &Attrs, tag: &str) {
        let s = self.settings;
        let mut builtin = None;
        let mut words = None;
        let mut root = None;
        if s.builtin_any {
            let role = attrs.role;
            builtin = classify::by_tag(tag, role);
            words = attrs.words;
            root = match tag {
                "article" => Some(1),
                "main" => Some(2),
                _ => None,
            };
            if attrs
                .itemprop
                .is_some_and(|v| v.split_ascii_whitespace().any(|t| t == "articleBody"))
            {
                root = Some(0);
            } else if root.is_none() && role.is_some_and(|r| r.trim() == "main") {
                root = Some(2);
            }
            builtin = builtin.filter(|b| s.builtin_on(b));
            words = words.filter(|b| s.builtin_on(b));
        }
        let (mut site_drop, mut site_root) = (None, false);
        if !s.drop.is_empty() || !s.root.is_empty() {
            let eref = ElementRef::wrap(node).expect("an element");
            site_drop = s.drop.iter().position(|d| d.selector.matches(&eref));
            site_root = s.root.iter().any(|r| r.selector.matches(&eref));
        }
        if builtin.is_none()
            && words.is_none()
            && root.is_none()
            && site_drop.is_none()
            && !site_root
        {
            return;
        }
        // An inline element (a link, a `<span>`) inside a sentence, named only by its
        // class or id words, is no furniture: a word like `share-link` or `ad-hoc` there
        // neither splits the sentence nor takes its words.
        if builtin.is_none()
            && root.is_none()
            && site_drop.is_none()
            && !site_root
            && layout(tag) == Layout::Inline
            && in_running_text(node)
        {
            return;
        }
        self.brk(1);
        self.open.push((node.id(), self.candidates.len()));
        self.candidates.push(Candidate {
            start: self.written,
            end: usize::MAX,
            builtin,
            words,
            root,
            in_article: self.articles > 0 || tag == "article",
            site_drop,
            site_root,
        });
    }

    fn finish(mut self) -> Extracted {
        // Elements left open (none, after a parser closed them all) end at the end.
        for (_, k) in std::mem::take(&mut self.open) {
            self.candidates[k].end = self.written;
        }
        let total = self.written;
        let s = self.settings;
        let mut claim: Vec<Option<Arc<str>>> = vec![None; self.lines.len()];
        let lines = &self.lines;
        let mark = |claim: &mut Vec<Option<Arc<str>>>, start: usize, end: usize, id: &Arc<str>| {
            let from = lines.partition_point(|l| l.at < start);
            let to = lines.partition_point(|l| l.at < end);
            for c in &mut claim[from..to] {
                if c.is_none() {
                    *c = Some(id.clone());
                }
            }
        };
        // The article root: a site's, or the smallest built-in one holding most text.
        let site_roots: Vec<(usize, usize)> = self
            .candidates
            .iter()
            .filter(|c| c.site_root)
            .map(|c| (c.start, c.end))
            .collect();
        let root: Option<(usize, usize)> = if !site_roots.is_empty() || !s.outside_root_on() {
            None
        } else {
            let holding = |share: f64| {
                self.candidates.iter().filter(move |c| {
                    c.root.is_some() && (c.end - c.start) as f64 >= share * total as f64
                })
            };
            holding(ROOT_SHARE)
                .min_by_key(|c| (c.end - c.start, c.root))
                .map(|c| (c.start, c.end))
                // Another root of a fair share that may be the story instead: one above
                // it (the page's first article, with a second one or comments marked
                // as main below), or one marked articleBody anywhere beside it. Then
                // the text heuristics judge the lines. A teaser or a comment in its own
                // <article> below the story is no rival.
                .filter(|&(a, b)| {
                    !holding(RIVAL_SHARE).any(|c| c.end <= a || (b <= c.start && c.root == Some(0)))
                })
        };
        // Root spans, sorted and without duplicates (nested roots of one text): an
        // element holds a root when one starts inside it, or one of the same start
        // ends inside it.
        let mut roots: Vec<(usize, usize)> = self
            .candidates
            .iter()
            .filter(|r| (r.root.is_some() || r.site_root) && r.end > r.start)
            .map(|r| (r.start, r.end))
            .collect();
        roots.sort_unstable();
        roots.dedup();
        let contains_root = |c: &Candidate| {
            let k = roots.partition_point(|r| r.0 < c.start);
            if roots.get(k).is_some_and(|r| r.0 == c.start && r.1 <= c.end) {
                return true;
            }
            let k = roots.partition_point(|r| r.0 <= c.start);
            roots.get(k).is_some_and(|r| r.0 < c.end)
        };
        // The page's longest paragraph of prose: whatever holds it is not furniture.
        let longest = self
            .lines
            .iter()
            .filter(|l| (l.link_bytes as f64) < 0.5 * l.bytes as f64)
            .max_by_key(|l| l.words)
            .map(|l| l.at);
        // Words of prose before each line, to measure an element's share of the prose.
        let mut prose_before = Vec::with_capacity(self.lines.len() + 1);
        prose_before.push(0usize);
        for l in &self.lines {
            let p = if is_prose(l) { l.words } else { 0 };
            prose_before.push(prose_before.last().copied().unwrap_or(0) + p);
        }
        let prose_total = prose_before.last().copied().unwrap_or(0);
        let prose_in = |start: usize, end: usize| -> usize {
            let from = lines.partition_point(|l| l.at < start);
            let to = lines.partition_point(|l| l.at < end);
            prose_before[to] - prose_before[from]
        };
        let words_in = |start: usize, end: usize| -> usize {
            let from = lines.partition_point(|l| l.at < start);
            let to = lines.partition_point(|l| l.at < end);
            lines[from..to].iter().map(|l| l.words).sum()
        };
        // Elements called comments that together hold most of the prose are the page
        // itself (a forum thread, a live ticker), not a thread below an article.
        let mut comments_until = 0;
        let mut comment_prose = 0;
        for c in &self.candidates {
            if c.words == Some("comments") && c.start >= comments_until {
                comment_prose += prose_in(c.start, c.end);
                comments_until = c.end;
            }
        }
        let thread = comment_prose as f64 > MAX_CLAIM_SHARE * prose_total as f64;
        // Claims nest or are disjoint; one inside a claimed element changes nothing.
        let mut claimed_until = 0;
        for c in &self.candidates {
            if c.start < claimed_until {
                continue;
            }
            if let Some(k) = c.site_drop {
                mark(&mut claim, c.start, c.end, &s.drop[k].id);
                claimed_until = c.end;
                continue;
            }
            if c.builtin.is_none() && c.words.is_none() {
                continue;
            }
            let len = c.end - c.start;
            if len == 0 || len as f64 > MAX_CLAIM_SHARE * total as f64 {
                continue;
            }
            if longest.is_some_and(|at| c.start <= at && at < c.end) {
                continue;
            }
            if prose_in(c.start, c.end) as f64 > MAX_CLAIM_SHARE * prose_total as f64 {
                continue;
            }
            if root.is_some_and(|(rs, re)| c.start <= rs && re <= c.end) {
                continue;
            }
            // A structural element inside the article (its header, footer, aside) is
            // the article's; its class may still name furniture.
            let by_tag = c
                .builtin
                .filter(|&b| b == "caption" || !(c.in_article || contains_root(c)));
            let Some(rule) = by_tag.or(c.words) else {
                continue;
            };
            if rule == "comments" && thread {
                continue;
            }
            // A caption that tells a story of its own is kept with the story.
            if rule == "caption" && words_in(c.start, c.end) > CAPTION_WORDS {
                continue;
            }
            // Paragraphs of prose are not an ad: a class word like `Section--Ads` says
            // the element has room for ads, not that it is one.
            if rule == "advert"
                && c.words == Some(rule)
                && prose_in(c.start, c.end) >= AD_PROSE_WORDS
            {
                continue;
            }
            mark(
                &mut claim,
                c.start,
                c.end,
                &s.ids[classify::index(rule).expect("known")],
            );
            claimed_until = c.end;
        }
        if !site_roots.is_empty() {
            let id = s.root[0].id.clone();
            for (l, c) in self.lines.iter().zip(&mut claim) {
                if c.is_none() && !site_roots.iter().any(|&(a, b)| a <= l.at && l.at < b) {
                    *c = Some(id.clone());
                }
            }
        } else if let Some((a, b)) = root {
            let id = s.ids[classify::index("outside-root").expect("known")].clone();
            // Prose just above the root is often the article's lead, set apart.
            let first = self.lines.partition_point(|l| l.at < a);
            let lead = first.saturating_sub(LEAD_LINES);
            for (i, (l, c)) in self.lines.iter().zip(&mut claim).enumerate() {
                let is_lead = (lead..first).contains(&i) && is_prose(l);
                if c.is_none() && !(a <= l.at && l.at < b) && !is_lead {
                    *c = Some(id.clone());
                }
            }
        }
        if s.builtin_on("link-list") {
            let id = s.ids[classify::index("link-list").expect("known")].clone();
            let linky: Vec<bool> = self
                .lines
                .iter()
                .map(|l| {
                    !l.heading
                        && !l.cells
                        && l.words <= LINK_LINE_WORDS
                        && l.link_bytes as f64 >= LINK_DENSITY * l.bytes as f64
                })
                .collect();
            // Only runs of them: one linked line among prose is a reference.
            let mut i = 0;
            while i < linky.len() {
                let j = i + linky[i..].iter().take_while(|&&b| b).count();
                if j - i >= LINK_RUN {
                    for c in &mut claim[i..j] {
                        if c.is_none() {
                            *c = Some(id.clone());
                        }
                    }
                }
                i = j.max(i + 1);
            }
        }
        let claims = self
            .lines
            .iter()
            .zip(claim)
            .filter_map(|(l, c)| c.map(|c| (l.no, c)))
            .collect();
        // A text file ends its last line, so `--diff` shows no missing newline.
        let mut text = self.text;
        if !text.is_empty() {
            text.push('\n');
        }
        Extracted { text, claims }
    }
}
