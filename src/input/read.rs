//! Reading an input's bytes: size limit and binary sniffing, with errors a user can act on.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// Why one input could not be cleaned. The run goes on with the others.
#[derive(Debug)]
pub enum InputError {
    Io(std::io::Error),
    TooLarge { size: u64, limit: u64 },
    Binary,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io(e) => write!(f, "{e}"),
            InputError::TooLarge { size, limit } => write!(
                f,
                "file is {size} bytes, over the limit of {limit} (raise it with --max-bytes)"
            ),
            InputError::Binary => write!(f, "looks like a binary file (NUL bytes), not text"),
        }
    }
}

impl std::error::Error for InputError {}

impl From<std::io::Error> for InputError {
    fn from(e: std::io::Error) -> Self {
        InputError::Io(e)
    }
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
        let f = std::fs::File::open(path)?;
        let meta = f.metadata()?;
        if meta.is_dir() {
            return Err(InputError::Io(std::io::Error::other("is a directory")));
        }
        // Sized up front (a file may still grow or shrink while it is read), which
        // spares `read_to_end` its probing reads and regrowth.
        buf.reserve_exact(meta.len().min(limit) as usize + 1);
        Box::new(f)
    };
    let n = reader.take(limit.saturating_add(1)).read_to_end(&mut buf)? as u64;
    if n > limit {
        let size = std::fs::metadata(path).map_or(n, |m| m.len());
        return Err(InputError::TooLarge { size, limit });
    }
    if !nul_ok && is_binary(&buf) {
        return Err(InputError::Binary);
    }
    Ok(buf)
}

/// NUL bytes in the first 8 KiB mean binary, unless a UTF-16 BOM says otherwise.
fn is_binary(bytes: &[u8]) -> bool {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    !utf16 && bytes[..bytes.len().min(8192)].contains(&0)
}
