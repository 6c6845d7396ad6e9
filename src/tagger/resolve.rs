//! Resolution: document-level rules that turn candidates into mentions of one entity each.
//!
//! - An entity is *anchored* when the article names it through a form no other entity shares
//!   (a surname does not anchor).
//! - A surname counts only for an anchored person ("Vladimir Putin … Putin").
//! - Every other form is decided by [`super::disambiguate`]: each candidate entity is scored
//!   from named features (named elsewhere, its place in the article, a team where a sports
//!   story names a side, spelling, priority, prior), and the best wins when it leads the
//!   runner-up by the margin, else nothing is tagged. Two anchored people sharing a surname
//!   leave it unresolved.
//! - A one-word form that is a common English word (`*.words`: "Nice", "Reading", "Next")
//!   capitalised only by its position (title, sentence start, a line in capitals) needs
//!   support: the entity named another way or mid-sentence, or its `within` chain in the article;
//!   an organisation so named needs it everywhere.
//! - A surname after a title ("President Clinton") goes to the person whose prior stands out;
//!   the acronym of an entity with a `within` needs the entity in full or its country named.
//! - Every mention gets a confidence from its lead over the runner-up (or over "none").

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::Rules;
use super::candidates::{Candidate, EntityOption, Rejected, Suppressions};
use super::context::{
    Words, after_a_name, after_head_title, after_place_preposition, after_title,
    capitalised_by_position, names_a_language,
};
use super::disambiguate::{self, Context, Decision, Evidence, Weights};
use super::interrupt::{CHECK_EVERY_ITEMS, Interrupt, InterruptReason};
use super::sport::Reading;
use crate::gazetteer::Gazetteer;
use crate::proto::{Field, MentionKind, SuppressionReason};

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

/// The prior from which the acronym of an entity of one country stands for it even where the
/// article names neither the entity in full nor its country: the BBC (122) in a story that
/// never says Britain, not a party of one country (10) or a provincial university (2).
const ACRONYM_PRIOR: f64 = 100.0;

/// The prior from which an organisation named by a common word ("Apple", "Google", "Target")
/// stands mid-sentence without the article's support: the knowledge base's firms this well
/// known are what a capitalised "Apple" in running text means. At a sentence start or in a
/// headline the word still needs support.
const WELL_KNOWN_ORGANISATION_PRIOR: f64 = 60.0;

/// Confidence of the rules that decide without scoring candidates: a surname after the full
/// name, and one after a title; a common word supported by the article is capped.
mod confidence {
    pub const UNIQUE_COMMON_WORD: f64 = 0.8;
    pub const SURNAME: f64 = 0.85;
    pub const TITLED_SURNAME: f64 = 0.6;
}

/// The article as resolution and discovery see it.
pub(crate) struct Story<'a> {
    /// Title and body.
    pub texts: (&'a str, &'a str),
    /// Each field's running-text view (`context::Words`), shared by the name-part and
    /// common-word tests here and by discovery after, so a field's tests add up to one budget
    /// before its word index.
    pub words: &'a [Words; 2],
    /// A story of sides (see [`super::sport`]): places may name teams.
    pub sport_story: bool,
    pub explain: bool,
    pub interrupt: &'a Interrupt,
}

impl Story<'_> {
    pub(super) fn text_of(&self, candidate: &Candidate) -> &str {
        field_text(candidate, self.texts)
    }

    pub(super) fn words_of(&self, candidate: &Candidate) -> &Words {
        &self.words[usize::from(candidate.field != Field::Title)]
    }
}

/// What resolution decided for an article's candidates.
pub(crate) struct Resolution {
    /// The candidates tagged, each with its one entity.
    pub resolved: Vec<Resolved>,
    /// Why the others were left untagged (kept with explain only).
    pub rejected: Suppressions,
    /// Places a sports story names as sides with no team row to link: discovery names them as
    /// the organisations they are there.
    pub teams: Vec<usize>,
}

/// Resolves every candidate of an article (title and body together): candidates that are
/// parts of longer names or sides with no team row are set aside first, then the article's
/// evidence is gathered, then each remaining candidate is decided.
pub(crate) fn resolve(
    gazetteer: &Gazetteer,
    candidates: &[Candidate],
    story: &Story<'_>,
    rules: Rules,
) -> Result<Resolution, InterruptReason> {
    // The sports the article names, when some candidate is a team (a club, a national team).
    let story_sports = if candidates.iter().any(|c| {
        c.options
            .iter()
            .any(|o| disambiguate::is_team(gazetteer, o.entity))
    }) {
        disambiguate::sports_named(story.texts.0) | disambiguate::sports_named(story.texts.1)
    } else {
        0
    };
    let set_aside = set_aside(gazetteer, candidates, story, rules, story_sports)?;
    story.interrupt.check()?;
    let found = gather(gazetteer, candidates, story, &set_aside);
    let context = Context {
        anchoring: rules.anchoring,
        spelling: rules.spelling,
        sport_story: story.sport_story,
        story_sports,
        ..Context::default()
    };
    let mut resolved = Vec::with_capacity(candidates.len());
    let mut rejected = Suppressions::default();
    for (index, candidate) in candidates.iter().enumerate() {
        if index % CHECK_EVERY_ITEMS == CHECK_EVERY_ITEMS - 1 {
            story.interrupt.check()?;
        }
        if let Some((reason, detail)) = set_aside.suppressed.get(&index) {
            if story.explain {
                rejected
                    .record(|| Rejected::candidate(gazetteer, candidate, *reason, detail.clone()));
            }
            continue;
        }
        let context = Context {
            team_reading: set_aside.team_readings.contains(&index),
            place_reading: set_aside.place_readings.contains_key(&index),
            firm_place: set_aside.place_readings.get(&index) == Some(&true),
            ..context
        };
        let Some(outcome) =
            decide_candidate(gazetteer, candidate, story, rules, &found.evidence, context)
        else {
            continue;
        };
        let outcome = outcome
            .and_then(|choice| acronym_gate(gazetteer, &found.evidence, choice))
            .and_then(|choice| common_word_gate(gazetteer, &found, index, choice));
        match outcome {
            Ok(choice) => resolved.push(Resolved {
                candidate_index: index,
                option: choice.option,
                rule: choice.rule,
                detail: choice.detail,
                confidence: choice.confidence,
            }),
            Err((reason, detail)) => {
                if story.explain {
                    rejected.record(|| Rejected::candidate(gazetteer, candidate, reason, detail));
                }
            }
        }
    }
    Ok(Resolution {
        resolved,
        rejected,
        teams: set_aside.teams,
    })
}

/// Candidates decided before any scoring: parts of longer names, and the places a sports
/// story names as sides.
struct SetAside {
    suppressed: HashMap<usize, (SuppressionReason, String)>,
    /// Candidates with a team row where a sports story names a side: they prefer it.
    team_readings: HashSet<usize>,
    /// Place names whose context in a sports story says place: a team row is not meant;
    /// firmly so (true) where a dateline or a word such as "in" or "at" says it.
    place_readings: HashMap<usize, bool>,
    /// Sides with no team row (a bare place): they tag nothing, and discovery names them.
    teams: Vec<usize>,
}

fn set_aside(
    gazetteer: &Gazetteer,
    candidates: &[Candidate],
    story: &Story<'_>,
    rules: Rules,
    story_sports: disambiguate::Sports,
) -> Result<SetAside, InterruptReason> {
    let mut suppressed: HashMap<usize, (SuppressionReason, String)> = if rules.name_parts {
        super::name_parts::name_parts(gazetteer, candidates, story)?
            .into_iter()
            .map(|(i, detail)| (i, (SuppressionReason::NamePart, detail)))
            .collect()
    } else {
        HashMap::new()
    };
    // "in Spanish", "speaks English": a language, which the demonym's country is not.
    for (index, candidate) in candidates.iter().enumerate() {
        // A country's: "European" is no language.
        let demonym = candidate.options.iter().any(|o| {
            o.kind == MentionKind::Demonym
                && gazetteer.entities[o.entity as usize].record.entity_type == "country"
        }) && candidate
            .options
            .iter()
            .all(|o| matches!(o.kind, MentionKind::Demonym | MentionKind::Surname));
        if demonym
            && !suppressed.contains_key(&index)
            && names_a_language(
                field_text(candidate, story.texts),
                candidate.start,
                candidate.end,
            )
        {
            suppressed.insert(
                index,
                (
                    SuppressionReason::Language,
                    "a nationality word after \"in\", \"from\" or \"speaks\" names a language"
                        .into(),
                ),
            );
        }
    }
    let mut team_readings: HashSet<usize> = HashSet::new();
    let mut place_readings: HashMap<usize, bool> = HashMap::default();
    let mut teams = Vec::new();
    if story.sport_story {
        for (index, reading) in
            super::sport::team_readings(gazetteer, candidates, story.texts, story.interrupt)?
        {
            let detail = match reading {
                Reading::Side(detail) => detail,
                Reading::Place { firm } => {
                    place_readings.insert(index, firm);
                    continue;
                }
            };
            // A team of another sport than the story's is no side: "NEW YORK" in a baseball
            // report is not the city's football club.
            if candidates[index]
                .options
                .iter()
                .any(|o| disambiguate::plays_in_story(gazetteer, o.entity, story_sports))
            {
                team_readings.insert(index);
                continue;
            }
            if !suppressed.contains_key(&index) {
                teams.push(index);
            }
            suppressed
                .entry(index)
                .or_insert((SuppressionReason::Team, detail));
        }
    }
    Ok(SetAside {
        suppressed,
        team_readings,
        place_readings,
        teams,
    })
}

/// What the whole article says before any one candidate is decided.
struct Found {
    evidence: Evidence,
    /// Common-word candidates capitalised only by position, by candidate index.
    positional: HashSet<usize>,
    /// Common-word candidates anywhere: an organisation so named ("Gulf", "Swiss", "Next")
    /// needs support even mid-sentence, where the capital comes from a place or a people.
    common_word: HashSet<usize>,
}

/// The last words of a place's name that say what kind of place it is.
const PLACE_KIND_WORDS: &[&str] = &[
    "oblast",
    "krai",
    "region",
    "province",
    "prefecture",
    "governorate",
    "voivodeship",
    "county",
    "district",
    "state",
    "city",
    "municipality",
    "department",
];

/// Whether `text` names the place `entity` by a name and the word for its kind ("Moscow
/// Oblast", "Quebec City").
fn named_with_its_kind(gazetteer: &Gazetteer, entity: u32, text: &str) -> bool {
    gazetteer.entities[entity as usize].record.entity_type == "location"
        && text.rsplit_once(' ').is_some_and(|(_, last)| {
            PLACE_KIND_WORDS
                .iter()
                .any(|kind| last.eq_ignore_ascii_case(kind))
        })
}

/// The article's evidence: the entities it names through a form no other entity shares
/// (anchored), the places they lie within, those named in full, and those a form names
/// where its capital is not just its position (supported).
fn gather(
    gazetteer: &Gazetteer,
    candidates: &[Candidate],
    story: &Story<'_>,
    set_aside: &SetAside,
) -> Found {
    // A form anchors its one entity. The teams a place names ("Germany" the national side)
    // count only in a sports story: elsewhere "Germany" still anchors the country, and with
    // it everything within it; in a sports story a dateline's "ARLINGTON, Texas" does not
    // anchor the state against the Texas Rangers that "Texas beat Cleveland" names.
    let sole_reading = |candidate: &Candidate| -> Option<EntityOption> {
        let mut readings = candidate
            .options
            .iter()
            .filter(|o| story.sport_story || !disambiguate::is_team(gazetteer, o.entity));
        match (readings.next(), readings.next()) {
            (Some(only), None) => Some(*only),
            _ => None,
        }
    };
    let open = |index: &usize| !set_aside.suppressed.contains_key(index);
    // A place named with the word for its kind ("Moscow Oblast", "Quebec City") lends its
    // containers to the article but does not claim the bare name: "Moscow" after "Lytkarino,
    // Moscow Oblast" is still the city, "Quebec" after "Quebec City" the province.
    let mut kind_named: HashSet<u32> = HashSet::new();
    let mut anchored: HashSet<u32> = HashSet::new();
    for (_, candidate) in candidates.iter().enumerate().filter(|(i, _)| open(i)) {
        let Some(only) = sole_reading(candidate) else {
            continue;
        };
        if only.kind == MentionKind::Surname {
            continue;
        }
        let text = &story.text_of(candidate)[candidate.start..candidate.end];
        if named_with_its_kind(gazetteer, only.entity, text) {
            kind_named.insert(only.entity);
        } else {
            anchored.insert(only.entity);
        }
    }
    let mut positional: HashSet<usize> = HashSet::new();
    let mut common_word: HashSet<usize> = HashSet::new();
    let mut supported: HashSet<u32> = HashSet::new();
    let mut named_in_full: HashSet<u32> = HashSet::new();
    for (index, candidate) in candidates.iter().enumerate() {
        if !open(&index) {
            continue;
        }
        let sole = sole_reading(candidate);
        if let Some(only) = sole
            && matches!(only.kind, MentionKind::Name | MentionKind::Alias)
        {
            named_in_full.insert(only.entity);
        }
        let text = story.text_of(candidate);
        let word_acronym = word_acronym(gazetteer, candidate, text);
        let common = gazetteer.common_patterns.contains(&candidate.pattern) || word_acronym;
        if common {
            common_word.insert(index);
            if candidate.field == Field::Title
                || capitalised_by_position(
                    text,
                    story.words_of(candidate),
                    candidate.start,
                    candidate.end,
                )
                || word_acronym
            {
                positional.insert(index);
                continue;
            }
        }
        // A name the text capitalises where a word would not be (mid-sentence) supports every
        // entity it can name: "in Reading" supports the town and the club that shares its
        // name, and resolution then chooses between them.
        for option in &candidate.options {
            if option.kind != MentionKind::Surname
                && !(common
                    && gazetteer.entities[option.entity as usize]
                        .record
                        .entity_type
                        == "organisation")
            {
                supported.insert(option.entity);
            }
        }
    }
    // "President Clinton" with no full name: the person a titled surname goes to is named for
    // the whole article, as a full name would name him ("Clinton proposes…"), over the
    // places that share the word ("Clinton, Iowa"). Not where a person goes by the word
    // itself ("President Suharto" is Suharto, not a relative who shares the surname), nor
    // where the article names someone else with the surname ("Allison D. Smith … Mr Smith").
    // The surnames the article also writes after another name: one pass over the candidates
    // (every occurrence of a surname is one), not a search of the text per title.
    let after_names: HashSet<&str> = candidates
        .iter()
        .filter(|c| c.options.iter().any(|o| o.kind == MentionKind::Surname))
        .filter(|c| after_a_name(story.text_of(c), c.start))
        .map(|c| &story.text_of(c)[c.start..c.end])
        .collect();
    for (_, candidate) in candidates.iter().enumerate().filter(|(i, _)| open(i)) {
        let text = story.text_of(candidate);
        let person_named = candidate.options.iter().any(|o| {
            o.kind != MentionKind::Surname
                && gazetteer.entities[o.entity as usize].record.entity_type == "person"
        });
        let surname = &text[candidate.start..candidate.end];
        if !person_named
            && !after_names.contains(surname)
            && candidate
                .options
                .iter()
                .any(|o| o.kind == MentionKind::Surname)
            && after_title(text, candidate.start, candidate.end)
            && let Ok(choice) = titled_surname(
                gazetteer,
                &candidate.options,
                after_head_title(text, candidate.start),
            )
        {
            anchored.insert(choice.option.entity);
        }
    }
    let containers: HashSet<u32> = anchored
        .iter()
        .chain(&kind_named)
        .flat_map(|&e| gazetteer.ancestors(e))
        .collect();
    Found {
        evidence: Evidence {
            anchored,
            containers,
            supported,
            named_in_full,
        },
        positional,
        common_word,
    }
}

type Outcome = Result<Choice, (SuppressionReason, String)>;

/// One candidate's entity: a surname goes to the person named in full (or, after a title, to
/// the one whose prior stands out); every other form is scored. `None`: nothing to decide
/// (only surnames of people the rules leave out).
fn decide_candidate(
    gazetteer: &Gazetteer,
    candidate: &Candidate,
    story: &Story<'_>,
    rules: Rules,
    evidence: &Evidence,
    context: Context,
) -> Option<Outcome> {
    let mut options: Vec<EntityOption> = candidate.options.clone();
    let had_surname = options.iter().any(|o| o.kind == MentionKind::Surname);
    let text = story.text_of(candidate);
    let titled = after_title(text, candidate.start, candidate.end);
    options.retain(|o| {
        o.kind != MentionKind::Surname || (rules.surnames && evidence.anchored.contains(&o.entity))
    });
    if had_surname
        && !after_place_preposition(gazetteer, text, candidate.start)
        && let Some(person) = far_better_known_surname(gazetteer, candidate, &options, evidence)
    {
        return Some(Err((
            SuppressionReason::UnresolvedSurname,
            format!(
                "surname of {person}, far better known than the place of that name, who is not named in full in this article"
            ),
        )));
    }
    Some(match options.as_slice() {
        [] if had_surname && rules.surnames && titled => titled_surname(
            gazetteer,
            &candidate.options,
            after_head_title(text, candidate.start),
        ),
        [] if had_surname => Err((
            SuppressionReason::UnresolvedSurname,
            "surname of a person not named in full in this article".to_owned(),
        )),
        [] => return None,
        [only] if only.kind == MentionKind::Surname => Ok(Choice::new(
            *only,
            "surname of a person named in full elsewhere in the article",
            confidence::SURNAME,
        )),
        many => choose(
            gazetteer,
            many,
            &text[candidate.start..candidate.end],
            evidence,
            context,
            story.explain,
        ),
    })
}

/// How many times a person's prior must exceed the places' for a bare surname to read as
/// that person's, not named in full, rather than a small place's: "the Bush administration"
/// (677 against the Egyptian town Būsh's 14), not "Houston" (Whitney Houston, 170, against
/// the city's 636).
const SURNAME_DOMINANCE: f64 = 10.0;

/// The person whose surname the candidate is, when the article does not name them in full
/// but they are [`SURNAME_DOMINANCE`] times better known than every place left to choose
/// from, none of which the article places (its country or region named): the form is then
/// no place at all.
fn far_better_known_surname<'g>(
    gazetteer: &'g Gazetteer,
    candidate: &Candidate,
    left: &[EntityOption],
    evidence: &Evidence,
) -> Option<&'g str> {
    let record = |o: &EntityOption| &gazetteer.entities[o.entity as usize].record;
    if left.is_empty()
        || left
            .iter()
            .any(|o| o.kind == MentionKind::Surname || record(o).entity_type != "location")
        || left.iter().any(|o| evidence.places(gazetteer, o.entity))
    {
        return None;
    }
    let places = left.iter().map(|o| record(o).prior).fold(1.0, f64::max);
    candidate
        .options
        .iter()
        .filter(|o| o.kind == MentionKind::Surname)
        .map(record)
        .filter(|person| person.prior >= SURNAME_DOMINANCE * places)
        .max_by(|a, b| a.prior.total_cmp(&b.prior))
        .map(|person| person.name.as_str())
}

/// Whether the candidate is only an acronym that spells an English word and is not written
/// in capitals in the body: "Share" (which the acronym matches as a four-letter acronym
/// matches "Nato") or "SHARE" in a headline is the word, not the Survey of Health, Ageing and
/// Retirement in Europe. Such a match counts as a common word capitalised by its position: it
/// needs the article's support. "SHARE" or "WHO" in capitals in running text is the acronym.
fn word_acronym(gazetteer: &Gazetteer, candidate: &Candidate, text: &str) -> bool {
    use crate::gazetteer::cues::Cue;
    let Some(mention) = text.get(candidate.start..candidate.end) else {
        return false;
    };
    !candidate.options.is_empty()
        && candidate
            .options
            .iter()
            .all(|o| o.kind == MentionKind::Acronym)
        && gazetteer.cues.is(Cue::CommonWord, mention)
        && (candidate.field == Field::Title || mention.chars().any(char::is_lowercase))
}

/// The acronym of an entity of one country ("CPN", "PRE", "IAS"), or of a brand ("CFTC",
/// "CCC"), stands for it only where the article names the entity in full or places within
/// its country, or the entity is known well enough ([`ACRONYM_PRIOR`]). A few letters name
/// many organisations: in Reuters' commodity news "CFTC" is a US regulator and "CCC" a US
/// credit agency, not the French union and the Polish shoe chain the brand rows know by those
/// letters. (Other organisations without a country, NATO or the IMF, keep their acronyms:
/// their priors are no measure of how well their letters are known.)
fn acronym_gate(gazetteer: &Gazetteer, evidence: &Evidence, choice: Choice) -> Outcome {
    let entity = choice.option.entity;
    let row = &gazetteer.entities[entity as usize];
    if choice.option.kind != MentionKind::Acronym
        || (row.within.is_none() && row.record.category != BRAND_CATEGORY)
        || evidence.named_in_full.contains(&entity)
        || evidence.places(gazetteer, entity)
        || row.record.prior >= ACRONYM_PRIOR
    {
        return Ok(choice);
    }
    Err((
        SuppressionReason::Ambiguous,
        "acronym of a less known entity of one country or brand, and the article names neither the entity in full nor its country".to_owned(),
    ))
}

/// A common word capitalised only by its position (and an organisation other than a club
/// named by a common word anywhere, unless it is [`WELL_KNOWN_ORGANISATION_PRIOR`] well
/// known) needs the article's support: the entity named another way, or its place.
fn common_word_gate(gazetteer: &Gazetteer, found: &Found, index: usize, choice: Choice) -> Outcome {
    let entity = choice.option.entity;
    let record = &gazetteer.entities[entity as usize].record;
    // A club's common word is its nickname, a plural ("the Cowboys", "the Giants"), and
    // capitalised mid-sentence it names the team.
    let organisation = record.entity_type == "organisation" && record.category != "club";
    let needs_support = found.positional.contains(&index)
        || (organisation
            && found.common_word.contains(&index)
            && record.prior < WELL_KNOWN_ORGANISATION_PRIOR);
    if !needs_support {
        return Ok(choice);
    }
    if found.evidence.supported.contains(&entity) || found.evidence.places(gazetteer, entity) {
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
}

/// A surname after an office word or honorific ("President Clinton", "Mr Netanyahu") with no
/// full name in the article: the person with that surname whose prior is at least
/// [`PRIOR_MARGIN`] times every other's, else nobody. After a head of state's or
/// government's title (`head`), only the people who held such an office compete, where
/// there are any: "President Clinton" is the Clinton who was president.
fn titled_surname(gazetteer: &Gazetteer, options: &[EntityOption], head: bool) -> Outcome {
    let surnames = options.iter().filter(|o| o.kind == MentionKind::Surname);
    let is_head = |o: &&EntityOption| {
        gazetteer.entities[o.entity as usize].record.category == HEAD_OF_STATE_CATEGORY
    };
    let heads_only = head && surnames.clone().any(|o| is_head(&o));
    let mut people: Vec<(f64, EntityOption)> = surnames
        .filter(|o| !heads_only || is_head(o))
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

/// The category of people who held a head of state's or government's office.
const HEAD_OF_STATE_CATEGORY: &str = "head-of-state-or-government";

/// The category of the Name Suggestion Index's brands.
const BRAND_CATEGORY: &str = "brand";

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

/// Picks one of the entities of a form by their scores (see [`super::disambiguate`]), or
/// explains why none.
fn choose(
    gazetteer: &Gazetteer,
    options: &[EntityOption],
    text: &str,
    evidence: &Evidence,
    context: Context,
    explain: bool,
) -> Outcome {
    let weights = Weights::default();
    // Two anchored people sharing a surname: neither is more likely.
    let surname_readings: Vec<&EntityOption> = options
        .iter()
        .filter(|o| o.kind == MentionKind::Surname)
        .collect();
    // A surname of an anchored person against another entity the article also names.
    let others_anchored = options.iter().any(|o| {
        o.kind != MentionKind::Surname && context.anchoring && evidence.anchored.contains(&o.entity)
    });
    if surname_readings.len() > 1 || (!surname_readings.is_empty() && others_anchored) {
        let ids = options
            .iter()
            .map(|o| gazetteer.entities[o.entity as usize].record.id.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        return Err((
            SuppressionReason::Ambiguous,
            format!("surname shared by {ids}"),
        ));
    }
    match disambiguate::decide(gazetteer, options, text, evidence, &context, &weights) {
        Decision::Chosen {
            winner,
            lead,
            ranked,
        } => Ok(Choice {
            option: winner.option,
            rule: rule_of(&ranked),
            detail: explain
                .then(|| disambiguate::describe(gazetteer, &ranked, Some(winner.option.entity))),
            confidence: disambiguate::confidence(lead),
        }),
        Decision::Tied { ranked } if ranked.len() == 1 => Err((
            SuppressionReason::Ambiguous,
            format!(
                "the only candidate's type conflicts with the story, so none of them wins; {}",
                disambiguate::describe(gazetteer, &ranked, None)
            ),
        )),
        Decision::Tied { ranked } => Err((
            SuppressionReason::Ambiguous,
            format!(
                "no candidate leads by the margin ({:.2}); {}",
                weights.margin,
                disambiguate::describe(gazetteer, &ranked, None)
            ),
        )),
    }
}

/// The feature that carried a decision, for explain's `rule`: the term by which the winner
/// leads the runner-up most.
fn rule_of(ranked: &[disambiguate::Scored]) -> &'static str {
    let [winner, runner_up, ..] = ranked else {
        return "only entity with this form, scored against none";
    };
    let (w, r) = (winner.score.terms(), runner_up.score.terms());
    let decisive = w
        .iter()
        .zip(r.iter())
        .map(|((name, a), (_, b))| (*name, a - b))
        .fold(("prior", f64::NEG_INFINITY), |best, term| {
            if term.1 > best.1 { term } else { best }
        });
    match decisive.0 {
        "named elsewhere" => "shared form resolved by another mention of the same entity",
        "its place is in the article" => {
            "shared form resolved by the places the article names (within)"
        }
        "team reading" => "shared form resolved as a team named in a sports story",
        "sports story" => "shared form resolved by the kind of person a sports story names",
        "sport of the team" => "shared form resolved by the sport the article names",
        "foreign common phrase" => {
            "shared form resolved against a foreign organisation named by common words"
        }
        "spelled" => "shared form resolved by exact spelling",
        "priority" => "shared form resolved by priority",
        _ => "shared form resolved by prior (popularity), with a margin",
    }
}

/// The text of the field a candidate was found in.
fn field_text<'a>(candidate: &Candidate, (title, body): (&'a str, &'a str)) -> &'a str {
    if candidate.field == Field::Title {
        title
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer;

    const ROWS: &str = "id\ttype\tname\taliases\tacronyms\tcategory\tprior\twithin\n\
country:GB\tcountry\tUnited Kingdom\tBritain\t\tsovereign-state\t1000\n\
country:US\tcountry\tUnited States\t\t\tsovereign-state\t1000\n\
region:il\tlocation\tIllinois\t\t\tregion\t50\tcountry:US\n\
region:ma\tlocation\tMassachusetts\t\t\tregion\t50\tcountry:US\n\
city:birmingham-gb\tlocation\tBirmingham\t\t\tcity\t120\tcountry:GB\n\
city:birmingham-al\tlocation\tBirmingham\t\t\tcity\t20\tcountry:US\n\
city:springfield-il\tlocation\tSpringfield\t\t\tcity\t12\tregion:il\n\
city:springfield-ma\tlocation\tSpringfield\t\t\tcity\t10\tregion:ma\n\
person:jane-doe\tperson\tJane Doe\t\t\tpolitician\t5\n\
person:erdogan\tperson\tRecep Tayyip Erdogan\tErdogan\t\tpolitician\t500\n\
org:dwp\torganisation\tDepartment for Work\t\tDWP\tagency\t3\tcountry:GB\n\
org:apple\torganisation\tApple\t\t\tcompany\t112\n\
org:pear\torganisation\tPear\t\t\tcompany\t5\n";

    fn resolved(text: &str) -> (Vec<String>, Vec<(String, SuppressionReason)>) {
        let gazetteer = Gazetteer::from_files(&[
            gazetteer::file("test.tsv", ROWS),
            gazetteer::file("test.cues", "honorific\tMr\n"),
            gazetteer::file("test.words", "apple\npear\n"),
        ])
        .expect("test rows compile");
        let interrupt = Interrupt::never();
        let candidates =
            super::super::candidates::scan(&gazetteer, text, Field::Body, true, &interrupt)
                .expect("no deadline")
                .candidates;
        let words: [Words; 2] = Default::default();
        let story = Story {
            texts: ("", text),
            words: &words,
            sport_story: false,
            explain: true,
            interrupt: &interrupt,
        };
        let resolution =
            resolve(&gazetteer, &candidates, &story, Rules::default()).expect("no deadline");
        let ids = resolution
            .resolved
            .iter()
            .map(|r| {
                gazetteer.entities[r.option.entity as usize]
                    .record
                    .id
                    .clone()
            })
            .collect();
        let rejected = resolution
            .rejected
            .kept
            .iter()
            .map(|r| (text[r.start..r.end].to_owned(), r.reason))
            .collect();
        (ids, rejected)
    }

    #[test]
    fn a_well_known_firm_named_by_a_common_word_stands_mid_sentence() {
        let text = "Analysts said that Apple and Pear would report on Tuesday.";
        let (ids, rejected) = resolved(text);
        assert_eq!(ids, ["org:apple"]);
        assert_eq!(
            rejected,
            [("Pear".to_owned(), SuppressionReason::CommonWord)]
        );
        // At a sentence start the word still needs the article's support.
        let (ids, _) = resolved("Apple pie was served. Pear tart too.");
        assert!(ids.is_empty(), "{ids:?}");
    }

    #[test]
    fn a_place_that_names_an_event_is_not_tagged() {
        for text in [
            "GOLF - LEADING SCORES AT THE BIRMINGHAM OPEN .",
            "ATHLETICS - BIRMINGHAM GRAND PRIX RESULTS .",
            "She won the United States Open and the Birmingham Marathon.",
        ] {
            let (ids, rejected) = resolved(text);
            assert!(ids.is_empty(), "{text}: {ids:?}");
            assert!(
                rejected
                    .iter()
                    .all(|(_, reason)| *reason == SuppressionReason::NamePart),
                "{text}: {rejected:?}"
            );
        }
        // Lower case after the place is no event name, nor is a word that is not an event's.
        assert_eq!(
            resolved("Birmingham open days and Birmingham races.").0,
            ["city:birmingham-gb", "city:birmingham-gb"]
        );
        assert_eq!(
            resolved("TALKS IN BIRMINGHAM TODAY .").0,
            ["city:birmingham-gb"]
        );
    }

    #[test]
    fn a_surname_needs_the_full_name_in_the_article() {
        let (ids, _) = resolved("Jane Doe spoke. Later Doe left.");
        assert_eq!(ids, ["person:jane-doe", "person:jane-doe"]);
        let (ids, rejected) = resolved("Later Doe left the room.");
        assert!(ids.is_empty());
        assert_eq!(
            rejected,
            [("Doe".to_owned(), SuppressionReason::UnresolvedSurname)]
        );
    }

    #[test]
    fn a_shared_form_goes_to_the_prior_that_stands_out() {
        // 120 against 20: Birmingham, England, with nothing else in the article.
        assert_eq!(resolved("Talks in Birmingham.").0, ["city:birmingham-gb"]);
        // 12 against 10: neither stands out, so nothing is tagged.
        let (ids, rejected) = resolved("Talks in Springfield.");
        assert!(ids.is_empty());
        assert_eq!(
            rejected,
            [("Springfield".to_owned(), SuppressionReason::Ambiguous)]
        );
    }

    #[test]
    fn the_places_an_article_names_decide_a_shared_form() {
        let (ids, _) = resolved("Talks in Springfield, Massachusetts.");
        assert_eq!(ids, ["city:springfield-ma", "region:ma"]);
        // The weaker prior wins where its country is named.
        let (ids, _) = resolved("Talks in Birmingham in the United States.");
        assert_eq!(ids, ["city:birmingham-al", "country:US"]);
    }

    #[test]
    fn an_acronym_of_one_country_needs_that_country() {
        let (ids, rejected) = resolved("The DWP said no.");
        assert!(ids.is_empty());
        assert_eq!(rejected, [("DWP".to_owned(), SuppressionReason::Ambiguous)]);
        let (ids, _) = resolved("In Britain the DWP said no.");
        assert_eq!(ids, ["country:GB", "org:dwp"]);
    }

    #[test]
    fn a_one_word_name_inside_a_longer_name_is_someone_else() {
        let (ids, rejected) = resolved("Police said they arrested Farroukh Erdogan at home.");
        assert!(ids.is_empty());
        assert_eq!(
            rejected,
            [("Erdogan".to_owned(), SuppressionReason::NamePart)]
        );
        // After an honorific, a possessive or a place it is still the person.
        for text in [
            "Talks ended when Mr Erdogan left.",
            "Talks ended when Britain's Erdogan left.",
            "Talks ended when Britain Erdogan left.",
        ] {
            assert_eq!(
                resolved(text).0.last().map(String::as_str),
                Some("person:erdogan"),
                "{text}"
            );
        }
    }
}
