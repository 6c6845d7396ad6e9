//! The tagging engine: one article in, a [`TagResponse`] out, against one immutable
//! [`Gazetteer`] snapshot. Data flows one way, one file per stage:
//!
//! | stage | file | what it does |
//! |---|---|---|
//! | candidates | `candidates.rs` | normalise, walk the automaton at word starts, accept by boundaries, case and stop phrases |
//! | resolve | `resolve.rs` | set aside name parts (`name_parts.rs`) and sides (`sport.rs`), gather the article's evidence, decide each form: surnames, the one-country acronym and common-word gates |
//! | disambiguate | `disambiguate.rs` | score a shared form's candidates from named features (anchored, placed, team, sport, spelling, priority, prior) with a margin and "none of the above"; the confidence |
//! | discover | `discover/` | names no gazetteer row holds: runs of capitalised words (`mod.rs`), words and headlines (`tokens.rs`), typed by cues (`typing.rs`) |
//! | corefer | `corefer.rs` | surnames, acronyms in parentheses and repeated names join one entity |
//! | aggregate | `aggregate.rs`, `inference.rs` | relevance from position and kind; countries implied by places |
//! | topics | `topics.rs`, `scores.rs`, `model_topics.rs` | IPTC topics from keywords, match scores and entities; the trained models' topics merged in |
//! | response | `response.rs` | offsets converted, options applied, explain written, size bounded |
//!
//! A mention's confidence is set in `disambiguate::confidence` (scored forms), by the
//! constants of `resolve::confidence` (surnames, common words), in `discover/typing.rs`
//! (unlinked names) and `corefer::JOINED`.
//!
//! No I/O, no locks; every stage is a plain function of its inputs.

mod aggregate;
mod bounds;
mod candidates;
mod context;
mod corefer;
mod disambiguate;
mod discover;
mod inference;
pub mod interrupt;
mod layout;
mod mentions;
mod model_topics;
mod name_parts;
mod resolve;
mod response;
mod scores;
mod sport;
mod topics;

pub use bounds::{DEFAULT_MAX_MENTIONS_PER_ENTITY, MAX_RESPONSE_BYTES, MAX_SUPPRESSED};
pub use interrupt::{Interrupt, InterruptReason};
pub use resolve::PRIOR_MARGIN;
pub use topics::DEFAULT_MIN_TOPIC_SCORE;

use crate::gazetteer::Gazetteer;
use crate::proto::{Article, Field, OffsetUnit, TagOptions, TagRequest, TagResponse};
use candidates::Candidate;
use discover::{NameType, Occupant, Occupied};
use mentions::{Found, Target};
use resolve::Resolved;

pub use crate::discovery::Sighting;
pub use discover::DiscoveryRules;

/// Document-level rules that can be switched off, to measure what each adds (the CoNLL
/// evaluation does). Production tagging always uses [`Rules::default`], all on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Person surnames count after the full name ("Vladimir Putin … Putin").
    pub surnames: bool,
    /// A shared form goes to the entity the article names unambiguously elsewhere.
    pub anchoring: bool,
    /// A shared form goes to the one entity whose form the text spells letter for letter.
    pub spelling: bool,
    /// A country name inside a longer proper name ("Bank of Canada") is not a country tag.
    pub name_parts: bool,
    /// Names the gazetteer does not hold, and coreference.
    pub discovery: DiscoveryRules,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            surnames: true,
            anchoring: true,
            spelling: true,
            name_parts: true,
            discovery: DiscoveryRules::default(),
        }
    }
}

/// Why an article cannot be tagged: the caller's mistake, never the server's.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TagError {
    /// Nothing to tag.
    #[error("article has no title and no body: send at least one of them")]
    EmptyArticle,
    /// An enum value this server does not know (a newer client?).
    #[error("unknown {field} value {value}: expected one of {expected}")]
    UnknownEnum {
        field: &'static str,
        value: i32,
        expected: &'static str,
    },
    /// `entity_types` or `categories` naming what this gazetteer never returns: a typo
    /// ("PERSON") would otherwise answer with no entities at all.
    #[error("unknown {field}: {}; this gazetteer has: {}", quoted(.unknown), .known.join(", "))]
    UnknownFilter {
        field: &'static str,
        unknown: Vec<String>,
        known: Vec<String>,
    },
    /// A score threshold outside [0, 1] (or NaN).
    #[error("{field} must be a number from 0 to 1, got {value}")]
    ScoreOutOfRange { field: &'static str, value: f64 },
    /// The tagging stopped before its end: deadline, cancelled call or shutdown.
    #[error("tagging interrupted: {}", match .0 {
        InterruptReason::DeadlineExceeded => "the deadline passed",
        InterruptReason::Cancelled => "the call was cancelled",
        InterruptReason::ShuttingDown => "the server is shutting down; retry on another replica",
    })]
    Interrupted(InterruptReason),
}

/// `"a", "b"`: values as the caller sent them, so a stray space or capital shows.
fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<InterruptReason> for TagError {
    fn from(reason: InterruptReason) -> Self {
        Self::Interrupted(reason)
    }
}

/// Tags the article of a request with its options.
pub fn tag(gazetteer: &Gazetteer, request: &TagRequest) -> Result<TagResponse, TagError> {
    tag_until(gazetteer, request, &Interrupt::never())
}

/// Tags the article of a request with its options, stopping early when `interrupt` says so.
pub fn tag_until(
    gazetteer: &Gazetteer,
    request: &TagRequest,
    interrupt: &Interrupt,
) -> Result<TagResponse, TagError> {
    let default_article = Article::default();
    let article = request.article.as_ref().unwrap_or(&default_article);
    let options = request.options.clone().unwrap_or_default();
    tag_article_until(gazetteer, article, &options, Rules::default(), interrupt)
}

/// Tags one article with explicit rules.
pub fn tag_article(
    gazetteer: &Gazetteer,
    article: &Article,
    options: &TagOptions,
    rules: Rules,
) -> Result<TagResponse, TagError> {
    tag_article_until(gazetteer, article, options, rules, &Interrupt::never())
}

/// Tags one article with explicit rules, checking `interrupt` between the stages and inside
/// the long ones.
pub fn tag_article_until(
    gazetteer: &Gazetteer,
    article: &Article,
    options: &TagOptions,
    rules: Rules,
    interrupt: &Interrupt,
) -> Result<TagResponse, TagError> {
    tag_and_discover(gazetteer, article, options, (rules, false), interrupt).map(|(r, _)| r)
}

/// Tags one article and, with `sightings`, also reports its unlinked entities for the
/// discovery report (the sentence each first appears in, its spellings, its evidence).
pub fn tag_and_discover(
    gazetteer: &Gazetteer,
    article: &Article,
    options: &TagOptions,
    (rules, sightings): (Rules, bool),
    interrupt: &Interrupt,
) -> Result<(TagResponse, Vec<Sighting>), TagError> {
    if article.title.trim().is_empty() && article.body.trim().is_empty() {
        return Err(TagError::EmptyArticle);
    }
    let unit = OffsetUnit::try_from(options.offset_unit).map_err(|_| TagError::UnknownEnum {
        field: "offset_unit",
        value: options.offset_unit,
        expected: "OFFSET_UNIT_UTF8 (1), OFFSET_UNIT_CODEPOINT (2), OFFSET_UNIT_UTF16 (3)",
    })?;
    let unit = if unit == OffsetUnit::Unspecified {
        OffsetUnit::Utf8
    } else {
        unit
    };
    validate(gazetteer, options)?;
    let explain = options.explain;

    interrupt.check()?;
    let title = candidates::scan(gazetteer, &article.title, Field::Title, explain, interrupt)?;
    let body = candidates::scan(gazetteer, &article.body, Field::Body, explain, interrupt)?;
    let mut all = title.candidates;
    all.extend(body.candidates);
    let mut keywords = title.keywords;
    keywords.extend(body.keywords);
    if let Some(cue) = gazetteer.topics.score_cue {
        keywords.extend(scores::hits(cue, &article.title, Field::Title));
        keywords.extend(scores::hits(cue, &article.body, Field::Body));
    }
    let mut rejected = title.rejected;
    rejected.append(body.rejected);
    interrupt.check()?;
    let layout = layout::Layout::of(&article.title, &article.body);
    let texts = (article.title.as_str(), article.body.as_str());
    // Each field's running-text view (its word index once it has been asked often), shared by
    // resolution and discovery.
    let words: [context::Words; 2] = Default::default();
    let story = resolve::Story {
        texts,
        words: &words,
        sport_story: rules.name_parts
            && sport::is_team_sport_story(gazetteer, &keywords, &layout, texts),
        explain,
        interrupt,
    };
    let resolve::Resolution {
        resolved,
        rejected: resolution_rejected,
        teams,
    } = resolve::resolve(gazetteer, &all, &story, rules)?;
    rejected.append(resolution_rejected);
    interrupt.check()?;
    let linked: Vec<Found> = resolved
        .iter()
        .map(|r| {
            let candidate = &all[r.candidate_index];
            Found {
                field: candidate.field,
                start: candidate.start,
                end: candidate.end,
                target: Target::Linked(r.option.entity),
                kind: r.option.kind,
                form: Some(r.option.form),
                rule: r.rule,
                detail: r.detail.clone(),
                confidence: r.confidence,
            }
        })
        .collect();
    let discovery_rules = if options.linked_only {
        DiscoveryRules {
            enabled: false,
            ..rules.discovery
        }
    } else {
        rules.discovery
    };
    let discovered = if discovery_rules.enabled {
        let mut found = Vec::new();
        let [title_words, body_words] = &words;
        for (field, text, stops, words) in [
            (
                Field::Title,
                article.title.as_str(),
                &title.stops,
                title_words,
            ),
            (Field::Body, article.body.as_str(), &body.stops, body_words),
        ] {
            let occupied = occupied(gazetteer, field, &all, (&resolved, &teams), stops);
            found.extend(discover::discover_field(
                &gazetteer.cues,
                text,
                (field, words),
                &occupied,
                (story.sport_story, discovery_rules),
                interrupt,
            )?);
        }
        found
    } else {
        Vec::new()
    };
    interrupt.check()?;
    let (found, unlinked) = corefer::corefer(
        gazetteer,
        (&article.title, &article.body),
        linked,
        discovered,
        discovery_rules,
    );
    let found: Vec<Found> = if options.linked_only {
        found
            .into_iter()
            .filter(|f| matches!(f.target, Target::Linked(_)))
            .collect()
    } else {
        found
    };
    let tallies = aggregate::aggregate(
        &found,
        &layout,
        (!options.no_inferred_countries).then_some(gazetteer),
    );
    let min_topic_score = if options.min_topic_score > 0.0 {
        options.min_topic_score
    } else {
        DEFAULT_MIN_TOPIC_SCORE
    };
    // With models, every lexicon topic first (the models may drop some and add others), and
    // one cut after the merge.
    let keywords = topics::outside_names(gazetteer, keywords, &found);
    let lexicon = topics::score(
        gazetteer,
        &keywords,
        &tallies,
        &layout,
        topics::TopicCut {
            min_score: min_topic_score,
            max_topics: if gazetteer.models.is_empty() {
                options.max_topics as usize
            } else {
                0
            },
            explain,
        },
    );
    let topics = if gazetteer.models.is_empty() {
        lexicon
    } else {
        let entities = model_topics::entities(gazetteer, &tallies, &unlinked);
        model_topics::merge(
            gazetteer,
            (texts, &entities),
            lexicon,
            topics::TopicCut {
                min_score: options.min_topic_score,
                max_topics: options.max_topics as usize,
                explain,
            },
        )
    };
    interrupt.check()?;
    let sightings = if sightings {
        sightings_of(&found, &unlinked, (&article.title, &article.body))
    } else {
        Vec::new()
    };

    let response = response::respond(
        gazetteer,
        article,
        options,
        unit,
        response::Analysis {
            found,
            unlinked,
            tallies,
            topics,
            rejected,
        },
        interrupt,
    )?;
    Ok((response, sightings))
}

/// The types an unlinked name may have (see [`NameType`]).
const UNLINKED_TYPES: [&str; 4] = ["person", "organisation", "location", "misc"];

/// Checks the options against what this gazetteer can return: a filter naming nothing it has,
/// or a threshold outside [0, 1], is the caller's mistake.
pub fn validate(gazetteer: &Gazetteer, options: &TagOptions) -> Result<(), TagError> {
    for (field, value) in [
        ("min_relevance", options.min_relevance),
        ("min_topic_score", options.min_topic_score),
    ] {
        if !(0.0..=1.0).contains(&value) {
            return Err(TagError::ScoreOutOfRange { field, value });
        }
    }
    if !options.entity_types.is_empty() {
        let mut known: Vec<&str> = gazetteer
            .counts_by_type()
            .iter()
            .map(|(t, _)| t.as_str())
            .chain(UNLINKED_TYPES)
            .collect();
        known.sort_unstable();
        known.dedup();
        let unknown: Vec<String> = options
            .entity_types
            .iter()
            .filter(|t| !known.contains(&t.as_str()))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(TagError::UnknownFilter {
                field: "entity_types",
                unknown,
                known: known.into_iter().map(str::to_owned).collect(),
            });
        }
    }
    let categories = gazetteer.categories();
    let unknown_categories: Vec<String> = options
        .categories
        .iter()
        .filter(|c| categories.binary_search(c).is_err())
        .cloned()
        .collect();
    if !unknown_categories.is_empty() {
        return Err(TagError::UnknownFilter {
            field: "categories",
            unknown: unknown_categories,
            known: categories.to_vec(),
        });
    }
    Ok(())
}

/// Spellings a sighting lists at most (the sketch keeps fewer).
const MAX_SIGHTING_VARIANTS: usize = 8;

/// The unlinked entities of an article as the discovery report counts them.
fn sightings_of(
    found: &[Found],
    unlinked: &[mentions::Unlinked],
    texts: (&str, &str),
) -> Vec<Sighting> {
    let mut out: Vec<Sighting> = unlinked
        .iter()
        .map(|u| Sighting {
            id: u.id(),
            entity_type: u.name_type.as_str().to_owned(),
            name: u.name.clone(),
            variants: Vec::new(),
            mentions: 0,
            example: String::new(),
            evidence: u.evidence.join(", "),
        })
        .collect();
    for m in found {
        let Target::Unlinked(u) = m.target else {
            continue;
        };
        let text = if m.field == Field::Title {
            texts.0
        } else {
            texts.1
        };
        let sighting = &mut out[u as usize];
        sighting.mentions += 1;
        if sighting.example.is_empty() {
            sighting.example = sentence_around(text, m.start, m.end).to_owned();
        }
        let spelling = &text[m.start..m.end];
        // Full spellings only: a surname or acronym mention is not a variant of the name.
        if unlinked[u as usize].words > 1
            && spelling.split_whitespace().count() < unlinked[u as usize].words
        {
            continue;
        }
        if spelling != sighting.name
            && sighting.variants.len() < MAX_SIGHTING_VARIANTS
            && !sighting.variants.iter().any(|v| v == spelling)
        {
            sighting.variants.push(spelling.to_owned());
        }
    }
    let mut index = 0;
    out.retain(|s| {
        let keep = s.mentions > 0 && !unlinked[index].team_reading;
        index += 1;
        keep
    });
    out
}

/// The sentence (or line) holding `text[start..end]`, looked for at most
/// [`EXAMPLE_REACH`] bytes either side (a field of one endless line stays linear).
fn sentence_around(text: &str, start: usize, end: usize) -> &str {
    let mut from = start.saturating_sub(EXAMPLE_REACH);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (end + EXAMPLE_REACH).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let from = text[from..start]
        .rfind(['\n', '.', '!', '?'])
        .map_or(from, |i| from + i + 1);
    let to = text[end..to].find(['\n', '!', '?']).map_or(to, |i| end + i);
    let to = text[end..to].find(". ").map_or(to, |i| end + i + 1);
    text[from..to].trim()
}

/// How far an example sentence reaches either side of its mention.
const EXAMPLE_REACH: usize = 200;

/// The type of a linked entity as discovery sees its neighbours.
fn name_type_of(entity_type: &str) -> NameType {
    match entity_type {
        "person" => NameType::Person,
        "organisation" => NameType::Organisation,
        "country" | "location" => NameType::Location,
        _ => NameType::Misc,
    }
}

/// What the gazetteer already holds in one field, sorted by start: tagged mentions and stop
/// phrases (closed to discovery) and untagged places (open, and evidence of a team).
fn occupied(
    gazetteer: &Gazetteer,
    field: Field,
    candidates: &[Candidate],
    (resolved, teams): (&[Resolved], &[usize]),
    stops: &[(usize, usize)],
) -> Vec<Occupied> {
    let mut tagged = vec![false; candidates.len()];
    let mut out: Vec<Occupied> = Vec::with_capacity(resolved.len() + stops.len());
    for r in resolved {
        tagged[r.candidate_index] = true;
        let candidate = &candidates[r.candidate_index];
        if candidate.field == field {
            out.push(Occupied {
                start: candidate.start,
                end: candidate.end,
                what: Occupant::Linked(name_type_of(
                    &gazetteer.entities[r.option.entity as usize]
                        .record
                        .entity_type,
                )),
            });
        }
    }
    for &index in teams {
        let candidate = &candidates[index];
        // A country read as a side is the national team: the gazetteer's country, not a new
        // organisation to name (CoNLL-2003 labels such sides LOC); a city is its club.
        let country = candidate
            .options
            .iter()
            .any(|o| gazetteer.entities[o.entity as usize].record.entity_type == "country");
        if country {
            continue;
        }
        tagged[index] = true;
        if candidate.field == field {
            out.push(Occupied {
                start: candidate.start,
                end: candidate.end,
                what: Occupant::Team,
            });
        }
    }
    for (candidate, _) in candidates
        .iter()
        .zip(&tagged)
        .filter(|(c, tagged)| !**tagged && c.field == field)
    {
        let demonym = candidate
            .options
            .iter()
            .all(|o| o.kind == crate::proto::MentionKind::Demonym);
        let place = candidate.options.iter().any(|o| {
            name_type_of(&gazetteer.entities[o.entity as usize].record.entity_type)
                == NameType::Location
        });
        if demonym || place {
            out.push(Occupied {
                start: candidate.start,
                end: candidate.end,
                what: if demonym {
                    Occupant::Demonym
                } else {
                    Occupant::PlacePart
                },
            });
        }
    }
    out.extend(stops.iter().map(|&(start, end)| Occupied {
        start,
        end,
        what: Occupant::Stop,
    }));
    out.sort_by_key(|o| (o.start, o.end));
    out
}
