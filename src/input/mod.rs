//! Finding inputs, reading them within limits, and decoding bytes to text.

pub mod decode;
pub mod format;
pub mod read;
pub mod walk;

pub use decode::{Decoded, decode};
pub use format::{Compression, Format};
pub use read::{InputError, read_limited};
pub use walk::{Input, Walker};
