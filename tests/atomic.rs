//! A run killed midway leaves only complete outputs: each `.clean.txt` is written to a
//! temp file in the same folder and renamed into place.

use rinse::rules::Sources;
use rinse::{Cleaner, DocContext, RuleBook};
use std::fs;
use std::time::Duration;

#[test]
fn killed_run_leaves_no_partial_output() {
    let t = tempfile::TempDir::new().unwrap();
    let seed = include_str!("../fixtures/seeds/techradar-apple-russia.txt");
    // Large pages, so the kill lands while outputs are being written.
    let page = seed.repeat(150);
    for i in 0..200 {
        fs::write(t.path().join(format!("p{i:03}.txt")), &page).unwrap();
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rinse"))
        .current_dir(t.path())
        .args(["clean", "--quiet", "."])
        .spawn()
        .unwrap();
    // Killed once the first output is in place: the rest are still being cleaned or
    // written. (A fixed delay let a fast build finish first.)
    let started = std::time::Instant::now();
    while !has_output(t.path()) && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let cleaner = Cleaner::new(
        RuleBook::load(&Sources {
            dirs: vec![],
            defaults: true,
        })
        .unwrap(),
    );
    let want = cleaner.clean(&page, &DocContext::default()).text;
    let mut complete = 0;
    for e in fs::read_dir(t.path()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".clean.txt") {
            let got = fs::read_to_string(t.path().join(&name)).unwrap();
            assert!(
                got == want,
                "{name} is partial: {} of {} bytes",
                got.len(),
                want.len()
            );
            complete += 1;
        }
    }
    assert!(
        complete < 200,
        "the run finished before the kill; the test proved nothing"
    );
}

fn has_output(dir: &std::path::Path) -> bool {
    fs::read_dir(dir).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".clean.txt")
    })
}
