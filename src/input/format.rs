//! What kind of input a file is, from its name: text, HTML, or JSON Lines (plain, gzip
//! or zstd).

/// Compound extensions that name one format; the rest use the last extension.
const COMPOUND: &[&str] = &[".jsonl.gz", ".jsonl.zst"];

/// Extensions taken from a tree when no `--include` says otherwise.
pub const DEFAULT_EXTENSIONS: &[&str] = &[
    ".txt",
    ".text",
    ".html",
    ".htm",
    ".xhtml",
    ".jsonl",
    ".jsonl.gz",
    ".jsonl.zst",
];

/// Extensions of HTML pages.
pub const HTML_EXTENSIONS: &[&str] = &[".html", ".htm", ".xhtml"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Jsonl(Compression),
}

impl Format {
    /// The format a file name says (`auto`).
    pub fn of_name(name: &str) -> Format {
        match split_name(name).1.to_ascii_lowercase().as_str() {
            ".html" | ".htm" | ".xhtml" => Format::Html,
            ".jsonl" => Format::Jsonl(Compression::None),
            ".jsonl.gz" => Format::Jsonl(Compression::Gzip),
            ".jsonl.zst" => Format::Jsonl(Compression::Zstd),
            _ => Format::Text,
        }
    }
}

/// `("x", ".jsonl.gz")` for `x.jsonl.gz`, `("x", ".txt")` for `x.txt`, `("x", "")` for `x`.
/// A leading dot (`.profile`) is part of the base.
pub fn split_name(name: &str) -> (&str, &str) {
    let lower = name.to_ascii_lowercase();
    for c in COMPOUND {
        if lower.ends_with(c) && name.len() > c.len() {
            return name.split_at(name.len() - c.len());
        }
    }
    match name.rfind('.') {
        Some(i) if i > 0 => name.split_at(i),
        _ => (name, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(split_name("a.jsonl.gz"), ("a", ".jsonl.gz"));
        assert_eq!(split_name("a.b.txt"), ("a.b", ".txt"));
        assert_eq!(split_name(".hidden"), (".hidden", ""));
        assert_eq!(
            Format::of_name("x.JSONL.zst"),
            Format::Jsonl(Compression::Zstd)
        );
        assert_eq!(Format::of_name("x.txt"), Format::Text);
        assert_eq!(Format::of_name("x.HTM"), Format::Html);
    }
}
