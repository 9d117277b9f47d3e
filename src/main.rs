mod cli;

use clap::Parser;
use cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Clean(args) => cli::clean::run_clean(&args),
        Command::Explain(args) => cli::explain::run(&args),
        Command::Test(args) => cli::test::run(&args),
        Command::Check(args) => cli::check::run(&args),
        Command::Rules(args) => cli::rules::run(&args),
    };
    std::process::exit(code);
}
