//! `rinse clean`: walk the inputs, clean each, print what the user asked to see.

use super::{RuleArgs, exit, report_load_errors};
use clap::Args;
use globset::{Glob, GlobSet, GlobSetBuilder};
use rinse::Cleaner;
use rinse::input::Walker;
use rinse::job::{JobOptions, Outcome, clean_file};
use rinse::output::{Naming, Status};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CleanArgs {
    /// Files or directories to clean; `-` reads stdin and writes stdout.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Mirror the tree under DIR (DIR/sub/x.txt) instead of writing beside each input.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Inserted before the extension of outputs written beside their inputs.
    #[arg(long, default_value = ".clean")]
    pub suffix: String,
    /// Write nothing; print what would change.
    #[arg(long)]
    pub dry_run: bool,
    /// Print a unified diff of input against output, hunks labelled with rule ids.
    #[arg(long)]
    pub diff: bool,
    /// Write one JSON record per input to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Only take files matching GLOB (repeatable; replaces the default *.txt).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip files matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Refuse inputs larger than N bytes.
    #[arg(long, value_name = "N", default_value_t = 256 << 20)]
    pub max_bytes: u64,
    /// Decode inputs as LABEL (windows-1252, shift_jis, utf-16le, ...) unless they
    /// start with a byte-order mark; default: UTF-8 when valid, else detected.
    #[arg(long, value_name = "LABEL", value_parser = super::parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Print errors only.
    #[arg(long, short)]
    pub quiet: bool,
}

fn globs(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p).map_err(|e| format!("bad glob {p:?}: {e}"))?);
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

pub fn run(args: &CleanArgs) -> i32 {
    let book = match args.rules.load() {
        Ok(b) => b,
        Err(e) => return report_load_errors(&e),
    };
    let (include, exclude) = match (globs(&args.include), globs(&args.exclude)) {
        (Ok(i), Ok(e)) => (i, e),
        (Err(m), _) | (_, Err(m)) => {
            eprintln!("rinse: {m}");
            return exit::USAGE;
        }
    };
    if args.suffix.is_empty() && args.out_dir.is_none() {
        eprintln!(
            "rinse: an empty --suffix would overwrite the inputs; give --out-dir or a suffix"
        );
        return exit::USAGE;
    }
    let mut report = match &args.report {
        None => None,
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Some(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("rinse: cannot create report {}: {e}", p.display());
                return exit::USAGE;
            }
        },
    };
    let cleaner = Cleaner::new(book);
    let walker = Walker {
        include,
        exclude,
        suffix: args.suffix.clone(),
        skip_dir: args.out_dir.clone(),
    };
    let opts = JobOptions {
        max_bytes: args.max_bytes,
        naming: Naming {
            out_dir: args.out_dir.clone(),
            suffix: args.suffix.clone(),
        },
        write: !args.dry_run,
        site: args.rules.site.clone(),
        url: args.rules.url.clone(),
        encoding: args.encoding,
    };
    let mut tally = Tally::default();
    for root in &args.paths {
        for found in walker.walk(root) {
            let outcome = match found {
                Ok(input) => clean_file(&cleaner, &input, &opts),
                Err((path, msg)) => {
                    eprintln!("rinse: {}: {msg}", path.display());
                    tally.failed += 1;
                    if let Some(r) = report.as_mut() {
                        let rec = rinse::output::Record::failed(&path, msg);
                        write_record(r, &rec);
                    }
                    continue;
                }
            };
            show(args, &outcome);
            tally.add(&outcome);
            if let Some(r) = report.as_mut() {
                write_record(r, &outcome.record);
            }
        }
    }
    if let Some(mut r) = report
        && let Err(e) = r.flush()
    {
        eprintln!("rinse: cannot write report: {e}");
        tally.failed += 1;
    }
    if !args.quiet {
        eprintln!("{}", tally.summary(args.dry_run));
    }
    if tally.failed > 0 {
        exit::FAILED
    } else {
        exit::OK
    }
}

fn write_record(w: &mut impl Write, rec: &rinse::output::Record) {
    let line = serde_json::to_string(rec).expect("records serialize");
    if let Err(e) = writeln!(w, "{line}") {
        eprintln!("rinse: cannot write report: {e}");
    }
}

/// Print one outcome: the error, the cleaned text for stdin, the diff, the dry-run line.
fn show(args: &CleanArgs, o: &Outcome) {
    let path = o.input.path.display();
    if let Some(err) = &o.record.error {
        eprintln!("rinse: {path}: {err}");
        return;
    }
    let Some(c) = &o.cleaned else { return };
    let stdin = o.output.is_none();
    let mut stdout = std::io::stdout().lock();
    if args.diff {
        let new = o
            .output
            .as_ref()
            .map_or("-".into(), |p| p.display().to_string());
        let _ = stdout.write_all(rinse::diff::unified(c, &path.to_string(), &new).as_bytes());
    } else if stdin && !args.dry_run {
        let _ = stdout.write_all(c.text.as_bytes());
    }
    if args.dry_run && !args.quiet {
        let out = o
            .output
            .as_ref()
            .map_or("stdout".into(), |p| p.display().to_string());
        let normalized = c
            .removals
            .iter()
            .filter(|r| r.rule_id.starts_with("normalize/"))
            .count();
        let strips = c.removals.len() - c.lines_removed() - normalized;
        let norm = if normalized > 0 {
            format!(", {normalized} normalized")
        } else {
            String::new()
        };
        eprintln!(
            "would write {out}: {} lines removed, {strips} spans changed{norm}",
            c.lines_removed()
        );
    }
}

#[derive(Default)]
struct Tally {
    cleaned: usize,
    unchanged: usize,
    failed: usize,
    lines: usize,
}

impl Tally {
    fn add(&mut self, o: &Outcome) {
        match o.record.status {
            Status::Cleaned => self.cleaned += 1,
            Status::Unchanged => self.unchanged += 1,
            Status::Failed => self.failed += 1,
        }
        self.lines += o.record.lines_removed;
    }

    fn summary(&self, dry_run: bool) -> String {
        let verb = if dry_run { "would clean" } else { "cleaned" };
        let n = self.cleaned + self.unchanged;
        format!(
            "rinse: {verb} {n} file{} ({} with residue, {} unchanged), {} failed; {} lines removed",
            if n == 1 { "" } else { "s" },
            self.cleaned,
            self.unchanged,
            self.failed,
            self.lines
        )
    }
}
