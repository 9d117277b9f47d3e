//! ftfy's own test cases (tests/data/ftfy/test_cases.json, from the ftfy 6.3.1 sdist,
//! Apache-2.0; see tests/data/ftfy/README.md) run through rinse's normalization with
//! its default steps, the function `rinse clean` calls, and once through the CLI.
//!
//! The bar: every case ftfy expects to pass gives ftfy's output (its `fixed-encoding`
//! where present, since rinse keeps quotes curly by default, else `fixed`), and no
//! case whose original is already right is changed. Where rinse's default steps
//! deliberately do more than ftfy's `fix_encoding`, the case is listed below by name
//! with the exact output rinse gives and why; anything else that differs fails.

use rinse::normalize::{Settings, Step, normalize_with};
use serde_json::Value;
use std::collections::BTreeMap;

struct Case {
    label: String,
    original: String,
    /// `fixed-encoding` if present, else `fixed`.
    expected: String,
    pass: bool,
}

fn cases() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/ftfy/test_cases.json"
    );
    let all: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    all.iter()
        .map(|c| {
            let s = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_string);
            Case {
                label: s("label").unwrap(),
                original: s("original").unwrap(),
                expected: s("fixed-encoding").or_else(|| s("fixed")).unwrap(),
                pass: s("expect").as_deref() == Some("pass"),
            }
        })
        .collect()
}

/// How rinse's output differs from ftfy's expected text, on purpose.
enum Differs {
    /// ftfy's text with no-break spaces as plain spaces: rinse's `spaces` step does
    /// that (ftfy keeps them); the mojibake repair is ftfy's own.
    NbspAsSpace,
    /// Exactly this text, for this reason.
    Exactly(&'static str, &'static str),
}

/// Cases ftfy expects to pass where rinse's default output differs from ftfy's
/// expected text on purpose, each with rinse's exact output. None of them is a
/// mojibake repair that rinse gets wrong.
fn known_differences() -> BTreeMap<&'static str, Differs> {
    use Differs::*;
    BTreeMap::from([
        ("UTF-8 / sloppy Windows-1250 mixup in English", NbspAsSpace),
        (
            "The same text as above, but as a UTF-8 / ISO-8859-2 mixup",
            NbspAsSpace,
        ),
        (
            "Negative: 'è' preceded by a non-breaking space is not a small capital Y",
            NbspAsSpace,
        ),
        (
            "Negative: copyright sign preceded by non-breaking space",
            NbspAsSpace,
        ),
        (
            "Negative: Finnish Ä followed by a non-breaking space",
            NbspAsSpace,
        ),
        (
            "A complex, lossy pile-up of mojibake in Portuguese",
            NbspAsSpace,
        ),
        (
            "Synthetic, negative: Romanian word before a non-breaking space",
            NbspAsSpace,
        ),
        (
            "HTML entity on top of UTF-8 / Latin-1",
            Exactly(
                "10μs",
                "the `entities` step decodes &frac14; before the repair; this is ftfy's `fixed` \
                 (fix_text), while `fixed-encoding` is fix_encoding alone",
            ),
        ),
        (
            "Synthetic, negative: don't leak our internal use of byte 0x1A",
            Exactly(
                "These control characters  are apparently intentional ",
                "the `controls` step removes U+001A (as ftfy's fix_text does) and U+0081, \
                 a C1 control with no windows-1252 meaning (ftfy keeps it)",
            ),
        ),
        (
            "Synthetic, negative: U+1A on its own",
            Exactly(
                "Here's a control character: ",
                "the `controls` step removes U+001A; this is ftfy's `fixed` (fix_text)",
            ),
        ),
    ])
}

impl Differs {
    fn output(&self, expected: &str) -> String {
        match self {
            Differs::NbspAsSpace => expected.replace('\u{a0}', " "),
            Differs::Exactly(s, _) => s.to_string(),
        }
    }

    fn why(&self) -> &'static str {
        match self {
            Differs::NbspAsSpace => "no-break space made a plain space by the `spaces` step",
            Differs::Exactly(_, why) => why,
        }
    }
}

/// ftfy's known failures that rinse gets right (compared as for passing cases, and
/// with quotes straightened, since ftfy's `fixed` straightens them).
///
/// - "Misleading mix-up in Spanish": ftfy's fix_text gets it as well; only its
///   fix_encoding check fails, on the curly quotes it keeps.
/// - The windows-1251 and MacRoman cases: rinse's badness scan also flags a Latin
///   small letter followed by `Г` + a windows-1251 symbol ("mГ©dicament") or by `√π`,
///   `√¨` ("pi√π"), which genuine text does not have.
const FAILURES_RIGHT: &[&str] = &[
    "Misleading mix-up in Spanish",
    "An example with 'à' in windows-1251 where we need our heuristic to be bolder",
    "Italian UTF-8 / MacRoman mojibake that looks like math",
];

/// Straight quotes: ftfy's `fixed` straightens them, rinse (by default) does not.
fn straight(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{2bc}' | '\u{2018}'..='\u{201b}' => '\'',
            '\u{201c}'..='\u{201f}' => '"',
            c => c,
        })
        .collect()
}

#[test]
fn ftfy_test_cases() {
    let cases = cases();
    let known = known_differences();
    let mut problems = Vec::new();
    let (mut pass_total, mut pass_same, mut pass_known) = (0, 0, 0);
    let (mut neg_total, mut neg_same) = (0, 0);
    let mut neg_listed = Vec::new();
    let mut fail_right = Vec::new();
    let mut seen_known = Vec::new();
    for c in &cases {
        let n = normalize_with(&c.original, &Settings::default());
        let got = n.text().to_string();
        if c.original == c.expected && c.pass {
            neg_total += 1;
            if got == c.original {
                neg_same += 1;
            } else if known.contains_key(c.label.as_str()) {
                neg_listed.push(c.label.as_str());
            } else if !known.contains_key(c.label.as_str()) {
                problems.push(format!(
                    "{}: already right, but changed to {got:?}",
                    c.label
                ));
            }
            // Whatever the listed default steps do, no negative is "repaired" (the
            // cases listed with an exact output are repaired by ftfy's fix_text too).
            let exact = matches!(known.get(c.label.as_str()), Some(Differs::Exactly(..)));
            for r in n.records.iter().filter(|_| !exact) {
                if ["normalize/mojibake", "normalize/entities"].contains(&&*r.rule_id) {
                    problems.push(format!(
                        "{}: already right, but {} changed {:?}",
                        c.label, r.rule_id, r.text
                    ));
                }
            }
        }
        if !c.pass {
            if got == c.expected || straight(&got) == straight(&c.expected) {
                fail_right.push(c.label.as_str());
            }
            continue;
        }
        pass_total += 1;
        if let Some(d) = known.get(c.label.as_str()) {
            seen_known.push(c.label.as_str());
            let want = d.output(&c.expected);
            if let Differs::NbspAsSpace = d {
                // With the `spaces` step off, the output is ftfy's to the byte.
                let mut s = Settings::default();
                s.set(Step::Spaces, false);
                let keep = normalize_with(&c.original, &s).text().to_string();
                if keep != c.expected {
                    problems.push(format!("{}: with spaces off: {keep:?}", c.label));
                }
            }
            if got == want {
                pass_known += 1;
            } else {
                problems.push(format!(
                    "{}: known difference ({}) no longer holds:\n  got      {got:?}\n  listed   {want:?}\n  ftfy     {:?}",
                    c.label,
                    d.why(),
                    c.expected
                ));
            }
        } else if got == c.expected {
            pass_same += 1;
        } else {
            problems.push(format!(
                "{}:\n  original {:?}\n  got      {got:?}\n  expected {:?}",
                c.label, c.original, c.expected
            ));
        }
    }
    println!(
        "ftfy cases: {} in all; {pass_total} expected to pass: {pass_same} give ftfy's output, \
         {pass_known} differ only by rinse's listed default steps; {neg_total} already-right \
         originals (negatives) expected to pass: {neg_same} unchanged, {} changed only by the \
         listed default steps {neg_listed:?}; {} of {} known failures right: {fail_right:?}",
        cases.len(),
        neg_listed.len(),
        fail_right.len(),
        cases.len() - pass_total,
    );
    for k in known.keys() {
        if !seen_known.contains(k) {
            problems.push(format!("listed difference names no passing case: {k}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(pass_same + pass_known, pass_total);
    assert_eq!(neg_same + neg_listed.len(), neg_total);
    assert_eq!(fail_right, FAILURES_RIGHT);
}

/// The same cases through `rinse clean --no-default-rules -`, all in one input, one
/// case a line: the CLI gives the library's output, tidied (trailing spaces trimmed).
#[test]
fn ftfy_cases_through_the_cli() {
    let cases = cases();
    let input: String = cases.iter().map(|c| format!("{}\n", c.original)).collect();
    let out = assert_cmd::Command::cargo_bin("rinse")
        .unwrap()
        .args(["clean", "--no-default-rules", "-"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(got.len(), cases.len());
    for (c, line) in cases.iter().zip(got) {
        let lib = normalize_with(&c.original, &Settings::default())
            .text()
            .to_string();
        assert_eq!(line, lib.trim_end(), "{}", c.label);
    }
}
