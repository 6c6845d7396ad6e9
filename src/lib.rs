//! newstag tags news articles with the people, countries and organisations they mention and
//! with IPTC Media Topics, against gazetteers compiled into one Aho-Corasick automaton.
//!
//! Module map, in the order data flows:
//! - [`gazetteer`] — load, validate and compile gazetteer directories into immutable snapshots;
//! - [`text`] — normalisation with an exact offset map, word boundaries, case policies;
//! - [`tagger`] — candidates → accept → resolve → aggregate → topics, one article at a time;
//! - [`proto`] — the `newstag.v1` messages the CLI and the gRPC service both return;
//! - [`cli`] — the `newstag` subcommands (`tag`, `check`, `eval`); `main.rs` only dispatches.
//! - [`eval`] — evaluation against labelled data (CoNLL-2003), outside `cargo test`.

pub mod cli;
pub mod eval;
pub mod gazetteer;
pub mod proto;
pub mod tagger;
pub mod text;

pub use gazetteer::Gazetteer;
pub use tagger::{Rules, TagError, tag, tag_article};
