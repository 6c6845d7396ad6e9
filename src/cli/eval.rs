//! `newstag eval`: measurements against labelled data.

use std::process::ExitCode;

/// Evaluations.
#[derive(Debug, clap::Subcommand)]
pub enum EvalCommand {
    /// CoNLL-2003 dictionary task: a gazetteer built from train, scored on dev.
    Conll(crate::eval::conll::ConllArgs),
    /// The default gazetteers on CoNLL-2003 dev: precision by type, country-name recall.
    ConllDefaults(crate::eval::news::NewsArgs),
    /// The default gazetteers on CoNLL-2003 dev as a named-entity tagger: typed P/R/F1 per
    /// class with each discovery rule switched off in turn.
    ConllNer(crate::eval::news::NewsArgs),
    /// Reuters-21578 train: document-level country tags against `places`.
    Reuters(crate::eval::news::NewsArgs),
    /// AG News test: top-level topic accuracy.
    Agnews(crate::eval::news::NewsArgs),
    /// The seed article: ranked entities and topics.
    Seed(crate::eval::news::NewsArgs),
    /// All of the default-gazetteer evaluations above.
    Defaults(crate::eval::news::NewsArgs),
    /// A topic model trained and tested on labelled news: k-fold cross-validation or a
    /// train/test pair; accuracy, micro and macro F1, per-label table.
    Topics(crate::eval::topics::TopicsArgs),
}

pub(super) fn run(command: EvalCommand) -> Result<ExitCode, ExitCode> {
    use crate::eval::news;
    let report = |result: Result<(), String>| {
        result.map(|()| ExitCode::SUCCESS).map_err(|error| {
            eprintln!("newstag eval: {error}");
            ExitCode::FAILURE
        })
    };
    match command {
        EvalCommand::ConllDefaults(args) => report(news::conll(&args)),
        EvalCommand::Reuters(args) => report(news::reuters(&args)),
        EvalCommand::ConllNer(args) => report(crate::eval::ner::run(&args)),
        EvalCommand::Agnews(args) => report(news::agnews(&args)),
        EvalCommand::Seed(args) => report(news::seed(&args)),
        EvalCommand::Topics(args) => report(crate::eval::topics::run(&args)),
        EvalCommand::Defaults(args) => report(
            news::seed(&args)
                .and_then(|()| news::conll(&args))
                .and_then(|()| news::reuters(&args))
                .and_then(|()| news::agnews(&args)),
        ),
        EvalCommand::Conll(args) => crate::eval::conll::run(&args)
            .map(|()| ExitCode::SUCCESS)
            .map_err(|error| {
                eprintln!("newstag eval conll: {error}");
                ExitCode::FAILURE
            }),
    }
}
