//! Finding inputs, reading them within limits, and decoding bytes to text.

pub mod decode;
pub mod format;
pub mod read;
pub mod walk;

pub use decode::{Decoded, Hints, decode, decode_with, encoding_for_label};
pub use format::{Compression, DEFAULT_EXTENSIONS, Format};
pub use read::{InputError, read_input, read_limited};
pub use walk::{Globs, Input, Walker};
