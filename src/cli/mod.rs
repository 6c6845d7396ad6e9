//! The `newstag` command line. Each subcommand lives in its own module; `main.rs` only parses
//! and calls [`run`].

mod bulk;
mod check;
mod client;
mod discover;
mod eval;
mod kb;
mod progress;
mod serve;
mod tag;
mod topics;

pub use topics::TrainingArgs;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::gazetteer::Gazetteer;

/// Tags news articles with people, countries, organisations and IPTC Media Topics.
#[derive(Debug, Parser)]
#[command(name = "newstag", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the gRPC service (Tagger, health, reflection) and the /metrics endpoint.
    Serve(Box<crate::config::ServeArgs>),
    /// Tag articles and print the proto3 JSON of each TagResponse.
    Tag(tag::TagArgs),
    /// Validate a gazetteer, print its counts and a summary of lint warnings (every warning
    /// with `--verbose`); exit 1 on any error.
    Check(check::CheckArgs),
    /// Write a deterministic synthetic gazetteer (benchmarks: `synthetic.tsv` in DIR).
    Synth {
        /// Number of entities.
        #[arg(long, default_value_t = 100_000)]
        entities: usize,
        /// Generator seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output directory.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Tag a corpus and print the names the gazetteer lacks, most frequent first, as gazetteer
    /// rows to paste (`id type name aliases comment`).
    Discover(discover::DiscoverArgs),
    /// Add knowledge: entity files from Wikidata Query Service results.
    #[command(subcommand)]
    Kb(kb::KbCommand),
    /// Evaluate against labelled data in ../shared/data (not part of `cargo test`).
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Call a running server: health, gazetteer info, tag a file (no grpcurl needed).
    Client(client::ClientArgs),
    /// Topic models: train one on a labelled archive.
    #[command(subcommand)]
    Topics(topics::TopicsCommand),
}

/// Where the gazetteer comes from.
#[derive(Debug, Clone, clap::Args)]
pub struct GazetteerArgs {
    /// Gazetteer directory; the bundled defaults when absent.
    #[arg(long, env = "NEWSTAG_GAZETTEERS", value_name = "DIR")]
    pub gazetteers: Option<PathBuf>,
}

impl GazetteerArgs {
    /// Loads the gazetteer, printing every problem on failure.
    fn load(&self) -> Result<Gazetteer, ExitCode> {
        Gazetteer::load(self.gazetteers.as_deref()).map_err(|error| {
            eprintln!("newstag: {error}");
            ExitCode::FAILURE
        })
    }
}

/// Offset units on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Offsets {
    Utf8,
    Codepoint,
    Utf16,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Serve(args) => serve::run(*args),
        Command::Tag(args) => tag::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Discover(args) => discover::run(&args),
        Command::Eval(command) => eval::run(command),
        Command::Kb(command) => kb::run(&command),
        Command::Client(args) => client::run(&args),
        Command::Topics(command) => topics::run(&command),
        Command::Synth {
            entities,
            seed,
            out,
        } => match crate::synth::write_gazetteer(&out, entities, seed) {
            Ok(()) => Ok(ExitCode::SUCCESS),
            Err(error) => {
                eprintln!("newstag synth: {}: {error}", out.display());
                Err(ExitCode::FAILURE)
            }
        },
    };
    result.unwrap_or_else(|code| code)
}
