//! Engine throughput against the raw Aho-Corasick floor, in one run.
//!
//! `NEWSTAG_BENCH_CORPUS` may name a Reuters-21578 JSON-lines file (`title`/`body` fields) or
//! any text file; without it a deterministic synthetic news-like corpus is generated, so the
//! benchmark always runs. `NEWSTAG_GAZETTEERS` selects the gazetteer (bundled by default).
//!
//! ```text
//! NEWSTAG_BENCH_CORPUS=../shared/data/reuters21578/train.jsonl cargo bench --bench engine
//! ```
//!
//! `NEWSTAG_BENCH_MODEL=FILE` also times the engine with that topic model (`newstag topics
//! train`) added to the gazetteer against the engine without, alternated in one run.
//!
//! `NEWSTAG_BENCH_EXPORT=DIR` also writes the patterns and corpus for `benches/peers/run.sh`.
//!
//! The floor is the same automaton kind over the same bytes: a leftmost-longest scan of the
//! gazetteer's normalised patterns over the folded text, with no normalisation, boundaries,
//! case policy, resolution or scoring. The ratio engine ÷ floor is what to watch; the engine is
//! also timed with discovery and coreference off, to show what the names no gazetteer holds cost.

use std::hint::black_box;
use std::time::Duration;

use aho_corasick::{AhoCorasick, MatchKind};
use newstag::Gazetteer;
use newstag::proto::{Article, TagOptions};

mod support;

/// The binary's allocator (`src/main.rs`), so the engine is measured as it runs there.
#[global_allocator]
static ALLOCATOR: newstag::memory::Allocator = newstag::memory::Allocator;

fn corpus() -> (String, Vec<Article>) {
    match std::env::var("NEWSTAG_BENCH_CORPUS") {
        Ok(path) => {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let articles = if path.ends_with(".jsonl") {
                text.lines()
                    .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
                    .map(|v| Article {
                        id: String::new(),
                        title: v["title"].as_str().unwrap_or_default().to_owned(),
                        body: v["body"].as_str().unwrap_or_default().to_owned(),
                        language: String::new(),
                    })
                    .filter(|a| !a.body.is_empty() || !a.title.is_empty())
                    .collect()
            } else {
                text.split("\n\n")
                    .map(|p| Article {
                        body: p.to_owned(),
                        ..Article::default()
                    })
                    .collect()
            };
            (path, articles)
        }
        Err(_) => (
            "synthetic".to_owned(),
            support::synthetic_articles(NAMES, 400, 10_000_000),
        ),
    }
}

/// The names the synthetic corpus sprinkles in: all in the bundled gazetteer.
const NAMES: &[&str] = &[
    "Russia",
    "Ukraine",
    "NATO",
    "the U.S.",
    "Vladimir Putin",
    "EU",
    "Poland",
    "Britain",
    "OSCE",
    "Joe Biden",
];

/// Writes the patterns and the corpus for `benches/peers/run.sh`, so the peers match the same
/// forms over the same text.
fn export(dir: &std::path::Path, patterns: &[&str], articles: &[Article]) {
    std::fs::create_dir_all(dir).expect("export directory");
    std::fs::write(dir.join("patterns.txt"), patterns.join("\n")).expect("patterns.txt");
    let corpus: Vec<String> = articles
        .iter()
        .map(|a| serde_json::Value::from(format!("{}\n{}", a.title, a.body)).to_string())
        .collect();
    std::fs::write(dir.join("corpus.jsonl"), corpus.join("\n")).expect("corpus.jsonl");
}

/// The engine with a topic model added to the gazetteer against the engine without, timed in
/// pairs of runs back to back ([`support::paired_ratio`]): what serving a newsroom's model
/// costs.
fn with_model(gazetteer: &Gazetteer, articles: &[Article], path: &std::path::Path, runs: usize) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let model = newstag::classifier::Model::parse(&text)
        .unwrap_or_else(|errors| panic!("{}: {errors:?}", path.display()));
    let labels = model.labels.len();
    // A directory that holds a model already would time one model against two.
    assert!(
        gazetteer.models.is_empty(),
        "NEWSTAG_BENCH_MODEL: the gazetteer already holds {} model(s) ({}): point NEWSTAG_GAZETTEERS at a directory with no *.model file",
        gazetteer.models.len(),
        gazetteer
            .models
            .iter()
            .map(|m| m.source.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut modelled = match std::env::var("NEWSTAG_GAZETTEERS") {
        Ok(dir) => Gazetteer::load_dir(dir.as_ref()).expect("gazetteer loads"),
        Err(_) => Gazetteer::bundled().expect("bundled gazetteer"),
    };
    modelled.models.push(newstag::gazetteer::TopicModel {
        source: path.display().to_string(),
        model,
    });
    let tag_all = |gazetteer: &Gazetteer| {
        for article in articles {
            black_box(
                newstag::tagger::tag_article(
                    gazetteer,
                    article,
                    &TagOptions::default(),
                    newstag::Rules::default(),
                )
                .ok(),
            );
        }
    };
    // A model costs a fifth of the throughput or less, and this VM's noise is a few points:
    // at least 15 pairs, and the median of their ratios.
    let (kept, without, with) =
        support::paired_ratio(runs.max(15), || tag_all(gazetteer), || tag_all(&modelled));
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    let mbps = |d: Duration| bytes as f64 / d.as_secs_f64() / 1e6;
    println!(
        "engine with the model {} ({labels} labels): {:.1} MB/s against {:.1} without (fastest runs): {:.0} % of the throughput (median of {} paired runs; {:.0} % from the fastest runs)",
        path.display(),
        mbps(with),
        mbps(without),
        kept * 100.0,
        runs.max(15),
        without.as_secs_f64() / with.as_secs_f64() * 100.0
    );
}

fn main() {
    // The binary's allocator setting (src/main.rs), so timings and resident figures are its.
    newstag::memory::purge_freed_memory_soon();
    let gazetteer = match std::env::var("NEWSTAG_GAZETTEERS") {
        Ok(dir) => Gazetteer::load_dir(dir.as_ref()).expect("gazetteer loads"),
        Err(_) => Gazetteer::bundled().expect("bundled gazetteer"),
    };
    let (name, articles) = corpus();
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    let folded: Vec<String> = articles
        .iter()
        .flat_map(|a| {
            [
                newstag::text::normalise(&a.title).text,
                newstag::text::normalise(&a.body).text,
            ]
        })
        .collect();
    let patterns = gazetteer.patterns();
    let floor_automaton = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(gazetteer.automaton_kind()))
        .build(&patterns)
        .expect("floor automaton");
    if let Ok(dir) = std::env::var("NEWSTAG_BENCH_EXPORT") {
        export(dir.as_ref(), &patterns, &articles);
    }
    let options = TagOptions::default();
    let runs = 7;
    let mut matches = 0usize;
    let (floor, engine) = support::best_of_alternating(
        runs,
        || {
            matches = folded
                .iter()
                .map(|t| floor_automaton.find_iter(t).count())
                .sum();
        },
        || {
            for article in &articles {
                black_box(
                    newstag::tagger::tag_article(
                        &gazetteer,
                        article,
                        &options,
                        newstag::Rules::default(),
                    )
                    .ok(),
                );
            }
        },
    );
    // What the engine costs without the names no gazetteer holds (discovery and coreference,
    // both off): the ratio the gazetteer's own matching, resolution and topics reach.
    let gazetteer_only = newstag::Rules {
        discovery: newstag::tagger::DiscoveryRules {
            enabled: false,
            coreference: false,
            ..newstag::tagger::DiscoveryRules::default()
        },
        ..newstag::Rules::default()
    };
    let without_discovery = support::best_of(runs, || {
        for article in &articles {
            black_box(
                newstag::tagger::tag_article(&gazetteer, article, &options, gazetteer_only).ok(),
            );
        }
    });
    let normalise = support::best_of(runs, || {
        for article in &articles {
            black_box(newstag::text::normalise(&article.title));
            black_box(newstag::text::normalise(&article.body));
        }
    });
    let mbps = |d: Duration| bytes as f64 / d.as_secs_f64() / 1e6;
    println!(
        "corpus: {name}: {} articles, {:.1} MB; gazetteer {} ({} patterns)",
        articles.len(),
        bytes as f64 / 1e6,
        gazetteer.version,
        patterns.len()
    );
    println!(
        "raw aho-corasick floor : {:>8.1} MB/s ({matches} raw matches)",
        mbps(floor)
    );
    println!("normalise only         : {:>8.1} MB/s", mbps(normalise));
    println!("engine (tag_article)   : {:>8.1} MB/s", mbps(engine));
    println!(
        "engine / floor         : {:>8.2}",
        floor.as_secs_f64() / engine.as_secs_f64()
    );
    println!(
        "engine, no discovery   : {:>8.1} MB/s ({:.2} of the floor)",
        mbps(without_discovery),
        floor.as_secs_f64() / without_discovery.as_secs_f64()
    );

    if let Ok(path) = std::env::var("NEWSTAG_BENCH_MODEL") {
        with_model(&gazetteer, &articles, path.as_ref(), runs);
    }

    let seed = Article {
        body: include_str!("../tests/fixtures/seed-article.txt").to_owned(),
        ..Article::default()
    };
    let repeats = 2000;
    let per_article = support::best_of(runs, || {
        for _ in 0..repeats {
            black_box(
                newstag::tagger::tag_article(
                    &gazetteer,
                    &seed,
                    &options,
                    newstag::Rules::default(),
                )
                .ok(),
            );
        }
    }) / repeats;
    println!(
        "seed article ({} bytes): {:.1} µs per tag_article",
        seed.body.len(),
        per_article.as_secs_f64() * 1e6
    );
}
