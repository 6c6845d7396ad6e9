//! Bounded responses: whatever the article, the answer fits what clients accept.
//!
//! grpc-go, grpc-java and grpcio refuse messages over 4 MiB by default, so a response the
//! server can send but the client cannot read is as bad as an error. Mention lists are capped
//! per entity (counts stay exact), the explanation lists at most [`MAX_SUPPRESSED`]
//! candidates, and [`fit`] is the last guard: it shortens mention lists further, then drops
//! the explanation's list, then the least relevant entities, until the encoded response fits.

use prost::Message;

use crate::proto::{TagOptions, TagResponse};

/// Mentions listed per entity when neither the request nor the server says otherwise.
pub const DEFAULT_MAX_MENTIONS_PER_ENTITY: usize = 100;

/// Suppressed candidates an explanation lists (the first ones, in text order).
pub const MAX_SUPPRESSED: usize = 1_000;

/// The largest encoded response: 4 MiB, less room for the gRPC frame and trailers.
pub const MAX_RESPONSE_BYTES: usize = (4 << 20) - (16 << 10);

/// The per-entity mention cap a request asks for.
pub(crate) fn max_mentions(options: &TagOptions) -> usize {
    match options.max_mentions_per_entity {
        0 => DEFAULT_MAX_MENTIONS_PER_ENTITY,
        n => n as usize,
    }
}

/// Shrinks `response` until it encodes to at most `limit` bytes. A response that fits is left
/// untouched (one length computation, no copy).
pub(crate) fn fit(response: &mut TagResponse, limit: usize) {
    if response.encoded_len() <= limit {
        return;
    }
    // 1. Shorter mention lists, halving the longest down to one mention each.
    let mut cap = response
        .entities
        .iter()
        .map(|e| e.mentions.len().max(e.implied_by.len()))
        .max()
        .unwrap_or(0);
    while cap > 1 && response.encoded_len() > limit {
        cap /= 2;
        for entity in &mut response.entities {
            if entity.mentions.len() > cap {
                entity.mentions.truncate(cap);
                entity.mentions_truncated = true;
            }
            entity.implied_by.truncate(cap);
        }
    }
    // 2. The explanation's list (its count stays).
    if response.encoded_len() > limit
        && let Some(explanation) = response.explanation.as_mut()
    {
        explanation.suppressed = Vec::new();
    }
    // 3. The least relevant entities (the list is sorted most relevant first). Entity sizes
    // are summed once, so this is linear in the number of entities.
    let mut size = response.encoded_len();
    while size > limit {
        let Some(last) = response.entities.pop() else {
            break;
        };
        // A repeated field costs its message, a tag byte and a length prefix.
        let entity_len = last.encoded_len();
        size = size.saturating_sub(entity_len + 1 + prost::length_delimiter_len(entity_len));
        response.entities_omitted += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{Entity, Explanation, Mention, Suppressed};

    fn response(entities: usize, mentions: usize) -> TagResponse {
        TagResponse {
            entities: (0..entities)
                .map(|i| Entity {
                    id: format!("entity:{i}"),
                    relevance: 1.0 - i as f64 / entities as f64,
                    mention_count: mentions as u32,
                    mentions: (0..mentions)
                        .map(|m| Mention {
                            start: m as u32,
                            end: m as u32 + 4,
                            text: "NATO".into(),
                            alias: "nato".into(),
                            ..Mention::default()
                        })
                        .collect(),
                    ..Entity::default()
                })
                .collect(),
            explanation: Some(Explanation {
                suppressed: vec![Suppressed::default(); 50],
                suppressed_count: 50,
            }),
            ..TagResponse::default()
        }
    }

    #[test]
    fn a_response_that_fits_is_untouched() {
        let mut small = response(3, 5);
        let before = small.clone();
        fit(&mut small, MAX_RESPONSE_BYTES);
        assert_eq!(small, before);
    }

    #[test]
    fn mention_lists_shrink_first_and_counts_stay_exact() {
        let mut big = response(10, 1000);
        let limit = big.encoded_len() / 4;
        fit(&mut big, limit);
        assert!(big.encoded_len() <= limit);
        assert_eq!(big.entities.len(), 10);
        assert_eq!(big.entities_omitted, 0);
        for entity in &big.entities {
            assert_eq!(entity.mention_count, 1000);
            assert!(entity.mentions_truncated);
            assert!(entity.mentions.len() < 1000 && !entity.mentions.is_empty());
        }
    }

    #[test]
    fn least_relevant_entities_go_last() {
        let mut many = response(1000, 3);
        let limit = many.encoded_len() / 10;
        fit(&mut many, limit);
        assert!(many.encoded_len() <= limit);
        assert!(many.entities_omitted > 0);
        assert_eq!(many.entities.len() + many.entities_omitted as usize, 1000);
        assert_eq!(many.entities[0].id, "entity:0");
        let explanation = many.explanation.as_ref().expect("explanation kept");
        assert!(explanation.suppressed.is_empty());
        assert_eq!(explanation.suppressed_count, 50);
    }
}
