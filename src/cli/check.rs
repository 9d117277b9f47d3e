//! `rinse check`: load every rule file, report all problems at once, run rule examples.

use super::{RuleFiles, exit, report_load_errors};
use clap::Args;
use rinse::RuleBook;
use rinse::golden::{self, Case};
use rinse::output::count;
use rinse::rules::{Diagnostic, LoadErrors};

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub rules: RuleFiles,
}

pub fn run(args: &CheckArgs) -> i32 {
    // The examples of the sound rules run even when other rules have problems, so one
    // run reports everything there is to fix.
    let (book, mut problems) = RuleBook::load_partial(&args.rules.sources());
    let cases = golden::examples(book.rules());
    for case in &cases {
        let Case::Example { rule, index } = case else {
            continue;
        };
        if let Some(detail) = golden::example(rule, *index) {
            problems.push(Diagnostic {
                file: rule.file.to_string(),
                line: rule.examples[*index].line,
                col: 1,
                rule: Some(rule.id.to_string()),
                message: format!("example {} does not give its output", index + 1),
                hint: Some(detail.lines().skip(1).collect::<Vec<_>>().join("\n  ")),
            });
        }
    }
    if !problems.is_empty() {
        return report_load_errors(&LoadErrors(problems));
    }
    outln!(
        "rinse: {}, {}, {}: ok",
        count(book.files.len(), "rule file", "rule files"),
        count(book.rules().count(), "rule", "rules"),
        count(cases.len(), "example", "examples")
    );
    exit::OK
}
