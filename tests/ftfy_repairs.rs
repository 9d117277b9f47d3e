//! rinse's mojibake repair against ftfy's `fix_encoding` on 3,000 generated strings
//! (tests/data/ftfy/fix_encoding_sample.jsonl, made by tests/data/ftfy/ftfy_sample.py with
//! ftfy 6.3.1): words through random code pages and layers, some lossy, some with
//! lost no-break spaces. rinse gives ftfy's output, except where its two bolder
//! patterns (see src/normalize/badness.rs) repair further: there rinse's output must
//! look clean while ftfy's still looks broken.

use rinse::normalize::is_bad;
use rinse::normalize::mojibake::fix;
use serde_json::Value;

/// Strings where rinse repairs further than ftfy; a change here is deliberate.
const FURTHER: usize = 20;

#[test]
fn repairs_match_ftfy() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/ftfy/fix_encoding_sample.jsonl"
    );
    let (mut same, mut further, mut changed) = (0, 0, 0);
    let mut problems = Vec::new();
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let (input, want) = (v["input"].as_str().unwrap(), v["ftfy"].as_str().unwrap());
        let got = fix(input).unwrap_or_else(|| input.to_string());
        changed += usize::from(want != input);
        if got == want {
            same += 1;
        } else if !is_bad(&got) && is_bad(want) {
            further += 1;
        } else {
            problems.push(format!("{input:?}\n  rinse {got:?}\n  ftfy  {want:?}"));
        }
    }
    println!(
        "{} strings ({changed} repaired by ftfy): {same} as ftfy, {further} repaired further",
        same + further + problems.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(further, FURTHER);
}
