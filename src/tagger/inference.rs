//! Inference: the countries an article's places imply. "Madrid" tags Spain even when the
//! article never writes "Spain"; a news desk filing by country expects it.
//!
//! A tagged `location` (city, region) or constituent country implies every entity of type
//! `country` on its `within` chain. An implied country the article does not name is returned
//! with `inferred = true`, no mentions of its own, `implied_by` listing the mentions that imply
//! it, and relevance [`INFERRED_SHARE`] of the most relevant entity implying it, so it ranks
//! just below the places that imply it. People and organisations with a `within` (a party's
//! country, a newspaper's state) imply nothing: a party named abroad says little about where a
//! story happens.

use super::aggregate::EntityTally;
use super::resolve::{Resolved, ancestors};
use crate::gazetteer::Gazetteer;

/// An inferred country's relevance relative to the most relevant place implying it.
pub(crate) const INFERRED_SHARE: f64 = 0.8;

/// A country implied by the places of an article.
#[derive(Debug)]
pub(crate) struct Implied {
    pub entity: u32,
    /// Whether the article also names the country itself.
    pub named: bool,
    /// Indices into the resolved list of the mentions implying it, in text order.
    pub mentions: Vec<usize>,
    pub relevance: f64,
    pub confidence: f64,
}

/// Types whose `within` chain implies a country.
fn implies(entity_type: &str) -> bool {
    entity_type == "location" || entity_type == "country"
}

/// The countries implied by the tallied places, in first-mention order.
pub(crate) fn implied_countries(
    gazetteer: &Gazetteer,
    tallies: &[EntityTally],
    resolved: &[Resolved],
) -> Vec<Implied> {
    let mut out: Vec<Implied> = Vec::new();
    for tally in tallies {
        let record = &gazetteer.entities[tally.entity as usize].record;
        if !implies(&record.entity_type) {
            continue;
        }
        let confidence = tally
            .mentions
            .iter()
            .map(|&i| resolved[i].confidence)
            .fold(0.0, f64::max);
        for country in ancestors(gazetteer, tally.entity)
            .filter(|&a| gazetteer.entities[a as usize].record.entity_type == "country")
        {
            let slot = match out.iter().position(|i| i.entity == country) {
                Some(slot) => slot,
                None => {
                    out.push(Implied {
                        entity: country,
                        named: tallies.iter().any(|t| t.entity == country),
                        mentions: Vec::new(),
                        relevance: 0.0,
                        confidence: 0.0,
                    });
                    out.len() - 1
                }
            };
            let implied = &mut out[slot];
            implied.mentions.extend(&tally.mentions);
            implied.relevance = implied
                .relevance
                .max((INFERRED_SHARE * tally.relevance * 10_000.0).round() / 10_000.0);
            implied.confidence = implied.confidence.max(confidence);
        }
    }
    for implied in &mut out {
        implied.mentions.sort_unstable();
        implied.mentions.dedup();
    }
    out
}
