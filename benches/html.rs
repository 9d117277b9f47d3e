//! Throughput of HTML decoding + extraction (no text pipeline), in process, on one
//! thread: `cargo bench --bench html -- DIR_OR_FILE...` prints pages/s and MB/s for
//! the stages (strip invisible markup, decode what is left, parse and lay out), best
//! of 3 runs. (The declared-charset prescan is left out: it reads 1 KB a page.)

use rinse::html::{self, Settings};
use rinse::input::Hints;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    let mut files = Vec::new();
    for a in std::env::args().skip(1).filter(|a| !a.starts_with("--")) {
        let p = std::path::Path::new(&a);
        if p.is_dir() {
            let mut v: Vec<_> = std::fs::read_dir(p)
                .expect("readable dir")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            v.sort();
            files.extend(v);
        } else {
            files.push(p.to_path_buf());
        }
    }
    if files.is_empty() {
        eprintln!("usage: cargo bench --bench html -- DIR_OR_FILE...");
        std::process::exit(2);
    }
    let pages: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())))
        .collect();
    let mb = pages.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    let settings = Settings::new(true, &[]);
    let hints = Hints::default();
    let slim: usize = pages
        .iter()
        .map(|b| html::prefilter::strip_bytes(b, true).len())
        .sum();
    println!("the parser sees {:.1} MB of {mb:.1} MB", slim as f64 / 1e6);
    let mut best = [Duration::MAX; 3];
    for _ in 0..3 {
        let mut t = [Duration::ZERO; 3];
        for bytes in &pages {
            // As `html::page` does it: cut the markup, decode what is left, lay it out.
            let a = Instant::now();
            let s = html::prefilter::strip_bytes(black_box(bytes), true);
            let b = Instant::now();
            let d = rinse::input::decode_with(&s, &hints);
            let c = Instant::now();
            black_box(html::extract::extract(&d.text, &settings));
            let e = Instant::now();
            t[0] += b - a;
            t[1] += c - b;
            t[2] += e - c;
        }
        for (b, t) in best.iter_mut().zip(t) {
            *b = (*b).min(t);
        }
    }
    let total: Duration = best.iter().sum();
    let n = pages.len() as f64;
    for (name, t) in ["strip", "decode", "parse+layout"].iter().zip(best) {
        println!("{name:>13}: {:7.3} s", t.as_secs_f64());
    }
    println!(
        "{} pages, {mb:.1} MB: {:.0} pages/s, {:.1} MB/s (one thread)",
        pages.len(),
        n / total.as_secs_f64(),
        mb / total.as_secs_f64()
    );
}
