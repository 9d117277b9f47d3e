//! Discovering inputs: files as given, trees walked in sorted order, our own outputs
//! and hidden entries skipped. Lazy, so memory does not grow with the tree.

use super::format::{DEFAULT_EXTENSIONS, split_name};
use super::read::dangling;
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

/// `--include` or `--exclude` globs, read as `.gitignore` reads them: one without a `/`
/// names a file (or, to exclude, a folder) at any depth; one with a `/` is matched
/// against the path from the walked folder, `*` within one folder, `**` across them;
/// one ending in `/` names folders only.
#[derive(Debug, Clone)]
pub struct Globs {
    names: GlobSet,
    paths: GlobSet,
    /// Patterns written with a trailing `/`: they name folders only.
    folder_names: GlobSet,
    folder_paths: GlobSet,
}

impl Globs {
    /// None when no pattern is given.
    pub fn new(patterns: &[String]) -> Result<Option<Globs>, String> {
        if patterns.is_empty() {
            return Ok(None);
        }
        let mut sets: [GlobSetBuilder; 4] = std::array::from_fn(|_| GlobSetBuilder::new());
        for p in patterns {
            let bad = |e: globset::Error| format!("bad glob {p:?}: {e}");
            let (glob, folder) = match p.strip_suffix('/') {
                Some(g) => (g, 2),
                None => (p.as_str(), 0),
            };
            match glob.trim_start_matches('/') {
                name if !glob.contains('/') => sets[folder].add(Glob::new(name).map_err(bad)?),
                path => sets[folder + 1].add(
                    GlobBuilder::new(path)
                        .literal_separator(true)
                        .build()
                        .map_err(bad)?,
                ),
            };
        }
        let [names, paths, folder_names, folder_paths] =
            sets.map(|b| b.build().map_err(|e| e.to_string()));
        Ok(Some(Globs {
            names: names?,
            paths: paths?,
            folder_names: folder_names?,
            folder_paths: folder_paths?,
        }))
    }

    /// Whether the file or folder at `rel` (from the walked folder) is named, by its own
    /// name or by its path: by the plain globs (`plain`) or the folder-only ones.
    fn named(&self, rel: &Path, plain: bool, folder_only: bool) -> bool {
        let by = |names: &GlobSet, paths: &GlobSet| {
            rel.file_name().is_some_and(|n| names.is_match(n)) || paths.is_match(rel)
        };
        (plain && by(&self.names, &self.paths))
            || (folder_only && by(&self.folder_names, &self.folder_paths))
    }

    /// A folder on the way to the file at `rel` is named: by a folder-only glob, and
    /// also by a plain one when `plain` (`--exclude b` leaves out the folder `b`, while
    /// `--include b` takes files named `b`).
    fn in_folder(&self, rel: &Path, plain: bool) -> bool {
        (rel.ancestors().skip(1)).any(|p| self.named(p, plain, true))
    }
}

/// One input: its path, and its path relative to the walk root (kept under `--out-dir`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    pub rel: PathBuf,
}

#[derive(Debug, Clone, Default)]
pub struct Walker {
    /// When set, a file is taken if it matches (instead of by extension).
    pub include: Option<Globs>,
    pub exclude: Option<Globs>,
    /// The output suffix (`.clean`); files named with it are outputs, never inputs.
    pub suffix: String,
    /// A directory never descended into (the `--out-dir` inside a walked tree).
    pub skip_dir: Option<PathBuf>,
    /// A file never taken (the `--report` being written inside a walked tree).
    pub skip_file: Option<PathBuf>,
}

/// A path that could not be walked, with the reason.
pub type WalkError = (PathBuf, String);

impl Walker {
    /// Inputs under `root`, in a deterministic order.
    pub fn walk<'a>(
        &'a self,
        root: &'a Path,
    ) -> Box<dyn Iterator<Item = Result<Input, WalkError>> + 'a> {
        if root.as_os_str() == "-" {
            return Box::new(std::iter::once(Ok(Input {
                path: root.to_path_buf(),
                rel: root.to_path_buf(),
            })));
        }
        match std::fs::metadata(root) {
            Err(e) => Box::new(std::iter::once(Err((
                root.to_path_buf(),
                dangling(root, e).to_string(),
            )))),
            Ok(m) if !m.is_dir() => {
                let name = root.file_name().map(PathBuf::from).unwrap_or_default();
                // Named on purpose, so not skipped in silence as a walk skips outputs.
                let item = if self.is_output(root) {
                    Err((
                        root.to_path_buf(),
                        "not cleaned: named like an output of rinse; rename it, or clean it through stdin (`rinse clean - < FILE`)".into(),
                    ))
                } else {
                    Ok(Input {
                        path: root.to_path_buf(),
                        rel: name,
                    })
                };
                Box::new(std::iter::once(item))
            }
            Ok(_) => Box::new(self.tree(root)),
        }
    }

    fn tree<'a>(&'a self, root: &'a Path) -> impl Iterator<Item = Result<Input, WalkError>> + 'a {
        let skip = self.skip_dir.as_ref().and_then(|d| d.canonicalize().ok());
        walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(move |e| {
                let hidden = e.depth() > 0 && is_hidden(e.file_name());
                let skipped = e.file_type().is_dir()
                    && (skip
                        .as_ref()
                        .is_some_and(|s| e.path().canonicalize().ok().as_ref() == Some(s))
                        || (e.depth() > 0 && crate::origin::is(e.path(), crate::origin::OUT_DIR)));
                !hidden && !skipped
            })
            .filter_map(move |entry| match entry {
                Err(e) => {
                    let p = e.path().unwrap_or(root).to_path_buf();
                    Some(Err((p, e.to_string())))
                }
                Ok(e) => {
                    let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                    if !self.wanted(rel)
                        || self.is_skipped_file(e.path())
                        || is_report(rel, e.path())
                    {
                        return None;
                    }
                    // A link to a file is read through; a link to a directory is not
                    // followed, so a link loop cannot trap the walk. A link that leads
                    // nowhere is named, not skipped in silence.
                    let is_file = if e.path_is_symlink() {
                        match std::fs::metadata(e.path()) {
                            Ok(m) => m.is_file(),
                            Err(err) => {
                                let err = dangling(e.path(), err).to_string();
                                return Some(Err((e.path().to_path_buf(), err)));
                            }
                        }
                    } else {
                        e.file_type().is_file()
                    };
                    is_file.then(|| {
                        Ok(Input {
                            path: e.path().to_path_buf(),
                            rel: rel.to_path_buf(),
                        })
                    })
                }
            })
    }

    /// Whether a walk of the folder `root` would take the file `path` (both resolved),
    /// as the walk judges it: not hidden, not under the output folder, wanted by name.
    pub fn takes(&self, root: &Path, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(root) else {
            return false;
        };
        let hidden = rel.components().any(|c| is_hidden(c.as_os_str()));
        let skipped = self
            .skip_dir
            .as_ref()
            .and_then(|d| d.canonicalize().ok())
            .is_some_and(|d| path.starts_with(d));
        !hidden && !skipped && self.wanted(rel)
    }

    fn wanted(&self, rel: &Path) -> bool {
        if self.is_output(rel)
            || self
                .exclude
                .as_ref()
                .is_some_and(|g| g.named(rel, true, false) || g.in_folder(rel, true))
        {
            return false;
        }
        let text_like = || {
            let name = rel.file_name().unwrap_or_default().to_string_lossy();
            let ext = split_name(&name).1.to_ascii_lowercase();
            DEFAULT_EXTENSIONS.contains(&ext.as_str())
        };
        match &self.include {
            // A folder (`docs/`) gives the files in it that would be taken by default.
            Some(g) => g.named(rel, true, false) || (g.in_folder(rel, false) && text_like()),
            None => text_like(),
        }
    }

    fn is_skipped_file(&self, path: &Path) -> bool {
        self.skip_file.as_ref().is_some_and(|s| {
            s.file_name() == path.file_name() && path.canonicalize().ok().as_ref() == Some(s)
        })
    }

    /// `x.clean.txt` (or `x<suffix>.txt`, `x.clean.jsonl.gz`) is one of our outputs.
    pub fn is_output(&self, path: &Path) -> bool {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let base = split_name(&name).0;
        base.ends_with(".clean")
            || (!self.suffix.is_empty() && base.ends_with(self.suffix.as_str()))
    }
}

/// A JSONL file rinse wrote as a `--report`, which a walk passes over: a report
/// written into a corpus is not part of it, empty (a shard with no files) or not. Only
/// JSONL names are asked, and a file written over since (records of the user's in it)
/// is an input again.
fn is_report(rel: &Path, path: &Path) -> bool {
    let name = rel.file_name().unwrap_or_default().to_string_lossy();
    matches!(super::Format::of_name(&name), super::Format::Jsonl(_))
        && crate::origin::is(path, crate::origin::REPORT)
        && crate::output::is_report_or_empty(path)
}

/// A dot file or folder, which a walk passes over.
fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}
