//! Training: one L2-regularised logistic regression per label (one-vs-rest), fitted by
//! stochastic gradient descent over the examples in a fixed pseudo-random order, so the same
//! archive always gives the same model. Labels train in parallel (rayon); each label's fit is
//! sequential, so the thread count never changes the result.
//!
//! Thresholds: the weights are fitted on nine examples in ten and score the tenth; each
//! label's threshold is the lowest probability at which its held-out predictions still reach
//! the target precision, and a second, lower one applies where the label ranks first in an
//! article (a top-ranked label is right more often). The model keeps the weights its
//! thresholds were chosen with, so the two always agree.

use rayon::prelude::*;

use super::model::{Label, Model};

/// The features a model knows: names by index and their IDF.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub names: Vec<String>,
    pub idf: Vec<f32>,
}

/// One training article: feature indices with values (weighed as [`super::features::weigh`]
/// does), and its label indices.
#[derive(Debug, Clone, Default)]
pub struct Example {
    pub features: Vec<(u32, f32)>,
    pub labels: Vec<u16>,
}

/// How to train.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the examples.
    pub epochs: usize,
    /// L2 regularisation strength.
    pub lambda: f64,
    /// Each label's threshold is chosen for this precision on held-out examples.
    pub target_precision: f64,
    /// Weights smaller than this (in absolute value) are left out of the model file.
    pub min_weight: f32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            epochs: 10,
            lambda: 1e-5,
            target_precision: 0.8,
            min_weight: 0.2,
        }
    }
}

/// A label's held-out positives, and the precision and recall at its threshold.
pub type HeldOut = (usize, f64, f64);

/// What training found, beside the model.
#[derive(Debug, Clone)]
pub struct TrainReport {
    /// Per label: held-out positives, and the precision and recall at the chosen threshold.
    pub held_out: Vec<HeldOut>,
}

/// Learns a model over `vocabulary`; `labels` are the label ids and names.
pub fn train(
    examples: &[Example],
    vocabulary: &Vocabulary,
    labels: &[(String, String)],
    options: &TrainOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> (Model, TrainReport) {
    let features = vocabulary.names.len();
    // Nine in ten to fit, one in ten to choose thresholds on.
    // Chosen by a hash of the position, not every tenth line: an archive sorted or
    // interleaved by label would otherwise hold out one label only.
    let split = |held: bool| -> Vec<&Example> {
        examples
            .iter()
            .enumerate()
            .filter(|&(i, _)| held_out(i) == held)
            .map(|(_, e)| e)
            .collect()
    };
    let (held, fit_on) = (split(true), split(false));
    // Each label's weights and its probabilities on the held-out tenth.
    let fitted: Vec<(Vec<f32>, f32, Vec<f64>)> = (0..labels.len())
        .into_par_iter()
        .map(|label| {
            let (weights, bias) = fit(&fit_on, label as u16, features, options);
            let scores = held
                .iter()
                .map(|e| probability(&weights, bias, &e.features))
                .collect();
            progress(1);
            (weights, bias, scores)
        })
        .collect();
    // The label each held-out article ranks first.
    let top: Vec<usize> = (0..held.len())
        .map(|i| {
            (0..fitted.len())
                .max_by(|&a, &b| fitted[a].2[i].total_cmp(&fitted[b].2[i]).then(b.cmp(&a)))
                .unwrap_or(0)
        })
        .collect();
    let fitted: Vec<(Label, Vec<f32>, HeldOut)> = fitted
        .into_iter()
        .enumerate()
        .map(|(label, (weights, bias, scores))| {
            let label16 = label as u16;
            let mut scored: Vec<(f64, bool)> = scores
                .iter()
                .zip(&held)
                .map(|(&s, e)| (s, e.labels.contains(&label16)))
                .collect();
            let positives = scored.iter().filter(|(_, p)| *p).count();
            let (threshold, precision, recall) = threshold(&mut scored, options.target_precision);
            // Ranked first, a label is right more often: its own threshold there.
            let mut first: Vec<(f64, bool)> = scores
                .iter()
                .zip(&held)
                .zip(&top)
                .filter(|&(_, &t)| t == label)
                .map(|((&s, e), _)| (s, e.labels.contains(&label16)))
                .collect();
            let (top_threshold, _, _) = self::threshold(&mut first, options.target_precision);
            (
                Label {
                    id: labels[label].0.clone(),
                    name: labels[label].1.clone(),
                    threshold: threshold as f32,
                    top_threshold: top_threshold.min(threshold) as f32,
                    bias,
                },
                weights,
                (positives, precision, recall),
            )
        })
        .collect();
    let mut by_feature: Vec<Vec<(u16, f32)>> = vec![Vec::new(); features];
    let mut model_labels = Vec::with_capacity(fitted.len());
    let mut held_out = Vec::with_capacity(fitted.len());
    for (label, (info, weights, report)) in fitted.into_iter().enumerate() {
        for (feature, &w) in weights.iter().enumerate() {
            if w.abs() >= options.min_weight {
                by_feature[feature].push((label as u16, w));
            }
        }
        model_labels.push(info);
        held_out.push(report);
    }
    let features = vocabulary
        .names
        .iter()
        .zip(&vocabulary.idf)
        .zip(by_feature)
        .filter(|(_, weights)| !weights.is_empty())
        .map(|((name, &idf), weights)| (name.clone(), idf, weights))
        .collect();
    (Model::new(model_labels, features), TrainReport { held_out })
}

/// Whether the example at `index` is in the held-out tenth (splitmix64 of the index).
fn held_out(index: usize) -> bool {
    let mut z = (index as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)).is_multiple_of(10)
}

fn probability(weights: &[f32], bias: f32, features: &[(u32, f32)]) -> f64 {
    let z = f64::from(bias)
        + features
            .iter()
            .map(|&(j, x)| f64::from(weights[j as usize]) * f64::from(x))
            .sum::<f64>();
    1.0 / (1.0 + (-z).exp())
}

/// A fixed permutation of `0..n` for `epoch` (xorshift64*, Fisher–Yates).
fn order(n: usize, epoch: usize) -> Vec<usize> {
    let mut state =
        0x9E37_79B9_7F4A_7C15u64 ^ (epoch as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03);
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

/// One label's weights and bias: logistic loss, L2, learning rate
/// `eta0 / (1 + lambda · eta0 · t)` (Bottou's schedule), the shrinkage kept as one scale
/// factor so a step costs only the article's own features.
fn fit(
    examples: &[&Example],
    label: u16,
    features: usize,
    options: &TrainOptions,
) -> (Vec<f32>, f32) {
    // Unit-length articles take large steps well: 0.5 under-fitted both AG News and Reuters
    // (5-fold F1 0.01 to 0.02 lower); from 5 to 20 the results are the same.
    const ETA0: f64 = 5.0;
    let lambda = options.lambda;
    let mut weights = vec![0f64; features];
    let mut scale = 1f64;
    let mut bias = 0f64;
    let mut t = 0f64;
    for epoch in 0..options.epochs {
        for i in order(examples.len(), epoch) {
            let example = examples[i];
            let eta = ETA0 / (1.0 + lambda * ETA0 * t);
            let z = bias
                + scale
                    * example
                        .features
                        .iter()
                        .map(|&(j, x)| weights[j as usize] * f64::from(x))
                        .sum::<f64>();
            let y = if example.labels.contains(&label) {
                1.0
            } else {
                0.0
            };
            let gradient = 1.0 / (1.0 + (-z).exp()) - y;
            scale *= 1.0 - eta * lambda;
            if scale < 1e-9 {
                for w in &mut weights {
                    *w *= scale;
                }
                scale = 1.0;
            }
            for &(j, x) in &example.features {
                weights[j as usize] -= eta * gradient * f64::from(x) / scale;
            }
            bias -= eta * gradient;
            t += 1.0;
        }
    }
    (
        weights.into_iter().map(|w| (w * scale) as f32).collect(),
        bias as f32,
    )
}

/// Precision, recall and F1 of `hits` among `predicted`, out of `gold` (0 where undefined).
pub fn precision_recall(hits: usize, predicted: usize, gold: usize) -> (f64, f64, f64) {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (p, r) = (ratio(hits, predicted), ratio(hits, gold));
    let f1 = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f1)
}

/// Held-out positives below which a label's precision cannot be measured well enough to lower
/// its threshold under 0.5.
const FEW_POSITIVES: usize = 10;

/// The lowest probability at which the held-out predictions above it reach `target`
/// precision, with the precision and recall there. Without held-out positives, or when no cut
/// reaches the target, 0.5 and what it gives; with few positives, from 0.5 to 0.9 only (a
/// handful of scores cannot say more).
fn threshold(scored: &mut [(f64, bool)], target: f64) -> (f64, f64, f64) {
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = scored.iter().filter(|(_, p)| *p).count();
    let at = |threshold: f64| {
        let predicted = scored.iter().filter(|(s, _)| *s >= threshold).count();
        let hits = scored.iter().filter(|(s, p)| *s >= threshold && *p).count();
        let (precision, recall, _) = precision_recall(hits, predicted, positives);
        // Nothing predicted wrongly: perfect precision for the purpose of choosing.
        (
            threshold,
            if predicted == 0 { 1.0 } else { precision },
            recall,
        )
    };
    if positives == 0 {
        return at(0.5);
    }
    let mut hits = 0usize;
    let mut best = None;
    for (k, &(score, positive)) in scored.iter().enumerate() {
        hits += usize::from(positive);
        // Only where the next score differs: a threshold cannot split equal scores.
        let boundary = scored.get(k + 1).is_none_or(|next| next.0 < score);
        if positive && boundary && hits as f64 / (k + 1) as f64 >= target {
            best = Some(score);
        }
    }
    let chosen = best.unwrap_or(0.5);
    at(if positives < FEW_POSITIVES {
        chosen.clamp(0.5, 0.9)
    } else {
        chosen
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two separable labels: "goal" means sport, "bank" markets.
    fn examples() -> Vec<Example> {
        (0..200)
            .map(|i| {
                let sport = i % 2 == 0;
                Example {
                    features: vec![(if sport { 0 } else { 1 }, 0.8), (2, 0.6)],
                    labels: vec![if sport { 0 } else { 1 }],
                }
            })
            .collect()
    }

    fn vocabulary() -> Vocabulary {
        Vocabulary {
            names: vec!["w:goal".into(), "w:bank".into(), "w:the".into()],
            idf: vec![1.0; 3],
        }
    }

    fn labels() -> Vec<(String, String)> {
        vec![
            ("medtop:15000000".into(), "sport".into()),
            ("desk:markets".into(), "Markets".into()),
        ]
    }

    #[test]
    fn learns_separable_labels_deterministically() {
        let (model, report) = train(
            &examples(),
            &vocabulary(),
            &labels(),
            &TrainOptions::default(),
            &|_| {},
        );
        let sport =
            crate::classifier::ArticleFeatures(vec![("w:goal".into(), 0.8), ("w:the".into(), 0.6)]);
        let top = &model.predict(&sport)[0];
        assert_eq!(top.label, 0);
        assert!(top.probability > 0.9, "{top:?}");
        let held_sport = (0..200).filter(|&i| held_out(i) && i % 2 == 0).count();
        assert_eq!(report.held_out[0].0, held_sport);
        assert!(report.held_out[0].1 >= 0.8);
        // Same input, same bytes.
        let again = train(
            &examples(),
            &vocabulary(),
            &labels(),
            &TrainOptions::default(),
            &|_| {},
        )
        .0;
        assert_eq!(model.to_text(""), again.to_text(""));
    }

    #[test]
    fn thresholds_reach_the_target_precision() {
        // 40 scores from 1.0 down; the first 32 are positive but every fourth.
        let mut scored: Vec<(f64, bool)> = (0..40)
            .map(|i| (1.0 - f64::from(i) / 40.0, i % 4 != 3 && i < 32))
            .collect();
        // Down to the 31st score (0.25), 24 of 31 predictions are right (0.77).
        let (threshold, precision, recall) = threshold(&mut scored, 0.75);
        assert!((threshold - 0.25).abs() < 1e-9, "{threshold}");
        assert!(precision >= 0.75 && (recall - 1.0).abs() < 1e-9);
        // Three positives: too few to trust a threshold outside 0.5 to 0.9.
        let mut few = vec![
            (0.99, true),
            (0.98, true),
            (0.7, false),
            (0.3, true),
            (0.2, false),
        ];
        assert_eq!(super::threshold(&mut few, 0.6).0, 0.5);
        let mut sure = vec![(0.99, true), (0.98, true), (0.97, true)];
        assert_eq!(super::threshold(&mut sure, 0.8).0, 0.9);
        // No positive held out: 0.5.
        assert_eq!(
            super::threshold(&mut [(0.9, false), (0.8, false)], 0.8).0,
            0.5
        );
    }
}
