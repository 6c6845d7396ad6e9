//! Topics from the trained models of the gazetteer directory (`*.model`, see
//! [`crate::classifier`]), combined with the lexicon's.
//!
//! The article's features are those the trainer saw: its words and word pairs, and the
//! entities tagged in it ([`entities`]), counted by hash straight from the text
//! ([`crate::classifier::Model::vector_of`]). A label is returned when its probability reaches the
//! threshold chosen at training time — a lower one when it is the article's top label — and
//! the request's `min_topic_score`, when it sets one.
//! For a label the model knows, the model's probability is the topic's score: a model trained
//! on the newsroom's own labels is the better judge, so the lexicon's score for that topic is
//! replaced (its keyword and entity evidence stays listed), and a lexicon topic the model
//! rejects is dropped. Topics the model does not know keep the lexicon's score.

use super::aggregate::EntityTally;
use super::mentions::{Target, Unlinked};
use crate::gazetteer::Gazetteer;
use crate::proto::{FeatureEvidence, Topic};

/// Features listed per topic with `explain`.
const EXPLAINED_FEATURES: usize = 8;

/// An entity as features see it: id, type, category.
pub(crate) type EntityKey<'a> = (&'a str, &'a str, &'a str);

/// The entities the article's features count: (id, type, category) of each tagged entity,
/// `unlinked:` for names no row holds — what the trainer reads from a response.
pub(crate) fn entities<'a>(
    gazetteer: &'a Gazetteer,
    tallies: &[EntityTally],
    unlinked: &[Unlinked],
) -> Vec<EntityKey<'a>> {
    tallies
        .iter()
        .filter_map(|tally| match tally.target {
            Target::Linked(entity) => {
                let record = &gazetteer.entities.get(entity as usize)?.record;
                Some((
                    record.id.as_str(),
                    record.entity_type.as_str(),
                    record.category.as_str(),
                ))
            }
            Target::Unlinked(index) => {
                let name = unlinked.get(index as usize)?;
                Some(("unlinked:", name.name_type.as_str(), ""))
            }
        })
        .collect()
}

/// Merges the models' topics into the lexicon's `topics` (already cut at the request's
/// threshold), then ranks and cuts again.
pub(crate) fn merge(
    gazetteer: &Gazetteer,
    (texts, entities): ((&str, &str), &[EntityKey<'_>]),
    mut topics: Vec<Topic>,
    cut: super::topics::TopicCut,
) -> Vec<Topic> {
    for loaded in &gazetteer.models {
        let model = &loaded.model;
        let vector = model.vector_of(texts, entities.iter().copied());
        let accepted: Vec<_> = model
            .accepted(&vector)
            .into_iter()
            .filter(|p| super::response::round(p.probability) >= cut.min_score)
            .collect();
        // The model says no: a lexicon topic it knows and does not return goes too.
        topics.retain(|topic| {
            model
                .label_index(&topic.id)
                .is_none_or(|label| accepted.iter().any(|p| p.label == label))
        });
        for prediction in &accepted {
            let label = &model.labels[prediction.label];
            let score = super::response::round(prediction.probability);
            let evidence = if cut.explain {
                model
                    .explain_vector(&vector, prediction.label, EXPLAINED_FEATURES)
                    .into_iter()
                    .map(|(feature, weight)| FeatureEvidence { feature, weight })
                    .collect()
            } else {
                Vec::new()
            };
            match topics.iter_mut().find(|t| t.id == label.id) {
                Some(topic) => {
                    topic.score = score;
                    topic.direct = true;
                    topic.inherited_from.clear();
                    topic.model = loaded.source.clone();
                    topic.features = evidence;
                }
                None => topics.push(Topic {
                    id: label.id.clone(),
                    label: label.name.clone(),
                    score,
                    direct: true,
                    model: loaded.source.clone(),
                    features: evidence,
                    ..Topic::default()
                }),
            }
        }
    }
    topics.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    if cut.max_topics > 0 {
        topics.truncate(cut.max_topics);
    }
    topics
}
