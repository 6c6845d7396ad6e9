//! `newstag.v1.Tagger`: converts messages, enforces limits and deadlines, and hands articles
//! to the engine. Tagging itself never happens here.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::{Semaphore, mpsc};
use tokio_stream::Stream;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Code, Request, Response, Status, Streaming};
use tracing::Instrument;

use super::abandoned::TaggingStarted;
use super::status::{self, ServiceError};
use crate::metrics::Metrics;
use crate::proto::tagger_server::Tagger;
use crate::proto::{
    GazetteerInfo, GetGazetteerInfoRequest, ItemError, ReloadAttempt, TagRequest, TagResponse,
    TopicModelInfo,
};
use crate::snapshot::{Attempt, SharedGazetteer, Snapshot};
use crate::tagger::{Interrupt, InterruptReason, TagError};

/// Articles up to this size are tagged on the async worker (tens of microseconds); larger
/// ones go to the blocking pool so one huge article never stalls other connections.
const INLINE_BYTES: usize = 32 * 1024;

/// Limits the service enforces.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_article_bytes: usize,
    pub max_concurrent_requests: usize,
    pub request_timeout: Duration,
    /// Articles of one `TagStream` in flight at once (tagging or waiting to be sent).
    pub stream_window: usize,
    /// Mentions listed per entity when a request leaves `max_mentions_per_entity` at 0.
    pub max_mentions_per_entity: u32,
}

/// What every handler needs.
#[derive(Debug)]
pub struct ServiceState {
    pub gazetteer: Arc<SharedGazetteer>,
    pub metrics: Arc<Metrics>,
    pub limits: Limits,
    permits: Arc<Semaphore>,
    /// Set when the shutdown grace runs out: every tagging still running stops.
    pub shutdown: Arc<AtomicBool>,
    /// Successful `Tag` calls so far (for the sampled INFO line).
    tagged: AtomicU64,
}

impl ServiceState {
    /// State for a server with these limits.
    pub fn new(gazetteer: Arc<SharedGazetteer>, metrics: Arc<Metrics>, limits: Limits) -> Self {
        let permits = Arc::new(Semaphore::new(limits.max_concurrent_requests));
        Self {
            gazetteer,
            metrics,
            limits,
            permits,
            shutdown: Arc::new(AtomicBool::new(false)),
            tagged: AtomicU64::new(0),
        }
    }

    /// Admission: a permit now, or RESOURCE_EXHAUSTED now. No queue.
    fn admit(&self) -> Result<tokio::sync::OwnedSemaphorePermit, ServiceError> {
        self.permits
            .clone()
            .try_acquire_owned()
            .map_err(|_| ServiceError::Overloaded {
                limit: self.limits.max_concurrent_requests,
            })
    }
}

/// Successful `Tag` calls per INFO line: one line per call cost about as much as the gRPC
/// layer itself (formatting, a write to stderr under a lock), so each call logs at DEBUG and
/// every this-many-th also at INFO, with the count so far.
pub const TAGGED_LOG_SAMPLE: u64 = 1000;

impl ServiceState {
    /// Logs a successful `Tag`: DEBUG every time, INFO for every [`TAGGED_LOG_SAMPLE`]-th.
    fn log_tagged(&self, elapsed: Duration) {
        let count = self.tagged.fetch_add(1, Ordering::Relaxed) + 1;
        let duration_us = elapsed.as_micros() as u64;
        if count % TAGGED_LOG_SAMPLE == 1 {
            tracing::info!(
                duration_us,
                tagged = count,
                sample = TAGGED_LOG_SAMPLE,
                "tagged"
            );
        } else {
            tracing::debug!(duration_us, "tagged");
        }
    }
}

/// The Tagger service.
#[derive(Debug, Clone)]
pub struct TaggerService {
    state: Arc<ServiceState>,
}

impl TaggerService {
    /// A service over shared state.
    pub fn new(state: Arc<ServiceState>) -> Self {
        Self { state }
    }
}

/// Sets its flag when dropped: a handler future dropped by a cancelled call, or one that
/// stopped waiting at its deadline, tells the tagging it started to stop.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Tags under `interrupt`, counting an interrupted tagging in the metrics.
/// The article's unlinked names go to the discovery sketch, when the snapshot tagged against is
/// still the one serving (a swap resets the sketch; late results of the old one stay out).
fn tag_counted(
    (metrics, shared): (&Metrics, &SharedGazetteer),
    snapshot: &Arc<Snapshot>,
    request: &TagRequest,
    interrupt: &Interrupt,
) -> Result<TagResponse, TagError> {
    let default_article = crate::proto::Article::default();
    let article = request.article.as_ref().unwrap_or(&default_article);
    let default_options = crate::proto::TagOptions::default();
    let options = request.options.as_ref().unwrap_or(&default_options);
    let result = crate::tagger::tag_and_discover(
        &snapshot.gazetteer,
        article,
        options,
        (crate::tagger::Rules::default(), true),
        interrupt,
    );
    match result {
        Ok((response, sightings)) => {
            if shared
                .current()
                .is_some_and(|current| Arc::ptr_eq(&current, snapshot))
            {
                shared.record_sightings(&sightings);
            }
            Ok(response)
        }
        Err(error) => {
            if let TagError::Interrupted(reason) = &error {
                metrics.count_tagging_cancelled(reason.label());
            }
            Err(error)
        }
    }
}

/// Checks and tags one request against `snapshot`, within `deadline` from `started`.
///
/// The tagging itself watches the deadline, the call (dropping this future cancels it) and the
/// server's shutdown, so abandoned work stops within milliseconds instead of running to its
/// end on a core nobody is waiting for.
async fn tag_one(
    state: &ServiceState,
    snapshot: Arc<Snapshot>,
    mut request: TagRequest,
    (started, deadline): (Instant, Duration),
    tagging_started: Option<TaggingStarted>,
) -> Result<TagResponse, ServiceError> {
    let article = request.article.as_ref();
    let size = article.map_or(0, |a| a.title.len() + a.body.len());
    state.metrics.observe_article_bytes(size);
    // The `Tag` span has a `bytes` field; on a stream's span this records nothing.
    tracing::Span::current().record("bytes", size);
    if size > state.limits.max_article_bytes {
        return Err(ServiceError::ArticleTooLarge {
            size,
            limit: state.limits.max_article_bytes,
        });
    }
    let Some(remaining) = deadline
        .checked_sub(started.elapsed())
        .filter(|r| !r.is_zero())
    else {
        // Abandoned before any tagging: counted here, since no tagging will count itself.
        state
            .metrics
            .count_tagging_cancelled(InterruptReason::DeadlineExceeded.label());
        return Err(ServiceError::DeadlineExceeded(deadline));
    };
    let options = request.options.get_or_insert_with(Default::default);
    if options.max_mentions_per_entity == 0 {
        options.max_mentions_per_entity = state.limits.max_mentions_per_entity;
    }
    let cancelled = Arc::new(AtomicBool::new(false));
    let _cancel_on_drop = CancelOnDrop(cancelled.clone());
    // The earlier of the handler's deadline and the transport layer's (which counts from the
    // request's arrival): whichever fires, the tagging sees a passed deadline.
    let mut stop_at = Instant::now() + remaining;
    if let Some(layer_deadline) = tagging_started.as_ref().and_then(|t| t.deadline) {
        stop_at = stop_at.min(layer_deadline);
    }
    let interrupt = Interrupt::at(stop_at)
        .or_cancelled(cancelled)
        .or_shutdown(state.shutdown.clone());
    let interrupted = |error: TagError| match error {
        TagError::Interrupted(InterruptReason::DeadlineExceeded) => {
            ServiceError::DeadlineExceeded(deadline)
        }
        other => ServiceError::Tag(other),
    };
    // From here on the tagging counts its own interruption.
    if let Some(started) = tagging_started {
        started.mark();
    }
    if size <= INLINE_BYTES {
        return tag_counted(
            (&state.metrics, &state.gazetteer),
            &snapshot,
            &request,
            &interrupt,
        )
        .map_err(interrupted);
    }
    let metrics = state.metrics.clone();
    let shared = state.gazetteer.clone();
    let work = tokio::task::spawn_blocking(move || {
        tag_counted((&metrics, &shared), &snapshot, &request, &interrupt)
    });
    match tokio::time::timeout(remaining, work).await {
        // The tagging sees the same deadline, stops and counts itself.
        Err(_) => Err(ServiceError::DeadlineExceeded(deadline)),
        Ok(Err(join)) => Err(ServiceError::Internal(format!(
            "tagging task failed: {join}"
        ))),
        Ok(Ok(result)) => result.map_err(interrupted),
    }
}

fn timestamp(time: SystemTime) -> prost_types::Timestamp {
    prost_types::Timestamp::from(time)
}

fn attempt_message(attempt: Attempt) -> ReloadAttempt {
    ReloadAttempt {
        at: Some(timestamp(attempt.at)),
        trigger: attempt.trigger,
        ok: attempt.error.is_none(),
        version: attempt.version.unwrap_or_default(),
        errors: attempt
            .error
            .map(|e| e.problems.iter().map(ToString::to_string).collect())
            .unwrap_or_default(),
    }
}

type ResponseStream = Pin<Box<dyn Stream<Item = Result<TagResponse, Status>> + Send>>;

#[tonic::async_trait]
impl Tagger for TaggerService {
    async fn tag(&self, request: Request<TagRequest>) -> Result<Response<TagResponse>, Status> {
        let started = Instant::now();
        let deadline = status::deadline(request.metadata(), self.state.limits.request_timeout);
        let tagging_started = request.extensions().get::<TaggingStarted>().cloned();
        // A DEBUG span: at the default INFO level it is disabled, and creating it costs one
        // relaxed load (no field formatting, no allocation).
        let span = tracing::debug_span!(
            "Tag",
            article_id = request
                .get_ref()
                .article
                .as_ref()
                .map_or("", |a| a.id.as_str()),
            bytes = tracing::field::Empty,
            entities = tracing::field::Empty
        );
        let request = request.into_inner();
        let result = async {
            let _permit = self.state.admit()?;
            let snapshot = self
                .state
                .gazetteer
                .current()
                .ok_or(ServiceError::NotReady)?;
            let response = tag_one(
                &self.state,
                snapshot,
                request,
                (started, deadline),
                tagging_started,
            )
            .await?;
            tracing::Span::current().record("entities", response.entities.len());
            Ok::<_, ServiceError>(response)
        }
        .instrument(span.clone())
        .await
        .map(Response::new)
        .map_err(Status::from);
        let _entered = span.enter();
        match &result {
            Ok(_) => self.state.log_tagged(started.elapsed()),
            Err(status) => {
                tracing::info!(code = ?status.code(), message = status.message(), "rejected")
            }
        }
        result
    }

    type TagStreamStream = ResponseStream;

    async fn tag_stream(
        &self,
        request: Request<Streaming<TagRequest>>,
    ) -> Result<Response<ResponseStream>, Status> {
        let permit = self.state.admit().map_err(Status::from)?;
        let started = Instant::now();
        // The client's deadline bounds the whole stream; the server's limit bounds each article,
        // so bulk streams may run as long as they keep moving.
        let deadline = status::client_deadline(request.metadata()).unwrap_or(Duration::MAX);
        let per_article = self.state.limits.request_timeout;
        let mut inbound = request.into_inner();
        let window = self.state.limits.stream_window.max(1);
        // In-flight articles, in request order: the reader pushes, the writer awaits in order.
        let (jobs, mut pending) =
            mpsc::channel::<tokio::task::JoinHandle<Result<TagResponse, Status>>>(window);
        let (responses, outbound) = mpsc::channel::<Result<TagResponse, Status>>(window);
        let state = self.state.clone();
        let span = tracing::info_span!("TagStream");
        tokio::spawn(
            async move {
                loop {
                    let next = match inbound.message().await {
                        Ok(Some(request)) => request,
                        Ok(None) => break,
                        Err(status) => {
                            let limit =
                                crate::config::max_message_bytes(state.limits.max_article_bytes);
                            let status = status::from_transport(status, limit);
                            let _ = jobs.send(tokio::spawn(async move { Err(status) })).await;
                            break;
                        }
                    };
                    if started.elapsed() >= deadline {
                        let status = Status::from(ServiceError::DeadlineExceeded(deadline));
                        let _ = jobs.send(tokio::spawn(async move { Err(status) })).await;
                        break;
                    }
                    let state = state.clone();
                    let job = tokio::spawn(async move {
                        let article_id = next
                            .article
                            .as_ref()
                            .map(|a| a.id.clone())
                            .unwrap_or_default();
                        let result = match state.gazetteer.current() {
                            None => Err(ServiceError::NotReady),
                            Some(snapshot) => {
                                tag_one(&state, snapshot, next, (Instant::now(), per_article), None)
                                    .await
                            }
                        };
                        Ok(result.unwrap_or_else(|error| {
                            let version = state
                                .gazetteer
                                .current()
                                .map(|s| s.gazetteer.version.clone())
                                .unwrap_or_default();
                            TagResponse {
                                article_id,
                                gazetteer_version: version,
                                error: Some(ItemError {
                                    code: error.code() as i32,
                                    message: error.to_string(),
                                }),
                                ..TagResponse::default()
                            }
                        }))
                    });
                    if let Err(returned) = jobs.send(job).await {
                        // The writer is gone (the client left): stop this article's tagging.
                        returned.0.abort();
                        break;
                    }
                }
            }
            .instrument(span.clone()),
        );
        tokio::spawn(
            async move {
                let mut code = Code::Ok;
                let mut count = 0u64;
                while let Some(mut job) = pending.recv().await {
                    let item = tokio::select! {
                        joined = &mut job => joined.unwrap_or_else(|join| Err(ServiceError::Internal(format!("tagging task failed: {join}")).into())),
                        () = responses.closed() => {
                            // The client cancelled or went away: abort this article's tagging
                            // and every one queued behind it (an aborted task drops its
                            // future, which interrupts the tagging).
                            job.abort();
                            code = Code::Cancelled;
                            pending.close();
                            while let Ok(queued) = pending.try_recv() {
                                queued.abort();
                            }
                            break;
                        }
                    };
                    if let Err(status) = &item {
                        code = status.code();
                    }
                    count += 1;
                    if responses.send(item).await.is_err() {
                        code = Code::Cancelled;
                        break;
                    }
                }
                tracing::info!(articles = count, code = ?code, duration_us = started.elapsed().as_micros() as u64, "stream finished");
                drop(permit);
            }
            .instrument(span),
        );
        Ok(Response::new(Box::pin(ReceiverStream::new(outbound))))
    }

    async fn get_gazetteer_info(
        &self,
        _: Request<GetGazetteerInfoRequest>,
    ) -> Result<Response<GazetteerInfo>, Status> {
        match self.state.gazetteer.current() {
            None => Err(Status::from(ServiceError::NotReady)),
            Some(snapshot) => {
                let g = &snapshot.gazetteer;
                Ok(Response::new(GazetteerInfo {
                    version: g.version.clone(),
                    loaded_at: Some(timestamp(snapshot.loaded_at)),
                    entities_by_type: g
                        .counts_by_type()
                        .iter()
                        .map(|(t, n)| (t.clone(), *n as u64))
                        .collect(),
                    entity_count: g.entities.len() as u64,
                    alias_count: g.alias_count() as u64,
                    source_files: g.sources.clone(),
                    last_reload: self.state.gazetteer.last_attempt().map(attempt_message),
                    topic_count: g.topics.topics.len() as u64,
                    stop_phrase_count: g.stop_phrases.len() as u64,
                    source: self.state.gazetteer.source().to_owned(),
                    last_change: self
                        .state
                        .gazetteer
                        .last_change()
                        .as_ref()
                        .map(super::diff_message),
                    topic_models: g
                        .models
                        .iter()
                        .map(|m| TopicModelInfo {
                            source: m.source.clone(),
                            label_ids: m.model.labels.iter().map(|l| l.id.clone()).collect(),
                            feature_count: m.model.feature_count() as u64,
                        })
                        .collect(),
                    mapped_category_count: g.category_topics.len() as u64,
                }))
            }
        }
    }
}
