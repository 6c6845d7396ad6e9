//! A trained topic model: its labels with their thresholds, and the weight each feature gives
//! each label. Stored as a `*.model` text file in a gazetteer directory, validated line by
//! line like every gazetteer file (`path:line: reason`):
//!
//! ```text
//! # comments and blank lines are ignored
//! newstag-topic-model <TAB> 1
//! label <TAB> <id> <TAB> <threshold> <TAB> <top threshold> <TAB> <bias> <TAB> <name>
//! feature <TAB> <name> <TAB> <idf> <TAB> <label index>:<weight> <label index>:<weight> …
//! ```
//!
//! Labels are numbered in the order of their `label` lines, from 0. A label's id is an IPTC
//! Media Topics qcode (`medtop:15000000`) or any id of the newsroom's own (`desk:markets`).

use std::collections::HashMap;
use std::fmt::Write as _;

use super::features::ArticleFeatures;
use super::table::{DENSE, DENSE_SHARE, Filter, HOT_FEATURES, Slot, Span, Table, Weight, quantise};

/// The first line every model file starts with (after comments), and its format version.
pub const MAGIC: &str = "newstag-topic-model";
const VERSION: &str = "1";

/// One label of a model.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub id: String,
    pub name: String,
    /// The probability from which the label is returned: chosen at training time for the
    /// target precision on held-out articles.
    pub threshold: f32,
    /// The same where the label ranks first in the article (never above `threshold`).
    pub top_threshold: f32,
    pub bias: f32,
}

/// A model ready to score articles.
///
/// Tagging reads the model once per article while the engine's automaton (tens of megabytes)
/// pushes it out of the caches in between, so what scoring touches is kept small: a 16-byte
/// table slot per feature, weights as bfloat16 ([`Weight`]) and the rows that weigh on many
/// labels as one byte per label ([`super::table::quantise`]), and the rest (names, the rows
/// behind the slots) in cold arrays that only explain, the named path and the file read.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub labels: Vec<Label>,
    /// Per label, a logit below which neither of its thresholds can be reached: scoring
    /// computes a probability only for the labels above it.
    floors: Vec<f32>,
    /// Label id → index, for merging with the lexicon's topics.
    label_index: HashMap<String, u16>,
    /// The hash of each feature name ([`super::features::name_hash`]) → what scoring needs of
    /// its row. Tagging looks up a word without building its name (see
    /// [`super::features::each_feature_hash`]); a named lookup checks the row's name too.
    ///
    /// The [`HOT_FEATURES`] commonest features (lowest IDF: "said", "the company") are in a
    /// table of their own, small enough to stay in the processor's cache between articles:
    /// they are most of what an article names. The rest are in `cold`, and a bit filter in
    /// front of it turns away most of the article's words the model does not know (about a
    /// third of them) without a probe into it.
    hot: Table,
    cold: Table,
    cold_filter: Filter,
    /// Per row, cold: the feature's name (named lookups, explain, the file).
    names: Vec<Box<str>>,
    /// Per row, cold: the IDF, and where its (label, weight) run is in `weights`. Where
    /// scoring reads the weights is in the row's table slot.
    idfs: Vec<f32>,
    spans: Vec<Span>,
    /// (label, weight) runs, one per row, the hot rows' first (together in memory, as the
    /// table is).
    weights: Vec<(u16, Weight)>,
    /// Rows with weights for many labels (common words: "said" weighs on every label), also
    /// as one byte per label ([`quantise`], the scale in the row's [`Span`]), 0 where the run
    /// has none: added label by label in one
    /// vectorised pass over contiguous memory instead of a scattered run of pairs. A
    /// Reuters article names about 120 features the model knows and reaches about 9,000
    /// weights, most of them through such rows.
    dense: Vec<i8>,
}

/// One feature of an article's vector: the table slot it was found in, its value
/// (IDF-weighed, unit length) and where its weights are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    slot: u32,
    pub value: f32,
    weights: Span,
}

impl Hit {
    /// The hit of a feature found `count` times (title words twice) in `slot`, before the
    /// vector is scaled to unit length.
    fn of(slot_index: u32, slot: &Slot, count: u32) -> Self {
        Self {
            slot: slot_index,
            value: super::features::count_value(count) * slot.idf,
            weights: slot.weights,
        }
    }
}

/// One feature of a model: its name, IDF and (label, weight) pairs.
pub type FeatureWeights = (String, f32, Vec<(u16, f32)>);

/// A label's score for one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub label: usize,
    /// Logistic probability, 0 to 1.
    pub probability: f64,
}

impl Model {
    /// A model from labels and, per feature, its (label, weight) pairs (each label at most
    /// once per feature).
    pub fn new(labels: Vec<Label>, features: Vec<FeatureWeights>) -> Self {
        let floors = labels
            .iter()
            .map(|label| logit_floor(label.threshold.min(label.top_threshold)))
            .collect();
        let label_index = labels
            .iter()
            .enumerate()
            .map(|(index, label)| (label.id.clone(), index as u16))
            .collect();
        // The commonest features (lowest IDF, then first) are hot.
        let mut by_idf: Vec<usize> = (0..features.len()).collect();
        by_idf.sort_by(|&a, &b| features[a].1.total_cmp(&features[b].1).then(a.cmp(&b)));
        let mut hot = vec![false; features.len()];
        for &row in by_idf.iter().take(HOT_FEATURES) {
            hot[row] = true;
        }
        let hot_count = features.len().min(HOT_FEATURES);
        let cold_count = features.len() - hot_count;
        let mut model = Self {
            labels,
            floors,
            label_index,
            hot: Table::for_features(hot_count),
            cold: Table::for_features(cold_count),
            cold_filter: Filter::for_features(cold_count),
            names: Vec::with_capacity(features.len()),
            idfs: Vec::with_capacity(features.len()),
            spans: vec![Span::default(); features.len()],
            ..Self::default()
        };
        let label_count = model.labels.len();
        let mut hashes = Vec::with_capacity(features.len());
        let mut runs = Vec::with_capacity(features.len());
        for (name, idf, weights) in features {
            let weights: Vec<(u16, Weight)> = weights
                .into_iter()
                .map(|(label, weight)| (label, Weight::new(weight)))
                .collect();
            let name = name.into_boxed_str();
            hashes.push(super::features::name_hash(&name));
            model.names.push(name);
            model.idfs.push(idf);
            runs.push(weights);
        }
        // The hot rows' weights first, then the cold rows'.
        for pass_hot in [true, false] {
            for (row, weights) in runs.iter().enumerate() {
                if hot[row] != pass_hot {
                    continue;
                }
                let run = Span {
                    start: model.weights.len() as u32,
                    len: weights.len() as u16,
                    scale: Weight::default(),
                };
                model.weights.extend_from_slice(weights);
                model.spans[row] = run;
                let scored =
                    if label_count >= DENSE_SHARE && weights.len() * DENSE_SHARE >= label_count {
                        let mut row = vec![Weight::default(); label_count];
                        for &(label, weight) in weights {
                            if let Some(cell) = row.get_mut(usize::from(label)) {
                                *cell = weight;
                            }
                        }
                        let (row, scale) = quantise(&row);
                        let offset = model.dense.len();
                        model.dense.extend_from_slice(&row);
                        Span {
                            start: offset as u32,
                            len: DENSE,
                            scale,
                        }
                    } else {
                        run
                    };
                let slot = Slot {
                    tag: 0,
                    idf: model.idfs[row],
                    weights: scored,
                };
                let hash = hashes[row];
                if pass_hot {
                    model.hot.insert(hash, slot, row as u32);
                } else {
                    model.cold.insert(hash, slot, row as u32);
                    model.cold_filter.insert(hash);
                }
            }
        }
        model
    }

    /// The slot of the feature whose name hashes to `hash`, as an index into the hot table
    /// then the cold one.
    fn slot(&self, hash: u64) -> Option<(u32, &Slot)> {
        if let Some(index) = self.hot.find(hash) {
            return Some((index as u32, &self.hot.slots[index]));
        }
        if !self.cold_filter.may_contain(hash) {
            return None;
        }
        let index = self.cold.find(hash)?;
        Some((
            (self.hot.slots.len() + index) as u32,
            &self.cold.slots[index],
        ))
    }

    /// Features with at least one weight.
    pub fn feature_count(&self) -> usize {
        self.names.len()
    }

    /// Stored (feature, label) weights.
    pub fn weight_count(&self) -> usize {
        self.weights.len()
    }

    /// The index of the label with this id.
    pub fn label_index(&self, id: &str) -> Option<usize> {
        self.label_index.get(id).map(|&i| usize::from(i))
    }

    fn weights_of(&self, row: u32) -> &[(u16, Weight)] {
        let Span { start, len, .. } = self.spans[row as usize];
        &self.weights[start as usize..start as usize + usize::from(len)]
    }

    /// The row found in a hit's slot.
    fn row_of(&self, hit: &Hit) -> u32 {
        let slot = hit.slot as usize;
        match slot.checked_sub(self.hot.rows.len()) {
            None => self.hot.rows[slot],
            Some(cold) => self.cold.rows[cold],
        }
    }

    /// The article's known features, weighed by IDF.
    fn vector(&self, features: &ArticleFeatures) -> Vec<Hit> {
        super::features::weigh(features, |name| {
            let (index, slot) = self.slot(super::features::name_hash(name))?;
            let hit = Hit {
                slot: index,
                value: slot.idf,
                weights: slot.weights,
            };
            (*self.names[self.row_of(&hit) as usize] == *name).then_some((hit, slot.idf))
        })
        .into_iter()
        .map(|(hit, value)| Hit { value, ..hit })
        .collect()
    }

    /// Whether the prediction at `rank` (0: the article's top label) is returned.
    pub fn accepts(&self, prediction: &Prediction, rank: usize) -> bool {
        let label = &self.labels[prediction.label];
        let threshold = if rank == 0 {
            label.top_threshold
        } else {
            label.threshold
        };
        prediction.probability >= f64::from(threshold)
    }

    /// The vector of an article straight from its text and entities, as [`Self::vector`] of
    /// [`super::features::extract`] gives it (the same features and values, summed in
    /// another order), without building a string per feature: what the tagger calls for
    /// every article.
    pub fn vector_of<'a>(
        &self,
        (title, body): (&str, &str),
        entities: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Vec<Hit> {
        // Every occurrence counted per feature first: a Reuters article has about 400
        // occurrences of about 240 features, and only those 240 are looked up in the model.
        // A fixed seed keeps the order, and so the sums, the same from run to run.
        let mut features: std::collections::HashMap<u64, u32, foldhash::fast::FixedState> =
            std::collections::HashMap::with_capacity_and_hasher(
                512,
                foldhash::fast::FixedState::with_seed(0),
            );
        super::features::each_feature_hash(title, body, entities, |hash, weight| {
            *features.entry(hash).or_default() += weight;
        });
        // Then looked up in passes of nothing but loads: the tables are mostly out of cache
        // (the engine's automaton pushes them out between articles), and loads with no
        // branch between them are in flight together instead of each waiting for the one
        // before. First the hot table's slots and the cold filter's words…
        std::hint::black_box(features.keys().fold(0u32, |acc, &hash| {
            acc ^ self.hot.touch(hash) ^ self.cold_filter.touch(hash)
        }));
        let mut vector: Vec<Hit> = Vec::with_capacity(features.len());
        let mut cold: Vec<(u64, u32)> = Vec::with_capacity(features.len() / 2);
        for (&hash, &n) in &features {
            if let Some(index) = self.hot.find(hash) {
                vector.push(Hit::of(index as u32, &self.hot.slots[index], n));
            } else if self.cold_filter.may_contain(hash) {
                cold.push((hash, n));
            }
        }
        // …then the cold table's, for the features the filter let through.
        std::hint::black_box(
            cold.iter()
                .fold(0u32, |acc, &(hash, _)| acc ^ self.cold.touch(hash)),
        );
        let offset = self.hot.slots.len() as u32;
        for &(hash, n) in &cold {
            if let Some(index) = self.cold.find(hash) {
                vector.push(Hit::of(offset + index as u32, &self.cold.slots[index], n));
            }
        }
        let norm = vector.iter().map(|h| h.value * h.value).sum::<f32>().sqrt();
        if norm > 0.0 {
            for hit in &mut vector {
                hit.value /= norm;
            }
        }
        vector
    }

    /// Every label's logit for an article's vector: its bias plus each feature's value
    /// times its weight.
    fn logits(&self, vector: &[Hit]) -> Vec<f32> {
        // Summed in f32, four or eight labels an instruction over the dense rows: a logit
        // is a few hundred products of unit-scale numbers, far inside f32's precision.
        let mut z: Vec<f32> = self.labels.iter().map(|l| l.bias).collect();
        // First one load from each row's weights, in a loop of nothing else: the rows are
        // apart in memory and mostly out of cache, and so their misses overlap instead of
        // each waiting for the one before.
        let mut touched = 0u16;
        for hit in vector {
            let Span { start, len, .. } = hit.weights;
            touched ^= if len == DENSE {
                self.dense.get(start as usize).map_or(0, |&w| w as u16)
            } else {
                self.weights.get(start as usize).map_or(0, |w| w.1.0)
            };
        }
        std::hint::black_box(touched);
        for hit in vector {
            let Span { start, len, scale } = hit.weights;
            let start = start as usize;
            if len == DENSE {
                // Each label once, as the pair run adds it (a missing pair adds 0).
                let value = hit.value * scale.get();
                if let Some(row) = self.dense.get(start..start + z.len()) {
                    for (sum, &weight) in z.iter_mut().zip(row) {
                        *sum += value * f32::from(weight);
                    }
                }
            } else if let Some(run) = self.weights.get(start..start + usize::from(len)) {
                for &(label, weight) in run {
                    if let Some(sum) = z.get_mut(label as usize) {
                        *sum += hit.value * weight.get();
                    }
                }
            }
        }
        z
    }

    /// Every label's probability for an article, highest first (ties by label order).
    pub fn predict(&self, features: &ArticleFeatures) -> Vec<Prediction> {
        self.predict_vector(&self.vector(features))
    }

    /// [`Self::predict`] of a vector from [`Self::vector_of`].
    pub fn predict_vector(&self, vector: &[Hit]) -> Vec<Prediction> {
        ranked(self.logits(vector).into_iter().enumerate().collect())
    }

    /// The labels [`Self::accepts`] returns for an article's vector, highest first: what
    /// [`Self::predict_vector`] and [`Self::accepts`] give together, with a probability
    /// computed only where a label's logit can reach its threshold (an `exp` per label of a
    /// 100-label model is a few microseconds an article).
    pub fn accepted(&self, vector: &[Hit]) -> Vec<Prediction> {
        let z = self.logits(vector);
        // Rank 0 as `predict_vector` ranks: the highest logit, ties to the first label.
        let top = z
            .iter()
            .enumerate()
            .fold(None, |best: Option<(usize, f32)>, (label, &z)| match best {
                Some((_, best_z)) if best_z >= z => best,
                _ => Some((label, z)),
            })
            .map(|(label, _)| label);
        let accepted: Vec<(usize, f32)> = z
            .iter()
            .enumerate()
            .filter(|&(label, &z)| self.floors.get(label).is_none_or(|&floor| z >= floor))
            .filter(|&(label, &z)| {
                let rank = if Some(label) == top { 0 } else { 1 };
                self.accepts(
                    &Prediction {
                        label,
                        probability: probability(z),
                    },
                    rank,
                )
            })
            .map(|(label, &z)| (label, z))
            .collect();
        ranked(accepted)
    }

    /// The `limit` features that pushed `label` up most in this article, with their
    /// contribution (value × weight), largest first.
    pub fn explain(
        &self,
        features: &ArticleFeatures,
        label: usize,
        limit: usize,
    ) -> Vec<(String, f64)> {
        self.explain_vector(&self.vector(features), label, limit)
    }

    /// [`Self::explain`] of a vector from [`Self::vector_of`].
    pub fn explain_vector(&self, vector: &[Hit], label: usize, limit: usize) -> Vec<(String, f64)> {
        let mut contributions: Vec<(String, f64)> = vector
            .iter()
            .filter_map(|hit| {
                let row = self.row_of(hit);
                self.weights_of(row)
                    .iter()
                    .find(|&&(l, _)| l as usize == label)
                    .map(|&(_, w)| {
                        (
                            self.names[row as usize].to_string(),
                            f64::from(hit.value) * f64::from(w.get()),
                        )
                    })
            })
            .filter(|(_, c)| *c > 0.0)
            .collect();
        contributions.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        contributions.truncate(limit);
        contributions
    }

    /// The model as a `*.model` file: features in name order, so the same model always
    /// writes the same bytes.
    pub fn to_text(&self, comment: &str) -> String {
        let mut out = String::new();
        for line in comment.lines() {
            let _ = writeln!(out, "# {line}");
        }
        let _ = writeln!(out, "{MAGIC}\t{VERSION}");
        for label in &self.labels {
            let _ = writeln!(
                out,
                "label\t{}\t{}\t{}\t{}\t{}",
                label.id, label.threshold, label.top_threshold, label.bias, label.name
            );
        }
        let mut rows: Vec<u32> = (0..self.names.len() as u32).collect();
        rows.sort_unstable_by(|&a, &b| self.names[a as usize].cmp(&self.names[b as usize]));
        for row in rows {
            let (name, idf) = (&self.names[row as usize], self.idfs[row as usize]);
            let _ = write!(out, "feature\t{name}\t{idf}\t");
            for (i, (label, weight)) in self.weights_of(row).iter().enumerate() {
                let separator = if i == 0 { "" } else { " " };
                let _ = write!(out, "{separator}{label}:{}", weight.get());
            }
            out.push('\n');
        }
        out
    }

    /// Parses a `*.model` file; every problem is reported as `(line, reason)`.
    pub fn parse(text: &str) -> Result<Self, Vec<(usize, String)>> {
        let mut problems = Vec::new();
        let mut labels: Vec<Label> = Vec::new();
        let mut features: Vec<FeatureWeights> = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut header = false;
        for (index, line) in text.lines().enumerate() {
            let at = index + 1;
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            if !header {
                if fields.first() != Some(&MAGIC) {
                    problems.push((at,
                        format!("not a topic model: the first line must be `{MAGIC}<TAB>{VERSION}` (written by `newstag topics train`)"),
                    ));
                    break;
                }
                if fields.get(1) != Some(&VERSION) {
                    problems.push((
                        at,
                        format!(
                            "model format version {:?}; this newstag reads version {VERSION}",
                            fields.get(1).unwrap_or(&"")
                        ),
                    ));
                    break;
                }
                header = true;
                continue;
            }
            match fields[0] {
                "label" => match parse_label(&fields) {
                    Ok(label) => {
                        if !features.is_empty() {
                            problems.push((
                                at,
                                "label after the first feature: labels come first".into(),
                            ));
                        } else if labels.iter().any(|l| l.id == label.id) {
                            problems.push((at, format!("duplicate label {:?}", label.id)));
                        } else if labels.len() >= usize::from(u16::MAX) {
                            problems.push((at, "more than 65,535 labels".into()));
                        } else {
                            labels.push(label);
                        }
                    }
                    Err(reason) => problems.push((at, reason)),
                },
                "feature" => match parse_feature(&fields, labels.len()) {
                    Ok((name, idf, weights)) => {
                        if let Some(first) = seen.insert(fields[1], at) {
                            problems.push((
                                at,
                                format!("duplicate feature {name:?} (first on line {first})"),
                            ));
                        } else {
                            features.push((name, idf, weights));
                        }
                    }
                    Err(reason) => problems.push((at, reason)),
                },
                other => problems.push((
                    at,
                    format!("unknown line kind {other:?}: expected `label` or `feature`"),
                )),
            }
        }
        if !header && problems.is_empty() {
            problems.push((1, format!("empty model: no `{MAGIC}` line")));
        }
        if header && labels.is_empty() && problems.is_empty() {
            problems.push((1, "the model has no labels".into()));
        }
        if problems.is_empty() {
            Ok(Self::new(labels, features))
        } else {
            Err(problems)
        }
    }
}

/// (label, logit) pairs as predictions, highest first, ties by label order.
fn ranked(mut logits: Vec<(usize, f32)>) -> Vec<Prediction> {
    logits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    logits
        .into_iter()
        .map(|(label, z)| Prediction {
            label,
            probability: probability(z),
        })
        .collect()
}

/// The logistic probability of a logit.
fn probability(z: f32) -> f64 {
    1.0 / (1.0 + (-f64::from(z)).exp())
}

/// A logit below which the probability stays under `threshold`, with a margin for rounding
/// (it only spares computing probabilities that cannot pass; [`Model::accepts`] decides).
fn logit_floor(threshold: f32) -> f32 {
    let t = f64::from(threshold);
    if t <= 0.0 {
        return f32::NEG_INFINITY;
    }
    // A probability of 1.0 is reached from a logit of about 37 (f64 rounding).
    ((t / (1.0 - t)).ln() - 1e-3).min(30.0) as f32
}

fn number(field: &str, what: &str) -> Result<f32, String> {
    match field.parse::<f32>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("bad {what} {field:?}: expected a finite number")),
    }
}

fn parse_label(fields: &[&str]) -> Result<Label, String> {
    let [_, id, threshold, top_threshold, bias, name] = fields else {
        return Err(format!(
            "a label line has 6 tab-separated fields (label, id, threshold, top threshold, bias, name), this one {}",
            fields.len()
        ));
    };
    if id.trim().is_empty() || id.contains(char::is_whitespace) {
        return Err(format!(
            "bad label id {id:?}: an id is one word, e.g. medtop:15000000"
        ));
    }
    let threshold = number(threshold, "threshold")?;
    let top_threshold = number(top_threshold, "top threshold")?;
    for t in [threshold, top_threshold] {
        if !(0.0..=1.0).contains(&t) {
            return Err(format!("threshold {t} is not a probability from 0 to 1"));
        }
    }
    Ok(Label {
        id: (*id).to_owned(),
        name: if name.trim().is_empty() {
            (*id).to_owned()
        } else {
            (*name).to_owned()
        },
        threshold,
        top_threshold,
        bias: number(bias, "bias")?,
    })
}

fn parse_feature(fields: &[&str], labels: usize) -> Result<FeatureWeights, String> {
    let [_, name, idf, weights] = fields else {
        return Err(format!(
            "a feature line has 4 tab-separated fields (feature, name, IDF, weights), this one {}",
            fields.len()
        ));
    };
    if name.is_empty() {
        return Err("empty feature name".into());
    }
    let idf = number(idf, "IDF")?;
    if idf <= 0.0 {
        return Err(format!("IDF {idf} is not positive"));
    }
    let mut parsed = Vec::new();
    for pair in weights.split(' ').filter(|p| !p.is_empty()) {
        let Some((label, weight)) = pair.split_once(':') else {
            return Err(format!(
                "bad weight {pair:?}: expected <label index>:<weight>"
            ));
        };
        let label: u16 = label
            .parse()
            .ok()
            .filter(|&l| usize::from(l) < labels)
            .ok_or_else(|| {
                format!("bad label index {label:?} in {pair:?}: the model has {labels} labels (0 to {})", labels.saturating_sub(1))
            })?;
        parsed.push((label, number(weight, "weight")?));
    }
    let mut labels_seen: Vec<u16> = parsed.iter().map(|&(label, _)| label).collect();
    labels_seen.sort_unstable();
    if let Some(pair) = labels_seen.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(format!(
            "label index {} twice in one feature: a feature weighs once on each label",
            pair[0]
        ));
    }
    Ok(((*name).to_owned(), idf, parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        Model::new(
            vec![
                Label {
                    id: "medtop:15000000".into(),
                    name: "sport".into(),
                    threshold: 0.5,
                    top_threshold: 0.4,
                    bias: -1.0,
                },
                Label {
                    id: "desk:markets".into(),
                    name: "Markets".into(),
                    threshold: 0.7,
                    top_threshold: 0.7,
                    bias: -1.0,
                },
            ],
            vec![
                ("w:goal".into(), 1.0, vec![(0, 4.0)]),
                ("c:bank".into(), 2.0, vec![(1, 3.0), (0, -1.0)]),
            ],
        )
    }

    #[test]
    fn predicts_and_explains() {
        let article = ArticleFeatures(vec![("w:goal".into(), 1.0), ("w:the".into(), 0.5)]);
        let predictions = model().predict(&article);
        assert_eq!(predictions[0].label, 0);
        assert!((predictions[0].probability - 1.0 / (1.0 + (-3.0f64).exp())).abs() < 1e-9);
        assert_eq!(
            model().explain(&article, 0, 5),
            vec![("w:goal".to_owned(), 4.0)]
        );
        assert!(model().explain(&article, 1, 5).is_empty());
    }

    #[test]
    fn the_tagging_path_counts_as_the_named_path() {
        let model = Model::new(
            model().labels,
            vec![
                ("c:club".into(), 1.5, vec![(0, 2.0)]),
                ("e:org:x".into(), 3.0, vec![(0, 1.0)]),
                ("p:late goal".into(), 2.0, vec![(0, 1.0)]),
                ("w:goal".into(), 1.0, vec![(0, 4.0)]),
                ("w:late".into(), 1.2, vec![(1, -1.0)]),
            ],
        );
        let (title, body) = ("Late goal", "A late goal, then another goal for the club.");
        let entities = [
            ("org:x", "organisation", "club"),
            ("unlinked:person:y", "person", ""),
        ];
        let mut named = model.vector(&crate::classifier::extract(title, body, entities));
        let mut hashed = model.vector_of((title, body), entities);
        assert_eq!(named.len(), 5);
        assert_eq!(named.len(), hashed.len());
        // The same features, found in another order.
        named.sort_by_key(|hit| hit.slot);
        hashed.sort_by_key(|hit| hit.slot);
        for (a, b) in named.iter().zip(&hashed) {
            assert_eq!(a.slot, b.slot);
            assert_eq!(a.weights, b.weights);
            assert!((a.value - b.value).abs() < 1e-6, "{named:?} {hashed:?}");
        }
    }

    #[test]
    fn dense_and_sparse_rows_score_alike() {
        let labels: Vec<Label> = (0..6)
            .map(|i| Label {
                id: format!("l{i}"),
                name: format!("L{i}"),
                threshold: 0.5,
                top_threshold: 0.5,
                bias: -0.5,
            })
            .collect();
        let features = vec![
            // Three of six labels: dense (one in four or more), held as multiples of
            // 0.75 / 127, of which 0.25 and -0.5 are not exact.
            (
                "w:said".to_owned(),
                1.1,
                vec![(4, 0.25), (1, -0.5), (0, 0.75)],
            ),
            // One of six: a pair run.
            ("w:wicket".to_owned(), 3.0, vec![(2, 2.0)]),
        ];
        let model = Model::new(labels, features);
        assert_eq!(model.dense.len(), 6, "one dense row");
        let article = ArticleFeatures(vec![("w:said".into(), 0.6), ("w:wicket".into(), 0.8)]);
        let vector = model.vector(&article);
        let (said, wicket) = (vector[0].value, vector[1].value);
        let expected: [f32; 6] = [
            -0.5 + said * 0.75,
            -0.5 + said * -0.5,
            -0.5 + wicket * 2.0,
            -0.5,
            -0.5 + said * 0.25,
            -0.5,
        ];
        let predictions = model.predict(&article);
        // Within half a step (0.75 / 254) and the scale's own bfloat16 rounding (at most
        // 1/256 of the largest weight), times the value.
        let tolerance = f64::from(said) * 0.75 * (1.0 / 254.0 + 1.0 / 256.0) + 1e-6;
        for prediction in &predictions {
            let z = f64::from(expected[prediction.label]);
            let logit = (prediction.probability / (1.0 - prediction.probability)).ln();
            assert!(
                (logit - z).abs() <= tolerance,
                "label {}: logit {logit}, expected {z}",
                prediction.label
            );
        }
        // Label 4's 0.25 is held as 42 steps, off by 0.0020; label 1's -0.5 as -85, by 0.0020.
        assert!(predictions.iter().any(|p| {
            let logit = (p.probability / (1.0 - p.probability)).ln();
            p.label == 4 && (logit - f64::from(expected[4])).abs() > 1e-4
        }));
        assert_eq!(predictions[0].label, 2);
    }

    #[test]
    fn a_files_weights_are_read_and_written_as_held() {
        // A file's weights are read into that precision and written from it.
        let model = Model::new(
            model().labels,
            vec![("w:goal".into(), 1.0, vec![(0, 0.123_456_7)])],
        );
        let text = model.to_text("");
        assert!(text.contains("0:0.123535156"), "{text}");
        assert_eq!(Model::parse(&text).unwrap().to_text(""), text);
    }

    #[test]
    fn accepted_labels_are_those_predict_and_accepts_return() {
        let labels: Vec<Label> = (0..5)
            .map(|i| Label {
                id: format!("l{i}"),
                name: format!("L{i}"),
                threshold: [0.5, 0.9, 0.3, 1.0, 0.0][i],
                top_threshold: [0.4, 0.6, 0.3, 1.0, 0.0][i],
                bias: [0.0, 1.0, -1.0, 40.0, -9.0][i],
            })
            .collect();
        let model = Model::new(
            labels,
            vec![
                ("w:a".into(), 1.0, vec![(0, 3.0), (1, 2.0), (2, -1.0)]),
                ("w:b".into(), 2.0, vec![(2, 4.0), (4, 1.0)]),
            ],
        );
        for article in [
            vec![("w:a".to_owned(), 1.0)],
            vec![("w:b".to_owned(), 1.0)],
            vec![("w:a".to_owned(), 0.6), ("w:b".to_owned(), 0.8)],
            vec![],
        ] {
            let vector = model.vector(&ArticleFeatures(article.clone()));
            let expected: Vec<Prediction> = model
                .predict_vector(&vector)
                .into_iter()
                .enumerate()
                .filter(|(rank, p)| model.accepts(p, *rank))
                .map(|(_, p)| p)
                .collect();
            let accepted = model.accepted(&vector);
            assert_eq!(accepted, expected, "{article:?}");
            // A threshold of 1 is reached from a large enough logit; of 0, always.
            assert!(accepted.iter().any(|p| p.label == 3), "{accepted:?}");
            assert!(accepted.iter().any(|p| p.label == 4), "{accepted:?}");
        }
        assert_eq!(model.label_index("l2"), Some(2));
        assert_eq!(model.label_index("l9"), None);
    }

    #[test]
    fn text_round_trips_byte_for_byte() {
        let text = model().to_text("trained on 2 articles");
        let parsed = Model::parse(&text).unwrap();
        assert_eq!(parsed.to_text("trained on 2 articles"), text);
        assert_eq!(parsed.labels, model().labels);
        assert_eq!(parsed.feature_count(), 2);
    }

    #[test]
    fn problems_name_the_line() {
        let bad = "# c\nnewstag-topic-model\t1\nlabel\tx\t1.5\t0.5\t0\tX\nlabel\ty\t0.5\t0.5\tNaN\tY\nlabel\tz\t0.5\t0.5\t0\tZ\nfeature\tw:a\t1\t0:2 7:1\nfeature\tw:a\t1\t0:1\nwhat\nfeature\tw:b\t1\t0:1 0:2\n";
        let problems = Model::parse(bad).unwrap_err();
        let lines: Vec<usize> = problems.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [3, 4, 6, 8, 9], "{problems:?}");
        assert!(problems[4].1.contains("twice"), "{problems:?}");
        assert!(problems[0].1.contains("threshold 1.5"));
        assert!(
            problems[2].1.contains("bad label index \"7\""),
            "{problems:?}"
        );
        assert!(
            Model::parse("label\tx\n").unwrap_err()[0]
                .1
                .contains("not a topic model")
        );
        assert!(
            Model::parse("newstag-topic-model\t9\n").unwrap_err()[0]
                .1
                .contains("version")
        );
    }
}
