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
/// feature's name is `prefix` + `first`, then a space and `second` for a word pair. Both the
/// named features of [`extract`] and the hashed ones a model looks up while tagging
/// ([`feature_hash`]) come from here, so they cannot disagree.
pub fn each_feature<'a>(
    title: &str,
    body: &str,
    entities: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    mut emit: impl FnMut(&str, &str, Option<&str>, u32),
) {
    for (text, weight) in [(title, 2), (body, 1)] {
        let mut words = Words::default();
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                // Most news is ASCII: no case table to consult.
                words.word.push(c.to_ascii_lowercase());
            } else if !c.is_ascii() && c.is_alphanumeric() {
                words.word.extend(c.to_lowercase());
            } else if c == '\'' || c == '\u{2019}' {
                // "Russia's" → "russia": the possessive says nothing of the topic.
                words.flush(weight, &mut emit);
                words.has_previous = false;
            } else {
                words.flush(weight, &mut emit);
                if matches!(c, '.' | '!' | '?' | ';' | ':' | '\n' | '(' | ')' | '"') {
                    words.has_previous = false;
                }
            }
        }
        words.flush(weight, &mut emit);
    }
    for (id, entity_type, category) in entities {
        if id.starts_with("unlinked:") {
            emit("t:", entity_type, None, 1);
            continue;
        }
        emit("e:", id, None, 1);
        if !category.is_empty() {
            emit("c:", category, None, 1);
        }
    }
}

/// The word being read and the one before it in the sentence, in buffers reused for every
/// word: tagging with a model allocates nothing per word.
#[derive(Default)]
struct Words {
    word: String,
    previous: String,
    has_previous: bool,
}

impl Words {
    fn flush(&mut self, weight: u32, emit: &mut impl FnMut(&str, &str, Option<&str>, u32)) {
        if self.word.is_empty() {
            return;
        }
        if self.word.bytes().all(|b| b.is_ascii_digit()) {
            self.word.clear();
            self.word.push('#');
        } else if self.word.chars().nth(MIN_WORD_CHARS - 1).is_none() {
            self.word.clear();
            return;
        }
        emit("w:", &self.word, None, weight);
        if self.has_previous {
            emit("p:", &self.previous, Some(&self.word), weight);
        }
        std::mem::swap(&mut self.word, &mut self.previous);
        self.word.clear();
        self.has_previous = true;
    }
}

/// FNV-1a, 64 bits, of a feature's name given as its parts (see [`each_feature`]); the same
/// as [`name_hash`] of the whole name.
pub fn feature_hash(prefix: &str, first: &str, second: Option<&str>) -> u64 {
    let mut hash = FNV_OFFSET;
    for part in [prefix.as_bytes(), first.as_bytes()] {
        hash = fnv(hash, part);
    }
    if let Some(second) = second {
        hash = fnv(fnv(hash, b" "), second.as_bytes());
    }
    hash
}

/// FNV-1a, 64 bits, of a whole feature name.
pub fn name_hash(name: &str) -> u64 {
    fnv(FNV_OFFSET, name.as_bytes())
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The inverse document frequency of a feature seen in `df` of `n` training articles.
pub fn idf(df: usize, n: usize) -> f32 {
    (((n + 1) as f64 / (df + 1) as f64).ln() + 1.0) as f32
}

/// An article's vector as a model sees it: the features `lookup` knows, each value times its
/// IDF, back to unit length, as (row, value) in the article's feature order. Features the
/// model never saw are left out, of the norm too: a short story full of new words still
/// weighs by the words the model knows.
pub fn weigh(
    features: &ArticleFeatures,
    lookup: impl Fn(&str) -> Option<(u32, f32)>,
) -> Vec<(u32, f32)> {
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
    fn an_empty_article_has_no_features() {
        assert!(extract("", "", []).0.is_empty());
    }
}
