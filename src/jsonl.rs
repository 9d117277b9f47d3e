//! JSON Lines: clean one text field of each record, keep every other field and the
//! record order, one output line per input line. Streams: memory does not grow with the
//! file. A line that cannot be cleaned is passed through unchanged and reported.

use crate::clean::{Cleaned, Cleaner};
use crate::input::Compression;
use crate::output::{Record, RecordError};
use crate::rules::DocContext;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{SyncSender, sync_channel};

#[derive(Debug, Clone)]
pub struct Fields {
    /// The field cleaned (`text`).
    pub text: String,
    /// The field holding the page's URL, for site rules (`url`).
    pub url: String,
    /// Longest record accepted, in bytes.
    pub max_line: u64,
}

/// Records cleaned together at most, per thread of the pool: enough to keep every thread
/// busy on one file (a single big shard, or a stream on stdin), few enough that memory
/// stays flat.
const RECORDS_PER_THREAD: usize = 64;
const BYTES_PER_THREAD: usize = 1 << 20;

/// What the reading thread hands on: a line (a record or a blank line) with its number,
/// a piece of a line too long to hold, or the error that ended the reading.
enum Piece {
    Line(usize, Vec<u8>),
    /// Line number and bytes, passed through as they are.
    Long(usize, Vec<u8>),
    Failed(io::Error),
}

/// Clean every record of `input` into `output`, counting into `rec`. A thread reads (and
/// decompresses) the lines while records are cleaned in parallel on the current thread
/// pool, as many at once as have arrived; outputs and the record are written in input
/// order, so any number of threads gives the same bytes. Records are cleaned as soon as
/// the input pauses, so a caller that writes one record and waits for it is answered.
pub fn clean_stream(
    cleaner: &Cleaner,
    base: &DocContext,
    fields: &Fields,
    input: &mut (dyn BufRead + Send),
    output: &mut dyn Write,
    rec: &mut Record,
) -> io::Result<()> {
    std::thread::scope(|s| {
        // Made here, so an early return drops the receiver and a blocked reader stops.
        let mut batch = Batch::for_threads(rayon::current_num_threads());
        let (tx, rx) = sync_channel(batch.max_records);
        s.spawn(move || {
            if let Err(e) = read_pieces(input, fields.max_line, &tx) {
                let _ = tx.send(Piece::Failed(e));
            }
        });
        let mut next = rx.recv().ok();
        while let Some(piece) = next {
            match piece {
                Piece::Line(no, line) => {
                    rec.bytes_in += line.len() as u64;
                    batch.push(no, line);
                }
                Piece::Long(no, bytes) => {
                    batch.flush(cleaner, base, fields, output, rec)?;
                    if rec.record_errors.last().is_none_or(|e| e.line != no) {
                        batch.records += 1;
                        let error =
                            format!("longer than {} bytes (raise --max-bytes)", fields.max_line);
                        rec.record_errors.push(RecordError { line: no, error });
                    }
                    rec.bytes_in += bytes.len() as u64;
                    output.write_all(&bytes)?;
                    rec.bytes_out += bytes.len() as u64;
                }
                Piece::Failed(e) => {
                    batch.flush(cleaner, base, fields, output, rec)?;
                    return Err(e);
                }
            }
            // What has arrived joins the batch, up to a full one; when nothing more has,
            // the batch is cleaned before waiting.
            next = rx.try_recv().ok();
            if next.is_none() || batch.is_full() {
                batch.flush(cleaner, base, fields, output, rec)?;
                if next.is_none() {
                    next = rx.recv().ok();
                }
            }
        }
        rec.records = Some(batch.records);
        rec.urls.get_or_insert(0);
        Ok(())
    })
}

/// Read `input` line by line into `tx`. A line longer than `max_line` is sent in pieces
/// as it streams by (it is passed through, not held), so one giant line does not fail
/// the whole file.
fn read_pieces(
    input: &mut (dyn BufRead + Send),
    max_line: u64,
    tx: &SyncSender<Piece>,
) -> io::Result<()> {
    // A send fails only when the cleaning side has stopped: then reading stops too.
    let send = |p: Piece| tx.send(p).is_ok();
    skip_bom(input)?;
    let mut no = 0;
    loop {
        let mut buf = Vec::new();
        if Read::take(&mut *input, max_line + 1).read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        no += 1;
        if buf.len() as u64 <= max_line || buf.ends_with(b"\n") {
            if !send(Piece::Line(no, buf)) {
                return Ok(());
            }
            continue;
        }
        loop {
            let mut rest = Vec::new();
            let m = match buf.ends_with(b"\n") {
                true => 0,
                false => Read::take(&mut *input, 1 << 16).read_until(b'\n', &mut rest)?,
            };
            if !send(Piece::Long(no, std::mem::take(&mut buf))) {
                return Ok(());
            }
            if m == 0 {
                break;
            }
            buf = rest;
        }
    }
}

/// Skip a UTF-8 byte-order mark, which some writers put before the first record (JSON
/// itself has none); refuse UTF-16, which would otherwise fail on every line.
fn skip_bom(input: &mut (dyn BufRead + Send)) -> io::Result<()> {
    match encoding_rs::Encoding::for_bom(input.fill_buf()?) {
        None => {}
        Some((enc, len)) if enc == encoding_rs::UTF_8 => input.consume(len),
        Some(_) => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "JSON Lines must be UTF-8, and this starts with a UTF-16 byte-order mark \
                 (convert it first: iconv -f UTF-16 -t UTF-8)",
            ));
        }
    }
    Ok(())
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Lines read and not yet cleaned, with their numbers; and the records (lines not
/// blank) of the stream so far.
struct Batch {
    lines: Vec<(usize, Vec<u8>)>,
    bytes: usize,
    records: usize,
    max_records: usize,
    max_bytes: usize,
}

impl Batch {
    fn for_threads(n: usize) -> Self {
        Batch {
            lines: Vec::new(),
            bytes: 0,
            records: 0,
            max_records: n.max(1) * RECORDS_PER_THREAD,
            max_bytes: n.max(1) * BYTES_PER_THREAD,
        }
    }

    fn push(&mut self, no: usize, line: Vec<u8>) {
        self.bytes += line.len();
        self.lines.push((no, line));
    }

    fn is_full(&self) -> bool {
        self.lines.len() >= self.max_records || self.bytes >= self.max_bytes
    }

    /// Clean the lines in parallel, then write them and count them into `rec` in order.
    fn flush(
        &mut self,
        cleaner: &Cleaner,
        base: &DocContext,
        fields: &Fields,
        output: &mut dyn Write,
        rec: &mut Record,
    ) -> io::Result<()> {
        use rayon::prelude::*;
        let done: Vec<Option<Outcome>> = self
            .lines
            .par_iter()
            .map(|(_, line)| {
                let line = trim_newline(line);
                // A blank line stays a blank line.
                (!is_blank(line)).then(|| clean_record(cleaner, base, fields, line))
            })
            .collect();
        self.records += done.iter().filter(|d| d.is_some()).count();
        for ((no, line), done) in self.lines.iter().zip(done) {
            // The line's own ending follows it out: CRLF stays CRLF, and a last line
            // without one gets none.
            let body = trim_newline(line);
            let end = &line[body.len()..];
            let out: &[u8] = match &done {
                None => &[],
                Some(Ok(done)) => {
                    rec.add(&done.cleaned);
                    *rec.urls.get_or_insert(0) += usize::from(done.has_url);
                    if done.emptied {
                        rec.emptied_records.push(*no);
                    }
                    &done.json
                }
                Some(Err(error)) => {
                    let error = error.clone();
                    rec.record_errors.push(RecordError { line: *no, error });
                    body
                }
            };
            output.write_all(out)?;
            output.write_all(end)?;
            rec.bytes_out += (out.len() + end.len()) as u64;
        }
        self.lines.clear();
        self.bytes = 0;
        Ok(())
    }
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

/// A record with its text field rewritten, and its removals; or why it could not be
/// cleaned.
type Outcome = Result<Done, String>;

struct Done {
    json: Vec<u8>,
    cleaned: Cleaned,
    /// Whether the record has a URL field.
    has_url: bool,
    /// Whether rules removed every line of a text field that had some.
    emptied: bool,
}

/// One record with its text field cleaned, or why it could not be. Only the text
/// field's value is rewritten: every other byte of the line (other fields, their
/// escapes and numbers, spacing, key order) is kept as it was.
fn clean_record(cleaner: &Cleaner, base: &DocContext, fields: &Fields, line: &[u8]) -> Outcome {
    let record = raw_fields(line)?;
    let string = |name: &str| {
        let raw = *record.get(name)?;
        Some((raw, string_value(raw.get())?))
    };
    let (raw, text) = string(&fields.text).ok_or_else(|| {
        format!(
            "no string field `{}` (--text-field names the field to clean)",
            fields.text
        )
    })?;
    let url = string(&fields.url).map(|(_, url)| url);
    let cx = DocContext {
        url: url.as_deref().or(base.url),
        ..*base
    };
    // A field that holds a page (`--text-field html`) is read as HTML, as `-` is.
    let mut cleaned = if crate::html::sniff(text.as_bytes()) {
        cleaner.clean_html(&text, &cx)
    } else {
        cleaner.clean(&text, &cx)
    };
    // The cleaned text ends its last line as a file does; a field keeps its own ending.
    if !text.ends_with('\n') && cleaned.text.ends_with('\n') {
        cleaned.text.pop();
    }
    // The value's place in the line: a raw value borrows its bytes from the line.
    let at = (raw.get().as_ptr() as usize).wrapping_sub(line.as_ptr() as usize);
    let end = at + raw.get().len();
    if end > line.len() {
        return Err("the text field could not be placed in its record".into());
    }
    let emptied = cleaned.text.is_empty() && cleaned.lines_removed() > 0;
    let mut json = Vec::with_capacity(line.len());
    json.extend_from_slice(&line[..at]);
    serde_json::to_writer(&mut json, &cleaned.text).map_err(|e| e.to_string())?;
    json.extend_from_slice(&line[end..]);
    // Only the removals are counted later: the texts and kept lines go now, not with
    // the batch.
    cleaned.text = String::new();
    cleaned.input = String::new();
    cleaned.source = None;
    cleaned.kept = Vec::new();
    Ok(Done {
        json,
        cleaned,
        has_url: url.is_some(),
        emptied,
    })
}

/// A JSON string value as text. Text cut mid-character by a crawler keeps half of a
/// surrogate pair, which Python's json writes and reads but serde refuses: it is read
/// as U+FFFD, as files decode broken bytes (only this value is mended; the rest of the
/// record is kept as written).
fn string_value(raw: &str) -> Option<String> {
    serde_json::from_str(raw).ok().or_else(|| {
        let mended = mend_surrogates(raw.as_bytes())?;
        serde_json::from_slice(&mended).ok()
    })
}

/// A record's fields as the raw JSON of their values, borrowed from the line; of two
/// fields of one name, the last (as Python's json reads it).
fn raw_fields(line: &[u8]) -> Result<HashMap<String, &RawValue>, String> {
    serde_json::from_slice(line).map_err(|_| {
        match serde_json::from_slice::<serde::de::IgnoredAny>(line) {
            Ok(_) => "not a JSON object".to_string(),
            Err(e) => not_json(e),
        }
    })
}

/// The JSON with each `\uXXXX` escape of a lone surrogate (half of a pair) written as
/// `\ufffd`; None when it has none. Backslashes appear only inside JSON strings, and
/// `\\` is one escaped backslash, so escapes are read pairwise from the start.
fn mend_surrogates(line: &[u8]) -> Option<Vec<u8>> {
    let unit = |at: usize| -> Option<u16> {
        let hex = line.get(at..at + 6)?.strip_prefix(b"\\u")?;
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    };
    let (mut out, mut copied, mut i) = (Vec::new(), 0, 0);
    while let Some(k) = line.get(i..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        i += k;
        match unit(i) {
            Some(0xD800..=0xDBFF) if matches!(unit(i + 6), Some(0xDC00..=0xDFFF)) => i += 12,
            Some(0xD800..=0xDFFF) => {
                out.extend_from_slice(&line[copied..i]);
                out.extend_from_slice(b"\\ufffd");
                i += 6;
                copied = i;
            }
            _ => i += 2,
        }
    }
    (copied > 0).then(|| {
        out.extend_from_slice(&line[copied..]);
        out
    })
}

/// A reader that undoes the file's compression. Data that does not start with the
/// format's magic number (a zstd stream may open with a skippable frame) is refused in
/// words that name the problem, not the decoder's "invalid gzip header" or "Unknown
/// frame descriptor".
pub fn decompress<'a>(
    r: impl Read + Send + 'a,
    c: Compression,
) -> io::Result<Box<dyn BufRead + Send + 'a>> {
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

#[cfg(test)]
mod tests {
    use super::mend_surrogates;

    #[test]
    fn lone_surrogate_escapes_are_mended_and_nothing_else() {
        let mend = |s: &str| mend_surrogates(s.as_bytes()).map(|b| String::from_utf8(b).unwrap());
        // A whole pair, an escaped backslash before "u", other escapes: left alone.
        assert_eq!(mend(r#"{"t":"\ud83d\ude00 \\ud83d \n \" \u00e9"}"#), None);
        assert_eq!(
            mend(r#"{"t":"cut \ud83d","u":"\udc00x\ud83d\ud83d\ude00"}"#).as_deref(),
            Some(r#"{"t":"cut \ufffd","u":"\ufffdx\ufffd\ud83d\ude00"}"#)
        );
        // A backslash at the very end, or a short escape, reads no further.
        assert_eq!(mend("{\"t\":\"a\\"), None);
        assert_eq!(mend(r#"{"t":"\ud8"#), None);
    }
}
