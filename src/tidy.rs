//! The last stage: the document's kept lines as text, with trailing spaces trimmed,
//! blank runs collapsed to one, no leading blank lines and exactly one final newline.

use crate::document::Document;

pub fn tidy(doc: &Document) -> String {
    let kept = || doc.lines.iter().filter(|l| l.kept);
    let mut out = String::with_capacity(kept().map(|l| l.text.len() + 1).sum());
    let mut blank_pending = false;
    for line in kept() {
        let t = line.text.trim_end();
        // Trimmed at the end, it is blank only when empty.
        if t.is_empty() {
            blank_pending = !out.is_empty();
            continue;
        }
        if blank_pending {
            out.push('\n');
            blank_pending = false;
        }
        out.push_str(t);
        out.push('\n');
    }
    out
}
