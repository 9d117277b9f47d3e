//! Decoding and normalization as a user meets them: legacy files, byte-order marks,
//! garbage bytes, `--encoding`, mojibake in `explain`, and `[normalize]` in rule files.

use assert_cmd::Command;
use encoding_rs::Encoding;
use predicates::prelude::*;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// rinse run in `dir`, so no ./rules of the repo is picked up.
fn rinse(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("rinse").unwrap();
    c.current_dir(dir);
    c
}

const FRENCH: &str = "\
Le café de la gare était fermé depuis l'été dernier, mais la boulangère du coin
vendait encore des croissants à deux euros. À côté, un garçon déçu regardait
les trains passer : « Où est passé le monde d'avant ? » demandait-il à sa sœur,
qui haussait les épaules en mangeant une crème brûlée. Noël approchait déjà.
";

const POLISH: &str = "\
Zażółć gęślą jaźń. W średniowiecznym mieście, nad brzegiem rzeki, stał dom
kupca, który sprzedawał sól, śledzie i świece. Jego żona piekła chleb, a dzieci
biegały po ulicach, śmiejąc się głośno. Każdej jesieni przyjeżdżali tu ludzie z
odległych wsi, by kupić ziarno, ziemniaki i łój na zimę. Ślusarz naprawiał zamki.
";

const JAPANESE: &str = "\
吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした
所でニャーニャー泣いていた事だけは記憶している。吾輩はここで始めて人間というものを見た。
しかもあとで聞くとそれは書生という人間中で一番獰悪な種族であったそうだ。
";

const CHINESE: &str = "\
天下大势，分久必合，合久必分。周末七国分争，并入于秦。及秦灭之后，楚、汉分争，又并入于汉。
汉朝自高祖斩白蛇而起义，一统天下，后来光武中兴，传至献帝，遂分为三国。推其致乱之由，
殆始于桓、灵二帝。桓帝禁锢善类，崇信宦官。及桓帝崩，灵帝即位，大将军窦武、太傅陈蕃共相辅佐。
";

const RUSSIAN: &str = "\
Все счастливые семьи похожи друг на друга, каждая несчастливая семья несчастлива
по-своему. Все смешалось в доме Облонских. Жена узнала, что муж был в связи с
бывшею в их доме француженкою-гувернанткой, и объявила мужу, что не может жить
с ним в одном доме. Положение это продолжалось уже третий день.
";

/// Clean `bytes` as a file with no rules; the output text and the report record.
fn clean_file(bytes: &[u8], extra: &[&str]) -> (String, serde_json::Value) {
    let t = TempDir::new().unwrap();
    fs::write(t.path().join("page.txt"), bytes).unwrap();
    rinse(t.path())
        .args(["clean", "--no-default-rules", "--report", "run.jsonl"])
        .args(extra)
        .arg("page.txt")
        .assert()
        .success();
    let out = fs::read_to_string(t.path().join("page.clean.txt")).unwrap();
    let report = fs::read_to_string(t.path().join("run.jsonl")).unwrap();
    (out, serde_json::from_str(report.trim()).unwrap())
}

fn encode(enc: &'static Encoding, text: &str) -> Vec<u8> {
    let (bytes, used, unmappable) = enc.encode(text);
    assert_eq!(used, enc, "{} encodes as itself", enc.name());
    assert!(!unmappable, "{} can write the sample", enc.name());
    bytes.into_owned()
}

#[test]
fn legacy_code_pages_are_detected_and_decoded() {
    let cases: [(&str, &'static Encoding, &[&str]); 5] = [
        (FRENCH, encoding_rs::WINDOWS_1252, &["windows-1252"]),
        (POLISH, encoding_rs::ISO_8859_2, &["ISO-8859-2"]),
        (JAPANESE, encoding_rs::SHIFT_JIS, &["Shift_JIS"]),
        (CHINESE, encoding_rs::GBK, &["GBK", "gb18030"]),
        // chardetng reports KOI8-R text as KOI8-U, which decodes Russian identically.
        (RUSSIAN, encoding_rs::KOI8_R, &["KOI8-R", "KOI8-U"]),
    ];
    for (text, enc, names) in cases {
        let bytes = encode(enc, text);
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "{} is not UTF-8",
            enc.name()
        );
        let (out, rec) = clean_file(&bytes, &[]);
        assert_eq!(out, text, "{} decodes to the original", enc.name());
        let used = rec["encoding"].as_str().unwrap();
        assert!(names.contains(&used), "{}: reported {used}", enc.name());
        assert_eq!(rec["replaced_chars"], 0);
        assert_eq!(rec["status"], "unchanged", "{}", enc.name());
    }
}

#[test]
fn utf16_with_a_bom_decodes() {
    for (bom, enc) in [
        (&[0xFF, 0xFE][..], encoding_rs::UTF_16LE),
        (&[0xFE, 0xFF][..], encoding_rs::UTF_16BE),
    ] {
        let mut bytes = bom.to_vec();
        for unit in RUSSIAN.encode_utf16() {
            let b = if enc == encoding_rs::UTF_16LE {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            };
            bytes.extend_from_slice(&b);
        }
        let (out, rec) = clean_file(&bytes, &[]);
        assert_eq!(out, RUSSIAN);
        assert_eq!(rec["encoding"], enc.name());
    }
}

#[test]
fn utf32_with_a_bom_decodes_and_is_not_taken_for_utf16_or_binary() {
    let text = format!("{RUSSIAN}Smile \u{1F600} and \u{1D11E}\n");
    for (name, unit) in [
        ("UTF-32LE", u32::to_le_bytes as fn(u32) -> [u8; 4]),
        ("UTF-32BE", u32::to_be_bytes),
    ] {
        let bytes: Vec<u8> = std::iter::once(0xFEFF)
            .chain(text.chars().map(u32::from))
            .flat_map(unit)
            .collect();
        let (out, rec) = clean_file(&bytes, &[]);
        assert_eq!(out, text);
        assert_eq!(rec["encoding"], name);
        assert_eq!(rec["replaced_chars"], 0);
    }
}

#[test]
fn encoding_forces_a_label_but_not_over_a_bom() {
    // Valid UTF-8 that is also windows-1252 bytes: --encoding decides.
    let bytes = "Hôtel\n".as_bytes();
    let (out, rec) = clean_file(bytes, &["--encoding", "windows-1252"]);
    // Read as windows-1252 the bytes are mojibake, which normalization repairs.
    assert_eq!(out, "Hôtel\n");
    assert_eq!(rec["encoding"], "windows-1252");
    assert_eq!(rec["removals"]["normalize/mojibake"], 1);
    // Latin-1 bytes of French read as UTF-8 when forced: losses are counted.
    let latin = encode(encoding_rs::WINDOWS_1252, FRENCH);
    let (out, rec) = clean_file(&latin, &["--encoding", "utf-8"]);
    assert_eq!(rec["encoding"], "UTF-8");
    let lost = out.matches('\u{FFFD}').count();
    assert!(lost > 10);
    assert_eq!(rec["replaced_chars"], lost);
    // A byte-order mark wins over --encoding.
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(FRENCH.as_bytes());
    let (out, rec) = clean_file(&bom, &["--encoding", "shift_jis"]);
    assert_eq!(out, FRENCH);
    assert_eq!(rec["encoding"], "UTF-8");
    // UTF-16 without a BOM, forced: its NUL bytes do not make it binary.
    let le: Vec<u8> = FRENCH.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let (out, _) = clean_file(&le, &["--encoding", "utf-16le"]);
    assert_eq!(out, FRENCH);
}

#[test]
fn utf16_without_a_bom_is_named_with_the_flag_that_reads_it() {
    let t = TempDir::new().unwrap();
    let le: Vec<u8> = FRENCH.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = FRENCH.encode_utf16().flat_map(u16::to_be_bytes).collect();
    fs::write(t.path().join("le.txt"), le).unwrap();
    fs::write(t.path().join("be.txt"), be).unwrap();
    // Cyrillic has NULs only at its spaces and digits, still all at one parity.
    let ru: Vec<u8> = RUSSIAN.encode_utf16().flat_map(u16::to_le_bytes).collect();
    fs::write(t.path().join("ru.txt"), ru).unwrap();
    // Binary bytes with NULs but no UTF-16 pattern stay "binary".
    let png: Vec<u8> = (0..200u32)
        .flat_map(|i| [0x89, 0, (i % 7) as u8, 0, 0, 1])
        .collect();
    fs::write(t.path().join("img.txt"), png).unwrap();
    rinse(t.path())
        .args(["clean", "."])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "le.txt: looks like UTF-16 without a byte-order mark (NUL bytes at every other position); give --encoding utf-16le",
        ))
        .stderr(predicate::str::contains("give --encoding utf-16be"))
        .stderr(predicate::str::contains(
            "ru.txt: looks like UTF-16 without a byte-order mark",
        ))
        .stderr(predicate::str::contains(
            "img.txt: looks like a binary file (NUL bytes), not text",
        ));
}

#[test]
fn characters_lost_in_decoding_are_said() {
    let t = TempDir::new().unwrap();
    fs::write(t.path().join("a.txt"), b"Caf\xe9 ol\xe9, a sentence.\n").unwrap();
    rinse(t.path())
        .args(["clean", "--encoding", "utf-8", "a.txt"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "a.txt: 2 characters not valid UTF-8 and replaced by U+FFFD",
        ));
    // Detected as Latin-1, nothing is lost and nothing is said.
    rinse(t.path())
        .args(["clean", "--force", "a.txt"])
        .assert()
        .success()
        .stderr(predicate::str::contains("U+FFFD").not());
}

#[test]
fn an_unknown_encoding_is_a_usage_error() {
    let t = TempDir::new().unwrap();
    fs::write(t.path().join("a.txt"), "text\n").unwrap();
    for cmd in ["clean", "explain"] {
        rinse(t.path())
            .args([cmd, "--encoding", "klingon-8", "a.txt"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("unknown encoding `klingon-8`"));
    }
    assert!(!t.path().join("a.clean.txt").exists());
}

/// Deterministic bytes that look like nothing (xorshift).
fn garbage(n: usize, seed: u64, nul: bool) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let b = (x >> 24) as u8;
            if b == 0 && !nul { 1 } else { b }
        })
        .collect()
}

#[test]
fn random_bytes_give_output_and_a_record() {
    for seed in [1, 2, 3] {
        let (out, rec) = clean_file(&garbage(20_000, seed, false), &[]);
        assert!(!out.is_empty());
        assert!(out.ends_with('\n'));
        assert_eq!(rec["status"], "cleaned");
        assert!(rec["encoding"].is_string());
        assert!(rec["replaced_chars"].is_number());
        assert!(rec["error"].is_null());
    }
    // With NUL bytes the input is taken for binary: a failed record, no crash, and the
    // run goes on with the other inputs.
    let t = TempDir::new().unwrap();
    fs::write(t.path().join("bin.txt"), garbage(4096, 9, true)).unwrap();
    fs::write(t.path().join("ok.txt"), "fine\n").unwrap();
    rinse(t.path())
        .args(["clean", "--no-default-rules", "--report", "run.jsonl", "."])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("binary"));
    let report = fs::read_to_string(t.path().join("run.jsonl")).unwrap();
    assert_eq!(report.lines().count(), 2);
    assert!(report.contains("\"status\":\"failed\""));
    assert!(t.path().join("ok.clean.txt").exists());
    // Garbage forced through a multi-byte decoder: replacements counted, no crash.
    let (_, rec) = clean_file(&garbage(20_000, 4, false), &["--encoding", "shift_jis"]);
    assert!(rec["replaced_chars"].as_u64().unwrap() > 0);
}

#[test]
fn no_default_rules_normalizes_and_tidies_only() {
    let input =
        "Skip to content\r\nLe HÃ´tel de Ville &amp; la\u{a0}gare\u{200b}.  \r\n\r\n\r\nFin\r\n";
    rinse(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["clean", "--no-default-rules", "-"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout("Skip to content\nLe Hôtel de Ville & la gare.\n\nFin\n");
}

#[test]
fn explain_shows_repairs() {
    let t = TempDir::new().unwrap();
    fs::write(
        t.path().join("a.txt"),
        "Intro line.\nLe HÃ´tel de Ville est fermÃ©.\n",
    )
    .unwrap();
    rinse(t.path())
        .args(["explain", "--no-default-rules", "a.txt"])
        .assert()
        .success()
        .stdout(predicate::str::is_match(
            r#"(?m)^ +2  normalize/mojibake +replace +"HÃ´tel" -> "Hôtel"   in: Le \[\[HÃ´tel\]\] de Ville"#,
        )
        .unwrap())
        .stdout(predicate::str::contains(r#""fermÃ©." -> "fermé.""#));
    rinse(t.path())
        .args([
            "explain",
            "--no-default-rules",
            "--rule",
            "normalize/mojibake",
            "a.txt",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("2 removals (0 lines, 2 spans)"));
}

#[test]
fn normalize_table_switches_steps() {
    let t = TempDir::new().unwrap();
    fs::create_dir_all(t.path().join("rules")).unwrap();
    fs::write(
        t.path().join("rules/norm.toml"),
        "[normalize]\nmojibake = false\nquotes = true\n",
    )
    .unwrap();
    let input = "HÃ´tel “quoted” it’s\n";
    rinse(t.path())
        .args(["clean", "--no-default-rules", "-"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout("HÃ´tel \"quoted\" it's\n");
    // A site file overrides the global one for its pages only, key by key.
    fs::write(
        t.path().join("rules/example.org.toml"),
        "[site]\nhosts = [\"example.org\"]\ndisable = [\"normalize/quotes\"]\n\n[normalize]\nmojibake = true\n",
    )
    .unwrap();
    rinse(t.path())
        .args([
            "clean",
            "--no-default-rules",
            "--url",
            "https://example.org/a",
            "-",
        ])
        .write_stdin(input)
        .assert()
        .success()
        .stdout("Hôtel “quoted” it’s\n");
    rinse(t.path())
        .args(["rules", "--no-default-rules"])
        .assert()
        .success()
        // With the file that switched each step, or "built in".
        .stdout(
            predicate::str::is_match(r"(?m)^normalize/mojibake +normalize +rules/norm.toml +off: ")
                .unwrap(),
        )
        .stdout(
            predicate::str::is_match(r"(?m)^normalize/quotes +normalize +rules/norm.toml +curly")
                .unwrap(),
        )
        .stdout(
            predicate::str::is_match(r"(?m)^normalize/nfc +normalize +built in +Unicode").unwrap(),
        )
        .stdout(predicate::str::contains("10 normalization steps"));
    rinse(t.path())
        .args([
            "rules",
            "--no-default-rules",
            "--url",
            "https://example.org/",
            "normalize/quotes",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("state:   off (default off)"))
        .stdout(predicate::str::contains("source:  rules/example.org.toml"));
}

#[test]
fn normalize_table_is_checked_strictly() {
    let t = TempDir::new().unwrap();
    fs::create_dir_all(t.path().join("rules")).unwrap();
    fs::write(
        t.path().join("rules/bad.toml"),
        "[normalize]\nmojibake = \"no\"\nsmart-quotes = true\n",
    )
    .unwrap();
    fs::write(
        t.path().join("rules/site.toml"),
        "[site]\nhosts = [\"a.com\"]\ndisable = [\"normalize/colours\"]\n",
    )
    .unwrap();
    rinse(t.path())
        .args(["check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules/bad.toml:2:12: normalize/mojibake: must be true or false",
        ))
        .stderr(predicate::str::contains(
            "rules/bad.toml:3:1: normalize/smart-quotes: unknown normalization step `smart-quotes`",
        ))
        .stderr(predicate::str::contains("line-endings, entities, mojibake"))
        .stderr(predicate::str::contains(
            "rules/site.toml:3:12: normalize/colours: `disable` names no known rule",
        ));
    rinse(t.path())
        .args(["clean", "-"])
        .write_stdin("x\n")
        .assert()
        .code(2);
}
