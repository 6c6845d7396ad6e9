//! Inference: the countries an article's places imply. "Madrid" tags Spain even when the
//! article never writes "Spain"; a news desk filing by country expects it.
//!
//! A tagged `location` (city, region) or constituent country implies every entity of type
//! `country` on its `within` chain. Aggregation gives each implied country half the weight of
//! every mention implying it ([`super::aggregate::IMPLIED_WEIGHT`]), so its relevance derives
//! from theirs; a country the article does not name is returned with `inferred = true`, no
//! mentions of its own and `implied_by` listing the mentions that imply it. People and
//! organisations with a `within` (a party's country, a newspaper's state) imply nothing: a
//! party named abroad says little about where a story happens.

use crate::gazetteer::Gazetteer;

/// Types whose `within` chain implies a country.
fn implies(entity_type: &str) -> bool {
    entity_type == "location" || entity_type == "country"
}

/// The countries a mention of `entity` implies, nearest first.
pub(crate) fn implied_countries(
    gazetteer: &Gazetteer,
    entity: u32,
) -> impl Iterator<Item = u32> + '_ {
    let places = implies(&gazetteer.entities[entity as usize].record.entity_type);
    gazetteer
        .ancestors(entity)
        .filter(move |_| places)
        .filter(|&a| gazetteer.entities[a as usize].record.entity_type == "country")
}
