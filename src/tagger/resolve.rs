//! Resolution: document-level rules that turn candidates into mentions of one entity each.
//!
//! - An entity is *anchored* when the article names it through a form no other entity shares
//!   (a surname does not anchor).
//! - A surname counts only for an anchored person ("Vladimir Putin … Putin").
//! - A form shared by several entities goes to the one anchored entity, else to the one whose
//!   form is spelled exactly as in the text ("Nato" vs "NATO"), else to the unique highest
//!   priority, else to nobody: no tag beats a wrong tag. Two anchored people sharing a surname
//!   leave it unresolved.

use std::collections::{HashMap, HashSet};

use super::Rules;
use super::candidates::{Candidate, EntityOption, Rejected, Suppressions};
use super::context::{NamePart, Words, beside_capitalised, name_part};
use super::interrupt::{CHECK_EVERY_ITEMS, Interrupt, InterruptReason};
use crate::gazetteer::Gazetteer;
use crate::proto::{Field, MentionKind, SuppressionReason};
use crate::text::CasePolicy;

/// A candidate resolved to one entity.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub candidate_index: usize,
    pub option: EntityOption,
    /// Which resolution rule decided, for explain mode.
    pub rule: &'static str,
}

/// Resolves every candidate of an article (title and body together).
pub(crate) fn resolve(
    gazetteer: &Gazetteer,
    candidates: &[Candidate],
    texts: (&str, &str),
    rules: Rules,
    rejected: &mut Suppressions,
    (explain, interrupt): (bool, &Interrupt),
) -> Result<Vec<Resolved>, InterruptReason> {
    let suppressed = if rules.name_parts {
        name_parts(gazetteer, candidates, texts, interrupt)?
    } else {
        HashMap::new()
    };
    interrupt.check()?;
    let anchored: HashSet<u32> = candidates
        .iter()
        .enumerate()
        .filter(|(i, _)| !suppressed.contains_key(i))
        .map(|(_, c)| c)
        .filter_map(|c| match c.options.as_slice() {
            [only] if only.kind != MentionKind::Surname => Some(only.entity),
            _ => None,
        })
        .collect();
    let mut resolved = Vec::with_capacity(candidates.len());
    for (index, candidate) in candidates.iter().enumerate() {
        if index % CHECK_EVERY_ITEMS == CHECK_EVERY_ITEMS - 1 {
            interrupt.check()?;
        }
        if let Some(detail) = suppressed.get(&index) {
            if explain {
                rejected.record(|| {
                    Rejected::candidate(
                        gazetteer,
                        candidate,
                        SuppressionReason::NamePart,
                        detail.clone(),
                    )
                });
            }
            continue;
        }
        let mut options: Vec<EntityOption> = candidate.options.clone();
        let had_surname = options.iter().any(|o| o.kind == MentionKind::Surname);
        options.retain(|o| {
            o.kind != MentionKind::Surname || (rules.surnames && anchored.contains(&o.entity))
        });
        let outcome = match options.as_slice() {
            [] if had_surname => Err((
                SuppressionReason::UnresolvedSurname,
                "surname of a person not named in full in this article".to_owned(),
            )),
            [] => continue,
            [only] => Ok((
                *only,
                if only.kind == MentionKind::Surname {
                    "surname of a person named in full elsewhere in the article"
                } else if candidate.options.len() == 1 {
                    "only entity with this form"
                } else {
                    "other readings dropped (unresolved surname)"
                },
            )),
            many => {
                let field_text = if candidate.field == Field::Title {
                    texts.0
                } else {
                    texts.1
                };
                choose(
                    gazetteer,
                    many,
                    &field_text[candidate.start..candidate.end],
                    &anchored,
                    rules,
                )
            }
        };
        match outcome {
            Ok((option, rule)) => resolved.push(Resolved {
                candidate_index: index,
                option,
                rule,
            }),
            Err((reason, detail)) => {
                if explain {
                    rejected.record(|| Rejected::candidate(gazetteer, candidate, reason, detail));
                }
            }
        }
    }
    Ok(resolved)
}

/// Picks one of several entities sharing a form, or explains why none.
fn choose(
    gazetteer: &Gazetteer,
    options: &[EntityOption],
    text: &str,
    anchored: &HashSet<u32>,
    rules: Rules,
) -> Result<(EntityOption, &'static str), (SuppressionReason, String)> {
    let mut distinct: Vec<EntityOption> = Vec::with_capacity(options.len());
    for option in options {
        if !distinct.iter().any(|d| d.entity == option.entity) {
            distinct.push(*option);
        }
    }
    if let [only] = distinct.as_slice() {
        return Ok((*only, "only entity with this form"));
    }
    let ids = |set: &[EntityOption]| {
        set.iter()
            .map(|o| gazetteer.entities[o.entity as usize].record.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let in_article: Vec<EntityOption> = if rules.anchoring {
        distinct
            .iter()
            .copied()
            .filter(|o| anchored.contains(&o.entity))
            .collect()
    } else {
        Vec::new()
    };
    if let [only] = in_article.as_slice() {
        return Ok((
            *only,
            "shared form resolved by another mention of the same entity",
        ));
    }
    let contenders = if in_article.len() > 1 {
        in_article
    } else {
        distinct
    };
    if contenders.iter().any(|o| o.kind == MentionKind::Surname) {
        return Err((
            SuppressionReason::Ambiguous,
            format!("surname shared by {}", ids(&contenders)),
        ));
    }
    // "Nato" written as one entity spells it while another only matches by folding.
    let spelled: Vec<EntityOption> = contenders
        .iter()
        .copied()
        .filter(|o| {
            rules.spelling && CasePolicy::Exact.accepts(gazetteer.matcher.form(o.form), text)
        })
        .collect();
    if let [only] = spelled.as_slice() {
        return Ok((*only, "shared form resolved by exact spelling"));
    }
    let priority = |o: &EntityOption| gazetteer.entities[o.entity as usize].record.priority;
    let best = contenders.iter().map(priority).max().unwrap_or(0);
    let top: Vec<EntityOption> = contenders
        .iter()
        .copied()
        .filter(|o| priority(o) == best)
        .collect();
    match top.as_slice() {
        [only] => Ok((*only, "shared form resolved by priority")),
        _ => Err((
            SuppressionReason::Ambiguous,
            format!("form shared by {} with equal priority", ids(&top)),
        )),
    }
}

/// Non-person candidates that are part of a longer proper name, with the reason. A country name
/// used as a person's name ("Neil Jordan") also takes the same bare word elsewhere in the
/// article ("Jordan said"), unless the article names the country in another way.
fn name_parts(
    gazetteer: &Gazetteer,
    candidates: &[Candidate],
    texts: (&str, &str),
    interrupt: &Interrupt,
) -> Result<HashMap<usize, String>, InterruptReason> {
    // People are named by capitalised word sequences themselves; everything else can be part
    // of a longer name ("U.N. Security Council", "Eric Thomas" for the ERIC consortium).
    let is_country = |c: &Candidate| {
        c.options.iter().all(|o| {
            o.kind == MentionKind::Surname
                || gazetteer.entities[o.entity as usize].record.entity_type != "person"
        }) && c.options.iter().any(|o| o.kind != MentionKind::Surname)
    };
    let mut suppressed = HashMap::new();
    let mut shadowed: HashMap<u32, String> = HashMap::new();
    let mut words: [Option<Words>; 2] = [None, None];
    for (index, candidate) in candidates.iter().enumerate().filter(|(_, c)| is_country(c)) {
        if index % CHECK_EVERY_ITEMS == CHECK_EVERY_ITEMS - 1 {
            interrupt.check()?;
        }
        let text = field_text(candidate, texts);
        let mention = &text[candidate.start..candidate.end];
        // An acronym written as a word ("Nato") next to another capitalised word is more likely
        // a name ("Eric Thomas" is not the ERIC consortium), tables and headings included.
        let acronym_as_word = candidate.options.iter().all(|o| {
            let form = gazetteer.matcher.form(o.form);
            form.chars().all(|c| !c.is_lowercase()) && mention.chars().any(char::is_lowercase)
        });
        if acronym_as_word && beside_capitalised(text, candidate.start, candidate.end) {
            suppressed.insert(
                index,
                format!(
                    "{mention:?} next to another capitalised word reads as a name, not the acronym"
                ),
            );
            continue;
        }
        // Built once per field, for the first candidate that needs it.
        let words = words[usize::from(candidate.field != Field::Title)]
            .get_or_insert_with(|| Words::of(text));
        let Some(part) = name_part(text, words, candidate.start, candidate.end) else {
            continue;
        };
        let detail = match &part {
            NamePart::Followed(word) => format!("part of the longer name {mention:?} + {word:?}"),
            NamePart::Of(head) => format!("part of a name \"{head} of … {mention}\""),
            NamePart::Preceded(word) => {
                shadowed
                    .entry(candidate.pattern)
                    .or_insert_with(|| format!("{word} {mention}"));
                format!("part of the name \"{word} {mention}\"")
            }
        };
        suppressed.insert(index, detail);
    }
    if shadowed.is_empty() {
        return Ok(suppressed);
    }
    // Entities the article also names through a form that is not shadowed keep their tags.
    let named_otherwise: HashSet<u32> = candidates
        .iter()
        .enumerate()
        .filter(|(i, c)| !suppressed.contains_key(i) && !shadowed.contains_key(&c.pattern))
        .flat_map(|(_, c)| c.options.iter().map(|o| o.entity))
        .collect();
    for (index, candidate) in candidates.iter().enumerate() {
        if let Some(name) = shadowed.get(&candidate.pattern)
            && !suppressed.contains_key(&index)
            && !candidate
                .options
                .iter()
                .any(|o| named_otherwise.contains(&o.entity))
        {
            suppressed.insert(
                index,
                format!("the article uses this word as part of the name \"{name}\""),
            );
        }
    }
    Ok(suppressed)
}

/// The text of the field a candidate was found in.
fn field_text<'a>(candidate: &Candidate, (title, body): (&'a str, &'a str)) -> &'a str {
    if candidate.field == Field::Title {
        title
    } else {
        body
    }
}
