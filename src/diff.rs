//! A unified diff of input against output whose hunk headers name the rules that made
//! each change, read from the provenance record.

use crate::clean::Cleaned;
use similar::TextDiff;
use std::collections::BTreeSet;

pub fn unified(c: &Cleaned, old_name: &str, new_name: &str) -> String {
    // The old side is the input as read (line endings unified), so normalization's
    // changes show too; its lines are the ones removal line numbers count.
    let old = c.source.as_deref().unwrap_or(&c.input);
    let diff = TextDiff::from_lines(old, &c.text);
    let mut out = String::new();
    for hunk in diff.unified_diff().context_radius(2).iter_hunks() {
        let old = hunk.ops().first().map(|o| o.old_range().start).unwrap_or(0)
            ..hunk.ops().last().map(|o| o.old_range().end).unwrap_or(0);
        // Removal line numbers are 1-based; the hunk's old range is 0-based.
        let ids: BTreeSet<&str> = c
            .removals
            .iter()
            .filter(|r| old.contains(&(r.line - 1)))
            .map(|r| &*r.rule_id)
            .collect();
        let header = hunk.header().to_string();
        let ids = ids.into_iter().collect::<Vec<_>>().join(", ");
        if out.is_empty() {
            out.push_str(&format!("--- {old_name}\n+++ {new_name}\n"));
        }
        out.push_str(header.trim_end());
        if !ids.is_empty() {
            out.push(' ');
            out.push_str(&ids);
        }
        out.push('\n');
        for change in hunk.iter_changes() {
            let sign = match change.tag() {
                similar::ChangeTag::Delete => '-',
                similar::ChangeTag::Insert => '+',
                similar::ChangeTag::Equal => ' ',
            };
            out.push(sign);
            out.push_str(change.value().trim_end_matches('\n'));
            out.push('\n');
            if change.missing_newline() {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}
