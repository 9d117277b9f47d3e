//! `rinse test`: golden fixtures, assertion cases and rule examples.

use super::{RuleArgs, exit};
use clap::Args;
use rinse::Cleaner;
use rinse::golden::{self, Case};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Fixture directory.
    #[arg(default_value = "fixtures")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Rewrite `.expected.txt` files to the current output (never the inputs).
    #[arg(long)]
    pub bless: bool,
    /// Run only cases whose name contains PATTERN.
    #[arg(long, value_name = "PATTERN")]
    pub filter: Option<String>,
}

/// `--bless` always blesses; RINSE_BLESS=1 does too, but never on CI.
fn blessing(flag: bool) -> bool {
    let env = std::env::var("RINSE_BLESS").is_ok_and(|v| v == "1");
    let ci = std::env::var_os("CI").is_some();
    if env && ci && !flag {
        eprintln!("rinse: RINSE_BLESS is ignored on CI; pass --bless to rewrite expectations");
    }
    flag || (env && !ci)
}

pub fn run(args: &TestArgs) -> i32 {
    let book = match args.rules.book() {
        Ok(b) => b,
        Err(code) => return code,
    };
    if !args.dir.is_dir() {
        eprintln!("rinse: {}: fixture directory not found", args.dir.display());
        return exit::USAGE;
    }
    let bless = blessing(args.bless);
    let mut cases = golden::discover(&args.dir);
    cases.extend(golden::examples(book.rules()));
    let cleaner = Cleaner::new(book);
    let color = std::io::stdout().is_terminal();
    let (mut passed, mut failed) = (0, 0);
    for case in &cases {
        let name = case.name(&args.dir);
        if args
            .filter
            .as_ref()
            .is_some_and(|f| !name.contains(f.as_str()))
        {
            continue;
        }
        let out = golden::run(&cleaner, case, &args.dir, bless);
        if let Some(p) = &out.blessed {
            outln!("blessed {}", p.display());
        }
        if out.failures.is_empty() {
            passed += 1;
            if !matches!(case, Case::Example { .. }) {
                outln!("ok   {name}");
            }
            continue;
        }
        failed += 1;
        outln!("{} {name}", paint("FAIL", "31;1", color));
        for f in &out.failures {
            for line in f.to_string().lines() {
                let code = match line.chars().next() {
                    Some('+') if !line.starts_with("+++") => "32",
                    Some('-') if !line.starts_with("---") => "31",
                    _ => "",
                };
                outln!("  {}", paint(line, code, color && !code.is_empty()));
            }
        }
    }
    outln!("{passed} passed, {failed} failed");
    // Nothing run is no pass: a mistyped --filter or fixture folder must not look green.
    if passed + failed == 0 {
        eprintln!("rinse: no test case ran (no fixture, rule example or --filter match)");
        return exit::FAILED;
    }
    if failed > 0 { exit::FAILED } else { exit::OK }
}

fn paint(s: &str, code: &str, on: bool) -> String {
    if on {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}
