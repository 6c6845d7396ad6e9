//! `newstag kb import`: gazetteer rows from a Wikidata Query Service result (JSON or CSV), see
//! [`crate::gazetteer::import`].

use std::path::PathBuf;
use std::process::ExitCode;

use crate::gazetteer::import::{self, Format, Overrides};

/// The knowledge-base subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum KbCommand {
    /// Turn a Wikidata Query Service result (JSON or CSV download) into an entity file.
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The query result: `.json` (SPARQL results or the plain array) or `.csv`.
    pub file: PathBuf,
    /// The format, when the file name does not say.
    #[arg(long, value_parser = ["json", "csv"])]
    pub format: Option<String>,
    /// The type of every row, instead of the one instance-of says (`person`, `organisation`…).
    #[arg(long = "type", value_name = "TYPE")]
    pub entity_type: Option<String>,
    /// The category of every row (`club`, `bank`…).
    #[arg(long)]
    pub category: Option<String>,
    /// The `within` of every row (an id of the gazetteer, e.g. `country:ES`).
    #[arg(long)]
    pub within: Option<String>,
    /// Where to write the entity file (`.tsv` in a gazetteer directory); standard output when absent.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

pub(super) fn run(command: &KbCommand) -> Result<ExitCode, ExitCode> {
    let KbCommand::Import(args) = command;
    let path = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file).map_err(|e| {
        eprintln!("newstag: {path}: {e}");
        ExitCode::FAILURE
    })?;
    let format = match args.format.as_deref() {
        Some("json") => Format::Json,
        Some("csv") => Format::Csv,
        _ => Format::guess(&path, &text),
    };
    let overrides = Overrides {
        entity_type: args.entity_type.clone(),
        category: args.category.clone(),
        within: args.within.clone(),
    };
    let rows = import::import(&path, &text, format, &overrides).map_err(|e| {
        eprintln!("{e}");
        ExitCode::FAILURE
    })?;
    match &args.out {
        Some(out) => std::fs::write(out, rows).map_err(|e| {
            eprintln!("newstag: {}: {e}", out.display());
            ExitCode::FAILURE
        })?,
        None => {
            use std::io::Write as _;
            // A reader that goes away early (`| head`) ends the output quietly.
            let _ = std::io::stdout().write_all(rows.as_bytes());
        }
    }
    Ok(ExitCode::SUCCESS)
}
