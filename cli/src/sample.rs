//! `treue sample`.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("treue sample: not implemented yet");
    ExitCode::FAILURE
}
