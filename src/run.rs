//! Running over many inputs: walk lazily, pick this shard's files, clean them in
//! parallel in bounded chunks, and hand the outcomes back in walk order, so output and
//! report are the same whatever the number of threads.

use crate::clean::Cleaner;
use crate::input::{Input, Walker};
use crate::job::{JobOptions, Outcome, clean_file};
use crate::output::{Naming, Record, folder_of};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Inputs in flight at once per thread: enough to keep threads busy, few enough that
/// memory stays flat however large the tree.
const PER_THREAD: usize = 16;

/// `--shard K/N`: this task cleans the inputs whose path hashes to K modulo N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: u64,
    pub n: u64,
}

impl Shard {
    /// Parse `K/N` with `0 <= K < N`.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("--shard takes K/N with 0 <= K < N, not {s:?}");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (u64, u64) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if n == 0 || k >= n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    /// Whether `rel` (a path relative to the outermost root that holds it) is this shard's.
    pub fn takes(&self, rel: &Path) -> bool {
        stable_hash(rel) % self.n == self.k
    }
}

/// FNV-1a over the path with `/` separators: the same on every machine and every run.
fn stable_hash(rel: &Path) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    let mut first = true;
    for part in rel.components() {
        if !first {
            h = (h ^ u64::from(b'/')).wrapping_mul(0x100000001b3);
        }
        first = false;
        for b in part.as_os_str().to_string_lossy().bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x100000001b3);
        }
    }
    h
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub roots: Vec<PathBuf>,
    pub walker: Walker,
    pub shard: Option<Shard>,
    /// Worker threads; 0 for all cores.
    pub jobs: usize,
}

impl Plan {
    /// This shard's inputs (and the paths that could not be walked), in walk order. An
    /// input's `rel` is its path below the outermost root that holds it.
    pub fn inputs(&self) -> impl Iterator<Item = Result<Input, (PathBuf, String)>> + '_ {
        self.roots
            .iter()
            .zip(outer_prefixes(&self.roots))
            .flat_map(move |(root, prefix)| {
                self.walker
                    .walk(root)
                    .map(move |f| {
                        f.map(|input| Input {
                            rel: prefix.join(&input.rel),
                            ..input
                        })
                    })
                    .filter(move |f| match (f, self.shard) {
                        (Ok(input), Some(shard)) => shard.takes(&input.rel),
                        _ => true,
                    })
            })
    }
}

/// Per root, where its files sit under the outermost folder root that holds them: a
/// file reached from `a` and from `a/b` (or named as `a/b/x.txt`) is `b/x.txt` either
/// way, so the shards still clean it once and `--out-dir` mirrors it to one place
/// whatever the order of the roots. Empty for a root no other one holds.
fn outer_prefixes(roots: &[PathBuf]) -> Vec<PathBuf> {
    // Each root resolved once: where its files sit (a file root's `rel` is its name, so
    // its place is its folder) and whether it is a folder, which may hold other roots.
    let places: Vec<Option<(PathBuf, bool)>> = roots
        .iter()
        .map(|r| {
            let c = r.canonicalize().ok()?;
            let dir = c.is_dir();
            let at = if dir { c } else { c.parent()?.to_path_buf() };
            Some((at, dir))
        })
        .collect();
    let folders: Vec<&Path> = places
        .iter()
        .flatten()
        .filter(|(_, dir)| *dir)
        .map(|(at, _)| at.as_path())
        .collect();
    places
        .iter()
        .map(|place| {
            place
                .as_ref()
                .and_then(|(at, _)| {
                    folders
                        .iter()
                        .filter_map(|f| at.strip_prefix(f).ok())
                        .max_by_key(|p| p.components().count())
                })
                .map_or_else(PathBuf::new, Path::to_path_buf)
        })
        .collect()
}

/// An input with its output (None for stdin), or a path that failed before cleaning.
type Planned = Result<(Input, Option<PathBuf>), (PathBuf, String)>;

/// Clean every input of `plan`, calling `sink` with each outcome in walk order. When
/// `stop` is set (an interrupt), the inputs in flight are finished and written, no new
/// one is started, and `run` returns false; it returns true when every input was taken.
/// It fails, before reading any input, when its worker threads cannot be started.
pub fn run(
    cleaner: &Cleaner,
    plan: &Plan,
    opts: &JobOptions,
    stop: &AtomicBool,
    mut sink: impl FnMut(Outcome),
) -> Result<bool, String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.jobs)
        .build()
        .map_err(|e| format!("cannot start {} worker threads: {e}", plan.jobs))?;
    let chunk = pool.current_num_threads().max(1) * PER_THREAD;
    let mut batch: Vec<Planned> = Vec::with_capacity(chunk);
    let mut flush = |batch: &mut Vec<Planned>| {
        let outcomes: Vec<Outcome> = pool.install(|| {
            batch
                .par_drain(..)
                .filter(|_| !stop.load(Ordering::Relaxed))
                .map(|f| match f {
                    Ok((input, output)) => clean_file(cleaner, &input, output, opts),
                    Err((path, msg)) => Outcome {
                        input: Input {
                            path: path.clone(),
                            rel: path.clone(),
                        },
                        output: None,
                        cleaned: None,
                        record: Record::failed(&path, msg),
                    },
                })
                .collect()
        });
        outcomes.into_iter().for_each(&mut sink);
    };
    let mut claims = Claims::new(
        &plan.roots,
        opts.naming.out_dir.as_deref(),
        plan.walker.skip_file.clone(),
    );
    for f in plan.inputs() {
        if stop.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let f = match f {
            Ok(input) if input.path.as_os_str() == "-" => Ok((input, None)),
            Ok(input) => {
                let output = opts.naming.output_path(&input);
                match claims.claim(input, output, &opts.naming) {
                    Some(f) => f.map(|(input, output)| (input, Some(output))),
                    None => continue,
                }
            }
            Err(e) => Err(e),
        };
        batch.push(f);
        if batch.len() == chunk {
            flush(&mut batch);
        }
    }
    flush(&mut batch);
    Ok(!stop.load(Ordering::Relaxed))
}

/// The inputs and outputs of a run so far, so that no file is cleaned twice and no
/// output replaces an input or another output.
struct Claims {
    /// Hash of each input and of each output so far, resolved (`q`, `./q` and `q/sub`
    /// given together reach the same files more than once): 16 bytes an input, so a
    /// tree of millions of files still costs little memory.
    inputs: HashSet<u64>,
    outputs: HashSet<u64>,
    /// The folder of the last input, and the outputs claimed by its inputs: most clashes
    /// are between siblings (`a.txt`, `a.html`), and these name the other one.
    folder: (PathBuf, Vec<(PathBuf, PathBuf)>),
    /// The last input folder and output folder as written and resolved: files come
    /// folder by folder, so each folder is resolved about once.
    dirs: [(PathBuf, PathBuf); 2],
    /// The inputs named as files, resolved. A walk never yields a file under the
    /// output folder, but a file named on the command line can sit there:
    /// `rinse clean --out-dir in in/a.txt` would write over `in/a.txt`.
    named: HashSet<PathBuf>,
    /// The roots with their places under the outermost root (`outer_prefixes`), to find
    /// the earlier input of a clash that is not between siblings.
    roots: Vec<(PathBuf, PathBuf)>,
    /// Under `--out-dir`, it and the folder roots, resolved: outputs must not land among
    /// the inputs (see `Claims::lands_among_inputs`).
    out_dir: Option<(PathBuf, Vec<PathBuf>)>,
    /// The `--report` file, resolved: no output may replace it.
    report: Option<PathBuf>,
}

impl Claims {
    fn new(roots: &[PathBuf], out_dir: Option<&Path>, report: Option<PathBuf>) -> Self {
        let out_dir = out_dir.map(|out| {
            let folders = roots
                .iter()
                .filter(|r| r.is_dir())
                .map(|r| resolve_folder(r));
            (resolve_folder(out), folders.collect())
        });
        Claims {
            out_dir,
            inputs: HashSet::new(),
            outputs: HashSet::new(),
            folder: Default::default(),
            dirs: Default::default(),
            named: roots
                .iter()
                .filter(|r| r.is_file())
                .filter_map(|r| r.canonicalize().ok())
                .collect(),
            roots: roots.iter().cloned().zip(outer_prefixes(roots)).collect(),
            report,
        }
    }

    /// `path` with its folder resolved (the file itself may not exist yet), through the
    /// cache slot `k` (0 inputs, 1 outputs).
    fn resolve(&mut self, k: usize, path: &Path) -> PathBuf {
        let dir = folder_of(path);
        let slot = &mut self.dirs[k];
        if slot.0 != dir || slot.1.as_os_str().is_empty() {
            *slot = (dir.to_path_buf(), resolve_folder(dir));
        }
        match path.file_name() {
            Some(name) => slot.1.join(name),
            None => path.to_path_buf(),
        }
    }

    /// Why the output `output` (resolved: `target`) would replace a file of the input
    /// tree, if it would. The walk skips an `--out-dir` inside a walked folder, so the
    /// files in it are not inputs; but one that rinse did not write (it has no origin)
    /// is the user's, and a link inside the output folder can lead back into the tree.
    fn lands_among_inputs(&self, target: &Path, output: &Path) -> Option<String> {
        let (out, roots) = self.out_dir.as_ref()?;
        if !roots.iter().any(|r| target.starts_with(r)) {
            return None;
        }
        if !target.starts_with(out) {
            return Some(format!(
                "its output {} leads through a link into the input tree",
                output.display()
            ));
        }
        // Where the file system cannot say who wrote it, the output is written as
        // before this guard: refusing would fail every later run there.
        let users = target.exists() && crate::origin::written_by_rinse(target) == Some(false);
        users.then(|| {
            format!(
                "its output {} would replace a file that rinse did not write: the \
                 --out-dir is inside the input tree, and the files in it are not cleaned",
                output.display()
            )
        })
    }

    /// The input taken before `input` whose output is also `output`, when they are not
    /// siblings: under `--out-dir`, two roots holding the same relative path. Only a
    /// clash pays for this search: a look at each file root, and one folder listed per
    /// folder root.
    fn earlier_under_roots(
        &self,
        input: &Input,
        output: &Path,
        naming: &Naming,
    ) -> Option<PathBuf> {
        let taken = |c: &Input| {
            c.path != input.path
                && naming.output_path(c) == output
                && c.path.file_name().is_some_and(|name| {
                    let at = resolve_folder(folder_of(&c.path)).join(name);
                    self.inputs.contains(&path_hash(&at))
                })
        };
        let rel_dir = input.rel.parent().unwrap_or(Path::new(""));
        for (root, prefix) in &self.roots {
            // A file root is its own only candidate.
            if !root.is_dir() {
                let rel = prefix.join(root.file_name()?);
                let c = Input {
                    path: root.clone(),
                    rel,
                };
                if taken(&c) {
                    return Some(c.path);
                }
                continue;
            }
            // A folder root holds its candidates in the folder of the same relative
            // path (relative paths start at the outermost root: `prefix` is this root's
            // place under it).
            let Ok(below) = rel_dir.strip_prefix(prefix) else {
                continue;
            };
            let dir = root.join(below);
            let mut names: Vec<_> = std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.file_name())
                .collect();
            names.sort();
            let found = names.into_iter().find_map(|n| {
                let c = Input {
                    path: dir.join(&n),
                    rel: rel_dir.join(&n),
                };
                taken(&c).then_some(c.path)
            });
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// `input` to be cleaned into `output`; an error naming the clash when the output is
    /// an input named on the command line or already another input's output (`a.txt`
    /// and `a.html` both give `a.clean.txt`); None for a file reached twice (cleaned once).
    fn claim(
        &mut self,
        input: Input,
        output: PathBuf,
        naming: &Naming,
    ) -> Option<Result<(Input, PathBuf), (PathBuf, String)>> {
        let key = path_hash(&self.resolve(0, &input.path));
        if !self.inputs.insert(key) {
            return None;
        }
        let fail = |why: String| Some(Err((input.path.clone(), format!("not cleaned: {why}"))));
        let target = self.resolve(1, &output);
        if self.named.contains(&target) {
            return fail(format!(
                "its output {} would replace an input of this run",
                output.display()
            ));
        }
        if self.report.as_ref() == Some(&target) {
            return fail(format!(
                "its output {} would replace the --report file",
                output.display()
            ));
        }
        if let Some(why) = self.lands_among_inputs(&target, &output) {
            return fail(why);
        }
        let dir = input.path.parent().unwrap_or(Path::new(""));
        if self.folder.0 != dir {
            self.folder = (dir.to_path_buf(), Vec::new());
        }
        if !self.outputs.insert(path_hash(&target)) {
            let earlier = (self.folder.1.iter())
                .find(|(o, _)| *o == output)
                .map(|(_, i)| i.clone())
                .or_else(|| self.earlier_under_roots(&input, &output, naming));
            return fail(format!(
                "its output {} is also the output of {}",
                output.display(),
                earlier.map_or("an earlier input".into(), |i| i.display().to_string())
            ));
        }
        self.folder.1.push((output.clone(), input.path.clone()));
        Some(Ok((input, output)))
    }
}

/// A folder resolved (links, `..`), or as written when it cannot be.
fn resolve_folder(dir: &Path) -> PathBuf {
    dir.canonicalize().unwrap_or_else(|_| dir.into())
}

/// A path's hash, the same in every run (SipHash with fixed keys); two paths of one
/// run sharing it is a chance of about one in 2^64 / n.
fn path_hash(path: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    path.hash(&mut h);
    h.finish()
}
