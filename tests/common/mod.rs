//! Helpers shared by the CLI tests.
#![allow(dead_code)] // each test crate uses its own subset

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

pub const SEED: &str = include_str!("../../fixtures/seeds/techradar-apple-russia.txt");
pub const SEED_EXPECTED: &str =
    include_str!("../../fixtures/seeds/techradar-apple-russia.expected.txt");

/// rinse run in `dir` (so no ./rules of the repo is picked up), outside CI and bless mode.
pub fn rinse(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("rinse").unwrap();
    c.current_dir(dir)
        .env_remove("CI")
        .env_remove("RINSE_BLESS");
    c
}

/// The text of `root/rel`.
pub fn read(root: &Path, rel: impl AsRef<Path>) -> String {
    fs::read_to_string(root.join(rel)).unwrap()
}

/// Write `text` at `root/rel`, creating folders.
pub fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
    p
}

/// A shell `script` run in `dir`, `$RINSE` naming the binary: for what a test needs
/// the shell's redirections and limits for.
pub fn sh(dir: &Path, script: &str) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("RINSE", assert_cmd::cargo::cargo_bin("rinse"))
        .env_remove("CI")
        .env_remove("RINSE_BLESS")
        .current_dir(dir)
        .output()
        .unwrap()
}

/// What a finished command wrote to stdout, as text.
pub fn stdout(a: assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).expect("stdout is UTF-8")
}
