//! `rinse rules`: list every rule and heuristic in use, or print one in full.

use super::{RuleArgs, exit};
use clap::Args;
use rinse::DocContext;
use rinse::normalize;
use rinse::rules::{Action, Rule, RuleBook, Window};
use serde_json::json;
use std::collections::HashSet;

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Print this rule in full.
    pub id: Option<String>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// One row of the listing: a rule or a heuristic.
struct Row {
    id: String,
    action: &'static str,
    source: String,
    description: String,
    detail: serde_json::Value,
}

fn rule_row(r: &Rule) -> Row {
    let (pattern, end) = match &r.action {
        Action::Strip(m) | Action::Drop(m) | Action::CutAfter(m) | Action::CutBefore(m) => {
            (m.source.clone(), None)
        }
        Action::Replace(m, _) => (m.source.clone(), None),
        Action::DropBetween(s, e) => (s.source.clone(), Some(e.source.clone())),
    };
    let window = r.within.map(|w: Window| {
        let part = |side: &str, n: Option<usize>| n.map(|n| format!("{side} {n}"));
        let parts: Vec<String> = [part("first", w.first), part("last", w.last)]
            .into_iter()
            .flatten()
            .collect();
        format!("{} lines with text", parts.join(" or "))
    });
    let with = match &r.action {
        Action::Replace(_, w) => Some(w.clone()),
        _ => None,
    };
    let examples: Vec<_> = r
        .examples
        .iter()
        .map(|e| json!({"input": e.input, "output": e.output}))
        .collect();
    Row {
        id: r.id.to_string(),
        action: r.action.name(),
        source: format!("{}:{}", r.file, r.line),
        description: r.description.clone(),
        detail: json!({
            "pattern": pattern, "end": end, "with": with, "within": window,
            "unless": r.unless.as_ref().map(|u| u.source.clone()),
            "max_words": r.max_words, "min_run": (r.min_run > 1).then_some(r.min_run),
            "min_words": (r.min_words > 0).then_some(r.min_words),
            "max_cut_ratio": r.max_cut_ratio, "examples": examples,
        }),
    }
}

/// The normalization steps, on or off as they are for the document (or, unscoped,
/// for pages no site file matches), each with the file that last set it.
fn normalize_rows(book: &RuleBook, cx: Option<&DocContext>) -> Vec<Row> {
    let set = book.resolve(cx.unwrap_or(&DocContext::default()));
    normalize::STEPS
        .iter()
        .map(|info| {
            let on = set.normalize.is_on(info.step);
            let id = info.step.id().to_string();
            // The file that set it last: site files come after the others.
            let (global, sites): (Vec<usize>, Vec<usize>) = set
                .files
                .iter()
                .partition(|&&i| book.files[i].site.is_none());
            let source = global
                .iter()
                .chain(&sites)
                .rev()
                .map(|&i| &book.files[i])
                .find(|f| {
                    f.normalize.iter().any(|(s, _)| *s == info.step)
                        || f.disable.iter().any(|d| d.0 == id)
                })
                .map_or("built in".to_string(), |f| f.path.clone());
            Row {
                id,
                action: "normalize",
                source,
                description: if on {
                    info.summary.to_string()
                } else {
                    format!("off: {}", info.summary)
                },
                detail: json!({ "on": on, "default": info.default }),
            }
        })
        .collect()
}

fn rows_of(book: &RuleBook, cx: Option<&DocContext>) -> Vec<Row> {
    let resolved = cx.map(|cx| book.resolve(cx));
    let mut rows: Vec<Row> = match &resolved {
        Some(set) => set.rules.iter().map(|r| rule_row(r)).collect(),
        None => book.rules().map(|r| rule_row(r)).collect(),
    };
    for (name, description) in rinse::heuristics::NAMES {
        let id = format!("default/{name}");
        // Unscoped, the settings are those of pages no site file matches; a site file's
        // hold for its pages only and are listed apart.
        let files: Vec<usize> = match &resolved {
            Some(set) if !set.heuristics.iter().any(|(h, _)| **h == id) => continue,
            Some(set) => set.files.clone(),
            None => (0..book.files.len())
                .filter(|&i| book.files[i].site.is_none())
                .collect(),
        };
        let settings = |i: usize| {
            let f = &book.files[i];
            (f.heuristics.iter())
                .filter(|(n, _)| n == name)
                .map(move |(_, t)| (f.path.as_str(), t))
        };
        let configured: Vec<(&str, &toml::Table)> =
            files.iter().flat_map(|&i| settings(i)).collect();
        let sites: Vec<(&str, &toml::Table)> = match &resolved {
            Some(_) => Vec::new(),
            None => (0..book.files.len())
                .filter(|&i| book.files[i].site.is_some())
                .flat_map(settings)
                .collect(),
        };
        // Every file whose table sets it, in the order they apply (later ones win).
        let source = match configured.is_empty() {
            false => (configured.iter().map(|(p, _)| *p))
                .collect::<Vec<_>>()
                .join(", "),
            true => match sites.first() {
                Some((p, _)) => p.to_string(),
                None => continue,
            },
        };
        let params =
            |tables: &[(&str, &toml::Table)]| -> serde_json::Map<String, serde_json::Value> {
                tables
                    .iter()
                    .flat_map(|(_, t)| t.iter())
                    .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or_default()))
                    .collect()
            };
        let mut detail = json!({ "params": params(&configured) });
        if !sites.is_empty() {
            detail["sites"] = sites
                .iter()
                .map(|s| (s.0.to_string(), params(std::slice::from_ref(s)).into()))
                .collect::<serde_json::Map<_, _>>()
                .into();
        }
        rows.push(Row {
            id,
            action: "heuristic",
            source,
            description: description.to_string(),
            detail,
        });
    }
    // Unscoped, every rule is listed; those a file that applies to every page switches
    // off are off everywhere, and say so as the normalization steps do.
    if resolved.is_none() {
        let off: HashSet<&str> = (book.files.iter())
            .filter(|f| f.site.is_none())
            .flat_map(|f| f.disable.iter().map(|d| d.0.as_str()))
            .collect();
        for r in rows.iter_mut().filter(|r| off.contains(r.id.as_str())) {
            r.description = format!("off: {}", r.description);
        }
    }
    rows.extend(html_rows(book, resolved.as_deref()));
    rows.extend(normalize_rows(book, cx));
    rows
}

/// The HTML-level rules: built-in ones (with the defaults) and `[html]` selectors.
fn html_rows(book: &RuleBook, set: Option<&rinse::rules::Resolved>) -> Vec<Row> {
    use rinse::html::classify::{RULES, STEM};
    let defaults = book.files.iter().any(|f| f.stem == "default");
    let mut rows: Vec<Row> = RULES
        .iter()
        .filter(|(name, _)| set.map_or(defaults, |s| s.html.builtin_on(name)))
        .map(|(name, description)| Row {
            id: format!("{STEM}/{name}"),
            action: "html",
            source: "built in".into(),
            description: description.to_string(),
            detail: json!({}),
        })
        .collect();
    let selectors: Vec<(&str, &rinse::html::SiteSelector, bool)> = match set {
        Some(s) => {
            let path = |id: &str| {
                book.files
                    .iter()
                    .find(|f| id.starts_with(&format!("{}/", f.stem)))
                    .map_or("", |f| f.path.as_str())
            };
            s.html
                .root
                .iter()
                .map(|r| (path(&r.id), r, true))
                .chain(s.html.drop.iter().map(|d| (path(&d.id), d, false)))
                .collect()
        }
        None => book
            .files
            .iter()
            .flat_map(|f| {
                f.html_root
                    .iter()
                    .map(move |r| (f.path.as_str(), r, true))
                    .chain(f.html_drop.iter().map(move |d| (f.path.as_str(), d, false)))
            })
            .collect(),
    };
    for (path, sel, root) in selectors {
        rows.push(Row {
            id: sel.id.to_string(),
            action: "html",
            source: path.to_string(),
            description: if root {
                format!("text outside `{}` (where the article lives)", sel.source)
            } else {
                format!("elements matching `{}`", sel.source)
            },
            detail: json!({ "selector": sel.source }),
        });
    }
    rows
}

pub fn run(args: &RulesArgs) -> i32 {
    let book = match args.rules.book() {
        Ok(b) => b,
        Err(code) => return code,
    };
    let cx = DocContext {
        site: args.rules.site.as_deref(),
        url: args.rules.url.as_deref(),
        path: None,
    };
    let scoped = cx.site.is_some() || cx.url.is_some();
    let rows = rows_of(&book, scoped.then_some(&cx));
    if let Some(id) = &args.id {
        let Some(row) = rows.iter().find(|r| r.id == *id) else {
            // Scoped, a rule of the book may be off for these pages.
            if scoped && rows_of(&book, None).iter().any(|r| r.id == *id) {
                eprintln!(
                    "rinse: `{id}` is not in use for these pages: its file does not apply to them, or a file that does disables it"
                );
            } else {
                eprintln!("rinse: no rule `{id}` (see `rinse rules`)");
            }
            return exit::USAGE;
        };
        if args.json {
            outln!("{}", to_json(row));
        } else {
            print_full(row);
        }
        return exit::OK;
    }
    if args.json {
        for r in &rows {
            outln!("{}", to_json(r));
        }
        return exit::OK;
    }
    let w = rows.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let sw = rows.iter().map(|r| r.source.len()).max().unwrap_or(0);
    for r in &rows {
        outln!(
            "{:<w$}  {:<12}  {:<sw$}  {}",
            r.id,
            r.action,
            r.source,
            r.description
        );
    }
    let steps = rows.iter().filter(|r| r.action == "normalize").count();
    outln!(
        "{} rules and heuristics, {steps} normalization steps",
        rows.len() - steps
    );
    exit::OK
}

fn to_json(r: &Row) -> serde_json::Value {
    json!({"id": r.id, "action": r.action, "source": r.source, "description": r.description, "detail": r.detail})
}

fn print_full(r: &Row) {
    outln!("{}\n  {}\n", r.id, r.description);
    outln!("  action:  {}", r.action);
    outln!("  source:  {}", r.source);
    let d = &r.detail;
    for key in [
        "selector",
        "pattern",
        "end",
        "with",
        "within",
        "unless",
        "max_words",
        "min_run",
        "min_words",
        "max_cut_ratio",
    ] {
        if let Some(v) = d.get(key).filter(|v| !v.is_null()) {
            outln!(
                "  {key:<8} {}",
                v.as_str().map_or(v.to_string(), str::to_string)
            );
        }
    }
    if let Some(on) = d.get("on").and_then(|v| v.as_bool()) {
        let default = d.get("default").and_then(|v| v.as_bool()) == Some(true);
        let word = |b: bool| if b { "on" } else { "off" };
        outln!("  state:   {} (default {})", word(on), word(default));
        outln!(
            "  switch:  [normalize] {} = true|false",
            &r.id[r.id.find('/').map_or(0, |i| i + 1)..]
        );
    }
    if let Some(p) = d.get("params").and_then(|p| p.as_object()) {
        for (k, v) in p {
            outln!("  {k} = {v}");
        }
    }
    for (path, p) in d
        .get("sites")
        .and_then(|s| s.as_object())
        .into_iter()
        .flatten()
    {
        outln!("  for the pages of {path}:");
        for (k, v) in p.as_object().into_iter().flatten() {
            outln!("    {k} = {v}");
        }
    }
    if let Some(ex) = d.get("examples").and_then(|e| e.as_array()) {
        for e in ex {
            outln!("  example: {} -> {}", e["input"], e["output"]);
        }
    }
}
