//! Lint warnings for `newstag check`: forms that load fine but are likely to tag the wrong
//! thing. Warnings never reject a gazetteer; they are for the editor to review.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use super::{Gazetteer, Payload};
use crate::proto::MentionKind;

static COMMON_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common_words.txt")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect()
});

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// `path:line` of the entity row, or of the first row involved.
    pub location: String,
    pub message: String,
}

/// Lints a compiled gazetteer.
pub fn lint(gazetteer: &Gazetteer) -> Vec<Warning> {
    let matcher = &gazetteer.matcher;
    let mut warnings = Vec::new();
    for (pattern, text) in matcher.patterns.iter().enumerate() {
        let mut entities: BTreeMap<u32, (MentionKind, &str)> = BTreeMap::new();
        for payload in matcher.payloads(pattern) {
            if let Payload::Entity { entity, kind, form } = *payload {
                entities.insert(entity, (kind, matcher.form(form)));
            }
        }
        let Some((&first, &(kind, form))) = entities.iter().next() else {
            continue;
        };
        let record = &gazetteer.entities[first as usize].record;
        let location = format!("{}:{}", record.path, record.line);
        let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
        if entities.len() == 1 && letters < 3 && kind != MentionKind::Acronym {
            warnings.push(Warning {
                location: location.clone(),
                message: format!(
                    "{:?}: {kind:?} {form:?} is under three characters and not an acronym",
                    record.id
                ),
            });
        }
        if COMMON_WORDS.contains(text) {
            let ids: Vec<&str> = entities
                .keys()
                .map(|&e| gazetteer.entities[e as usize].record.id.as_str())
                .collect();
            warnings.push(Warning {
                location: location.clone(),
                message: format!(
                    "{form:?} ({}) is a common lower-case English word; check its case policy",
                    ids.join(", ")
                ),
            });
        }
        if entities.len() > 1 {
            let ids: Vec<&str> = entities
                .keys()
                .map(|&e| gazetteer.entities[e as usize].record.id.as_str())
                .collect();
            warnings.push(Warning {
                location,
                message: format!(
                    "{form:?} is shared by {} entities: {}",
                    ids.len(),
                    ids.join(", ")
                ),
            });
        }
    }
    warnings.sort();
    warnings
}
