//! Where outputs go, writing them atomically, and the per-input report record.

use crate::clean::Cleaned;
use crate::input::Input;
use crate::input::format::{HTML_EXTENSIONS, split_name};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};

/// How output paths are named.
#[derive(Debug, Clone)]
pub struct Naming {
    /// Mirror the tree under this directory, keeping relative path and file name.
    pub out_dir: Option<PathBuf>,
    /// Inserted before the extension beside the input: `x.txt` -> `x.clean.txt`.
    pub suffix: String,
}

impl Naming {
    /// The output of an HTML page is text: `x.html` -> `x.clean.txt`, or `DIR/x.txt`.
    pub fn output_path(&self, input: &Input) -> PathBuf {
        let name = input.path.file_name().unwrap_or_default();
        let (base, ext) = split_os_name(name);
        let html = HTML_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str());
        let ext = if html { ".txt" } else { ext.as_str() };
        let named = |middle: &str| {
            let mut n = base.clone();
            n.push(middle);
            n.push(ext);
            n
        };
        match &self.out_dir {
            Some(dir) if html => dir.join(&input.rel).with_file_name(named("")),
            Some(dir) => dir.join(&input.rel),
            None => input.path.with_file_name(named(&self.suffix)),
        }
    }
}

/// A file name split as `split_name` splits it, the base kept as the name's own bytes:
/// two names that are not UTF-8 and differ only in such bytes keep differing (a lossy
/// name would give both one output). An extension that is not UTF-8 is no extension.
fn split_os_name(name: &OsStr) -> (OsString, String) {
    let lossy = name.to_string_lossy();
    let (_, ext) = split_name(&lossy);
    if ext.contains(char::REPLACEMENT_CHARACTER) {
        return (name.to_os_string(), String::new());
    }
    #[cfg(unix)]
    let base = {
        use std::os::unix::ffi::OsStrExt;
        let bytes = name.as_bytes();
        OsStr::from_bytes(&bytes[..bytes.len() - ext.len()]).to_os_string()
    };
    // Elsewhere a name is UTF-16, and one that is not Unicode is rare: it goes lossy.
    #[cfg(not(unix))]
    let base = OsString::from(split_name(&lossy).0);
    (base, ext.to_string())
}

/// `n` and the noun in the number it needs: "1 line", "2 lines".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

/// The word in the number `n` needs: "was" or "were".
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The folder a file path lies in: `.` for a bare file name.
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Write `bytes` to `path` through a temp file in the same folder and a rename, so a
/// reader (or a killed run) never sees a partial output.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, None, false, |w| w.write_all(bytes))
}

/// Like `write_atomic`, for outputs written as a stream. An output of an input (`of`)
/// is readable by no one its input is not readable by; with `guard`, it replaces no
/// file that rinse did not write unless that holds the same bytes ([`check_replace`]).
pub fn write_atomic_with<T>(
    path: &Path,
    of: Option<&Path>,
    guard: bool,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> std::io::Result<T> {
    let dir = folder_of(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".rinse-").suffix(".tmp");
    // Outputs are ordinary files (0644 less the umask), not the temp file's private 0600;
    // an output of a private input (0600, 0640) stays as private.
    #[cfg(unix)]
    let input = of.and_then(|p| std::fs::metadata(p).ok());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let read = input
            .as_ref()
            .map_or(0o444, |m| m.permissions().mode() & 0o444);
        builder.permissions(std::fs::Permissions::from_mode(0o200 | read));
    }
    #[cfg(not(unix))]
    let _ = of;
    // The folder is made only when the temp file cannot be: asking first would cost two
    // system calls for every output, most of which land in a folder that is already
    // there. A folder that cannot be made is reported as `create_dir_all` says.
    let tmp = match builder.tempfile_in(dir) {
        Ok(tmp) => tmp,
        Err(_) => {
            std::fs::create_dir_all(dir)?;
            builder.tempfile_in(dir)?
        }
    };
    #[cfg(unix)]
    if let Some(input) = &input {
        same_group(tmp.as_file(), input)?;
    }
    let mut w = std::io::BufWriter::new(tmp);
    let value = fill(&mut w)?;
    let tmp = w.into_inner().map_err(|e| e.into_error())?;
    if guard {
        check_replace(path, tmp.path())?;
    }
    // No fsync: the rename guards against killed runs, which is what a pipeline step
    // meets; an fsync per file would cost more than cleaning it.
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(value)
}

/// Refuse to replace a file at `path` that rinse did not write (see
/// [`crate::origin::foreign`]) with the different bytes of `new`: it is the user's, a
/// real input that only looks like an output under another suffix (`a.v2.txt` beside
/// `a.txt`) or a file in a folder given as `--out-dir`. The same bytes are let through.
fn check_replace(path: &Path, new: &Path) -> std::io::Result<()> {
    refuse_unless_same(path, || same_bytes(path, new))
}

/// [`check_replace`] for output not written yet (a dry run): the same answer the run
/// that writes `bytes` would get.
pub fn check_replace_with(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    refuse_unless_same(path, || Ok(std::fs::read(path)? == bytes))
}

/// Refuse a file at `path` that rinse did not write, unless `same` says it holds the
/// output's bytes.
fn refuse_unless_same(
    path: &Path,
    same: impl FnOnce() -> std::io::Result<bool>,
) -> std::io::Result<()> {
    if !crate::origin::foreign(path) || same()? {
        return Ok(());
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "a file that rinse did not write is there (it has no origin, see --force) and \
         holds other text; move or delete it, or pass --overwrite",
    ))
}

/// Whether two files hold the same bytes, read a block at a time.
fn same_bytes(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let (mut a, mut b) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    if a.metadata()?.len() != b.metadata()?.len() {
        return Ok(false);
    }
    let (mut x, mut y) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = a.read(&mut x)?;
        if n == 0 {
            return Ok(true);
        }
        b.read_exact(&mut y[..n])?;
        if x[..n] != y[..n] {
            return Ok(false);
        }
    }
}

/// Give a new output its input's group, whose members may read it: the output is made
/// in the group of whoever runs rinse, which may hold people the input's group does not.
/// Where the group cannot be handed over, the output is kept from its group instead.
#[cfg(unix)]
fn same_group(out: &std::fs::File, input: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let now = out.metadata()?;
    if now.gid() == input.gid() || now.mode() & 0o040 == 0 {
        return Ok(());
    }
    if std::os::unix::fs::fchown(out, None, Some(input.gid())).is_err() {
        out.set_permissions(std::fs::Permissions::from_mode(now.mode() & 0o707))?;
    }
    Ok(())
}

/// Outcome of one input, as a report line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Cleaned and something was removed.
    Cleaned,
    /// Cleaned, nothing removed.
    Unchanged,
    /// Skipped: the output is newer than the input, the rules and the binary, and was
    /// written from this input with the same options and rule files (`crate::origin`).
    UpToDate,
    /// Cleaned, but some records could not be read (passed through unchanged).
    Partial,
    Failed,
}

/// A JSONL line that could not be cleaned.
#[derive(Debug, Clone, Serialize)]
pub struct RecordError {
    pub line: usize,
    pub error: String,
}

/// An empty file, or a report of an earlier run: what a `--report` may be written over,
/// and what a walk passes over where rinse marked it as a report.
pub fn is_report_or_empty(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() == 0) || is_report(path)
}

/// Whether the file at `path` is a report: its first line is a record of `--report`.
fn is_report(path: &Path) -> bool {
    use std::io::{BufRead, BufReader, Read};
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let mut first = Vec::new();
    if BufReader::new(f.take(1 << 20))
        .read_until(b'\n', &mut first)
        .is_err()
    {
        return false;
    }
    serde_json::from_slice::<serde_json::Value>(&first).is_ok_and(|v| {
        ["path", "output", "status"]
            .iter()
            .all(|k| v.get(k).is_some())
    })
}

/// One JSON line of `--report`.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub path: String,
    pub output: Option<String>,
    /// Whether this run wrote `output`: not under `--dry-run`, nor when it was up to
    /// date or the input failed.
    pub written: bool,
    pub status: Status,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub encoding: Option<&'static str>,
    pub replaced_chars: usize,
    pub lines_removed: usize,
    /// Removals per rule id, read from the provenance record.
    pub removals: BTreeMap<String, usize>,
    pub error: Option<String>,
    /// The site rule files that applied (of JSONL records: to any), by stem.
    #[serde(skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub sites: std::collections::BTreeSet<String>,
    /// JSONL: records read, and the lines that could not be cleaned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub record_errors: Vec<RecordError>,
    /// JSONL: records whose `--url-field` held a string (a URL to choose site rules by).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urls: Option<usize>,
    /// JSONL: the lines of records whose text every removal together emptied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emptied_records: Vec<usize>,
}

impl Record {
    /// A record with nothing done yet.
    pub fn new(path: &Path, status: Status) -> Self {
        Record {
            path: path.display().to_string(),
            output: None,
            written: false,
            status,
            bytes_in: 0,
            bytes_out: 0,
            encoding: None,
            replaced_chars: 0,
            lines_removed: 0,
            removals: BTreeMap::new(),
            error: None,
            sites: Default::default(),
            records: None,
            record_errors: Vec::new(),
            urls: None,
            emptied_records: Vec::new(),
        }
    }

    pub fn failed(path: &Path, error: String) -> Self {
        Record {
            error: Some(error),
            ..Record::new(path, Status::Failed)
        }
    }

    /// Count one cleaned document's removals into this record.
    pub fn add(&mut self, c: &Cleaned) {
        // Counted by the id's address first (a rule's removals share its Arc), then
        // merged by name: one map lookup and at most one allocation per rule.
        let mut by_arc: rustc_hash::FxHashMap<*const u8, (&str, usize)> = Default::default();
        for r in &c.removals {
            by_arc
                .entry(r.rule_id.as_ptr())
                .or_insert((&r.rule_id, 0))
                .1 += 1;
        }
        for (id, n) in by_arc.into_values() {
            match self.removals.get_mut(id) {
                Some(total) => *total += n,
                None => {
                    self.removals.insert(id.to_string(), n);
                }
            }
        }
        self.lines_removed += c.lines_removed();
        for s in &c.sites {
            if !self.sites.contains(&**s) {
                self.sites.insert(s.to_string());
            }
        }
    }

    pub fn cleaned(
        path: &Path,
        output: Option<&Path>,
        bytes_in: u64,
        encoding: &'static str,
        replaced: usize,
        c: &Cleaned,
    ) -> Self {
        let mut rec = Record::new(
            path,
            if c.removals.is_empty() {
                Status::Unchanged
            } else {
                Status::Cleaned
            },
        );
        rec.output = output.map(|p| p.display().to_string());
        rec.bytes_in = bytes_in;
        rec.bytes_out = c.text.len() as u64;
        rec.encoding = Some(encoding);
        rec.replaced_chars = replaced;
        rec.add(c);
        rec
    }
}
