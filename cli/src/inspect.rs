//! `treue inspect`.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("treue inspect: not implemented yet");
    ExitCode::FAILURE
}
