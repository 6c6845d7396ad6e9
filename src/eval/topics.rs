//! `newstag eval topics`: how well a topic model trained on labelled news predicts held-out
//! news — k-fold cross-validation over one labelled file, or a train file against a test
//! file. Prints accuracy (the top label among the article's labels), micro and macro
//! precision, recall and F1 of the labels returned at the model's thresholds, and a
//! per-label table.
//!
//! `--agnews` and `--reuters` read the research datasets in `../shared/data` (AG News test,
//! four classes; Reuters-21578 train, the documents with a `topics` label). Models trained on
//! them are for measurement only and never shipped.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use crate::archive::{self, LabelledArticle};
use crate::classifier::{self, ArticleFeatures, Model};
use crate::gazetteer::Gazetteer;

/// Arguments of `newstag eval topics`.
#[derive(Debug, clap::Args)]
pub struct TopicsArgs {
    /// A labelled JSON Lines file to cross-validate on.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["agnews", "reuters", "train"])]
    data: Option<PathBuf>,
    /// Train on this file…
    #[arg(long, value_name = "FILE", requires = "test")]
    train: Option<PathBuf>,
    /// …and test on this one.
    #[arg(long, value_name = "FILE", requires = "train")]
    test: Option<PathBuf>,
    /// The field holding each article's labels.
    #[arg(long, default_value = "labels")]
    labels_field: String,
    /// AG News test (`<shared>/agnews/test.csv`), its four classes as labels.
    #[arg(long, conflicts_with_all = ["reuters", "train"])]
    agnews: bool,
    /// Reuters-21578 train (`<shared>/reuters21578/train.jsonl`), its `topics` as labels.
    #[arg(long, conflicts_with = "train")]
    reuters: bool,
    /// The reference data directory (for --agnews and --reuters).
    #[arg(long, default_value = "../shared/data")]
    shared: PathBuf,
    /// Folds of the cross-validation.
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Gazetteer directory whose entities give features; the bundled defaults when absent.
    #[arg(long)]
    gazetteers: Option<PathBuf>,
    #[command(flatten)]
    training: crate::cli::TrainingArgs,
}

/// Runs the evaluation.
pub fn run(args: &TopicsArgs) -> Result<(), String> {
    let gazetteer = Gazetteer::load(args.gazetteers.as_deref()).map_err(|e| e.to_string())?;
    let options = args.training.options()?;
    let (train, test, what) = if let (Some(train), Some(test)) = (&args.train, &args.test) {
        let train_articles = archive::read_jsonl(train, &args.labels_field)?;
        let test_articles = archive::read_jsonl(test, &args.labels_field)?;
        (
            train_articles,
            Some(test_articles),
            format!("{} → {}", train.display(), test.display()),
        )
    } else if args.agnews {
        (agnews(&args.shared)?, None, "AG News test".to_owned())
    } else if args.reuters {
        let path = args.shared.join("reuters21578/train.jsonl");
        (
            archive::read_jsonl(&path, "topics")?,
            None,
            "Reuters-21578 train (documents with topics)".to_owned(),
        )
    } else if let Some(data) = &args.data {
        (
            archive::read_jsonl(data, &args.labels_field)?,
            None,
            data.display().to_string(),
        )
    } else {
        return Err(
            "say what to evaluate on: --data FILE, --train A --test B, --agnews or --reuters"
                .into(),
        );
    };
    let started = Instant::now();
    let train_features = archive::featurise(&gazetteer, &train, &|_| {});
    let test_features = test
        .as_ref()
        .map(|test| archive::featurise(&gazetteer, test, &|_| {}));
    println!(
        "{what}: {} articles{}; features (words, word pairs, entities) in {:.1} s",
        train.len(),
        test.as_ref()
            .map_or(String::new(), |t| format!(" + {} to test", t.len())),
        started.elapsed().as_secs_f64()
    );
    let mut score = Score::default();
    let mut seconds = Vec::new();
    let mut sizes = Vec::new();
    let mut run_fold =
        |train_idx: Vec<usize>, test_set: Vec<(&LabelledArticle, &ArticleFeatures)>| {
            let articles: Vec<&LabelledArticle> = train_idx.iter().map(|&i| &train[i]).collect();
            let features: Vec<&ArticleFeatures> =
                train_idx.iter().map(|&i| &train_features[i]).collect();
            let started = Instant::now();
            let data = archive::dataset(&gazetteer, &articles, &features, options.1);
            let (model, _) = classifier::train::train(
                &data.examples,
                &data.vocabulary,
                &data.labels,
                &options.0,
                &|_| {},
            );
            seconds.push(started.elapsed().as_secs_f64());
            sizes.push(model.to_text("").len());
            for (article, features) in test_set {
                score.add(&model, features, &article.labels);
            }
        };
    match (&test, &test_features) {
        (Some(test), Some(test_features)) => {
            run_fold(
                (0..train.len()).collect(),
                test.iter().zip(test_features).collect(),
            );
        }
        _ => {
            let k = args.folds.max(2);
            for fold in 0..k {
                let train_idx = (0..train.len()).filter(|i| i % k != fold).collect();
                let test_set = (0..train.len())
                    .filter(|i| i % k == fold)
                    .map(|i| (&train[i], &train_features[i]))
                    .collect();
                run_fold(train_idx, test_set);
            }
        }
    }
    let folds = seconds.len();
    println!(
        "{} fold{}: training {:.1} s per fold on average; model {:.1} MB",
        folds,
        if folds == 1 { "" } else { "s" },
        seconds.iter().sum::<f64>() / folds as f64,
        sizes.iter().sum::<usize>() as f64 / folds as f64 / 1e6
    );
    score.print();
    Ok(())
}

/// AG News test as labelled articles: the class names of `classes.txt` as labels.
fn agnews(shared: &std::path::Path) -> Result<Vec<LabelledArticle>, String> {
    let path = shared.join("agnews/test.csv");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let classes_path = shared.join("agnews/classes.txt");
    let classes: Vec<String> = std::fs::read_to_string(&classes_path)
        .map_err(|e| format!("{}: {e}", classes_path.display()))?
        .lines()
        .map(|l| l.trim().to_owned())
        .collect();
    let mut articles = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let fields = super::news::csv_fields(line);
        let (Some(class), Some(title), Some(description)) =
            (fields.first(), fields.get(1), fields.get(2))
        else {
            continue;
        };
        let Some(label) = class
            .parse::<usize>()
            .ok()
            .and_then(|c| classes.get(c.wrapping_sub(1)))
        else {
            return Err(format!(
                "{}:{}: bad class {class:?}",
                path.display(),
                index + 1
            ));
        };
        articles.push(LabelledArticle {
            id: format!("{}", index + 1),
            title: title.clone(),
            body: description.replace('\\', " "),
            labels: vec![label.clone()],
        });
    }
    Ok(articles)
}

/// Counts over every test article.
#[derive(Default)]
struct Score {
    articles: usize,
    top_correct: usize,
    /// label → (true positives, predicted, gold)
    labels: BTreeMap<String, (usize, usize, usize)>,
}

impl Score {
    fn add(&mut self, model: &Model, features: &ArticleFeatures, gold: &[String]) {
        let predictions = model.predict(features);
        self.articles += 1;
        if let Some(top) = predictions.first() {
            self.top_correct += usize::from(gold.contains(&model.labels[top.label].id));
        }
        for (rank, prediction) in predictions.iter().enumerate() {
            let label = &model.labels[prediction.label];
            if model.accepts(prediction, rank) {
                let entry = self.labels.entry(label.id.clone()).or_default();
                entry.1 += 1;
                entry.0 += usize::from(gold.contains(&label.id));
            }
        }
        for label in gold {
            self.labels.entry(label.clone()).or_default().2 += 1;
        }
    }

    fn print(&self) {
        let f1 = classifier::train::precision_recall;
        let (tp, predicted, gold) = self
            .labels
            .values()
            .fold((0, 0, 0), |a, v| (a.0 + v.0, a.1 + v.1, a.2 + v.2));
        let (p, r, f) = f1(tp, predicted, gold);
        let with_gold: Vec<_> = self.labels.values().filter(|v| v.2 > 0).collect();
        let macro_f1 = with_gold.iter().map(|v| f1(v.0, v.1, v.2).2).sum::<f64>()
            / with_gold.len().max(1) as f64;
        println!(
            "  accuracy (top label among the article's labels): {:.2}% of {}",
            100.0 * self.top_correct as f64 / self.articles.max(1) as f64,
            self.articles
        );
        println!(
            "  labels returned at the model's thresholds: micro P {:.3} R {:.3} F1 {:.3}; macro F1 {:.3} over {} labels",
            p,
            r,
            f,
            macro_f1,
            with_gold.len()
        );
        let mut rows: Vec<(&String, &(usize, usize, usize))> = self.labels.iter().collect();
        rows.sort_by(|a, b| b.1.2.cmp(&a.1.2).then_with(|| a.0.cmp(b.0)));
        println!(
            "  {:<28} {:>7} {:>7} {:>7} {:>7}",
            "label", "support", "P", "R", "F1"
        );
        for &(label, &(tp, predicted, gold)) in rows.iter().take(30) {
            let (p, r, f) = f1(tp, predicted, gold);
            println!("  {label:<28} {gold:>7} {p:>7.3} {r:>7.3} {f:>7.3}");
        }
        if rows.len() > 30 {
            println!("  … {} more labels", rows.len() - 30);
        }
    }
}
