//! Applying one compiled rule to a document. Every change goes through `Document`
//! so it lands in the provenance record.

use super::pattern::Matcher;
use super::{Action, Rule, Window};
use crate::document::{Change, Document, Removal};

/// Apply `rule` to `doc`. Returns true when it changed anything.
pub fn apply(rule: &Rule, doc: &mut Document) -> bool {
    let before = doc.removals.len();
    let window = window(doc, rule.within);
    match &rule.action {
        Action::Strip(m) => {
            for &i in &window {
                strip(doc, i, m, rule);
            }
        }
        Action::Replace(m, with) => {
            for &i in &window {
                replace(doc, i, m, with, rule);
            }
        }
        Action::Drop(m) => {
            for &i in &window {
                if m.re.is_match(&doc.lines[i].text) {
                    doc.drop_line(i, &rule.id);
                }
            }
        }
        Action::CutAfter(m) => {
            let hit = window.iter().copied().find(|&i| {
                m.re.is_match(&doc.lines[i].text) && doc.words_in(0..i) >= rule.min_words
            });
            if let Some(i) = hit {
                for j in i..doc.lines.len() {
                    doc.drop_line(j, &rule.id);
                }
            }
        }
        Action::CutBefore(m) => {
            let n = doc.lines.len();
            let hit = window.iter().rev().copied().find(|&i| {
                m.re.is_match(&doc.lines[i].text) && doc.words_in(i + 1..n) >= rule.min_words
            });
            if let Some(i) = hit {
                for j in 0..=i {
                    doc.drop_line(j, &rule.id);
                }
            }
        }
        Action::DropBetween(start, end) => {
            let mut k = 0;
            while k < window.len() {
                let i = window[k];
                if !start.re.is_match(&doc.lines[i].text) {
                    k += 1;
                    continue;
                }
                // An unclosed block is left alone: better residue than lost text.
                let Some(e) =
                    (k + 1..window.len()).find(|&e| end.re.is_match(&doc.lines[window[e]].text))
                else {
                    break;
                };
                for j in i..=window[e] {
                    doc.drop_line(j, &rule.id);
                }
                k = e + 1;
            }
        }
    }
    doc.removals.len() > before
}

/// Indices of the live lines a rule may touch.
fn window(doc: &Document, within: Option<Window>) -> Vec<usize> {
    let live = doc.live();
    match within {
        None => live,
        Some(Window::First(n)) => live.into_iter().take(n).collect(),
        Some(Window::Last(n)) => {
            let skip = live.len().saturating_sub(n);
            live.into_iter().skip(skip).collect()
        }
    }
}

fn strip(doc: &mut Document, i: usize, m: &Matcher, rule: &Rule) {
    let line = &doc.lines[i];
    if !m.re.is_match(&line.text) {
        return;
    }
    let mut text = String::with_capacity(line.text.len());
    let mut last = 0;
    for hit in m.re.find_iter(&line.text).filter(|h| !h.is_empty()) {
        text = mend(&text, &line.text[last..hit.start()], last == 0);
        doc.removals.push(Removal {
            rule_id: rule.id.clone(),
            change: Change::Strip,
            line: line.no,
            span: Some((hit.start(), hit.end())),
            text: hit.as_str().to_string(),
            replacement: None,
        });
        last = hit.end();
    }
    let text = mend(&text, &line.text[last..], last == 0);
    finish(doc, i, text);
}

/// Join the text left of a removed span with the text right of it, so that
/// "its own (opens in new tab) against" reads "its own against" and no space is left
/// before punctuation. `first` marks the line's first piece, which keeps its indentation.
fn mend(left: &str, right: &str, first: bool) -> String {
    if first {
        return right.to_string();
    }
    let left_t = left.trim_end();
    let right_t = right.trim_start();
    let gap = left_t.len() != left.len() || right_t.len() != right.len();
    if left_t.is_empty()
        || right_t.is_empty()
        || right_t.starts_with([',', '.', ';', ':', '!', '?', ')', ']'])
    {
        format!("{left_t}{right_t}")
    } else if gap {
        format!("{left_t} {right_t}")
    } else {
        format!("{left}{right}")
    }
}

fn replace(doc: &mut Document, i: usize, m: &Matcher, with: &str, rule: &Rule) {
    let line = &doc.lines[i];
    if !m.re.is_match(&line.text) {
        return;
    }
    let mut out = String::with_capacity(line.text.len());
    let mut last = 0;
    for caps in m.re.captures_iter(&line.text) {
        let hit = caps.get(0).expect("group 0 always matches");
        let mut rep = String::new();
        caps.expand(with, &mut rep);
        if rep == hit.as_str() {
            continue;
        }
        out.push_str(&line.text[last..hit.start()]);
        out.push_str(&rep);
        doc.removals.push(Removal {
            rule_id: rule.id.clone(),
            change: Change::Replace,
            line: line.no,
            span: Some((hit.start(), hit.end())),
            text: hit.as_str().to_string(),
            replacement: Some(rep),
        });
        last = hit.end();
    }
    out.push_str(&line.text[last..]);
    finish(doc, i, out);
}

/// Store a rewritten line; a line left with no text is gone (its removal is already recorded).
fn finish(doc: &mut Document, i: usize, text: String) {
    let line = &mut doc.lines[i];
    line.text = text.trim_end().to_string();
    if line.text.trim().is_empty() {
        line.kept = false;
        line.text.clear();
    }
}
