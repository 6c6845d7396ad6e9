//! A newsroom's labelled archive — JSON Lines of `{"id","title","body","labels":[…]}` — and
//! what training and evaluating a topic model need from it: each article's features (its
//! words, and the entities newstag tags in it with the gazetteer at hand) and its labels as
//! indices.
//!
//! Features are computed on every core, in order. Each article's named features are held
//! until the vocabulary is built (100,000 Reuters-sized articles peak at about 1.6 GB);
//! the examples then hold only feature indices.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;
use serde::Deserialize;

use crate::classifier::{self, ArticleFeatures, Example, Vocabulary};
use crate::gazetteer::Gazetteer;
use crate::proto::{Article, TagOptions};
use crate::tagger::{self, Rules};

/// One labelled article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelledArticle {
    pub id: String,
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
}

/// Reads a JSON Lines archive; `field` names the labels' field (`labels` by default;
/// Reuters-21578's is `topics`). Articles without a label are skipped (an archive's unlabelled
/// items teach nothing); a bad line is an error naming `path:line`.
pub fn read_jsonl(path: &Path, field: &str) -> Result<Vec<LabelledArticle>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
    #[derive(Deserialize)]
    struct Line {
        #[serde(default)]
        id: serde_json::Value,
        #[serde(default)]
        title: String,
        #[serde(default)]
        body: String,
        #[serde(flatten)]
        rest: BTreeMap<String, serde_json::Value>,
    }
    let mut articles = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("{}:{}", path.display(), index + 1);
        let parsed: Line =
            serde_json::from_str(line).map_err(|error| format!("{}: {error}", at()))?;
        let labels = match parsed.rest.get(field) {
            None => Vec::new(),
            Some(serde_json::Value::Array(values)) => values
                .iter()
                .map(|v| match v {
                    serde_json::Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
                    other => Err(format!(
                        "{}: {field:?} holds {other}, not a label string",
                        at()
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?,
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => vec![s.trim().to_owned()],
            Some(other) => {
                return Err(format!(
                    "{}: {field:?} is {other}: expected a list of label strings",
                    at()
                ));
            }
        };
        if labels.is_empty() {
            continue;
        }
        let id = match parsed.id {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => format!("{}", index + 1),
            other => other.to_string(),
        };
        articles.push(LabelledArticle {
            id,
            title: parsed.title,
            body: parsed.body,
            labels,
        });
    }
    if articles.is_empty() {
        return Err(format!(
            "{}: no labelled article (no line has a non-empty {field:?} list)",
            path.display()
        ));
    }
    Ok(articles)
}

/// The features of an article as the tagger sees it: its words, and the entities tagged with
/// `gazetteer` under the default options.
pub fn features(gazetteer: &Gazetteer, article: &LabelledArticle) -> ArticleFeatures {
    let request = Article {
        id: article.id.clone(),
        title: article.title.clone(),
        body: article.body.clone(),
        ..Article::default()
    };
    let response = tagger::tag_article(
        gazetteer,
        &request,
        &TagOptions::default(),
        Rules::default(),
    );
    let entities: Vec<(String, String, String)> = response
        .map(|r| {
            r.entities
                .into_iter()
                .map(|e| (e.id, e.r#type, e.category))
                .collect()
        })
        .unwrap_or_default();
    classifier::extract(
        &article.title,
        &article.body,
        entities
            .iter()
            .map(|(id, t, c)| (id.as_str(), t.as_str(), c.as_str())),
    )
}

/// Training examples over a feature vocabulary.
#[derive(Debug, Default)]
pub struct Dataset {
    /// The features kept, sorted by name, with their IDF.
    pub vocabulary: Vocabulary,
    /// (id, name) of each label, by index, sorted by id.
    pub labels: Vec<(String, String)>,
    pub examples: Vec<Example>,
}

/// Features of `articles`, in order, on every core; `progress` is told of each chunk.
pub fn featurise(
    gazetteer: &Gazetteer,
    articles: &[LabelledArticle],
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<ArticleFeatures> {
    articles
        .par_chunks(256)
        .flat_map_iter(|chunk| {
            let features: Vec<ArticleFeatures> =
                chunk.iter().map(|a| features(gazetteer, a)).collect();
            progress(chunk.len());
            features
        })
        .collect()
}

/// The examples of `articles` (whose features are `features`), keeping the features seen in
/// at least `min_count` articles; label names come from the gazetteer's topic lexicon for IPTC
/// qcodes, else are the labels themselves.
pub fn dataset(
    gazetteer: &Gazetteer,
    articles: &[&LabelledArticle],
    features: &[&ArticleFeatures],
    min_count: usize,
) -> Dataset {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for article in features {
        for (name, _) in &article.0 {
            *counts.entry(name.as_str()).or_default() += 1;
        }
    }
    let n = features.len();
    let mut kept: Vec<(String, f32)> = counts
        .into_iter()
        .filter(|&(_, df)| df >= min_count.max(1))
        .map(|(name, df)| (name.to_owned(), classifier::features::idf(df, n)))
        .collect();
    kept.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let (names, idf): (Vec<String>, Vec<f32>) = kept.into_iter().unzip();
    let index: HashMap<&str, (u32, f32)> = names
        .iter()
        .zip(&idf)
        .enumerate()
        .map(|(i, (name, &idf))| (name.as_str(), (i as u32, idf)))
        .collect();
    let mut label_ids: Vec<&str> = articles
        .iter()
        .flat_map(|a| a.labels.iter().map(String::as_str))
        .collect();
    label_ids.sort_unstable();
    label_ids.dedup();
    let label_index: HashMap<&str, u16> = label_ids
        .iter()
        .enumerate()
        .map(|(i, l)| (*l, i as u16))
        .collect();
    let labels = label_ids
        .iter()
        .map(|id| {
            let name = gazetteer
                .topics
                .topics
                .iter()
                .find(|t| t.id == *id)
                .map_or_else(|| (*id).to_owned(), |t| t.label.clone());
            ((*id).to_owned(), name)
        })
        .collect();
    let examples = articles
        .iter()
        .zip(features)
        .map(|(article, features)| Example {
            features: classifier::features::weigh(features, |name| index.get(name).copied()),
            labels: article
                .labels
                .iter()
                .filter_map(|l| label_index.get(l.as_str()).copied())
                .collect(),
        })
        .collect();
    Dataset {
        vocabulary: Vocabulary { names, idf },
        labels,
        examples,
    }
}
