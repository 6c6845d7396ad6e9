//! Evaluations against labelled data in `../shared/data` (research-only, never committed).
//! Run through `newstag eval …`; none of this is part of `cargo test`.

pub mod conll;
pub mod ner;
pub mod news;
pub mod topics;
