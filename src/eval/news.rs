//! Quality of the bundled gazetteers on labelled news nobody on the team wrote: CoNLL-2003 dev
//! (span precision by type, country-name recall), Reuters-21578 train (document-level country
//! tags against `places`), AG News test (top-level topic accuracy), and the seed article.
//!
//! Reads `../shared/data` (research-only data, never committed); not part of `cargo test`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::conll;
use crate::gazetteer::Gazetteer;
use crate::proto::{Article, MentionKind, TagOptions, TagResponse};
use crate::tagger::{Rules, tag_article};
use crate::text::{self, CasePolicy, normalise};

/// Arguments shared by the news evaluations.
#[derive(Debug, Clone, clap::Args)]
pub struct NewsArgs {
    /// The reference data directory.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Gazetteer directory; the bundled defaults when absent.
    #[arg(long)]
    pub gazetteers: Option<PathBuf>,
    /// Print this many errors of each kind.
    #[arg(long, default_value_t = 0)]
    pub show_errors: usize,
    /// Reuters: count only the countries the text names, not those its places imply.
    #[arg(long)]
    pub no_inferred_countries: bool,
}

fn load(args: &NewsArgs) -> Result<Gazetteer, String> {
    Gazetteer::load(args.gazetteers.as_deref()).map_err(|e| e.to_string())
}

fn tag(gazetteer: &Gazetteer, title: &str, body: &str, options: &TagOptions) -> TagResponse {
    let article = Article {
        id: String::new(),
        title: title.to_owned(),
        body: body.to_owned(),
        language: "en".to_owned(),
    };
    tag_article(gazetteer, &article, options, Rules::default()).unwrap_or_default()
}

fn percent(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        100.0 * numerator as f64 / denominator as f64
    }
}

/// CoNLL-2003 dev with the default gazetteers.
pub fn conll(args: &NewsArgs) -> Result<(), String> {
    let gazetteer = load(args)?;
    let dev = conll::read(&args.data.join("conll2003/valid.txt"))?;
    let gold: HashSet<conll::Span> = conll::spans(&dev).into_iter().collect();
    let country_forms: HashSet<String> = gazetteer
        .entities
        .iter()
        .filter(|e| e.record.entity_type == "country")
        .flat_map(|e| {
            std::iter::once(&e.record.name)
                .chain(&e.record.aliases)
                .chain(&e.record.acronyms)
        })
        .map(|form| normalise(form).text.trim().to_owned())
        .collect();
    // (category, gold class it must match) → (correct, predicted)
    let mut tally: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut errors: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut found_countries: HashSet<conll::Span> = HashSet::new();
    for (d, document) in dev.iter().enumerate() {
        let body = conll::body(document);
        let response = tag(&gazetteer, "", &body.text, &TagOptions::default());
        for entity in &response.entities {
            for mention in &entity.mentions {
                let (category, class) = match (
                    entity.r#type.as_str(),
                    mention.kind == MentionKind::Demonym as i32,
                    conll::class_of(entity),
                ) {
                    (_, true, _) => ("demonym → MISC", "MISC"),
                    ("country", false, _) => ("country → LOC", "LOC"),
                    ("location", false, _) => ("location → LOC", "LOC"),
                    ("person", false, _) => ("person → PER", "PER"),
                    ("organisation", false, Some("LOC")) => ("national side → LOC", "LOC"),
                    ("organisation", false, _) => ("organisation → ORG", "ORG"),
                    _ => continue,
                };
                let span = match (
                    body.starts.get(&(mention.start as usize)),
                    body.ends.get(&(mention.end as usize)),
                ) {
                    (Some(&(s, a)), Some(&(s2, b))) if s == s2 => {
                        Some((d, s, a, b, class.to_owned()))
                    }
                    _ => None,
                };
                let correct = span.as_ref().is_some_and(|span| gold.contains(span));
                let entry = tally.entry(category).or_default();
                entry.1 += 1;
                if correct {
                    entry.0 += 1;
                    if category == "country → LOC" {
                        found_countries.extend(span);
                    }
                } else if errors.entry(category).or_default().len() < args.show_errors {
                    let sentence = span.as_ref().map_or_else(String::new, |s| {
                        conll::phrase(&document[s.1], 0, document[s.1].len())
                    });
                    let gold_here: Vec<String> = span
                        .as_ref()
                        .map(|s| {
                            gold.iter()
                                .filter(|g| g.0 == s.0 && g.1 == s.1 && g.2 < s.3 && s.2 < g.3)
                                .map(|g| {
                                    format!("{} {}", conll::phrase(&document[g.1], g.2, g.3), g.4)
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    errors.entry(category).or_default().push(format!(
                        "{:?} as {} gold {gold_here:?} in: {sentence}",
                        mention.text, entity.id
                    ));
                }
            }
        }
    }
    let country_gold: Vec<&conll::Span> = gold
        .iter()
        .filter(|g| {
            g.4 == "LOC"
                && country_forms.contains(
                    normalise(&conll::phrase(&dev[g.0][g.1], g.2, g.3))
                        .text
                        .trim(),
                )
        })
        .collect();
    let recalled = country_gold
        .iter()
        .filter(|g| found_countries.contains(**g))
        .count();
    println!(
        "CoNLL-2003 dev ({} documents, {} gold spans), gazetteer {}",
        dev.len(),
        gold.len(),
        gazetteer.version
    );
    for (category, (correct, predicted)) in &tally {
        println!(
            "  precision {category:<20} {:>6.2}%  ({correct}/{predicted})",
            percent(*correct, *predicted)
        );
    }
    println!(
        "  recall of gold LOC spans whose text is a country name: {:.2}% ({recalled}/{})",
        percent(recalled, country_gold.len()),
        country_gold.len()
    );
    for (category, list) in &errors {
        println!("  errors, {category}:");
        for line in list {
            println!("    {line}");
        }
    }
    if args.show_errors > 0 {
        let missed: Vec<String> = country_gold
            .iter()
            .filter(|g| !found_countries.contains(**g))
            .take(args.show_errors)
            .map(|g| {
                format!(
                    "{:?} in: {}",
                    conll::phrase(&dev[g.0][g.1], g.2, g.3),
                    conll::phrase(&dev[g.0][g.1], 0, dev[g.0][g.1].len())
                )
            })
            .collect();
        println!("  missed country names:");
        for line in missed {
            println!("    {line}");
        }
    }
    Ok(())
}

/// Reuters 1987 `places` slugs that are not a country's name or alias, with the ids that count
/// as a match (successor states included: 1987 "West German" news is also tagged Germany).
const REUTERS_SLUGS: &[(&str, &[&str])] = &[
    ("usa", &["country:US"]),
    ("uk", &["country:GB"]),
    ("uae", &["country:AE"]),
    ("ussr", &["country:SU", "country:RU"]),
    ("west-germany", &["country:west-germany", "country:DE"]),
    ("east-germany", &["country:DD"]),
    ("trinidad-tobago", &["country:TT"]),
    ("yemen-arab-republic", &["country:YE"]),
    ("yemen-demo-republic", &["country:YD"]),
];

/// Whether a form of `entity` occurs in `text` as a whole word with a capitalisation its case
/// policy accepts: the country is "named in the text".
fn named_in(
    gazetteer: &Gazetteer,
    entity: usize,
    original: &str,
    normalised: &text::Normalised,
) -> bool {
    let record = &gazetteer.entities[entity].record;
    let forms = std::iter::once(&record.name)
        .chain(&record.aliases)
        .chain(&record.acronyms)
        .chain(&record.demonyms);
    forms.into_iter().any(|form| {
        let pattern = normalise(form).text.trim().to_owned();
        normalised.text.match_indices(&pattern).any(|(at, m)| {
            let end = at + m.len();
            text::is_whole_word(&normalised.text, at, end) && {
                let (start, stop) = (
                    normalised.map.original_start(at),
                    normalised.map.original_end(end),
                );
                CasePolicy::Smart.accepts(form, &original[start..stop])
            }
        })
    })
}

/// Reuters-21578 train: document-level country tags against `places`.
pub fn reuters(args: &NewsArgs) -> Result<(), String> {
    let gazetteer = load(args)?;
    let path = args.data.join("reuters21578/train.jsonl");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let index: HashMap<&str, usize> = gazetteer
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| (e.record.id.as_str(), i))
        .collect();
    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
    for entity in gazetteer
        .entities
        .iter()
        .filter(|e| e.record.entity_type == "country")
    {
        for form in std::iter::once(&entity.record.name).chain(&entity.record.aliases) {
            by_name
                .entry(form.to_lowercase())
                .or_default()
                .push(entity.record.id.clone());
        }
    }
    let mut unmapped: BTreeMap<String, usize> = BTreeMap::new();
    let mut map_slug = |slug: &str| -> Option<Vec<String>> {
        if let Some((_, ids)) = REUTERS_SLUGS.iter().find(|(s, _)| *s == slug) {
            return Some(ids.iter().map(|s| (*s).to_owned()).collect());
        }
        let found = by_name.get(&slug.replace('-', " ")).cloned();
        if found.is_none() {
            *unmapped.entry(slug.to_owned()).or_default() += 1;
        }
        found
    };
    struct Doc {
        gold: Vec<Vec<String>>,
        named: Vec<bool>,
        predicted: Vec<(String, f64)>,
    }
    let options = TagOptions {
        entity_types: vec!["country".into()],
        no_inferred_countries: args.no_inferred_countries,
        ..TagOptions::default()
    };
    let mut docs = Vec::new();
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let title = value["title"].as_str().unwrap_or_default();
        let body = value["body"].as_str().unwrap_or_default();
        let places: Vec<&str> = value["places"]
            .as_array()
            .map(|a| a.iter().filter_map(|p| p.as_str()).collect())
            .unwrap_or_default();
        let gold: Vec<Vec<String>> = places.iter().filter_map(|p| map_slug(p)).collect();
        let full = format!("{title}\n{body}");
        let normalised = normalise(&full);
        let named = gold
            .iter()
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| index.get(id.as_str()))
                    .any(|&e| named_in(&gazetteer, e, &full, &normalised))
            })
            .collect();
        let response = tag(&gazetteer, title, body, &options);
        let predicted = response
            .entities
            .iter()
            .map(|e| (e.id.clone(), e.relevance))
            .collect();
        docs.push(Doc {
            gold,
            named,
            predicted,
        });
    }
    let gold_labels: usize = docs.iter().map(|d| d.gold.len()).sum();
    let named_labels: usize = docs
        .iter()
        .map(|d| d.named.iter().filter(|n| **n).count())
        .sum();
    println!(
        "Reuters-21578 train: {} documents, {gold_labels} mapped gold country labels, {named_labels} of them named in the text",
        docs.len()
    );
    println!(
        "  unmapped slugs: {}",
        if unmapped.is_empty() {
            "none".to_owned()
        } else {
            format!("{unmapped:?}")
        }
    );
    println!(
        "  {:>9} {:>10} {:>10} {:>8} {:>10}",
        "relevance", "precision", "recall*", "F1", "predicted"
    );
    for threshold in [0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4] {
        let (mut correct, mut predicted, mut recalled) = (0, 0, 0);
        for doc in &docs {
            let chosen: Vec<&str> = doc
                .predicted
                .iter()
                .filter(|(_, r)| *r >= threshold)
                .map(|(id, _)| id.as_str())
                .collect();
            predicted += chosen.len();
            correct += chosen
                .iter()
                .filter(|id| doc.gold.iter().any(|ids| ids.iter().any(|g| g == *id)))
                .count();
            recalled += doc
                .gold
                .iter()
                .zip(&doc.named)
                .filter(|(ids, named)| **named && ids.iter().any(|g| chosen.contains(&g.as_str())))
                .count();
        }
        let p = percent(correct, predicted);
        let r = percent(recalled, named_labels);
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r) / 100.0
        } else {
            0.0
        };
        println!("  {threshold:>9.2} {p:>9.2}% {r:>9.2}% {f1:>8.3} {predicted:>10}");
    }
    println!(
        "  (* recall against the gold labels whose country is named in the text by name, alias or demonym)"
    );
    if args.show_errors > 0 {
        let mut false_positives: BTreeMap<&str, usize> = BTreeMap::new();
        for doc in &docs {
            for (id, relevance) in &doc.predicted {
                if *relevance >= 0.3 && !doc.gold.iter().any(|ids| ids.contains(id)) {
                    *false_positives.entry(id.as_str()).or_default() += 1;
                }
            }
        }
        let mut ranked: Vec<_> = false_positives.into_iter().collect();
        ranked.sort_by_key(|entry| std::cmp::Reverse(entry.1));
        println!(
            "  most frequent false positives at 0.30: {:?}",
            &ranked[..ranked.len().min(args.show_errors)]
        );
    }
    Ok(())
}

/// AG News test: top-level IPTC topic accuracy.
pub fn agnews(args: &NewsArgs) -> Result<(), String> {
    let gazetteer = load(args)?;
    let path = args.data.join("agnews/test.csv");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let expected: [&[&str]; 4] = [
        &[
            "medtop:11000000",
            "medtop:16000000",
            "medtop:02000000",
            "medtop:03000000",
        ],
        &["medtop:15000000"],
        &["medtop:04000000"],
        &["medtop:13000000"],
    ];
    let names = ["World", "Sports", "Business", "Sci/Tech"];
    let top_level: HashSet<&str> = gazetteer
        .topics
        .topics
        .iter()
        .filter(|t| t.parent.is_none())
        .map(|t| t.id.as_str())
        .collect();
    let options = TagOptions {
        min_topic_score: 1e-6,
        ..TagOptions::default()
    };
    let (mut total, mut correct, mut covered, mut correct_default) =
        ([0usize; 4], [0usize; 4], [0usize; 4], [0usize; 4]);
    let mut confusion: BTreeMap<(usize, String), usize> = BTreeMap::new();
    for line in text.lines() {
        let fields = csv_fields(line);
        let (Some(class), Some(title), Some(description)) =
            (fields.first(), fields.get(1), fields.get(2))
        else {
            continue;
        };
        let Ok(class) = class.parse::<usize>() else {
            continue;
        };
        let class = class - 1;
        let description = description.replace('\\', " ");
        let response = tag(&gazetteer, title, &description, &options);
        let best = response
            .topics
            .iter()
            .find(|t| top_level.contains(t.id.as_str()));
        total[class] += 1;
        if let Some(best) = best {
            covered[class] += 1;
            let hit = expected[class].contains(&best.id.as_str());
            correct[class] += usize::from(hit);
            correct_default[class] +=
                usize::from(hit && best.score >= crate::tagger::DEFAULT_MIN_TOPIC_SCORE);
            *confusion.entry((class, best.label.clone())).or_default() += 1;
        } else {
            *confusion.entry((class, "(none)".into())).or_default() += 1;
        }
    }
    let sum = |a: [usize; 4]| a.iter().sum::<usize>();
    println!(
        "AG News test: {} items; top-level topic = highest-scoring level-1 IPTC topic",
        sum(total)
    );
    println!(
        "  accuracy {:.2}% (any score), {:.2}% counting only topics above the default threshold {}; an answer for {:.2}%",
        percent(sum(correct), sum(total)),
        percent(sum(correct_default), sum(total)),
        crate::tagger::DEFAULT_MIN_TOPIC_SCORE,
        percent(sum(covered), sum(total))
    );
    for (class, name) in names.iter().enumerate() {
        println!(
            "  {:<9} {:.2}%  ({}/{})",
            name,
            percent(correct[class], total[class]),
            correct[class],
            total[class]
        );
    }
    if args.show_errors > 0 {
        for (class, name) in names.iter().enumerate() {
            let mut row: Vec<(&String, &usize)> = confusion
                .iter()
                .filter(|((c, _), _)| *c == class)
                .map(|((_, l), n)| (l, n))
                .collect();
            row.sort_by_key(|entry| std::cmp::Reverse(*entry.1));
            println!("  {} predicted as: {:?}", name, &row[..row.len().min(6)]);
        }
    }
    Ok(())
}

/// Fields of one CSV line: quoted fields with doubled quotes.
pub(crate) fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The seed article: ranked entities and topics.
pub fn seed(args: &NewsArgs) -> Result<(), String> {
    let gazetteer = load(args)?;
    // The shared copy when there is one, else the repository's own (the same text, built in),
    // so the command works on a fresh clone.
    let path: &Path = &args.data.join("seed-article.txt");
    let body = if path.exists() {
        std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?
    } else {
        include_str!("../../tests/fixtures/seed-article.txt").to_owned()
    };
    let response = tag(&gazetteer, "", &body, &TagOptions::default());
    println!(
        "Seed article ({} bytes), gazetteer {}",
        body.len(),
        gazetteer.version
    );
    for (rank, e) in response.entities.iter().enumerate() {
        println!(
            "  {:>2}. {:.4}  {:<28} {:<13} {} mention(s)",
            rank + 1,
            e.relevance,
            e.id,
            e.r#type,
            e.mention_count
        );
    }
    for t in &response.topics {
        println!(
            "      {:.4}  {} {}{}",
            t.score,
            t.id,
            t.label,
            if t.direct { "" } else { " (inherited)" }
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv() {
        assert_eq!(
            csv_fields(r#""3","a ""b"", c","d""#),
            ["3", "a \"b\", c", "d"]
        );
    }
}
