mod cli;

use clap::Parser;
use cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Clean(args) => cli::clean::run(&args),
    };
    std::process::exit(code);
}
