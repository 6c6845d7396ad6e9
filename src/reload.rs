//! Hot reload: every trigger (directory watcher, periodic re-check, SIGHUP, `Admin.Reload`)
//! ends in [`Reloader::reload`].
//!
//! A reload reads and compiles the new snapshot on the blocking pool, off the request path,
//! then swaps it in atomically; requests in flight finish on the snapshot they started with.
//! Reloads never run concurrently (a mutex), identical content (same content hash) causes no
//! swap, and a broken gazetteer is rejected while the old one keeps serving and health stays
//! SERVING. The watcher watches the directory, not the files, so it survives editors that save
//! by rename and Kubernetes ConfigMap volumes whose `..data` symlink is re-pointed; a burst of
//! writes is debounced into one reload of the final state.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::{Mutex, mpsc};

use crate::gazetteer::diff::{self, Diff};
use crate::gazetteer::{Gazetteer, GazetteerError, source};
use crate::metrics::Metrics;
use crate::snapshot::{Attempt, SharedGazetteer};

/// What a successful reload did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReloadOutcome {
    /// A new snapshot is serving.
    Swapped(Diff),
    /// The content is identical to what is serving: nothing swapped.
    Unchanged { version: String },
}

/// Why a reload did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReloadError {
    /// Serving the bundled gazetteer: there is no directory to re-read.
    #[error(
        "serving the bundled gazetteer: there is no directory to reload (start with --gazetteers DIR)"
    )]
    NothingToReload,
    /// The directory's content was rejected; the old snapshot keeps serving.
    #[error(transparent)]
    Rejected(#[from] GazetteerError),
}

/// Reloads the configured directory into the shared snapshot.
#[derive(Debug)]
pub struct Reloader {
    directory: Option<PathBuf>,
    gazetteer: Arc<SharedGazetteer>,
    metrics: Arc<Metrics>,
    /// Serialises reloads.
    running: Mutex<()>,
}

impl Reloader {
    /// A reloader for `directory` (`None`: the bundled gazetteer, nothing to reload).
    pub fn new(
        directory: Option<PathBuf>,
        gazetteer: Arc<SharedGazetteer>,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            directory,
            gazetteer,
            metrics,
            running: Mutex::new(()),
        }
    }

    /// The holder of the serving snapshot (and of the discovery sketch).
    pub fn shared(&self) -> &SharedGazetteer {
        &self.gazetteer
    }

    /// The version serving now, if any.
    pub fn serving_version(&self) -> Option<String> {
        self.gazetteer
            .current()
            .map(|s| s.gazetteer.version.clone())
    }

    /// The watched directory, if any.
    pub fn directory(&self) -> Option<&PathBuf> {
        self.directory.as_ref()
    }

    /// Re-reads the directory and swaps the result in if it differs and compiles.
    pub async fn reload(&self, trigger: &'static str) -> Result<ReloadOutcome, ReloadError> {
        let directory = self.directory.clone().ok_or(ReloadError::NothingToReload)?;
        let _running = self.running.lock().await;
        let started = Instant::now();
        let current = self.gazetteer.current();
        let serving = current.as_ref().map(|s| s.gazetteer.version.clone());
        let work = tokio::task::spawn_blocking(
            move || -> Result<Result<Gazetteer, String>, GazetteerError> {
                let files = source::read_dir(&directory)?;
                let version = Gazetteer::content_version(&files);
                if serving.as_deref() == Some(version.as_str()) {
                    return Ok(Err(version));
                }
                Gazetteer::from_files(&files).map(Ok)
            },
        );
        let result = work.await.unwrap_or_else(|join| {
            Err(GazetteerError::single(
                "(reload)",
                None,
                format!("reload task crashed: {join}"),
            ))
        });
        let attempt = |version: Option<String>, error: Option<GazetteerError>| Attempt {
            at: SystemTime::now(),
            trigger: trigger.to_owned(),
            version,
            error,
        };
        match result {
            Err(error) => {
                tracing::error!(trigger, %error, "gazetteer reload rejected; the previous snapshot keeps serving");
                self.metrics.count_reload("failure");
                self.gazetteer
                    .record_attempt(attempt(None, Some(error.clone())));
                Err(ReloadError::Rejected(error))
            }
            Ok(Err(version)) => {
                tracing::debug!(trigger, %version, "gazetteer unchanged");
                self.metrics.count_reload("unchanged");
                if trigger != "periodic" {
                    self.gazetteer
                        .record_attempt(attempt(Some(version.clone()), None));
                }
                Ok(ReloadOutcome::Unchanged { version })
            }
            Ok(Ok(new)) => {
                let changes = match &current {
                    Some(old) => diff::diff(&old.gazetteer, &new),
                    None => Diff {
                        to_version: new.version.clone(),
                        ..Diff::default()
                    },
                };
                let version = new.version.clone();
                self.gazetteer.install(new);
                drop(current);
                let (added, removed, changed) = changes.totals();
                tracing::info!(
                    trigger,
                    from = %changes.from_version,
                    to = %version,
                    added,
                    removed,
                    changed,
                    duration_ms = started.elapsed().as_millis() as u64,
                    "gazetteer reloaded"
                );
                for t in &changes.types {
                    tracing::info!(r#type = %t.entity_type, added = t.added.len(), removed = t.removed.len(), changed = t.changed.len(), "gazetteer changes");
                }
                self.metrics.count_reload("success");
                self.gazetteer.record_attempt(attempt(Some(version), None));
                self.gazetteer.record_change(changes.clone());
                Ok(ReloadOutcome::Swapped(changes))
            }
        }
    }
}

/// Watches the reloader's directory until `shutdown`: filesystem events (debounced) and a
/// periodic re-check (`interval`, zero to disable) both trigger a reload.
pub async fn watch(
    reloader: Arc<Reloader>,
    debounce: Duration,
    interval: Duration,
    watch_events: bool,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let Some(directory) = reloader.directory().cloned() else {
        return;
    };
    let (events, mut received) = mpsc::unbounded_channel::<()>();
    // Kept alive for as long as this task runs.
    let _watcher = if watch_events {
        use notify::Watcher;
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if event.is_ok_and(|e| !e.kind.is_access()) {
                let _ = events.send(());
            }
        })
        .and_then(|mut watcher| {
            watcher
                .watch(&directory, notify::RecursiveMode::Recursive)
                .map(|()| watcher)
        });
        match watcher {
            Ok(watcher) => {
                tracing::info!(directory = %directory.display(), "watching the gazetteer directory");
                Some(watcher)
            }
            Err(error) => {
                tracing::warn!(directory = %directory.display(), %error, "cannot watch the gazetteer directory; relying on the periodic re-check");
                None
            }
        }
    } else {
        drop(events);
        None
    };
    let mut ticks = (!interval.is_zero()).then(|| {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks
    });
    tokio::pin!(shutdown);
    loop {
        let trigger = tokio::select! {
            () = &mut shutdown => return,
            event = received.recv(), if _watcher.is_some() => match event {
                Some(()) => "watcher",
                None => return,
            },
            _ = async { match ticks.as_mut() { Some(t) => { t.tick().await; } None => std::future::pending().await } } => "periodic",
        };
        if trigger == "watcher" {
            // Debounce: wait for a quiet period so a burst of writes is one reload.
            loop {
                match tokio::time::timeout(debounce, received.recv()).await {
                    Ok(Some(())) => continue,
                    Ok(None) => return,
                    Err(_) => break,
                }
            }
        }
        let _ = reloader.reload(trigger).await;
    }
}
