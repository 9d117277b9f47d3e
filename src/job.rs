//! Cleaning one input end to end: read -> decode -> clean -> write, with one report record.

use crate::clean::{Cleaned, Cleaner};
use crate::input::{Format, Hints, Input, decode_with, read_input};
use crate::jsonl::{self, Fields};
use crate::origin;
use crate::output::{Naming, Record, Status, count, plural, write_atomic_with};
use crate::rules::DocContext;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

#[derive(Debug, Clone)]
pub struct JobOptions {
    pub max_bytes: u64,
    pub naming: Naming,
    /// False for `--dry-run`: clean, report, write nothing.
    pub write: bool,
    pub site: Option<String>,
    pub url: Option<String>,
    /// None: from the file name (`auto`).
    pub format: Option<Format>,
    pub fields: Fields,
    /// Clean even when the output is up to date.
    pub force: bool,
    /// Let outputs replace files rinse did not write (see `guards`).
    pub overwrite: bool,
    /// The newest of the rule files and the binary: an output older than this is stale.
    pub stamp: Option<SystemTime>,
    /// A hash of what else decides an output: rinse's version, the options that change
    /// what is written, the rule files in use. With the input, an output's origin.
    pub settings: u64,
    /// Keep the cleaned text and removals in the outcome (for diffs and dry runs).
    pub keep: bool,
    /// `--encoding`: decode text inputs with this unless they have a byte-order mark.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

impl JobOptions {
    /// The origin an output of `input` gets in this run (`crate::origin`).
    fn origin(&self, input: &Path) -> u64 {
        origin::of(self.settings, input)
    }

    /// Whether an output may replace only files rinse wrote (or holding the same text):
    /// under `--out-dir` or another suffix, where a file at the output path may be the
    /// user's. A `.clean` name beside its input is rinse's by contract, so a tree
    /// copied without its extended attributes is cleaned again there as ever.
    fn guards(&self) -> bool {
        !self.overwrite && (self.naming.out_dir.is_some() || self.naming.suffix != ".clean")
    }

    /// What decoding may assume about an input.
    pub fn hints(&self) -> Hints<'_> {
        hints(self.encoding, self.url.as_deref())
    }
}

/// Decoding hints from `--encoding` and the page's URL (its top-level domain).
pub fn hints<'a>(
    forced: Option<&'static encoding_rs::Encoding>,
    url: Option<&'a str>,
) -> Hints<'a> {
    let tld = url
        .and_then(|u| {
            let rest = u.split_once("://").map_or(u, |(_, r)| r);
            let host = rest.split(['/', '?', '#', ':']).next()?;
            host.rsplit('.').next()
        })
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphabetic()));
    Hints {
        forced,
        declared: None,
        tld,
    }
}

/// Whether `enc` is UTF-16, whose text is full of NUL bytes.
pub fn is_utf16(enc: Option<&'static encoding_rs::Encoding>) -> bool {
    enc.is_some_and(|e| e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE)
}

/// What happened to one input.
#[derive(Debug)]
pub struct Outcome {
    pub input: Input,
    /// Where the output went (or would go); None for stdin and failures.
    pub output: Option<PathBuf>,
    /// The cleaned text input (kept for stdin, and when `JobOptions::keep`).
    pub cleaned: Option<Cleaned>,
    pub record: Record,
}

/// Clean `input` into `output` (named by `opts.naming`; None for stdin).
pub fn clean_file(
    cleaner: &Cleaner,
    input: &Input,
    output: Option<PathBuf>,
    opts: &JobOptions,
) -> Outcome {
    let stdin = input.path.as_os_str() == "-";
    let name = input.path.file_name().unwrap_or_default().to_string_lossy();
    let format = Format::of_file(&name, opts.format);
    let outcome = |output: Option<PathBuf>, cleaned: Option<Cleaned>, record: Record| Outcome {
        input: input.clone(),
        output,
        cleaned,
        record,
    };
    if let Some(out) = &output
        && !opts.force
        && let Some(sizes) = up_to_date(&input.path, out, opts)
    {
        let mut rec = Record::new(&input.path, Status::UpToDate);
        rec.output = Some(out.display().to_string());
        // The sizes stand as the run that wrote it left them, so sums over runs add up.
        (rec.bytes_in, rec.bytes_out) = sizes;
        return outcome(output, None, rec);
    }
    let cx = DocContext {
        site: opts.site.as_deref(),
        url: opts.url.as_deref(),
        path: (!stdin).then_some(input.path.as_path()),
    };
    let result = match format {
        Format::Text | Format::Html => {
            // `-` with `auto` is HTML when it looks like a page.
            let sniff = stdin && opts.format.is_none();
            let html = format == Format::Html;
            clean_text(cleaner, input, output.as_deref(), &cx, opts, html, sniff)
        }
        Format::Jsonl(c) => {
            clean_jsonl(cleaner, input, output.as_deref(), &cx, opts, c).map(|rec| (rec, None))
        }
    };
    match result {
        Ok((mut rec, cleaned)) => {
            // Stdin's output is stdout, written unless this is a dry run.
            if stdin && opts.write {
                (rec.output, rec.written) = (Some("-".into()), true);
            }
            let keep = opts.keep || stdin;
            outcome(output, cleaned.filter(|_| keep), rec)
        }
        Err(msg) => outcome(None, None, Record::failed(&input.path, msg)),
    }
}

/// A text or HTML input cleaned: the result, the encoding its bytes were read in, and
/// how many characters decoding replaced.
pub fn clean_bytes(
    cleaner: &Cleaner,
    bytes: &[u8],
    html: bool,
    hints: &Hints,
    cx: &DocContext,
) -> (Cleaned, &'static str, usize) {
    if html {
        cleaner.clean_html_bytes(bytes, hints, cx)
    } else {
        let decoded = decode_with(bytes, hints);
        let cleaned = cleaner.clean(&decoded.text, cx);
        (cleaned, decoded.encoding, decoded.replaced)
    }
}

/// Whether an input is HTML: by `format` if given, else by its name's extension, and
/// for stdin (`-`) by its first bytes.
pub fn is_html(format: Option<Format>, path: &Path, bytes: &[u8]) -> bool {
    match format {
        Some(f) => f == Format::Html,
        None if path.as_os_str() == "-" => crate::html::sniff(bytes),
        None => {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            Format::of_name(&name) == Format::Html
        }
    }
}

fn clean_text(
    cleaner: &Cleaner,
    input: &Input,
    output: Option<&Path>,
    cx: &DocContext,
    opts: &JobOptions,
    html: bool,
    sniff: bool,
) -> Result<(Record, Option<Cleaned>), String> {
    let origin = opts.origin(&input.path);
    let bytes = read_input(&input.path, opts.max_bytes, is_utf16(opts.encoding))
        .map_err(|e| e.to_string())?;
    let bytes_in = bytes.len() as u64;
    let html = html || (sniff && crate::html::sniff(&bytes));
    let (cleaned, encoding, replaced) = clean_bytes(cleaner, &bytes, html, &opts.hints(), cx);
    drop(bytes);
    if let (true, Some(out)) = (opts.write, output) {
        write_atomic_with(out, Some(&input.path), opts.guards(), |w| {
            w.write_all(cleaned.text.as_bytes())
        })
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        origin::mark(out, origin);
    }
    // A dry run says what the run that writes would: refused where it would be.
    if let (false, true, Some(out)) = (opts.write, opts.guards(), output) {
        crate::output::check_replace_with(out, cleaned.text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    }
    let mut rec = Record::cleaned(&input.path, output, bytes_in, encoding, replaced, &cleaned);
    rec.written = opts.write && output.is_some();
    Ok((rec, Some(cleaned)))
}

fn clean_jsonl(
    cleaner: &Cleaner,
    input: &Input,
    output: Option<&Path>,
    cx: &DocContext,
    opts: &JobOptions,
    compression: crate::input::Compression,
) -> Result<Record, String> {
    let mut rec = Record::new(&input.path, Status::Unchanged);
    rec.output = output.map(|p| p.display().to_string());
    rec.encoding = Some("UTF-8");
    let fields = &opts.fields;
    let origin = opts.origin(&input.path);
    let stream = |r: &mut Record, w: &mut dyn std::io::Write| -> std::io::Result<()> {
        let file: Box<dyn std::io::Read + Send> = if input.path.as_os_str() == "-" {
            Box::new(std::io::stdin())
        } else {
            Box::new(std::fs::File::open(&input.path)?)
        };
        let mut reader = jsonl::decompress(file, compression)?;
        let mut out = jsonl::compress(w, compression)?;
        jsonl::clean_stream(cleaner, cx, fields, &mut reader, out.writer(), r)?;
        out.finish()
    };
    let result = match output {
        Some(out) if opts.write => {
            write_atomic_with(out, Some(&input.path), opts.guards(), |w| {
                stream(&mut rec, w)
            })
            .map_err(|e| match e.kind() {
                // The guard's refusal names the file, as for text outputs.
                std::io::ErrorKind::AlreadyExists => {
                    std::io::Error::new(e.kind(), format!("cannot write {}: {e}", out.display()))
                }
                _ => e,
            })
        }
        // A reader that closed the pipe (`| head`) only ends the output, as for text.
        None if opts.write => match stream(&mut rec, &mut std::io::stdout().lock()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => r,
        },
        // A dry run writes nothing, records of stdin included (as it prints no text).
        _ => stream(&mut rec, &mut std::io::sink()),
    };
    result.map_err(|e| e.to_string())?;
    rec.written = opts.write && output.is_some();
    // An output some records could not be read into is not up to date for the next run,
    // but it is still rinse's.
    if let (true, Some(out)) = (opts.write, output) {
        let done = rec.record_errors.is_empty();
        origin::mark(out, if done { origin } else { origin::UNFINISHED });
    }
    rec.status = if !rec.record_errors.is_empty() {
        let lines: Vec<String> = rec
            .record_errors
            .iter()
            .take(5)
            .map(|e| e.line.to_string())
            .collect();
        let more = if rec.record_errors.len() > 5 {
            ", ..."
        } else {
            ""
        };
        let n = rec.record_errors.len();
        // Why the first failed, which often holds for all (a wrong `--text-field`).
        let first = &rec.record_errors[0];
        rec.error = Some(format!(
            "{} could not be cleaned and {} passed through ({} {}{more}); line {}: {}",
            count(n, "record", "records"),
            plural(n, "was", "were"),
            plural(n, "line", "lines"),
            lines.join(", "),
            first.line,
            first.error
        ));
        Status::Partial
    } else if rec.removals.is_empty() {
        Status::Unchanged
    } else {
        Status::Cleaned
    };
    Ok(rec)
}

/// The sizes of input and output when the output exists, is newer than the input and
/// than the rule files and binary, and was written from this input with these settings
/// by a run that read all of it.
fn up_to_date(input: &Path, output: &Path, opts: &JobOptions) -> Option<(u64, u64)> {
    let stat = |p: &Path| {
        let m = std::fs::metadata(p).ok()?;
        Some((m.modified().ok()?, m.len()))
    };
    // The output first: on a first run it is missing, and the input need not be asked.
    let (o, out_size) = stat(output)?;
    let (i, in_size) = stat(input)?;
    (o > i && opts.stamp.is_none_or(|s| o > s) && origin::is(output, opts.origin(input)))
        .then_some((in_size, out_size))
}
