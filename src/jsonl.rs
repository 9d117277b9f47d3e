//! JSON Lines: clean one text field of each record, keep every other field and the
//! record order, one output line per input line. Streams: memory does not grow with the
//! file. A line that cannot be cleaned is passed through unchanged and reported.

use crate::clean::Cleaner;
use crate::input::Compression;
use crate::output::{Record, RecordError};
use crate::rules::DocContext;
use serde_json::Value;
use std::io::{self, BufRead, Read, Write};

#[derive(Debug, Clone)]
pub struct Fields {
    /// The field cleaned (`text`).
    pub text: String,
    /// The field holding the page's URL, for site rules (`url`).
    pub url: String,
    /// Longest record accepted, in bytes.
    pub max_line: u64,
}

/// Clean every record of `input` into `output`, counting into `rec`.
pub fn clean_stream(
    cleaner: &Cleaner,
    base: &DocContext,
    fields: &Fields,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    rec: &mut Record,
) -> io::Result<()> {
    let mut buf = Vec::new();
    let mut no = 0;
    let mut records = 0;
    loop {
        buf.clear();
        let n = Read::take(&mut *input, fields.max_line + 1).read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        no += 1;
        rec.bytes_in += n as u64;
        if n as u64 > fields.max_line && !buf.ends_with(b"\n") {
            // Too long to hold: passed through as it streams by, like a record that
            // cannot be read, so one giant line does not fail the whole file.
            records += 1;
            rec.record_errors.push(RecordError {
                line: no,
                error: format!("longer than {} bytes (raise --max-bytes)", fields.max_line),
            });
            loop {
                output.write_all(&buf)?;
                rec.bytes_out += buf.len() as u64;
                if buf.ends_with(b"\n") {
                    break;
                }
                buf.clear();
                let m = Read::take(&mut *input, 1 << 16).read_until(b'\n', &mut buf)?;
                if m == 0 {
                    output.write_all(b"\n")?;
                    rec.bytes_out += 1;
                    break;
                }
                rec.bytes_in += m as u64;
            }
            continue;
        }
        let line = trim_newline(&buf);
        if line.iter().all(u8::is_ascii_whitespace) {
            output.write_all(b"\n")?;
            rec.bytes_out += 1;
            continue;
        }
        records += 1;
        let out = match clean_record(cleaner, base, fields, line, rec) {
            Ok(v) => v,
            Err(error) => {
                rec.record_errors.push(RecordError { line: no, error });
                line.to_vec()
            }
        };
        output.write_all(&out)?;
        output.write_all(b"\n")?;
        rec.bytes_out += out.len() as u64 + 1;
    }
    rec.records = Some(records);
    Ok(())
}

fn trim_newline(b: &[u8]) -> &[u8] {
    let b = b.strip_suffix(b"\n").unwrap_or(b);
    b.strip_suffix(b"\r").unwrap_or(b)
}

/// Why a record is not JSON, placed by its byte in the record: serde's "line 1 column 13"
/// reads as a line of the file, which the report already names.
fn not_json(e: serde_json::Error) -> String {
    let text = e.to_string();
    let what = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(w, _)| w);
    format!("not JSON: {what} (at byte {} of the record)", e.column())
}

/// One record cleaned and serialized again, or why it could not be.
fn clean_record(
    cleaner: &Cleaner,
    base: &DocContext,
    fields: &Fields,
    line: &[u8],
    rec: &mut Record,
) -> Result<Vec<u8>, String> {
    let mut value: Value = serde_json::from_slice(line).map_err(not_json)?;
    let Value::Object(obj) = &mut value else {
        return Err("not a JSON object".into());
    };
    let url = obj
        .get(&fields.url)
        .and_then(Value::as_str)
        .map(str::to_string);
    let Some(Value::String(text)) = obj.get_mut(&fields.text) else {
        return Err(format!("no string field `{}`", fields.text));
    };
    let cx = DocContext {
        url: url.as_deref().or(base.url),
        ..*base
    };
    let cleaned = cleaner.clean(text, &cx);
    rec.add(&cleaned);
    // The cleaned text ends its last line as a file does; a field keeps its own ending.
    let ends_line = text.ends_with('\n');
    *text = cleaned.text;
    if !ends_line && text.ends_with('\n') {
        text.pop();
    }
    serde_json::to_vec(&value).map_err(|e| e.to_string())
}

/// A reader that undoes the file's compression. Data that does not start with the
/// format's magic number (a zstd stream may open with a skippable frame) is refused in
/// words that name the problem, not the decoder's "invalid gzip header" or "Unknown
/// frame descriptor".
pub fn decompress<'a>(r: impl Read + 'a, c: Compression) -> io::Result<Box<dyn BufRead + 'a>> {
    let mut r = io::BufReader::new(r);
    let (name, ok): (&str, fn(&[u8]) -> bool) = match c {
        Compression::None => return Ok(Box::new(r)),
        Compression::Gzip => ("gzip", |h| h.starts_with(&[0x1f, 0x8b])),
        Compression::Zstd => ("zstd", |h| {
            matches!(
                h,
                [0x28, 0xb5, 0x2f, 0xfd, ..] | [0x50..=0x5f, 0x2a, 0x4d, 0x18, ..]
            )
        }),
    };
    let head = r.fill_buf()?;
    if !ok(head) {
        let why = if head.is_empty() {
            format!("empty, not {name} data as its name says")
        } else {
            format!("not {name} data, though its name says so")
        };
        return Err(io::Error::new(io::ErrorKind::InvalidData, why));
    }
    Ok(match c {
        Compression::Gzip => Box::new(io::BufReader::new(flate2::bufread::MultiGzDecoder::new(r))),
        _ => Box::new(io::BufReader::new(zstd::Decoder::with_buffer(r)?)),
    })
}

/// Write through the same compression as the input; `finish` flushes the trailer.
pub fn compress<'a>(w: &'a mut dyn Write, c: Compression) -> io::Result<Compressed<'a>> {
    Ok(match c {
        Compression::None => Compressed::Plain(w),
        Compression::Gzip => Compressed::Gzip(flate2::write::GzEncoder::new(
            w,
            flate2::Compression::default(),
        )),
        Compression::Zstd => Compressed::Zstd(zstd::Encoder::new(w, 3)?),
    })
}

pub enum Compressed<'a> {
    Plain(&'a mut dyn Write),
    Gzip(flate2::write::GzEncoder<&'a mut dyn Write>),
    Zstd(zstd::Encoder<'static, &'a mut dyn Write>),
}

impl Compressed<'_> {
    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Compressed::Plain(w) => *w,
            Compressed::Gzip(w) => w,
            Compressed::Zstd(w) => w,
        }
    }

    pub fn finish(self) -> io::Result<()> {
        match self {
            Compressed::Plain(w) => w.flush(),
            Compressed::Gzip(w) => w.finish().map(drop),
            Compressed::Zstd(w) => w.finish().map(drop),
        }
    }
}
