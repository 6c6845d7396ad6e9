//! Client deadlines and abandoned calls, at the HTTP level.
//!
//! tonic enforces the client's `grpc-timeout` itself, outside every service of ours: when it
//! fires, it drops the handler's future and answers CANCELLED ("Timeout expired"), where gRPC
//! says DEADLINE_EXCEEDED. This layer runs the same deadline a moment earlier and answers
//! DEADLINE_EXCEEDED itself (tonic polls the call before its own timer, so ours wins).
//!
//! Dropping the handler's future sets the interrupt flag of the tagging it started, and that
//! tagging counts itself in `newstag_tagging_cancelled_total`; this layer counts the `Tag`
//! calls dropped or timed out *before* their tagging began (a deadline that passed while a
//! 1 MiB request was still arriving, say), so every abandoned request is counted once.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tonic::codegen::http;

use crate::metrics::Metrics;

/// Put in a `Tag` request's extensions; set by the handler when the tagging starts (from then
/// on the tagging counts its own interruption).
#[derive(Debug, Clone, Default)]
pub struct TaggingStarted {
    flag: Arc<AtomicBool>,
    /// The client's deadline as this layer runs it, measured from the request's arrival. The
    /// tagging stops at it too, so that when this layer answers DEADLINE_EXCEEDED and drops
    /// the handler, the tagging sees a passed deadline (not just a cancelled call).
    pub deadline: Option<Instant>,
}

impl TaggingStarted {
    /// Marks the tagging as started.
    pub fn mark(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    fn is_marked(&self) -> bool {
        self.flag.load(Ordering::Relaxed)
    }
}

/// The `Tag` method's path, the only call whose abandonment before tagging is counted.
const TAG_PATH: &str = "/newstag.v1.Tagger/Tag";

/// Counts `Tag` calls dropped before their tagging started.
#[derive(Debug, Clone)]
pub struct AbandonedCallLayer {
    metrics: Arc<Metrics>,
}

impl AbandonedCallLayer {
    /// A layer recording into `metrics`.
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Self { metrics }
    }
}

impl<S> tower::Layer<S> for AbandonedCallLayer {
    type Service = AbandonedCalls<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AbandonedCalls {
            inner,
            metrics: self.metrics.clone(),
        }
    }
}

/// The service of [`AbandonedCallLayer`].
#[derive(Debug, Clone)]
pub struct AbandonedCalls<S> {
    inner: S,
    metrics: Arc<Metrics>,
}

/// Counts on drop unless the call finished or its tagging started.
struct Watch {
    metrics: Arc<Metrics>,
    started: TaggingStarted,
    deadline: Option<Instant>,
    finished: bool,
}

impl Drop for Watch {
    fn drop(&mut self) {
        if self.finished || self.started.is_marked() {
            return;
        }
        let late = self.deadline.is_some_and(|d| Instant::now() >= d);
        self.metrics
            .count_tagging_cancelled(if late { "deadline" } else { "cancelled" });
    }
}

impl<S, B, R> tower::Service<http::Request<B>> for AbandonedCalls<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
    R: Default,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        let timeout = super::status::grpc_timeout(request.headers());
        let deadline = timeout.map(|timeout: Duration| Instant::now() + timeout);
        let watch = (request.uri().path() == TAG_PATH).then(|| {
            let started = TaggingStarted {
                deadline,
                ..TaggingStarted::default()
            };
            request.extensions_mut().insert(started.clone());
            Watch {
                metrics: self.metrics.clone(),
                started,
                deadline,
                finished: false,
            }
        });
        let call = self.inner.call(request);
        Box::pin(async move {
            let mut watch = watch;
            let result = match deadline {
                None => call.await,
                Some(deadline) => {
                    tokio::select! {
                        biased;
                        result = call => result,
                        () = tokio::time::sleep_until(deadline.into()) => {
                            let waited = timeout.unwrap_or_default();
                            // Finished as far as this layer is concerned; the drop of `call`
                            // (when this block ends) interrupts a tagging that had started.
                            if let Some(watch) = watch.as_mut()
                                && !watch.started.is_marked()
                            {
                                watch.metrics.count_tagging_cancelled("deadline");
                                watch.finished = true;
                            }
                            return Ok(tonic::Status::from(
                                super::status::ServiceError::DeadlineExceeded(waited),
                            )
                            .into_http());
                        }
                    }
                }
            };
            if let Some(watch) = watch.as_mut() {
                watch.finished = true;
            }
            result
        })
    }
}
