//! `treue`: the native tools. Each sub-command lives in its own module.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "treue", version, about = "Native tools of treue: catalogue compiler, payload inspector, rules check, sample data")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {}
}
