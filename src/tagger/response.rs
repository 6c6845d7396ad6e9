//! The response: what the stages found in one article, written as the wire form. Offsets are
//! converted to the requested unit, the request's filters (types, categories, relevance) and
//! mention cap applied, explain's texts formatted only when asked, and the whole fitted under
//! the response size bound.

use super::aggregate::EntityTally;
use super::bounds::{self, MAX_RESPONSE_BYTES, MAX_SUPPRESSED};
use super::candidates::{Rejected, Suppressions};
use super::interrupt::{Interrupt, InterruptReason};
use super::mentions::{Found, Target, Unlinked};
use crate::gazetteer::Gazetteer;
use crate::proto::{
    Article, Entity, Explanation, Field, Mention, OffsetUnit, Suppressed, TagOptions, TagResponse,
    Topic,
};
use crate::text::offsets::OffsetConverter;

/// What the stages found in one article.
pub(crate) struct Analysis {
    /// Every mention, linked or not, in text order.
    pub found: Vec<Found>,
    /// The names no gazetteer row holds, indexed by `Target::Unlinked`.
    pub unlinked: Vec<Unlinked>,
    /// One tally per entity, with its relevance.
    pub tallies: Vec<EntityTally>,
    pub topics: Vec<Topic>,
    /// Candidates left untagged, for explain.
    pub rejected: Suppressions,
}

/// The response to one article: entities most relevant first, then topics and, with explain,
/// the suppressed candidates.
pub(crate) fn respond(
    gazetteer: &Gazetteer,
    article: &Article,
    options: &TagOptions,
    unit: OffsetUnit,
    analysis: Analysis,
    interrupt: &Interrupt,
) -> Result<TagResponse, InterruptReason> {
    let Analysis {
        found,
        unlinked,
        tallies,
        topics,
        rejected,
    } = analysis;
    let mut writer = Writer {
        gazetteer,
        article,
        options,
        found: &found,
        unlinked: &unlinked,
        max_mentions: bounds::max_mentions(options),
        converters: [
            OffsetConverter::new(&article.title, unit),
            OffsetConverter::new(&article.body, unit),
        ],
    };
    let mut entities: Vec<Entity> = Vec::with_capacity(tallies.len());
    for tally in &tallies {
        if writer.wanted(tally) {
            entities.push(writer.entity(tally));
        }
    }
    entities.sort_by(|a, b| {
        b.relevance
            .total_cmp(&a.relevance)
            .then_with(|| a.id.cmp(&b.id))
    });
    interrupt.check()?;
    let explanation = options.explain.then(|| writer.explanation(rejected));
    let mut topics = topics;
    for topic in &mut topics {
        topic.score = round(topic.score);
        for keyword in &mut topic.keywords {
            keyword.weight = round(keyword.weight);
        }
        for entity in &mut topic.entities {
            entity.weight = round(entity.weight);
        }
        for feature in &mut topic.features {
            feature.weight = round(feature.weight);
        }
    }
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

/// Scores and confidences to 4 decimals: 0.6, not 0.6000000000000001, and the same figure
/// over gRPC and from the CLI (never a negative zero).
pub(crate) fn round(score: f64) -> f64 {
    (score * 1e4).round() / 1e4 + 0.0
}

/// Writes an analysis's parts in the wire form, offsets converted as it goes.
struct Writer<'a> {
    gazetteer: &'a Gazetteer,
    article: &'a Article,
    options: &'a TagOptions,
    found: &'a [Found],
    unlinked: &'a [Unlinked],
    max_mentions: usize,
    /// Title and body: each converts offsets forward from its last answer.
    converters: [OffsetConverter<'a>; 2],
}

impl Writer<'_> {
    fn convert(&mut self, field: Field, offset: usize) -> u32 {
        let converter = &mut self.converters[usize::from(field != Field::Title)];
        u32::try_from(converter.convert(offset)).unwrap_or(u32::MAX)
    }

    fn field_text(&self, field: Field) -> &str {
        if field == Field::Title {
            &self.article.title
        } else {
            &self.article.body
        }
    }

    /// Whether the request's types, categories and relevance floor keep an entity.
    fn wanted(&self, tally: &EntityTally) -> bool {
        let options = self.options;
        let kept = match tally.target {
            Target::Linked(entity) => {
                let record = &self.gazetteer.entities[entity as usize].record;
                (options.entity_types.is_empty()
                    || options.entity_types.contains(&record.entity_type))
                    && (options.categories.is_empty()
                        || options.categories.contains(&record.category))
            }
            Target::Unlinked(u) => {
                let name_type = self.unlinked[u as usize].name_type.as_str();
                (options.entity_types.is_empty()
                    || options.entity_types.iter().any(|t| t == name_type))
                    && options.categories.is_empty()
            }
        };
        kept && tally.relevance >= options.min_relevance
    }

    fn mention(&mut self, index: usize) -> Mention {
        let gazetteer = self.gazetteer;
        let m = &self.found[index];
        let text = self.field_text(m.field)[m.start..m.end].to_owned();
        let alias = match (m.target, m.form) {
            (Target::Linked(_), Some(form)) => gazetteer.matcher.form(form).to_owned(),
            (Target::Unlinked(u), _) => self.unlinked[u as usize].name.clone(),
            (Target::Linked(entity), None) => {
                gazetteer.entities[entity as usize].record.name.clone()
            }
        };
        // The rule text exists only to explain: without explain nothing is formatted.
        let rule = if self.options.explain {
            let case = match (m.target, m.form) {
                (Target::Linked(entity), Some(_)) => {
                    format!("{} case", gazetteer.entities[entity as usize].record.case)
                }
                _ => "unlinked".to_owned(),
            };
            match &m.detail {
                Some(detail) => format!("{case}; {}; {detail}", m.rule),
                None => format!("{case}; {}", m.rule),
            }
        } else {
            String::new()
        };
        Mention {
            field: m.field as i32,
            start: self.convert(m.field, m.start),
            end: self.convert(m.field, m.end),
            text,
            alias,
            kind: m.kind as i32,
            rule,
            confidence: round(m.confidence),
        }
    }

    fn entity(&mut self, tally: &EntityTally) -> Entity {
        let listed = tally.mentions.len().min(self.max_mentions);
        let mentions: Vec<Mention> = tally.mentions[..listed]
            .iter()
            .map(|&index| self.mention(index))
            .collect();
        let implied_by: Vec<Mention> = tally
            .implied_by
            .iter()
            .take(self.max_mentions)
            .map(|&index| self.mention(index))
            .collect();
        // An inferred country is as sure as the best mention implying it.
        let sources = if tally.inferred {
            &tally.implied_by
        } else {
            &tally.mentions
        };
        let confidence = sources
            .iter()
            .map(|&i| self.found[i].confidence)
            .fold(0.0, f64::max);
        let mention_count = u32::try_from(tally.mentions.len()).unwrap_or(u32::MAX);
        let entity = match tally.target {
            Target::Linked(entity) => {
                let record = &self.gazetteer.entities[entity as usize].record;
                Entity {
                    id: record.id.clone(),
                    r#type: record.entity_type.clone(),
                    name: record.name.clone(),
                    xrefs: record.xrefs.iter().cloned().collect(),
                    description: record.description.clone(),
                    category: record.category.clone(),
                    linked: true,
                    ..Default::default()
                }
            }
            Target::Unlinked(u) => {
                let name = &self.unlinked[u as usize];
                Entity {
                    id: name.id(),
                    r#type: name.name_type.as_str().to_owned(),
                    name: name.name.clone(),
                    description: if self.options.explain {
                        format!(
                            "not in the gazetteer; typed by: {}",
                            name.evidence.join(", ")
                        )
                    } else {
                        String::new()
                    },
                    linked: false,
                    ..Default::default()
                }
            }
        };
        Entity {
            relevance: round(tally.relevance),
            mention_count,
            mentions_truncated: listed < tally.mentions.len(),
            confidence: round(confidence),
            mentions,
            inferred: tally.inferred,
            implied_by,
            ..entity
        }
    }

    /// The suppressed candidates in text order, at most [`MAX_SUPPRESSED`], and how many
    /// there were.
    fn explanation(&mut self, rejected: Suppressions) -> Explanation {
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
                    start: self.convert(r.field, r.start),
                    end: self.convert(r.field, r.end),
                    text: self.field_text(r.field)[r.start..r.end].to_owned(),
                    alias: r.form.clone(),
                    entity_ids: r
                        .entities
                        .iter()
                        .map(|&e| self.gazetteer.entities[e as usize].record.id.clone())
                        .collect(),
                    reason: r.reason as i32,
                    detail: r.detail.clone(),
                })
                .collect(),
        }
    }
}
