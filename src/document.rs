//! The document the engine works on, and the provenance record every stage writes.

use serde::Serialize;
use std::sync::Arc;

/// One input line. `no` is the 1-based line number in the normalized input and never
/// changes, so every removal can point back at the line it came from.
#[derive(Debug, Clone)]
pub struct Line {
    pub no: usize,
    pub text: String,
    pub kept: bool,
    /// The text trimmed with inner white space as single spaces, when that differs
    /// from `text`: what whole-line patterns are matched against.
    squashed: Option<Box<str>>,
    /// Words in the line, counted once: many rules and heuristics ask.
    words: usize,
}

impl Line {
    pub fn new(no: usize, text: String) -> Self {
        let mut line = Line {
            no,
            text: String::new(),
            kept: true,
            squashed: None,
            words: 0,
        };
        line.set_text(text);
        line
    }

    /// Replace the text (keeping the match key and word count in step).
    pub fn set_text(&mut self, text: String) {
        self.squashed = squash(&text);
        self.words = text.split_whitespace().count();
        self.text = text;
    }

    /// Number of whitespace-separated words.
    pub fn words(&self) -> usize {
        self.words
    }

    /// The line trimmed, inner white space runs as one space.
    pub fn key(&self) -> &str {
        self.squashed.as_deref().unwrap_or(&self.text)
    }

    /// A line that still holds text: the unit windows and neighbours are counted in.
    pub fn is_live(&self) -> bool {
        self.kept && self.words > 0
    }
}

/// What a removal did to its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// A span inside the line was removed; the rest of the line stays.
    Strip,
    /// A span inside the line was rewritten.
    Replace,
    /// The whole line was removed.
    Drop,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Strip => "strip",
            Change::Replace => "replace",
            Change::Drop => "drop",
        }
    }
}

/// The provenance record: one per removal, built once in the engine and read by
/// `explain`, `--diff`, the report and `test`.
#[derive(Debug, Clone, Serialize)]
pub struct Removal {
    pub rule_id: Arc<str>,
    pub change: Change,
    /// 1-based line number in the normalized input.
    pub line: usize,
    /// Byte range within the line as it stood when the rule ran (strip/replace only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<(usize, usize)>,
    /// The text removed: the span for strip/replace, the whole line for drop.
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
}

/// Lines plus the removals made so far.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub lines: Vec<Line>,
    pub removals: Vec<Removal>,
}

impl Document {
    pub fn from_text(text: &str) -> Self {
        let lines = text
            .split('\n')
            .enumerate()
            .map(|(i, l)| Line::new(i + 1, l.trim_end().to_string()))
            .collect();
        Document {
            lines,
            removals: Vec::new(),
        }
    }

    /// Indices of the lines that still hold text, in document order.
    pub fn live(&self) -> Vec<usize> {
        (0..self.lines.len())
            .filter(|&i| self.lines[i].is_live())
            .collect()
    }

    /// Remove a whole line and record why. Blank lines go unrecorded: they carry no
    /// text, and tidy would collapse them anyway.
    pub fn drop_line(&mut self, idx: usize, rule_id: &Arc<str>) {
        let line = &mut self.lines[idx];
        if !line.kept {
            return;
        }
        line.kept = false;
        if line.text.trim().is_empty() {
            return;
        }
        self.removals.push(Removal {
            rule_id: rule_id.clone(),
            change: Change::Drop,
            line: line.no,
            span: None,
            text: std::mem::take(&mut line.text),
            replacement: None,
        });
        line.squashed = None;
        line.words = 0;
    }

    /// Number of words in live lines in `range` (indices into `lines`).
    pub fn words_in(&self, range: std::ops::Range<usize>) -> usize {
        self.lines[range]
            .iter()
            .filter(|l| l.is_live())
            .map(Line::words)
            .sum()
    }

    /// Removals in document order (line, then position in the line); stable, so
    /// records of one line keep the order the rules ran in.
    pub fn into_sorted_removals(self) -> Vec<Removal> {
        let mut r = self.removals;
        r.sort_by_key(|r| (r.line, r.span.map_or(0, |s| s.0)));
        r
    }
}

/// `Some(squashed)` when `s` has leading, trailing or repeated white space.
fn squash(s: &str) -> Option<Box<str>> {
    let clean = !s.starts_with(char::is_whitespace)
        && !s.ends_with(char::is_whitespace)
        && !s
            .as_bytes()
            .windows(2)
            .any(|w| w[0].is_ascii_whitespace() && w[1].is_ascii_whitespace())
        && !s.contains(['\t', '\u{3000}']);
    if clean {
        return None;
    }
    Some(s.split_whitespace().collect::<Vec<_>>().join(" ").into())
}
