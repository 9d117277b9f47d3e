//! `rinse clean`: turn the flags into a plan, run it, print what the user asked to see.

use super::{RuleArgs, exit};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rinse::input::{Compression, Format, Globs, Walker};
use rinse::job::{JobOptions, Outcome};
use rinse::jsonl::Fields;
use rinse::output::{Naming, Record, Status, count, is_report_or_empty};
use rinse::run::{Plan, Shard, run};
use rinse::{Cleaner, RuleBook};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime};

#[derive(Args, Debug)]
pub struct CleanArgs {
    /// Files or directories to clean; `-` reads stdin and writes stdout.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Input format; `auto` goes by extension (.html, .htm, .xhtml are HTML; .jsonl,
    /// .jsonl.gz, .jsonl.zst are JSONL) and looks at the content of `-`.
    #[arg(long, value_enum, default_value = "auto")]
    pub format: FormatArg,
    /// JSONL: the field to clean.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,
    /// JSONL: the field with the page's URL, for site rules.
    #[arg(long, default_value = "url", value_name = "NAME")]
    pub url_field: String,
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
    /// Write one JSON record per input to FILE (`-`: stdout).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Worker threads (default, or 0: all cores). Output is the same for any number.
    #[arg(
        long,
        short,
        value_name = "N",
        default_value_t = 0,
        hide_default_value = true
    )]
    pub jobs: usize,
    /// Clean inputs whose output is already up to date.
    #[arg(long)]
    pub force: bool,
    /// Let an --out-dir or --suffix output replace a file rinse did not write that holds
    /// other text (a tree copied without its extended attributes, after a rule change).
    #[arg(long)]
    pub overwrite: bool,
    /// Clean only shard K of N (0-based): N tasks with K = 0..N-1 clean every file once.
    #[arg(long, value_name = "K/N", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
    /// Only take files matching GLOB (repeatable): a file name at any depth, or with a /
    /// a path from the walked folder. Replaces the default: .txt .text .html .htm .xhtml
    /// .jsonl .jsonl.gz .jsonl.zst
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip files matching GLOB (repeatable): a file or folder name at any depth, or with
    /// a / a path from the walked folder.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Refuse inputs (or JSONL records) larger than N bytes.
    #[arg(long, value_name = "N", default_value_t = 256 << 20)]
    pub max_bytes: u64,
    /// Decode inputs as LABEL (windows-1252, shift_jis, utf-16le, ...) unless they
    /// start with a byte-order mark; default: UTF-8 when valid, else detected.
    #[arg(long, value_name = "LABEL", value_parser = super::parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Print errors only.
    #[arg(long, short)]
    pub quiet: bool,
    /// Progress bar on stderr: on a terminal (auto), always, or never.
    #[arg(long, value_enum, default_value = "auto")]
    pub progress: When,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    Auto,
    Text,
    Html,
    Jsonl,
}

impl FormatArg {
    /// The format `--format` forces; None for `auto`.
    pub fn forced(self) -> Option<Format> {
        match self {
            FormatArg::Auto => None,
            FormatArg::Text => Some(Format::Text),
            FormatArg::Html => Some(Format::Html),
            FormatArg::Jsonl => Some(Format::Jsonl(Compression::None)),
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Auto,
    Always,
    Never,
}

/// The newest of the rule files and the running binary: outputs older than this are stale.
fn stamp(book: &RuleBook) -> Option<SystemTime> {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    book.files
        .iter()
        .filter_map(|f| modified(Path::new(&f.path)))
        .chain(std::env::current_exe().ok().and_then(|p| modified(&p)))
        .max()
}

/// A hash of what decides an output besides its input: rinse's version, the options
/// that change what is written, and which rule files are in use, with their text (an
/// edit is seen even when the file's time was set back). Part of each output's origin
/// (`rinse::origin`).
fn settings(args: &CleanArgs, book: &RuleBook) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    (
        &args.rules.site,
        &args.rules.url,
        args.rules.files.no_default_rules,
    )
        .hash(&mut h);
    (&args.text_field, &args.url_field).hash(&mut h);
    format!("{:?}", args.format).hash(&mut h);
    args.encoding.map(|e| e.name()).hash(&mut h);
    // A rule file by its absolute path; the embedded defaults by their label, which
    // names no file (made absolute, it would change with the working folder).
    for f in &book.files {
        let path = Path::new(&f.path);
        match path.is_file().then(|| std::path::absolute(path)) {
            Some(Ok(abs)) => abs.hash(&mut h),
            _ => f.path.hash(&mut h),
        }
        f.digest.hash(&mut h);
    }
    h.finish()
}

/// Whether `--report` would overwrite an input: a file named as one, or one the walk of
/// an input folder takes, unless it is an earlier report (the walk skips the report
/// file, so such an input would be lost without being cleaned). An empty file or a path
/// that does not exist loses nothing.
fn report_replaces_input(report: &Path, roots: &[PathBuf], walker: &Walker) -> bool {
    let Ok(r) = report.canonicalize() else {
        return false;
    };
    roots.iter().any(|p| {
        p.canonicalize().is_ok_and(|c| {
            c == r || (c.is_dir() && walker.takes(&c, &r) && !is_report_or_empty(&r))
        })
    })
}

/// Standard output or error, as a place a path may lead to.
#[derive(Clone, Copy)]
enum Stream {
    Out,
    Err,
}

impl Stream {
    fn name(self) -> &'static str {
        match self {
            Stream::Out => "standard output",
            Stream::Err => "standard error",
        }
    }

    /// Whether `path` is the file this stream writes to.
    fn is(self, path: &Path) -> bool {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            use std::os::unix::fs::MetadataExt;
            let fd = match self {
                Stream::Out => std::io::stdout().as_fd().try_clone_to_owned(),
                Stream::Err => std::io::stderr().as_fd().try_clone_to_owned(),
            };
            let Ok(out) = fd.and_then(|fd| std::fs::File::from(fd).metadata()) else {
                return false;
            };
            path.metadata()
                .is_ok_and(|m| m.dev() == out.dev() && m.ino() == out.ino())
        }
        #[cfg(not(unix))]
        {
            let _ = path;
            false
        }
    }
}

pub fn run_clean(args: &CleanArgs) -> i32 {
    let book = match args.rules.book() {
        Ok(b) => b,
        Err(code) => return code,
    };
    let (include, exclude) = match (Globs::new(&args.include), Globs::new(&args.exclude)) {
        (Ok(i), Ok(e)) => (i, e),
        (Err(m), _) | (_, Err(m)) => {
            eprintln!("rinse: {m}");
            return exit::USAGE;
        }
    };
    if args.paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        eprintln!("rinse: `-` (standard input) can be read once; give it once");
        return exit::USAGE;
    }
    if args.shard.is_some() && args.paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!(
            "rinse: --shard splits the files of a tree among tasks; `-` (standard input) belongs to no shard"
        );
        return exit::USAGE;
    }
    if let Some(out) = &args.out_dir
        && out.exists()
        && !out.is_dir()
    {
        eprintln!("rinse: --out-dir {} is a file, not a folder", out.display());
        return exit::USAGE;
    }
    if args.suffix.contains(['/', '\\']) {
        eprintln!(
            "rinse: --suffix {:?} holds a path separator; a suffix only renames the file",
            args.suffix
        );
        return exit::USAGE;
    }
    if args.suffix.is_empty() && args.out_dir.is_none() {
        eprintln!(
            "rinse: an empty --suffix would overwrite the inputs; give --out-dir or a suffix"
        );
        return exit::USAGE;
    }
    // The walk skips the output folder, so naming it as an input would clean nothing
    // (and its outputs would be the inputs' own paths).
    if let Some(dir) = args.out_dir.as_ref().and_then(|d| d.canonicalize().ok())
        && let Some(root) = args
            .paths
            .iter()
            .find(|p| p.is_dir() && p.canonicalize().ok().as_ref() == Some(&dir))
    {
        eprintln!(
            "rinse: --out-dir {} is the input folder {}: its outputs would replace the inputs; give another folder",
            args.out_dir.as_ref().expect("checked above").display(),
            root.display()
        );
        return exit::USAGE;
    }
    let mut walker = Walker {
        include,
        exclude,
        suffix: args.suffix.clone(),
        skip_dir: args.out_dir.clone(),
        skip_file: None,
    };
    // The report as a file: `-` is stdout.
    let report_file = args.report.as_ref().filter(|p| p.as_os_str() != "-");
    if let Some(r) = report_file
        && report_replaces_input(r, &args.paths, &walker)
    {
        eprintln!(
            "rinse: --report {} would replace an input of this run; give another path",
            r.display()
        );
        return exit::USAGE;
    }
    // Nor a file that is not a report: the user's, or an output (a path mistyped for
    // another). An empty file, or one rinse marked as a report, may be written over.
    if let Some(r) = report_file
        && r.metadata().is_ok_and(|m| m.is_file())
        && !is_report_or_empty(r)
        && !rinse::origin::is(r, rinse::origin::REPORT)
    {
        eprintln!(
            "rinse: --report {} would replace a file that is not a report of rinse; give another path",
            r.display()
        );
        return exit::USAGE;
    }
    // Stdout carries the cleaned text of `-` (not under --dry-run), else the diffs;
    // stderr the diffs when stdout has the text. The report may not go where they go,
    // by `-` or by a path that leads there (`/dev/stdout`, `/dev/stderr`).
    let text_out = !args.dry_run && args.paths.iter().any(|p| p.as_os_str() == "-");
    let stdout_has = match (text_out, args.diff) {
        (true, _) => Some("cleaned text of -"),
        (false, true) => Some("diffs"),
        (false, false) => None,
    };
    let stderr_has = (args.diff && text_out).then_some("diffs");
    if let Some(r) = report_file
        && let Some((stream, what)) = [(Stream::Out, stdout_has), (Stream::Err, stderr_has)]
            .into_iter()
            .find_map(|(s, what)| what.filter(|_| s.is(r)).map(|w| (s, w)))
    {
        eprintln!(
            "rinse: --report {} is {}, which carries the {what}; give a file",
            r.display(),
            stream.name()
        );
        return exit::USAGE;
    }
    let mut report: Option<Box<dyn Write>> = match (&args.report, report_file) {
        (None, _) => None,
        (Some(_), None) => {
            if args.diff || text_out {
                eprintln!(
                    "rinse: --report - would share stdout with the {}; give a file",
                    if args.diff {
                        "diffs"
                    } else {
                        "cleaned text of -"
                    }
                );
                return exit::USAGE;
            }
            Some(Box::new(std::io::stdout().lock()))
        }
        // Its folder is made as output folders are (`--report reports/$ID.jsonl`).
        (Some(_), Some(p)) => match p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::File::create(p))
        {
            Ok(f) => {
                rinse::origin::mark(p, rinse::origin::REPORT);
                Some(Box::new(std::io::BufWriter::new(f)))
            }
            Err(e) => {
                eprintln!("rinse: cannot create report {}: {e}", p.display());
                return exit::USAGE;
            }
        },
    };
    // An output folder this run makes is marked as rinse's before the walk: a later
    // run over a tree that holds it passes over the outputs in it. One that was there
    // may hold the user's files (or be `.`), which no walk may pass over in silence.
    if let (Some(out), false) = (&args.out_dir, args.dry_run) {
        let made = !out.exists();
        if let Err(e) = std::fs::create_dir_all(out) {
            eprintln!("rinse: cannot create --out-dir {}: {e}", out.display());
            return exit::USAGE;
        }
        if made {
            rinse::origin::mark(out, rinse::origin::OUT_DIR);
        }
    }
    // Resolved once it exists: a new report inside an input folder is not an input.
    walker.skip_file = report_file.and_then(|p| p.canonicalize().ok());
    let opts = JobOptions {
        max_bytes: args.max_bytes,
        naming: Naming {
            out_dir: args.out_dir.clone(),
            suffix: args.suffix.clone(),
        },
        write: !args.dry_run,
        site: args.rules.site.clone(),
        url: args.rules.url.clone(),
        format: args.format.forced(),
        fields: Fields {
            text: args.text_field.clone(),
            url: args.url_field.clone(),
            max_line: args.max_bytes,
        },
        force: args.force,
        overwrite: args.overwrite,
        stamp: stamp(&book),
        settings: settings(args, &book),
        keep: args.diff || args.dry_run,
        encoding: args.encoding,
    };
    let plan = Plan {
        roots: args.paths.clone(),
        walker,
        shard: args.shard,
        jobs: args.jobs,
    };
    let cleaner = Cleaner::new(book);
    let stdin_only = plan.roots.iter().all(|r| r.as_os_str() == "-");
    let bar = progress_bar(args, &plan, stdin_only);
    let started = Instant::now();
    let mut tally = Tally::default();
    // Cleaned text or diffs that could not go to stdout are a failure, said once; a
    // reader that closed the pipe (`| head`) only stops the printing.
    let mut stdout_failed = false;
    let ran = run(&cleaner, &plan, &opts, interrupt(stdin_only), |outcome| {
        if let Err(e) = bar.suspend(|| show(args, &outcome))
            && !std::mem::replace(&mut stdout_failed, true)
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            eprintln!("rinse: cannot write to stdout: {e}");
            tally.failed += 1;
        }
        tally.add(&outcome.record);
        bar.inc(1);
        bar.set_message(format!("{:.1} MB", tally.bytes_in as f64 / 1e6));
        if let Some(r) = report.as_mut() {
            write_record(r, &outcome.record);
        }
    });
    bar.finish_and_clear();
    let completed = match ran {
        Ok(completed) => completed,
        Err(e) => {
            eprintln!("rinse: {e}; try fewer with --jobs");
            return exit::FAILED;
        }
    };
    if let Some(mut r) = report
        && let Err(e) = r.flush()
    {
        eprintln!("rinse: cannot write report: {e}");
        tally.failed += 1;
    }
    if !args.quiet {
        eprintln!(
            "{}",
            tally.summary(args.dry_run, started.elapsed().as_secs_f64())
        );
        if completed
            && args.shard.is_none()
            && tally.cleaned + tally.unchanged + tally.up_to_date + tally.failed == 0
        {
            let excluded = if args.exclude.is_empty() {
                ""
            } else {
                ", less what --exclude names"
            };
            eprintln!(
                "rinse: no input found; a folder's files are taken by extension ({}) or --include{excluded}",
                rinse::input::DEFAULT_EXTENSIONS.join(" ")
            );
        }
        // Say what up to date means, so a skipped input is not taken for a lost one.
        if tally.up_to_date > 0 {
            eprintln!(
                "rinse: up to date = output written from the same input with the same options and rule files, and newer than them and rinse; --force cleans it anyway"
            );
        }
    }
    if !completed {
        eprintln!("rinse: interrupted; the files not reported above were not cleaned");
        exit::INTERRUPTED
    } else if tally.failed > 0 {
        exit::FAILED
    } else {
        exit::OK
    }
}

/// Set by the first Ctrl-C (or SIGTERM): files in flight are finished and written,
/// none is started, so an interrupt leaves neither partial outputs nor temp files. A
/// second one ends the process at once, as the first does when stdin is the only
/// input: a filter writes no file, and waiting for a stalled upstream (`timeout`,
/// a pipe from a hung process) would never end.
fn interrupt(stdin_only: bool) -> &'static AtomicBool {
    static STOP: AtomicBool = AtomicBool::new(false);
    let handler = ctrlc::set_handler(move || {
        if STOP.swap(true, Ordering::SeqCst) || stdin_only {
            std::process::exit(exit::INTERRUPTED);
        }
        eprintln!("rinse: interrupted: finishing the files in progress (again to stop now)");
    });
    // Without a handler (one already set) an interrupt simply ends the process.
    drop(handler);
    &STOP
}

/// A bar on stderr when it is a terminal (or when asked), sized by a first, cheap walk.
fn progress_bar(args: &CleanArgs, plan: &Plan, stdin_only: bool) -> ProgressBar {
    let show = match args.progress {
        When::Always => true,
        When::Never => false,
        When::Auto => std::io::stderr().is_terminal() && !args.quiet,
    };
    if !show || stdin_only {
        return ProgressBar::hidden();
    }
    let total = plan.inputs().count();
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} files  {msg}  {per_sec}  eta {eta}")
            .expect("a valid template"),
    );
    bar
}

fn write_record(w: &mut impl Write, rec: &Record) {
    let line = serde_json::to_string(rec).expect("records serialize");
    if let Err(e) = writeln!(w, "{line}") {
        eprintln!("rinse: cannot write report: {e}");
    }
}

/// Print one outcome: the error, the cleaned text for stdin, the diff, the dry-run line.
fn show(args: &CleanArgs, o: &Outcome) -> std::io::Result<()> {
    let path = o.input.path.display();
    if let Some(err) = &o.record.error {
        eprintln!("rinse: {path}: {err}");
    }
    // Text lost in decoding is worth a line even when nothing failed.
    if o.record.replaced_chars > 0 && !args.quiet {
        eprintln!(
            "rinse: {path}: {} not valid {} and replaced by U+FFFD",
            count(o.record.replaced_chars, "character", "characters"),
            o.record.encoding.unwrap_or("text")
        );
    }
    // A misspelt --url-field would choose no site rules without a word.
    let r = &o.record;
    if r.records.is_some_and(|n| n > 0)
        && r.urls == Some(0)
        && args.url_field != "url"
        && !args.quiet
    {
        eprintln!(
            "rinse: {path}: no record has a string field `{}` (--url-field), so none chose site rules by its URL",
            args.url_field
        );
    }
    // An emptied page is most often a rule or threshold gone wrong: worth a line.
    if r.error.is_none()
        && r.records.is_none()
        && r.bytes_out == 0
        && r.lines_removed > 0
        && !args.quiet
    {
        eprintln!(
            "rinse: {path}: every line was removed (`rinse explain {path}` shows by which rules)"
        );
    }
    // So is an emptied record; its line numbers say which, the first few here.
    if !r.emptied_records.is_empty() && !args.quiet {
        let lines = &r.emptied_records;
        let which: Vec<String> = lines.iter().take(5).map(usize::to_string).collect();
        let where_ = if args.report.is_some() {
            ", in the report"
        } else {
            ""
        };
        let more = match lines.len().saturating_sub(5) {
            0 => String::new(),
            n => format!(" and {n} more{where_}"),
        };
        eprintln!(
            "rinse: {path}: {} cleaned to nothing, every line removed ({} {}{more})",
            count(lines.len(), "record", "records"),
            if lines.len() == 1 { "line" } else { "lines" },
            which.join(", ")
        );
    }
    let Some(c) = &o.cleaned else {
        // A JSONL file is cleaned record by record: there is no one text to diff.
        if let Some(records) = o.record.records
            && !args.quiet
        {
            if args.diff {
                eprintln!(
                    "rinse: {path}: no diff for JSON Lines; --report counts its removals per rule"
                );
            }
            if args.dry_run {
                let out = o.record.output.as_deref().unwrap_or("stdout");
                eprintln!(
                    "would write {out}: {}, {} removed",
                    count(records, "record", "records"),
                    count(o.record.lines_removed, "line", "lines")
                );
            }
        }
        return Ok(());
    };
    let stdin = o.output.is_none();
    let mut stdout = std::io::stdout().lock();
    // Stdin's cleaned text goes to stdout; a diff beside it goes to stderr.
    let text_out = stdin && !args.dry_run;
    if text_out {
        stdout.write_all(c.text.as_bytes())?;
    }
    if args.diff {
        let new = o
            .output
            .as_ref()
            .map_or("-".into(), |p| p.display().to_string());
        let diff = rinse::diff::unified(c, &path.to_string(), &new);
        if text_out {
            eprint!("{diff}");
        } else {
            stdout.write_all(diff.as_bytes())?;
        }
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
            "would write {out}: {} removed, {} changed{norm}",
            count(c.lines_removed(), "line", "lines"),
            count(strips, "span", "spans")
        );
    }
    stdout.flush()
}

#[derive(Default)]
struct Tally {
    cleaned: usize,
    unchanged: usize,
    up_to_date: usize,
    failed: usize,
    lines: usize,
    bytes_in: u64,
    bytes_out: u64,
}

impl Tally {
    fn add(&mut self, r: &Record) {
        match r.status {
            Status::Cleaned => self.cleaned += 1,
            Status::Unchanged => self.unchanged += 1,
            Status::UpToDate => self.up_to_date += 1,
            Status::Failed | Status::Partial => self.failed += 1,
        }
        self.lines += r.lines_removed;
        // What this run read and wrote: an output up to date was neither.
        if r.status != Status::UpToDate {
            self.bytes_in += r.bytes_in;
            self.bytes_out += r.bytes_out;
        }
    }

    fn summary(&self, dry_run: bool, secs: f64) -> String {
        let verb = if dry_run { "would clean" } else { "cleaned" };
        let n = self.cleaned + self.unchanged;
        format!(
            "rinse: {verb} {} ({} with residue, {} unchanged), {} up to date, {} failed; \
             {:.1} MB in, {:.1} MB out; {} removed; {secs:.2} s",
            count(n, "file", "files"),
            self.cleaned,
            self.unchanged,
            self.up_to_date,
            self.failed,
            self.bytes_in as f64 / 1e6,
            self.bytes_out as f64 / 1e6,
            count(self.lines, "line", "lines"),
        )
    }
}
