//! CoNLL-2003 dictionary task: a real-text check of the matcher.
//!
//! From `train.txt`, every entity phrase that carries a single class becomes a gazetteer row
//! (`PER`→person, `ORG`→organisation, `LOC`→location, `MISC`→misc; `case = exact` or `smart`).
//! Each document of the dev file is tagged as one body (tokens joined by single spaces, one
//! sentence per line) and exact typed spans are scored against the gold spans. The same run
//! scores a plain longest-match token lookup of the same dictionary as the baseline, and the
//! engine with each document-level rule switched off, so what each rule adds is visible.
//!
//! The data is research-only and never committed: it is read from `../shared/data`.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::gazetteer::{self, Gazetteer};
use crate::proto::{Article, TagOptions};
use crate::tagger::{Rules, tag_article};

/// Arguments of `newstag eval conll`.
#[derive(Debug, clap::Args)]
pub struct ConllArgs {
    /// CoNLL-2003 training file (the dictionary source).
    #[arg(long, default_value = "../shared/data/conll2003/train.txt")]
    pub train: PathBuf,
    /// CoNLL-2003 file to score (dev by default).
    #[arg(long, default_value = "../shared/data/conll2003/valid.txt")]
    pub dev: PathBuf,
    /// Repetitions of the timed tagging pass (throughput is the best of them).
    #[arg(long, default_value_t = 5)]
    pub repeat: usize,
    /// Print this many false positives of `case=exact, all rules` that the plain longest-match
    /// baseline does not make, with their sentence.
    #[arg(long, default_value_t = 0)]
    pub show_errors: usize,
}

/// A labelled token.
pub(crate) struct Token {
    pub(crate) text: String,
    pub(crate) label: String,
}

pub(crate) type Sentence = Vec<Token>;
pub(crate) type Document = Vec<Sentence>;

/// A gold or predicted span: (document, sentence, first token, end token, class).
pub(crate) type Span = (usize, usize, usize, usize, String);

pub(crate) fn read(path: &Path) -> Result<Vec<Document>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut documents: Vec<Document> = Vec::new();
    let mut sentence: Sentence = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") {
            documents.push(Vec::new());
            continue;
        }
        if line.is_empty() {
            if !sentence.is_empty() {
                documents
                    .last_mut()
                    .ok_or(format!(
                        "{}:{}: sentence before -DOCSTART-",
                        path.display(),
                        index + 1
                    ))?
                    .push(std::mem::take(&mut sentence));
            }
            continue;
        }
        let mut columns = line.split(' ');
        let token = columns.next().unwrap_or_default().to_owned();
        let label = columns.next_back().unwrap_or("O").to_owned();
        sentence.push(Token { text: token, label });
    }
    if let (false, Some(document)) = (sentence.is_empty(), documents.last_mut()) {
        document.push(sentence);
    }
    Ok(documents)
}

/// Gold spans of IOB2 labels.
pub(crate) fn spans(documents: &[Document]) -> Vec<Span> {
    let mut out = Vec::new();
    for (d, document) in documents.iter().enumerate() {
        for (s, sentence) in document.iter().enumerate() {
            let mut open: Option<(usize, String)> = None;
            for (t, token) in sentence.iter().enumerate() {
                let (prefix, class) = token.label.split_once('-').unwrap_or(("O", ""));
                let continues = prefix == "I" && open.as_ref().is_some_and(|(_, c)| c == class);
                if !continues {
                    if let Some((start, class)) = open.take() {
                        out.push((d, s, start, t, class));
                    }
                    if prefix == "B" || prefix == "I" {
                        open = Some((t, class.to_owned()));
                    }
                }
            }
            if let Some((start, class)) = open {
                out.push((d, s, start, sentence.len(), class));
            }
        }
    }
    out
}

pub(crate) fn phrase(sentence: &Sentence, start: usize, end: usize) -> String {
    sentence[start..end]
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Phrases of train with exactly one class.
fn dictionary(documents: &[Document]) -> Vec<(String, String)> {
    let mut classes: HashMap<String, HashSet<String>> = HashMap::new();
    for (d, s, start, end, class) in spans(documents) {
        classes
            .entry(phrase(&documents[d][s], start, end))
            .or_default()
            .insert(class);
    }
    let mut single: Vec<(String, String)> = classes
        .into_iter()
        .filter(|(_, c)| c.len() == 1)
        .filter_map(|(p, c)| c.into_iter().next().map(|c| (p, c)))
        .collect();
    single.sort();
    single
}

fn entity_type(class: &str) -> &'static str {
    match class {
        "PER" => "person",
        "ORG" => "organisation",
        "LOC" => "location",
        _ => "misc",
    }
}

fn dictionary_class(entity_type: &str) -> &'static str {
    match entity_type {
        "person" => "PER",
        "organisation" => "ORG",
        "location" => "LOC",
        _ => "MISC",
    }
}

/// The CoNLL-2003 class of a tagged entity, by that corpus's convention rather than ours: a
/// national side named by its country ("Australia beat Sri Lanka") is LOC there — all 1,162
/// country-name spans of the training split are LOC, sports stories included — while newstag
/// links it to the team, an organisation. Demonyms and misc names have no class here.
pub(crate) fn class_of(entity: &crate::proto::Entity) -> Option<&'static str> {
    match (entity.r#type.as_str(), entity.category.as_str()) {
        ("organisation", "national-team") => Some("LOC"),
        ("person", _) => Some("PER"),
        ("organisation", _) => Some("ORG"),
        ("country" | "location", _) => Some("LOC"),
        _ => None,
    }
}

fn build_gazetteer(dictionary: &[(String, String)], case: &str) -> Result<Gazetteer, String> {
    let mut tsv = String::from("id\ttype\tname\tcase\n");
    for (index, (phrase, class)) in dictionary.iter().enumerate() {
        let _ = writeln!(
            tsv,
            "conll:{index}\t{}\t{phrase}\t{case}",
            entity_type(class)
        );
    }
    Gazetteer::from_files(&[gazetteer::file("conll.tsv", &tsv)]).map_err(|e| e.to_string())
}

/// A dev document as one body, with each token's byte span.
pub(crate) struct Body {
    pub(crate) text: String,
    /// (sentence, token) by start byte and by end byte.
    pub(crate) starts: HashMap<usize, (usize, usize)>,
    pub(crate) ends: HashMap<usize, (usize, usize)>,
}

pub(crate) fn body(document: &Document) -> Body {
    let mut text = String::new();
    let mut starts = HashMap::new();
    let mut ends = HashMap::new();
    for (s, sentence) in document.iter().enumerate() {
        if s > 0 {
            text.push('\n');
        }
        for (t, token) in sentence.iter().enumerate() {
            if t > 0 {
                text.push(' ');
            }
            starts.insert(text.len(), (s, t));
            text.push_str(&token.text);
            ends.insert(text.len(), (s, t + 1));
        }
    }
    Body { text, starts, ends }
}

/// Precision, recall and F1 in percent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Score {
    pub(crate) precision: f64,
    pub(crate) recall: f64,
    pub(crate) f1: f64,
    pub(crate) predicted: usize,
}

pub(crate) fn score(gold: &HashSet<Span>, predicted: &HashSet<Span>) -> Score {
    let correct = predicted.intersection(gold).count() as f64;
    let precision = if predicted.is_empty() {
        0.0
    } else {
        100.0 * correct / predicted.len() as f64
    };
    let recall = if gold.is_empty() {
        0.0
    } else {
        100.0 * correct / gold.len() as f64
    };
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Score {
        precision,
        recall,
        f1,
        predicted: predicted.len(),
    }
}

fn engine_spans(gazetteer: &Gazetteer, bodies: &[Body], rules: Rules) -> HashSet<Span> {
    let mut predicted = HashSet::new();
    let options = TagOptions::default();
    for (d, body) in bodies.iter().enumerate() {
        let article = Article {
            body: body.text.clone(),
            ..Article::default()
        };
        let Ok(response) = tag_article(gazetteer, &article, &options, rules) else {
            continue;
        };
        for entity in &response.entities {
            for mention in &entity.mentions {
                let (Some(&(s, start)), Some(&(s_end, end))) = (
                    body.starts.get(&(mention.start as usize)),
                    body.ends.get(&(mention.end as usize)),
                ) else {
                    // Not aligned with tokens: can only be wrong; count it as predicted.
                    predicted.insert((
                        d,
                        usize::MAX,
                        mention.start as usize,
                        mention.end as usize,
                        String::new(),
                    ));
                    continue;
                };
                if s == s_end {
                    predicted.insert((
                        d,
                        s,
                        start,
                        end,
                        dictionary_class(&entity.r#type).to_owned(),
                    ));
                } else {
                    predicted.insert((
                        d,
                        usize::MAX,
                        mention.start as usize,
                        mention.end as usize,
                        String::new(),
                    ));
                }
            }
        }
    }
    predicted
}

/// Prints false positives the baseline does not make: what the engine's own rules cost.
fn show_errors(
    dev: &[Document],
    bodies: &[Body],
    gold: &HashSet<Span>,
    baseline: &HashSet<Span>,
    predicted: &HashSet<Span>,
    limit: usize,
) {
    let mut extra: Vec<&Span> = predicted
        .difference(gold)
        .filter(|s| !baseline.contains(*s))
        .collect();
    extra.sort();
    println!(
        "  {} false positives the baseline does not make; the first {limit}:",
        extra.len()
    );
    for (d, s, start, end, class) in extra.into_iter().take(limit) {
        if *s == usize::MAX {
            println!(
                "    doc {d}: {:?} (not token-aligned)",
                &bodies[*d].text[*start..*end]
            );
        } else {
            let sentence = &dev[*d][*s];
            let gold_here: Vec<String> = gold
                .iter()
                .filter(|g| g.0 == *d && g.1 == *s && g.2 < *end && *start < g.3)
                .map(|g| format!("{} {}", phrase(sentence, g.2, g.3), g.4))
                .collect();
            println!(
                "    {:?} {class}  gold: {gold_here:?}  in: {}",
                phrase(sentence, *start, *end),
                phrase(sentence, 0, sentence.len())
            );
        }
    }
}

/// The baseline: at each token, the longest dictionary phrase starting there, exact text.
fn longest_match_spans(dictionary: &[(String, String)], documents: &[Document]) -> HashSet<Span> {
    let lookup: HashMap<&str, &str> = dictionary
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    let longest = dictionary
        .iter()
        .map(|(p, _)| p.split(' ').count())
        .max()
        .unwrap_or(1);
    let mut predicted = HashSet::new();
    for (d, document) in documents.iter().enumerate() {
        for (s, sentence) in document.iter().enumerate() {
            let mut t = 0;
            while t < sentence.len() {
                let found = (1..=longest.min(sentence.len() - t)).rev().find_map(|n| {
                    lookup
                        .get(phrase(sentence, t, t + n).as_str())
                        .map(|c| (n, *c))
                });
                match found {
                    Some((n, class)) => {
                        predicted.insert((d, s, t, t + n, class.to_owned()));
                        t += n;
                    }
                    None => t += 1,
                }
            }
        }
    }
    predicted
}

fn untyped(spans: &HashSet<Span>) -> HashSet<Span> {
    spans
        .iter()
        .map(|(d, s, a, b, _)| (*d, *s, *a, *b, String::new()))
        .collect()
}

/// Runs the evaluation and prints a report.
pub fn run(args: &ConllArgs) -> Result<(), String> {
    let train = read(&args.train)?;
    let dev = read(&args.dev)?;
    let dictionary = dictionary(&train);
    let gold: HashSet<Span> = spans(&dev).into_iter().collect();
    let bodies: Vec<Body> = dev.iter().map(body).collect();
    println!("CoNLL-2003 dictionary task");
    println!(
        "  train: {} documents; dictionary: {} single-class phrases",
        train.len(),
        dictionary.len()
    );
    println!("  dev: {} documents, {} gold spans", dev.len(), gold.len());
    println!();
    println!(
        "{:<52} {:>7} {:>7} {:>7} {:>9} {:>8}",
        "system", "P", "R", "F1", "predicted", "F1 span"
    );
    let line = |name: &str, predicted: &HashSet<Span>| {
        let typed = score(&gold, predicted);
        let spans_only = score(&untyped(&gold), &untyped(predicted));
        println!(
            "{name:<52} {:>7.2} {:>7.2} {:>7.2} {:>9} {:>8.2}",
            typed.precision, typed.recall, typed.f1, typed.predicted, spans_only.f1
        );
    };
    let baseline = longest_match_spans(&dictionary, &dev);
    line(
        "plain longest match (token lookup, same dictionary)",
        &baseline,
    );
    for case in ["exact", "smart"] {
        let started = Instant::now();
        let gazetteer = build_gazetteer(&dictionary, case)?;
        let build = started.elapsed();
        let all = Rules::default();
        let variants = [
            ("all rules", all),
            (
                "without surnames",
                Rules {
                    surnames: false,
                    ..all
                },
            ),
            (
                "without anchoring",
                Rules {
                    anchoring: false,
                    ..all
                },
            ),
            (
                "without exact-spelling tie-break",
                Rules {
                    spelling: false,
                    ..all
                },
            ),
            (
                "without name-part rule",
                Rules {
                    name_parts: false,
                    ..all
                },
            ),
            (
                "no document-level rules",
                Rules {
                    surnames: false,
                    anchoring: false,
                    spelling: false,
                    name_parts: false,
                    ..all
                },
            ),
        ];
        for (name, rules) in variants {
            let predicted = engine_spans(&gazetteer, &bodies, rules);
            line(&format!("newstag case={case}, {name}"), &predicted);
            if rules == all {
                // Sub-token matches ("Israeli" in "Israeli-Arab", "3" in "6-3") are what the
                // whole-word rule asks for, but CoNLL tokens never split there.
                let aligned: HashSet<Span> = predicted
                    .iter()
                    .filter(|s| s.1 != usize::MAX)
                    .cloned()
                    .collect();
                line(
                    &format!("newstag case={case}, all rules, token-aligned only"),
                    &aligned,
                );
            }
            if case == "exact" && rules == Rules::default() && args.show_errors > 0 {
                show_errors(
                    &dev,
                    &bodies,
                    &gold,
                    &baseline,
                    &predicted,
                    args.show_errors,
                );
            }
        }
        if case == "exact" {
            let bytes: usize = bodies.iter().map(|b| b.text.len()).sum();
            let options = TagOptions::default();
            let mut best = f64::INFINITY;
            for _ in 0..args.repeat.max(1) {
                let started = Instant::now();
                for b in &bodies {
                    let article = Article {
                        body: b.text.clone(),
                        ..Article::default()
                    };
                    let _ = std::hint::black_box(tag_article(
                        &gazetteer,
                        &article,
                        &options,
                        Rules::default(),
                    ));
                }
                best = best.min(started.elapsed().as_secs_f64());
            }
            println!(
                "  throughput (case=exact, all rules): {:.1} MB/s over {} bytes of dev text (best of {}); gazetteer build {:.0} ms, {} patterns",
                bytes as f64 / best / 1e6,
                bytes,
                args.repeat.max(1),
                build.as_secs_f64() * 1e3,
                gazetteer.pattern_count()
            );
            // The floor: the same automaton kind over the same folded bytes, no rules.
            let folded: Vec<String> = bodies
                .iter()
                .map(|b| crate::text::normalise(&b.text).text)
                .collect();
            let floor = aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .kind(Some(gazetteer.automaton_kind()))
                .build(gazetteer.patterns())
                .map_err(|e| e.to_string())?;
            let mut floor_best = f64::INFINITY;
            let mut raw_matches = 0;
            for _ in 0..args.repeat.max(1) {
                let started = Instant::now();
                raw_matches = folded
                    .iter()
                    .map(|t| floor.find_iter(t).count())
                    .sum::<usize>();
                floor_best = floor_best.min(started.elapsed().as_secs_f64());
            }
            println!(
                "  raw Aho-Corasick floor: {:.1} MB/s ({raw_matches} raw matches, one per {:.1} bytes: the dictionary has forms such as \"F\", \"3\", \"An\", \"OR\"); engine / floor {:.2}",
                bytes as f64 / floor_best / 1e6,
                bytes as f64 / raw_matches.max(1) as f64,
                floor_best / best
            );
        }
    }
    if cfg!(debug_assertions) {
        println!("  (debug build: throughput is not representative; use --release)");
    }
    Ok(())
}
