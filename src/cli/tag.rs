//! `newstag tag`: tag files or JSON lines and print proto3 JSON.
//!
//! `--jsonl` runs through the ordered parallel pipeline of [`super::bulk`]: every core tags,
//! output stays in input order, memory stays flat on any input size.

use std::io::{BufRead, IsTerminal as _, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Deserialize;

use super::bulk::{Batch, Pipeline, Stopped};
use super::progress::Progress;
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
    /// Only entities of this category, e.g. city, party, club (repeatable).
    #[arg(long = "category", value_name = "CATEGORY")]
    categories: Vec<String>,
    /// Leave out entities whose relevance is below this (0 to 1).
    #[arg(long, value_name = "SCORE", default_value_t = 0.0)]
    min_relevance: f64,
    /// At most this many topics (0: all above the threshold).
    #[arg(long, default_value_t = 0)]
    max_topics: u32,
    /// Topic score threshold, 0 to 1 (0: the default, 0.35).
    #[arg(long, value_name = "SCORE", default_value_t = 0.0)]
    min_topic_score: f64,
    /// List at most this many mentions per entity (0: 100).
    #[arg(long = "max-mentions", value_name = "N", default_value_t = 0)]
    max_mentions_per_entity: u32,
    /// Do not add the countries tagged places imply.
    #[arg(long)]
    no_inferred_countries: bool,
    /// Only gazetteer entities: leave out names the gazetteer does not hold.
    #[arg(long)]
    linked_only: bool,
    /// The article's title, for a single FILE (its body).
    #[arg(long, value_name = "TITLE", conflicts_with = "jsonl")]
    title: Option<String>,
    /// Tagging threads for `--jsonl` (default: one per core). Output order never depends on it.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// No progress line, no summary, no per-line diagnostics on standard error (failed lines
    /// still answer with `error` on standard output, and the exit status still says so).
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Write the output to FILE instead of standard output: into `FILE.partial`, renamed to
    /// FILE once everything is written, so a FILE that exists is complete (a shard of a
    /// Kubernetes Job that was cut off leaves only the `.partial`).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
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
        min_relevance: args.min_relevance,
        max_topics: args.max_topics,
        explain: args.explain,
        min_topic_score: args.min_topic_score,
        max_mentions_per_entity: args.max_mentions_per_entity,
        categories: args.categories.clone(),
        no_inferred_countries: args.no_inferred_countries,
        linked_only: args.linked_only,
    };
    // Wrong options fail once, before any input is read.
    if let Err(error) = tagger::validate(&gazetteer, &options) {
        eprintln!("newstag: {error}");
        return Err(ExitCode::from(2));
    }
    let stdin_only = [PathBuf::from("-")];
    let inputs = if args.files.is_empty() {
        &stdin_only[..]
    } else {
        &args.files[..]
    };
    if args.title.is_some() && inputs.len() != 1 {
        eprintln!("newstag: --title goes with exactly one FILE (the article's body)");
        return Err(ExitCode::from(2));
    }
    // One input: pretty JSON for a person; several: one JSON object per line, for scripts.
    let pretty = inputs.len() == 1;
    let threads = match args.threads {
        Some(0) => {
            eprintln!("newstag: --threads must be at least 1");
            return Err(ExitCode::from(2));
        }
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    // Unlocked (the bulk pipeline writes from its writer thread); every write is a large
    // buffer, so the per-write lock costs nothing.
    let partial = args.output.as_ref().map(|path| {
        let mut name = path.as_os_str().to_owned();
        name.push(".partial");
        PathBuf::from(name)
    });
    let sink: Box<dyn Write + Send> = match &partial {
        None => Box::new(std::io::stdout()),
        Some(partial) => match std::fs::File::create(partial) {
            Ok(file) => Box::new(file),
            Err(error) => {
                eprintln!("newstag: {}: cannot create: {error}", partial.display());
                return Err(ExitCode::FAILURE);
            }
        },
    };
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, sink);
    let mut failed = false;
    // The progress line: only for a person watching (stderr a terminal), never with --quiet.
    let progress = (args.jsonl && !args.quiet && std::io::stderr().is_terminal())
        .then(|| Progress::start(total_size(inputs)));
    for path in inputs {
        let display = path.display().to_string();
        let reader: Box<dyn BufRead> = if display == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            match std::fs::File::open(path) {
                Ok(file) => Box::new(std::io::BufReader::with_capacity(256 * 1024, file)),
                Err(error) => {
                    eprintln!("newstag: {display}: cannot open: {error}");
                    failed = true;
                    continue;
                }
            }
        };
        let ok = if args.jsonl {
            let lines = Lines {
                gazetteer: &gazetteer,
                options: &options,
                path: &display,
                quiet: args.quiet,
            };
            match lines.tag(reader, Pipeline { threads }, &mut out, progress.as_ref()) {
                Ok(ok) => ok,
                Err(Written::Closed) => break,
                Err(Written::Failed) => return Err(ExitCode::FAILURE),
            }
        } else {
            let article = Article {
                id: display.clone(),
                title: args.title.clone().unwrap_or_default(),
                ..Article::default()
            };
            tag_file(&gazetteer, &options, article, reader, &mut out, pretty)
        };
        failed |= !ok;
    }
    if let Some(progress) = progress {
        progress.finish();
    }
    match out.flush() {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("newstag: cannot write output: {error}");
            return Err(ExitCode::FAILURE);
        }
        _ => {}
    }
    drop(out);
    if let (Some(partial), Some(output)) = (&partial, &args.output)
        && let Err(error) = std::fs::rename(partial, output)
    {
        eprintln!(
            "newstag: cannot rename {} to {}: {error}",
            partial.display(),
            output.display()
        );
        return Err(ExitCode::FAILURE);
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Bytes of all the inputs when every one is a regular file (so the progress line can show an
/// ETA); `None` when any is a pipe or standard input.
fn total_size(inputs: &[PathBuf]) -> Option<u64> {
    inputs
        .iter()
        .map(|path| {
            if path.as_os_str() == "-" {
                return None;
            }
            std::fs::metadata(path)
                .ok()
                .filter(std::fs::Metadata::is_file)
                .map(|m| m.len())
        })
        .sum()
}

/// Why output stopped.
enum Written {
    /// The reader closed the pipe (`| head`): their choice, not an error.
    Closed,
    /// Writing failed (reported).
    Failed,
}

fn print(out: &mut impl Write, response: &TagResponse, pretty: bool) -> bool {
    let mut text = Vec::new();
    if let Err(error) = proto::write_json(&mut text, response, pretty) {
        eprintln!("newstag: cannot render JSON: {error}");
        return false;
    }
    text.push(b'\n');
    match out.write_all(&text) {
        Ok(()) => true,
        // A closed pipe (`| head`) is the reader's choice, not an error worth reporting.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => false,
        Err(error) => {
            eprintln!("newstag: cannot write output: {error}");
            false
        }
    }
}

/// Tags one file, its text the body of `article` (which carries the id and any title).
fn tag_file(
    gazetteer: &Gazetteer,
    options: &TagOptions,
    mut article: Article,
    mut reader: Box<dyn BufRead>,
    out: &mut impl Write,
    pretty: bool,
) -> bool {
    let path = article.id.clone();
    if let Err(error) = reader.read_to_string(&mut article.body) {
        eprintln!("newstag: {path}: cannot read as UTF-8 text: {error}");
        return false;
    }
    match tagger::tag_article(gazetteer, &article, options, Rules::default()) {
        Ok(response) => print(out, &response, pretty),
        Err(error) => {
            eprintln!("newstag: {path}: {error}");
            false
        }
    }
}

/// Tags one JSON-lines input.
struct Lines<'a> {
    gazetteer: &'a Gazetteer,
    options: &'a TagOptions,
    path: &'a str,
    quiet: bool,
}

impl Lines<'_> {
    /// Tags the lines of `reader` on the pipeline's threads and writes one response per
    /// non-blank line, in input order. A bad line yields a response carrying its error (as
    /// `TagStream` does) and the run goes on; `Ok(false)` reports that some line failed.
    fn tag(
        &self,
        mut reader: Box<dyn BufRead>,
        pipeline: Pipeline,
        out: &mut (impl Write + Send),
        progress: Option<&Progress>,
    ) -> Result<bool, Written> {
        let mut failed = 0usize;
        let mut sink = |batch: &Batch| -> std::io::Result<()> {
            if batch.panicked {
                // A bug, not the input's fault: every line of the batch still answers.
                let (out_lines, diagnostics, count) = self.internal_error(batch);
                out.write_all(&out_lines)?;
                failed += count;
                if !self.quiet {
                    let write = || std::io::stderr().lock().write_all(&diagnostics);
                    match progress {
                        Some(progress) => progress.suspend(write),
                        None => write(),
                    }?;
                }
                return Ok(());
            }
            out.write_all(&batch.out)?;
            failed += batch.failed;
            if !self.quiet && !batch.diagnostics.is_empty() {
                let write = || std::io::stderr().lock().write_all(&batch.diagnostics);
                match progress {
                    Some(progress) => progress.suspend(write),
                    None => write(),
                }?;
            }
            if let Some(progress) = progress {
                progress.advance(batch.input_bytes() as u64, batch.items as u64);
            }
            Ok(())
        };
        let result = pipeline.run(
            &mut *reader,
            &|batch: &mut Batch| self.process(batch),
            &mut sink,
        );
        match result {
            Ok(()) => Ok(failed == 0),
            Err(Stopped::Read { line, error }) => {
                eprintln!("newstag: {}:{line}: cannot read: {error}", self.path);
                Ok(false)
            }
            Err(Stopped::Write(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => {
                Err(Written::Closed)
            }
            Err(Stopped::Write(error)) => {
                eprintln!("newstag: cannot write output: {error}");
                Err(Written::Failed)
            }
        }
    }

    /// Tags every line of a batch into its output buffer (reused from batch to batch).
    fn process(&self, batch: &mut Batch) {
        let mut out = std::mem::take(&mut batch.out);
        let mut diagnostics = std::mem::take(&mut batch.diagnostics);
        let (mut items, mut failed) = (0, 0);
        for (number, line) in batch.lines() {
            if line.trim_ascii().is_empty() {
                continue;
            }
            items += 1;
            let response = match self.tag_line(number, line) {
                Ok(response) => response,
                Err((article_id, message)) => {
                    failed += 1;
                    let _ = writeln!(diagnostics, "newstag: {message}");
                    self.error_response(article_id, message)
                }
            };
            let start = out.len();
            match proto::write_json(&mut out, &response, false) {
                Ok(()) => out.push(b'\n'),
                Err(error) => {
                    // Not reachable with the generated serialisers; answered in place anyway.
                    out.truncate(start);
                    failed += 1;
                    let message = format!("{}:{number}: cannot render JSON: {error}", self.path);
                    let _ = writeln!(diagnostics, "newstag: {message}");
                    let fallback = self.error_response(response.article_id, message);
                    if proto::write_json(&mut out, &fallback, false).is_ok() {
                        out.push(b'\n');
                    }
                }
            }
        }
        batch.out = out;
        batch.diagnostics = diagnostics;
        batch.items = items;
        batch.failed = failed;
    }

    fn tag_line(&self, number: usize, line: &[u8]) -> Result<TagResponse, (String, String)> {
        let a = serde_json::from_slice::<JsonArticle>(line).map_err(|error| {
            (
                String::new(),
                format!("{}:{number}: bad JSON article: {error}", self.path),
            )
        })?;
        let article = Article {
            id: a.id,
            title: a.title,
            body: a.body,
            language: a.language,
        };
        tagger::tag_article(self.gazetteer, &article, self.options, Rules::default())
            .map_err(|error| (article.id, format!("{}:{number}: {error}", self.path)))
    }

    /// Answers for a batch whose tagging panicked: an INTERNAL error per non-blank line.
    fn internal_error(&self, batch: &Batch) -> (Vec<u8>, Vec<u8>, usize) {
        let (mut out, mut diagnostics, mut count) = (Vec::new(), Vec::new(), 0);
        for (number, line) in batch.lines() {
            if line.trim_ascii().is_empty() {
                continue;
            }
            count += 1;
            let message = format!(
                "{}:{number}: internal error: tagging this batch of lines panicked (a bug; please report it)",
                self.path
            );
            let _ = writeln!(diagnostics, "newstag: {message}");
            let mut response = self.error_response(String::new(), message);
            if let Some(error) = &mut response.error {
                error.code = tonic::Code::Internal as i32;
            }
            if proto::write_json(&mut out, &response, false).is_ok() {
                out.push(b'\n');
            }
        }
        (out, diagnostics, count)
    }

    fn error_response(&self, article_id: String, message: String) -> TagResponse {
        TagResponse {
            article_id,
            gazetteer_version: self.gazetteer.version.clone(),
            error: Some(ItemError {
                code: tonic::Code::InvalidArgument as i32,
                message,
            }),
            ..TagResponse::default()
        }
    }
}
