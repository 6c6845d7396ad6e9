//! `newstag eval`: measurements against labelled data.

use std::process::ExitCode;

/// Evaluations.
#[derive(Debug, clap::Subcommand)]
pub enum EvalCommand {
    /// CoNLL-2003 dictionary task: a gazetteer built from train, scored on dev.
    Conll(crate::eval::conll::ConllArgs),
}

pub(super) fn run(command: EvalCommand) -> Result<ExitCode, ExitCode> {
    match command {
        EvalCommand::Conll(args) => crate::eval::conll::run(&args)
            .map(|()| ExitCode::SUCCESS)
            .map_err(|error| {
                eprintln!("newstag eval conll: {error}");
                ExitCode::FAILURE
            }),
    }
}
