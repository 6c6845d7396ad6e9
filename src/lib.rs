//! newstag tags news articles with the people, countries and organisations they mention and
//! with IPTC Media Topics, against gazetteers compiled into an Aho-Corasick automaton.
//!
//! Module map, in the order data flows:
//! - [`gazetteer`] — load, validate and compile gazetteer directories into immutable snapshots;
//! - [`text`] — normalisation with an exact offset map, word boundaries, case policies;
//! - [`tagger`] — candidates → accept → resolve (shared forms scored in `disambiguate`) →
//!   discover → corefer → aggregate → infer → topics, one article at a time;
//! - [`proto`] — the `newstag.v1` messages the CLI and the gRPC service both return;
//! - [`snapshot`] — the serving snapshot, swapped atomically;
//! - [`reload`] — hot reload: watcher, periodic re-check, SIGHUP and `Admin.Reload`;
//! - [`service`] — gRPC services: message conversion, limits, error → status mapping;
//! - [`server`] — the server's lifecycle: load, health, reflection, metrics, shutdown;
//! - [`config`], [`metrics`], [`telemetry`] — flags, Prometheus series, logs;
//! - [`tls`] — TLS and mTLS for the listeners, with certificates re-read when they rotate;
//! - [`cli`] — the `newstag` subcommands (`serve`, `tag`, `check`, `discover`, `kb import`,
//!   `eval`); `main.rs` only dispatches;
//! - [`discovery`] — the report of unlinked names across a corpus (`newstag discover`);
//! - [`memory`] — the allocator (mimalloc) and handing freed memory back to the system;
//! - [`eval`] — evaluation against labelled data (CoNLL-2003), outside `cargo test`;
//! - [`synth`] — deterministic synthetic gazetteers for benchmarks;
//! - [`hostile`] — the table of hostile inputs the adversarial benchmark and tests replay.

pub mod archive;
pub mod classifier;
pub mod cli;
pub mod config;
pub mod discovery;
pub mod eval;
pub mod gazetteer;
pub mod hostile;
pub mod memory;
pub mod metrics;
pub mod proto;
pub mod reload;
pub mod server;
pub mod service;
pub mod snapshot;
pub mod synth;
pub mod tagger;
pub mod telemetry;
pub mod text;
pub mod tls;

pub use gazetteer::Gazetteer;
pub use tagger::{Rules, TagError, tag, tag_article};
