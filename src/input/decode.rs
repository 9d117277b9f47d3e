//! Bytes to text: a byte-order mark, then an encoding the user forced, then one the
//! document declares, then valid UTF-8, then detection. Decoding never fails: bytes
//! that are invalid in the chosen encoding become U+FFFD, and are counted.

use encoding_rs::{DecoderResult, Encoding, UTF_8};
use std::borrow::Cow;

/// What is known about a document's encoding before looking at its bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hints<'a> {
    /// `--encoding`: used unless the bytes start with a byte-order mark.
    pub forced: Option<&'static Encoding>,
    /// The encoding the document declares about itself, such as an HTML
    /// `<meta charset>`. Nothing fills this in yet: the HTML reader will, and then it
    /// ranks below `forced` and above detection, as a browser ranks it.
    pub declared: Option<&'static Encoding>,
    /// The page's top-level domain (`ru`, `jp`), which sharpens detection.
    pub tld: Option<&'a str>,
}

/// Why an encoding was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Bom,
    Forced,
    Declared,
    Utf8,
    Detected,
}

#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    /// Borrowed from the input when it is valid UTF-8 as it stands: no copy to make.
    pub text: Cow<'a, str>,
    /// The WHATWG name of the encoding used.
    pub encoding: &'static str,
    /// U+FFFD characters produced by invalid byte sequences (not ones in the input).
    pub replaced: usize,
    pub source: Source,
}

/// The encoding a label names (`latin1`, `cp1251`, `shift_jis`, `utf-16le`, ... as
/// WHATWG defines labels; `latin1` means windows-1252 there), or a message naming it.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, String> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        format!(
            "unknown encoding `{label}` (use a WHATWG label such as utf-8, windows-1252, \
             iso-8859-2, shift_jis, gbk, koi8-r, utf-16le)"
        )
    })
}

/// Decode `bytes`, with `forced` as `--encoding`.
pub fn decode<'a>(bytes: &'a [u8], forced: Option<&'static Encoding>) -> Decoded<'a> {
    decode_with(
        bytes,
        &Hints {
            forced,
            ..Hints::default()
        },
    )
}

/// Decode `bytes` using what is known about them.
pub fn decode_with<'a>(bytes: &'a [u8], hints: &Hints) -> Decoded<'a> {
    // UTF-32 first: its little-endian mark starts like UTF-16's.
    if let Some(d) = decode_utf32(bytes) {
        return d;
    }
    let (enc, body, source) = if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        (enc, &bytes[bom..], Source::Bom)
    } else if let Some(enc) = hints.forced {
        (enc, bytes, Source::Forced)
    } else if let Some(enc) = hints.declared {
        (enc, bytes, Source::Declared)
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: Cow::Borrowed(text),
            encoding: UTF_8.name(),
            replaced: 0,
            source: Source::Utf8,
        };
    } else {
        let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
        det.feed(bytes, true);
        let tld = hints.tld.map(str::to_ascii_lowercase);
        (
            det.guess(
                tld.as_deref().map(str::as_bytes),
                chardetng::Utf8Detection::Allow,
            ),
            bytes,
            Source::Detected,
        )
    };
    let (text, replaced) = decode_counting(enc, body);
    Decoded {
        text: Cow::Owned(text),
        encoding: enc.name(),
        replaced,
        source,
    }
}

/// UTF-32 with a byte-order mark, which encoding_rs (like the web) does not decode: each
/// four bytes a character, U+FFFD for a unit that is none (or an incomplete last unit).
/// None without the mark.
fn decode_utf32(bytes: &[u8]) -> Option<Decoded<'_>> {
    let (encoding, unit): (_, fn([u8; 4]) -> u32) = match bytes {
        [0xFF, 0xFE, 0, 0, ..] => ("UTF-32LE", u32::from_le_bytes),
        [0, 0, 0xFE, 0xFF, ..] => ("UTF-32BE", u32::from_be_bytes),
        _ => return None,
    };
    let body = &bytes[4..];
    let mut text = String::with_capacity(body.len() / 4);
    let cut = !body.len().is_multiple_of(4);
    let mut replaced = usize::from(cut);
    for c in body.chunks_exact(4) {
        let c = char::from_u32(unit([c[0], c[1], c[2], c[3]]));
        replaced += usize::from(c.is_none());
        text.push(c.unwrap_or('\u{FFFD}'));
    }
    if cut {
        text.push('\u{FFFD}');
    }
    Some(Decoded {
        text: Cow::Owned(text),
        encoding,
        replaced,
        source: Source::Bom,
    })
}

/// Decode with `enc`, writing U+FFFD for each malformed sequence and counting them.
fn decode_counting(enc: &'static Encoding, mut src: &[u8]) -> (String, usize) {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let room = |d: &encoding_rs::Decoder, n: usize| {
        d.max_utf8_buffer_length_without_replacement(n)
            .unwrap_or(n.saturating_mul(3))
    };
    let mut out = String::with_capacity(room(&decoder, src.len()));
    let mut replaced = 0;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(src, &mut out, true);
        src = &src[read..];
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                let more = room(&decoder, src.len()).max(16);
                out.reserve(more);
            }
            DecoderResult::Malformed(..) => {
                out.push('\u{FFFD}');
                replaced += 1;
            }
        }
    }
    (out, replaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf32_with_a_byte_order_mark_is_decoded() {
        let text = "Smile \u{1F600} and \u{1D11E}\n";
        let encode = |unit: fn(u32) -> [u8; 4]| -> Vec<u8> {
            std::iter::once(0xFEFF)
                .chain(text.chars().map(u32::from))
                .flat_map(unit)
                .collect()
        };
        let (le, be) = (encode(u32::to_le_bytes), encode(u32::to_be_bytes));
        for (bytes, name) in [(&le, "UTF-32LE"), (&be, "UTF-32BE")] {
            let d = decode(bytes, None);
            assert_eq!((d.text.as_ref(), d.encoding, d.replaced), (text, name, 0));
        }
        // A unit beyond Unicode and a cut last unit are replaced and counted.
        let mut bad = le.clone();
        bad.extend([0, 0, 0x11, 0, b'x']);
        let d = decode(&bad, None);
        assert_eq!(d.text, format!("{text}\u{FFFD}\u{FFFD}"));
        assert_eq!(d.replaced, 2);
        // UTF-16's mark alone is UTF-16.
        assert_eq!(decode(b"\xFF\xFEa\0", None).encoding, "UTF-16LE");
    }

    #[test]
    fn order_and_counts() {
        let d = decode(b"caf\xC3\xA9", None);
        assert_eq!(
            (d.text.as_ref(), d.encoding, d.source),
            ("café", "UTF-8", Source::Utf8)
        );
        // A literal U+FFFD in the input is text, not a decoding loss.
        let d = decode("a\u{FFFD}b".as_bytes(), None);
        assert_eq!(d.replaced, 0);
        let d = decode(b"a\xFFb\xC3", Some(UTF_8));
        assert_eq!((d.text.as_ref(), d.replaced), ("a\u{FFFD}b\u{FFFD}", 2));
        let d = decode(b"\xEF\xBB\xBFbom", Some(encoding_rs::WINDOWS_1252));
        assert_eq!((d.text.as_ref(), d.source), ("bom", Source::Bom));
        let d = decode(b"caf\xE9", Some(encoding_rs::WINDOWS_1252));
        assert_eq!((d.text.as_ref(), d.source), ("café", Source::Forced));
        assert!(encoding_for_label("latin1").is_ok());
        assert!(encoding_for_label("no-such").is_err());
    }

    #[test]
    fn never_fails_on_garbage() {
        let bytes: Vec<u8> = (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let d = decode(&bytes, None);
        assert!(!d.text.is_empty());
        let d = decode(&bytes, Some(encoding_rs::SHIFT_JIS));
        assert!(d.replaced > 0);
    }
}
