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
    /// What kind of finding, for the per-kind summary of `newstag check`.
    pub kind: LintKind,
    /// `path:line` of the entity row, or of the first row involved.
    pub location: String,
    pub message: String,
    /// How many entities the finding involves (the summary lists the largest first).
    pub weight: usize,
}

/// The kinds of lint finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LintKind {
    /// A form under three characters that is not an acronym.
    ShortForm,
    /// A form that is a common lower-case English word.
    CommonWord,
    /// A form several entities share that rank or popularity decides without article evidence.
    SharedForm,
    /// A form several entities share with equal priority and no prior margin: tagged only
    /// where the article's own evidence decides.
    UndecidedSharedForm,
}

impl LintKind {
    /// The kind as `newstag check` prints it.
    pub fn label(self) -> &'static str {
        match self {
            LintKind::ShortForm => "short form",
            LintKind::CommonWord => "common word",
            LintKind::SharedForm => "shared form (priority or prior decides)",
            LintKind::UndecidedSharedForm => "shared form (only article evidence decides)",
        }
    }
}

/// Lints a compiled gazetteer.
pub fn lint(gazetteer: &Gazetteer) -> Vec<Warning> {
    let matcher = &gazetteer.matcher;
    let mut warnings = Vec::new();
    for (pattern, text) in matcher.patterns.iter().enumerate() {
        let mut entities: BTreeMap<u32, (MentionKind, &str)> = BTreeMap::new();
        for payload in matcher.payloads(pattern) {
            if let Payload::Entity {
                entity, kind, form, ..
            } = *payload
            {
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
                kind: LintKind::ShortForm,
                weight: 1,
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
                kind: LintKind::CommonWord,
                weight: ids.len(),
                location: location.clone(),
                message: format!(
                    "{form:?} ({}) is a common lower-case English word; check its case policy",
                    ids.join(", ")
                ),
            });
        }
        // Surnames are shared by design: they count only after the full name.
        let named: Vec<u32> = entities
            .iter()
            .filter(|(_, (kind, _))| *kind != MentionKind::Surname)
            .map(|(&e, _)| e)
            .collect();
        if named.len() > 1 {
            let ids: Vec<&str> = named
                .iter()
                .map(|&e| gazetteer.entities[e as usize].record.id.as_str())
                .collect();
            let kind = if decided_without_evidence(gazetteer, &named) {
                LintKind::SharedForm
            } else {
                LintKind::UndecidedSharedForm
            };
            warnings.push(Warning {
                kind,
                weight: ids.len(),
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

/// Whether resolution picks one of `entities` with no evidence from the article: a unique
/// highest priority, or among those a prior at least the margin times the next.
fn decided_without_evidence(gazetteer: &Gazetteer, entities: &[u32]) -> bool {
    let record = |e: u32| &gazetteer.entities[e as usize].record;
    let best = entities
        .iter()
        .map(|&e| record(e).priority)
        .max()
        .unwrap_or(0);
    let mut priors: Vec<f64> = entities
        .iter()
        .filter(|&&e| record(e).priority == best)
        .map(|&e| record(e).prior)
        .collect();
    if priors.len() == 1 {
        return true;
    }
    priors.sort_by(|a, b| b.total_cmp(a));
    priors[0] > 0.0 && priors[0] >= crate::tagger::PRIOR_MARGIN * priors[1]
}
