//! `newstag discover`: the discovery report over a corpus. Every article is tagged with the
//! serving rules; its unlinked entities go into a [`DiscoverySketch`] (bounded memory on any
//! corpus size), and the most frequent are printed as gazetteer rows an editor can paste, with
//! the count, the documents, the evidence and an example sentence in the `comment` column.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use super::GazetteerArgs;
use super::tag::JsonArticle;
use crate::discovery::{DiscoverySketch, ROW_HEADER};
use crate::proto::{Article, TagOptions};
use crate::tagger::{self, Interrupt, Rules};

/// Arguments of `newstag discover`.
#[derive(Debug, clap::Args)]
pub struct DiscoverArgs {
    #[command(flatten)]
    gazetteer: GazetteerArgs,
    /// Read one {"id","title","body"} object per line (else each file is one article body).
    #[arg(long)]
    jsonl: bool,
    /// Print at most this many names (0: all the sketch holds).
    #[arg(long, default_value_t = 100)]
    limit: usize,
    /// Only names of this type (repeatable): person, organisation, location, misc.
    #[arg(long = "type", value_name = "TYPE")]
    types: Vec<String>,
    /// Names the sketch tracks at most: memory stays bounded on any corpus; counts are exact
    /// for names that never left it.
    #[arg(long, default_value_t = 100_000)]
    capacity: usize,
    /// Inputs; `-` is standard input (the default).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

pub(super) fn run(args: &DiscoverArgs) -> Result<ExitCode, ExitCode> {
    let gazetteer = args.gazetteer.load()?;
    let mut sketch = DiscoverySketch::new(args.capacity);
    let stdin_only = [PathBuf::from("-")];
    let inputs = if args.files.is_empty() {
        &stdin_only[..]
    } else {
        &args.files[..]
    };
    let mut failed = false;
    let observe = |article: Article, sketch: &mut DiscoverySketch| -> Result<(), String> {
        tagger::tag_and_discover(
            &gazetteer,
            &article,
            &TagOptions::default(),
            (Rules::default(), true),
            &Interrupt::never(),
        )
        .map(|(_, sightings)| sketch.record(&sightings))
        .map_err(|error| error.to_string())
    };
    for path in inputs {
        let display = path.display().to_string();
        let mut reader: Box<dyn BufRead> = if display == "-" {
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
        if !args.jsonl {
            let mut body = String::new();
            if let Err(error) = reader.read_to_string(&mut body) {
                eprintln!("newstag: {display}: cannot read as UTF-8 text: {error}");
                failed = true;
                continue;
            }
            let article = Article {
                id: display.clone(),
                body,
                ..Article::default()
            };
            if let Err(error) = observe(article, &mut sketch) {
                eprintln!("newstag: {display}: {error}");
                failed = true;
            }
            continue;
        }
        for (index, line) in reader.lines().enumerate() {
            let number = index + 1;
            let line = match line {
                Ok(line) => line,
                Err(error) => {
                    eprintln!("newstag: {display}:{number}: cannot read: {error}");
                    failed = true;
                    break;
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            let result = serde_json::from_str::<JsonArticle>(&line)
                .map_err(|error| format!("bad JSON article: {error}"))
                .and_then(|a| {
                    observe(
                        Article {
                            id: a.id,
                            title: a.title,
                            body: a.body,
                            language: a.language,
                        },
                        &mut sketch,
                    )
                });
            if let Err(error) = result {
                eprintln!("newstag: {display}:{number}: {error}");
                failed = true;
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let report = writeln!(
        out,
        "# newstag discover: {} articles, gazetteer {}; names it lacks, most frequent first",
        sketch.articles(),
        gazetteer.version
    )
    .and_then(|()| writeln!(out, "{ROW_HEADER}"))
    .and_then(|()| {
        sketch
            .top(args.limit, &args.types)
            .iter()
            .try_for_each(|d| writeln!(out, "{}", d.row))
    })
    .and_then(|()| out.flush());
    match report {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("newstag: cannot write output: {error}");
            Err(ExitCode::FAILURE)
        }
        _ if failed => Err(ExitCode::FAILURE),
        _ => Ok(ExitCode::SUCCESS),
    }
}
