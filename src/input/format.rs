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

impl Compression {
    /// The compression a file name's last extension says (`.gz`, `.zst`).
    pub fn of_name(name: &str) -> Compression {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".gz") {
            Compression::Gzip
        } else if lower.ends_with(".zst") {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
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
            ".jsonl" | ".jsonl.gz" | ".jsonl.zst" => Format::Jsonl(Compression::of_name(name)),
            _ => Format::Text,
        }
    }

    /// The format of file `name` when `forced` (`--format`) or else by its name. JSON
    /// Lines forced still take their compression from the name.
    pub fn of_file(name: &str, forced: Option<Format>) -> Format {
        match forced {
            Some(Format::Jsonl(_)) => Format::Jsonl(Compression::of_name(name)),
            Some(f) => f,
            None => Format::of_name(name),
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
        let jsonl = Some(Format::Jsonl(Compression::None));
        assert_eq!(
            Format::of_file("x.json.gz", jsonl),
            Format::Jsonl(Compression::Gzip)
        );
        assert_eq!(Format::of_file("x.gz", Some(Format::Text)), Format::Text);
    }
}
