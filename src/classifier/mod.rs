//! A topic classifier a newsroom trains on its own labelled archive: multi-label, one
//! logistic regression per label (one-vs-rest) over sparse features of the article — its
//! words and word pairs, and the ids and categories of the entities newstag tags in it.
//!
//! `newstag topics train` learns a [`Model`] ([`train`]) and writes it as a `*.model` file
//! into a gazetteer directory ([`model`]), where it is validated, loaded and hot reloaded with
//! the rest; the tagger then scores every article with it ([`Model::predict`]).
//!
//! No well-kept Rust crate fits: linfa and smartcore train on dense matrices, and 100,000
//! articles over a few hundred thousand word and word-pair features is a sparse problem
//! (dense, it would take tens of gigabytes). The learner is a few dozen lines of stochastic
//! gradient descent ([`train`]); the labels train in parallel on rayon's pool.

pub mod features;
pub mod model;
mod table;
pub mod train;

pub use features::{ArticleFeatures, extract};
pub use model::{Label, Model, Prediction};
pub use train::{Example, TrainOptions, TrainReport, Vocabulary};
