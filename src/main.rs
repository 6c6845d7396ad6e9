//! The `newstag` binary: parse the command line and hand over to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    newstag::cli::run(newstag::cli::Cli::parse())
}
