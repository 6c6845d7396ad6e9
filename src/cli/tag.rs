//! `newstag tag`: tag files or JSON lines and print proto3 JSON.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Deserialize;

use super::{GazetteerArgs, Offsets};
use crate::gazetteer::Gazetteer;
use crate::proto::{self, Article, ItemError, OffsetUnit, TagOptions, TagResponse};
use crate::tagger::{self, Rules};

/// Arguments of `newstag tag`.
#[derive(Debug, clap::Args)]
pub struct TagArgs {
    #[command(flatten)]
    gazetteer: GazetteerArgs,
    /// Unit of mention offsets.
    #[arg(long, value_enum, default_value = "utf8")]
    offsets: Offsets,
    /// Explain every tag and list suppressed candidates.
    #[arg(long)]
    explain: bool,
    /// Read one {"id","title","body"} object per line; write one JSON result per line.
    #[arg(long)]
    jsonl: bool,
    /// Only entities of this type (repeatable).
    #[arg(long = "type", value_name = "TYPE")]
    types: Vec<String>,
    /// At most this many topics (0: all above the threshold).
    #[arg(long, default_value_t = 0)]
    max_topics: u32,
    /// Inputs: a plain file is one article body; `-` is standard input (the default).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// One line of `--jsonl` input.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct JsonArticle {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub language: String,
}

pub(super) fn run(args: &TagArgs) -> Result<ExitCode, ExitCode> {
    let gazetteer = args.gazetteer.load()?;
    let options = TagOptions {
        offset_unit: match args.offsets {
            Offsets::Utf8 => OffsetUnit::Utf8,
            Offsets::Codepoint => OffsetUnit::Codepoint,
            Offsets::Utf16 => OffsetUnit::Utf16,
        } as i32,
        entity_types: args.types.clone(),
        max_topics: args.max_topics,
        explain: args.explain,
        ..TagOptions::default()
    };
    let stdin_only = [PathBuf::from("-")];
    let inputs = if args.files.is_empty() {
        &stdin_only[..]
    } else {
        &args.files[..]
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    for path in inputs {
        let display = path.display().to_string();
        let reader: Box<dyn BufRead> = if display == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            match std::fs::File::open(path) {
                Ok(file) => Box::new(std::io::BufReader::new(file)),
                Err(error) => {
                    eprintln!("newstag: {display}: cannot open: {error}");
                    failed = true;
                    continue;
                }
            }
        };
        let ok = if args.jsonl {
            tag_lines(&gazetteer, &options, &display, reader, &mut out)
        } else {
            tag_file(&gazetteer, &options, &display, reader, &mut out)
        };
        failed |= !ok;
    }
    match out.flush() {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("newstag: cannot write output: {error}");
            return Err(ExitCode::FAILURE);
        }
        _ => {}
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn print(out: &mut impl Write, response: &TagResponse, pretty: bool) -> bool {
    let text = match proto::tag_response_json(response, pretty) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("newstag: cannot render JSON: {error}");
            return false;
        }
    };
    match writeln!(out, "{text}") {
        Ok(()) => true,
        // A closed pipe (`| head`) is the reader's choice, not an error worth reporting.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => false,
        Err(error) => {
            eprintln!("newstag: cannot write output: {error}");
            false
        }
    }
}

fn tag_file(
    gazetteer: &Gazetteer,
    options: &TagOptions,
    path: &str,
    mut reader: Box<dyn BufRead>,
    out: &mut impl Write,
) -> bool {
    let mut body = String::new();
    if let Err(error) = reader.read_to_string(&mut body) {
        eprintln!("newstag: {path}: cannot read as UTF-8 text: {error}");
        return false;
    }
    let article = Article {
        id: path.to_owned(),
        body,
        ..Article::default()
    };
    match tagger::tag_article(gazetteer, &article, options, Rules::default()) {
        Ok(response) => print(out, &response, true),
        Err(error) => {
            eprintln!("newstag: {path}: {error}");
            false
        }
    }
}

/// Tags JSON lines in input order. A bad line yields a response carrying its error (as
/// `TagStream` does) and the run goes on; the exit status reports it.
fn tag_lines(
    gazetteer: &Gazetteer,
    options: &TagOptions,
    path: &str,
    reader: Box<dyn BufRead>,
    out: &mut impl Write,
) -> bool {
    let mut all_ok = true;
    for (index, line) in reader.lines().enumerate() {
        let number = index + 1;
        let line = match line {
            Ok(line) => line,
            Err(error) => {
                eprintln!("newstag: {path}:{number}: cannot read: {error}");
                return false;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let result = serde_json::from_str::<JsonArticle>(&line)
            .map_err(|error| {
                (
                    String::new(),
                    format!("{path}:{number}: bad JSON article: {error}"),
                )
            })
            .and_then(|a| {
                let article = Article {
                    id: a.id,
                    title: a.title,
                    body: a.body,
                    language: a.language,
                };
                tagger::tag_article(gazetteer, &article, options, Rules::default())
                    .map_err(|error| (article.id.clone(), format!("{path}:{number}: {error}")))
            });
        let response = match result {
            Ok(response) => response,
            Err((article_id, message)) => {
                eprintln!("newstag: {message}");
                all_ok = false;
                TagResponse {
                    article_id,
                    gazetteer_version: gazetteer.version.clone(),
                    error: Some(ItemError {
                        code: tonic::Code::InvalidArgument as i32,
                        message,
                    }),
                    ..TagResponse::default()
                }
            }
        };
        if !print(out, &response, false) {
            return false;
        }
    }
    all_ok
}
