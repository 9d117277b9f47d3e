//! Which input, options and rule files an output was cleaned from, kept with the output
//! in an extended attribute (`user.rinse.origin`). An output counts as up to date only
//! for a run that would write it from the same input the same way: not for another
//! input that names the same output, nor after an option or the rule files changed, nor
//! after a run that could not read all of the input. Where extended attributes cannot
//! be kept (another system, a file system without them) nothing is marked, and every
//! run cleans every input.

use std::hash::{Hash, Hasher};
use std::path::Path;

#[cfg(any(target_os = "linux", target_os = "macos"))]
const NAME: &str = "user.rinse.origin";

/// The origin an output of `input` gets in a run with `settings` (a hash of everything
/// else that decides the output): both hashed with the input's absolute path and what
/// its metadata says of its content. Taken before the input is read, so an input that
/// changes while it is cleaned leaves an output that is not up to date.
pub fn of(settings: u64, input: &Path) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    settings.hash(&mut h);
    match std::path::absolute(input) {
        Ok(p) => p.hash(&mut h),
        Err(_) => input.hash(&mut h),
    }
    // Size and modification time, and on Unix the inode and its change time, which no
    // tool sets back: an input replaced by one with an older time (`cp -p`, `rsync -t`,
    // `wget -N`) is not the input the output was cleaned from.
    if let Ok(m) = std::fs::metadata(input) {
        m.len().hash(&mut h);
        m.modified().ok().hash(&mut h);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            (m.ino(), m.ctime(), m.ctime_nsec()).hash(&mut h);
        }
    }
    // Never `UNFINISHED`, `REPORT` or `OUT_DIR`.
    h.finish().clamp(1, OUT_DIR - 1)
}

/// The origin of an output that is not up to date for any run (a JSONL output some
/// records could not be read into): it still says rinse wrote the file.
pub const UNFINISHED: u64 = 0;

/// The origin of a `--report` file: never an input of a later run that walks the
/// folder it was written in.
pub const REPORT: u64 = u64::MAX;

/// The origin of an `--out-dir` folder: its files are outputs, which a later run that
/// walks a tree holding the folder passes over, as the run that wrote them did.
pub const OUT_DIR: u64 = u64::MAX - 1;

/// Record `origin` on the output at `path`. Set after the output is in place, so a run
/// killed in between leaves an output without an origin, which the next run cleans
/// again; a file system that cannot keep it is not an error.
pub fn mark(path: &Path, origin: u64) {
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    let _ = rustix::fs::setxattr(
        path,
        NAME,
        &origin.to_le_bytes(),
        rustix::fs::XattrFlags::empty(),
    );
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    let _ = (path, origin);
}

/// Whether the output at `path` was marked with `origin`.
pub fn is(path: &Path, origin: u64) -> bool {
    read(path) == Kept::Origin(origin)
}

/// Whether rinse wrote the file at `path` (it has an origin); None where the file
/// system keeps no extended attributes, so that it cannot be told.
pub fn written_by_rinse(path: &Path) -> Option<bool> {
    match read(path) {
        Kept::Unsupported => None,
        k => Some(matches!(k, Kept::Origin(_))),
    }
}

/// Whether a file is at `path` that rinse did not write: it exists on a file system that
/// keeps extended attributes and has no origin. One system call, which a missing file
/// answers too.
pub fn foreign(path: &Path) -> bool {
    read(path) == Kept::None
}

/// What the file at `path` keeps under [`NAME`].
#[derive(Debug, PartialEq)]
enum Kept {
    Origin(u64),
    /// The file is there and keeps no origin.
    None,
    /// No file, or the attribute could not be read.
    Unknown,
    /// The file system keeps no extended attributes.
    Unsupported,
}

fn read(path: &Path) -> Kept {
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    {
        #[cfg(target_os = "linux")]
        const NO_ATTRIBUTE: rustix::io::Errno = rustix::io::Errno::NODATA;
        #[cfg(target_os = "macos")]
        const NO_ATTRIBUTE: rustix::io::Errno = rustix::io::Errno::NOATTR;
        let mut kept = [0u8; 8];
        match rustix::fs::getxattr(path, NAME, &mut kept[..]) {
            Ok(8) => Kept::Origin(u64::from_le_bytes(kept)),
            Err(rustix::io::Errno::NOTSUP) => Kept::Unsupported,
            Err(NO_ATTRIBUTE) => Kept::None,
            _ => Kept::Unknown,
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    {
        let _ = path;
        Kept::Unsupported
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_is_of_the_origin_it_was_marked_with_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("x.clean.txt");
        std::fs::write(&out, "text\n").unwrap();
        let (a, b) = (of(1, Path::new("a/x.txt")), of(1, Path::new("b/x.txt")));
        assert_ne!(a, b);
        assert_ne!(a, of(2, Path::new("a/x.txt")));
        assert!(!is(&out, a), "unmarked");
        mark(&out, a);
        if cfg!(any(target_os = "linux", target_os = "macos")) {
            assert!(is(&out, a));
        }
        assert!(!is(&out, b));
        // A new file in its place (an atomic write) has no origin.
        std::fs::remove_file(&out).unwrap();
        std::fs::write(&out, "text\n").unwrap();
        assert!(!is(&out, a));
    }
}
