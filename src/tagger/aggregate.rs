//! Aggregation: resolved mentions grouped per entity, with a relevance that says how much the
//! article is *about* the entity.
//!
//! Each mention weighs `kind × position`: names, aliases and acronyms 1, surnames 0.9,
//! demonyms 0.4 ("Russian troops" says less about Russia than "Russia"); the position weight
//! comes from [`Layout`] (title 3, body 2 → 1, trailing page boilerplate 0.2). Relevance is `0.7 × share + 0.3 × presence`, where share is the entity's weight
//! over the article's heaviest entity and presence `1 − e^(−weight/3)` grows with absolute
//! evidence: the article's main entity gets close to 1, a passing mention stays low.

use std::collections::HashMap;

use super::candidates::Candidate;
use super::layout::Layout;
use super::resolve::Resolved;
use crate::proto::MentionKind;

/// Weight of one mention kind toward relevance.
fn kind_weight(kind: MentionKind) -> f64 {
    match kind {
        MentionKind::Demonym => 0.4,
        MentionKind::Surname => 0.9,
        _ => 1.0,
    }
}

/// The mentions of one entity and its relevance.
#[derive(Debug)]
pub(crate) struct EntityTally {
    pub entity: u32,
    /// Indices into the resolved list, in title-then-body, offset order.
    pub mentions: Vec<usize>,
    pub relevance: f64,
}

/// Groups resolved mentions by entity and scores them. `body_len` is the body's byte length.
pub(crate) fn aggregate(
    candidates: &[Candidate],
    resolved: &[Resolved],
    layout: &Layout,
) -> Vec<EntityTally> {
    let mut by_entity: HashMap<u32, (Vec<usize>, f64)> = HashMap::new();
    for (index, r) in resolved.iter().enumerate() {
        let candidate = &candidates[r.candidate_index];
        let position = layout.weight(candidate.field, candidate.start);
        let entry = by_entity.entry(r.option.entity).or_default();
        entry.0.push(index);
        entry.1 += kind_weight(r.option.kind) * position;
    }
    let heaviest = by_entity.values().map(|(_, w)| *w).fold(0.0, f64::max);
    let mut tallies: Vec<EntityTally> = by_entity
        .into_iter()
        .map(|(entity, (mentions, weight))| {
            let share = if heaviest > 0.0 {
                weight / heaviest
            } else {
                0.0
            };
            let presence = 1.0 - (-weight / 3.0).exp();
            let relevance = (share * (0.35 + 0.65 * presence)).clamp(0.0, 1.0);
            EntityTally {
                entity,
                mentions,
                relevance: (relevance * 10_000.0).round() / 10_000.0,
            }
        })
        .collect();
    for tally in &mut tallies {
        tally.mentions.sort_by_key(|&i| {
            let c = &candidates[resolved[i].candidate_index];
            (c.field as i32, c.start)
        });
    }
    tallies
}
