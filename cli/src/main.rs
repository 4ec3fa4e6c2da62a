//! `treue`: the native tools. Each sub-command lives in its own module.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod compile;
mod evaluate;
mod inspect;
mod preview;
pub mod sample;

#[derive(Parser)]
#[command(
    name = "treue",
    version,
    about = "Native tools of treue: catalogue compiler, payload inspector, rules check, sample data"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a product export and order history into a catalogue payload.
    Compile(compile::Args),
    /// Measure the suggestions on the shop's latest orders, held out, against simple peers.
    Evaluate(evaluate::Args),
    /// Print a catalogue payload (or JSON catalogue) back as readable JSON.
    Inspect(inspect::Args),
    /// Check a rules document: syntax, meaning, and references into a catalogue.
    Check(check::Args),
    /// Serve a local page to edit the rules beside the widgets, as chosen visitors see them.
    Preview(preview::Args),
    /// Generate a realistic sample shop: products, order history, demo data.
    Sample(sample::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Compile(args) => compile::run(args),
        Command::Evaluate(args) => evaluate::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Check(args) => check::run(args),
        Command::Preview(args) => preview::run(args),
        Command::Sample(args) => sample::run(args),
    }
}
