//! Throughput of the text pipeline in process (decode + clean, no file I/O, no process
//! start), on one thread: `cargo bench --bench pipeline -- DIR [RULES_DIR]` reads every
//! `*.txt` under DIR into memory once and prints MB/s and pages/s, the best of 3 runs, and
//! the time of the first (cold) run.
//! What `rinse clean` adds on top (start-up, reading, atomic writes) is benches/quality.sh's
//! and benches/throughput.sh's to measure.

use rinse::input::decode;
use rinse::rules::Sources;
use rinse::rules::{DocContext, RuleBook};
use rinse::{Cleaner, clean_with};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: cargo bench --bench pipeline -- DIR [RULES_DIR]");
        std::process::exit(2);
    };
    let pages: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("readable");
            (e.path().to_path_buf(), bytes)
        })
        .collect();
    let bytes: usize = pages.iter().map(|(_, b)| b.len()).sum();
    let sources = Sources {
        dirs: args.get(1).map(PathBuf::from).into_iter().collect(),
        defaults: true,
    };
    let started = Instant::now();
    let cleaner = Cleaner::new(RuleBook::load(&sources).unwrap_or_else(|e| panic!("{e}")));
    let load = started.elapsed();
    // The first run also builds the lazy DFAs' states, as every `rinse clean` process
    // does; the best of the three is the cleaning alone.
    let (mut first, mut best) = (None, Duration::MAX);
    for _ in 0..3 {
        let t = Instant::now();
        for (path, b) in &pages {
            let cx = DocContext {
                path: Some(path),
                ..DocContext::default()
            };
            let set = cleaner.book.resolve(&cx);
            let text = decode(black_box(b), None).text;
            black_box(clean_with(&set, &text));
        }
        first.get_or_insert(t.elapsed());
        best = best.min(t.elapsed());
    }
    let s = best.as_secs_f64();
    // A cache that resets rebuilds its states on every run: the best run is then no faster.
    let (resets, cached) = cleaner
        .book
        .files
        .iter()
        .map(|f| f.lines.cache_use())
        .fold((0, 0), |(r, b), (r2, b2)| (r + r2, b + b2));
    println!(
        "{} pages, {:.1} MB: {:.1} MB/s, {:.0} pages/s (rules loaded in {:.0} ms; the first run, \
         which builds the automata's states: {:.0} ms, the best: {:.0} ms; lazy DFA caches: \
         {:.0} MB, {resets} resets)",
        pages.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / s,
        pages.len() as f64 / s,
        load.as_secs_f64() * 1e3,
        first.unwrap_or_default().as_secs_f64() * 1e3,
        s * 1e3,
        cached as f64 / 1e6
    );
}
