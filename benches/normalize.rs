//! Throughput of decoding + normalization with the default steps, in process (as
//! benches/normalize.sh times ftfy.fix_text): `cargo bench --bench normalize -- FILE...`
//! prints `FILE MB/s` for each file, the best of several runs.

use rinse::input::decode;
use rinse::normalize::{Settings, normalize_with};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    let files: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if files.is_empty() {
        eprintln!("usage: cargo bench --bench normalize -- FILE...");
        std::process::exit(2);
    }
    let settings = Settings::default();
    for f in files {
        let bytes = std::fs::read(&f).unwrap_or_else(|e| panic!("{f}: {e}"));
        let mut best = Duration::MAX;
        let mut changes = 0;
        // At least 5 runs and about a second of work.
        let started = Instant::now();
        let mut runs = 0;
        while runs < 5 || (started.elapsed() < Duration::from_secs(1) && runs < 50) {
            let t = Instant::now();
            let d = decode(black_box(&bytes), None);
            let n = normalize_with(&d.text, &settings);
            changes = n.records.len();
            black_box(n.text());
            best = best.min(t.elapsed());
            runs += 1;
        }
        let mbs = bytes.len() as f64 / 1e6 / best.as_secs_f64();
        println!("{f} {mbs:.2} MB/s ({changes} changes recorded)");
    }
}
