//! Golden tests: `X.txt` + `X.expected.txt` pairs, `X.txt` + `X.expect.toml` assertions,
//! and every rule's `examples`. Failures are told in a user's words (residue left,
//! content lost, output differs), read from the provenance record.

use crate::clean::{Cleaned, Cleaner, clean_with};
use crate::document::{Change, Document, Kept, Removal};
use crate::input::{decode, read_limited};
use crate::normalize::normalize;
use crate::quote::quote;
use crate::rules::{DocContext, Resolved, Rule};
use crate::tidy::tidy;
use serde::Deserialize;
use similar::TextDiff;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Fixtures larger than this are not test material.
const MAX_FIXTURE: u64 = 64 << 20;

#[derive(Debug, Clone)]
pub enum Case {
    /// Input and the exact expected output.
    Golden { input: PathBuf, expected: PathBuf },
    /// Input and strings that must survive or be gone; `paired` when a golden case of
    /// the same input stands beside it.
    Assert {
        input: PathBuf,
        expect: PathBuf,
        paired: bool,
    },
    /// One `examples` entry of a rule.
    Example { rule: Arc<Rule>, index: usize },
    /// A fixture file that cannot be checked, and why: `X.html` beside `X.txt` (one
    /// `X.expected.txt` for both), an expectation with no input beside it.
    Broken { file: PathBuf, why: String },
}

impl Case {
    /// The name users filter on and see in reports.
    pub fn name(&self, root: &Path) -> String {
        let rel = |p: &Path| {
            let p = p.strip_prefix(root).unwrap_or(p);
            p.with_extension("").display().to_string()
        };
        match self {
            Case::Golden { input, .. } => rel(input),
            // Beside an `X.expected.txt` too, the two cases of `X` are told apart.
            Case::Assert { input, paired, .. } => match paired {
                true => format!("{} (expect.toml)", rel(input)),
                false => rel(input),
            },
            Case::Example { rule, index } => format!("{} example {}", rule.id, index + 1),
            Case::Broken { file, .. } => file
                .strip_prefix(root)
                .unwrap_or(file)
                .display()
                .to_string(),
        }
    }
}

/// Why a case failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Text that should be gone is still in the output, and the score main-content kept
    /// its line on, if it judged the line.
    ResidueLeft { text: String, kept: Option<String> },
    /// Text that should stay was removed, and by which rule.
    ContentLost { text: String, rule: Option<String> },
    /// The full output differs from the expected file (a unified diff).
    OutputDiffers(String),
    /// The expected file differs from the output only where cleaned text never has
    /// anything: white space at line ends, or blank lines at its end.
    WhiteSpace,
    /// Cleaning the expected output changes it again.
    NotIdempotent(String),
    /// The case could not be run.
    Error(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::ResidueLeft { text, kept } => match kept {
                Some(k) => write!(f, "residue left: {} (kept by {k})", quote(text)),
                None => write!(f, "residue left: {}", quote(text)),
            },
            Failure::ContentLost { text, rule } => match rule {
                Some(r) => write!(f, "content lost: {} (removed by {r})", quote(text)),
                None => write!(f, "content lost: {}", quote(text)),
            },
            Failure::OutputDiffers(d) => write!(f, "output differs (- expected, + actual):\n{d}"),
            Failure::NotIdempotent(d) => {
                write!(f, "cleaning the expected output changes it again:\n{d}")
            }
            Failure::WhiteSpace => write!(
                f,
                "the expected file differs only in white space at line ends or blank lines \
                 at its end, which cleaned text never has (`rinse test --bless` rewrites it)"
            ),
            Failure::Error(e) => write!(f, "error: {e}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub name: String,
    pub failures: Vec<Failure>,
    /// The expected file this run rewrote (bless mode).
    pub blessed: Option<PathBuf>,
    /// The blessed output is empty though the input had lines to remove: most often a
    /// rule gone wrong, blessed unread.
    pub blessed_empty: bool,
}

/// `X.expect.toml`: pin a few strings of a long page without blessing all of it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    keep: Vec<String>,
    #[serde(default)]
    drop: Vec<String>,
    /// The page's URL, for site rules that match on hosts.
    url: Option<String>,
    site: Option<String>,
}

/// Every fixture case under `dir`, sorted. Inputs are `X.txt` (or `X.html`) with an
/// `X.expected.txt` or `X.expect.toml` beside them, or neither yet.
pub fn discover(dir: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    // The inputs so far without their extension: `X.txt` and `X.html` are one case name
    // and would share `X.expected.txt`.
    let mut stems: HashMap<PathBuf, PathBuf> = HashMap::new();
    for e in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let p = e.path();
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        // An expectation with no input beside it checks nothing: a renamed or deleted
        // input would otherwise leave its test passing by not running.
        let expects = [".expected.txt", ".expect.toml"].iter();
        if let Some(stem) = expects.filter_map(|x| name.strip_suffix(x)).next()
            && e.file_type().is_file()
            && !["txt", "html"]
                .iter()
                .any(|x| p.with_file_name(format!("{stem}.{x}")).is_file())
        {
            cases.push(Case::Broken {
                file: p.to_path_buf(),
                why: format!("no {stem}.txt or {stem}.html beside {}", p.display()),
            });
        }
        let Some(stem) = name
            .strip_suffix(".txt")
            .or_else(|| name.strip_suffix(".html"))
        else {
            continue;
        };
        if !e.file_type().is_file() || stem.ends_with(".expected") || stem.ends_with(".clean") {
            continue;
        }
        let base = p.with_file_name(stem);
        if let Some(other) = stems.get(&base) {
            cases.push(Case::Broken {
                file: p.to_path_buf(),
                why: format!(
                    "{} and {} would both be checked against one expected file; rename one",
                    other.display(),
                    p.display()
                ),
            });
            continue;
        }
        stems.insert(base, p.to_path_buf());
        let expected = p.with_file_name(format!("{stem}.expected.txt"));
        let expect = p.with_file_name(format!("{stem}.expect.toml"));
        let (asserted, golden) = (expect.is_file(), expected.is_file());
        if asserted {
            cases.push(Case::Assert {
                input: p.to_path_buf(),
                expect,
                paired: golden,
            });
        }
        // An input with neither is a golden case still to be blessed: it fails until
        // `--bless` writes its expected output, so a new fixture is not silently skipped.
        if golden || !asserted {
            cases.push(Case::Golden {
                input: p.to_path_buf(),
                expected,
            });
        }
    }
    cases
}

/// Every rule example of the book's rules.
pub fn examples<'a>(rules: impl Iterator<Item = &'a Arc<Rule>>) -> Vec<Case> {
    rules
        .flat_map(|r| {
            (0..r.examples.len()).map(move |index| Case::Example {
                rule: r.clone(),
                index,
            })
        })
        .collect()
}

/// Run one case. With `bless`, a golden case whose output differs rewrites its
/// expected file (never the input) and passes. `base` holds the site or URL given on
/// the command line; an `.expect.toml` may name its own.
pub fn run(cleaner: &Cleaner, case: &Case, root: &Path, bless: bool, base: &DocContext) -> Outcome {
    let name = case.name(root);
    let mut out = Outcome {
        name,
        failures: Vec::new(),
        blessed: None,
        blessed_empty: false,
    };
    match case {
        Case::Golden { input, expected } => golden(cleaner, input, expected, bless, base, &mut out),
        Case::Assert { input, expect, .. } => assert_case(cleaner, input, expect, base, &mut out),
        Case::Example { rule, index } => out
            .failures
            .extend(example(rule, *index).map(Failure::OutputDiffers)),
        Case::Broken { why, .. } => out.failures.push(Failure::Error(why.clone())),
    }
    out
}

fn read_text(path: &Path) -> Result<String, String> {
    read_input(path).map(|b| decode(&b, None).text.into_owned())
}

/// Read a fixture input.
fn read_input(path: &Path) -> Result<Vec<u8>, String> {
    read_limited(path, MAX_FIXTURE).map_err(|e| format!("{}: {e}", path.display()))
}

/// Clean a fixture input as read: an `X.html` page as HTML, anything else as text.
fn clean_input(cleaner: &Cleaner, path: &Path, bytes: &[u8], cx: &DocContext) -> Cleaned {
    let html = crate::job::is_html(None, path, bytes);
    crate::job::clean_bytes(cleaner, bytes, html, &Default::default(), cx).0
}

fn golden(
    cleaner: &Cleaner,
    input: &Path,
    expected: &Path,
    bless: bool,
    base: &DocContext,
    out: &mut Outcome,
) {
    let cx = DocContext {
        path: Some(input),
        ..*base
    };
    let exists = expected.exists();
    if !bless && !exists {
        return out.failures.push(Failure::Error(format!(
            "no {} or .expect.toml beside {}: `rinse test --bless` writes the expected output of this run (read it before committing)",
            expected.file_name().unwrap_or_default().to_string_lossy(),
            input.display()
        )));
    }
    // An expected file checked out with Windows line endings says the same.
    let want = if exists {
        read_text(expected).map(|w| w.replace("\r\n", "\n"))
    } else {
        Ok(String::new())
    };
    let got = read_input(input).map(|bytes| clean_input(cleaner, input, &bytes, &cx));
    let (got, want) = match (got, want) {
        (Ok(g), Ok(w)) => (g, w),
        (Err(e), _) | (_, Err(e)) => return out.failures.push(Failure::Error(e)),
    };
    if got.text != want || !exists {
        if bless {
            match crate::output::write_atomic(expected, got.text.as_bytes()) {
                Ok(()) => {
                    out.blessed = Some(expected.to_path_buf());
                    out.blessed_empty = got.text.is_empty() && got.lines_removed() > 0;
                }
                Err(e) => out.failures.push(Failure::Error(format!(
                    "cannot bless {}: {e}",
                    expected.display()
                ))),
            }
            return;
        }
        let trimmed = |t: &str| -> String {
            let mut lines: Vec<&str> = t.lines().map(str::trim_end).collect();
            while lines.last().is_some_and(|l| l.is_empty()) {
                lines.pop();
            }
            lines.join("\n")
        };
        if exists && trimmed(&want) == trimmed(&got.text) {
            return out.failures.push(Failure::WhiteSpace);
        }
        out.failures.extend(line_failures(&got, &want));
        out.failures
            .push(Failure::OutputDiffers(unified(&want, &got.text)));
        return;
    }
    let again = cleaner.clean(&want, &cx);
    if again.text != want {
        out.failures
            .push(Failure::NotIdempotent(unified(&want, &again.text)));
    }
}

/// Lines of the expected output that are missing (content lost, with the rule that
/// removed them) and lines of the output that should be gone (residue left).
fn line_failures(got: &Cleaned, want: &str) -> Vec<Failure> {
    let got_lines: Vec<&str> = got.text.lines().collect();
    let want_lines: Vec<&str> = want.lines().collect();
    // Looked up once per line of the other side: sets, not scans.
    let (in_got, in_want): (HashSet<&str>, HashSet<&str>) = (
        got_lines.iter().copied().collect(),
        want_lines.iter().copied().collect(),
    );
    // Expected lines come from input lines in order: find each one's input line, so a
    // lost line is blamed on the removal of that very line, not of a look-alike. Lines
    // still in the output anchor the search; a lost line is looked for just above the
    // next anchor (a heading lost above an article, not the same word in a menu).
    let input: Vec<&str> = got.input.split('\n').collect();
    let want_text: Vec<&str> = want_lines
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let mut anchors = vec![None; want_text.len()];
    let mut next = 0;
    for (k, w) in want_text.iter().enumerate() {
        if in_got.contains(w)
            && let Some(j) = (next..input.len()).find(|&j| squash(input[j]) == squash(w))
        {
            anchors[k] = Some(j);
            next = j + 1;
        }
    }
    let mut failures = Vec::new();
    for (k, w) in want_text.iter().enumerate() {
        // In the output is not lost, even when no input line reads the same (a span
        // stripped from it, or the expected text edited).
        if in_got.contains(w) {
            continue;
        }
        let from = anchors[..k]
            .iter()
            .rev()
            .find_map(|a| *a)
            .map_or(0, |a| a + 1);
        let to = anchors[k + 1..]
            .iter()
            .find_map(|a| *a)
            .unwrap_or(input.len());
        let source = (from..to.max(from))
            .rev()
            .find(|&j| squash(input[j]) == squash(w));
        // The removal of the line itself, not a span normalized on it before.
        let by_line = source.and_then(|j| {
            got.removals
                .iter()
                .find(|r| r.line == j + 1 && r.change == Change::Drop)
                .map(who)
        });
        failures.push(Failure::ContentLost {
            text: w.to_string(),
            rule: by_line.or_else(|| remover(got, w)),
        });
    }
    for g in got_lines.iter().filter(|l| !l.trim().is_empty()) {
        if !in_want.contains(g) {
            failures.push(Failure::ResidueLeft {
                text: g.to_string(),
                kept: keeper(got, &input, g),
            });
        }
    }
    failures
}

/// The rule whose removal overlaps `text` (whitespace-insensitive), if any.
fn remover(got: &Cleaned, text: &str) -> Option<String> {
    let t = squash(text);
    got.removals
        .iter()
        .find(|r| {
            let r = squash(&r.text);
            !r.is_empty() && (t.contains(&r) || r.contains(&t))
        })
        .map(who)
}

/// The heuristic that judged and kept the line holding `text`, with the score it kept on.
/// `input` is `got.input` split into lines, once for all the residue of a case.
fn keeper(got: &Cleaned, input: &[&str], text: &str) -> Option<String> {
    let t = squash(text);
    let line = |k: &&Kept| input.get(k.line - 1).map(|l| squash(l));
    // The line that reads so, else the first that holds it.
    (got.kept.iter().find(|k| line(k).is_some_and(|l| l == t)))
        .or_else(|| {
            got.kept
                .iter()
                .find(|k| line(k).is_some_and(|l| l.contains(&t)))
        })
        .map(|k| format!("{}: {k}", k.rule_id))
}

/// A removal's rule id, with the score that decided it if a heuristic scored the line.
fn who(r: &Removal) -> String {
    match r.score {
        Some(s) => format!("{}: {s}", r.rule_id),
        None => r.rule_id.to_string(),
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_case(
    cleaner: &Cleaner,
    input: &Path,
    expect: &Path,
    base: &DocContext,
    out: &mut Outcome,
) {
    let spec: Expect = match std::fs::read_to_string(expect)
        .map_err(|e| e.to_string())
        .and_then(|s| toml::from_str(&s).map_err(|e| e.to_string()))
    {
        Ok(s) => s,
        Err(e) => {
            return out
                .failures
                .push(Failure::Error(format!("{}: {e}", expect.display())));
        }
    };
    let cx = DocContext {
        path: Some(input),
        url: spec.url.as_deref().or(base.url),
        site: spec.site.as_deref().or(base.site),
    };
    if let Some(site) = spec.site.as_deref().filter(|s| !cleaner.book.knows_site(s)) {
        return out.failures.push(Failure::Error(format!(
            "{}: site = {site:?} names no loaded site file (by file stem or host)",
            expect.display()
        )));
    }
    let raw = match read_input(input) {
        Ok(raw) => raw,
        Err(e) => return out.failures.push(Failure::Error(e)),
    };
    let got = clean_input(cleaner, input, &raw, &cx);
    if spec.keep.is_empty() && spec.drop.is_empty() {
        return out.failures.push(Failure::Error(format!(
            "{}: asserts nothing; give `keep` or `drop` strings",
            expect.display()
        )));
    }
    // A string the input does not hold asserts nothing: a typo would pass as a drop
    // and fail as a keep with no rule to blame.
    // Looked for in the file as read, too: a page's text lacks what its HTML-level
    // rules took out whole, which its markup holds.
    let source = [&got.input, &*String::from_utf8_lossy(&raw)]
        .map(squash)
        .join("\n");
    let absent: Vec<String> = (spec.keep.iter().map(|k| ("keep", k)))
        .chain(spec.drop.iter().map(|d| ("drop", d)))
        .filter(|(_, t)| !source.contains(&squash(t)))
        .map(|(kind, t)| format!("{}: {kind} {t:?} is not in the input", expect.display()))
        .collect();
    if !absent.is_empty() {
        return out.failures.extend(absent.into_iter().map(Failure::Error));
    }
    let flat = squash(&got.text);
    for k in &spec.keep {
        if !flat.contains(&squash(k)) {
            out.failures.push(Failure::ContentLost {
                text: k.clone(),
                rule: remover(&got, k),
            });
        }
    }
    let input: Vec<&str> = got.input.split('\n').collect();
    for d in &spec.drop {
        if flat.contains(&squash(d)) {
            out.failures.push(Failure::ResidueLeft {
                text: d.clone(),
                kept: keeper(&got, &input, d),
            });
        }
    }
}

/// A rule example runs that rule alone, then tidy.
/// How example `index` of `rule` fails, if it does (where it stands, and the diff): it
/// needs no fixture or rule book.
pub fn example(rule: &Arc<Rule>, index: usize) -> Option<String> {
    let ex = &rule.examples[index];
    let set = Resolved::new(vec![rule.clone()], Vec::new(), Vec::new());
    let got = clean_with(&set, &ex.input);
    let want = tidy(&Document::from_text(&normalize(&ex.output)));
    (got.text != want).then(|| {
        format!(
            "{}:{}: example input {:?}\n{}",
            rule.file,
            ex.line,
            ex.input,
            unified(&want, &got.text)
        )
    })
}

/// A unified diff of expected against actual.
pub fn unified(want: &str, got: &str) -> String {
    TextDiff::from_lines(want, got)
        .unified_diff()
        .context_radius(2)
        .header("expected", "actual")
        .to_string()
}
