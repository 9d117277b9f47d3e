mod cli;

use clap::Parser;
use cli::{Cli, Command};

/// Cleaning allocates a string per line and frees it soon after; mimalloc serves that
/// pattern with fewer instructions than the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
