//! Resolution: document-level rules that turn candidates into mentions of one entity each.
//!
//! - An entity is *anchored* when the article names it through a form no other entity shares
//!   (a surname does not anchor).
//! - A surname counts only for an anchored person ("Vladimir Putin … Putin").
//! - A form shared by several entities is resolved in this order, by the first rule that leaves
//!   exactly one:
//!   1. the article's own evidence: the one entity the article also names unambiguously;
//!   2. the one whose `within` chain holds an entity the article names, or that holds one
//!      ("Paris … Texas", "Georgia … Atlanta");
//!   3. the one whose form is spelled exactly as in the text ("Nato" vs "NATO");
//!   4. the unique highest `priority` (the generated gazetteers rank categories: a country over
//!      cities and regions, so "Mexico" is the country);
//!   5. the `prior` (population, positions held…), when the most popular is at least
//!      [`PRIOR_MARGIN`] times the next (a region's prior is a third of its population, so
//!      "New York" is the city and "Ontario" the province);
//!   6. else nobody: no tag beats a wrong tag. Two anchored people sharing a surname leave it
//!      unresolved.
//! - A one-word form that is a common English word (`*.words`: "Nice", "Reading", "Next")
//!   capitalised only by its position (title, sentence start, a line in capitals) needs
//!   support: the entity named another way or mid-sentence, or its `within` chain in the article;
//!   an organisation so named needs it everywhere.
//! - A surname after a title ("President Clinton") goes to the person whose prior stands out;
//!   the acronym of an entity with a `within` needs the entity in full or its country named.
//! - Every mention gets a confidence from the rule that decided it.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::fmt::Write as _;

use super::Rules;
use super::candidates::{Candidate, EntityOption, Rejected, Suppressions};
use super::context::{
    NamePart, Words, after_title, beside_capitalised, capitalised_by_position, name_part,
};
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
    /// Only with explain, for a shared form: the candidates and what decided between them.
    pub detail: Option<String>,
    /// How sure the rule is, 0..1.
    pub confidence: f64,
}

/// The most popular entity of a shared form wins on popularity alone only when its `prior`
/// is at least this many times the next one's: Birmingham UK over Birmingham, Alabama, but
/// not Cambridge UK over Cambridge, Massachusetts.
pub const PRIOR_MARGIN: f64 = 2.0;

/// Confidence by deciding rule. A form only one entity has is nearly certain; the article's
/// own evidence next; rules that pick by how the gazetteer ranks entities least.
mod confidence {
    pub const UNIQUE: f64 = 0.95;
    pub const UNIQUE_COMMON_WORD: f64 = 0.8;
    pub const SURNAME: f64 = 0.85;
    pub const ANCHORED: f64 = 0.9;
    pub const WITHIN: f64 = 0.85;
    pub const SPELLING: f64 = 0.8;
    pub const PRIORITY: f64 = 0.75;
    pub const TITLED_SURNAME: f64 = 0.6;
    /// Plus up to 0.4 as the prior's margin widens.
    pub const PRIOR_BASE: f64 = 0.5;
}

/// What the article says about its entities, gathered once before shared forms are resolved.
struct Evidence {
    /// Entities named by a form no other entity has (surnames excepted).
    anchored: HashSet<u32>,
    /// Every entity some anchored entity lies within (its `within` chain).
    containers: HashSet<u32>,
    /// Entities named in a way that supports a common-word reading: by another form, or by
    /// the common word written mid-sentence.
    supported: HashSet<u32>,
    /// Entities named by their name or an alias (not an acronym, demonym or surname).
    named_in_full: HashSet<u32>,
}

impl Evidence {
    /// Whether the article names something on `entity`'s `within` chain, or something within it.
    fn places(&self, gazetteer: &Gazetteer, entity: u32) -> bool {
        self.containers.contains(&entity)
            || ancestors(gazetteer, entity).any(|a| self.anchored.contains(&a))
    }
}

/// The entities `entity` lies within, nearest first (bounded: `within` chains are checked at
/// load time to end).
pub(crate) fn ancestors(gazetteer: &Gazetteer, entity: u32) -> impl Iterator<Item = u32> + '_ {
    std::iter::successors(gazetteer.entities[entity as usize].within, |&e| {
        gazetteer.entities[e as usize].within
    })
    .take(crate::gazetteer::MAX_WITHIN_DEPTH)
}

/// Resolves every candidate of an article (title and body together).
pub(crate) fn resolve(
    gazetteer: &Gazetteer,
    candidates: &[Candidate],
    texts: (&str, &str),
    rules: Rules,
    (rejected, teams, words): (&mut Suppressions, &mut Vec<usize>, &[Words; 2]),
    (explain, sport_story, interrupt): (bool, bool, &Interrupt),
) -> Result<Vec<Resolved>, InterruptReason> {
    // `words`: each field's running-text view (`context::Words`), shared by the name-part and
    // common-word passes (and by discovery after), so a field's tests add up to one budget
    // before its word index.
    let mut suppressed: HashMap<usize, (SuppressionReason, String)> = if rules.name_parts {
        name_parts(gazetteer, candidates, texts, words, interrupt)?
            .into_iter()
            .map(|(i, detail)| (i, (SuppressionReason::NamePart, detail)))
            .collect()
    } else {
        HashMap::new()
    };
    if sport_story {
        for (index, detail) in super::sport::team_readings(gazetteer, candidates, texts, interrupt)?
        {
            if !suppressed.contains_key(&index) {
                teams.push(index);
            }
            suppressed
                .entry(index)
                .or_insert((SuppressionReason::Team, detail));
        }
    }
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
    // Common-word candidates capitalised only by position, by candidate index.
    let mut positional: HashSet<usize> = HashSet::new();
    // Common-word candidates anywhere: an organisation so named ("Gulf", "Swiss", "Next")
    // needs support even mid-sentence, where the capital comes from a place or a people.
    let mut common_word: HashSet<usize> = HashSet::new();
    let mut supported: HashSet<u32> = HashSet::new();
    let mut named_in_full: HashSet<u32> = HashSet::new();
    for (index, candidate) in candidates.iter().enumerate() {
        if suppressed.contains_key(&index) {
            continue;
        }
        if let [only] = candidate.options.as_slice()
            && matches!(only.kind, MentionKind::Name | MentionKind::Alias)
        {
            named_in_full.insert(only.entity);
        }
        let common = gazetteer.common_patterns.contains(&candidate.pattern);
        if common {
            common_word.insert(index);
            let text = field_text(candidate, texts);
            let words = &words[usize::from(candidate.field != Field::Title)];
            if candidate.field == Field::Title
                || capitalised_by_position(text, words, candidate.start, candidate.end)
            {
                positional.insert(index);
                continue;
            }
        }
        if let [only] = candidate.options.as_slice()
            && only.kind != MentionKind::Surname
            && !(common
                && gazetteer.entities[only.entity as usize].record.entity_type == "organisation")
        {
            supported.insert(only.entity);
        }
    }
    let containers: HashSet<u32> = anchored
        .iter()
        .flat_map(|&e| ancestors(gazetteer, e))
        .collect();
    let evidence = Evidence {
        anchored,
        containers,
        supported,
        named_in_full,
    };
    let anchored = &evidence.anchored;
    let mut resolved = Vec::with_capacity(candidates.len());
    for (index, candidate) in candidates.iter().enumerate() {
        if index % CHECK_EVERY_ITEMS == CHECK_EVERY_ITEMS - 1 {
            interrupt.check()?;
        }
        if let Some((reason, detail)) = suppressed.get(&index) {
            if explain {
                rejected
                    .record(|| Rejected::candidate(gazetteer, candidate, *reason, detail.clone()));
            }
            continue;
        }
        let mut options: Vec<EntityOption> = candidate.options.clone();
        let had_surname = options.iter().any(|o| o.kind == MentionKind::Surname);
        options.retain(|o| {
            o.kind != MentionKind::Surname || (rules.surnames && anchored.contains(&o.entity))
        });
        let titled = || after_title(field_text(candidate, texts), candidate.start, candidate.end);
        let outcome = match options.as_slice() {
            [] if had_surname && rules.surnames && titled() => {
                titled_surname(gazetteer, &candidate.options)
            }
            [] if had_surname => Err((
                SuppressionReason::UnresolvedSurname,
                "surname of a person not named in full in this article".to_owned(),
            )),
            [] => continue,
            [only] => Ok(if only.kind == MentionKind::Surname {
                Choice::new(
                    *only,
                    "surname of a person named in full elsewhere in the article",
                    confidence::SURNAME,
                )
            } else if candidate.options.len() == 1 {
                Choice::new(*only, "only entity with this form", confidence::UNIQUE)
            } else {
                Choice::new(
                    *only,
                    "other readings dropped (unresolved surname)",
                    confidence::UNIQUE,
                )
            }),
            many => choose(
                gazetteer,
                many,
                &field_text(candidate, texts)[candidate.start..candidate.end],
                &evidence,
                (rules, explain),
            ),
        };
        // The acronym of an entity of one country ("CPN", "PRE", "IAS") stands for it only
        // where the article names the entity in full or places within that country.
        let outcome = outcome.and_then(|choice| {
            let entity = choice.option.entity;
            if choice.option.kind != MentionKind::Acronym
                || gazetteer.entities[entity as usize].within.is_none()
                || evidence.named_in_full.contains(&entity)
                || evidence.places(gazetteer, entity)
            {
                return Ok(choice);
            }
            Err((
                SuppressionReason::Ambiguous,
                "acronym of an entity of one country, and the article names neither the entity in full nor the country".to_owned(),
            ))
        });
        // A common word capitalised only by its position needs the article's support.
        let outcome = outcome.and_then(|choice| {
            let entity = choice.option.entity;
            let organisation =
                gazetteer.entities[entity as usize].record.entity_type == "organisation";
            let needs_support = positional.contains(&index)
                || (organisation && common_word.contains(&index));
            if !needs_support {
                return Ok(choice);
            }
            if evidence.supported.contains(&entity) || evidence.places(gazetteer, entity) {
                Ok(Choice {
                    rule: "common word, supported by another mention or its place in the article",
                    confidence: choice.confidence.min(confidence::UNIQUE_COMMON_WORD),
                    ..choice
                })
            } else {
                Err((
                    SuppressionReason::CommonWord,
                    "a common English word capitalised only by its position, and nothing else in the article supports the name".to_owned(),
                ))
            }
        });
        match outcome {
            Ok(choice) => resolved.push(Resolved {
                candidate_index: index,
                option: choice.option,
                rule: choice.rule,
                detail: choice.detail,
                confidence: choice.confidence,
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

/// A surname after an office word or honorific ("President Clinton", "Mr Netanyahu") with no
/// full name in the article: the person with that surname whose prior is at least
/// [`PRIOR_MARGIN`] times every other's, else nobody.
fn titled_surname(
    gazetteer: &Gazetteer,
    options: &[EntityOption],
) -> Result<Choice, (SuppressionReason, String)> {
    let mut people: Vec<(f64, EntityOption)> = options
        .iter()
        .filter(|o| o.kind == MentionKind::Surname)
        .map(|o| (gazetteer.entities[o.entity as usize].record.prior, *o))
        .collect();
    people.sort_by(|a, b| b.0.total_cmp(&a.0));
    let second = people.get(1).map_or(0.0, |p| p.0);
    match people.first() {
        Some(&(first, winner)) if first > 0.0 && first >= PRIOR_MARGIN * second => Ok(Choice::new(
            winner,
            "surname after a title, resolved by prior (no full name in the article)",
            confidence::TITLED_SURNAME,
        )),
        _ => Err((
            SuppressionReason::UnresolvedSurname,
            "surname after a title, but no person with it stands out by prior".to_owned(),
        )),
    }
}

/// What resolved a candidate.
struct Choice {
    option: EntityOption,
    rule: &'static str,
    detail: Option<String>,
    confidence: f64,
}

impl Choice {
    fn new(option: EntityOption, rule: &'static str, confidence: f64) -> Self {
        Self {
            option,
            rule,
            detail: None,
            confidence,
        }
    }
}

/// Picks one of several entities sharing a form, or explains why none (see the module
/// documentation for the order of the rules).
fn choose(
    gazetteer: &Gazetteer,
    options: &[EntityOption],
    text: &str,
    evidence: &Evidence,
    (rules, explain): (Rules, bool),
) -> Result<Choice, (SuppressionReason, String)> {
    let mut distinct: Vec<EntityOption> = Vec::with_capacity(options.len());
    for option in options {
        if !distinct.iter().any(|d| d.entity == option.entity) {
            distinct.push(*option);
        }
    }
    if let [only] = distinct.as_slice() {
        return Ok(Choice::new(
            *only,
            "only entity with this form",
            confidence::UNIQUE,
        ));
    }
    let record = |o: &EntityOption| &gazetteer.entities[o.entity as usize].record;
    let ids = |set: &[EntityOption]| {
        set.iter()
            .map(|o| record(o).id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Explain lists every candidate with what the rules look at.
    let detail = |winner: &EntityOption| {
        explain.then(|| {
            let mut out = String::from("candidates: ");
            for (i, o) in distinct.iter().enumerate() {
                let r = record(o);
                let _ = write!(
                    out,
                    "{}{}{} (priority {}, prior {}{})",
                    if i > 0 { "; " } else { "" },
                    if o.entity == winner.entity { "*" } else { "" },
                    r.id,
                    r.priority,
                    r.prior,
                    if evidence.anchored.contains(&o.entity) {
                        ", named elsewhere"
                    } else if evidence.places(gazetteer, o.entity) {
                        ", its place is in the article"
                    } else {
                        ""
                    }
                );
            }
            out
        })
    };
    let decide = |option: EntityOption, rule: &'static str, confidence: f64| Choice {
        option,
        rule,
        detail: detail(&option),
        confidence,
    };
    let in_article: Vec<EntityOption> = if rules.anchoring {
        distinct
            .iter()
            .copied()
            .filter(|o| evidence.anchored.contains(&o.entity))
            .collect()
    } else {
        Vec::new()
    };
    if let [only] = in_article.as_slice() {
        return Ok(decide(
            *only,
            "shared form resolved by another mention of the same entity",
            confidence::ANCHORED,
        ));
    }
    let contenders = if in_article.len() > 1 {
        in_article
    } else {
        distinct.clone()
    };
    if contenders.iter().any(|o| o.kind == MentionKind::Surname) {
        return Err((
            SuppressionReason::Ambiguous,
            format!("surname shared by {}", ids(&contenders)),
        ));
    }
    if rules.anchoring {
        let placed: Vec<EntityOption> = contenders
            .iter()
            .copied()
            .filter(|o| evidence.places(gazetteer, o.entity))
            .collect();
        if let [only] = placed.as_slice() {
            return Ok(decide(
                *only,
                "shared form resolved by the places the article names (within)",
                confidence::WITHIN,
            ));
        }
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
        return Ok(decide(
            *only,
            "shared form resolved by exact spelling",
            confidence::SPELLING,
        ));
    }
    let priority = |o: &EntityOption| record(o).priority;
    let best = contenders.iter().map(priority).max().unwrap_or(0);
    let top: Vec<EntityOption> = contenders
        .iter()
        .copied()
        .filter(|o| priority(o) == best)
        .collect();
    if let [only] = top.as_slice() {
        return Ok(decide(
            *only,
            "shared form resolved by priority",
            confidence::PRIORITY,
        ));
    }
    let mut by_prior: Vec<(f64, EntityOption)> =
        top.iter().map(|o| (record(o).prior, *o)).collect();
    by_prior.sort_by(|a, b| b.0.total_cmp(&a.0));
    if let [(first, winner), (second, _), ..] = by_prior.as_slice()
        && *first > 0.0
        && *first >= PRIOR_MARGIN * second
    {
        let margin = 1.0 - second / first;
        return Ok(decide(
            *winner,
            "shared form resolved by prior (popularity), with a margin",
            ((confidence::PRIOR_BASE + 0.4 * margin) * 10_000.0).round() / 10_000.0,
        ));
    }
    Err((
        SuppressionReason::Ambiguous,
        format!(
            "form shared by {} with equal priority and no prior {PRIOR_MARGIN}× the next",
            ids(&top)
        ),
    ))
}

/// Non-person candidates that are part of a longer proper name, with the reason. A country name
/// used as a person's name ("Neil Jordan") also takes the same bare word elsewhere in the
/// article ("Jordan said"), unless the article names the country in another way.
fn name_parts(
    gazetteer: &Gazetteer,
    candidates: &[Candidate],
    texts: (&str, &str),
    words: &[Words; 2],
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
        let words = &words[usize::from(candidate.field != Field::Title)];
        // Outside running text too, except for countries: results tables are full of people
        // named like towns and companies ("Michael Green ( Jamaica )", "Daniel Komen"), while
        // a country heading a short line still names the country ("U.S. Agriculture
        // Department sees…").
        let country = candidate.options.iter().any(|o| {
            o.kind != MentionKind::Surname
                && gazetteer.entities[o.entity as usize].record.entity_type == "country"
        });
        let Some(part) = name_part(text, words, (candidate.start, candidate.end), !country) else {
            continue;
        };
        // "Adrian Voinea of Romania": a person of the place, not a longer name.
        if let NamePart::Of(_) = &part
            && person_before_of(gazetteer, &text[..candidate.start])
        {
            continue;
        }
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

/// Whether the text before a place ends in "<given name> <Name> of [the]": a person from the
/// place ("Adrian Voinea of Romania"), not an organisation named after it.
fn person_before_of(gazetteer: &Gazetteer, before: &str) -> bool {
    let before = before.trim_end();
    let before = before.strip_suffix(" the").unwrap_or(before);
    let Some(before) = before.strip_suffix(" of") else {
        return false;
    };
    let mut words = before.rsplit(' ');
    let (Some(_surname), Some(given)) = (words.next(), words.next()) else {
        return false;
    };
    gazetteer
        .cues
        .is(crate::gazetteer::cues::Cue::GivenName, given)
}

/// The text of the field a candidate was found in.
fn field_text<'a>(candidate: &Candidate, (title, body): (&'a str, &'a str)) -> &'a str {
    if candidate.field == Field::Title {
        title
    } else {
        body
    }
}
