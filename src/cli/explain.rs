//! `rinse explain`: every removal of one document, in document order, with its rule id.

use super::clean::FormatArg;
use super::{RuleArgs, exit};
use clap::Args;
use rinse::input::{Format, read_input};
use rinse::job::{clean_bytes, hints, is_html, is_utf16};
use rinse::output::count;
use rinse::quote::quote;
use rinse::{Change, Cleaner, DocContext, Kept, Removal};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The file to explain; `-` for stdin.
    pub file: PathBuf,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Input format, as for `clean`: `auto` goes by extension and looks at the content
    /// of `-`; `html` reads a fragment or a page saved under another name as HTML.
    #[arg(long, value_enum, default_value = "auto")]
    pub format: FormatArg,
    /// Only removals made by this rule id.
    #[arg(long, value_name = "ID")]
    pub rule: Option<String>,
    /// One JSON object per removal.
    #[arg(long)]
    pub json: bool,
    /// Also list the lines main-content's last decision kept, with the score each kept
    /// on and the threshold it passed (`keep` rows with the line as read, in line order
    /// among the removals).
    #[arg(long)]
    pub kept: bool,
    /// Refuse inputs larger than N bytes.
    #[arg(long, value_name = "N", default_value_t = 256 << 20)]
    pub max_bytes: u64,
    /// Decode the input as LABEL unless it starts with a byte-order mark.
    #[arg(long, value_name = "LABEL", value_parser = super::parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

pub fn run(args: &ExplainArgs) -> i32 {
    let book = match args.rules.book() {
        Ok(b) => b,
        Err(code) => return code,
    };
    if let Some(id) = &args.rule {
        let known = book.rules().any(|r| &*r.id == id)
            || rinse::heuristics::NAMES
                .iter()
                .any(|(n, _)| format!("default/{n}") == *id)
            || rinse::normalize::STEPS
                .iter()
                .any(|s| **s.step.id() == **id)
            || rinse::html::rule_ids(&book.files).any(|h| h == *id);
        if !known {
            eprintln!("rinse: no rule `{id}` (see `rinse rules`)");
            return exit::USAGE;
        }
    }
    let name = args.file.file_name().unwrap_or_default().to_string_lossy();
    let forced = args.format.forced();
    if matches!(Format::of_file(&name, forced), Format::Jsonl(_)) {
        eprintln!(
            "rinse: {}: explain shows one document, and JSON Lines holds one a line; explain a record's text: `sed -n 1p FILE | jq -r .text | rinse explain -`",
            args.file.display()
        );
        return exit::USAGE;
    }
    let bytes = match read_input(&args.file, args.max_bytes, is_utf16(args.encoding)) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("rinse: {}: {e}", args.file.display());
            return exit::FAILED;
        }
    };
    let hints = hints(args.encoding, args.rules.url.as_deref());
    let html = is_html(forced, &args.file, &bytes);
    let stdin = args.file.as_os_str() == "-";
    let cx = DocContext {
        site: args.rules.site.as_deref(),
        url: args.rules.url.as_deref(),
        path: (!stdin).then_some(args.file.as_path()),
    };
    let site_files = book.files.iter().any(|f| f.site.is_some());
    let cleaned = clean_bytes(&Cleaner::new(book), &bytes, html, &hints, &cx).0;
    let lines: Vec<&str> = cleaned.input.split('\n').collect();
    // Normalization records describe the text as it was read (line endings unified).
    let source: Vec<&str> = cleaned
        .source
        .as_deref()
        .map_or_else(|| lines.clone(), |s| s.split('\n').collect());
    let wanted = |id: &str| args.rule.as_ref().is_none_or(|w| w == id);
    let shown: Vec<_> = cleaned
        .removals
        .iter()
        .filter(|r| wanted(&r.rule_id))
        .collect();
    let kept: Vec<KeptLine> = (cleaned.kept.iter())
        .filter(|k| args.kept && wanted(&k.rule_id))
        .map(|k| KeptLine {
            kept: k,
            change: "keep",
            text: nth(&lines, k.line),
        })
        .collect();
    // Rows in line order; a line's removals before its keep (a span stripped from it).
    let mut rows: Vec<Row> = shown.iter().map(|r| Row::Removal(r)).collect();
    rows.extend(kept.iter().map(Row::Kept));
    rows.sort_by_key(|row| match row {
        Row::Removal(r) => (r.line, 0),
        Row::Kept(k) => (k.kept.line, 1),
    });
    if args.json {
        for row in &rows {
            let json = match row {
                Row::Removal(r) => serde_json::to_string(r),
                Row::Kept(k) => serde_json::to_string(k),
            };
            outln!("{}", json.expect("records serialize"));
        }
        return exit::OK;
    }
    let width = (shown.iter().map(|r| r.rule_id.len()))
        .chain(kept.iter().map(|k| k.kept.rule_id.len()))
        .max()
        .unwrap_or(0);
    let mut rest = rows.as_slice();
    while let Some((row, after)) = rest.split_first() {
        rest = after;
        let r = match row {
            Row::Removal(r) => r,
            Row::Kept(k) => {
                outln!(
                    "{:>5}  {:<width$}  {:<7}  {}   {}",
                    k.kept.line,
                    k.kept.rule_id,
                    k.change,
                    quoted(k.text),
                    k.kept
                );
                continue;
            }
        };
        let what = match (r.change, r.span) {
            (Change::Drop, _) => match r.score {
                Some(s) => format!("{}   {s}", quoted(&r.text)),
                None => quoted(&r.text),
            },
            (_, Some((a, b))) => {
                let normalized = r.rule_id.starts_with("normalize/");
                let mut line = nth(if normalized { &source } else { &lines }, r.line);
                // Spans refer to the line as the rule found it; an earlier rule may
                // have shifted it, so fall back to finding the text: strips before it
                // only shorten the line, so it stands at or after the recorded place.
                let found = match line.get(a..b) {
                    Some(t) if t == r.text => Some((a, b)),
                    _ => (line.match_indices(r.text.as_str()).map(|(i, _)| i))
                        .find(|&i| i >= a)
                        .or_else(|| line.find(r.text.as_str()))
                        .map(|i| (i, i + r.text.len())),
                };
                // A later round of normalization changed what an earlier one made:
                // show where its replacement ended up.
                let place = match (found, &r.replacement) {
                    (Some(ab), _) => Some(ab),
                    (None, Some(rep)) if normalized => {
                        line = nth(&lines, r.line);
                        line.find(rep.as_str()).map(|i| (i, i + rep.len()))
                    }
                    _ => None,
                };
                // Neither is in the line when a strip made what normalization then
                // mended: the record is shown without a place.
                let ctx = place.map_or(String::new(), |(a, b)| {
                    format!("   in: {}", context(line, a, b))
                });
                match &r.replacement {
                    Some(rep) => format!("{} -> {}{ctx}", quote(&r.text), quote(rep)),
                    None => format!("{}{ctx}", quote(&r.text)),
                }
            }
            _ => quoted(&r.text),
        };
        // The same span taken three times or more from one line (soft hyphens,
        // zero-width spaces) is one row with its count, the first marked; `--json`
        // keeps each. Two stay two rows, each marked where it was taken.
        let again = rest
            .iter()
            .take_while(|next| matches!(next, Row::Removal(n) if same_span(n, r)))
            .count();
        let again = if again >= 2 { again } else { 0 };
        rest = &rest[again..];
        let times = if again > 0 {
            format!("   ({} times in this line)", again + 1)
        } else {
            String::new()
        };
        outln!(
            "{:>5}  {:<width$}  {:<7}  {what}{times}",
            r.line,
            r.rule_id,
            r.change.as_str()
        );
    }
    let lines_removed = shown.iter().filter(|r| r.change == Change::Drop).count();
    let kept_note = if args.kept {
        format!("; {} kept on a score", count(kept.len(), "line", "lines"))
    } else {
        String::new()
    };
    // Which site files applied, where there are any: one whose match never fires
    // shows here.
    let sites = match (site_files, cleaned.sites.is_empty()) {
        (false, _) => String::new(),
        (true, true) => "; no site file matched".to_string(),
        (true, false) => format!("; site rules: {}", cleaned.sites.join(", ")),
    };
    outln!(
        "{} ({}, {}){kept_note}{sites}",
        count(shown.len(), "removal", "removals"),
        count(lines_removed, "line", "lines"),
        count(shown.len() - lines_removed, "span", "spans")
    );
    exit::OK
}

/// A line main-content kept, as `--kept` lists it: the engine's record with `change`
/// "keep" and the line's text, shaped like a removal record.
#[derive(Serialize)]
struct KeptLine<'a> {
    #[serde(flatten)]
    kept: &'a Kept,
    change: &'static str,
    text: &'a str,
}

/// Whether two removals took the same text from the same line in the same way.
fn same_span(a: &Removal, b: &Removal) -> bool {
    a.change != Change::Drop
        && (a.line, &a.rule_id, a.change, &a.text, &a.replacement)
            == (b.line, &b.rule_id, b.change, &b.text, &b.replacement)
}

/// One row of the listing.
enum Row<'a> {
    Removal(&'a Removal),
    Kept(&'a KeptLine<'a>),
}

/// A removed text as the listing shows it, quoted: a very long line (a page on one line)
/// cut, with how much more it held after the quotes; `--json` has it whole.
fn quoted(text: &str) -> String {
    const MAX: usize = 300;
    if text.len() <= MAX {
        return quote(text);
    }
    let cut = floor(text, MAX);
    format!("{}… ({} more bytes)", quote(&text[..cut]), text.len() - cut)
}

/// Line `no` (1-based) of `lines`, or "".
fn nth<'a>(lines: &[&'a str], no: usize) -> &'a str {
    lines.get(no.wrapping_sub(1)).copied().unwrap_or("")
}

/// The line around a span, the span marked with [[ ]], shortened to ~40 chars each side.
/// Spans of later rules on the same line refer to the line as they found it, so they
/// are clamped to the original line.
fn context(line: &str, a: usize, b: usize) -> String {
    let (a, b) = (
        floor(line, a.min(line.len())),
        floor(line, b.min(line.len())),
    );
    let left: String = line[..a]
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let right: String = line[b..].chars().take(40).collect();
    let lead = if left.len() < a { "…" } else { "" };
    let tail = if right.len() < line.len() - b {
        "…"
    } else {
        ""
    };
    format!("{lead}{left}[[{}]]{right}{tail}", &line[a..b])
}

fn floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
