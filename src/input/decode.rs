//! Bytes to text: BOM, then an explicit encoding, then valid UTF-8, then detection.

use encoding_rs::{Encoding, UTF_8};

#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// The WHATWG name of the encoding used.
    pub encoding: &'static str,
    /// U+FFFD characters produced by invalid byte sequences.
    pub replaced: usize,
}

/// Decode `bytes`. Invalid sequences become U+FFFD and are counted; this never fails.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Decoded {
    let (enc, body) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None => match forced {
            Some(enc) => (enc, bytes),
            None if std::str::from_utf8(bytes).is_ok() => (UTF_8, bytes),
            None => {
                let mut det =
                    chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
                det.feed(bytes, true);
                (det.guess(None, chardetng::Utf8Detection::Allow), bytes)
            }
        },
    };
    let (text, had_errors) = enc.decode_without_bom_handling(body);
    let replaced = if had_errors {
        // U+FFFD already in a UTF-8 input is text, not a decoding loss.
        let already = if enc == UTF_8 {
            body.windows(3).filter(|w| *w == [0xEF, 0xBF, 0xBD]).count()
        } else {
            0
        };
        text.matches('\u{FFFD}').count().saturating_sub(already)
    } else {
        0
    };
    Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
        replaced,
    }
}
