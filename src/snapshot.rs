//! The gazetteer snapshot being served, swapped atomically.
//!
//! Requests take an `Arc` to the current snapshot when they start and tag against it to the
//! end, so a swap never changes a request halfway; the old snapshot is freed when its last
//! request finishes.

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use arc_swap::ArcSwapOption;

use crate::discovery::{DiscoverySketch, Sighting};
use crate::gazetteer::diff::Diff;
use crate::gazetteer::{Gazetteer, GazetteerError};

/// A compiled gazetteer with the time it went live.
#[derive(Debug)]
pub struct Snapshot {
    pub gazetteer: Gazetteer,
    pub loaded_at: SystemTime,
}

/// The outcome of one load or reload attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub at: SystemTime,
    /// "startup", "watcher", "sighup", "admin".
    pub trigger: String,
    /// Version of the content read, when it compiled.
    pub version: Option<String>,
    /// The rejection, when it did not compile.
    pub error: Option<GazetteerError>,
}

/// Holder of the current snapshot; empty until the first load succeeds.
#[derive(Debug)]
pub struct SharedGazetteer {
    current: ArcSwapOption<Snapshot>,
    last_attempt: Mutex<Option<Attempt>>,
    last_change: Mutex<Option<Diff>>,
    /// The directory served, or "bundled".
    source: String,
    /// The unlinked names tagged since the serving snapshot went live (`GetDiscoveries`):
    /// what a gazetteer lacks is only meaningful for that gazetteer, so a swap resets it.
    discoveries: Mutex<DiscoverySketch>,
}

impl Default for SharedGazetteer {
    fn default() -> Self {
        Self {
            current: ArcSwapOption::default(),
            last_attempt: Mutex::default(),
            last_change: Mutex::default(),
            source: String::new(),
            discoveries: Mutex::new(DiscoverySketch::new(crate::discovery::DEFAULT_CAPACITY)),
        }
    }
}

impl SharedGazetteer {
    /// An empty holder for gazetteers from `source` (a directory path, or "bundled").
    pub fn new(source: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            ..Self::default()
        }
    }

    /// Counts one tagged article's unlinked names. Skipped rather than waited for when another
    /// request holds the sketch: the report is a sample, the request path never blocks on it.
    pub fn record_sightings(&self, sightings: &[Sighting]) {
        if let Ok(mut sketch) = self.discoveries.try_lock() {
            sketch.record(sightings);
        }
    }

    /// Reads the discovery sketch.
    pub fn with_discoveries<T>(&self, read: impl FnOnce(&DiscoverySketch) -> T) -> Option<T> {
        self.discoveries.lock().ok().map(|sketch| read(&sketch))
    }

    /// Where the gazetteer comes from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The snapshot serving now, if any.
    pub fn current(&self) -> Option<Arc<Snapshot>> {
        self.current.load_full()
    }

    /// Makes `gazetteer` the serving snapshot.
    pub fn install(&self, gazetteer: Gazetteer) -> Arc<Snapshot> {
        let snapshot = Arc::new(Snapshot {
            gazetteer,
            loaded_at: SystemTime::now(),
        });
        let previous = self.current.swap(Some(snapshot.clone()));
        if let Ok(mut sketch) = self.discoveries.lock() {
            sketch.reset();
        }
        // When no request still holds the old snapshot it is freed here (a million-entity
        // snapshot is over a gigabyte). Its pages, and what the load freed after its own
        // purge, go back to the OS now rather than at the next allocation after the delay.
        drop(previous.and_then(Arc::into_inner));
        crate::memory::release_free_memory();
        snapshot
    }

    /// Records an attempt for `GetGazetteerInfo` and metrics.
    pub fn record_attempt(&self, attempt: Attempt) {
        if let Ok(mut last) = self.last_attempt.lock() {
            *last = Some(attempt);
        }
    }

    /// Records what the last swap changed.
    pub fn record_change(&self, diff: Diff) {
        if let Ok(mut last) = self.last_change.lock() {
            *last = Some(diff);
        }
    }

    /// What the last swap changed.
    pub fn last_change(&self) -> Option<Diff> {
        self.last_change.lock().ok().and_then(|last| last.clone())
    }

    /// The most recent attempt.
    pub fn last_attempt(&self) -> Option<Attempt> {
        self.last_attempt.lock().ok().and_then(|last| last.clone())
    }
}
