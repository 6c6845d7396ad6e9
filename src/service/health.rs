//! gRPC health: `""`, `newstag.v1.Tagger`, `liveness` and `readiness` are NOT_SERVING until
//! the gazetteer is loaded, SERVING after, NOT_SERVING again as soon as shutdown starts.
//!
//! tonic-health's `Watch` streams never end on their own, which would hold graceful shutdown
//! open until the grace period runs out. [`HealthGate`] delegates to it but ends every `Watch`
//! stream once the drain is over, after watchers have seen NOT_SERVING.

use std::pin::Pin;

use tokio::sync::watch;
use tokio_stream::{Stream, StreamExt};
use tonic::{Request, Response, Status};
use tonic_health::ServingStatus;
use tonic_health::pb::health_server::Health;
use tonic_health::pb::{HealthCheckRequest, HealthCheckResponse};
use tonic_health::server::{HealthReporter, HealthService};

/// The service names whose status newstag reports.
pub const SERVICE_NAMES: [&str; 4] = ["", "newstag.v1.Tagger", "liveness", "readiness"];

/// Sets every reported service to `status`.
pub async fn set_all(reporter: &HealthReporter, status: ServingStatus) {
    for name in SERVICE_NAMES {
        reporter.set_service_status(name, status).await;
    }
}

/// The health service with `Watch` streams that end when shutdown closes them.
pub struct HealthGate {
    inner: HealthService,
    closing: watch::Receiver<bool>,
}

impl HealthGate {
    /// Wraps the service behind `reporter`; `closing` turning true ends open `Watch` streams.
    pub fn new(reporter: HealthReporter, closing: watch::Receiver<bool>) -> Self {
        Self {
            inner: HealthService::from_health_reporter(reporter),
            closing,
        }
    }
}

#[tonic::async_trait]
impl Health for HealthGate {
    async fn check(
        &self,
        request: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, Status> {
        self.inner.check(request).await
    }

    type WatchStream = Pin<Box<dyn Stream<Item = Result<HealthCheckResponse, Status>> + Send>>;

    async fn watch(
        &self,
        request: Request<HealthCheckRequest>,
    ) -> Result<Response<Self::WatchStream>, Status> {
        let mut updates = self.inner.watch(request).await?.into_inner();
        let mut closing = self.closing.clone();
        let (sender, receiver) = tokio::sync::mpsc::channel(4);
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    update = updates.next() => match update {
                        Some(update) => if sender.send(update).await.is_err() { return },
                        None => return,
                    },
                    _ = async { closing.wait_for(|closed| *closed).await.is_ok() } => return,
                }
            }
        });
        Ok(Response::new(Box::pin(
            tokio_stream::wrappers::ReceiverStream::new(receiver),
        )))
    }
}
