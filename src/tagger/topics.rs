//! Topic scoring: keyword evidence from the lexicon plus the evidence of matched entities,
//! propagated up the IPTC hierarchy.
//!
//! Evidence per topic: for each keyword, `weight × (1.5 if in the title + ln(1 + body count))`
//! (repeats count, with diminishing returns; boilerplate occurrences count 0.2), divided by the
//! article's length factor (one keyword in 800 words says less than in a 40-word item), plus,
//! for each linked entity, its relevance for each topic its row's `topics` names or, for a
//! row that names none, its relevance times the weight its category's mapping
//! (`*.categories`: clubs → sport, banks → business) gives each topic. Supporting keywords (`~win`,
//! `~defeat`) count only when the topic's top-level tree has other evidence: a word that
//! belongs to elections and earnings as much as to matches never makes a topic on its own.
//! A topic's evidence also counts for all its ancestors, so a broad topic is at least as
//! strong as its strongest descendant. Score = `1 − e^(−evidence/2)`; topics under the
//! threshold (default [`DEFAULT_MIN_TOPIC_SCORE`]) are not returned.

use std::collections::{BTreeMap, BTreeSet};

use super::aggregate::EntityTally;
use super::candidates::KeywordHit;
use super::layout::{BOILERPLATE_WEIGHT, Layout};
use crate::gazetteer::Gazetteer;
use crate::proto::{EntityEvidence, Field, KeywordEvidence, Topic};

/// Topics scoring below this are not returned unless the request sets its own threshold.
pub const DEFAULT_MIN_TOPIC_SCORE: f64 = 0.35;

/// The mapping weight from which an entity's category grounds its topic's tree, so that the
/// tree's supporting keywords count. A weaker mapping is weak evidence (a country, of
/// international relations): it adds to its topic, but it licenses no generic word
/// ("president", "officials") in a story about a company or a game that names a country.
const GROUNDING_WEIGHT: f32 = 0.5;

/// Which topics a request gets back, and how much is said about them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TopicCut {
    pub min_score: f64,
    /// 0 for all.
    pub max_topics: usize,
    /// Whether each topic lists what its entities added.
    pub explain: bool,
}

/// One keyword's occurrences in the article.
struct KeywordTally {
    title: u32,
    body: u32,
    /// Body occurrences with position discounts (boilerplate counts 0.2).
    body_weight: f64,
    weight: f32,
    supporting: bool,
}

impl KeywordTally {
    /// What the keyword adds to its topic before the length factor.
    fn evidence(&self) -> f64 {
        f64::from(self.weight)
            * (if self.title > 0 { 1.5 } else { 0.0 } + (1.0 + self.body_weight).ln())
    }
}

#[derive(Default)]
struct Evidence {
    /// Evidence that makes the topic: keywords that are not supporting, and entities.
    own: f64,
    /// Supporting keywords' evidence, counted only if the topic's tree has other evidence.
    supporting: f64,
    total: f64,
    /// keyword form → its occurrences.
    keywords: BTreeMap<u32, KeywordTally>,
    /// entity → what it added.
    entities: BTreeMap<u32, f64>,
    /// The descendant contributing most, for inherited topics.
    strongest_child: Option<(f64, u32)>,
    /// Whether an entity mapped with at least [`GROUNDING_WEIGHT`] adds to it: evidence of
    /// another kind, for the supporting keywords of its tree.
    grounds: bool,
}

/// The keyword hits that are no part of a linked person's name: "Bonds" in a story about
/// Barry Bonds or "Bill" about Bill Gates name a person, not bonds or a bill. Keywords inside
/// other names stay: "Bank of England" and "Manchester United" say what the story is about.
pub(crate) fn outside_names(
    gazetteer: &Gazetteer,
    mut keywords: Vec<KeywordHit>,
    found: &[super::mentions::Found],
) -> Vec<KeywordHit> {
    use super::mentions::Target;
    let names: Vec<(Field, usize, usize)> = found
        .iter()
        .filter(|f| match f.target {
            Target::Linked(entity) => gazetteer
                .entities
                .get(entity as usize)
                .is_some_and(|e| e.record.entity_type == "person"),
            // A name the gazetteer lacks is typed a person by cues that err ("Frances
            // Shuttle"); only the linked are sure.
            Target::Unlinked(_) => false,
        })
        .map(|f| (f.field, f.start, f.end))
        .collect();
    if !names.is_empty() {
        keywords.retain(|hit| {
            !names
                .iter()
                .any(|&(field, start, end)| field == hit.field && (start..end).contains(&hit.start))
        });
    }
    keywords
}

/// Scores topics for an article.
pub(crate) fn score(
    gazetteer: &Gazetteer,
    keywords: &[KeywordHit],
    entities: &[EntityTally],
    layout: &Layout,
    cut: TopicCut,
) -> Vec<Topic> {
    let lexicon = &gazetteer.topics;
    let mut evidence: BTreeMap<u32, Evidence> = BTreeMap::new();
    for hit in keywords {
        let tally = evidence
            .entry(hit.topic)
            .or_default()
            .keywords
            .entry(hit.form)
            .or_insert(KeywordTally {
                title: 0,
                body: 0,
                body_weight: 0.0,
                weight: hit.weight,
                supporting: hit.supporting,
            });
        match hit.field {
            Field::Title => tally.title += 1,
            _ => {
                tally.body += 1;
                tally.body_weight += if layout.in_boilerplate(hit.field, hit.start) {
                    BOILERPLATE_WEIGHT
                } else {
                    1.0
                };
            }
        }
    }
    let length = layout.length_factor();
    for e in evidence.values_mut() {
        for tally in e.keywords.values() {
            let value = tally.evidence() / length;
            if tally.supporting {
                e.supporting += value;
            } else {
                e.own += value;
            }
        }
    }
    for tally in entities {
        let super::mentions::Target::Linked(entity) = tally.target else {
            continue;
        };
        let record = &gazetteer.entities[entity as usize];
        // A row that names its topics says more than its category: the mapping is for the
        // rows that name none.
        let mapped: &[(u32, f32)] = if record.topics.is_empty() {
            gazetteer
                .category_topics
                .get(&record.record.category)
                .map_or(&[], Vec::as_slice)
        } else {
            &[]
        };
        let row = record.topics.iter().map(|&t| (t, 1.0_f32));
        for (topic, weight) in row.chain(mapped.iter().copied()) {
            let value = f64::from(weight) * tally.relevance;
            let e = evidence.entry(topic).or_default();
            e.own += value;
            e.grounds |= weight >= GROUNDING_WEIGHT;
            *e.entities.entry(entity).or_default() += value;
        }
    }
    // Supporting keywords count in the trees that have evidence of another kind.
    let root = |mut topic: u32| {
        while let Some(parent) = lexicon.topics[topic as usize].parent {
            topic = parent;
        }
        topic
    };
    let grounded: BTreeSet<u32> = evidence
        .iter()
        .filter(|(_, e)| e.grounds || e.keywords.values().any(|k| !k.supporting))
        .map(|(&t, _)| root(t))
        .collect();
    for (&topic, e) in evidence.iter_mut() {
        if e.supporting > 0.0 && grounded.contains(&root(topic)) {
            e.own += e.supporting;
        } else {
            e.supporting = 0.0;
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
            // Cut at the figure the caller sees.
            let score = super::response::round(score);
            (score >= cut.min_score && score > 0.0).then_some((score, index, e))
        })
        .collect();
    passing.sort_by(|(a, i, _), (b, j, _)| {
        b.total_cmp(a).then_with(|| {
            lexicon.topics[*i as usize]
                .id
                .cmp(&lexicon.topics[*j as usize].id)
        })
    });
    if cut.max_topics > 0 {
        passing.truncate(cut.max_topics);
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
                    .map(|(&form, tally)| KeywordEvidence {
                        keyword: if form == super::scores::SCORE_FORM {
                            super::scores::SCORE_CUE.to_owned()
                        } else {
                            gazetteer.matcher.form(form).to_owned()
                        },
                        count: tally.title + tally.body,
                        weight: if tally.supporting && e.supporting == 0.0 {
                            0.0
                        } else {
                            tally.evidence() / length
                        },
                        supporting: tally.supporting,
                    })
                    .collect(),
                entity_ids: e
                    .entities
                    .keys()
                    .map(|&i| gazetteer.entities[i as usize].record.id.clone())
                    .collect(),
                entities: if cut.explain {
                    let mut carried: Vec<EntityEvidence> = e
                        .entities
                        .iter()
                        .map(|(&i, &weight)| {
                            let record = &gazetteer.entities[i as usize].record;
                            EntityEvidence {
                                id: record.id.clone(),
                                category: record.category.clone(),
                                weight,
                            }
                        })
                        .collect();
                    carried.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.id.cmp(&b.id)));
                    carried
                } else {
                    Vec::new()
                },
                ..Topic::default()
            }
        })
        .collect()
}
