//! CoNLL-2003 named-entity scores of the default gazetteers: typed exact-span precision,
//! recall and F1 for PER, ORG and LOC and all three together (MISC left out, as in the peer
//! comparison of `benches/peers/ner.sh`), with each discovery rule switched off in turn, and
//! the precision of the unlinked tags alone.
//!
//! A mention counts when its offsets fall exactly on a gold span's first token start and last
//! token end and its type maps to the span's class by `conll::class_of`: person → PER,
//! organisation → ORG, country, location and a national side → LOC; demonym mentions and misc
//! names are not scored.

use std::collections::HashSet;

use super::conll::{self, Span};
use super::news::NewsArgs;
use crate::gazetteer::Gazetteer;
use crate::proto::{Article, MentionKind, TagOptions};
use crate::tagger::{DiscoveryRules, Rules, tag_article};

const CLASSES: [&str; 3] = ["PER", "ORG", "LOC"];

/// Predicted spans, all and unlinked only.
fn predict(
    gazetteer: &Gazetteer,
    bodies: &[conll::Body],
    rules: Rules,
) -> (HashSet<Span>, HashSet<Span>) {
    let mut all = HashSet::new();
    let mut unlinked = HashSet::new();
    for (d, body) in bodies.iter().enumerate() {
        let article = Article {
            body: body.text.clone(),
            ..Article::default()
        };
        let Ok(response) = tag_article(gazetteer, &article, &TagOptions::default(), rules) else {
            continue;
        };
        for entity in &response.entities {
            let Some(class) = conll::class_of(entity) else {
                continue;
            };
            for mention in &entity.mentions {
                if mention.kind == MentionKind::Demonym as i32 {
                    continue;
                }
                if let (Some(&(s, a)), Some(&(s2, b))) = (
                    body.starts.get(&(mention.start as usize)),
                    body.ends.get(&(mention.end as usize)),
                ) && s == s2
                {
                    let span = (d, s, a, b, class.to_owned());
                    if !entity.linked {
                        unlinked.insert(span.clone());
                    }
                    all.insert(span);
                } else {
                    // Not on token boundaries: a false positive that matches no gold span.
                    let span = (
                        d,
                        usize::MAX,
                        mention.start as usize,
                        mention.end as usize,
                        class.to_owned(),
                    );
                    if !entity.linked {
                        unlinked.insert(span.clone());
                    }
                    all.insert(span);
                }
            }
        }
    }
    (all, unlinked)
}

/// P/R/F1 of one class (all three with `None`), by the dictionary task's scorer.
fn prf(gold: &HashSet<Span>, predicted: &HashSet<Span>, class: Option<&str>) -> (f64, f64, f64) {
    let of_class = |spans: &HashSet<Span>| -> HashSet<Span> {
        spans
            .iter()
            .filter(|s| class.is_none_or(|c| s.4 == c))
            .cloned()
            .collect()
    };
    let score = conll::score(&of_class(gold), &of_class(predicted));
    (score.precision, score.recall, score.f1)
}

/// `newstag eval conll-ner`.
pub fn run(args: &NewsArgs) -> Result<(), String> {
    let gazetteer = Gazetteer::load(args.gazetteers.as_deref()).map_err(|e| e.to_string())?;
    let dev = conll::read(&args.data.join("conll2003/valid.txt"))?;
    let gold: HashSet<Span> = conll::spans(&dev)
        .into_iter()
        .filter(|s| CLASSES.contains(&s.4.as_str()))
        .collect();
    let bodies: Vec<conll::Body> = dev.iter().map(conll::body).collect();
    println!(
        "CoNLL-2003 dev ({} documents, {} PER/ORG/LOC spans), gazetteer {}",
        dev.len(),
        gold.len(),
        gazetteer.version
    );
    let all = Rules::default();
    let off = |change: fn(&mut DiscoveryRules)| {
        let mut discovery = DiscoveryRules::default();
        change(&mut discovery);
        Rules { discovery, ..all }
    };
    let variants: Vec<(&str, Rules)> = vec![
        ("all rules", all),
        ("gazetteer only (no discovery)", off(|d| d.enabled = false)),
        ("without given names and surnames", off(|d| d.names = false)),
        ("without honorifics and roles", off(|d| d.titles = false)),
        ("without heads and suffixes", off(|d| d.heads = false)),
        ("without place cues", off(|d| d.places = false)),
        ("without linked neighbours", off(|d| d.neighbours = false)),
        ("without coreference", off(|d| d.coreference = false)),
    ];
    println!(
        "  {:<36} {:>17} {:>17} {:>17} {:>17}",
        "rules", "PER P/R/F1", "ORG P/R/F1", "LOC P/R/F1", "all P/R/F1"
    );
    for (name, rules) in variants {
        let (predicted, unlinked) = predict(&gazetteer, &bodies, rules);
        let mut line = format!("  {name:<36}");
        for class in CLASSES.iter().map(|c| Some(*c)).chain([None]) {
            let (p, r, f) = prf(&gold, &predicted, class);
            line.push_str(&format!(" {p:>5.1}/{r:>4.1}/{f:>4.1}"));
        }
        println!("{line}");
        if rules == all {
            let (p, _, _) = prf(&gold, &unlinked, None);
            let correct = unlinked.iter().filter(|s| gold.contains(*s)).count();
            println!(
                "  {:<36} precision {p:.1} ({correct}/{} unlinked PER/ORG/LOC mentions)",
                "unlinked tags alone",
                unlinked.len()
            );
        }
    }
    Ok(())
}
