//! Cleaning one input end to end: read -> decode -> clean -> write, with one report record.

use crate::clean::{Cleaned, Cleaner};
use crate::input::{Hints, Input, decode_with, read_input};
use crate::output::{Naming, Record, write_atomic};
use crate::rules::DocContext;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct JobOptions {
    pub max_bytes: u64,
    pub naming: Naming,
    /// False for `--dry-run`: clean, report, write nothing.
    pub write: bool,
    pub site: Option<String>,
    pub url: Option<String>,
    /// `--encoding`: decode with this unless the input has a byte-order mark.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

impl JobOptions {
    /// What decoding may assume about an input.
    pub fn hints(&self) -> Hints<'_> {
        hints(self.encoding, self.url.as_deref())
    }
}

/// Decoding hints from `--encoding` and the page's URL (its top-level domain).
pub fn hints<'a>(
    forced: Option<&'static encoding_rs::Encoding>,
    url: Option<&'a str>,
) -> Hints<'a> {
    let tld = url
        .and_then(|u| {
            let rest = u.split_once("://").map_or(u, |(_, r)| r);
            let host = rest.split(['/', '?', '#', ':']).next()?;
            host.rsplit('.').next()
        })
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphabetic()));
    Hints {
        forced,
        declared: None,
        tld,
    }
}

/// Whether `enc` is UTF-16, whose text is full of NUL bytes.
pub fn is_utf16(enc: Option<&'static encoding_rs::Encoding>) -> bool {
    enc.is_some_and(|e| e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE)
}

/// What happened to one input.
#[derive(Debug)]
pub struct Outcome {
    pub input: Input,
    /// Where the output went (or would go); None for stdin and failures.
    pub output: Option<PathBuf>,
    pub cleaned: Option<Cleaned>,
    pub record: Record,
}

impl Outcome {
    pub fn failed(&self) -> bool {
        self.record.error.is_some()
    }
}

pub fn clean_file(cleaner: &Cleaner, input: &Input, opts: &JobOptions) -> Outcome {
    let stdin = input.path.as_os_str() == "-";
    let fail = |msg: String| Outcome {
        input: input.clone(),
        output: None,
        cleaned: None,
        record: Record::failed(&input.path, msg),
    };
    let bytes = match read_input(&input.path, opts.max_bytes, is_utf16(opts.encoding)) {
        Ok(b) => b,
        Err(e) => return fail(e.to_string()),
    };
    let decoded = decode_with(&bytes, &opts.hints());
    let cx = DocContext {
        site: opts.site.as_deref(),
        url: opts.url.as_deref(),
        path: (!stdin).then_some(input.path.as_path()),
    };
    let cleaned = cleaner.clean(&decoded.text, &cx);
    let output = (!stdin).then(|| opts.naming.output_path(input));
    if let (true, Some(out)) = (opts.write, &output)
        && let Err(e) = write_atomic(out, cleaned.text.as_bytes())
    {
        return fail(format!("cannot write {}: {e}", out.display()));
    }
    let record = Record::cleaned(
        &input.path,
        output.as_deref(),
        bytes.len() as u64,
        decoded.encoding,
        decoded.replaced,
        &cleaned,
    );
    Outcome {
        input: input.clone(),
        output,
        cleaned: Some(cleaned),
        record,
    }
}
