//! Every `fixtures/**/X.txt` with an `X.expected.txt` (or `X.expect.toml`), and every
//! rule example, through the library with the repo's rules, as `rinse test` runs them.
//! `RINSE_BLESS=1 cargo test --test golden` rewrites expectations (never on CI).

use rinse::golden::{self, Case};
use rinse::rules::Sources;
use rinse::{Cleaner, RuleBook};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn fixtures_and_rule_examples_pass() {
    let book = RuleBook::load(&Sources {
        dirs: vec![root().join("rules")],
        defaults: true,
    })
    .unwrap_or_else(|e| panic!("rule files do not load:\n{e}"));
    let dir = root().join("fixtures");
    let mut cases = golden::discover(&dir);
    let goldens = cases
        .iter()
        .filter(|c| matches!(c, Case::Golden { .. }))
        .count();
    assert!(
        goldens >= 2,
        "the seed fixtures are missing under {}",
        dir.display()
    );
    cases.extend(golden::examples(book.rules()));
    let bless =
        std::env::var("RINSE_BLESS").is_ok_and(|v| v == "1") && std::env::var_os("CI").is_none();
    let cleaner = Cleaner::new(book);
    let mut report = String::new();
    for case in &cases {
        let out = golden::run(&cleaner, case, Path::new(&dir), bless, &Default::default());
        if let Some(p) = out.blessed {
            eprintln!("blessed {}", p.display());
        }
        for f in &out.failures {
            report.push_str(&format!("FAIL {}\n{f}\n\n", out.name));
        }
    }
    assert!(report.is_empty(), "\n{report}");
}

#[test]
fn seeds_pass_with_embedded_defaults_alone() {
    let book = RuleBook::load(&Sources {
        dirs: vec![],
        defaults: true,
    })
    .expect("embedded defaults load");
    let cleaner = Cleaner::new(book);
    let dir = root().join("fixtures/seeds");
    let cases = golden::discover(&dir);
    assert_eq!(cases.len(), 2);
    for case in &cases {
        let out = golden::run(&cleaner, case, &dir, false, &Default::default());
        assert!(out.failures.is_empty(), "{}: {:?}", out.name, out.failures);
    }
}
