//! Reading an input's bytes: size limit and binary sniffing, with errors a user can act on.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// Why one input could not be cleaned. The run goes on with the others.
#[derive(Debug)]
pub enum InputError {
    Io(std::io::Error),
    /// Over `--max-bytes`; `size` is None for a stream, whose size is not known.
    TooLarge {
        size: Option<u64>,
        limit: u64,
    },
    /// NUL bytes; with the UTF-16 label their pattern suggests, if any.
    Binary(Option<&'static str>),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io(e) => write!(f, "{e}"),
            InputError::TooLarge { size, limit } => {
                match size {
                    Some(size) => write!(f, "file is {size} bytes")?,
                    None => write!(f, "input is more than {limit} bytes")?,
                }
                write!(f, ", over the limit of {limit} (raise it with --max-bytes)")
            }
            InputError::Binary(None) => write!(f, "looks like a binary file (NUL bytes), not text"),
            InputError::Binary(Some(label)) => write!(
                f,
                "looks like UTF-16 without a byte-order mark (NUL bytes at every other position); give --encoding {label}"
            ),
        }
    }
}

impl std::error::Error for InputError {}

impl From<std::io::Error> for InputError {
    fn from(e: std::io::Error) -> Self {
        InputError::Io(e)
    }
}

/// An error of `path` that says so when the path is a symbolic link to nothing, and where
/// it points: "No such file or directory" alone names a file that is there to see.
pub(super) fn dangling(path: &Path, e: std::io::Error) -> std::io::Error {
    if e.kind() == std::io::ErrorKind::NotFound
        && let Ok(target) = std::fs::read_link(path)
    {
        return std::io::Error::other(format!(
            "a symbolic link to {}, which does not exist",
            target.display()
        ));
    }
    e
}

/// Read a file (or stdin for `-`), refusing more than `limit` bytes and binary content.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    read_input(path, limit, false)
}

/// [`read_limited`], where `nul_ok` lets NUL bytes through: text forced to be UTF-16
/// has them without being binary.
pub fn read_input(path: &Path, limit: u64, nul_ok: bool) -> Result<Vec<u8>, InputError> {
    let mut buf = Vec::new();
    let reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(path).map_err(|e| dangling(path, e))?;
        let meta = f.metadata()?;
        if meta.is_dir() {
            return Err(InputError::Io(std::io::Error::other("is a directory")));
        }
        // A device (/dev/zero, a disk) is no text to clean, and may never end. A pipe
        // (`<(...)`, a FIFO) is read as a stream.
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            let t = meta.file_type();
            if t.is_char_device() || t.is_block_device() {
                return Err(InputError::Io(std::io::Error::other(
                    "is a device, not a file",
                )));
            }
        }
        // Sized up front (a file may still grow or shrink while it is read), which
        // spares `read_to_end` its probing reads and regrowth.
        buf.reserve_exact(meta.len().min(limit) as usize + 1);
        Box::new(f)
    };
    let n = reader.take(limit.saturating_add(1)).read_to_end(&mut buf)? as u64;
    if n > limit {
        let size = (path.as_os_str() != "-")
            .then(|| std::fs::metadata(path).ok())
            .flatten()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        return Err(InputError::TooLarge { size, limit });
    }
    if !nul_ok && is_binary(&buf) {
        return Err(InputError::Binary(utf16_guess(&buf)));
    }
    Ok(buf)
}

/// The UTF-16 byte order whose pattern the first 8 KiB show: each NUL is the high byte
/// of a character below U+0100 (every letter of Latin text, the spaces and digits of any
/// script), so nearly all NULs stand at one parity (odd: little-endian), and most pairs
/// hold at most one. A binary file has NULs at both.
fn utf16_guess(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(8192) & !1];
    let nul = |k: usize| head.iter().skip(k).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (nul(0), nul(1));
    let pairs = head.len() / 2;
    let both = head.chunks(2).filter(|p| p == &[0, 0]).count();
    let lopsided = |one: usize, other: usize| one >= 4 && other * 50 <= one;
    if both * 20 > pairs {
        None
    } else if lopsided(odd, even) {
        Some("utf-16le")
    } else if lopsided(even, odd) {
        Some("utf-16be")
    } else {
        None
    }
}

/// NUL bytes in the first 8 KiB mean binary, unless a UTF-16 or UTF-32 BOM says otherwise.
fn is_binary(bytes: &[u8]) -> bool {
    let wide = [&[0xFF, 0xFE][..], &[0xFE, 0xFF], &[0, 0, 0xFE, 0xFF]];
    !wide.iter().any(|bom| bytes.starts_with(bom)) && bytes[..bytes.len().min(8192)].contains(&0)
}
