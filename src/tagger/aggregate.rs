//! Aggregation: resolved mentions grouped per entity, with a relevance that says how much the
//! article is *about* the entity.
//!
//! Each mention weighs `kind × position`: names, aliases and acronyms 1, surnames 0.9,
//! unlinked names 0.6, demonyms 0.4 ("Russian troops" says less about Russia than "Russia");
//! the position weight comes from [`Layout`] (title 3, body 2 → 1, trailing page boilerplate 0.2). Relevance is `0.7 × share + 0.3 × presence`, where share is the entity's weight
//! over the article's heaviest entity and presence `1 − e^(−weight/3)` grows with absolute
//! evidence: the article's main entity gets close to 1, a passing mention stays low.

use foldhash::{HashMap, HashMapExt};

use super::layout::Layout;
use super::mentions::{Found, Target};
use crate::gazetteer::Gazetteer;
use crate::proto::MentionKind;

/// Share of a place mention's weight its countries get: a story about Houston and Dallas is
/// about the United States too, less than one that names it.
pub(crate) const IMPLIED_WEIGHT: f64 = 0.5;

/// Weight of one mention kind toward relevance.
fn kind_weight(kind: MentionKind) -> f64 {
    match kind {
        MentionKind::Demonym => 0.4,
        MentionKind::Surname => 0.9,
        // A name the gazetteer does not hold, typed from evidence: less sure than a gazetteer
        // match, so it weighs less toward what the article is about.
        MentionKind::Unlinked => 0.6,
        _ => 1.0,
    }
}

/// The mentions of one entity and its relevance.
#[derive(Debug)]
pub(crate) struct EntityTally {
    pub target: Target,
    /// Indices into the mention list, in title-then-body, offset order.
    pub mentions: Vec<usize>,
    /// Mentions of places within this country that imply it (see [`super::inference`]).
    pub implied_by: Vec<usize>,
    /// A country only the article's places imply: no mentions of its own.
    pub inferred: bool,
    pub relevance: f64,
}

/// Groups resolved mentions by entity and scores them. With `infer`, the countries that
/// tagged places lie within also get [`IMPLIED_WEIGHT`] of each such mention's weight, and a
/// country only so implied becomes an inferred entity.
pub(crate) fn aggregate(
    found: &[Found],
    layout: &Layout,
    infer: Option<&Gazetteer>,
) -> Vec<EntityTally> {
    #[derive(Default)]
    struct Sum {
        mentions: Vec<usize>,
        implied_by: Vec<usize>,
        weight: f64,
    }
    let mut by_entity: HashMap<Target, Sum> = HashMap::new();
    for (index, m) in found.iter().enumerate() {
        let position = layout.weight(m.field, m.start);
        let weight = kind_weight(m.kind) * position;
        let entry = by_entity.entry(m.target).or_default();
        entry.mentions.push(index);
        entry.weight += weight;
        if let (Some(gazetteer), Target::Linked(entity)) = (infer, m.target) {
            for country in super::inference::implied_countries(gazetteer, entity) {
                let entry = by_entity.entry(Target::Linked(country)).or_default();
                entry.implied_by.push(index);
                entry.weight += IMPLIED_WEIGHT * weight;
            }
        }
    }
    let heaviest = by_entity.values().map(|s| s.weight).fold(0.0, f64::max);
    let mut tallies: Vec<EntityTally> = by_entity
        .into_iter()
        .map(|(target, sum)| {
            let Sum {
                mentions,
                implied_by,
                weight,
            } = sum;
            let share = if heaviest > 0.0 {
                weight / heaviest
            } else {
                0.0
            };
            let presence = 1.0 - (-weight / 3.0).exp();
            let relevance = (share * (0.35 + 0.65 * presence)).clamp(0.0, 1.0);
            EntityTally {
                target,
                inferred: mentions.is_empty(),
                mentions,
                implied_by,
                relevance: (relevance * 10_000.0).round() / 10_000.0,
            }
        })
        .collect();
    for tally in &mut tallies {
        tally
            .mentions
            .sort_by_key(|&i| (found[i].field as i32, found[i].start));
        tally
            .implied_by
            .sort_by_key(|&i| (found[i].field as i32, found[i].start));
    }
    tallies
}
