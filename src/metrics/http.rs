//! The plain-HTTP port (`--metrics-listen`), served by hyper: `GET /metrics`, `/livez` and
//! `/readyz`.
//!
//! `/livez` answers 200 while the process serves HTTP at all; `/readyz` 200 while `ready`
//! says the gRPC health is SERVING, else 503: plain-HTTP probes for clusters whose gRPC port
//! speaks TLS, which Kubernetes' built-in gRPC probe cannot.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::{Method, Request, Response, StatusCode, header};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

use super::Metrics;

const PLAIN: &str = "text/plain; charset=utf-8";
const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";
const OPENMETRICS_TEXT: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Serves until `shutdown` resolves. A client has 5 seconds to send its request headers.
pub async fn serve(
    listener: TcpListener,
    metrics: Arc<Metrics>,
    ready: Arc<AtomicBool>,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => return,
        };
        let Ok((stream, _)) = accepted else {
            continue;
        };
        let metrics = metrics.clone();
        let ready = ready.clone();
        let service = hyper::service::service_fn(move |request| {
            let response = answer(&metrics, &ready, &request);
            async move { Ok::<_, Infallible>(response) }
        });
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(5))
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn answer<B>(metrics: &Metrics, ready: &AtomicBool, request: &Request<B>) -> Response<Full<Bytes>> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return respond(
            StatusCode::METHOD_NOT_ALLOWED,
            PLAIN,
            "only GET and HEAD are served\n".to_owned(),
        );
    }
    match request.uri().path() {
        "/metrics" => {
            // OpenMetrics for scrapers that ask for it, else Prometheus' text format.
            let openmetrics = request
                .headers()
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("application/openmetrics-text"));
            if openmetrics {
                respond(
                    StatusCode::OK,
                    OPENMETRICS_TEXT,
                    metrics.render_openmetrics(),
                )
            } else {
                respond(StatusCode::OK, PROMETHEUS_TEXT, metrics.render())
            }
        }
        "/livez" => respond(StatusCode::OK, PLAIN, "live\n".to_owned()),
        "/readyz" if ready.load(Ordering::Relaxed) => {
            respond(StatusCode::OK, PLAIN, "ready\n".to_owned())
        }
        "/readyz" => respond(
            StatusCode::SERVICE_UNAVAILABLE,
            PLAIN,
            "not ready: the gazetteer is loading or the server is shutting down\n".to_owned(),
        ),
        _ => respond(
            StatusCode::NOT_FOUND,
            PLAIN,
            "not found: try GET /metrics, /livez or /readyz\n".to_owned(),
        ),
    }
}

fn respond(status: StatusCode, content_type: &'static str, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    response
}
