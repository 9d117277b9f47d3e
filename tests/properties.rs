//! Invariants over generated and fixture text: idempotence, kept lines come from the
//! input in order, inputs are never modified.

use proptest::prelude::*;
use rinse::rules::Sources;
use rinse::{Cleaner, DocContext, RuleBook};
use std::sync::OnceLock;

fn cleaner() -> &'static Cleaner {
    static C: OnceLock<Cleaner> = OnceLock::new();
    C.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        Cleaner::new(
            RuleBook::load(&Sources {
                dirs: vec![dir],
                defaults: true,
            })
            .unwrap(),
        )
    })
}

fn clean(text: &str) -> String {
    cleaner().clean(text, &DocContext::default()).text
}

/// Lines that mix prose with the residue the rules and heuristics target, so the
/// generated pages exercise windows, cuts and heuristics together.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Z][a-z]{2,9}( [a-z]{1,9}){6,30}[.!?]",
        1 => Just(String::new()),
        1 => Just("Skip to main content".to_string()),
        1 => Just("Jane Doe".to_string()),
        1 => Just("Jane has worked as a reporter and editor for many years at several papers.".to_string()),
        1 => "[A-Z][a-z]{2,8} [a-z]{2,8}".prop_map(|s| format!("{s}{s}")),
        1 => "[A-Z][a-z]{2,8}( [a-z]{2,8}){3,9}".prop_map(|s| format!("{s} (opens in new tab) more words.")),
        1 => "[ \\t]{0,3}[a-z]{1,6}[ \\t\u{a0}]{0,3}",
        1 => "[^\\n\\r]{0,40}",
    ]
}

/// Short lines of the kinds that windowed, run-based and cut rules look at, so long pages
/// exercise rules uncovering each other's targets.
fn menu_line() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "EN",
        "DE",
        "Home",
        "Teilen",
        "Facebook",
        "Twitter",
        "Kommentare",
        "Related Posts",
        "25. März 2020",
        "März 2020",
        "Mehr zum Thema",
        "Impressum",
        "Anzeige",
        "By Jane Doe",
        "Schreibe einen Kommentar",
        "© 2024 Example",
        "1 of 12",
        "Menu",
        "",
    ])
    .prop_map(str::to_string)
}

fn long_page() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![2 => menu_line(), 1 => line()], 40..260)
        .prop_map(|lines| lines.join("\n"))
}

fn page() -> impl Strategy<Value = String> {
    (prop::collection::vec(line(), 0..40), prop::bool::ANY)
        .prop_map(|(lines, crlf)| lines.join(if crlf { "\r\n" } else { "\n" }))
}

/// `needle`'s characters appear in `hay` in order.
fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut h = hay.chars();
    needle.chars().all(|c| h.any(|x| x == c))
}

fn check_lines_from_input(input: &str, output: &str) {
    let normalized = rinse::normalize::normalize(input);
    let mut source = normalized.split('\n');
    for out in output.lines().filter(|l| !l.is_empty()) {
        assert!(
            source.any(|s| is_subsequence(out, s)),
            "output line {out:?} does not come, in order, from the input:\n{input}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn cleaning_is_idempotent(text in page()) {
        let once = clean(&text);
        prop_assert_eq!(clean(&once), once);
    }

    #[test]
    fn cleaning_long_menu_heavy_pages_is_idempotent(text in long_page()) {
        let once = clean(&text);
        prop_assert_eq!(clean(&once), once);
    }

    #[test]
    fn kept_lines_come_from_the_input_in_order(text in page()) {
        check_lines_from_input(&text, &clean(&text));
    }

    #[test]
    fn output_is_tidy(text in page()) {
        let out = clean(&text);
        prop_assert!(out.is_empty() || out.ends_with('\n') && !out.ends_with("\n\n"));
        prop_assert!(!out.starts_with('\n'));
        prop_assert!(!out.contains("\n\n\n"));
        prop_assert!(out.lines().all(|l| l == l.trim_end()));
    }
}

#[test]
fn a_strip_that_joins_the_halves_of_a_mangled_character_is_mended_in_the_same_clean() {
    // "â€" + "“" is "–" read as Windows-1252: normalization mends it only once the
    // marker between them is gone, so the first clean must mend it, not the second.
    let text = "He said \u{e2}\u{20ac}(opens in new tab)\u{201c} and left the room.\n";
    let c = cleaner().clean(text, &DocContext::default());
    assert_eq!(c.text, "He said \u{2013} and left the room.\n");
    assert_eq!(clean(&c.text), c.text);
    let ids: Vec<&str> = c.removals.iter().map(|r| &*r.rule_id).collect();
    assert_eq!(ids, ["normalize/mojibake", "default/new-tab-marker"]);
}

#[test]
fn fixtures_are_idempotent_and_keep_input_order() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut n = 0;
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let p = e.path();
        let name = p.to_string_lossy();
        if !name.ends_with(".txt") || name.ends_with(".expected.txt") {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
        let once = clean(&text);
        assert_eq!(clean(&once), once, "not idempotent: {name}");
        check_lines_from_input(&text, &once);
        n += 1;
    }
    assert!(n >= 2);
}

mod files {
    use super::*;
    use assert_cmd::Command;
    use std::fs;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]

        /// Whatever the pages hold, `rinse clean` never changes an input byte, and a second
        /// run over the same tree takes no output as input.
        #[test]
        fn inputs_are_never_modified(pages in prop::collection::vec(page(), 1..5)) {
            let t = tempfile::TempDir::new().unwrap();
            let mut before = Vec::new();
            for (i, p) in pages.iter().enumerate() {
                let path = t.path().join(format!("d{}/p{i}.txt", i % 2));
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(&path, p).unwrap();
                before.push((path, p.clone()));
            }
            // Pages with NUL bytes are refused as binary (exit 1); the rest are cleaned.
            let binary = pages.iter().filter(|p| p.contains('\0')).count();
            for _ in 0..2 {
                Command::cargo_bin("rinse").unwrap().current_dir(t.path())
                    .args(["clean", "--quiet", "."]).assert().code(i32::from(binary > 0));
            }
            for (path, text) in &before {
                prop_assert_eq!(&fs::read_to_string(path).unwrap(), text);
            }
            let outputs = walkdir::WalkDir::new(t.path()).into_iter().filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().contains(".clean.")).count();
            prop_assert_eq!(outputs, pages.len() - binary);
        }
    }
}
