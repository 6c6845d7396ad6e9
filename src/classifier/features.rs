//! The features of one article, as the trainer and the tagger both compute them.
//!
//! - `w:<word>`: each lower-cased word of the title and body (letters and digits; numbers
//!   become `w:#`), the title's words counted twice: a headline says what a story is about;
//! - `p:<word> <word>`: each pair of adjacent words in a sentence ("interest rates",
//!   "world cup");
//! - `e:<entity id>` and `c:<category>`: the entities newstag tagged (a story full of clubs
//!   and athletes is sport whatever its words), `t:<type>` for names no gazetteer row holds.
//!
//! A feature's value is `1 + ln(count)`, and the article's vector has unit length, so a long
//! story and a brief weigh alike. A model then weighs each feature by its inverse document
//! frequency in the training archive ([`weigh`]): "said" is in every story, "wicket" in few.

use std::collections::BTreeMap;

/// An article's features: names with values, sorted by name, unit length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleFeatures(pub Vec<(String, f32)>);

/// Words shorter than this carry little (articles, "of", "a"), except numbers.
const MIN_WORD_CHARS: usize = 2;

/// The features of an article whose tagged entities are `entities` (id, type, category; an
/// unlinked entity has an empty category and an id starting with `unlinked:`).
pub fn extract<'a>(
    title: &str,
    body: &str,
    entities: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
) -> ArticleFeatures {
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    each_feature(title, body, entities, |prefix, first, second, weight| {
        let name = match second {
            None => format!("{prefix}{first}"),
            Some(second) => format!("{prefix}{first} {second}"),
        };
        *counts.entry(name).or_default() += weight;
    });
    let mut features: Vec<(String, f32)> = counts
        .into_iter()
        .map(|(name, n)| (name, 1.0 + (n as f32).ln()))
        .collect();
    let norm = features.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, v) in &mut features {
            *v /= norm;
        }
    }
    ArticleFeatures(features)
}

/// Every feature occurrence of an article, as `emit(prefix, first, second, weight)`: the
/// feature's name is `prefix` + `first`, then a space and `second` for a word pair. The named
/// features of [`extract`] come from here, and the hashed ones a model looks up while tagging
/// ([`each_feature_hash`]) read the same words ([`each_word`]), so they cannot disagree.
pub fn each_feature<'a>(
    title: &str,
    body: &str,
    entities: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    mut emit: impl FnMut(&str, &str, Option<&str>, u32),
) {
    let mut previous = String::new();
    each_word(title, body, |word, weight, paired| {
        emit("w:", word, None, weight);
        if paired {
            emit("p:", &previous, Some(word), weight);
        }
        previous.clear();
        previous.push_str(word);
    });
    each_entity_feature(entities, |prefix, name| emit(prefix, name, None, 1));
}

/// [`each_feature`] as `emit(feature_hash, weight)`, each word hashed once for itself and
/// the pairs it is in: what the tagger computes for every article.
pub fn each_feature_hash<'a>(
    title: &str,
    body: &str,
    entities: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    mut emit: impl FnMut(u64, u32),
) {
    let (word_prefix, pair_prefix) = (part_hash("w:"), part_hash("p:"));
    let mut previous = 0;
    each_word(title, body, |word, weight, paired| {
        let hash = part_hash(word);
        emit(combine(word_prefix, hash), weight);
        if paired {
            emit(combine(combine(pair_prefix, previous), hash), weight);
        }
        previous = hash;
    });
    each_entity_feature(entities, |prefix, name| {
        emit(feature_hash(prefix, name, None), 1);
    });
}

/// The features of the tagged entities: `e:<id>` and `c:<category>`, `t:<type>` for a name
/// no row holds.
fn each_entity_feature<'a>(
    entities: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    mut emit: impl FnMut(&str, &str),
) {
    for (id, entity_type, category) in entities {
        if id.starts_with("unlinked:") {
            emit("t:", entity_type);
            continue;
        }
        emit("e:", id);
        if !category.is_empty() {
            emit("c:", category);
        }
    }
}

/// Every word of the title (weight 2) and the body (weight 1) as features read it, lower-cased,
/// a number as `#`, words of one letter left out: `on_word(word, weight, paired)`, where
/// `paired` says the word follows another in the same sentence (a word pair). One pass over
/// the bytes, one buffer for every word: ASCII, most of news, needs no case table.
fn each_word(title: &str, body: &str, mut on_word: impl FnMut(&str, u32, bool)) {
    let mut word = String::with_capacity(32);
    for (text, weight) in [(title, 2), (body, 1)] {
        let mut paired = false;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                word.push(char::from(b.to_ascii_lowercase()));
                i += 1;
                continue;
            }
            let c = if b.is_ascii() {
                char::from(b)
            } else {
                text[i..]
                    .chars()
                    .next()
                    .unwrap_or(char::REPLACEMENT_CHARACTER)
            };
            i += c.len_utf8();
            if !c.is_ascii() && c.is_alphanumeric() {
                word.extend(c.to_lowercase());
                continue;
            }
            flush_word(&mut word, weight, &mut paired, &mut on_word);
            // "Russia's" → "russia": the possessive says nothing of the topic; a sentence's
            // end ends its pairs.
            if matches!(
                c,
                '\'' | '\u{2019}' | '.' | '!' | '?' | ';' | ':' | '\n' | '(' | ')' | '"'
            ) {
                paired = false;
            }
        }
        flush_word(&mut word, weight, &mut paired, &mut on_word);
    }
}

/// Hands the word read so far to `on_word` (see [`each_word`]) and empties the buffer.
fn flush_word(
    word: &mut String,
    weight: u32,
    paired: &mut bool,
    on_word: &mut impl FnMut(&str, u32, bool),
) {
    if word.is_empty() {
        return;
    }
    if word.bytes().all(|b| b.is_ascii_digit()) {
        word.clear();
        word.push('#');
    } else if word.chars().nth(MIN_WORD_CHARS - 1).is_none() {
        word.clear();
        return;
    }
    on_word(word, weight, *paired);
    word.clear();
    *paired = true;
}

/// The hash of a feature's name given as its parts (see [`each_feature`]); the same as
/// [`name_hash`] of the whole name. Each part is hashed alone and the hashes combined, so a
/// word is hashed once for its own feature and both pairs it is in.
pub fn feature_hash(prefix: &str, first: &str, second: Option<&str>) -> u64 {
    let hash = combine(part_hash(prefix), part_hash(first));
    match second {
        None => hash,
        Some(second) => combine(hash, part_hash(second)),
    }
}

/// The hash of a whole feature name: its prefix up to the first `:`, then for a word pair
/// (`p:`) the two words, else the rest as one part.
pub fn name_hash(name: &str) -> u64 {
    let (prefix, rest) = name.split_at(name.find(':').map_or(0, |i| i + 1));
    if prefix == "p:"
        && let Some((first, second)) = rest.split_once(' ')
    {
        return feature_hash(prefix, first, Some(second));
    }
    feature_hash(prefix, rest, None)
}

/// A fixed seed: hashes are computed when a model loads, never stored, so only this process
/// must agree with itself.
const HASH_SEED: u64 = 0x6e65_7773_7461_6721;

fn part_hash(part: &str) -> u64 {
    use std::hash::BuildHasher as _;
    foldhash::quality::FixedState::with_seed(HASH_SEED).hash_one(part)
}

/// Two hashes into one, order-sensitive (a folded multiply, as foldhash mixes).
fn combine(a: u64, b: u64) -> u64 {
    let product = u128::from(a ^ 0x243f_6a88_85a3_08d3) * u128::from(b ^ 0x1319_8a2e_0370_7344);
    (product as u64) ^ ((product >> 64) as u64)
}

/// The inverse document frequency of a feature seen in `df` of `n` training articles.
pub fn idf(df: usize, n: usize) -> f32 {
    (((n + 1) as f64 / (df + 1) as f64).ln() + 1.0) as f32
}

/// An article's vector as a model sees it: the features `lookup` knows, each value times its
/// IDF, back to unit length, as (what `lookup` gives, value) in the article's feature order. Features the
/// model never saw are left out, of the norm too: a short story full of new words still
/// weighs by the words the model knows.
pub fn weigh<T>(
    features: &ArticleFeatures,
    lookup: impl Fn(&str) -> Option<(T, f32)>,
) -> Vec<(T, f32)> {
    let mut norm = 0f32;
    let mut known = Vec::with_capacity(features.0.len());
    for (name, value) in &features.0 {
        if let Some((row, idf)) = lookup(name) {
            let weighted = value * idf;
            norm += weighted * weighted;
            known.push((row, weighted));
        }
    }
    let norm = norm.sqrt();
    if norm > 0.0 {
        for (_, v) in &mut known {
            *v /= norm;
        }
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_pairs_entities_and_unit_length() {
        let features = extract(
            "Rates rise",
            "The Fed raised rates. Banks' shares fell 3 percent.",
            [
                ("org:fed", "organisation", "bank"),
                ("unlinked:person:x", "person", ""),
            ],
        );
        let names: Vec<&str> = features.0.iter().map(|(n, _)| n.as_str()).collect();
        for expected in [
            "w:rates",
            "p:rates rise",
            "p:raised rates",
            "w:#",
            "p:fell #",
            "e:org:fed",
            "c:bank",
            "t:person",
        ] {
            assert!(names.contains(&expected), "{expected} in {names:?}");
        }
        // No pair across a sentence end.
        assert!(!names.contains(&"p:rates banks"), "{names:?}");
        let norm: f32 = features.0.iter().map(|(_, v)| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-5);
        // The title counts twice: "rates" (title + body) outweighs "raised" (body once).
        let value = |n: &str| features.0.iter().find(|(f, _)| f == n).map(|(_, v)| *v);
        assert!(value("w:rates") > value("w:raised"));
    }

    #[test]
    fn hashes_of_parts_and_of_names_agree() {
        let mut names = Vec::new();
        each_feature(
            "Rates rise",
            "Banks fell.",
            [("org:fed", "organisation", "bank")],
            |p, a, b, _| {
                let name = match b {
                    None => format!("{p}{a}"),
                    Some(b) => format!("{p}{a} {b}"),
                };
                assert_eq!(feature_hash(p, a, b), name_hash(&name), "{name}");
                names.push(name);
            },
        );
        assert!(names.contains(&"p:rates rise".to_owned()), "{names:?}");
    }

    #[test]
    fn the_hashed_features_are_the_named_ones() {
        let (title, body) = (
            "Zürich's bank RISES 3%",
            "Shares of UBS rose 12.5 percent; a banker said: \u{201c}Good\u{201d}.\nNext line",
        );
        let entities = [
            ("org:ubs", "organisation", "bank"),
            ("unlinked:", "person", ""),
        ];
        let mut named = Vec::new();
        each_feature(title, body, entities, |p, a, b, w| {
            named.push((feature_hash(p, a, b), w));
        });
        let mut hashed = Vec::new();
        each_feature_hash(title, body, entities, |h, w| hashed.push((h, w)));
        assert_eq!(named, hashed);
        assert!(named.len() > 20, "{named:?}");
    }

    #[test]
    fn an_empty_article_has_no_features() {
        assert!(extract("", "", []).0.is_empty());
    }
}
