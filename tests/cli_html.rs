//! HTML input as a user meets it: `.html` files in a tree, `-` sniffed, `--format html`,
//! declared encodings, site `[html]` selectors in `explain`, `check` and `rules`, and
//! pages too big or too deep for a naive parser.

mod common;
use common::*;

use predicates::prelude::*;
use std::fs;
use std::time::{Duration, Instant};
use tempfile::TempDir;

const ARTICLE: &str = "<p>The council voted on Tuesday to keep the old library open for \
    another ten years, after a long campaign by readers and staff.</p>\n<p>Work on the roof \
    will start in the spring and the reading rooms stay open while it lasts, the mayor \
    said after the vote.</p>";

fn page(extra_body: &str) -> String {
    format!(
        "<!doctype html><html><head><title>Library</title><script>var x = '<p>no</p>';</script>\
         <style>p {{ color: red }}</style></head><body>\n\
         <nav><ul><li><a href=/>Home</a></li><li><a href=/news>News</a></li></ul></nav>\n\
         <article><h1>Library stays open</h1>\n{ARTICLE}\n\
         <div class=\"social-share\"><a href=/s>Share on Facebook</a></div></article>\n\
         {extra_body}\
         <footer>Copyright 2024 The Town Paper</footer></body></html>"
    )
}

#[test]
fn html_files_in_a_tree_become_text_files() {
    let t = TempDir::new().unwrap();
    write(t.path(), "site/story.html", &page(""));
    write(t.path(), "site/old.htm", "<p>Short old page.</p>");
    rinse(t.path())
        .args(["clean", "--report", "r.jsonl", "."])
        .assert()
        .success();
    let out = read(t.path(), "site/story.clean.txt");
    assert_eq!(
        out,
        "Library stays open\n\nThe council voted on Tuesday to keep the old library open for \
         another ten years, after a long campaign by readers and staff.\n\nWork on the roof \
         will start in the spring and the reading rooms stay open while it lasts, the mayor \
         said after the vote.\n"
    );
    assert_eq!(read(t.path(), "site/old.clean.txt"), "Short old page.\n");
    // The report counts the HTML-level removals under their ids.
    let report = read(t.path(), "r.jsonl");
    let story = report.lines().find(|l| l.contains("story.html")).unwrap();
    let rec: serde_json::Value = serde_json::from_str(story).unwrap();
    assert_eq!(rec["removals"]["html/nav"], 2);
    assert_eq!(rec["removals"]["html/share"], 1);
    assert_eq!(rec["removals"]["html/footer"], 1);
    assert_eq!(rec["output"], "./site/story.clean.txt");
}

#[test]
fn out_dir_names_outputs_for_the_scorer() {
    let t = TempDir::new().unwrap();
    write(t.path(), "in/a/page.html", &page(""));
    rinse(t.path())
        .args(["clean", "--out-dir", "out", "in"])
        .assert()
        .success();
    let out = read(t.path(), "out/a/page.txt");
    assert!(out.starts_with("Library stays open\n"), "{out}");
}

#[test]
fn stdin_is_sniffed_and_format_can_be_forced() {
    let t = TempDir::new().unwrap();
    rinse(t.path())
        .args(["clean", "-"])
        .write_stdin(page(""))
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Library stays open\n\n"))
        .stdout(predicate::str::contains("<").not());
    // A fragment does not look like a page (Markdown and prose about markup start so
    // too); --format html, in explain too, says it is one.
    rinse(t.path())
        .args(["explain", "--format", "html", "--no-default-rules", "-"])
        .write_stdin("<b>Bold</b> words")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("0 removals"));
    rinse(t.path())
        .args(["clean", "-"])
        .write_stdin("<b>Bold</b> words and more words in a sentence.")
        .assert()
        .success()
        .stdout("<b>Bold</b> words and more words in a sentence.\n");
    rinse(t.path())
        .args(["clean", "--format", "html", "-"])
        .write_stdin("<b>Bold</b> words and more words in a sentence.")
        .assert()
        .success()
        .stdout("Bold words and more words in a sentence.\n");
    // And --format text keeps a page's markup as text.
    rinse(t.path())
        .args(["clean", "--format", "text", "--no-default-rules", "-"])
        .write_stdin("<html><p>x</p></html>")
        .assert()
        .success()
        .stdout("<html><p>x</p></html>\n");
}

#[test]
fn meta_charset_decides_the_encoding() {
    let t = TempDir::new().unwrap();
    let mut bytes = b"<html><head><meta charset=windows-1252></head><body><p>".to_vec();
    // "Caf\xe9 cr\xe8me" in windows-1252, and a curly quote (0x92).
    bytes.extend_from_slice(b"Caf\xe9 cr\xe8me, l\x92addition s\x92il vous pla\xeet.</p>");
    fs::write(t.path().join("p.html"), &bytes).unwrap();
    rinse(t.path())
        .args(["clean", "--report", "r.jsonl", "p.html"])
        .assert()
        .success();
    assert_eq!(
        read(t.path(), "p.clean.txt"),
        "Café crème, l’addition s’il vous plaît.\n"
    );
    let report = read(t.path(), "r.jsonl");
    assert!(report.contains("\"encoding\":\"windows-1252\""), "{report}");
    // --encoding still wins over the page's own declaration.
    rinse(t.path())
        .args(["clean", "--encoding", "iso-8859-2", "--format", "html", "-"])
        .write_stdin(bytes)
        .assert()
        .success()
        .stdout(predicate::str::contains("crčme"));
}

#[test]
fn a_page_without_body_or_html_tags() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "bare.html",
        "<title>T</title><p>First paragraph of a bare page.<p>Second one<br>with a break.",
    );
    rinse(t.path())
        .args(["clean", "bare.html"])
        .assert()
        .success();
    assert_eq!(
        read(t.path(), "bare.clean.txt"),
        "First paragraph of a bare page.\n\nSecond one\nwith a break.\n"
    );
}

/// A site file's `[html]` table: `root` keeps the story's box, `drop` removes
/// elements, and `explain` names the selector rule of each dropped block.
#[test]
fn site_selectors_are_applied_and_explained() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/sites/example.com.toml",
        "[site]\nhosts = [\"example.com\"]\n\n[html]\nroot = \"div.story\"\n\
         drop = [\"div.story .promo-box\", \"ul.tags\"]\n",
    );
    let html = format!(
        "<html><body><div class=top>Top bar of the site with its name</div>\
         <div class=story><h1>Library stays open</h1>{ARTICLE}\
         <div class=promo-box>Buy the paper at half price this week</div>\
         <ul class=tags><li>Library</li><li>Council</li></ul></div>\
         <div class=bottom>Bottom bar of the site with links</div></body></html>"
    );
    write(t.path(), "p.html", &html);
    let out = stdout(
        rinse(t.path())
            .args(["explain", "--url", "https://example.com/story", "p.html"])
            .assert()
            .success(),
    );
    let line_of = |text: &str| {
        out.lines()
            .find(|l| l.contains(text))
            .unwrap_or_else(|| panic!("no removal of {text:?} in:\n{out}"))
            .to_string()
    };
    assert!(line_of("Top bar of the site").contains("example.com/html-root[div.story]"));
    assert!(line_of("Bottom bar of the site").contains("example.com/html-root[div.story]"));
    assert!(line_of("Buy the paper").contains("example.com/html-drop[div.story .promo-box]"));
    assert!(line_of("\"Library\"").contains("example.com/html-drop[ul.tags]"));
    assert!(line_of("\"Council\"").contains("example.com/html-drop[ul.tags]"));
    assert!(!out.contains("The council voted"), "{out}");
    // The same page cleaned keeps the story and nothing else.
    rinse(t.path())
        .args(["clean", "--url", "https://example.com/story", "-"])
        .write_stdin(html)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Library stays open\n\nThe council voted",
        ))
        .stdout(predicate::str::contains("half price").not())
        .stdout(predicate::str::contains("Council\n").not())
        .stdout(predicate::str::contains("bar of the site").not());
    // `rinse rules` lists the selectors with the file they come from.
    rinse(t.path())
        .args(["rules"])
        .assert()
        .success()
        .stdout(predicate::str::contains("example.com/html-drop[ul.tags]"))
        .stdout(predicate::str::contains("html/outside-root"));
}

#[test]
fn check_locates_a_bad_selector() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/sites/bad.toml",
        "[site]\nhosts = [\"bad.example\"]\n\n[html]\ndrop = [\"div.ok\", \"div[[\"]\n",
    );
    rinse(t.path())
        .args(["check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/sites/bad.toml:5:19: bad/html-drop[div[[]: bad CSS selector: NoQualifiedNameInAttributeSelector",
        ));
    write(
        t.path(),
        "rules/sites/bad.toml",
        "[html]\nroot = \"main\"\nkeep = [\"p\"]\n",
    );
    rinse(t.path())
        .args(["check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown field `keep`"));
}

#[test]
fn builtin_html_rules_can_be_disabled() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "rules/sites/keep-nav.toml",
        "[site]\npaths = [\"**\"]\ndisable = [\"html/nav\"]\n",
    );
    let html = "<nav><a href=/a>Alpha section</a></nav><p>Body text of the page here.</p>";
    write(t.path(), "p.html", html);
    rinse(t.path()).args(["clean", "p.html"]).assert().success();
    assert_eq!(
        read(t.path(), "p.clean.txt"),
        "Alpha section

Body text of the page here.
"
    );
    // Where the site file does not apply, the nav goes.
    rinse(t.path())
        .args(["clean", "--format", "html", "-"])
        .write_stdin(html)
        .assert()
        .success()
        .stdout("Body text of the page here.\n");
    // Without the defaults, HTML is laid out and nothing else.
    let t = TempDir::new().unwrap();
    rinse(t.path())
        .args(["clean", "--no-default-rules", "-"])
        .write_stdin(page(""))
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Home\n\nNews\n\nLibrary stays open\n",
        ));
}

/// Generated at run time: a 50 MB page (mostly inline data, as pages with embedded
/// state are) and one nested 100,000 deep. Both finish quickly with their text.
#[test]
fn huge_and_deep_pages_finish_with_their_text() {
    let t = TempDir::new().unwrap();
    let mut big = String::with_capacity(51 << 20);
    big.push_str("<html><head><script>window.state = [");
    while big.len() < 40 << 20 {
        big.push_str("{\"id\": 12345, \"title\": \"<p>not text</p>\"},");
    }
    big.push_str("];</script></head><body>");
    while big.len() < 50 << 20 {
        big.push_str("<div class=\"card\"><span data-x=\"1\"></span></div><!-- spacer -->\n");
    }
    big.push_str(&page(""));
    write(t.path(), "big.html", &big);
    let deep = format!(
        "<html><body>{}<p>Deep inside one hundred thousand boxes there is a sentence.</p>{}",
        "<div><section>".repeat(50_000),
        "</section></div>".repeat(50_000)
    );
    write(t.path(), "deep.html", &deep);
    let started = Instant::now();
    rinse(t.path()).args(["clean", "."]).assert().success();
    let took = started.elapsed();
    let big_out = read(t.path(), "big.clean.txt");
    assert!(
        big_out.starts_with("Library stays open\n"),
        "{big_out:.200}"
    );
    assert!(!big_out.contains("not text"));
    assert_eq!(
        read(t.path(), "deep.clean.txt"),
        "Deep inside one hundred thousand boxes there is a sentence.\n"
    );
    // Seconds even in a debug build; quadratic work would take minutes.
    assert!(took < Duration::from_secs(60), "took {took:?}");
}
