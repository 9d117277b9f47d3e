//! `rinse clean` as a user runs it: arguments, stdin, files written, stdout, stderr, exit code.

mod common;
use common::*;

use predicates::prelude::*;
use std::fs;

use tempfile::TempDir;

fn tree() -> TempDir {
    let t = TempDir::new().unwrap();
    write(t.path(), "a.txt", SEED);
    write(
        t.path(),
        "sub/deeper/b.txt",
        "Skip to content\n\nA short page that stays.\n",
    );
    write(t.path(), "sub/notes.md", "not a .txt: left alone\n");
    t
}

#[test]
fn cleans_a_nested_tree_beside_the_inputs() {
    let t = tree();
    rinse(t.path()).args(["clean", "."]).assert().success();
    assert_eq!(read(t.path(), "a.clean.txt"), SEED_EXPECTED);
    assert_eq!(
        read(t.path(), "sub/deeper/b.clean.txt"),
        "A short page that stays.\n"
    );
    assert!(!t.path().join("sub/notes.clean.md").exists());
    // Inputs untouched.
    assert_eq!(read(t.path(), "a.txt"), SEED);
}

#[test]
fn second_run_does_not_take_outputs_as_inputs() {
    let t = tree();
    rinse(t.path()).args(["clean", "."]).assert().success();
    rinse(t.path())
        .args(["clean", "."])
        .assert()
        .success()
        .stderr(predicate::str::contains("cleaned 0 files"))
        .stderr(predicate::str::contains("2 up to date"))
        .stderr(predicate::str::contains(
            "rinse: up to date = output written from the same input with the same options and rule files, and newer than them and rinse; --force cleans it anyway",
        ));
    rinse(t.path())
        .args(["clean", "--force", "."])
        .assert()
        .success()
        .stderr(predicate::str::contains("cleaned 2 files"));
    assert!(!t.path().join("a.clean.clean.txt").exists());
}

#[test]
fn a_file_reached_by_several_spellings_is_cleaned_once() {
    let t = tree();
    let abs = t.path().to_str().unwrap().to_string();
    rinse(t.path())
        .args([
            "clean", "--report", "r.jsonl", ".", "./", &abs, "sub", "a.txt",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("cleaned 2 files"));
    assert_eq!(read(t.path(), "r.jsonl").lines().count(), 2);
    std::fs::remove_file(t.path().join("r.jsonl")).unwrap();
    // Under --out-dir, a folder and a folder inside it would give the inner files two
    // outputs each.
    rinse(t.path())
        .args(["clean", "--out-dir", "out", ".", "sub/deeper"])
        .assert()
        .success()
        .stderr(predicate::str::contains("cleaned 2 files"));
    assert!(t.path().join("out/sub/deeper/b.txt").exists());
    assert!(!t.path().join("out/b.txt").exists());
}

#[test]
fn nothing_to_clean_is_said_not_passed_over() {
    let t = tree();
    // A folder with no file of a taken extension: a warning naming them, exit 0.
    rinse(t.path())
        .args(["clean", "sub/deeper", "--include", "*.md"])
        .assert()
        .success()
        .stderr(predicate::str::contains("rinse: no input found"));
    // An --exclude that takes every file is named in the warning.
    rinse(t.path())
        .args(["clean", "sub", "--exclude", "*.txt"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "or --include, less what --exclude names",
        ));
    // An output of rinse named as an input is refused by name, not skipped.
    write(t.path(), "old.clean.txt", "An older output.\n");
    rinse(t.path())
        .args(["clean", "old.clean.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "old.clean.txt: not cleaned: named like an output of rinse",
        ));
}

#[test]
fn usage_mistakes_are_refused_before_anything_is_written() {
    let t = tree();
    for (args, said) in [
        (
            &["clean", "-", "-"][..],
            "`-` (standard input) can be read once",
        ),
        (
            &["clean", "--suffix", "/../x", "a.txt"],
            "holds a path separator",
        ),
        (
            &["clean", "--shard", "0/2", "-"],
            "`-` (standard input) belongs to no shard",
        ),
        (
            &["clean", "--out-dir", "a.txt", "sub"],
            "--out-dir a.txt is a file, not a folder",
        ),
        (
            &["clean", "--rules", "a.txt", "a.txt"],
            "a.txt:1:1: a file, not a rules directory",
        ),
    ] {
        rinse(t.path())
            .args(args)
            .write_stdin("Some text.\n")
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(said));
    }
    assert!(!t.path().join("a.clean.txt").exists());
    assert!(!t.path().join("x").exists());
}

#[test]
fn stdin_to_stdout() {
    let t = TempDir::new().unwrap();
    rinse(t.path())
        .args(["clean", "-"])
        .write_stdin(SEED)
        .assert()
        .success()
        .stdout(SEED_EXPECTED);
}

#[test]
fn stdin_with_diff_keeps_the_cleaned_text_on_stdout_and_the_diff_on_stderr() {
    let t = TempDir::new().unwrap();
    rinse(t.path())
        .args(["clean", "--diff", "-"])
        .write_stdin(SEED)
        .assert()
        .success()
        .stdout(SEED_EXPECTED)
        .stderr(predicate::str::contains("-Skip to main content"));
    // With --dry-run no text is written: the diff alone, on stdout.
    rinse(t.path())
        .args(["clean", "--dry-run", "--diff", "-"])
        .write_stdin(SEED)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("--- -"))
        .stdout(predicate::str::contains("-Skip to main content"));
}

#[test]
fn out_dir_mirrors_the_tree_keeping_names() {
    let t = tree();
    let out = t.path().join("out");
    rinse(t.path())
        .args(["clean", "--out-dir", "out", "."])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(out.join("a.txt")).unwrap(),
        SEED_EXPECTED
    );
    assert!(out.join("sub/deeper/b.txt").is_file());
    assert!(!t.path().join("a.clean.txt").exists());
    // A second run does not clean its own out dir.
    rinse(t.path())
        .args(["clean", "--out-dir", "out", "."])
        .assert()
        .success();
    assert!(!out.join("out").exists());
}

#[test]
fn suffix_names_the_outputs() {
    let t = tree();
    rinse(t.path())
        .args(["clean", "--suffix", ".rinsed", "a.txt"])
        .assert()
        .success();
    assert!(t.path().join("a.rinsed.txt").is_file());
}

#[test]
fn dry_run_writes_nothing_and_says_what_would_change() {
    let t = tree();
    rinse(t.path())
        .args(["clean", "--dry-run", "."])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "would write ./a.clean.txt: 4 lines removed, 3 spans changed",
        ));
    assert!(!t.path().join("a.clean.txt").exists());
    assert!(!t.path().join("sub/deeper/b.clean.txt").exists());
    // After a real run, a dry run tells what a run would do: nothing, all up to date.
    rinse(t.path()).args(["clean", "."]).assert().success();
    rinse(t.path())
        .args(["clean", "--dry-run", "."])
        .assert()
        .success()
        .stderr(predicate::str::contains("would write").not())
        .stderr(predicate::str::contains("2 up to date"));
}

#[test]
fn diff_names_the_rules_in_hunk_headers() {
    let t = tree();
    rinse(t.path())
        .args(["clean", "--dry-run", "--diff", "a.txt"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "@@ -1,9 +1,7 @@ default/new-tab-marker, default/skip-link",
        ))
        .stdout(predicate::str::contains("-Skip to main content"));
}

#[test]
fn report_has_one_record_per_input_with_removals_per_rule() {
    let t = tree();
    rinse(t.path())
        .args(["clean", "--report", "report.jsonl", "."])
        .assert()
        .success();
    let report = read(t.path(), "report.jsonl");
    let recs: Vec<serde_json::Value> = report
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 2);
    let a = &recs[0];
    assert_eq!(a["path"], "./a.txt");
    assert_eq!(a["output"], "./a.clean.txt");
    assert_eq!(a["written"], true);
    assert_eq!(a["status"], "cleaned");
    assert_eq!(a["bytes_in"], SEED.len());
    assert_eq!(a["bytes_out"], SEED_EXPECTED.len());
    assert_eq!(a["lines_removed"], 4);
    assert_eq!(a["removals"]["default/new-tab-marker"], 3);
    assert_eq!(a["removals"]["default/byline-bio"], 3);
    assert_eq!(a["encoding"], "UTF-8");
    // A run that writes nothing says so: up to date, or a dry run.
    for args in [
        &["clean", "--report", "report.jsonl", "."][..],
        &[
            "clean",
            "--force",
            "--dry-run",
            "--report",
            "report.jsonl",
            ".",
        ],
    ] {
        rinse(t.path()).args(args).assert().success();
        let again = read(t.path(), "report.jsonl");
        let first: serde_json::Value = serde_json::from_str(again.lines().next().unwrap()).unwrap();
        assert_eq!(first["output"], "./a.clean.txt");
        assert_eq!(first["written"], false, "{args:?}");
        // Up to date, the sizes stand as the run that wrote it left them.
        if first["status"] == "up_to_date" {
            assert_eq!(first["bytes_in"], SEED.len());
            assert_eq!(first["bytes_out"], SEED_EXPECTED.len());
        }
    }
    // Stdin's output is stdout: written, unless this is a dry run.
    for (dry, written) in [(false, true), (true, false)] {
        let mut cmd = rinse(t.path());
        cmd.args(["clean", "--report", "r.jsonl", "-"]);
        if dry {
            cmd.arg("--dry-run");
        }
        cmd.write_stdin("Skip to content\nWords.\n")
            .assert()
            .success();
        let rec: serde_json::Value = serde_json::from_str(&read(t.path(), "r.jsonl")).unwrap();
        assert_eq!(rec["written"], written);
        assert_eq!(
            rec["output"],
            if dry {
                serde_json::Value::Null
            } else {
                "-".into()
            }
        );
    }
}

#[test]
fn report_never_replaces_an_input_but_replaces_an_earlier_report() {
    let t = tree();
    let a = read(t.path(), "a.txt");
    // A page of the tree, and a page named as an input: refused, both left as they were.
    for args in [["--report", "a.txt", "."], ["--report", "a.txt", "a.txt"]] {
        rinse(t.path())
            .arg("clean")
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "--report a.txt would replace an input of this run",
            ));
        assert_eq!(read(t.path(), "a.txt"), a);
        assert!(!t.path().join("a.clean.txt").exists());
    }
    // A file the walk would not take is no input, but it is no report either: kept.
    write(t.path(), "notes.md", "old notes\n");
    rinse(t.path())
        .args(["clean", "--report", "notes.md", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--report notes.md would replace a file that is not a report of rinse",
        ));
    assert_eq!(read(t.path(), "notes.md"), "old notes\n");
    // Nor is standard output that carries the cleaned text replaced by one.
    #[cfg(target_os = "linux")]
    {
        let run = sh(
            t.path(),
            "printf 'Skip to content\\nWords.\\n' | \"$RINSE\" clean --report out.txt - > out.txt",
        );
        assert_eq!(run.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&run.stderr).contains(
                "--report out.txt is standard output, which carries the cleaned text of -"
            )
        );
        fs::remove_file(t.path().join("out.txt")).unwrap();
        // Nor standard error, where the diffs go when standard output has the text.
        let run = sh(
            t.path(),
            "printf 'Skip to content\\nWords.\\n' | \"$RINSE\" clean --diff --report err.txt - 2> err.txt",
        );
        assert_eq!(run.status.code(), Some(2));
        assert!(
            read(t.path(), "err.txt")
                .contains("--report err.txt is standard error, which carries the diffs")
        );
        fs::remove_file(t.path().join("err.txt")).unwrap();
    }
    // A report inside the tree is written again on the next run, not refused.
    for _ in 0..2 {
        rinse(t.path())
            .args(["clean", "--force", "--report", "report.jsonl", "."])
            .assert()
            .success();
        assert_eq!(read(t.path(), "report.jsonl").lines().count(), 2);
    }
    // Nor is it an input of a later run without --report, or with another one; written
    // over with records of the user's, it is one again.
    #[cfg(target_os = "linux")]
    {
        for args in [
            &["clean", "--force", "."][..],
            &["clean", "--report", "r2.jsonl", "."],
        ] {
            rinse(t.path()).args(args).assert().success();
            assert!(!t.path().join("report.clean.jsonl").exists());
        }
        // Empty (a shard with no files), it is passed over too.
        rinse(t.path())
            .args(["clean", "--shard", "1/2", "--report", "e.jsonl", "a.txt"])
            .assert()
            .success();
        assert_eq!(read(t.path(), "e.jsonl"), "");
        rinse(t.path()).args(["clean", "."]).assert().success();
        assert!(!t.path().join("e.clean.jsonl").exists());
        fs::write(t.path().join("report.jsonl"), "{\"text\":\"Words.\"}\n").unwrap();
        rinse(t.path()).args(["clean", "."]).assert().success();
        assert!(t.path().join("report.clean.jsonl").exists());
    }
    // Its folder is made, as output folders are.
    rinse(t.path())
        .args([
            "clean",
            "--force",
            "--report",
            "reports/day1/r.jsonl",
            "a.txt",
        ])
        .assert()
        .success();
    assert_eq!(read(t.path(), "reports/day1/r.jsonl").lines().count(), 1);
    // A report does not replace an output (cleaned data, a path mistyped)...
    rinse(t.path())
        .args(["clean", "--report", "a.clean.txt", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--report a.clean.txt would replace a file that is not a report of rinse",
        ));
    // ...nor does an output replace the report: that input fails, the report stays.
    fs::remove_file(t.path().join("a.clean.txt")).unwrap();
    rinse(t.path())
        .args(["clean", "--report", "a.clean.txt", "a.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "a.txt: not cleaned: its output a.clean.txt would replace the --report file",
        ));
    assert!(read(t.path(), "a.clean.txt").starts_with("{\"path\":\"a.txt\""));
}

/// `--report -` writes the records to stdout, as `-` means stdout elsewhere; it is
/// refused where stdout already carries cleaned text or diffs.
#[test]
fn report_dash_goes_to_stdout_unless_stdout_is_taken() {
    let t = tree();
    let out = stdout(
        rinse(t.path())
            .args(["clean", "--quiet", "--report", "-", "."])
            .assert()
            .success(),
    );
    let records: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!records.is_empty());
    assert!(records.iter().all(|r| r["written"] == true));
    assert!(!t.path().join("-").exists());
    for args in [&["-"][..], &["--diff", "."]] {
        rinse(t.path())
            .args(["clean", "--report", "-"])
            .args(args)
            .write_stdin("Some text.\n")
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--report - would share stdout"));
    }
    // A dry run prints no cleaned text: the report has stdout to itself.
    let out = stdout(
        rinse(t.path())
            .args(["clean", "--quiet", "--dry-run", "--report", "-", "-"])
            .write_stdin("Skip to main content\nSome text.\n")
            .assert()
            .success(),
    );
    let record: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(record["removals"]["default/skip-link"], 1);
    // JSON Lines on stdin too: a dry run writes no records, the report alone.
    let out = stdout(
        rinse(t.path())
            .args([
                "clean",
                "--quiet",
                "--format",
                "jsonl",
                "--dry-run",
                "--report",
                "-",
                "-",
            ])
            .write_stdin("{\"text\":\"Skip to main content\\nSome text.\"}\n")
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .success(),
    );
    let record: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(record["records"], 1);
}

#[test]
fn include_and_exclude_globs() {
    let t = tree();
    rinse(t.path())
        .args(["clean", "--include", "*.md", "."])
        .assert()
        .success();
    assert!(t.path().join("sub/notes.clean.md").is_file());
    assert!(!t.path().join("a.clean.txt").exists());
    rinse(t.path())
        .args(["clean", "--exclude", "sub/**", "."])
        .assert()
        .success();
    assert!(t.path().join("a.clean.txt").is_file());
    assert!(!t.path().join("sub/deeper/b.clean.txt").exists());
}

/// Globs read as `.gitignore` reads them: a name without `/` matches at any depth (a
/// folder's name excludes what it holds), one with `/` is a path from the walked folder
/// whose `*` stays within one folder.
#[test]
fn globs_name_files_and_folders_at_any_depth_or_paths_from_the_walked_folder() {
    let t = TempDir::new().unwrap();
    for f in ["a/b/skip.txt", "a/b/keep.txt", "a/n1.txt", "top.txt"] {
        write(t.path(), &format!("corpus/{f}"), "Some text here.\n");
    }
    let taken = |flag: &str, glob: &str| -> Vec<String> {
        rinse(t.path())
            .args([
                "clean",
                "--dry-run",
                "--quiet",
                "--report",
                "r.jsonl",
                flag,
                glob,
            ])
            .arg("corpus")
            .assert()
            .success();
        (read(t.path(), "r.jsonl").lines())
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["path"].to_string())
            .map(|p| {
                p.trim_matches('"')
                    .trim_start_matches("corpus/")
                    .to_string()
            })
            .collect()
    };
    assert_eq!(
        taken("--exclude", "skip.txt"),
        ["a/b/keep.txt", "a/n1.txt", "top.txt"]
    );
    assert_eq!(taken("--exclude", "b"), ["a/n1.txt", "top.txt"]);
    // A trailing `/` names folders only, at any depth or as a path.
    assert_eq!(taken("--exclude", "b/"), ["a/n1.txt", "top.txt"]);
    assert_eq!(taken("--exclude", "a/b/"), ["a/n1.txt", "top.txt"]);
    assert_eq!(
        taken("--exclude", "top.txt/"),
        ["a/b/keep.txt", "a/b/skip.txt", "a/n1.txt", "top.txt"]
    );
    assert_eq!(
        taken("--exclude", "a/*.txt"),
        ["a/b/keep.txt", "a/b/skip.txt", "top.txt"]
    );
    assert_eq!(taken("--exclude", "a/**"), ["top.txt"]);
    assert_eq!(taken("--include", "n*.txt"), ["a/n1.txt"]);
    // A folder to include gives the files in it that would be taken by default.
    write(t.path(), "corpus/a/b/image.png", "not text");
    assert_eq!(taken("--include", "b/"), ["a/b/keep.txt", "a/b/skip.txt"]);
    assert_eq!(taken("--include", "**/keep.txt"), ["a/b/keep.txt"]);
}

#[test]
fn bad_rule_file_exits_2_naming_file_line_col_and_writes_nothing() {
    let t = tree();
    write(
        t.path(),
        "myrules/site.toml",
        "[[rule]]\nid = \"broken\"\ndrop = '^(unclosed$'\n",
    );
    rinse(t.path())
        .args(["clean", "--rules", "myrules", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "myrules/site.toml:3:8: site/broken: bad regex",
        ));
    assert!(!t.path().join("a.clean.txt").exists());
}

#[test]
fn one_bad_input_fails_alone_and_the_rest_is_written() {
    let t = tree();
    write(t.path(), "bin.txt", "\u{0}\u{1}\u{2}binary");
    write(t.path(), "big.txt", &"x".repeat(5000));
    rinse(t.path())
        .args(["clean", "--max-bytes", "4096", "."])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "./bin.txt: looks like a binary file",
        ))
        .stderr(predicate::str::contains(
            "./big.txt: file is 5000 bytes, over the limit of 4096",
        ));
    assert!(t.path().join("a.clean.txt").is_file());
    assert!(t.path().join("sub/deeper/b.clean.txt").is_file());
    assert!(!t.path().join("bin.clean.txt").exists());
    // A stream's size is not known: it is said to be over the limit, not to be as
    // large as what was read of it.
    rinse(t.path())
        .args(["clean", "--max-bytes", "4096", "-"])
        .write_stdin("y".repeat(5000))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "-: input is more than 4096 bytes, over the limit of 4096",
        ));
}

/// A device named as an input (here through a link with a text name) is refused, not
/// read without end.
#[cfg(unix)]
#[test]
fn a_device_is_refused_as_an_input() {
    let t = tree();
    std::os::unix::fs::symlink("/dev/zero", t.path().join("zero.txt")).unwrap();
    rinse(t.path())
        .args(["clean", "zero.txt", "a.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "zero.txt: is a device, not a file",
        ));
    assert!(t.path().join("a.clean.txt").is_file());
}

#[cfg(unix)]
#[test]
fn unreadable_path_and_symlink_loop_are_reported_by_name() {
    let t = tree();
    std::os::unix::fs::symlink("loop.txt", t.path().join("loop.txt")).unwrap();
    std::os::unix::fs::symlink(".", t.path().join("dirloop")).unwrap();
    std::os::unix::fs::symlink("gone.txt", t.path().join("dangling.txt")).unwrap();
    rinse(t.path())
        .args(["clean", ".", "missing.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing.txt: No such file"))
        .stderr(predicate::str::contains("loop.txt:"))
        .stderr(predicate::str::contains(
            "dangling.txt: a symbolic link to gone.txt, which does not exist",
        ));
    assert!(t.path().join("a.clean.txt").is_file());
}

#[test]
fn empty_file_gives_empty_output() {
    let t = TempDir::new().unwrap();
    write(t.path(), "empty.txt", "");
    rinse(t.path())
        .args(["clean", "empty.txt"])
        .assert()
        .success();
    assert_eq!(read(t.path(), "empty.clean.txt"), "");
}

#[test]
fn legacy_encoding_is_decoded() {
    let t = TempDir::new().unwrap();
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("Café crème, déjà vu à Noël.\n");
    fs::write(t.path().join("latin.txt"), &bytes).unwrap();
    rinse(t.path())
        .args(["clean", "latin.txt"])
        .assert()
        .success();
    assert_eq!(
        read(t.path(), "latin.clean.txt"),
        "Café crème, déjà vu à Noël.\n"
    );
}

/// A top-level `disable` in a file without `[site]` switches a built-in rule off for
/// every page; a mistyped id there is an error like one in `[site]`.
#[test]
fn a_file_without_site_disables_built_in_rules_everywhere() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/ours.toml",
        "disable = [\"default/skip-link\"]\n",
    );
    let page = "Skip to content\nBody text of the page.\n";
    rinse(t.path())
        .args(["clean", "-"])
        .write_stdin(page)
        .assert()
        .success()
        .stdout(page);
    // The listing says it is off, and only it.
    rinse(t.path())
        .arg("rules")
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(r"(?m)^default/skip-link +drop .* off: Accessibility")
                .unwrap(),
        )
        .stdout(
            predicate::str::is_match(r"(?m)^default/skip-link-de +drop .*  Accessibility").unwrap(),
        );
    write(
        t.path(),
        "rules/ours.toml",
        "disable = [\"default/skip-lnk\"]\n",
    );
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/ours.toml:1:12: default/skip-lnk: `disable` names no known rule",
        ));
    // A slip in a built-in file's stem is caught too; another stem may be a file of
    // another run's --rules (`news.at` beside a loaded `news.de`), and is let be.
    write(
        t.path(),
        "rules/news.de.toml",
        "[[rule]]\nid = \"promo\"\ndrop = '^x$'\n",
    );
    write(
        t.path(),
        "rules/ours.toml",
        "disable = [\"defualt/skip-link\", \"archive/old-rule\", \"news.at/promo\", \"defualt/skip-lnk\", \"DEFAULT/skip-link\", \"xml/foo\"]\n",
    );
    rinse(t.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/ours.toml:1:12: defualt/skip-link: `disable` names a rule file that is not loaded\n  hint: did you mean `default/skip-link`?",
        ))
        .stderr(predicate::str::contains(
            "defualt/skip-lnk: `disable` names a rule file that is not loaded\n  hint: did you mean the file `default`?",
        ))
        .stderr(predicate::str::contains(
            "DEFAULT/skip-link: `disable` names a rule file that is not loaded\n  hint: did you mean `default/skip-link`?",
        ))
        .stderr(predicate::str::contains("3 problems in rule files"));
}

#[test]
fn site_rules_apply_by_site_flag_and_disable_defaults() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/example.org.toml",
        r#"
[site]
hosts = ["example.org"]
disable = ["default/skip-link"]

[[rule]]
id = "promo"
drop = '^Buy our mug$'
"#,
    );
    let page = "Skip to content\nBody text.\nBuy our mug\n";
    // ./rules is used by default; the site file applies only when the site matches.
    rinse(t.path())
        .args(["clean", "-"])
        .write_stdin(page)
        .assert()
        .stdout("Body text.\nBuy our mug\n");
    rinse(t.path())
        .args(["clean", "--url", "https://www.example.org/a", "-"])
        .write_stdin(page)
        .assert()
        .stdout("Skip to content\nBody text.\n");
    rinse(t.path())
        .args(["clean", "--no-default-rules", "--site", "example.org", "-"])
        .write_stdin(page)
        .assert()
        .stdout("Skip to content\nBody text.\n");
    // Which site files applied is told: in the report, and by explain.
    for (url, sites) in [
        (
            "https://www.example.org/a",
            serde_json::json!(["example.org"]),
        ),
        ("https://example.net/a", serde_json::Value::Null),
    ] {
        rinse(t.path())
            .args(["clean", "--report", "r.jsonl", "--url", url, "-"])
            .write_stdin(page)
            .assert()
            .success();
        let rec: serde_json::Value = serde_json::from_str(&read(t.path(), "r.jsonl")).unwrap();
        assert_eq!(rec["sites"], sites);
    }
    rinse(t.path())
        .args(["explain", "--url", "https://www.example.org/a", "-"])
        .write_stdin(page)
        .assert()
        .stdout(predicate::str::ends_with(
            "1 removal (1 line, 0 spans); site rules: example.org\n",
        ));
    rinse(t.path())
        .args(["explain", "--url", "https://example.net/a", "-"])
        .write_stdin(page)
        .assert()
        .stdout(predicate::str::ends_with(
            "1 removal (1 line, 0 spans); no site file matched\n",
        ));
    // A site no file answers to is a mistake, not a clean with the defaults alone.
    for cmd in [&["clean", "-"][..], &["explain", "-"], &["rules"]] {
        rinse(t.path())
            .args(cmd)
            .args(["--site", "example.com"])
            .write_stdin(page)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(
                "--site example.com names no site rule file",
            ));
    }
}

#[test]
fn two_inputs_named_to_one_output_fail_instead_of_overwriting() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "in/a.html",
        "<p>The page as HTML, a paragraph of it.</p>",
    );
    write(t.path(), "in/a.txt", "The page as text, a line of it.\n");
    write(
        t.path(),
        "in/b.txt",
        "Another page that is cleaned as usual.\n",
    );
    // Under --out-dir both would be out/a.txt; beside the inputs both in/a.clean.txt.
    for (args, out) in [
        (&["clean", "--out-dir", "out", "in"][..], "out/a.txt"),
        (&["clean", "in"][..], "in/a.clean.txt"),
    ] {
        rinse(t.path())
            .args(args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "in/a.txt: not cleaned: its output {out} is also the output of in/a.html"
            )));
        // The first in walk order is written, whole; the others are cleaned as usual.
        assert_eq!(
            read(t.path(), out),
            "The page as HTML, a paragraph of it.\n"
        );
        let b = out.replace("a.", "b.");
        assert!(t.path().join(b).is_file());
    }
    // Two folders mirrored into one: the same relative path clashes across them.
    write(t.path(), "other/b.txt", "A page of another folder.\n");
    rinse(t.path())
        .args(["clean", "--out-dir", "both", "in", "other"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "other/b.txt: not cleaned: its output both/b.txt is also the output of in/b.txt",
        ));
    assert_eq!(
        read(t.path(), "both/b.txt"),
        "Another page that is cleaned as usual.\n"
    );
    // Two files named on the command line clash the same way.
    rinse(t.path())
        .args(["clean", "--out-dir", "files", "in/b.txt", "other/b.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "other/b.txt: not cleaned: its output files/b.txt is also the output of in/b.txt",
        ));
    // A file named twice is cleaned once, without an error.
    rinse(t.path())
        .args(["clean", "--force", "in/b.txt", "in/b.txt"])
        .assert()
        .success()
        .stderr(predicate::str::contains("cleaned 1 file"));
}

/// Roots that nest are mirrored below the outermost one, whichever comes first: a file
/// reached from both is one input with one output.
#[test]
fn nested_roots_mirror_below_the_outermost_whatever_their_order() {
    let t = TempDir::new().unwrap();
    write(t.path(), "g/x.txt", "Words of the root folder.\n");
    write(t.path(), "g/a/x.txt", "Words of the inner folder.\n");
    for (out, roots) in [("o1", ["g/a", "g"]), ("o2", ["g", "g/a"])] {
        rinse(t.path())
            .args(["clean", "--out-dir", out])
            .args(roots)
            .assert()
            .success()
            .stderr(predicate::str::contains("cleaned 2 files"));
        assert_eq!(
            read(t.path(), format!("{out}/x.txt")),
            "Words of the root folder.\n"
        );
        assert_eq!(
            read(t.path(), format!("{out}/a/x.txt")),
            "Words of the inner folder.\n"
        );
    }
}

/// An `--out-dir` is marked as rinse's: a later run over a tree that holds it passes over
/// the outputs in it, as the run that wrote them did; named as a root, it is cleaned.
#[cfg(target_os = "linux")]
#[test]
fn a_later_walk_passes_over_an_earlier_out_dir() {
    let t = TempDir::new().unwrap();
    write(t.path(), "corpus/a/x.txt", "Skip to content\nWords of x.\n");
    write(t.path(), "corpus/y.txt", "Skip to content\nWords of y.\n");
    rinse(t.path())
        .args(["clean", "--out-dir", "corpus/out", "corpus"])
        .assert()
        .success();
    rinse(t.path())
        .args(["clean", "corpus"])
        .assert()
        .success()
        .stderr(predicate::str::contains("cleaned 2 files"));
    assert!(!t.path().join("corpus/out/y.clean.txt").exists());
    assert!(!t.path().join("corpus/out/a/x.clean.txt").exists());
    rinse(t.path())
        .args(["clean", "--out-dir", "again", "corpus/out"])
        .assert()
        .success()
        .stderr(predicate::str::contains("cleaned 2 files"));
    assert_eq!(read(t.path(), "again/a/x.txt"), "Words of x.\n");
    // A folder that was there before the run may hold the user's files: not marked, so
    // a later walk still takes them.
    write(t.path(), "mine/notes.txt", "Skip to content\nMy notes.\n");
    write(t.path(), "raw/z.txt", "Skip to content\nWords of z.\n");
    rinse(t.path())
        .args(["clean", "--out-dir", "mine", "raw"])
        .assert()
        .success();
    rinse(t.path()).args(["clean", "."]).assert().success();
    assert!(t.path().join("mine/notes.clean.txt").exists());
}

/// An `--out-dir` inside the walked tree is skipped by the walk, so the files in it
/// are not inputs; but a file there that rinse did not write is the user's, and is
/// never replaced. Nor is a file the output folder links back to.
#[cfg(unix)]
#[test]
fn an_out_dir_inside_the_tree_never_replaces_a_file_rinse_did_not_write() {
    let t = TempDir::new().unwrap();
    write(t.path(), "w/x.txt", "Root file words.\n");
    write(t.path(), "w/a/x.txt", "Original words of a.\n");
    rinse(t.path())
        .args(["clean", "--out-dir", "w/a", "w"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "w/x.txt: not cleaned: its output w/a/x.txt would replace a file that rinse did not write",
        ));
    assert_eq!(read(t.path(), "w/a/x.txt"), "Original words of a.\n");
    // Through a link inside the output folder, back into the tree.
    write(
        t.path(),
        "in/b/y.txt",
        "Skip to main content\nWords of b.\n",
    );
    fs::create_dir(t.path().join("out")).unwrap();
    std::os::unix::fs::symlink("../in/b", t.path().join("out/b")).unwrap();
    rinse(t.path())
        .args(["clean", "--out-dir", "out", "in"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "in/b/y.txt: not cleaned: its output out/b/y.txt leads through a link into the input tree",
        ));
    assert_eq!(
        read(t.path(), "in/b/y.txt"),
        "Skip to main content\nWords of b.\n"
    );
    // An output rinse wrote is replaced by the next run, one that is not up to date
    // (a JSONL file with a record that could not be read) too.
    write(t.path(), "j/a.jsonl", "{\"text\":\"a\"}\nnot json\n");
    for _ in 0..2 {
        rinse(t.path())
            .args(["clean", "--out-dir", "j/out", "j"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("1 record could not be cleaned"))
            .stderr(predicate::str::contains("would replace").not());
    }
}

/// Anywhere an output would land, a file there that rinse did not write and that holds
/// other text is the user's: a real input that only looks like an output (`a.v2.txt`
/// beside `a.txt` under `--suffix .v2`), or a file in an `--out-dir` outside the tree.
/// It is never replaced; the input is named as failed. A copy of rinse's own outputs
/// that lost its extended attributes holds the same text and is cleaned as before.
#[cfg(target_os = "linux")]
#[test]
fn an_output_never_replaces_another_text_that_rinse_did_not_write() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "sv/a.txt",
        "Skip to content\nVersion one of the text.\n",
    );
    write(t.path(), "sv/a.v2.txt", "Version TWO, written by hand.\n");
    write(
        t.path(),
        "raw2025/page.txt",
        "Skip to content\nThe 2025 text.\n",
    );
    write(
        t.path(),
        "raw2024/page.txt",
        "The irreplaceable 2024 text.\n",
    );
    rinse(t.path())
        .args(["clean", "--suffix", ".v2", "sv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "sv/a.txt: cannot write sv/a.v2.txt: a file that rinse did not write is there",
        ));
    rinse(t.path())
        .args(["clean", "--out-dir", "raw2024", "raw2025"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "raw2025/page.txt: cannot write raw2024/page.txt: a file that rinse did not write",
        ));
    assert_eq!(
        read(t.path(), "sv/a.v2.txt"),
        "Version TWO, written by hand.\n"
    );
    assert_eq!(
        read(t.path(), "raw2024/page.txt"),
        "The irreplaceable 2024 text.\n"
    );
    // Outputs copied without their origin hold the same text: cleaned again as before.
    // After a rule change they differ: refused under --out-dir, unless --overwrite;
    // beside their inputs, `.clean` names are rinse's and are replaced.
    rinse(t.path())
        .args(["clean", "--out-dir", "out", "raw2025"])
        .assert()
        .success();
    fs::create_dir(t.path().join("copy")).unwrap();
    fs::write(
        t.path().join("copy/page.txt"),
        read(t.path(), "out/page.txt"),
    )
    .unwrap();
    let with = |rules: &str, args: &[&str]| {
        write(t.path(), "rules/r.toml", rules);
        rinse(t.path())
            .args(["clean", "--force", "raw2025"])
            .args(args)
            .assert()
    };
    with("", &["--out-dir", "copy"]).success();
    let drop_it = "[[rule]]\nid = \"x\"\ndrop = '^The 2025 text\\.$'\n";
    // A copy again: a new file, without the origin.
    fs::remove_file(t.path().join("copy/page.txt")).unwrap();
    fs::write(t.path().join("copy/page.txt"), "The 2025 text.\n").unwrap();
    with(drop_it, &["--out-dir", "copy"])
        .code(1)
        .stderr(predicate::str::contains("or pass --overwrite"));
    // A dry run says so too.
    with(drop_it, &["--out-dir", "copy", "--dry-run"])
        .code(1)
        .stderr(predicate::str::contains("or pass --overwrite"));
    with(drop_it, &["--out-dir", "copy", "--overwrite"]).success();
    assert_eq!(read(t.path(), "copy/page.txt"), "");
    fs::write(
        t.path().join("raw2025/page.clean.txt"),
        "Text of an older run.\n",
    )
    .unwrap();
    with(drop_it, &[]).success();
    assert_eq!(read(t.path(), "raw2025/page.clean.txt"), "");
}

/// File names that are not UTF-8 keep their bytes in their outputs' names: two inputs
/// that differ only in such a byte get two outputs, not one lossy name for both.
/// An output is readable by no one its input is not readable by: a private input
/// (0600) gives a private output; an ordinary or read-only one an ordinary 0644 file.
#[cfg(unix)]
#[test]
fn outputs_are_no_more_readable_than_their_inputs() {
    use std::os::unix::fs::PermissionsExt;
    let t = TempDir::new().unwrap();
    let mode = |rel: &str| {
        fs::metadata(t.path().join(rel))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    for (name, input) in [
        ("private", 0o600),
        ("group", 0o640),
        ("open", 0o644),
        ("frozen", 0o444),
    ] {
        let p = write(
            t.path(),
            &format!("{name}.txt"),
            "Some words of the page.\n",
        );
        fs::set_permissions(&p, fs::Permissions::from_mode(input)).unwrap();
    }
    fs::write(t.path().join("j.jsonl"), "{\"text\":\"a\"}\n").unwrap();
    fs::set_permissions(t.path().join("j.jsonl"), fs::Permissions::from_mode(0o600)).unwrap();
    // The umask (which rinse inherits) read from a file made here with 0666 asked.
    fs::write(t.path().join("probe"), "").unwrap();
    let umask = 0o666 & !mode("probe");
    rinse(t.path()).args(["clean", "."]).assert().success();
    for (name, want) in [
        ("private", 0o600),
        ("group", 0o640),
        ("open", 0o644),
        ("frozen", 0o644),
    ] {
        assert_eq!(mode(&format!("{name}.clean.txt")), want & !umask, "{name}");
    }
    assert_eq!(mode("j.clean.jsonl"), 0o600 & !umask);
    // An input of another group: its output is that group's too (or, where it cannot be
    // handed over, kept from the runner's group).
    use std::os::unix::fs::MetadataExt;
    let p = t.path().join("group.txt");
    if std::os::unix::fs::chown(&p, None, Some(65534)).is_ok() {
        rinse(t.path())
            .args(["clean", "--force", "group.txt"])
            .assert()
            .success();
        let out = fs::metadata(t.path().join("group.clean.txt")).unwrap();
        assert!(
            out.gid() == 65534 || out.mode() & 0o070 == 0,
            "{:o}",
            out.mode()
        );
    }
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_keep_their_bytes_in_the_output_name() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let t = TempDir::new().unwrap();
    let name = |b: &[u8]| OsStr::from_bytes(b).to_os_string();
    fs::write(t.path().join(name(b"a\xff.txt")), "one\n").unwrap();
    fs::write(t.path().join(name(b"a\xfe.txt")), "two\n").unwrap();
    rinse(t.path()).args(["clean", "."]).assert().success();
    let read = |b: &[u8]| fs::read_to_string(t.path().join(name(b))).unwrap();
    assert_eq!(read(b"a\xff.clean.txt"), "one\n");
    assert_eq!(read(b"a\xfe.clean.txt"), "two\n");
}

#[test]
fn an_output_that_would_replace_an_input_fails_and_the_input_stays() {
    let t = TempDir::new().unwrap();
    let page = "Skip to main content\nA page named as a file.\n";
    write(t.path(), "in/a.txt", page);
    write(t.path(), "in/b.txt", "Another page.\n");
    // Named as a file inside the output folder: its output path is the input itself.
    rinse(t.path())
        .args(["clean", "--out-dir", "in", "in/a.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "in/a.txt: not cleaned: its output in/a.txt would replace an input of this run",
        ));
    assert_eq!(read(t.path(), "in/a.txt"), page);
    // The output folder named as the input folder: a usage error, not a silent no-op.
    rinse(t.path())
        .args(["clean", "--out-dir", "in", "in"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--out-dir in is the input folder in: its outputs would replace the inputs",
        ));
    assert_eq!(read(t.path(), "in/a.txt"), page);
    // The same with the default naming: b's output is a file named as an input.
    write(t.path(), "in/b.clean.txt", "kept as it is\n");
    rinse(t.path())
        .args(["clean", "in/b.txt", "in/b.clean.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "in/b.txt: not cleaned: its output in/b.clean.txt would replace an input",
        ));
    assert_eq!(read(t.path(), "in/b.clean.txt"), "kept as it is\n");
}

/// A page cleaned to nothing is most often a rule or threshold gone wrong: `clean` says
/// so on stderr (not under --quiet) and still succeeds, and `test --bless` says it
/// blessed an empty expectation.
#[test]
fn an_emptied_page_is_named() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/r.toml",
        "[[rule]]\nid = \"all\"\ndrop = '^.+$'\n",
    );
    write(t.path(), "fixtures/p.txt", "A line of the article.\n");
    rinse(t.path())
        .args(["clean", "fixtures/p.txt"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "rinse: fixtures/p.txt: every line was removed (`rinse explain fixtures/p.txt` shows by which rules)",
        ));
    assert_eq!(read(t.path(), "fixtures/p.clean.txt"), "");
    rinse(t.path())
        .args(["clean", "--quiet", "-"])
        .write_stdin("A line of the article.\n")
        .assert()
        .success()
        .stderr("");
    // An empty input emptied is no news.
    rinse(t.path())
        .args(["clean", "-"])
        .write_stdin("\n\n")
        .assert()
        .success()
        .stderr(predicate::str::contains("every line").not());
    fs::remove_file(t.path().join("fixtures/p.clean.txt")).unwrap();
    // An empty input blessed empty is no news there either.
    write(t.path(), "fixtures/z.txt", "");
    rinse(t.path())
        .args(["test", "--bless"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "blessed fixtures/p.expected.txt (empty: every line was removed)",
        ))
        .stdout(predicate::str::contains(
            "blessed fixtures/z.expected.txt\n",
        ));
}
