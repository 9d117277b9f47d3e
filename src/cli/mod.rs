//! Command-line arguments: parsed once into validated objects, then handed to the library.

/// `println!` for what a command reports on stdout. `println!` panics when stdout is
/// closed (`rinse explain page.txt | head`); this ends the run quietly instead, as
/// `cat` does, and names any other write error.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::write_line(format_args!($($arg)*))
    };
}

pub mod check;
pub mod clean;
pub mod explain;
pub mod rules;
pub mod test;

use clap::{Args, Parser, Subcommand};
use rinse::RuleBook;
use rinse::rules::LoadErrors;
use rinse::rules::Sources;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "rinse", version, about = "Clean scraped web text with rules.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Clean files or trees; writes <stem>.clean.<ext> beside each input (.clean.txt for HTML; `-`: stdin to stdout).
    Clean(clean::CleanArgs),
    /// Show every removal in one document: line, rule id, removed text.
    Explain(explain::ExplainArgs),
    /// Run golden fixtures (X.txt + X.expected.txt or X.expect.toml) and rule examples.
    Test(test::TestArgs),
    /// Validate rule files and their examples; every problem as file:line:col.
    Check(check::CheckArgs),
    /// List every rule and heuristic in use, or print one in full.
    Rules(rules::RulesArgs),
}

/// Which rules apply: shared by every subcommand that cleans.
#[derive(Args, Debug, Clone)]
pub struct RuleArgs {
    #[command(flatten)]
    pub files: RuleFiles,
    /// Apply the rule file of this site (file stem or host).
    #[arg(long, value_name = "NAME")]
    pub site: Option<String>,
    /// The page's URL; its host selects site rule files.
    #[arg(long, value_name = "URL", value_parser = url_with_host)]
    pub url: Option<String>,
}

/// A `--url` names a host, or it would select no site file without a word.
fn url_with_host(url: &str) -> Result<String, String> {
    match rinse::rules::book::url_host(url) {
        Some(_) => Ok(url.to_string()),
        None => Err("names no host; give the page's URL, e.g. https://example.com/story".into()),
    }
}

/// Which rule files to load: what `check` takes, as it checks them all.
#[derive(Args, Debug, Clone)]
pub struct RuleFiles {
    /// Directory of rule files (repeatable); default ./rules when it exists.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Do not use the generic default rules.
    #[arg(long)]
    pub no_default_rules: bool,
}

impl RuleFiles {
    pub fn sources(&self) -> Sources {
        let mut dirs = self.rules.clone();
        if dirs.is_empty() && std::path::Path::new("rules").is_dir() {
            dirs.push(PathBuf::from("rules"));
        }
        Sources {
            dirs,
            defaults: !self.no_default_rules,
        }
    }
}

impl RuleArgs {
    pub fn load(&self) -> Result<RuleBook, LoadErrors> {
        RuleBook::load(&self.files.sources())
    }

    /// The rule book, or the exit code after saying what is wrong: rule-file problems,
    /// or a `--site` that no loaded site file answers to (it would clean with the
    /// defaults alone, and the user would not know).
    pub fn book(&self) -> Result<RuleBook, i32> {
        let book = self.load().map_err(|e| report_load_errors(&e))?;
        if let Some(site) = &self.site
            && !book.knows_site(site)
        {
            eprintln!(
                "rinse: --site {site} names no site rule file (by file stem or host); `rinse rules` lists the files loaded"
            );
            return Err(exit::USAGE);
        }
        Ok(book)
    }
}

/// `--encoding LABEL`: clap reports an unknown label as a usage error (exit 2).
pub fn parse_encoding(label: &str) -> Result<&'static encoding_rs::Encoding, String> {
    rinse::input::encoding_for_label(label)
}

/// Exit codes of the command-line contract.
pub mod exit {
    pub const OK: i32 = 0;
    pub const FAILED: i32 = 1;
    pub const USAGE: i32 = 2;
    /// Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
    pub const INTERRUPTED: i32 = 130;
}

/// One line to stdout; see `outln!`.
pub fn write_line(line: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(line).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(exit::OK);
        }
        eprintln!("rinse: cannot write to stdout: {e}");
        std::process::exit(exit::FAILED);
    }
}

/// Print rule-file problems and give the usage exit code.
pub fn report_load_errors(e: &LoadErrors) -> i32 {
    eprintln!("{e}");
    eprintln!(
        "rinse: {} in rule files; nothing was written",
        rinse::output::count(e.0.len(), "problem", "problems")
    );
    exit::USAGE
}
