//! Hostile inputs: odd but legal articles that once made (or could make) tagging super-linear.
//!
//! One table serves two masters: `benches/adversarial.rs` times every input at growing sizes
//! and fails when time grows faster than the input, and `tests/adversarial.rs` tags each once
//! and checks the offset invariant on the result. [`check_response`] states the invariants
//! every response keeps, for those tests, the property tests and the fuzz targets alike. Every generator is deterministic and returns
//! text of at most the size asked for (never more, so "at the limit" stays within
//! `--max-article-bytes`).

use crate::proto::{Article, Field, OffsetUnit, TagOptions, TagResponse};

/// How a hostile input fills an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The text is the body; the title is a short headline.
    Body,
    /// Title and body each get the text at the full size ("both at the limit").
    TitleAndBody,
}

/// One hostile input: a name and a generator of text of (at most) `n` bytes.
#[derive(Debug, Clone, Copy)]
pub struct HostileInput {
    /// Stable name, printed by the benchmark and in test failures.
    pub name: &'static str,
    /// Builds the text for a size in bytes.
    pub generate: fn(usize) -> String,
    /// Where the text goes.
    pub placement: Placement,
}

impl HostileInput {
    /// The article this input makes at `n` bytes per field.
    pub fn article(&self, n: usize) -> Article {
        let text = (self.generate)(n);
        let (title, body) = match self.placement {
            Placement::Body => ("Hostile input".to_owned(), text),
            Placement::TitleAndBody => (text.clone(), text),
        };
        Article {
            id: self.name.to_owned(),
            title,
            body,
            language: String::new(),
        }
    }
}

/// `unit` repeated up to `n` bytes (whole repetitions only, so the text stays UTF-8).
fn repeat(unit: &str, n: usize) -> String {
    unit.repeat((n / unit.len()).max(1))
}

/// Realistic news prose, used where a hostile shape needs real names and words in it.
const PROSE: &str = "Russian President Vladimir Putin met NATO Secretary-General Jens \
Stoltenberg in Brussels on Monday, where the European Union and the United States said talks \
with Ukraine and China would resume. The U.S. Federal Reserve and the IMF warned that Germany, \
France and Japan faced slower growth. ";

/// The table of hostile inputs, in the order the benchmark prints them.
pub const INPUTS: &[HostileInput] = &[
    HostileInput {
        name: "cyrillic-word",
        generate: |n| repeat("Ру", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "cyrillic-lookalike-word",
        generate: |n| repeat("АСЕ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "greek-word",
        generate: |n| repeat("Αθ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "cjk-word",
        generate: |n| repeat("中国", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "mixed-script-lookalikes",
        generate: |n| repeat("Сеntrаl", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "combining-marks",
        generate: |n| repeat("e\u{301}\u{308}", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "one-letter-many-marks",
        generate: |n| format!("a{}", repeat("\u{301}", n.saturating_sub(1))),
        placement: Placement::Body,
    },
    HostileInput {
        name: "ascii-no-space",
        generate: |n| repeat("abcdefghijklmnopqrstuvwxyz", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "every-byte-a-boundary-a",
        generate: |n| repeat("a ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "every-byte-a-boundary-dot",
        generate: |n| repeat(". ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "punctuation-only",
        generate: |n| repeat("-'.,", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "name-repeated",
        generate: |n| repeat("NATO ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "names-no-space",
        generate: |n| repeat("NATO", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "surname-repeated",
        generate: |n| format!("Vladimir Putin {}", repeat("Putin ", n.saturating_sub(15))),
        placement: Placement::Body,
    },
    HostileInput {
        name: "lower-case-false-friends",
        generate: |n| repeat("us who chad turkey ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "dotted-acronyms",
        generate: |n| repeat("U.S.", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "single-line-prose",
        generate: |n| repeat(PROSE, n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "capitalised-words",
        generate: |n| repeat("Bank Of The Central Republic ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "hyphen-chain",
        generate: |n| repeat("Canada-peace-", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "long-words-between-names",
        generate: |n| {
            format!(
                "{} Canada {}",
                repeat("x", n / 2 - 4),
                repeat("y", n / 2 - 4)
            )
        },
        placement: Placement::Body,
    },
    HostileInput {
        name: "many-lines-one-letter",
        generate: |n| repeat("a\n", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "blank-lines",
        generate: |n| repeat("\n", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "unicode-whitespace",
        generate: |n| repeat("\u{a0}\u{2003}", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "bidi-and-zero-width",
        generate: |n| repeat("R\u{200b}u\u{202e}s\u{200d}s\u{2066}i\u{feff}a ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "soft-hyphens-in-word",
        generate: |n| format!("Rus{}sia", repeat("\u{ad}", n.saturating_sub(7))),
        placement: Placement::Body,
    },
    HostileInput {
        name: "compatibility-spaces",
        generate: |n| repeat("\u{b4}", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "title-and-body-at-limit",
        generate: |n| repeat(PROSE, n),
        placement: Placement::TitleAndBody,
    },
];

/// The option combinations each input runs with: plain, explain, and each offset unit.
pub fn option_sets() -> Vec<(&'static str, TagOptions)> {
    let with = |explain: bool, unit: OffsetUnit| TagOptions {
        explain,
        offset_unit: unit as i32,
        ..TagOptions::default()
    };
    vec![
        ("utf8", with(false, OffsetUnit::Utf8)),
        ("explain", with(true, OffsetUnit::Utf8)),
        ("codepoint", with(false, OffsetUnit::Codepoint)),
        ("utf16+explain", with(true, OffsetUnit::Utf16)),
    ]
}

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
    use prost::Message;
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
        if !(0.0..=1.0).contains(&entity.relevance) {
            return Err(format!("{}: relevance {}", entity.id, entity.relevance));
        }
        if entity.mentions.is_empty() || entity.mentions.len() > cap {
            return Err(format!(
                "{}: {} mentions listed",
                entity.id,
                entity.mentions.len()
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
        let mut previous = (0, 0);
        for mention in &entity.mentions {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_stay_within_the_size_asked_for() {
        for input in INPUTS {
            let text = (input.generate)(4096);
            assert!(text.len() <= 4096, "{}: {} bytes", input.name, text.len());
            assert!(text.len() >= 2048, "{}: {} bytes", input.name, text.len());
        }
    }
}
