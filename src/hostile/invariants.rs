//! What every response keeps, whatever the input: the invariants the hostile-input test,
//! the fuzz targets and their corpus replay all check.

use prost::Message;

use crate::proto::{Article, Field, MentionKind, OffsetUnit, TagOptions, TagResponse};
use crate::text::Normalised;

/// Byte offset of every position of `text` in `unit` (`None` inside a character: the second
/// half of a UTF-16 surrogate pair), plus the end.
fn unit_boundaries(text: &str, unit: OffsetUnit) -> Vec<Option<usize>> {
    let mut table = Vec::with_capacity(text.len() + 1);
    for (byte, c) in text.char_indices() {
        match unit {
            OffsetUnit::Codepoint => table.push(Some(byte)),
            OffsetUnit::Utf16 => {
                table.push(Some(byte));
                if c.len_utf16() == 2 {
                    table.push(None);
                }
            }
            _ => {
                table.push(Some(byte));
                table.extend(std::iter::repeat_n(None, c.len_utf8() - 1));
            }
        }
    }
    table.push(Some(text.len()));
    table
}

/// Checks what every response to `article` must hold, whatever the input: each mention's and
/// each suppressed candidate's offsets (in the response's unit) slice its field to exactly its
/// `text`, mentions come in text order, entities are sorted by relevance then id, relevance and
/// topic scores lie in [0, 1], mention counts cover the listed mentions, and no list exceeds
/// its cap. Returns the first violation.
pub fn check_response(
    article: &Article,
    options: &TagOptions,
    response: &TagResponse,
) -> Result<(), String> {
    let unit = match OffsetUnit::try_from(response.offset_unit) {
        Ok(OffsetUnit::Unspecified) | Err(_) => {
            return Err(format!("bad offset unit {}", response.offset_unit));
        }
        Ok(unit) => unit,
    };
    let tables = [
        unit_boundaries(&article.title, unit),
        unit_boundaries(&article.body, unit),
    ];
    let slice = |field: i32, start: u32, end: u32| -> Result<&str, String> {
        let (text, table) = if field == Field::Title as i32 {
            (&article.title, &tables[0])
        } else if field == Field::Body as i32 {
            (&article.body, &tables[1])
        } else {
            return Err(format!("bad field {field}"));
        };
        let at = |offset: u32| {
            table
                .get(offset as usize)
                .copied()
                .flatten()
                .ok_or_else(|| format!("offset {offset} is not a {unit:?} boundary"))
        };
        let (start, end) = (at(start)?, at(end)?);
        if start >= end {
            return Err(format!("empty or reversed span {start}..{end}"));
        }
        Ok(&text[start..end])
    };
    let cap = match options.max_mentions_per_entity {
        0 => crate::tagger::DEFAULT_MAX_MENTIONS_PER_ENTITY,
        n => n as usize,
    };
    for pair in response.entities.windows(2) {
        let ordered = pair[0].relevance > pair[1].relevance
            || (pair[0].relevance == pair[1].relevance && pair[0].id < pair[1].id);
        if !ordered {
            return Err(format!(
                "entities out of order: {} before {}",
                pair[0].id, pair[1].id
            ));
        }
    }
    for entity in &response.entities {
        // Gazetteer entities are linked; unlinked names carry their own id scheme, no xrefs,
        // a discovery type, mentions of kind UNLINKED, and only when asked for.
        let unlinked_id = entity.id.starts_with("unlinked:");
        if entity.linked == unlinked_id {
            return Err(format!("{}: linked = {}", entity.id, entity.linked));
        }
        if !entity.linked {
            if options.linked_only {
                return Err(format!(
                    "{}: unlinked entity despite linked_only",
                    entity.id
                ));
            }
            let known_type =
                ["person", "organisation", "location", "misc"].contains(&entity.r#type.as_str());
            let expected_id = format!("unlinked:{}:", entity.r#type);
            if !entity.xrefs.is_empty() || !known_type || !entity.id.starts_with(&expected_id) {
                return Err(format!("{}: bad unlinked entity {entity:?}", entity.id));
            }
            if let Some(m) = entity
                .mentions
                .iter()
                .find(|m| m.kind != MentionKind::Unlinked as i32)
            {
                return Err(format!(
                    "{}: unlinked entity with a {:?} mention",
                    entity.id, m.kind
                ));
            }
        }
        if !(0.0..=1.0).contains(&entity.relevance) {
            return Err(format!("{}: relevance {}", entity.id, entity.relevance));
        }
        if !(0.0..=1.0).contains(&entity.confidence) {
            return Err(format!("{}: confidence {}", entity.id, entity.confidence));
        }
        // An inferred country has no mentions of its own, only the places implying it.
        let listed_ok = if entity.inferred {
            entity.mentions.is_empty() && !entity.implied_by.is_empty()
        } else {
            !entity.mentions.is_empty()
        };
        if !listed_ok || entity.mentions.len() > cap || entity.implied_by.len() > cap {
            return Err(format!(
                "{}: {} mentions and {} implying mentions listed (inferred: {})",
                entity.id,
                entity.mentions.len(),
                entity.implied_by.len(),
                entity.inferred
            ));
        }
        if (entity.mention_count as usize) < entity.mentions.len()
            || entity.mentions_truncated != (entity.mention_count as usize > entity.mentions.len())
        {
            return Err(format!(
                "{}: mention_count {} for {} listed (truncated: {})",
                entity.id,
                entity.mention_count,
                entity.mentions.len(),
                entity.mentions_truncated
            ));
        }
        for mention in &entity.implied_by {
            let text = slice(mention.field, mention.start, mention.end)
                .map_err(|e| format!("{}: implying mention {mention:?}: {e}", entity.id))?;
            if text != mention.text {
                return Err(format!(
                    "{}: implying offsets slice {text:?}, mention says {:?}",
                    entity.id, mention.text
                ));
            }
        }
        let mut previous = (0, 0);
        for mention in &entity.mentions {
            if !(0.0..=1.0).contains(&mention.confidence) {
                return Err(format!(
                    "{}: mention confidence {}",
                    entity.id, mention.confidence
                ));
            }
            let text = slice(mention.field, mention.start, mention.end)
                .map_err(|e| format!("{}: mention {mention:?}: {e}", entity.id))?;
            if text != mention.text {
                return Err(format!(
                    "{}: offsets slice {text:?}, mention says {:?}",
                    entity.id, mention.text
                ));
            }
            let position = (mention.field, mention.start);
            if position < previous {
                return Err(format!("{}: mentions out of text order", entity.id));
            }
            previous = position;
        }
    }
    for topic in &response.topics {
        if !(0.0..=1.0).contains(&topic.score) {
            return Err(format!("{}: score {}", topic.id, topic.score));
        }
    }
    if let Some(explanation) = &response.explanation {
        if explanation.suppressed.len() > crate::tagger::MAX_SUPPRESSED
            || (explanation.suppressed_count as usize) < explanation.suppressed.len()
        {
            return Err(format!(
                "{} suppressed listed of {}",
                explanation.suppressed.len(),
                explanation.suppressed_count
            ));
        }
        for suppressed in &explanation.suppressed {
            let text = slice(suppressed.field, suppressed.start, suppressed.end)
                .map_err(|e| format!("suppressed {suppressed:?}: {e}"))?;
            if text != suppressed.text {
                return Err(format!(
                    "suppressed offsets slice {text:?}, it says {:?}",
                    suppressed.text
                ));
            }
        }
    }
    if response.encoded_len() > crate::tagger::MAX_RESPONSE_BYTES {
        return Err(format!("response of {} bytes", response.encoded_len()));
    }
    Ok(())
}

/// Checks a normalised text against its original: the text has no two spaces in a row, and
/// every normalised character boundary maps to an original character boundary, with starts and
/// ends monotone and each end at or after its start.
pub fn check_normalised(original: &str, normalised: &Normalised) -> Result<(), String> {
    let text = &normalised.text;
    if text.contains("  ") {
        return Err(format!("two spaces in a row in {text:?}"));
    }
    let map = &normalised.map;
    let mut previous_start = 0;
    let mut previous_end = 0;
    let boundaries = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    for position in boundaries {
        let start = map.original_start(position);
        let end = map.original_end(position);
        for (what, at) in [("start", start), ("end", end)] {
            if at > original.len() || !original.is_char_boundary(at) {
                return Err(format!(
                    "normalised {position} maps to original {what} {at}, not a character boundary of {original:?}"
                ));
            }
        }
        if start < previous_start || end < previous_end {
            return Err(format!("offsets not monotone at normalised {position}"));
        }
        // `previous_start` is where the character ending here starts.
        if end < previous_start {
            return Err(format!("end before start at normalised {position}"));
        }
        previous_start = start;
        previous_end = end;
    }
    Ok(())
}
