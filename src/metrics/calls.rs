//! Counting calls at the edge of the gRPC server.
//!
//! A call rejected before our handler runs — a message tonic cannot decode, one over the size
//! limit, a deadline that passed while it arrived — never reaches the handler, so a handler
//! cannot count it. This layer sits outside every other: it counts each call to one of
//! [`super::METHODS`] as started when its request arrives, and as handled with the code the
//! caller actually receives: the `grpc-status` of a trailers-only answer, or the one in the
//! trailers at the end of the response body. A call whose response is dropped before its
//! status (the caller reset the stream, the connection closed) is counted `Canceled`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http_body::{Body, Frame};
use tonic::codegen::http;

use super::{Call, Metrics};

/// Wraps a gRPC router's services.
#[derive(Debug, Clone)]
pub struct CallMetricsLayer {
    metrics: Arc<Metrics>,
}

impl CallMetricsLayer {
    /// A layer recording into `metrics`.
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Self { metrics }
    }
}

impl<S> tower::Layer<S> for CallMetricsLayer {
    type Service = CallMetrics<S>;

    fn layer(&self, inner: S) -> Self::Service {
        CallMetrics {
            inner,
            metrics: self.metrics.clone(),
        }
    }
}

/// The service of [`CallMetricsLayer`].
#[derive(Debug, Clone)]
pub struct CallMetrics<S> {
    inner: S,
    metrics: Arc<Metrics>,
}

impl<S, B> tower::Service<http::Request<B>> for CallMetrics<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>,
    S::Future: Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let call = super::method_of(request.uri().path()).map(|m| self.metrics.start(m));
        let response = self.inner.call(request);
        Box::pin(async move {
            // Dropped with this future if the caller leaves first: counted `Canceled`.
            let call = call;
            let response = response.await;
            match (call, response) {
                (None, response) => response,
                (Some(call), Ok(response)) => Ok(watch(call, response)),
                (Some(call), Err(error)) => {
                    call.finish(tonic::Code::Unknown);
                    Err(error)
                }
            }
        })
    }
}

/// The code of a `grpc-status` header or trailer.
fn status_of(headers: &http::HeaderMap) -> Option<tonic::Code> {
    headers
        .get("grpc-status")
        .map(|value| tonic::Code::from_bytes(value.as_bytes()))
}

/// Finishes `call` now if the response is trailers-only, else when its body ends.
fn watch(
    call: Call,
    response: http::Response<tonic::body::Body>,
) -> http::Response<tonic::body::Body> {
    if let Some(code) = status_of(response.headers()) {
        call.finish(code);
        return response;
    }
    response.map(|body| {
        tonic::body::Body::new(Watched {
            inner: body,
            call: Some(call),
        })
    })
}

/// A response body that finishes its call at the trailers.
struct Watched {
    inner: tonic::body::Body,
    call: Option<Call>,
}

impl Body for Watched {
    type Data = <tonic::body::Body as Body>::Data;
    type Error = <tonic::body::Body as Body>::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        let code = match &polled {
            Poll::Ready(Some(Ok(frame))) => frame.trailers_ref().map(|trailers| {
                // gRPC always ends with a status; a trailer without one is a broken peer.
                status_of(trailers).unwrap_or(tonic::Code::Unknown)
            }),
            Poll::Ready(Some(Err(_))) => Some(tonic::Code::Unknown),
            // The body ended without trailers: not a gRPC answer.
            Poll::Ready(None) => Some(tonic::Code::Unknown),
            Poll::Pending => None,
        };
        if let Some(code) = code
            && let Some(call) = self.call.take()
        {
            call.finish(code);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
