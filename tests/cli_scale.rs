//! Running at scale: any number of threads gives the same bytes, shards cover every file
//! once, incremental runs skip what is up to date, JSONL streams in constant memory.

mod common;
use common::*;

use predicates::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tempfile::TempDir;

/// A tree of `n` pages in nested folders, each a little different.
fn corpus(n: usize) -> TempDir {
    let t = TempDir::new().unwrap();
    for i in 0..n {
        let p = t.path().join(format!("d{}/s{}/page{i}.txt", i % 5, i % 3));
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(
            &p,
            format!("Skip to content\nPage {i} headline\n\n{SEED}\n\nShare\n"),
        )
        .unwrap();
    }
    t
}

/// Every output under `root`, by relative path.
fn outputs(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn any_number_of_jobs_gives_identical_outputs_and_report() {
    let t = corpus(60);
    let out = TempDir::new().unwrap();
    for jobs in ["1", "4"] {
        rinse(t.path())
            .args(["clean", "--quiet", "--jobs", jobs, "--out-dir"])
            .arg(out.path().join(format!("out{jobs}")))
            .arg("--report")
            .arg(out.path().join(format!("report{jobs}.jsonl")))
            .arg(".")
            .assert()
            .success();
    }
    let (o1, o4) = (
        outputs(&out.path().join("out1")),
        outputs(&out.path().join("out4")),
    );
    assert_eq!(o1.len(), 60);
    assert_eq!(o1, o4);
    let r1 = fs::read_to_string(out.path().join("report1.jsonl")).unwrap();
    let r4 = fs::read_to_string(out.path().join("report4.jsonl")).unwrap();
    assert_eq!(r1.lines().count(), 60);
    assert_eq!(r1.replace("out1", "outN"), r4.replace("out4", "outN"));
}

/// How many of the `n` shards of a dry run over `roots` report each input (by its
/// path without a leading `./`).
/// Worker threads that cannot be started (here: a 1 GB address space, stacks of 1 TB)
/// are an error naming the flag, not a crash; nothing is written. The first thread
/// already fails to start: with stacks that fit, a thread could start and then fail to
/// set up its signal stack, which std aborts on.
#[cfg(target_os = "linux")]
#[test]
fn jobs_that_cannot_start_fail_with_a_message() {
    let t = corpus(3);
    let out = sh(
        t.path(),
        "ulimit -v 1000000 && RUST_MIN_STACK=1099511627776 exec \"$RINSE\" clean --jobs 2000 .",
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("rinse: cannot start 2000 worker threads:") && err.contains("--jobs"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let written = walkdir::WalkDir::new(t.path())
        .into_iter()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".clean.")
        })
        .count();
    assert_eq!(written, 0);
}

fn shard_counts(dir: &Path, n: usize, roots: &[&str]) -> BTreeMap<String, usize> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for k in 0..n {
        let report = dir.join(format!("r{k}.jsonl"));
        rinse(dir)
            .args([
                "clean",
                "--dry-run",
                "--quiet",
                "--shard",
                &format!("{k}/{n}"),
                "--report",
            ])
            .arg(&report)
            .args(roots)
            .assert()
            .success();
        for line in fs::read_to_string(&report).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let path = v["path"].as_str().unwrap();
            *seen
                .entry(path.trim_start_matches("./").to_string())
                .or_default() += 1;
        }
        fs::remove_file(&report).unwrap();
    }
    seen
}

#[test]
fn shards_cover_every_file_exactly_once() {
    let t = corpus(40);
    for n in [1, 3, 7] {
        let seen = shard_counts(t.path(), n, &["."]);
        assert_eq!(seen.len(), 40, "N = {n}");
        assert!(seen.values().all(|&c| c == 1), "N = {n}: {seen:?}");
        // Roots inside other roots reach files twice; each shard still takes a file
        // whichever root reached it, so one shard cleans it.
        let nested = shard_counts(t.path(), n, &["d2/s2", ".", "d1", "d3/s0/page3.txt"]);
        assert_eq!(nested, seen, "N = {n}, nested roots");
    }
    rinse(t.path())
        .args(["clean", "--shard", "3/3", "."])
        .assert()
        .code(2);
}

fn mtimes(root: &Path) -> BTreeMap<PathBuf, SystemTime> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".clean."))
        .map(|e| {
            (
                e.path().to_path_buf(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect()
}

#[test]
fn second_run_is_up_to_date_until_a_rule_file_changes() {
    let t = corpus(12);
    fs::create_dir(t.path().join("rules")).unwrap();
    let rule = t.path().join("rules/extra.toml");
    fs::write(
        &rule,
        "[[rule]]\nid = \"x\"\ndrop = '^Nothing matches this$'\n",
    )
    .unwrap();
    rinse(t.path()).args(["clean", "."]).assert().success();
    let first = mtimes(t.path());
    assert_eq!(first.len(), 12);
    std::thread::sleep(Duration::from_millis(20));
    rinse(t.path())
        .args(["clean", "."])
        .assert()
        .success()
        .stderr(predicate::str::contains("cleaned 0 files"))
        .stderr(predicate::str::contains("12 up to date"));
    assert_eq!(mtimes(t.path()), first, "an up-to-date run wrote something");
    // Touching a rule file makes everything stale again.
    std::thread::sleep(Duration::from_millis(20));
    fs::write(
        &rule,
        "[[rule]]\nid = \"x\"\ndrop = '^Nothing matches this either$'\n",
    )
    .unwrap();
    rinse(t.path())
        .args(["clean", "."])
        .assert()
        .success()
        .stderr(predicate::str::contains("cleaned 12 files"));
    assert!(mtimes(t.path()).iter().all(|(p, m)| *m > first[p]));
    // An edit whose file time is set back (`cp -p`, `rsync -a`) is seen by its text.
    fs::write(&rule, "[[rule]]\nid = \"x\"\ndrop = '^Still nothing$'\n").unwrap();
    let old = std::time::SystemTime::now() - Duration::from_secs(86_400 * 365);
    fs::File::options()
        .write(true)
        .open(&rule)
        .unwrap()
        .set_modified(old)
        .unwrap();
    rinse(t.path())
        .args(["clean", "."])
        .assert()
        .success()
        .stderr(predicate::str::contains("cleaned 12 files"));
}

#[test]
fn an_output_is_up_to_date_only_for_the_input_and_options_it_was_written_from() {
    let t = TempDir::new().unwrap();
    let page = |n: &str| format!("The {n} batch has an article sentence that stays.\nShare\n");
    fs::create_dir_all(t.path().join("d1")).unwrap();
    fs::create_dir_all(t.path().join("d2")).unwrap();
    fs::write(t.path().join("d2/x.txt"), page("second")).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    // The first batch's page is the newer one; its output newer still.
    fs::write(t.path().join("d1/x.txt"), page("first")).unwrap();
    let clean = |args: &[&str]| rinse(t.path()).arg("clean").args(args).assert();
    clean(&["--out-dir", "o", "d1"]).success();
    clean(&["--out-dir", "o", "d1"])
        .success()
        .stderr(predicate::str::contains("1 up to date"));
    // Another input that names the same output is cleaned, though older than it.
    clean(&["--out-dir", "o", "d2"])
        .success()
        .stderr(predicate::str::contains("cleaned 1 file"));
    let out = t.path().join("o/x.txt");
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "The second batch has an article sentence that stays.\n"
    );
    clean(&["--out-dir", "o", "d2"])
        .success()
        .stderr(predicate::str::contains("1 up to date"));
    // The same input and output named from another folder: still up to date.
    let abs = |p: &str| t.path().join(p).to_str().unwrap().to_string();
    rinse(&t.path().join("d1"))
        .args(["clean", "--out-dir", &abs("o"), &abs("d2")])
        .assert()
        .success()
        .stderr(predicate::str::contains("1 up to date"));
    // The input replaced by another with an older time (`cp -p`, `rsync -t`): cleaned.
    let input = t.path().join("d2/x.txt");
    fs::write(&input, page("replaced")).unwrap();
    let old = std::time::SystemTime::now() - Duration::from_secs(86_400 * 365);
    fs::File::options()
        .write(true)
        .open(&input)
        .unwrap()
        .set_modified(old)
        .unwrap();
    clean(&["--out-dir", "o", "d2"])
        .success()
        .stderr(predicate::str::contains("cleaned 1 file"));
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "The replaced batch has an article sentence that stays.\n"
    );
    // Other options write another output.
    clean(&["--out-dir", "o", "--no-default-rules", "d2"])
        .success()
        .stderr(predicate::str::contains("cleaned 1 file"));
    assert_eq!(fs::read_to_string(&out).unwrap(), page("replaced"));
    // A JSON Lines file with a record that could not be read fails again on the next
    // run, rather than counting as done.
    fs::write(
        t.path().join("b.jsonl"),
        format!("{}\nnot json\n", record(1)),
    )
    .unwrap();
    for _ in 0..2 {
        clean(&["b.jsonl"])
            .code(1)
            .stderr(predicate::str::contains("0 up to date, 1 failed"));
    }
}

/// One JSON record per line, with an id to check order.
fn record(i: usize) -> String {
    let text = format!("Skip to content\nRecord {i} says something true.\nShare");
    serde_json::json!({"id": i, "url": format!("https://example.com/{i}"), "text": text})
        .to_string()
}

/// A record whose field holds a page is read as HTML, as `-` is: its text comes out,
/// not half-removed markup; text that starts with markup (Markdown, say) stays text.
#[test]
fn jsonl_records_that_hold_pages_are_read_as_html() {
    let t = TempDir::new().unwrap();
    rinse(t.path())
        .args(["clean", "--format", "jsonl", "--no-default-rules", "-"])
        .write_stdin(
            "{\"html\":\"<!doctype html><title>T</title><p>First &amp; only.</p><ul><li>A</li></ul>\"}\n\
             {\"html\":\"<b>Bold</b> text\"}\n\
             {\"html\":\"<p align=center><img src=logo.png></p>\\n\\n# Title\"}\n",
        )
        .arg("--text-field")
        .arg("html")
        .assert()
        .success()
        .stdout(
            "{\"html\":\"First & only.\\n\\nA\"}\n{\"html\":\"<b>Bold</b> text\"}\n\
             {\"html\":\"<p align=center><img src=logo.png></p>\\n\\n# Title\"}\n",
        );
}

#[test]
fn jsonl_says_why_records_failed_and_which_flag_names_the_field() {
    let t = TempDir::new().unwrap();
    fs::write(
        t.path().join("a.jsonl"),
        "{\"body\":\"a\"}\n{\"body\":\"b\"}\n",
    )
    .unwrap();
    rinse(t.path())
        .args(["clean", "a.jsonl"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "(lines 1, 2); line 1: no string field `text` (--text-field names the field to clean)",
        ));
    rinse(t.path())
        .args(["clean", "--force", "--text-field", "body", "a.jsonl"])
        .assert()
        .success();
    // A --url-field that no record has is said, as site rules then go unchosen; the
    // report counts the records that had one.
    fs::write(
        t.path().join("a.jsonl"),
        "{\"body\":\"a\",\"link\":\"https://example.com/a\"}\n{\"body\":\"b\"}\n",
    )
    .unwrap();
    let clean = |url_field: &str| {
        rinse(t.path())
            .args(["clean", "--force", "--text-field", "body", "--url-field"])
            .args([url_field, "--report", "-", "a.jsonl"])
            .assert()
            .success()
    };
    clean("lnk").stderr(predicate::str::contains(
        "rinse: a.jsonl: no record has a string field `lnk` (--url-field)",
    ));
    clean("link")
        .stderr(predicate::str::contains("--url-field").not())
        .stdout(predicate::str::contains("\"records\":2,\"urls\":1"));
}

#[test]
fn jsonl_names_the_records_cleaned_to_nothing() {
    let t = TempDir::new().unwrap();
    let emptied = "{\"text\":\"Skip to main content\"}\n";
    let kept = "{\"text\":\"A sentence of the story that stays where it is.\"}\n";
    let blank = "{\"text\":\"\"}\n";
    // A record already empty was not emptied by rinse: only lines 1 and 4 are named.
    fs::write(
        t.path().join("a.jsonl"),
        [emptied, kept, blank, emptied].concat(),
    )
    .unwrap();
    rinse(t.path())
        .args(["clean", "--report", "-", "a.jsonl"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "rinse: a.jsonl: 2 records cleaned to nothing, every line removed (lines 1, 4)",
        ))
        .stdout(predicate::str::contains("\"emptied_records\":[1,4]"));
    fs::write(t.path().join("b.jsonl"), emptied.repeat(7)).unwrap();
    rinse(t.path())
        .args(["clean", "b.jsonl"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "7 records cleaned to nothing, every line removed (lines 1, 2, 3, 4, 5 and 2 more)",
        ));
    rinse(t.path())
        .args(["clean", "--quiet", "--force", "b.jsonl"])
        .assert()
        .success()
        .stderr("");
}

#[test]
fn jsonl_keeps_fields_and_order_and_passes_bad_lines_through() {
    let t = TempDir::new().unwrap();
    let written = record(1).replacen('{', "{\"price\":1.50, \"e\" : \"\\u00e9\",\"big\":1E5,", 1);
    let input = format!(
        "{written}\nnot json at all\n\n{}\n{{\"id\": 9}}\n",
        record(2)
    );
    fs::write(t.path().join("batch.jsonl"), &input).unwrap();
    rinse(t.path())
        .args(["clean", "--report", "r.json", "."])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "batch.jsonl: 2 records could not be cleaned and were passed through (lines 2, 5); line 2: ",
        ));
    let out = read(t.path(), "batch.clean.jsonl");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5);
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    // The field keeps its own ending: no newline added after the last line.
    assert_eq!(first["text"], "Record 1 says something true.");
    assert_eq!(first["id"], 1);
    assert_eq!(first["url"], "https://example.com/1");
    // Every byte but the text field's value is kept: numbers, escapes, spacing, order.
    let around = |l: &str| {
        let at = l.find("\"text\":").unwrap() + 7;
        let end = at + 1 + l[at + 1..].find('"').unwrap() + 1;
        (l[..at].to_string(), l[end..].to_string())
    };
    assert_eq!(around(lines[0]), around(&written));
    assert!(
        lines[0].starts_with("{\"price\":1.50, \"e\" : \"\\u00e9\",\"big\":1E5,\"id\":1,"),
        "{}",
        lines[0]
    );
    assert!(lines[0].find("\"id\"").unwrap() < lines[0].find("\"text\"").unwrap());
    assert_eq!(lines[1], "not json at all");
    assert_eq!(lines[2], "");
    assert_eq!(lines[4], "{\"id\": 9}");
    let report: serde_json::Value = serde_json::from_str(read(t.path(), "r.json").trim()).unwrap();
    assert_eq!(report["status"], "partial");
    assert_eq!(report["records"], 4);
    assert_eq!(report["record_errors"][0]["line"], 2);
    // Placed within the record, not by serde's "line 1", which reads as the file's.
    assert_eq!(
        report["record_errors"][0]["error"],
        "not JSON: expected ident (at byte 2 of the record)"
    );
    assert_eq!(report["removals"]["default/skip-link"], 2);
    // Each line keeps its own ending: CRLF stays CRLF, and a last line without one
    // gets none.
    fs::write(
        t.path().join("crlf.jsonl"),
        format!("{}\r\n\r\nnot json\r\n{}", record(1), record(2)),
    )
    .unwrap();
    rinse(t.path())
        .args(["clean", "crlf.jsonl"])
        .assert()
        .code(1);
    let out = read(t.path(), "crlf.clean.jsonl");
    let ends: Vec<&str> = out.split_inclusive('\n').collect();
    assert_eq!(ends.len(), 4, "{out:?}");
    assert!(ends[..3].iter().all(|l| l.ends_with("\r\n")), "{out:?}");
    assert!(ends[3].ends_with('}'), "{out:?}");
    assert!(out.contains("Record 2 says something true."));
}

/// What other writers of JSON Lines leave: a UTF-8 byte-order mark before the first
/// record, half of a surrogate pair where text was cut mid-emoji. Both are read; a
/// UTF-16 file is refused in words that say so, not a failure on every line.
#[test]
fn jsonl_with_a_byte_order_mark_or_a_lone_surrogate_is_cleaned_and_utf16_refused() {
    let t = TempDir::new().unwrap();
    let input = format!(
        "\u{feff}{}\n{{\"text\":\"Skip to main content\\nCut mid-emoji \\ud83d\",\"note\":\"\\udc00 as written\"}}\n",
        record(1)
    );
    fs::write(t.path().join("a.jsonl"), input).unwrap();
    rinse(t.path())
        .args(["clean", "a.jsonl"])
        .assert()
        .success();
    let out = read(t.path(), "a.clean.jsonl");
    let lines: Vec<&str> = out.lines().collect();
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["text"], "Record 1 says something true.");
    // Only the text is mended: another field keeps its bytes.
    assert_eq!(
        lines[1],
        "{\"text\":\"Cut mid-emoji \u{fffd}\",\"note\":\"\\udc00 as written\"}"
    );
    let utf16: Vec<u8> = "\u{feff}{\"text\":\"x\"}\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    fs::write(t.path().join("b.jsonl"), utf16).unwrap();
    rinse(t.path())
        .args(["clean", "b.jsonl"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "b.jsonl: JSON Lines must be UTF-8, and this starts with a UTF-16 byte-order mark",
        ));
    assert!(!t.path().join("b.clean.jsonl").exists());
}

#[test]
fn jsonl_dry_run_counts_records_and_diff_and_explain_say_they_do_not_apply() {
    let t = TempDir::new().unwrap();
    fs::write(
        t.path().join("d.jsonl"),
        format!("{}\n{}\n", record(1), record(2)),
    )
    .unwrap();
    rinse(t.path())
        .args(["clean", "--dry-run", "--diff", "d.jsonl"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("d.jsonl: no diff for JSON Lines"))
        .stderr(predicate::str::contains(
            "would write d.clean.jsonl: 2 records, 4 lines removed",
        ));
    assert!(!t.path().join("d.clean.jsonl").exists());
    rinse(t.path())
        .args(["explain", "d.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("explain shows one document"));
}

#[test]
fn a_record_over_max_bytes_is_passed_through_and_the_rest_cleaned() {
    let t = TempDir::new().unwrap();
    let long = serde_json::json!({"id": 2, "text": "x".repeat(5000)}).to_string();
    fs::write(
        t.path().join("a.jsonl"),
        format!("{}\n{long}\n{}", record(1), record(3)),
    )
    .unwrap();
    rinse(t.path())
        .args(["clean", "--max-bytes", "1000", "a.jsonl"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "1 record could not be cleaned and was passed through (line 2)",
        ));
    let out = read(t.path(), "a.clean.jsonl");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1], long);
    assert!(lines[2].contains("\"text\":\"Record 3 says something true.\""));
}

#[test]
fn a_compressed_name_on_plain_data_is_named_as_such() {
    let t = TempDir::new().unwrap();
    fs::write(t.path().join("a.jsonl.gz"), record(1)).unwrap();
    fs::write(t.path().join("b.jsonl.zst"), record(2)).unwrap();
    rinse(t.path())
        .args(["clean", "."])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "a.jsonl.gz: not gzip data, though its name says so",
        ))
        .stderr(predicate::str::contains(
            "b.jsonl.zst: not zstd data, though its name says so",
        ));
    assert!(!t.path().join("a.clean.jsonl.gz").exists());
    // An empty one is said to be empty; a zstd stream that opens with a skippable frame
    // (as pzstd writes) is zstd.
    fs::write(t.path().join("a.jsonl.gz"), b"").unwrap();
    let mut framed = vec![0x50, 0x2a, 0x4d, 0x18, 0, 0, 0, 0];
    framed.extend(zstd::encode_all(format!("{}\n", record(2)).as_bytes(), 3).unwrap());
    fs::write(t.path().join("b.jsonl.zst"), framed).unwrap();
    rinse(t.path())
        .args(["clean", "."])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "a.jsonl.gz: empty, not gzip data as its name says",
        ))
        .stderr(predicate::str::contains("b.jsonl.zst").not());
    let zst = zstd::decode_all(&fs::read(t.path().join("b.clean.jsonl.zst")).unwrap()[..]).unwrap();
    assert!(
        String::from_utf8(zst)
            .unwrap()
            .contains("Record 2 says something true.")
    );
}

#[test]
fn compressed_jsonl_is_cleaned_into_the_same_compression() {
    let t = TempDir::new().unwrap();
    let body = format!("{}\n{}\n", record(1), record(2));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body.as_bytes()).unwrap();
    fs::write(t.path().join("a.jsonl.gz"), gz.finish().unwrap()).unwrap();
    fs::write(
        t.path().join("b.jsonl.zst"),
        zstd::encode_all(body.as_bytes(), 3).unwrap(),
    )
    .unwrap();
    rinse(t.path()).args(["clean", "."]).assert().success();
    let gz = fs::read(t.path().join("a.clean.jsonl.gz")).unwrap();
    let mut plain = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut plain).unwrap();
    let zst = zstd::decode_all(&fs::read(t.path().join("b.clean.jsonl.zst")).unwrap()[..]).unwrap();
    assert_eq!(plain, String::from_utf8(zst).unwrap());
    assert_eq!(plain.lines().count(), 2);
    assert!(plain.contains("\"text\":\"Record 2 says something true.\""));
    // `--format jsonl` names the format, not the compression: that still comes from
    // the name, here one that would not say JSON Lines.
    fs::rename(t.path().join("a.jsonl.gz"), t.path().join("c.json.gz")).unwrap();
    rinse(t.path())
        .args(["clean", "--format", "jsonl", "c.json.gz"])
        .assert()
        .success();
    let gz = fs::read(t.path().join("c.json.clean.gz")).unwrap();
    let mut again = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut again).unwrap();
    assert_eq!(again, plain);
}

#[test]
fn spark_pipe_contract_one_line_out_per_line_in_same_order() {
    let t = TempDir::new().unwrap();
    let lines: Vec<String> = (0..300)
        .map(|i| {
            if i % 50 == 7 {
                "{broken".to_string()
            } else {
                record(i)
            }
        })
        .collect();
    let out = stdout(
        rinse(t.path())
            .args(["clean", "--format", "jsonl", "--quiet", "-"])
            .write_stdin(lines.join("\n") + "\n")
            .assert()
            .code(1),
    );
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(got.len(), 300);
    for (i, l) in got.iter().enumerate() {
        if i % 50 == 7 {
            assert_eq!(*l, "{broken");
        } else {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["id"], i);
        }
    }
}

#[test]
fn one_jsonl_file_on_many_threads_gives_the_bytes_and_report_of_one() {
    // Records of one file are cleaned in parallel batches: broken records, a record over
    // --max-bytes and blank lines must still come out in place, and the report alike.
    let t = TempDir::new().unwrap();
    let long = serde_json::json!({"id": "long", "text": "x".repeat(3000)}).to_string();
    let lines: Vec<String> = (0..2500)
        .map(|i| match i % 400 {
            13 => "{broken".to_string(),
            77 => long.clone(),
            150 => String::new(),
            _ => record(i),
        })
        .collect();
    fs::write(t.path().join("shard.jsonl"), lines.join("\n") + "\n").unwrap();
    for jobs in ["1", "4"] {
        rinse(t.path())
            .args(["clean", "--quiet", "--max-bytes", "2000", "--jobs", jobs])
            .args(["--out-dir", &format!("out{jobs}"), "--report"])
            .arg(format!("report{jobs}.jsonl"))
            .arg("shard.jsonl")
            .assert()
            .code(1);
    }
    let (o1, o4) = (
        read(t.path(), "out1/shard.jsonl"),
        read(t.path(), "out4/shard.jsonl"),
    );
    assert_eq!(o1, o4);
    let got: Vec<&str> = o1.lines().collect();
    assert_eq!(got.len(), 2500);
    for (i, l) in got.iter().enumerate() {
        match i % 400 {
            13 => assert_eq!(*l, "{broken"),
            77 => assert_eq!(*l, long),
            150 => assert_eq!(*l, ""),
            _ => assert_eq!(
                serde_json::from_str::<serde_json::Value>(l).unwrap()["text"],
                format!("Record {i} says something true.")
            ),
        }
    }
    let (r1, r4) = (
        read(t.path(), "report1.jsonl"),
        read(t.path(), "report4.jsonl"),
    );
    assert_eq!(r1.replace("out1", "outN"), r4.replace("out4", "outN"));
    let report: serde_json::Value = serde_json::from_str(r1.trim()).unwrap();
    let errors: Vec<u64> = (report["record_errors"].as_array().unwrap().iter())
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        errors,
        [
            14, 78, 414, 478, 814, 878, 1214, 1278, 1614, 1678, 2014, 2078, 2414, 2478
        ]
    );
    // Six lines are blank; of the records, seven are broken and seven too long.
    assert_eq!(report["records"], 2500 - 6);
    assert_eq!(report["removals"]["default/skip-link"], 2500 - 6 - 7 - 7);
}

/// `rinse clean --format jsonl -` as a child, its stdin and stdout piped.
fn jsonl_on_stdin() -> std::process::Child {
    use std::process::{Command as Proc, Stdio};
    Proc::new(env!("CARGO_BIN_EXE_rinse"))
        .args(["clean", "--format", "jsonl", "--quiet", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap()
}

/// A caller that writes one record and waits for its answer before writing the next
/// (a co-process) gets each answer while the input stays open.
#[test]
fn a_caller_waiting_for_each_record_is_answered_before_sending_the_next() {
    let mut child = jsonl_on_stdin();
    let mut stdin = child.stdin.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || {
        let mut line = String::new();
        while std::io::BufRead::read_line(&mut stdout, &mut line).unwrap_or(0) > 0 {
            tx.send(std::mem::take(&mut line)).unwrap();
        }
    });
    for i in 0..3 {
        writeln!(stdin, "{}", record(i)).unwrap();
        stdin.flush().unwrap();
        let answer = rx.recv_timeout(Duration::from_secs(30));
        if answer.is_err() {
            child.kill().unwrap();
        }
        let v: serde_json::Value = serde_json::from_str(&answer.expect("an answer")).unwrap();
        assert_eq!(v["id"], i);
        assert_eq!(v["text"], format!("Record {i} says something true."));
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

/// Peak resident memory of a child, read from /proc while it runs.
#[cfg(target_os = "linux")]
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

/// Stream `n` padded records through `rinse clean --format jsonl -`, check every record
/// comes back in order, and return the child's peak RSS in kB.
#[cfg(target_os = "linux")]
fn stream_records(n: usize) -> u64 {
    let mut child = jsonl_on_stdin();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let filler = "This sentence pads the record so the stream is large. ".repeat(20);
        for i in 0..n {
            let rec =
                serde_json::json!({"id": i, "text": format!("Skip to content\n{filler}\nShare")});
            writeln!(stdin, "{rec}").unwrap();
        }
    });
    let pid = child.id();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let reader = std::thread::spawn(move || {
        let mut count = 0;
        let mut line = String::new();
        while std::io::BufRead::read_line(&mut stdout, &mut line).unwrap() > 0 {
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            assert_eq!(v["id"], count);
            count += 1;
            line.clear();
        }
        count
    });
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        peak = peak.max(peak_rss_kb(pid).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(10));
    }
    writer.join().unwrap();
    assert_eq!(reader.join().unwrap(), n);
    peak
}

#[cfg(target_os = "linux")]
#[test]
fn jsonl_of_100000_records_streams_in_bounded_memory() {
    let small = stream_records(10_000);
    let large = stream_records(100_000);
    // About 110 MB went through; memory must not follow it.
    assert!(large < 100_000, "peak RSS {large} kB for 100,000 records");
    assert!(
        large < small + 10_000,
        "memory grew with the stream: {small} kB -> {large} kB"
    );
}

/// Ctrl-C mid-run: the files in flight are finished, no new one starts, the exit code
/// says so, and nothing half-written or temporary is left behind.
/// A reader that takes one record and closes the pipe (`| head -1`) ends the output; it
/// is no failure, as for text.
#[test]
fn jsonl_to_a_reader_that_closes_the_pipe_ends_quietly() {
    use std::io::{BufRead, Write};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rinse"))
        .args(["clean", "--format", "jsonl", "-"])
        .env_remove("CI")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        for i in 0..50_000 {
            // Ends when rinse stops reading.
            if writeln!(stdin, "{}", record(i)).is_err() {
                break;
            }
        }
    });
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("Record 0 says something true."), "{first}");
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("Broken pipe"), "{err}");
}

/// With stdin its only input, rinse is a filter: an interrupt ends it at once, even
/// while it waits on an upstream that sends nothing (`timeout`, a stalled pipe).
#[test]
fn interrupt_ends_a_filter_waiting_on_stdin_at_once() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rinse"))
        .args(["clean", "-"])
        .env_remove("CI")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Past start-up, where the handler is set; stdin stays open and silent.
    std::thread::sleep(Duration::from_millis(500));
    let signalled = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(130),
        "still waiting on stdin"
    );
}

#[test]
fn interrupt_finishes_files_in_flight_and_leaves_no_temp_files() {
    let t = corpus(3000);
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_rinse"))
        .current_dir(t.path())
        .args(["clean", "--quiet", "--jobs", "2", "."])
        .env_remove("CI")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let cleaned = |root: &Path| {
        let mut out = outputs(root);
        out.retain(|p, _| p.to_string_lossy().ends_with(".clean.txt"));
        out
    };
    // Interrupt once the first outputs are written. While the run goes on, only names
    // are looked at: a temp file seen by the walk may be renamed before it is read.
    let any_written = |root: &Path| {
        walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().ends_with(".clean.txt"))
    };
    let started = std::time::Instant::now();
    while !any_written(t.path()) && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let signalled = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let done = cleaned(t.path());
    assert!(
        !done.is_empty() && done.len() < 3000,
        "{} outputs",
        done.len()
    );
    // Every output is whole: the same bytes a clean of its input gives.
    let (rel, bytes) = done.iter().next_back().unwrap();
    let input = fs::read(
        t.path()
            .join(rel.to_string_lossy().replace(".clean.txt", ".txt")),
    )
    .unwrap();
    let again = rinse(t.path())
        .args(["clean", "-"])
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(bytes, &again);
    let temps: Vec<_> = walkdir::WalkDir::new(t.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".rinse-"))
        .collect();
    assert!(temps.is_empty(), "{temps:?}");
}
