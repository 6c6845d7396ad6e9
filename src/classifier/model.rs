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
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub labels: Vec<Label>,
    /// The hash of each feature name ([`super::features::name_hash`]) → what scoring needs of
    /// its row, in one open-addressing table: a feature an article names costs one probe,
    /// usually one cache line, and nothing more until its weights are added. Tagging looks up
    /// a word without building its name (see [`super::features::each_feature_hash`]); a named
    /// lookup checks the row's name too. With a hash map to the row and the IDF and weight
    /// runs in arrays of their own, four cache misses a feature made a 115-label Reuters model
    /// cost about 40 µs a Reuters article inside the engine (now about 35).
    table: Vec<Slot>,
    /// Per row, cold: the feature's name (named lookups, explain, the file).
    names: Vec<Box<str>>,
    /// Per row, cold: the IDF, and where its (label, weight) run starts in `weights` (row
    /// `r`'s run ends where row `r + 1`'s starts; one more entry than rows). Where scoring
    /// reads the weights is in the row's table slot.
    idfs: Vec<f32>,
    starts: Vec<u32>,
    /// (label, weight) runs, one per row.
    weights: Vec<(u16, f32)>,
    /// Rows with weights for many labels (common words: "said" weighs on every label), also
    /// as one weight per label, 0 where the run has none: added label by label in one
    /// vectorised pass over contiguous memory instead of a scattered run of pairs. A
    /// Reuters article names about 200 features and reaches about 14,000 weights, most of
    /// them through such rows.
    dense: Vec<f32>,
}

/// What scoring reads of a row, inline in its table slot.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Slot {
    hash: u64,
    /// [`EMPTY`] for a free slot.
    row: u32,
    idf: f32,
    weights: Span,
}

/// The row of a free [`Slot`].
const EMPTY: u32 = u32::MAX;

/// Where a row's weights are: `len` pairs from `start` in `Model::weights`, or, with `len`
/// [`DENSE`], one weight per label from `start` in `Model::dense`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Span {
    start: u32,
    len: u32,
}

const DENSE: u32 = u32::MAX;

/// A row weighing on at least this share of the labels is also stored dense (at 1 in 3, a
/// pair run is already as many bytes as the dense row, and is read scattered).
const DENSE_SHARE: usize = 3;

/// One feature of an article's vector: its row, its value (IDF-weighed, unit length) and
/// where its weights are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub row: u32,
    pub value: f32,
    weights: Span,
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
        let capacity = (features.len() * 4 / 3 + 1).next_power_of_two().max(8);
        let mut model = Self {
            labels,
            table: vec![
                Slot {
                    row: EMPTY,
                    ..Slot::default()
                };
                capacity
            ],
            ..Self::default()
        };
        let label_count = model.labels.len();
        model.starts.push(0);
        for (name, idf, weights) in features {
            let row = model.names.len() as u32;
            let start = model.weights.len() as u32;
            let span = if label_count >= DENSE_SHARE && weights.len() * DENSE_SHARE >= label_count {
                let offset = model.dense.len();
                model.dense.resize(offset + label_count, 0.0);
                for &(label, weight) in &weights {
                    if let Some(cell) = model.dense.get_mut(offset + usize::from(label)) {
                        *cell = weight;
                    }
                }
                Span {
                    start: offset as u32,
                    len: DENSE,
                }
            } else {
                Span {
                    start,
                    len: weights.len() as u32,
                }
            };
            model.weights.extend(weights);
            let name = name.into_boxed_str();
            model.insert(Slot {
                hash: super::features::name_hash(&name),
                row,
                idf,
                weights: span,
            });
            model.names.push(name);
            model.idfs.push(idf);
            model.starts.push(model.weights.len() as u32);
        }
        model
    }

    /// Puts `slot` in the table; of two names with one hash the first keeps it.
    fn insert(&mut self, slot: Slot) {
        let mask = self.table.len() - 1;
        let mut index = slot.hash as usize & mask;
        loop {
            let existing = &mut self.table[index];
            if existing.row == EMPTY {
                *existing = slot;
                return;
            }
            if existing.hash == slot.hash {
                return;
            }
            index = (index + 1) & mask;
        }
    }

    /// The slot of the feature whose name hashes to `hash`.
    fn slot(&self, hash: u64) -> Option<&Slot> {
        let mask = self.table.len().checked_sub(1)?;
        let mut index = hash as usize & mask;
        // The table is never full (at most 3 in 4 slots used): a free slot ends every probe.
        loop {
            let slot = &self.table[index];
            if slot.row == EMPTY {
                return None;
            }
            if slot.hash == hash {
                return Some(slot);
            }
            index = (index + 1) & mask;
        }
    }

    /// Features with at least one weight.
    pub fn feature_count(&self) -> usize {
        self.names.len()
    }

    /// Stored (feature, label) weights.
    pub fn weight_count(&self) -> usize {
        self.weights.len()
    }

    fn weights_of(&self, row: u32) -> &[(u16, f32)] {
        let row = row as usize;
        &self.weights[self.starts[row] as usize..self.starts[row + 1] as usize]
    }

    /// The article's known features, weighed by IDF.
    fn vector(&self, features: &ArticleFeatures) -> Vec<Hit> {
        super::features::weigh(features, |name| {
            let slot = self.slot(super::features::name_hash(name))?;
            (*self.names[slot.row as usize] == *name)
                .then_some(((slot.row, slot.weights), slot.idf))
        })
        .into_iter()
        .map(|((row, weights), value)| Hit {
            row,
            value,
            weights,
        })
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
    /// [`super::features::extract`] gives it, without building a string per feature: what
    /// the tagger calls for every article.
    pub fn vector_of<'a>(
        &self,
        (title, body): (&str, &str),
        entities: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Vec<Hit> {
        // Every occurrence hashed first, then looked up in one tight loop: the lookups are
        // cache misses, and with nothing between them the processor has several in flight
        // at once.
        let mut hashes: Vec<(u64, u32)> = Vec::with_capacity(512);
        super::features::each_feature_hash(title, body, entities, |hash, weight| {
            hashes.push((hash, weight));
        });
        // Then as (row, count, IDF, weights), sorted and summed per row: cheaper than a hash
        // map of counts for the few hundred features of an article.
        let mut found: Vec<(u32, u32, f32, Span)> = hashes
            .iter()
            .filter_map(|&(hash, weight)| {
                self.slot(hash)
                    .map(|slot| (slot.row, weight, slot.idf, slot.weights))
            })
            .collect();
        found.sort_unstable_by_key(|&(row, ..)| row);
        // Rows are in name order: summing in row order adds as the named path does.
        let mut vector: Vec<Hit> = Vec::with_capacity(found.len());
        for chunk in found.chunk_by(|a, b| a.0 == b.0) {
            let (row, _, idf, weights) = chunk[0];
            let n: u32 = chunk.iter().map(|&(_, w, ..)| w).sum();
            vector.push(Hit {
                row,
                value: (1.0 + (n as f32).ln()) * idf,
                weights,
            });
        }
        let norm = vector.iter().map(|h| h.value * h.value).sum::<f32>().sqrt();
        if norm > 0.0 {
            for hit in &mut vector {
                hit.value /= norm;
            }
        }
        vector
    }

    /// Every label's probability for an article, highest first (ties by label order).
    pub fn predict(&self, features: &ArticleFeatures) -> Vec<Prediction> {
        self.predict_vector(&self.vector(features))
    }

    /// [`Self::predict`] of a vector from [`Self::vector_of`].
    pub fn predict_vector(&self, vector: &[Hit]) -> Vec<Prediction> {
        // Summed in f32, four or eight labels an instruction over the dense rows: a logit
        // is a few hundred products of unit-scale numbers, far inside f32's precision.
        let mut z: Vec<f32> = self.labels.iter().map(|l| l.bias).collect();
        // First one load from each row's weights, in a loop of nothing else: the rows are
        // apart in memory and mostly out of cache, and so their misses overlap instead of
        // each waiting for the one before.
        let mut touched = 0u32;
        for hit in vector {
            let Span { start, len } = hit.weights;
            touched ^= if len == DENSE {
                self.dense.get(start as usize).map_or(0, |w| w.to_bits())
            } else {
                self.weights
                    .get(start as usize)
                    .map_or(0, |w| w.1.to_bits())
            };
        }
        std::hint::black_box(touched);
        for hit in vector {
            let value = hit.value;
            let Span { start, len } = hit.weights;
            let start = start as usize;
            if len == DENSE {
                // Each label once, as the pair run adds it (a missing pair adds 0).
                if let Some(row) = self.dense.get(start..start + z.len()) {
                    for (sum, &weight) in z.iter_mut().zip(row) {
                        *sum += value * weight;
                    }
                }
            } else if let Some(run) = self.weights.get(start..start + len as usize) {
                for &(label, weight) in run {
                    if let Some(sum) = z.get_mut(label as usize) {
                        *sum += value * weight;
                    }
                }
            }
        }
        let mut predictions: Vec<Prediction> = z
            .into_iter()
            .enumerate()
            .map(|(label, z)| Prediction {
                label,
                probability: 1.0 / (1.0 + (-f64::from(z)).exp()),
            })
            .collect();
        predictions.sort_by(|a, b| {
            b.probability
                .total_cmp(&a.probability)
                .then(a.label.cmp(&b.label))
        });
        predictions
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
                self.weights_of(hit.row)
                    .iter()
                    .find(|&&(l, _)| l as usize == label)
                    .map(|&(_, w)| {
                        (
                            self.names[hit.row as usize].to_string(),
                            f64::from(hit.value) * f64::from(w),
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
                let _ = write!(out, "{separator}{label}:{weight}");
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
        let named = model.vector(&crate::classifier::extract(title, body, entities));
        let hashed = model.vector_of((title, body), entities);
        assert_eq!(named.len(), 5);
        assert_eq!(named.len(), hashed.len());
        for (a, b) in named.iter().zip(&hashed) {
            assert_eq!(a.row, b.row);
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
            // Two of six labels: dense (one in three or more).
            ("w:said".to_owned(), 1.1, vec![(4, 0.25), (1, -0.5)]),
            // One of six: a pair run.
            ("w:wicket".to_owned(), 3.0, vec![(2, 2.0)]),
        ];
        let model = Model::new(labels, features);
        assert_eq!(model.dense.len(), 6, "one dense row");
        let article = ArticleFeatures(vec![("w:said".into(), 0.6), ("w:wicket".into(), 0.8)]);
        let vector = model.vector(&article);
        let (said, wicket) = (vector[0].value, vector[1].value);
        let expected: [f32; 6] = [
            -0.5,
            -0.5 + said * -0.5,
            -0.5 + wicket * 2.0,
            -0.5,
            -0.5 + said * 0.25,
            -0.5,
        ];
        let predictions = model.predict(&article);
        for prediction in &predictions {
            let z = f64::from(expected[prediction.label]);
            assert_eq!(prediction.probability, 1.0 / (1.0 + (-z).exp()));
        }
        assert_eq!(predictions[0].label, 2);
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
