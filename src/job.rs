//! Cleaning one input end to end: read -> decode -> clean -> write, with one report record.

use crate::clean::{Cleaned, Cleaner};
use crate::input::{Input, decode, read_limited};
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
    let bytes = match read_limited(&input.path, opts.max_bytes) {
        Ok(b) => b,
        Err(e) => return fail(e.to_string()),
    };
    let decoded = decode(&bytes, None);
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
