//! `newstag topics train`: a topic model from a newsroom's labelled archive, written into a
//! gazetteer directory where the server loads and hot reloads it with the rest.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use super::GazetteerArgs;
use crate::archive;
use crate::classifier::{self, TrainOptions};

/// Topic model commands.
#[derive(Debug, clap::Subcommand)]
pub enum TopicsCommand {
    /// Train a topic classifier on a labelled JSON Lines archive
    /// (`{"id","title","body","labels":[…]}`) and write it as a `*.model` file.
    Train(TrainArgs),
}

/// How to learn: shared by `topics train` and `eval topics`.
#[derive(Debug, Clone, clap::Args)]
pub struct TrainingArgs {
    /// Passes over the archive.
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// L2 regularisation strength.
    #[arg(long, default_value_t = 1e-5)]
    lambda: f64,
    /// Each label's threshold is chosen for this precision on held-out articles (0 to 1).
    #[arg(long, default_value_t = 0.8)]
    target_precision: f64,
    /// Keep features seen in at least this many articles.
    #[arg(long, default_value_t = 2)]
    min_count: usize,
    /// Leave weights smaller than this (absolute) out of the model: a smaller file, less
    /// memory and faster tagging for the same scores (on Reuters-21578 and AG News, 5-fold,
    /// 0.2 scores as 0.01 does with a model a seventh of the size).
    #[arg(long, default_value_t = 0.2)]
    min_weight: f32,
}

impl TrainingArgs {
    /// The trainer's options and the feature count threshold, or what is wrong with them.
    pub fn options(&self) -> Result<(TrainOptions, usize), String> {
        if self.epochs == 0 || self.epochs > 1000 {
            return Err(format!("--epochs {} is not from 1 to 1000", self.epochs));
        }
        if !(self.lambda.is_finite() && self.lambda >= 0.0 && self.lambda < 1.0) {
            return Err(format!(
                "--lambda {} is not a number from 0 to 1",
                self.lambda
            ));
        }
        if !(self.min_weight.is_finite() && self.min_weight >= 0.0) {
            return Err(format!(
                "--min-weight {} is not a number from 0 up",
                self.min_weight
            ));
        }
        if !(0.0..=1.0).contains(&self.target_precision) {
            return Err(format!(
                "--target-precision {} is not a number from 0 to 1",
                self.target_precision
            ));
        }
        Ok((
            TrainOptions {
                epochs: self.epochs,
                lambda: self.lambda,
                target_precision: self.target_precision,
                min_weight: self.min_weight,
            },
            self.min_count,
        ))
    }
}

/// Arguments of `newstag topics train`.
#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// The labelled archive: one {"id","title","body","labels":[…]} object per line.
    #[arg(long, value_name = "FILE")]
    data: PathBuf,
    /// The field holding each article's labels (IPTC qcodes or the newsroom's own ids).
    #[arg(long, default_value = "labels")]
    labels_field: String,
    /// The model file to write, e.g. my-gazetteers/desk.model.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: PathBuf,
    /// The gazetteer whose entities give features (serve the model with the same one).
    #[command(flatten)]
    gazetteer: GazetteerArgs,
    #[command(flatten)]
    training: TrainingArgs,
    /// No progress line.
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub(super) fn run(command: &TopicsCommand) -> Result<ExitCode, ExitCode> {
    let TopicsCommand::Train(args) = command;
    train(args).map_err(|message| {
        eprintln!("newstag topics train: {message}");
        ExitCode::FAILURE
    })
}

fn train(args: &TrainArgs) -> Result<ExitCode, String> {
    if args.out.extension().and_then(|e| e.to_str()) != Some("model") {
        return Err(format!(
            "{}: a model file's name ends in .model (that is how the gazetteer loader finds it)",
            args.out.display()
        ));
    }
    let (options, min_count) = args.training.options()?;
    let gazetteer = args
        .gazetteer
        .load()
        .map_err(|_| "cannot load the gazetteer".to_owned())?;
    let articles = archive::read_jsonl(&args.data, &args.labels_field)?;
    let show = !args.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let bar = |total: usize, what: &'static str| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            if show {
                indicatif::ProgressDrawTarget::stderr()
            } else {
                indicatif::ProgressDrawTarget::hidden()
            },
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:24}] {pos}/{len} {msg}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what);
        bar
    };
    let started = Instant::now();
    let progress = bar(articles.len(), "articles featurised");
    let features = archive::featurise(&gazetteer, &articles, &|n| progress.inc(n as u64));
    progress.finish_and_clear();
    let featurised = started.elapsed();
    let refs: Vec<&archive::LabelledArticle> = articles.iter().collect();
    let feature_refs: Vec<&classifier::ArticleFeatures> = features.iter().collect();
    let data = archive::dataset(&gazetteer, &refs, &feature_refs, min_count);
    if data.labels.len() > usize::from(u16::MAX) {
        return Err(format!(
            "{} labels; a model holds at most 65,535",
            data.labels.len()
        ));
    }
    let progress = bar(data.labels.len(), "labels trained");
    let trained_at = Instant::now();
    let (model, report) = classifier::train::train(
        &data.examples,
        &data.vocabulary,
        &data.labels,
        &options,
        &|n| progress.inc(n as u64),
    );
    progress.finish_and_clear();
    let trained = trained_at.elapsed();
    let comment = format!(
        "Trained by `newstag topics train` on {} ({} articles, {} labels) with gazetteer {}.\n\
         epochs {}, lambda {}, target precision {}, features seen in at least {} articles.",
        args.data.display(),
        articles.len(),
        data.labels.len(),
        gazetteer.version,
        options.epochs,
        options.lambda,
        options.target_precision,
        min_count
    );
    let text = model.to_text(&comment);
    // What the server will load must parse: check before anything is written.
    classifier::Model::parse(&text).map_err(|problems| {
        format!("the model written does not parse back: {problems:?} (a bug)")
    })?;
    // Written beside its final name and renamed, so a watching server never sees half a file.
    let partial = args.out.with_extension("model.partial");
    std::fs::write(&partial, &text).map_err(|e| format!("{}: {e}", partial.display()))?;
    std::fs::rename(&partial, &args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    eprintln!(
        "{} articles, {} labels, {} features; featurised in {:.1} s, trained in {:.1} s on {} threads",
        articles.len(),
        data.labels.len(),
        data.vocabulary.names.len(),
        featurised.as_secs_f64(),
        trained.as_secs_f64(),
        rayon::current_num_threads()
    );
    eprintln!(
        "wrote {}: {:.1} MB, {} features with {} weights",
        args.out.display(),
        text.len() as f64 / 1e6,
        model.feature_count(),
        model.weight_count()
    );
    eprintln!(
        "label thresholds (held-out tenth, target precision {}):",
        options.target_precision
    );
    for (label, (positives, precision, recall)) in
        model.labels.iter().zip(&report.held_out).take(20)
    {
        eprintln!(
            "  {:<28} threshold {:.3}  held-out positives {positives:>5}  P {precision:.3} R {recall:.3}",
            label.id, label.threshold
        );
    }
    if model.labels.len() > 20 {
        eprintln!("  … {} more labels", model.labels.len() - 20);
    }
    Ok(ExitCode::SUCCESS)
}
