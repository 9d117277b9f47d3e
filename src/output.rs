//! Where outputs go, writing them atomically, and the per-input report record.

use crate::clean::Cleaned;
use crate::input::Input;
use serde::Serialize;
use std::collections::BTreeMap;
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
    pub fn output_path(&self, input: &Input) -> PathBuf {
        match &self.out_dir {
            Some(dir) => dir.join(&input.rel),
            None => {
                let stem = input.path.file_stem().unwrap_or_default().to_string_lossy();
                let name = match input.path.extension() {
                    Some(ext) => format!("{stem}{}.{}", self.suffix, ext.to_string_lossy()),
                    None => format!("{stem}{}", self.suffix),
                };
                input.path.with_file_name(name)
            }
        }
    }
}

/// Write `bytes` to `path` through a temp file in the same folder and a rename, so a
/// reader (or a killed run) never sees a partial output.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".rinse-").suffix(".tmp");
    // Outputs are ordinary files (0644 less the umask), not the temp file's private 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // No fsync: the rename guards against killed runs, which is what a pipeline step
    // meets; an fsync per file would cost more than cleaning it.
    tmp.persist(path).map_err(|e| e.error)?;
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
    Failed,
}

/// One JSON line of `--report`.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub path: String,
    pub output: Option<String>,
    pub status: Status,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub encoding: Option<&'static str>,
    pub replaced_chars: usize,
    pub lines_removed: usize,
    /// Removals per rule id, read from the provenance record.
    pub removals: BTreeMap<String, usize>,
    pub error: Option<String>,
}

impl Record {
    pub fn failed(path: &Path, error: String) -> Self {
        Record {
            path: path.display().to_string(),
            output: None,
            status: Status::Failed,
            bytes_in: 0,
            bytes_out: 0,
            encoding: None,
            replaced_chars: 0,
            lines_removed: 0,
            removals: BTreeMap::new(),
            error: Some(error),
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
        let mut removals = BTreeMap::new();
        for r in &c.removals {
            *removals.entry(r.rule_id.to_string()).or_insert(0) += 1;
        }
        Record {
            path: path.display().to_string(),
            output: output.map(|p| p.display().to_string()),
            status: if c.removals.is_empty() {
                Status::Unchanged
            } else {
                Status::Cleaned
            },
            bytes_in,
            bytes_out: c.text.len() as u64,
            encoding: Some(encoding),
            replaced_chars: replaced,
            lines_removed: c.lines_removed(),
            removals,
            error: None,
        }
    }
}
