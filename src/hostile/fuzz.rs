//! The fuzz targets' bodies: fuzzer bytes in, a violated invariant out.
//!
//! `fuzz/fuzz_targets/*.rs` are one-line wrappers that panic on `Err`; `tests/fuzz_corpus.rs`
//! replays the committed corpus through the same functions, so every input the fuzzer once
//! found interesting stays a regression case of `cargo test`.

use crate::Gazetteer;
use crate::gazetteer::file;
use crate::proto::{Article, OffsetUnit, TagOptions, TagResponse};
use crate::tagger::{Rules, TagError};

use super::invariants::{check_normalised, check_response};

/// Options from one byte, so the fuzzer explores every combination: explain, each offset
/// unit (unspecified included), a type filter, a relevance floor, a topic cap and mention caps.
pub fn options_from(byte: u8) -> TagOptions {
    let unit = match (byte >> 1) & 3 {
        0 => OffsetUnit::Unspecified,
        1 => OffsetUnit::Utf8,
        2 => OffsetUnit::Codepoint,
        _ => OffsetUnit::Utf16,
    };
    TagOptions {
        explain: byte & 1 == 1,
        offset_unit: unit as i32,
        entity_types: if byte & 8 != 0 {
            vec!["person".into(), "country".into()]
        } else {
            Vec::new()
        },
        min_relevance: if byte & 16 != 0 { 0.3 } else { 0.0 },
        max_topics: u32::from(byte & 32 != 0),
        min_topic_score: 0.0,
        max_mentions_per_entity: [0, 1, 3, 1000][usize::from(byte >> 6)],
        // The type filter's bit also filters categories and turns inference off, so both
        // paths are fuzzed.
        categories: if byte & 8 != 0 {
            vec!["city".into(), "sovereign-state".into()]
        } else {
            Vec::new()
        },
        no_inferred_countries: byte & 8 != 0,
        // Unlinked names on and off, so both paths are fuzzed.
        linked_only: byte & 16 != 0,
    }
}

/// The normaliser and its offset map on any UTF-8.
pub fn normaliser(data: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    check_normalised(text, &crate::text::normalise(text))
}

/// The whole tagger on any UTF-8 with the options of the first byte; title and body split at
/// the first NUL.
pub fn tagger(gazetteer: &Gazetteer, data: &[u8]) -> Result<(), String> {
    let Some((&first, rest)) = data.split_first() else {
        return Ok(());
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return Ok(());
    };
    let (title, body) = text.split_once('\0').unwrap_or(("", text));
    let article = Article {
        id: "fuzz".into(),
        title: title.into(),
        body: body.into(),
        language: String::new(),
    };
    let options = options_from(first);
    match crate::tagger::tag_article(gazetteer, &article, &options, Rules::default()) {
        Ok(response) => {
            check_response(&article, &options, &response)?;
            if options.explain {
                return Ok(());
            }
            let explained = TagOptions {
                explain: true,
                ..options.clone()
            };
            let with_explain =
                crate::tagger::tag_article(gazetteer, &article, &explained, Rules::default())
                    .map_err(|error| {
                        format!("explain mode failed where plain mode did not: {error}")
                    })?;
            same_tags(response, with_explain)
        }
        Err(TagError::EmptyArticle)
            if article.title.trim().is_empty() && article.body.trim().is_empty() =>
        {
            Ok(())
        }
        Err(error) => Err(format!("unexpected error: {error}")),
    }
}

/// Explain mode only adds explanations (and an unlinked name's evidence). It walks every
/// pattern at lower-case word starts, where plain tagging walks only those such a text can
/// match (`Matcher::matches_at_lower_start`), so any difference in what is tagged is a match
/// the smaller walk lost. Responses near the size bound are not compared (explanations make
/// them shed mentions sooner).
pub fn same_tags(plain: TagResponse, explained: TagResponse) -> Result<(), String> {
    use prost::Message as _;
    if plain.entities_omitted > 0
        || explained.entities_omitted > 0
        || explained.encoded_len() > crate::tagger::MAX_RESPONSE_BYTES / 4
    {
        return Ok(());
    }
    let strip = |mut response: TagResponse| {
        response.explanation = None;
        for entity in &mut response.entities {
            for mention in entity.mentions.iter_mut().chain(&mut entity.implied_by) {
                mention.rule.clear();
            }
            // An unlinked name's description is its evidence, written only in explain mode.
            if !entity.linked {
                entity.description.clear();
            }
        }
        // What carried each topic, written only in explain mode.
        for topic in &mut response.topics {
            topic.entities.clear();
            topic.features.clear();
        }
        response
    };
    let (plain, explained) = (strip(plain), strip(explained));
    if plain == explained {
        return Ok(());
    }
    let ids = |r: &TagResponse| r.entities.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    Err(format!(
        "explain mode tags differently: {:?} without, {:?} with",
        ids(&plain),
        ids(&explained)
    ))
}

/// A small valid entity file, for runs that fuzz the other file kinds.
const ENTITIES: &str =
    "id\ttype\tname\tacronyms\ncountry:RU\tcountry\tRussia\t\norg:nato\torganisation\tNATO\tNATO\n";

/// The gazetteer parser on any bytes: the first byte picks which file the rest is (entity
/// file, stop phrases, topic lexicon, category mapping or topic model). A rejected gazetteer must name `path:line` for every
/// problem in the fuzzed file; an accepted one must tag its own text without breaking an
/// invariant.
pub fn gazetteer_parser(data: &[u8]) -> Result<(), String> {
    let Some((&first, rest)) = data.split_first() else {
        return Ok(());
    };
    let fuzzed = match first % 5 {
        0 => "fuzzed.tsv",
        1 => "fuzzed.stop",
        2 => "fuzzed.topics",
        3 => "fuzzed.categories",
        _ => "fuzzed.model",
    };
    let mut files = vec![crate::gazetteer::SourceFile {
        bytes: rest.to_vec(),
        ..file(fuzzed, "")
    }];
    if !fuzzed.ends_with(".tsv") {
        files.push(file("base.tsv", ENTITIES));
    }
    match Gazetteer::from_files(&files) {
        Err(error) => {
            for problem in &error.problems {
                if problem.path == fuzzed && problem.line.is_none() {
                    return Err(format!("problem without a line: {problem}"));
                }
                if problem.path != fuzzed && problem.path != "(gazetteer)" {
                    return Err(format!("problem names another file: {problem}"));
                }
            }
            Ok(())
        }
        Ok(gazetteer) => {
            let text = String::from_utf8_lossy(rest);
            let mut with_options = vec![0b0000_0011];
            with_options.extend_from_slice(text.as_bytes());
            tagger(&gazetteer, &with_options)
        }
    }
}
