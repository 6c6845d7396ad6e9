//! Candidates and acceptance: one leftmost-longest pass of the automaton over a normalised
//! field, keeping only whole-word matches whose capitalisation fits the case policy.
//!
//! When the longest match at a word start is rejected (it ends inside a word, or its case does
//! not fit), shorter patterns at the same start are tried with anchored searches, so a rejected
//! long form never hides a valid shorter one ("New York Timesheet" still yields "New York").
//! A match that starts inside a word moves the scan to the next word start.

use aho_corasick::{Anchored, Input, Match};

use crate::gazetteer::{Gazetteer, Payload};
use crate::proto::{Field, MentionKind, SuppressionReason};
use crate::text::{self, Normalised, normalise};

/// An entity a candidate may stand for, after the case policy accepted the text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntityOption {
    pub entity: u32,
    pub kind: MentionKind,
    pub form: u32,
}

/// A topic keyword occurrence.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeywordHit {
    pub topic: u32,
    pub form: u32,
    pub weight: f32,
    pub field: Field,
    /// Original byte offset, for position weighting.
    pub start: usize,
}

/// An accepted whole-word match that may tag an entity.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub field: Field,
    /// The automaton pattern (normalised form) that matched.
    pub pattern: u32,
    /// Original byte offsets.
    pub start: usize,
    pub end: usize,
    pub options: Vec<EntityOption>,
}

/// A candidate rejected before resolution, kept for explain mode.
#[derive(Debug, Clone)]
pub(crate) struct Rejected {
    pub field: Field,
    pub start: usize,
    pub end: usize,
    pub form: String,
    pub entities: Vec<u32>,
    pub reason: SuppressionReason,
    pub detail: String,
}

impl Rejected {
    /// A resolution-stage rejection of a whole candidate.
    pub(crate) fn candidate(
        gazetteer: &Gazetteer,
        candidate: &Candidate,
        reason: SuppressionReason,
        detail: String,
    ) -> Self {
        Self {
            field: candidate.field,
            start: candidate.start,
            end: candidate.end,
            form: gazetteer.matcher.form(candidate.options[0].form).to_owned(),
            entities: candidate.options.iter().map(|o| o.entity).collect(),
            reason,
            detail,
        }
    }
}

/// Everything one field yields.
#[derive(Debug, Default)]
pub(crate) struct FieldScan {
    pub candidates: Vec<Candidate>,
    pub keywords: Vec<KeywordHit>,
    pub rejected: Vec<Rejected>,
}

/// What the payloads of one whole-word match amount to.
enum Verdict {
    /// A stop phrase covers the span: consume it, tag nothing.
    Stop(u32),
    /// Entities (in the options buffer) and/or keywords accepted.
    Accept,
    /// Nothing acceptable; the form of an entity whose case policy refused the text.
    Refused(u32),
}

/// Judges the payloads of `pattern` against the original text of the match. Accepted entity
/// options go to `options` (cleared first), keyword hits straight to `keywords`; nothing is
/// allocated for the common refusals.
fn judge(
    gazetteer: &Gazetteer,
    pattern: usize,
    (original, start): (&str, usize),
    field: Field,
    options: &mut Vec<EntityOption>,
    keywords: &mut Vec<KeywordHit>,
) -> Verdict {
    let matcher = &gazetteer.matcher;
    let payloads = matcher.payloads(pattern);
    if let Some(form) = payloads.iter().find_map(|p| match p {
        Payload::Stop { form } => Some(*form),
        _ => None,
    }) {
        return Verdict::Stop(form);
    }
    options.clear();
    let keywords_before = keywords.len();
    let mut refused_form = 0;
    for payload in payloads {
        match *payload {
            Payload::Entity { entity, kind, form } => {
                let policy = gazetteer.entities[entity as usize].record.case;
                if policy.accepts(matcher.form(form), original) {
                    options.push(EntityOption { entity, kind, form });
                } else {
                    refused_form = form;
                }
            }
            Payload::Keyword {
                topic,
                form,
                weight,
            } => {
                keywords.push(KeywordHit {
                    topic,
                    form,
                    weight,
                    field,
                    start,
                });
            }
            Payload::Stop { .. } => {}
        }
    }
    if options.is_empty() && keywords.len() == keywords_before {
        Verdict::Refused(refused_form)
    } else {
        Verdict::Accept
    }
}

/// The entities a pattern stands for.
fn pattern_entities(gazetteer: &Gazetteer, pattern: usize) -> Vec<u32> {
    gazetteer
        .matcher
        .payloads(pattern)
        .iter()
        .filter_map(|p| match p {
            Payload::Entity { entity, .. } => Some(*entity),
            _ => None,
        })
        .collect()
}

/// Scans one field. `explain` also records what was suppressed and why.
pub(crate) fn scan(
    gazetteer: &Gazetteer,
    original: &str,
    field: Field,
    explain: bool,
) -> FieldScan {
    let normalised = normalise(original);
    let haystack = normalised.text.as_str();
    let automaton = &gazetteer.matcher.automaton;
    let mut scan = FieldScan::default();
    let mut options = Vec::new();
    let mut position = 0;
    while position < haystack.len() {
        let input = Input::new(haystack).span(position..haystack.len());
        let Some(longest) = automaton.find(input) else {
            break;
        };
        if !starts_word(haystack, longest.start()) {
            position = text::next_word_start(haystack, longest.start());
            continue;
        }
        let mut current = Some(longest);
        let mut consumed = None;
        while let Some(found) = current {
            if text::is_whole_word(haystack, found.start(), found.end()) {
                let (start, end) = original_span(&normalised, found);
                let source = &original[start..end];
                match judge(
                    gazetteer,
                    found.pattern().as_usize(),
                    (source, start),
                    field,
                    &mut options,
                    &mut scan.keywords,
                ) {
                    Verdict::Stop(form) => {
                        if explain {
                            let phrase = gazetteer.matcher.form(form).to_owned();
                            record_hidden(
                                gazetteer,
                                &normalised,
                                original,
                                field,
                                found,
                                (&phrase, SuppressionReason::StopPhrase),
                                &mut scan.rejected,
                            );
                            scan.rejected.push(Rejected {
                                field,
                                start,
                                end,
                                form: phrase,
                                entities: Vec::new(),
                                reason: SuppressionReason::StopPhrase,
                                detail: "stop phrase: never tagged".to_owned(),
                            });
                        }
                        consumed = Some(found.end());
                        break;
                    }
                    Verdict::Accept => {
                        if explain {
                            record_hidden(
                                gazetteer,
                                &normalised,
                                original,
                                field,
                                found,
                                (source, SuppressionReason::Overlap),
                                &mut scan.rejected,
                            );
                        }
                        if !options.is_empty() {
                            scan.candidates.push(Candidate {
                                field,
                                pattern: found.pattern().as_u32(),
                                start,
                                end,
                                options: options.clone(),
                            });
                        }
                        consumed = Some(found.end());
                        break;
                    }
                    Verdict::Refused(form) => {
                        if explain {
                            let entities = pattern_entities(gazetteer, found.pattern().as_usize());
                            scan.rejected.push(Rejected {
                                field,
                                start,
                                end,
                                form: gazetteer.matcher.form(form).to_owned(),
                                entities,
                                reason: SuppressionReason::Case,
                                detail: format!(
                                    "capitalisation of {source:?} does not fit the case policy"
                                ),
                            });
                        }
                    }
                }
            }
            current = shorter(automaton, haystack, found);
        }
        position = consumed.unwrap_or_else(|| text::next_word_start(haystack, longest.start()));
    }
    scan
}

fn starts_word(haystack: &str, start: usize) -> bool {
    let first_is_word = haystack[start..]
        .chars()
        .next()
        .is_some_and(text::is_word_char);
    !first_is_word
        || !haystack[..start]
            .chars()
            .next_back()
            .is_some_and(text::is_word_char)
}

/// The longest pattern that starts where `found` starts and ends before `found` ends.
fn shorter(automaton: &aho_corasick::AhoCorasick, haystack: &str, found: Match) -> Option<Match> {
    if found.end() <= found.start() + 1 {
        return None;
    }
    let input = Input::new(haystack)
        .span(found.start()..found.end() - 1)
        .anchored(Anchored::Yes);
    automaton.find(input)
}

fn original_span(normalised: &Normalised, found: Match) -> (usize, usize) {
    (
        normalised.map.original_start(found.start()),
        normalised.map.original_end(found.end()),
    )
}

/// Explain mode: the entity matches hidden inside a winning span (a shorter form at the same
/// start, or a form starting at a later word inside it).
fn record_hidden(
    gazetteer: &Gazetteer,
    normalised: &Normalised,
    original: &str,
    field: Field,
    winner: Match,
    (winner_text, reason): (&str, SuppressionReason),
    rejected: &mut Vec<Rejected>,
) {
    let winner_entities = pattern_entities(gazetteer, winner.pattern().as_usize());
    let haystack = normalised.text.as_str();
    let automaton = &gazetteer.matcher.automaton;
    let mut position = winner.start();
    while position < winner.end() {
        let limit = if position == winner.start() {
            winner.end() - 1
        } else {
            winner.end()
        };
        if position < limit && starts_word(haystack, position) {
            let input = Input::new(haystack)
                .span(position..limit)
                .anchored(Anchored::Yes);
            let mut current = automaton.find(input);
            while let Some(found) = current {
                if text::is_whole_word(haystack, found.start(), found.end()) {
                    let entities = pattern_entities(gazetteer, found.pattern().as_usize());
                    // A form of the winner's own entity inside it is not worth reporting.
                    let own = entities.iter().all(|e| winner_entities.contains(e));
                    if !entities.is_empty() && !own {
                        let (start, end) = original_span(normalised, found);
                        rejected.push(Rejected {
                            field,
                            start,
                            end,
                            form: original[start..end].to_owned(),
                            entities,
                            reason,
                            detail: format!("inside the longer match {winner_text:?}"),
                        });
                        break;
                    }
                }
                current = shorter(automaton, haystack, found);
            }
        }
        position = text::next_word_start(haystack, position);
        while position < winner.end()
            && !haystack[position..]
                .chars()
                .next()
                .is_some_and(text::is_word_char)
        {
            position += haystack[position..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
        }
    }
}
