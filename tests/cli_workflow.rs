//! The rule-authoring workflow as a user sees it: `rinse test`, `check`, `explain`, `rules`.

mod common;
use common::*;

use predicates::prelude::*;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

fn fixture_tree() -> TempDir {
    let t = TempDir::new().unwrap();
    write(t.path(), "fixtures/seeds/page.txt", SEED);
    write(t.path(), "fixtures/seeds/page.expected.txt", SEED_EXPECTED);
    t
}

#[test]
fn passing_fixture_tree_exits_0() {
    let t = fixture_tree();
    rinse(t.path())
        .arg("test")
        .assert()
        .success()
        .stdout(predicate::str::contains("ok   seeds/page"))
        .stdout(predicate::str::is_match(r"(?m)^\d+ passed, 0 failed$").unwrap());
}

/// An expected file with spaces at line ends or without its last newline (as an editor
/// may leave it) fails with what is wrong, not with every line both lost and left.
#[test]
fn an_expectation_that_differs_only_in_line_end_white_space_says_so() {
    let t = fixture_tree();
    let expected = t.path().join("fixtures/seeds/page.expected.txt");
    let spaced: String = SEED_EXPECTED.lines().map(|l| format!("{l}  \n")).collect();
    for edited in [spaced.as_str(), SEED_EXPECTED.trim_end()] {
        fs::write(&expected, edited).unwrap();
        rinse(t.path())
            .arg("test")
            .assert()
            .code(1)
            .stdout(predicate::str::contains(
                "the expected file differs only in white space at line ends",
            ))
            .stdout(predicate::str::contains("content lost").not())
            .stdout(predicate::str::contains("residue left").not());
    }
}

#[test]
fn changed_expectation_fails_with_case_name_and_diff_then_bless_fixes_it() {
    let t = fixture_tree();
    let expected = t.path().join("fixtures/seeds/page.expected.txt");
    let edited = SEED_EXPECTED.replace(
        "Apple has sternly denied any collusion",
        "Apple has denied any collusion",
    );
    fs::write(&expected, &edited).unwrap();
    rinse(t.path())
        .arg("test")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL seeds/page"))
        .stdout(predicate::str::contains("-Apple has denied any collusion"))
        .stdout(predicate::str::contains(
            "+Apple has sternly denied any collusion",
        ))
        .stdout(predicate::str::contains(
            "residue left: \"Apple has sternly",
        ))
        // Only the edited line is named: lines that had a span stripped are not lost.
        .stdout(predicate::function(|out: &str| {
            out.matches("content lost").count() == 1
        }))
        .stdout(predicate::str::contains("1 failed"));
    let input_before = fs::read(t.path().join("fixtures/seeds/page.txt")).unwrap();
    rinse(t.path())
        .args(["test", "--bless"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "blessed fixtures/seeds/page.expected.txt",
        ));
    assert_eq!(fs::read_to_string(&expected).unwrap(), SEED_EXPECTED);
    assert_eq!(
        fs::read(t.path().join("fixtures/seeds/page.txt")).unwrap(),
        input_before
    );
    rinse(t.path()).arg("test").assert().success();
}

#[test]
fn a_new_fixture_without_expectation_fails_until_blessed() {
    let t = fixture_tree();
    write(t.path(), "fixtures/example.com/page.txt", SEED);
    rinse(t.path())
        .arg("test")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL example.com/page"))
        .stdout(predicate::str::contains(
            "no page.expected.txt or .expect.toml beside fixtures/example.com/page.txt",
        ));
    let expected = t.path().join("fixtures/example.com/page.expected.txt");
    assert!(!expected.exists());
    rinse(t.path())
        .args(["test", "--bless"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "blessed fixtures/example.com/page.expected.txt",
        ));
    assert_eq!(fs::read_to_string(&expected).unwrap(), SEED_EXPECTED);
    rinse(t.path()).arg("test").assert().success();
}

#[test]
fn a_filter_that_matches_nothing_fails() {
    let t = fixture_tree();
    rinse(t.path())
        .args(["test", "--filter", "no-such-case"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("0 passed, 0 failed"))
        .stderr(predicate::str::contains("no test case ran"));
}

#[test]
fn bless_is_refused_on_ci_unless_explicit() {
    let t = fixture_tree();
    let expected = t.path().join("fixtures/seeds/page.expected.txt");
    fs::write(&expected, "stale\n").unwrap();
    rinse(t.path())
        .arg("test")
        .env("CI", "true")
        .env("RINSE_BLESS", "1")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("RINSE_BLESS is ignored on CI"));
    assert_eq!(fs::read_to_string(&expected).unwrap(), "stale\n");
    rinse(t.path())
        .args(["test", "--bless"])
        .env("CI", "true")
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&expected).unwrap(), SEED_EXPECTED);
}

#[test]
fn content_lost_names_the_rule_that_removed_it() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "fixtures/x/page.txt",
        "Intro line.\n\nFun fact\n\nThe body stays.\n",
    );
    write(
        t.path(),
        "fixtures/x/page.expect.toml",
        "keep = [\"Fun fact\", \"The body   stays.\"]\ndrop = [\"Intro line.\"]\n",
    );
    write(
        t.path(),
        "rules/mysite.toml",
        "[[rule]]\nid = \"fun-fact\"\ndrop = '^Fun fact$'\n",
    );
    rinse(t.path())
        .arg("test")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL x/page"))
        .stdout(predicate::str::contains(
            "content lost: \"Fun fact\" (removed by mysite/fun-fact)",
        ))
        .stdout(predicate::str::contains("residue left: \"Intro line.\""));
}

/// `rinse test` cleans fixtures as `clean` would with the same `--site`/`--url`, reads
/// expected files with Windows line endings as they read, and refuses what would test
/// nothing or the wrong thing: two inputs for one expected file, an unknown site.
#[test]
fn test_takes_site_and_url_and_refuses_fixtures_that_cannot_be_checked() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/sites/ex.toml",
        "[site]\nhosts = [\"example.com\"]\n\n[[rule]]\nid = \"x\"\ndrop = \"^Boilerplate line$\"\n",
    );
    write(
        t.path(),
        "fixtures/page.txt",
        "Boilerplate line\nSome text that stays in the page.\n",
    );
    write(
        t.path(),
        "fixtures/page.expected.txt",
        "Some text that stays in the page.\r\n",
    );
    rinse(t.path())
        .arg("test")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL page"));
    for flag in ["--url=https://example.com/a", "--site=example.com"] {
        rinse(t.path())
            .args(["test", flag])
            .assert()
            .success()
            .stdout(predicate::str::contains("ok   page"));
    }
    // An assertion beside the expected output is a second case, named apart.
    write(
        t.path(),
        "fixtures/page.expect.toml",
        "keep = [\"Some text\"]\n",
    );
    rinse(t.path())
        .args(["test", "--site=example.com"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ok   page\n"))
        .stdout(predicate::str::contains("ok   page (expect.toml)\n"));
    fs::remove_file(t.path().join("fixtures/page.expect.toml")).unwrap();
    write(
        t.path(),
        "fixtures/page.html",
        "<p>Some text that stays in the page.</p>",
    );
    write(
        t.path(),
        "fixtures/other.txt",
        "Some text that stays in the page.\n",
    );
    write(
        t.path(),
        "fixtures/other.expect.toml",
        "site = \"nope\"\nkeep = [\"Some text\"]\n",
    );
    rinse(t.path())
        .args(["test", "--site", "example.com"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "fixtures/page.html and fixtures/page.txt would both be checked against one expected file",
        ))
        .stdout(predicate::str::contains(
            "site = \"nope\" names no loaded site file",
        ));
    // An expectation whose input is gone, or one that asserts nothing, fails.
    fs::remove_file(t.path().join("fixtures/page.html")).unwrap();
    write(t.path(), "fixtures/gone.expected.txt", "Some text.\n");
    write(t.path(), "fixtures/other.expect.toml", "keep = []\n");
    rinse(t.path())
        .args(["test", "--site", "example.com"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "no gone.txt or gone.html beside fixtures/gone.expected.txt",
        ))
        .stdout(predicate::str::contains(
            "fixtures/other.expect.toml: asserts nothing",
        ))
        .stdout(predicate::str::contains("ok   page"));
}

/// A keep or drop string that the input does not hold is a typo, not a pass (drop) or
/// content lost to no rule (keep).
#[test]
fn expectations_naming_text_the_input_lacks_fail_as_such() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "fixtures/p.txt",
        "Skip to content\nThe article says something true.\n",
    );
    write(
        t.path(),
        "fixtures/p.expect.toml",
        "keep = [\"says something ture\"]\ndrop = [\"Skip to contnet\"]\n",
    );
    rinse(t.path())
        .arg("test")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "fixtures/p.expect.toml: keep \"says something ture\" is not in the input",
        ))
        .stdout(predicate::str::contains(
            "fixtures/p.expect.toml: drop \"Skip to contnet\" is not in the input",
        ))
        .stdout(predicate::str::contains("content lost").not());
    write(
        t.path(),
        "fixtures/p.expect.toml",
        "keep = [\"says something true\"]\ndrop = [\"Skip to content\"]\n",
    );
    rinse(t.path()).arg("test").assert().success();
}

#[test]
fn failing_rule_example_is_reported_with_id_and_file() {
    let t = TempDir::new().unwrap();
    fs::create_dir_all(t.path().join("fixtures")).unwrap();
    write(
        t.path(),
        "rules/mysite.toml",
        "[[rule]]\nid = \"promo\"\ndrop = '^Buy now$'\nexamples = [{ input = \"Buy now!\", output = \"\" }]\n",
    );
    rinse(t.path())
        .arg("test")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL mysite/promo example 1"))
        .stdout(predicate::str::contains("rules/mysite.toml:4"));
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/mysite.toml:4:1: mysite/promo: example 1 does not give its output",
        ));
}

#[test]
fn check_reports_every_problem_located() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/bad.toml",
        r#"[[rule]]
id = "a"
drop = '(unclosed'

[[rule]]
id = "b"
drop = '^x$'
colour = "red"
cut_aftr = '^y$'

[[rule]]
id = "a"
drop = '^y$'

[[rule]]
id = "list"
drop = [
    '^one$',
    '^t(wo$',
]
"#,
    );
    let out = rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/bad.toml:3:8: bad/a: bad regex",
        ))
        // Every unknown key of a rule, each at its place, with the keys a rule takes.
        .stderr(predicate::str::contains(
            "rules/bad.toml:8:1: bad/b: unknown key `colour`",
        ))
        .stderr(predicate::str::contains(
            "rules/bad.toml:9:1: bad/b: unknown key `cut_aftr`",
        ))
        .stderr(predicate::str::contains(
            "a rule's keys are: id, description",
        ))
        .stderr(predicate::str::contains(
            "rules/bad.toml:12:6: bad/a: duplicate rule id",
        ))
        // In a list, at the regex at fault, not at the list.
        .stderr(predicate::str::contains(
            "rules/bad.toml:19:5: bad/list: bad regex: in \"^t(wo$\"",
        ))
        .stderr(predicate::str::contains("5 problems in rule files"));
    // In the order of the file.
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let at = |s: &str| err.find(s).unwrap();
    assert!(at(":3:8:") < at(":8:1:") && at(":8:1:") < at(":9:1:") && at(":9:1:") < at(":12:6:"));
}

/// `unless` is a rule's precision guard: a line it matches anywhere is left alone, by
/// line actions and span actions alike; `rinse rules` shows it.
#[test]
fn unless_keeps_a_rule_off_the_lines_it_matches() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/r.toml",
        "[[rule]]\nid = \"stay\"\ndrop = '^Stay informed'\nunless = '\\b(said|told)\\b'\n\n\
         [[rule]]\nid = \"ad\"\nstrip = ' ?\\(ad\\)'\nunless = { literal = [\"(ad) hoc\"] }\n",
    );
    rinse(t.path())
        .args(["clean", "--no-default-rules", "-"])
        .write_stdin(
            "Stay informed with our alerts\n\
             Stay informed about closures, the council said.\n\
             A walk (ad) in the park.\n\
             An (ad) hoc (ad) meeting.\n",
        )
        .assert()
        .success()
        .stdout(
            "Stay informed about closures, the council said.\n\
             A walk in the park.\n\
             An (ad) hoc (ad) meeting.\n",
        );
    rinse(t.path())
        .args(["rules", "r/stay"])
        .assert()
        .success()
        .stdout(predicate::str::contains("  unless   \\b(said|told)\\b\n"));
    // A block's end line it spares still ends the block, and stays; a line is read
    // as whole-line patterns read it (trimmed) whatever the action.
    write(
        t.path(),
        "rules/r.toml",
        "[[rule]]\nid = \"ad\"\ndrop_between = { start = '^Advertisement$', end = '^Continue reading' }\nunless = 'said'\n\n\
         [[rule]]\nid = \"tab\"\nstrip = ' ?\\(opens in new tab\\)'\nunless = '^Quote'\n",
    );
    rinse(t.path())
        .args(["clean", "--no-default-rules", "-"])
        .write_stdin(
            "Advertisement\nContinue reading, the mayor said, after the break.\nProse one.\n\
             Advertisement\nContinue reading\nProse two.\n   Quote of the day (opens in new tab)\n",
        )
        .assert()
        .success()
        .stdout("Continue reading, the mayor said, after the break.\nProse one.\nProse two.\n   Quote of the day (opens in new tab)\n");
    // A bad regex there is reported like any pattern's.
    write(
        t.path(),
        "rules/r.toml",
        "[[rule]]\nid = \"stay\"\ndrop = '^Stay informed'\nunless = '(said'\n",
    );
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/r.toml:4:10: r/stay: bad regex",
        ));
}

/// A limit that leaves a rule nothing to take is refused, not silently inert; so is a
/// limit given to an action it does not apply to. Each is reported at its key's value.
#[test]
fn check_refuses_limits_under_which_a_rule_can_never_apply() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/r.toml",
        "[[rule]]\nid = \"a\"\ndrop = '^x$'\nmax_words = 0\n\n[[rule]]\nid = \"b\"\ndrop = '^y$'\nmin_run = 0\n\n\
         [[rule]]\nid = \"c\"\nstrip = 'z'\nmin_run = 2\n\n\
         [[rule]]\nid = \"d\"\ncut_after = '^Comments$'\nmax_cut_ratio = -1.0\n",
    );
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/r.toml:4:13: r/a: `max_words` must be at least 1",
        ))
        .stderr(predicate::str::contains(
            "rules/r.toml:9:11: r/b: `min_run` must be at least 1",
        ))
        .stderr(predicate::str::contains(
            "rules/r.toml:14:11: r/c: `min_run` applies to drop only",
        ))
        .stderr(predicate::str::contains(
            "rules/r.toml:19:17: r/d: `max_cut_ratio` must be a number >= 0",
        ));
}

#[test]
fn check_reports_a_bad_regex_failing_examples_and_bad_disables_in_one_run() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/mysite.toml",
        r#"[site]
hosts = ["mysite.com"]
disable = ["mysite/broken", "mysite/no-such-rule"]

[[rule]]
id = "broken"
drop = '(unclosed'

[[rule]]
id = "promo"
drop = '^Buy now$'
examples = [{ input = "Buy now!", output = "" }]
"#,
    );
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/mysite.toml:7:8: mysite/broken: bad regex",
        ))
        .stderr(predicate::str::contains(
            "rules/mysite.toml:3:29: mysite/no-such-rule: `disable` names no known rule",
        ))
        .stderr(predicate::str::contains(
            "rules/mysite.toml:12:1: mysite/promo: example 1 does not give its output",
        ))
        // The rule with a bad regex exists: disabling it is not a second problem.
        .stderr(predicate::str::contains("3 problems in rule files"));
}

/// A `replace` that would not be idempotent, or that names what is not there, is
/// refused when the rules load; one made of groups that would grow is not made.
#[test]
fn replacements_that_grow_break_lines_or_name_missing_groups_are_refused() {
    let t = TempDir::new().unwrap();
    let rule = |pattern: &str, with: &str| {
        write(
            t.path(),
            "rules/r.toml",
            &format!("[[rule]]\nid = \"x\"\nreplace = '{pattern}'\nwith = \"{with}\"\n"),
        );
        rinse(t.path())
            .args(["clean", "--no-default-rules", "-"])
            .write_stdin("a x b, Mr Smith, 5kg\n")
            .assert()
    };
    for (pattern, with, why) in [
        ("x", "xx", "the pattern matches its own replacement \"xx\""),
        (
            "(?-u:\\b)Mr(?-u:\\b)",
            "Mr.",
            "the pattern matches its own replacement",
        ),
        (" \\| ", "\\n", "`with` cannot hold a line break"),
        ("(\\d+)kg", "$1kg!", "`with` names group `1kg`"),
        ("(\\d+)kg", "[$2]", "`with` names group `2`"),
    ] {
        rule(pattern, with)
            .code(2)
            .stderr(predicate::str::contains(format!(
                "rules/r.toml:4:8: r/x: {why}"
            )));
    }
    // Fixed points and groups used as written are fine.
    rule("(?-u:\\b)Mr(?-u:\\b)\\.?", "Mr.")
        .success()
        .stdout("a x b, Mr. Smith, 5kg\n");
    rule("(\\d+)kg", "${1} kg")
        .success()
        .stdout("a x b, Mr Smith, 5 kg\n");
    // Made of a group, the replacement would be rewritten on every pass: not made.
    rule("(x)", "$1$1")
        .success()
        .stdout("a x b, Mr Smith, 5kg\n");
}

/// Replace rules that keep rewriting each other's replacements would grow a line without
/// bound or flip it on every clean: refused when literal, not made when built from
/// groups. A chain that settles is fine.
#[test]
fn replace_rules_that_rewrite_each_other_without_end_are_refused() {
    let t = TempDir::new().unwrap();
    let rules = |pairs: &[(&str, &str)]| {
        let file: String = (pairs.iter().enumerate())
            .map(|(k, (p, w))| {
                format!("[[rule]]\nid = \"r{k}\"\nreplace = '{p}'\nwith = \"{w}\"\n")
            })
            .collect();
        write(t.path(), "rules/r.toml", &file);
        rinse(t.path())
            .args(["clean", "--no-default-rules", "-"])
            .write_stdin("x and foo, a colour\n")
            .assert()
    };
    rules(&[("x", "yz"), ("y", "xx")]).code(2).stderr(predicate::str::contains(
        "rules/r.toml:2:1: r/r0: its replacement \"yz\" never settles: `r/r0`, `r/r1` keep rewriting it",
    ));
    rules(&[("foo", "bar"), ("bar", "foo")])
        .code(2)
        .stderr(predicate::str::contains(
            "r/r1: its replacement \"foo\" never settles",
        ));
    // Also against the defaults every site file runs with; two site files that never
    // run together are not judged against each other.
    let one = |p: &str, w: &str| format!("[[rule]]\nid = \"r\"\nreplace = '{p}'\nwith = \"{w}\"\n");
    write(t.path(), "rules/r.toml", &one("foo", "bar"));
    write(t.path(), "rules/s.toml", &one("bar", "foo"));
    rinse(t.path()).arg("check").assert().success();
    write(t.path(), "rules/default.toml", &one("bar", "foo"));
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/r.toml:2:1: r/r: its replacement \"bar\" never settles",
        ));
    fs::remove_file(t.path().join("rules/default.toml")).unwrap();
    fs::remove_file(t.path().join("rules/s.toml")).unwrap();
    rules(&[("colour", "color"), ("color", "hue")])
        .success()
        .stdout("x and foo, a hue\n");
    // Built from groups, they are checked per replacement: not made, and the run ends.
    rules(&[("(x)", "${1}y"), ("(y)", "x$1")])
        .success()
        .stdout("x and foo, a colour\n");
}

/// Whole-line patterns see runs of white space as one space: a literal copied from
/// scraped text with two spaces still matches, and a regex that could never match is
/// refused at its place.
#[test]
fn whole_line_patterns_read_white_space_as_lines_are_read() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/r.toml",
        "[[rule]]\nid = \"x\"\ndrop = { literal = [\"Paid  post\"] }\n",
    );
    rinse(t.path())
        .args(["clean", "--no-default-rules", "-"])
        .write_stdin("Paid  post\nPaid \t post\nText that stays.\n")
        .assert()
        .success()
        .stdout("Text that stays.\n");
    write(
        t.path(),
        "rules/r.toml",
        "[[rule]]\nid = \"x\"\ndrop = '^Paid  promo$'\n",
    );
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/r.toml:3:8: r/x: bad regex: two spaces or a tab can never match here",
        ));
    // Spaces that verbose mode drops, and a class that also takes a space, can match.
    write(
        t.path(),
        "rules/r.toml",
        r#"[[rule]]
id = "x"
drop = '''(?ix) ^ share  \s on $'''

[[rule]]
id = "y"
drop = '^a[\t ]b$'
"#,
    );
    rinse(t.path()).arg("check").assert().success();
}

/// A line a strip leaves empty is a line removed, in the report as in the diff and
/// `explain`: one drop of the line, under the rule that emptied it.
#[test]
fn a_line_a_strip_empties_counts_as_a_line_removed() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/r.toml",
        "[[rule]]\nid = \"tab\"\nstrip = ' ?\\(opens in new tab\\)'\n",
    );
    write(
        t.path(),
        "p.txt",
        "(opens in new tab)\nText stays (opens in new tab) here.\n",
    );
    rinse(t.path())
        .args(["clean", "--no-default-rules", "--report", "r.json", "p.txt"])
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_str(read(t.path(), "r.json").trim()).unwrap();
    assert_eq!(report["lines_removed"], 1);
    assert_eq!(report["removals"]["r/tab"], 2);
    rinse(t.path())
        .args(["explain", "--no-default-rules", "p.txt"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1  r/tab  drop     \"(opens in new tab)\"",
        ))
        .stdout(predicate::str::contains("1 line, 1 span"));
}

/// A file of more lines than a page has (a dump of many pages) is not cut at its first
/// "N thoughts on" heading: the rest of the file is not that page's comment thread.
#[test]
fn a_dump_of_many_pages_is_not_cut_at_one_pages_comments() {
    let t = TempDir::new().unwrap();
    let page = |n: usize| {
        format!(
            "Article {n} tells a long story about the town council and its budget for the year.\n\
             It goes on with a second sentence, as articles do, about the bridge and its repair.\n\
             The members argued for several hours about the cost of the work on the old road.\n\
             In the end they agreed to borrow part of the money and to raise the rest in taxes.\n\
             2 thoughts on “Article {n}”\n\
             A reader wrote a comment here.\n"
        )
    };
    let count = |pages: usize| -> usize {
        write(
            t.path(),
            "dump.txt",
            &(0..pages).map(page).collect::<String>(),
        );
        stdout(
            rinse(t.path())
                .args([
                    "explain",
                    "--json",
                    "--rule",
                    "default/comments-on-post",
                    "dump.txt",
                ])
                .assert()
                .success(),
        )
        .lines()
        .count()
    };
    // One page: the thread is cut, heading and comment (the rest of the page).
    assert!(count(1) >= 2);
    // 2,000 pages, 12,000 lines: nothing is cut.
    assert_eq!(count(2000), 0);
}

/// `explain` marks each removed span where it stood in the line, also when an earlier
/// strip shortened the line and the same text occurs twice.
#[test]
fn explain_marks_the_occurrence_each_span_was_taken_from() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/r.toml",
        "[[rule]]\nid = \"a\"\nstrip = '^\\[sponsored\\] '\n\n[[rule]]\nid = \"b\"\nstrip = ' \\(ad\\)'\n",
    );
    write(
        t.path(),
        "q.txt",
        "[sponsored] Meeting (ad) notes, see (ad) here\n",
    );
    rinse(t.path())
        .args(["explain", "--no-default-rules", "q.txt"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "in: [sponsored] Meeting[[ (ad)]] notes, see (ad) here",
        ))
        .stdout(predicate::str::contains(
            "in: [sponsored] Meeting (ad) notes, see[[ (ad)]] here",
        ));
}

/// A windowed drop settles in one clean, however long the run it takes: each dropped
/// line lets the next one into the window, as cleaning again would.
#[test]
fn a_windowed_drop_takes_a_whole_run_in_one_clean() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/r.toml",
        "[[rule]]\nid = \"menu\"\ndrop = '^Menu item \\d+$'\nwithin = { first = 1 }\n",
    );
    let menu: String = (1..=300).map(|i| format!("Menu item {i}\n")).collect();
    write(
        t.path(),
        "page.txt",
        &format!("{menu}The body of the page.\nMenu item 7\n"),
    );
    rinse(t.path())
        .args(["clean", "--no-default-rules", "page.txt"])
        .assert()
        .success();
    assert_eq!(
        read(t.path(), "page.clean.txt"),
        "The body of the page.\nMenu item 7\n"
    );
}

/// A strip that joins what it leaves into a new match takes that too, in the same clean:
/// residue nested deeper than the passes a clean makes still comes out in one.
#[test]
fn nested_residue_is_stripped_whole_in_one_clean() {
    let t = TempDir::new().unwrap();
    let mut nested = "(opens in new tab)".to_string();
    for _ in 0..150 {
        nested = format!("(opens in {nested} new tab)");
    }
    let out = stdout(
        rinse(t.path())
            .args(["clean", "-"])
            .write_stdin(format!("Read it here {nested} now.\n"))
            .assert()
            .success(),
    );
    assert_eq!(out, "Read it here now.\n");
}

/// Ids stay unique across what a run loads: a default rule cannot take a built-in
/// heuristic's id, and only one `default.toml` replaces the built-in defaults.
#[test]
fn check_refuses_ids_and_defaults_that_would_shadow_each_other() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "r2/default.toml",
        "[[rule]]\nid = \"byline-bio\"\ndrop = \"^x$\"\n",
    );
    write(
        t.path(),
        "r3/default.toml",
        "[[rule]]\nid = \"y\"\ndrop = \"^y$\"\n",
    );
    rinse(t.path())
        .args(["check", "--rules", "r2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "r2/default.toml:2:1: default/byline-bio: a built-in heuristic has this id",
        ));
    rinse(t.path())
        .args(["check", "--rules", "r3", "--rules", "r2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "r2/default.toml:1:1: r3/default.toml already replaces the built-in defaults",
        ));
}

#[test]
fn check_reports_toml_syntax_and_unknown_disable() {
    let t = TempDir::new().unwrap();
    write(t.path(), "rules/syntax.toml", "[[rule]\nid = 1\n");
    write(
        t.path(),
        "rules/site.toml",
        "[site]\nhosts = [\"a.com\"]\ndisable = [\"default/no-such-rule\", \"skip-link\"]\n",
    );
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rules/syntax.toml:1:"))
        .stderr(predicate::str::contains(
            "rules/site.toml:3:12: default/no-such-rule: `disable` names no known rule",
        ))
        // A bare name would turn nothing off: refused, with the id it likely means.
        .stderr(predicate::str::contains(
            "rules/site.toml:3:36: skip-link: `disable` takes a full rule id, `stem/name`",
        ))
        .stderr(predicate::str::contains(
            "did you mean `default/skip-link`?",
        ));
    // A misspelt heuristic parameter is placed at its own line, not the table's.
    write(
        t.path(),
        "rules/syntax.toml",
        "[heuristics.byline-bio]\nwindow = 3\nwindw = 3\n",
    );
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/syntax.toml:3:1: default/byline-bio: unknown field `windw`",
        ));
    // So is a value of the wrong type, which the message names by its key.
    write(
        t.path(),
        "rules/syntax.toml",
        "[heuristics.main-content]\nmin_lines = 3\nhi = \"high\"\n",
    );
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/syntax.toml:3:1: default/main-content: `hi`: invalid type: string \"high\"",
        ));
    // A share outside 0..1 could never (or always) be met: refused at its key.
    write(
        t.path(),
        "rules/syntax.toml",
        "[heuristics.after-residue]\nmin_share = 70\n",
    );
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/syntax.toml:2:1: default/after-residue: `min_share`: a share from 0 to 1 was \
             expected, not 70",
        ));
}

#[test]
fn check_finds_rule_ids_a_heuristic_names() {
    let t = TempDir::new().unwrap();
    // after-residue's marks are rule ids: a slip would mark nothing, silently.
    write(
        t.path(),
        "rules/site.toml",
        "[heuristics.after-residue]\nrules = [\"site/more\", \"default/relatd-heading-en\", \
         \"newsletter-label\"]\n\n[[rule]]\nid = \"more\"\ndrop = '^More from us$'\n",
    );
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/site.toml:2:23: default/relatd-heading-en: `rules` names no known rule",
        ))
        .stderr(predicate::str::contains(
            "rules/site.toml:2:52: newsletter-label: `rules` takes a full rule id",
        ))
        .stderr(predicate::str::contains("site/more").not());
}

#[test]
fn check_passes_on_the_repo_rules() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    rinse(repo)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains(": ok"));
    // It checks every file, so it takes no flag that picks a site's files.
    rinse(repo)
        .args(["check", "--site", "nosuch"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unexpected argument '--site'"));
}

#[test]
fn explain_lists_each_removal_of_the_seed_with_rule_ids() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = stdout(
        rinse(repo)
            .args(["explain", "fixtures/seeds/techradar-apple-russia.txt"])
            .assert()
            .success(),
    );
    assert!(out.contains("    1  default/skip-link "), "{out}");
    assert_eq!(
        out.matches("default/new-tab-marker  strip").count(),
        3,
        "{out}"
    );
    assert!(
        out.contains("its own [[(opens in new tab)]] against US tech"),
        "{out}"
    );
    assert_eq!(out.matches("default/byline-bio").count(), 3, "{out}");
    assert!(out.contains("\"Paul has worked as an archivist"), "{out}");
}

/// The records of a JSON Lines output.
fn json_lines(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn explain_gives_the_score_main_content_dropped_a_line_on() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = "fixtures/hard/german-news-short.txt";
    let json = stdout(
        rinse(repo)
            .args(["explain", "--json", "--rule", "default/main-content", page])
            .assert()
            .success(),
    );
    let recs = json_lines(&json);
    assert!(recs.len() > 10, "{json}");
    for r in &recs {
        // A line stays when its score is above the threshold where it stands.
        let (score, bar) = (
            r["score"].as_f64().unwrap(),
            r["threshold"].as_f64().unwrap(),
        );
        assert!(score <= bar, "{r}");
        assert!(r["in_main_text"].is_boolean(), "{r}");
    }
    // Rules' removals carry no score.
    let all = stdout(
        rinse(repo)
            .args(["explain", "--json", page])
            .assert()
            .success(),
    );
    assert!(
        all.lines()
            .filter(|l| !l.contains("default/main-content"))
            .all(|l| !l.contains("\"score\""))
    );
    let text = stdout(
        rinse(repo)
            .args(["explain", "--rule", "default/main-content", page])
            .assert()
            .success(),
    );
    assert!(
        text.lines().next().unwrap().contains(", needs > "),
        "{text}"
    );
    assert!(text.contains(" the main text"), "{text}");
    // A fixture that wants such a line kept says so, with the same numbers.
    let lost = recs[0]["text"].as_str().unwrap();
    fixture_fails_saying(
        &repo.join(page),
        &format!("keep = [{}]\n", serde_json::to_string(lost).unwrap()),
        &format!(
            "(removed by default/main-content: {}",
            shown_score(&recs[0])
        ),
    );
}

/// `rinse test` on a copy of `page` with `expect` (an `.expect.toml`) beside it fails,
/// and its report holds `says`.
fn fixture_fails_saying(page: &Path, expect: &str, says: &str) {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "fixtures/x/page.txt",
        &fs::read_to_string(page).unwrap(),
    );
    write(t.path(), "fixtures/x/page.expect.toml", expect);
    rinse(t.path())
        .arg("test")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(says));
}

/// A JSON record's score as `explain` and `test` show it.
fn shown_score(r: &serde_json::Value) -> String {
    format!(
        "score {:.2}, needs > {:.2}",
        r["score"].as_f64().unwrap(),
        r["threshold"].as_f64().unwrap()
    )
}

#[test]
fn test_without_a_fixtures_folder_runs_the_rule_examples() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/x.toml",
        "[[rule]]\nid = \"promo\"\ndrop = '^Buy now$'\n\
         examples = [{ input = \"Text.\\nBuy now\", output = \"Text.\" }]\n",
    );
    rinse(t.path())
        .arg("test")
        .assert()
        .success()
        .stderr(predicate::str::contains("no fixtures/ folder"))
        .stdout(predicate::str::contains(" passed, 0 failed"));
    // A failing example fails the run as it would with fixtures.
    write(
        t.path(),
        "rules/x.toml",
        "[[rule]]\nid = \"promo\"\ndrop = '^Buy now$'\n\
         examples = [{ input = \"Text.\\nBuy now\", output = \"Text.\\nBuy now\" }]\n",
    );
    rinse(t.path())
        .arg("test")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL x/promo example 1"));
    // A folder named but missing is still an error.
    rinse(t.path())
        .args(["test", "cases"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cases: fixture directory not found",
        ));
}

#[test]
fn check_refuses_a_pattern_that_would_take_every_line() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/x.toml",
        "[[rule]]\nid = \"typo\"\ndrop = 'Share|'\n\n\
         [[rule]]\nid = \"blank-or-share\"\ndrop = '^(Share)?$'\n\n\
         [[rule]]\nid = \"spaces\"\nstrip = '\\s*'\n",
    );
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/x.toml:3:8: x/typo: bad regex: it matches the empty string in lines it was not written for",
        ))
        .stderr(predicate::str::contains("rules/x.toml:11:9: x/spaces: bad regex"))
        .stderr(predicate::str::contains("blank-or-share").not());
    // Nothing is cleaned with such a file.
    write(t.path(), "page.txt", "An article sentence.\nShare\n");
    rinse(t.path()).args(["clean", "page.txt"]).assert().code(2);
    assert!(!t.path().join("page.clean.txt").exists());
}

#[test]
fn explain_kept_lists_the_lines_main_content_kept_with_their_scores() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = "fixtures/hard/recipe-backen.txt";
    let run = |args: &[&str]| {
        stdout(
            rinse(repo)
                .args(["explain"])
                .args(args)
                .arg(page)
                .assert()
                .success(),
        )
    };
    let recs = json_lines(&run(&["--kept", "--json"]));
    let (keeps, removals): (Vec<_>, Vec<_>) = recs.iter().partition(|r| r["change"] == "keep");
    assert!(keeps.len() > 5, "{recs:?}");
    let cleaned = stdout(
        rinse(repo)
            .args(["clean", "-", "--quiet"])
            .write_stdin(fs::read_to_string(repo.join(page)).unwrap())
            .assert()
            .success(),
    );
    let output: Vec<&str> = cleaned.lines().collect();
    let dropped: Vec<u64> = (removals.iter())
        .filter(|r| r["change"] == "drop")
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    for k in &keeps {
        // Kept because its score passed the threshold where it stood, or as the
        // headline; in the output.
        assert_eq!(k["rule_id"], "default/main-content", "{k}");
        assert!(
            k["score"].as_f64() > k["threshold"].as_f64() || k["headline"] == true,
            "{k}"
        );
        assert!(output.contains(&k["text"].as_str().unwrap()), "{k}");
        assert!(!dropped.contains(&k["line"].as_u64().unwrap()), "{k}");
    }
    // In line order among the removals, which are the same as without --kept.
    let lines: Vec<u64> = recs.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert!(lines.is_sorted(), "{lines:?}");
    assert_eq!(
        removals.into_iter().cloned().collect::<Vec<_>>(),
        json_lines(&run(&["--json"]))
    );
    let text = run(&["--kept"]);
    // A short one: the listing cuts long lines.
    let short = (keeps.iter())
        .find(|k| k["text"].as_str().unwrap().len() < 80)
        .unwrap();
    let first = short["text"].as_str().unwrap();
    assert!(
        text.lines().any(|l| l.contains("  keep  ")
            && l.contains(&format!("{first:?}"))
            && l.contains(", needs > ")),
        "{text}"
    );
    assert!(
        (text.lines().last().unwrap())
            .contains(&format!("; {} lines kept on a score", keeps.len())),
        "{text}"
    );
    assert!(!run(&[]).contains("  keep  "));
    // A fixture that wants such a line gone is told the score it was kept on.
    fixture_fails_saying(
        &repo.join(page),
        &format!("drop = [{}]\n", serde_json::to_string(first).unwrap()),
        &format!(
            "residue left: {first:?} (kept by default/main-content: {}",
            shown_score(short)
        ),
    );
}

#[test]
fn explain_cuts_a_very_long_removed_line_but_json_keeps_it_whole() {
    let t = TempDir::new().unwrap();
    let long = "Share ".repeat(1000);
    let page = format!(
        "A sentence of the article that stays.\n{}\n",
        long.trim_end()
    );
    write(
        t.path(),
        "rules/r.toml",
        "[[rule]]\nid = \"share-run\"\ndrop = '^(Share ?)+$'\n",
    );
    let out = stdout(
        rinse(t.path())
            .args(["explain", "--no-default-rules", "-"])
            .write_stdin(page.as_str())
            .assert()
            .success(),
    );
    assert!(out.contains("Share \"… (5699 more bytes)"), "{out}");
    assert!(out.len() < 600, "{out}");
    assert!(out.contains("1 removal (1 line, 0 spans)"), "{out}");
    let json = stdout(
        rinse(t.path())
            .args(["explain", "--no-default-rules", "--json", "-"])
            .write_stdin(page.as_str())
            .assert()
            .success(),
    );
    let rec: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rec["text"], long.trim_end());
}

#[test]
fn explain_and_test_show_lines_of_scripts_with_combining_marks_as_written() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/r.toml",
        "[[rule]]\nid = \"menu\"\ndrop = '^(หน้าแรก|होम)$'\n",
    );
    let out = stdout(
        rinse(t.path())
            .args(["explain", "--no-default-rules", "-"])
            .write_stdin("หน้าแรก\nहोम\nA sentence that stays.\n")
            .assert()
            .success(),
    );
    assert!(out.contains("\"หน้าแรก\""), "{out}");
    assert!(out.contains("\"होम\""), "{out}");
    assert!(!out.contains("\\u{"), "{out}");
}

#[test]
fn explain_json_and_rule_filter() {
    let t = TempDir::new().unwrap();
    let out = stdout(
        rinse(t.path())
            .args(["explain", "--json", "--rule", "default/new-tab-marker", "-"])
            .write_stdin(SEED)
            .assert()
            .success(),
    );
    let recs = json_lines(&out);
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[0]["rule_id"], "default/new-tab-marker");
    assert_eq!(recs[0]["change"], "strip");
    assert_eq!(recs[0]["line"], 7);
    assert_eq!(recs[0]["text"], "(opens in new tab)");
}

#[test]
fn explain_counts_one_span_taken_many_times_from_a_line_as_one_row() {
    let t = TempDir::new().unwrap();
    let text =
        "Ab\u{ad}schläge und Werk\u{ad}zeuge wur\u{ad}den ge\u{ad}nutzt.\nFaust\u{ad}keile\n";
    let out = stdout(
        rinse(t.path())
            .args(["explain", "-"])
            .write_stdin(text)
            .assert()
            .success(),
    );
    let rows: Vec<&str> = out.lines().filter(|l| l.contains("zero-width")).collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(
        rows[0].starts_with("    1 ") && rows[0].ends_with("(4 times in this line)"),
        "{out}"
    );
    assert!(
        rows[1].starts_with("    2 ") && !rows[1].contains("times"),
        "{out}"
    );
    // The total counts each removal, as `--json` lists each.
    assert!(out.contains("5 removals (0 lines, 5 spans)"), "{out}");
    let json = stdout(
        rinse(t.path())
            .args(["explain", "--json", "-"])
            .write_stdin(text)
            .assert()
            .success(),
    );
    assert_eq!(json_lines(&json).len(), 5);
}

#[test]
fn rules_lists_and_prints_one_in_full() {
    let t = TempDir::new().unwrap();
    rinse(t.path())
        .arg("rules")
        .assert()
        .success()
        // Each with its action and the file (and line) it comes from.
        .stdout(
            predicate::str::is_match(
                r"(?m)^default/skip-link +drop +rules/default.toml \(embedded\):\d+ +Accessibility",
            )
            .unwrap(),
        )
        .stdout(predicate::str::is_match(r"(?m)^default/byline-bio +heuristic ").unwrap());
    rinse(t.path())
        .args(["rules", "default/skip-link"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "within   first 60 or last 20 lines with text",
        ))
        .stdout(predicate::str::contains(
            "source:  rules/default.toml (embedded)",
        ));
    let out = rinse(t.path())
        .args(["rules", "--json", "default/byline-bio"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["action"], "heuristic");
    assert!(v["detail"]["params"]["window"].is_number());
    rinse(t.path())
        .args(["rules", "default/nope"])
        .assert()
        .code(2);
    // A site file's tuning holds for its pages: listed apart, not as every page's.
    write(
        t.path(),
        "rules/sites/gazette.toml",
        "[site]\nhosts = [\"gazette.example\"]\n\n[heuristics.main-content]\nt_out = -10.0\n",
    );
    rinse(t.path())
        .args(["rules", "default/main-content"])
        .assert()
        .success()
        .stdout(predicate::str::contains("  t_out = 1.0\n"))
        .stdout(predicate::str::contains(
            "  for the pages of rules/sites/gazette.toml:\n    t_out = -10.0\n",
        ));
    rinse(t.path())
        .args(["rules", "--site", "gazette", "default/main-content"])
        .assert()
        .success()
        .stdout(predicate::str::contains("  t_out = -10.0\n"))
        .stdout(predicate::str::contains(
            "source:  rules/default.toml (embedded), rules/sites/gazette.toml",
        ))
        .stdout(predicate::str::contains("for the pages of").not());
    // One a site file turns off is off for its pages, not unknown.
    write(
        t.path(),
        "rules/sites/gazette.toml",
        "[site]\nhosts = [\"gazette.example\"]\ndisable = [\"default/byline-bio\"]\n",
    );
    rinse(t.path())
        .args(["rules", "--site", "gazette", "default/byline-bio"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`default/byline-bio` is not in use for these pages",
        ));
}

/// Regression: a lost line whose text also stood earlier on the page (a menu word, say)
/// was blamed on the rule that removed the earlier copy.
#[test]
fn content_lost_is_blamed_on_the_removal_of_that_very_line() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/mysite.toml",
        "[[rule]]\nid = \"top\"\ndrop = '^Fun fact$'\nwithin = { first = 1 }\n\n\
         [[rule]]\nid = \"menu\"\ndrop = '^Menu item$'\n\n\
         [[rule]]\nid = \"bottom\"\ndrop = '^Fun fact$'\nwithin = { last = 3 }\n",
    );
    write(
        t.path(),
        "fixtures/x/page.txt",
        "Fun fact\nMenu item\nFun fact\nBody text stays.\nMore body text.\n",
    );
    write(
        t.path(),
        "fixtures/x/page.expected.txt",
        "Fun fact\nBody text stays.\nMore body text.\n",
    );
    rinse(t.path())
        .args(["test", "--no-default-rules"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "content lost: \"Fun fact\" (removed by mysite/bottom)",
        ));
}

/// A site file turns a heuristic off or tunes one threshold by naming just that key;
/// the other parameters stay the embedded defaults'.
#[test]
fn heuristic_tables_name_only_the_keys_they_change() {
    let t = TempDir::new().unwrap();
    let page = include_str!("../fixtures/hard/forum-katzen.txt");
    write(t.path(), "page.txt", page);
    let removed_by_detector = |dir: &Path| {
        stdout(
            rinse(dir)
                .args(["explain", "--json", "page.txt"])
                .assert()
                .success(),
        )
        .lines()
        .filter(|l| l.contains("\"default/main-content\""))
        .count()
    };
    let by_default = removed_by_detector(t.path());
    assert!(by_default > 0, "the detector removes lines of this page");

    write(
        t.path(),
        "rules/tune.toml",
        "[heuristics.main-content]\nt_out = 100.0\nt_in = 100.0\n",
    );
    rinse(t.path()).arg("check").assert().success();
    let strict = removed_by_detector(t.path());
    assert!(strict > by_default, "{strict} <= {by_default}");

    write(
        t.path(),
        "rules/tune.toml",
        "[heuristics.main-content]\nenabled = false\n",
    );
    rinse(t.path()).arg("check").assert().success();
    assert_eq!(removed_by_detector(t.path()), 0);
    rinse(t.path())
        .args(["clean", "page.txt"])
        .assert()
        .success();
    let cleaned = read(t.path(), "page.clean.txt");
    assert!(cleaned.lines().count() > 20);
}

/// A site's `paths` glob selects its file from any working folder: the path as given
/// and made absolute are both matched, so cleaning inside the site's folder applies
/// the same rules as cleaning from above it.
#[test]
fn site_paths_match_from_any_working_folder() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "corp/example.com/p.txt",
        "Boilerplate line\nSome text that stays in the page.\n",
    );
    let rules = t.path().join("rules");
    // A glob from the working folder matches however the path is written, too: `./x`,
    // or the `./` a walk of `.` puts before each file.
    for (glob, cwd, path) in [
        ("**/example.com/**", "", "corp/example.com/p.txt"),
        ("**/example.com/**", "corp/example.com", "p.txt"),
        ("example.com/**", "corp", "example.com/p.txt"),
        ("example.com/**", "corp", "./example.com/p.txt"),
        ("example.com/**", "corp", "./example.com"),
        ("example.com/**", "corp", "."),
        ("./example.com/**", "corp", "."),
        ("./example.com/**", "corp", "example.com/p.txt"),
    ] {
        write(
            t.path(),
            "rules/sites/ex.toml",
            &format!(
                "[site]\npaths = [\"{glob}\"]\n\n[[rule]]\nid = \"x\"\ndrop = \"^Boilerplate line$\"\n"
            ),
        );
        rinse(&t.path().join(cwd))
            .args(["clean", "--force", "--rules"])
            .arg(&rules)
            .arg(path)
            .assert()
            .success();
        assert_eq!(
            read(t.path(), "corp/example.com/p.clean.txt"),
            "Some text that stays in the page.\n",
            "{path} from {cwd:?}"
        );
    }
}

/// `hosts` entries are host names, compared as URLs' hosts are: case, `www.` and a
/// trailing dot do not matter, and what names no host is refused at its place.
#[test]
fn site_hosts_are_checked_and_compared_as_url_hosts() {
    let t = TempDir::new().unwrap();
    let site = |hosts: &str| {
        format!(
            "[site]\nhosts = [{hosts}]\n\n[[rule]]\nid = \"x\"\ndrop = \"^Boilerplate line$\"\n"
        )
    };
    write(
        t.path(),
        "rules/sites/ex.toml",
        &site("\"\", \"https://x.org/a\", \"*.x.org\""),
    );
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/sites/ex.toml:2:10: not a host name: \"\"",
        ))
        .stderr(predicate::str::contains(
            "rules/sites/ex.toml:2:14: not a host name: \"https://x.org/a\"",
        ))
        // A wildcard would never match: subdomains match without one.
        .stderr(predicate::str::contains(
            "rules/sites/ex.toml:2:33: not a host name: \"*.x.org\" (write a bare host \
             such as example.com; it also matches its subdomains)",
        ));
    write(
        t.path(),
        "rules/sites/ex.toml",
        &site("\"www.Example.com.\""),
    );
    for url in ["https://www.example.com./a", "https://news.example.com/b"] {
        rinse(t.path())
            .args(["clean", "--quiet", "--url", url, "-"])
            .write_stdin("Boilerplate line\nSome text that stays in the page.\n")
            .assert()
            .success()
            .stdout("Some text that stays in the page.\n");
    }
    // A `--url` that names no host would select no site file without a word.
    for url in ["", "not a url", "/a/page.html"] {
        rinse(t.path())
            .args(["clean", "--url", url, "-"])
            .write_stdin("Boilerplate line\n")
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("names no host"));
    }
}

/// A file of more lines than `max_lines` is a list or a dump, not a web page: the
/// detector leaves it to the rules (deciding it again after each drop would take time
/// growing with the square of its lines), unless a site file raises the limit.
#[test]
fn a_file_of_more_lines_than_a_page_has_is_left_to_the_rules() {
    let t = TempDir::new().unwrap();
    let items: String = (0..6000).map(|i| format!("Item {i}\n")).collect();
    write(
        t.path(),
        "list.txt",
        &format!("Skip to main content\n{items}"),
    );
    let removals = |dir: &Path| -> Vec<String> {
        stdout(
            rinse(dir)
                .args(["explain", "--json", "list.txt"])
                .assert()
                .success(),
        )
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["rule_id"].to_string())
        .collect()
    };
    assert_eq!(removals(t.path()), ["\"default/skip-link\""]);
    write(
        t.path(),
        "rules/tune.toml",
        "[heuristics.main-content]\nmax_lines = 100000\n",
    );
    let tuned = removals(t.path());
    assert!(
        tuned
            .iter()
            .filter(|id| id.contains("main-content"))
            .count()
            > 100
    );
}

/// A reader that goes away (`rinse explain x | head`) ends the run quietly; a stdout
/// that cannot be written (a full disk) is an error with exit code 1, never a panic.
#[cfg(target_os = "linux")]
#[test]
fn closed_or_full_stdout_is_handled_without_a_panic() {
    use std::process::Stdio;
    let t = TempDir::new().unwrap();
    write(t.path(), "page.txt", SEED);
    let bin = assert_cmd::cargo::cargo_bin("rinse");
    for args in [&["explain", "page.txt"][..], &["rules"][..]] {
        let mut child = std::process::Command::new(&bin)
            .args(args)
            .current_dir(t.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // closed before the first line is written
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
    // /dev/full: every write fails with "No space left on device".
    let full = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(&bin)
            .args(args)
            .current_dir(t.path())
            .stdin(Stdio::piped())
            .stdout(
                fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            )
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = full(&["explain", "page.txt"], "");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("rinse: cannot write to stdout: No space left on device"));
    // The cleaned text of stdin lost on the way out is a failed run.
    let (code, stderr) = full(&["clean", "-"], SEED);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("rinse: cannot write to stdout: No space left on device"));
    assert!(!stderr.contains("panicked"));
}
