//! Topic scoring: keyword evidence from the lexicon plus the `topics` of matched entities,
//! propagated up the IPTC hierarchy.
//!
//! Evidence per topic: for each keyword, `weight × (1.5 if in the title + ln(1 + body count))`
//! (repeats count, with diminishing returns; boilerplate occurrences count 0.2), divided by the
//! article's length factor (one keyword in 800 words says less than in a 40-word item), plus
//! each matched entity's relevance for the topics its gazetteer row names. A topic's evidence also counts for all its ancestors, so a
//! broad topic is at least as strong as its strongest descendant. Score = `1 − e^(−evidence/2)`;
//! topics under the threshold (default [`DEFAULT_MIN_TOPIC_SCORE`]) are not returned.

use std::collections::{BTreeMap, BTreeSet};

use super::aggregate::EntityTally;
use super::candidates::KeywordHit;
use super::layout::{BOILERPLATE_WEIGHT, Layout};
use crate::gazetteer::Gazetteer;
use crate::proto::{Field, KeywordEvidence, Topic};

/// Topics scoring below this are not returned unless the request sets its own threshold.
pub const DEFAULT_MIN_TOPIC_SCORE: f64 = 0.35;

#[derive(Default)]
struct Evidence {
    own: f64,
    total: f64,
    /// keyword form → (title count, body count, body weight, keyword weight); the body weight
    /// sums position discounts (boilerplate counts 0.2).
    keywords: BTreeMap<u32, (u32, u32, f64, f32)>,
    entities: BTreeSet<u32>,
    /// The descendant contributing most, for inherited topics.
    strongest_child: Option<(f64, u32)>,
}

/// Scores topics for an article.
pub(crate) fn score(
    gazetteer: &Gazetteer,
    keywords: &[KeywordHit],
    entities: &[EntityTally],
    layout: &Layout,
    (min_score, max_topics): (f64, usize),
) -> Vec<Topic> {
    let lexicon = &gazetteer.topics;
    let mut evidence: BTreeMap<u32, Evidence> = BTreeMap::new();
    for hit in keywords {
        let entry = evidence
            .entry(hit.topic)
            .or_default()
            .keywords
            .entry(hit.form)
            .or_insert((0, 0, 0.0, hit.weight));
        match hit.field {
            Field::Title => entry.0 += 1,
            _ => {
                entry.1 += 1;
                entry.2 += if layout.in_boilerplate(hit.field, hit.start) {
                    BOILERPLATE_WEIGHT
                } else {
                    1.0
                };
            }
        }
    }
    let length = layout.length_factor();
    for e in evidence.values_mut() {
        e.own = e
            .keywords
            .values()
            .map(|&(title, _, body, weight)| {
                f64::from(weight) * (if title > 0 { 1.5 } else { 0.0 } + (1.0 + body).ln())
            })
            .sum::<f64>()
            / length;
    }
    for tally in entities {
        let super::mentions::Target::Linked(entity) = tally.target else {
            continue;
        };
        for &topic in &gazetteer.entities[entity as usize].topics {
            let e = evidence.entry(topic).or_default();
            e.own += tally.relevance;
            e.entities.insert(entity);
        }
    }
    let direct: Vec<(u32, f64)> = evidence.iter().map(|(&t, e)| (t, e.own)).collect();
    for (topic, own) in direct {
        evidence.entry(topic).or_default().total += own;
        let mut child = topic;
        let mut current = lexicon.topics[topic as usize].parent;
        while let Some(parent) = current {
            let e = evidence.entry(parent).or_default();
            e.total += own;
            if e.strongest_child.is_none_or(|(w, _)| own > w) {
                e.strongest_child = Some((own, child));
            }
            child = parent;
            current = lexicon.topics[parent as usize].parent;
        }
    }
    // Rank and cut before building anything: a request capped at a few topics only pays for
    // the strings of those it gets.
    let mut passing: Vec<(f64, u32, Evidence)> = evidence
        .into_iter()
        .filter_map(|(index, e)| {
            let score = 1.0 - (-e.total / 2.0).exp();
            let score = (score * 10_000.0).round() / 10_000.0;
            (score >= min_score && score > 0.0).then_some((score, index, e))
        })
        .collect();
    passing.sort_by(|(a, i, _), (b, j, _)| {
        b.total_cmp(a).then_with(|| {
            lexicon.topics[*i as usize]
                .id
                .cmp(&lexicon.topics[*j as usize].id)
        })
    });
    if max_topics > 0 {
        passing.truncate(max_topics);
    }
    passing
        .into_iter()
        .map(|(score, index, e)| {
            let topic = &lexicon.topics[index as usize];
            let direct = e.own > 0.0;
            Topic {
                id: topic.id.clone(),
                label: topic.label.clone(),
                score,
                direct,
                inherited_from: match (direct, e.strongest_child) {
                    (false, Some((_, child))) => lexicon.topics[child as usize].id.clone(),
                    _ => String::new(),
                },
                keywords: e
                    .keywords
                    .iter()
                    .map(|(&form, &(title, body, _, _))| KeywordEvidence {
                        keyword: gazetteer.matcher.form(form).to_owned(),
                        count: title + body,
                    })
                    .collect(),
                entity_ids: e
                    .entities
                    .iter()
                    .map(|&i| gazetteer.entities[i as usize].record.id.clone())
                    .collect(),
                ..Topic::default()
            }
        })
        .collect()
}
