//! The tagging engine: one article in, a [`TagResponse`] out, against one immutable
//! [`Gazetteer`] snapshot. Data flows one way:
//!
//! ```text
//! normalise ─► candidates (anchored walks at word starts) ─► accept (boundaries, case, stop
//! phrases) ─► resolve (name parts, sports teams, surnames, shared forms by evidence, rank and
//! prior, common words) ─► aggregate (relevance, countries inferred from places) + topics
//! ─► response
//! ```
//!
//! No I/O, no locks; every stage is a plain function of its inputs.

mod aggregate;
mod bounds;
mod candidates;
mod context;
mod inference;
pub mod interrupt;
mod layout;
mod resolve;
mod sport;
mod topics;

pub use bounds::{DEFAULT_MAX_MENTIONS_PER_ENTITY, MAX_RESPONSE_BYTES, MAX_SUPPRESSED};
pub use interrupt::{Interrupt, InterruptReason};
pub use resolve::PRIOR_MARGIN;
pub use topics::DEFAULT_MIN_TOPIC_SCORE;

use crate::gazetteer::Gazetteer;
use crate::proto::{
    Article, Entity, Explanation, Field, Mention, OffsetUnit, Suppressed, TagOptions, TagRequest,
    TagResponse,
};
use crate::text::offsets::OffsetConverter;
use candidates::Rejected;

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
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            surnames: true,
            anchoring: true,
            spelling: true,
            name_parts: true,
        }
    }
}

/// Why an article cannot be tagged: the caller's mistake, never the server's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
    /// The tagging stopped before its end: deadline, cancelled call or shutdown.
    #[error("tagging interrupted: {}", match .0 {
        InterruptReason::DeadlineExceeded => "the deadline passed",
        InterruptReason::Cancelled => "the call was cancelled",
        InterruptReason::ShuttingDown => "the server is shutting down; retry on another replica",
    })]
    Interrupted(InterruptReason),
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
    let explain = options.explain;
    let max_mentions = bounds::max_mentions(options);

    interrupt.check()?;
    let title = candidates::scan(gazetteer, &article.title, Field::Title, explain, interrupt)?;
    let body = candidates::scan(gazetteer, &article.body, Field::Body, explain, interrupt)?;
    let mut all = title.candidates;
    all.extend(body.candidates);
    let mut keywords = title.keywords;
    keywords.extend(body.keywords);
    let mut rejected = title.rejected;
    rejected.append(body.rejected);
    let mut resolution_rejected = candidates::Suppressions::default();

    interrupt.check()?;
    let layout = layout::Layout::of(&article.title, &article.body);
    let sport_story = rules.name_parts && sport::is_sport_story(gazetteer, &keywords, &layout);
    let resolved = resolve::resolve(
        gazetteer,
        &all,
        (&article.title, &article.body),
        rules,
        &mut resolution_rejected,
        (explain, sport_story, interrupt),
    )?;
    rejected.append(resolution_rejected);
    interrupt.check()?;
    let tallies = aggregate::aggregate(
        &all,
        &resolved,
        &layout,
        (!options.no_inferred_countries).then_some(gazetteer),
    );
    let min_topic_score = if options.min_topic_score > 0.0 {
        options.min_topic_score
    } else {
        DEFAULT_MIN_TOPIC_SCORE
    };
    let topics = topics::score(
        gazetteer,
        &keywords,
        &tallies,
        &layout,
        (min_topic_score, options.max_topics as usize),
    );
    interrupt.check()?;

    let mut converters = [
        OffsetConverter::new(&article.title, unit),
        OffsetConverter::new(&article.body, unit),
    ];
    let mut convert = |field: Field, offset: usize| -> u32 {
        let converter = &mut converters[usize::from(field != Field::Title)];
        u32::try_from(converter.convert(offset)).unwrap_or(u32::MAX)
    };
    let field_text = |field: Field| {
        if field == Field::Title {
            &article.title
        } else {
            &article.body
        }
    };

    let wanted = |entity: u32| {
        let record = &gazetteer.entities[entity as usize].record;
        (options.entity_types.is_empty() || options.entity_types.contains(&record.entity_type))
            && (options.categories.is_empty() || options.categories.contains(&record.category))
    };
    let to_mention = |index: usize, convert: &mut dyn FnMut(Field, usize) -> u32| {
        let r = &resolved[index];
        let candidate = &all[r.candidate_index];
        let record = &gazetteer.entities[r.option.entity as usize].record;
        let form = gazetteer.matcher.form(r.option.form);
        Mention {
            field: candidate.field as i32,
            start: convert(candidate.field, candidate.start),
            end: convert(candidate.field, candidate.end),
            text: field_text(candidate.field)[candidate.start..candidate.end].to_owned(),
            alias: form.to_owned(),
            kind: r.option.kind as i32,
            rule: if explain {
                match &r.detail {
                    Some(detail) => format!("{} case; {}; {detail}", record.case, r.rule),
                    None => format!("{} case; {}", record.case, r.rule),
                }
            } else {
                String::new()
            },
            confidence: r.confidence,
        }
    };
    let mut entities: Vec<Entity> = Vec::with_capacity(tallies.len());
    for tally in &tallies {
        if !wanted(tally.entity) || tally.relevance < options.min_relevance {
            continue;
        }
        let record = &gazetteer.entities[tally.entity as usize].record;
        let listed = tally.mentions.len().min(max_mentions);
        let mentions: Vec<Mention> = tally.mentions[..listed]
            .iter()
            .map(|&index| to_mention(index, &mut convert))
            .collect();
        let implied_by: Vec<Mention> = tally
            .implied_by
            .iter()
            .take(max_mentions)
            .map(|&index| to_mention(index, &mut convert))
            .collect();
        // An inferred country is as sure as the best mention implying it.
        let sources = if tally.inferred {
            &tally.implied_by
        } else {
            &tally.mentions
        };
        entities.push(Entity {
            id: record.id.clone(),
            r#type: record.entity_type.clone(),
            name: record.name.clone(),
            xrefs: record.xrefs.iter().cloned().collect(),
            relevance: tally.relevance,
            mention_count: u32::try_from(tally.mentions.len()).unwrap_or(u32::MAX),
            mentions_truncated: listed < tally.mentions.len(),
            confidence: sources
                .iter()
                .map(|&i| resolved[i].confidence)
                .fold(0.0, f64::max),
            mentions,
            description: record.description.clone(),
            category: record.category.clone(),
            inferred: tally.inferred,
            implied_by,
        });
    }
    entities.sort_by(|a, b| {
        b.relevance
            .total_cmp(&a.relevance)
            .then_with(|| a.id.cmp(&b.id))
    });

    interrupt.check()?;
    let explanation = explain.then(|| {
        let total = rejected.total;
        let mut rejected = rejected.kept;
        rejected.sort_by_key(|r| (r.field as i32, r.start, r.end));
        Explanation {
            suppressed_count: u32::try_from(total).unwrap_or(u32::MAX),
            suppressed: rejected
                .iter()
                .take(MAX_SUPPRESSED)
                .map(|r: &Rejected| Suppressed {
                    field: r.field as i32,
                    start: convert(r.field, r.start),
                    end: convert(r.field, r.end),
                    text: field_text(r.field)[r.start..r.end].to_owned(),
                    alias: r.form.clone(),
                    entity_ids: r
                        .entities
                        .iter()
                        .map(|&e| gazetteer.entities[e as usize].record.id.clone())
                        .collect(),
                    reason: r.reason as i32,
                    detail: r.detail.clone(),
                })
                .collect(),
        }
    });
    let mut response = TagResponse {
        article_id: article.id.clone(),
        gazetteer_version: gazetteer.version.clone(),
        entities,
        topics,
        explanation,
        offset_unit: unit as i32,
        error: None,
        entities_omitted: 0,
    };
    bounds::fit(&mut response, MAX_RESPONSE_BYTES);
    Ok(response)
}
