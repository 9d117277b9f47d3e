//! `rinse test`: golden fixtures, assertion cases and rule examples.

use super::{RuleArgs, exit};
use clap::Args;
use rinse::Cleaner;
use rinse::golden::{self, Case};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Fixture directory [default: fixtures, or the rules' examples alone when there
    /// is no such folder].
    pub dir: Option<PathBuf>,
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
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("fixtures"));
    let mut cases = if dir.is_dir() {
        golden::discover(&dir)
    } else if args.dir.is_none() {
        // A rule repository without fixtures still has its rules' examples to run.
        eprintln!("rinse: no fixtures/ folder here: running the rules' examples alone");
        Vec::new()
    } else {
        eprintln!("rinse: {}: fixture directory not found", dir.display());
        return exit::USAGE;
    };
    let bless = blessing(args.bless);
    cases.extend(golden::examples(book.rules()));
    let cleaner = Cleaner::new(book);
    // `--site` and `--url` apply to every fixture, as `clean` applies them to its inputs.
    let base = rinse::DocContext {
        site: args.rules.site.as_deref(),
        url: args.rules.url.as_deref(),
        path: None,
    };
    let color = std::io::stdout().is_terminal();
    let (mut passed, mut failed) = (0, 0);
    for case in &cases {
        let name = case.name(&dir);
        if args
            .filter
            .as_ref()
            .is_some_and(|f| !name.contains(f.as_str()))
        {
            continue;
        }
        let out = golden::run(&cleaner, case, &dir, bless, &base);
        if let Some(p) = &out.blessed {
            let note = if out.blessed_empty {
                " (empty: every line was removed)"
            } else {
                ""
            };
            outln!("blessed {}{note}", p.display());
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
