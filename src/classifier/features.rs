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
    for (text, weight) in [(title, 2), (body, 1)] {
        let mut previous: Option<String> = None;
        for token in tokens(text) {
            match token {
                Token::Break => previous = None,
                Token::Word(word) => {
                    *counts.entry(format!("w:{word}")).or_default() += weight;
                    if let Some(before) = &previous {
                        *counts.entry(format!("p:{before} {word}")).or_default() += weight;
                    }
                    previous = Some(word);
                }
            }
        }
    }
    for (id, entity_type, category) in entities {
        if id.starts_with("unlinked:") {
            *counts.entry(format!("t:{entity_type}")).or_default() += 1;
            continue;
        }
        *counts.entry(format!("e:{id}")).or_default() += 1;
        if !category.is_empty() {
            *counts.entry(format!("c:{category}")).or_default() += 1;
        }
    }
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

enum Token {
    Word(String),
    /// Sentence punctuation: no word pair spans it.
    Break,
}

fn tokens(text: &str) -> impl Iterator<Item = Token> + '_ {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Token>| {
        if word.is_empty() {
            return;
        }
        let token = if word.chars().all(|c| c.is_ascii_digit()) {
            "#".to_owned()
        } else {
            std::mem::take(word)
        };
        word.clear();
        if token == "#" || token.chars().count() >= MIN_WORD_CHARS {
            out.push(Token::Word(token));
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "Russia's" → "russia": the possessive says nothing of the topic.
            flush(&mut word, &mut out);
            out.push(Token::Break);
        } else {
            flush(&mut word, &mut out);
            if matches!(c, '.' | '!' | '?' | ';' | ':' | '\n' | '(' | ')' | '"') {
                out.push(Token::Break);
            }
        }
    }
    flush(&mut word, &mut out);
    out.into_iter()
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
    fn an_empty_article_has_no_features() {
        assert!(extract("", "", []).0.is_empty());
    }
}
