//! Candidates and acceptance: one pass over a normalised field that walks the automaton
//! anchored at every word start (see `gazetteer::matcher` for why), keeping only whole-word
//! matches whose capitalisation fits the case policy.
//!
//! Each walk yields every pattern starting there; the longest is tried first and, when it is
//! rejected (it ends inside a word, or its case does not fit), the shorter ones in turn, so a
//! rejected long form never hides a valid shorter one ("New York Timesheet" still yields
//! "New York"). An accepted match consumes its span (leftmost-longest, non-overlapping).

use super::bounds::MAX_SUPPRESSED;
use super::interrupt::{CHECK_EVERY_BYTES, Interrupt, InterruptReason};
use crate::gazetteer::{Gazetteer, Hit, Payload};
use crate::proto::{Field, MentionKind, SuppressionReason};
use crate::text::case::CasePolicy;
use crate::text::{self, Normalised, normalise_while};

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
    /// A supporting keyword: counts only beside the topic's other evidence.
    pub supporting: bool,
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

/// How many rejections one stage keeps for explain mode. Each stage records in (nearly) text
/// order and an explanation lists the first [`MAX_SUPPRESSED`] of all stages in text order, so
/// the first few thousand of each are all that can ever be shown.
const KEEP_SUPPRESSED: usize = 4 * MAX_SUPPRESSED;

/// Rejected candidates of one stage: kept up to [`KEEP_SUPPRESSED`], counted beyond. A field
/// full of rejections ("us who chad turkey …" for a megabyte) would otherwise build a record
/// (three allocations) for each, and sorting them made explain mode super-linear.
#[derive(Debug, Default)]
pub(crate) struct Suppressions {
    pub kept: Vec<Rejected>,
    /// Every rejection recorded, kept or not.
    pub total: usize,
}

impl Suppressions {
    /// Records a rejection; `make` runs only when it is kept.
    pub(crate) fn record(&mut self, make: impl FnOnce() -> Rejected) {
        self.total += 1;
        if self.kept.len() < KEEP_SUPPRESSED {
            self.kept.push(make());
        }
    }

    /// Adds another stage's rejections.
    pub(crate) fn append(&mut self, other: Suppressions) {
        self.total += other.total;
        self.kept.extend(other.kept);
    }
}

/// Everything one field yields.
#[derive(Debug, Default)]
pub(crate) struct FieldScan {
    pub candidates: Vec<Candidate>,
    pub keywords: Vec<KeywordHit>,
    pub rejected: Suppressions,
    /// Original byte spans that stop phrases consumed: no unlinked name is found inside one.
    pub stops: Vec<(usize, usize)>,
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
    // A common name ("Smith", "Georgia") is the same form of many entities under the same
    // policy: each distinct (policy, form) is judged once.
    let mut judged = [(CasePolicy::default(), "", false); 8];
    let mut judged_len = 0;
    for payload in payloads {
        match *payload {
            Payload::Entity {
                entity,
                kind,
                form,
                case: policy,
            } => {
                let text = matcher.form(form);
                let seen = judged[..judged_len]
                    .iter()
                    .find(|&&(p, t, _)| p == policy && t == text);
                let accepted = match seen {
                    Some(&(_, _, accepted)) => accepted,
                    None => {
                        let accepted = policy.accepts(text, original);
                        if judged_len < judged.len() {
                            judged[judged_len] = (policy, text, accepted);
                            judged_len += 1;
                        }
                        accepted
                    }
                };
                if accepted {
                    options.push(EntityOption { entity, kind, form });
                } else {
                    refused_form = form;
                }
            }
            Payload::Keyword {
                topic,
                form,
                weight,
                supporting,
            } => {
                keywords.push(KeywordHit {
                    topic,
                    form,
                    weight,
                    supporting,
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

/// Scans one field. `explain` also records what was suppressed and why. Checks `interrupt`
/// every [`CHECK_EVERY_BYTES`] of the field.
pub(crate) fn scan(
    gazetteer: &Gazetteer,
    original: &str,
    field: Field,
    explain: bool,
    interrupt: &Interrupt,
) -> Result<FieldScan, InterruptReason> {
    let mut stopped = None;
    let normalised = normalise_while(original, || match interrupt.check() {
        Ok(()) => true,
        Err(reason) => {
            stopped = Some(reason);
            false
        }
    });
    let Some(normalised) = normalised else {
        return Err(stopped.unwrap_or(InterruptReason::Cancelled));
    };
    let mut next_check = CHECK_EVERY_BYTES;
    let haystack = normalised.text.as_str();
    let bytes = haystack.as_bytes();
    let matcher = &gazetteer.matcher;
    let mut scan = FieldScan::default();
    let mut options = Vec::new();
    let mut hits = Vec::new();
    // Where the text starts with a lower-case letter, only the patterns such a text can match
    // need walking; explain mode walks them all, to report the ones the case policy refused.
    let split_lower_start = !explain
        && matcher.splits_lower_start()
        && crate::text::case::keeps_word_boundaries(original);
    let original_bytes = original.as_bytes();
    let mut segment = 0;
    let mut position = 0;
    // Whether the character before `position` is a word character.
    let mut after_word = false;
    while position < bytes.len() {
        if position >= next_check {
            interrupt.check()?;
            next_check = position + CHECK_EVERY_BYTES;
        }
        let (is_word, len) = text::word_char_at(haystack, position);
        // Inside a word nothing can start: whole-word matches begin at a word start, and
        // patterns that begin with punctuation may begin anywhere.
        if (after_word && is_word) || !matcher.can_start(bytes[position]) {
            (position, after_word) = step_over(haystack, position, (is_word, len));
            continue;
        }
        let lower_start = split_lower_start
            && original_bytes
                .get(normalised.map.original_start_from(&mut segment, position))
                .is_some_and(u8::is_ascii_lowercase);
        // Most walks at a word find nothing whole: the filter of first words skips them.
        let word_end = if is_word {
            text::next_word_start(haystack, position)
        } else {
            position
        };
        if is_word && !matcher.may_match_word(&haystack[position..word_end], lower_start) {
            (position, after_word) = (word_end, true);
            continue;
        }
        if lower_start {
            matcher.matches_at_lower_start(haystack, position, bytes.len(), &mut hits);
        } else {
            matcher.matches_at(haystack, position, bytes.len(), &mut hits);
        }
        let mut consumed = None;
        // Longest first: a rejected long form falls back to a shorter one at the same start.
        for &hit in hits.iter().rev() {
            if !text::is_whole_word(haystack, position, hit.end) {
                continue;
            }
            let (start, end) = original_span(&normalised, position, hit.end);
            let source = &original[start..end];
            match judge(
                gazetteer,
                hit.pattern as usize,
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
                            (&normalised, original),
                            field,
                            (position, hit),
                            (&phrase, SuppressionReason::StopPhrase),
                            &mut scan.rejected,
                        );
                        scan.rejected.record(|| Rejected {
                            field,
                            start,
                            end,
                            form: phrase,
                            entities: Vec::new(),
                            reason: SuppressionReason::StopPhrase,
                            detail: "stop phrase: never tagged".to_owned(),
                        });
                    }
                    scan.stops.push((start, end));
                    consumed = Some(hit.end);
                    break;
                }
                Verdict::Accept => {
                    if explain {
                        record_hidden(
                            gazetteer,
                            (&normalised, original),
                            field,
                            (position, hit),
                            (source, SuppressionReason::Overlap),
                            &mut scan.rejected,
                        );
                    }
                    if !options.is_empty() {
                        scan.candidates.push(Candidate {
                            field,
                            pattern: hit.pattern,
                            start,
                            end,
                            options: options.clone(),
                        });
                    }
                    consumed = Some(hit.end);
                    break;
                }
                Verdict::Refused(form) => {
                    if explain {
                        scan.rejected.record(|| Rejected {
                            field,
                            start,
                            end,
                            form: gazetteer.matcher.form(form).to_owned(),
                            entities: pattern_entities(gazetteer, hit.pattern as usize),
                            reason: SuppressionReason::Case,
                            detail: format!(
                                "capitalisation of {source:?} does not fit the case policy"
                            ),
                        });
                    }
                }
            }
        }
        match consumed {
            Some(end) => {
                after_word = haystack[..end]
                    .chars()
                    .next_back()
                    .is_some_and(text::is_word_char);
                position = end;
            }
            None if is_word => (position, after_word) = (word_end, true),
            None => (position, after_word) = (position + len, false),
        }
    }
    Ok(scan)
}

/// Where the scan goes when nothing was consumed at `position`: past the rest of the word
/// (nothing starts inside a word), or past one non-word character. Also returns whether the
/// character before the new position is a word character.
fn step_over(haystack: &str, position: usize, (is_word, len): (bool, usize)) -> (usize, bool) {
    if is_word {
        (text::next_word_start(haystack, position), true)
    } else {
        (position + len, false)
    }
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

fn original_span(normalised: &Normalised, start: usize, end: usize) -> (usize, usize) {
    (
        normalised.map.original_start(start),
        normalised.map.original_end(end),
    )
}

/// Explain mode: the entity matches hidden inside a winning span (a shorter form at the same
/// start, or a form starting at a later word inside it).
fn record_hidden(
    gazetteer: &Gazetteer,
    (normalised, original): (&Normalised, &str),
    field: Field,
    (winner_start, winner): (usize, Hit),
    (winner_text, reason): (&str, SuppressionReason),
    rejected: &mut Suppressions,
) {
    let winner_entities = pattern_entities(gazetteer, winner.pattern as usize);
    let haystack = normalised.text.as_str();
    let mut hits = Vec::new();
    let mut position = winner_start;
    while position < winner.end {
        let limit = if position == winner_start {
            winner.end - 1
        } else {
            winner.end
        };
        if position < limit && starts_word(haystack, position) {
            gazetteer
                .matcher
                .matches_at(haystack, position, limit, &mut hits);
            for found in hits.iter().rev() {
                if text::is_whole_word(haystack, position, found.end) {
                    let entities = pattern_entities(gazetteer, found.pattern as usize);
                    // A form of the winner's own entity inside it is not worth reporting.
                    let own = entities.iter().all(|e| winner_entities.contains(e));
                    if !entities.is_empty() && !own {
                        let (start, end) = original_span(normalised, position, found.end);
                        rejected.record(|| Rejected {
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
            }
        }
        position = text::next_word_start(haystack, position);
        while position < winner.end
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
