//! Prometheus metrics: the standard gRPC server series plus newstag's own, rendered in the
//! text exposition format at `/metrics` on `--metrics-listen`.
//!
//! Recording happens in the service layer (never in the tagger) under short-lived locks; the
//! gazetteer series are read from the serving snapshot at scrape time, so they can never
//! disagree with what is being served.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::snapshot::SharedGazetteer;

/// Latency buckets in seconds: tagging is sub-millisecond for most articles.
const SECONDS_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Article size buckets in bytes.
const BYTES_BUCKETS: &[f64] = &[
    256.0, 1024.0, 4096.0, 16384.0, 65536.0, 262144.0, 1048576.0, 4194304.0,
];

#[derive(Debug, Clone)]
struct Histogram {
    bounds: &'static [f64],
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Self {
        Self {
            bounds,
            counts: vec![0; bounds.len()],
            sum: 0.0,
            count: 0,
        }
    }

    fn observe(&mut self, value: f64) {
        if let Some(index) = self.bounds.iter().position(|&b| value <= b) {
            self.counts[index] += 1;
        }
        self.sum += value;
        self.count += 1;
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let mut cumulative = 0;
        let separator = if labels.is_empty() { "" } else { "," };
        for (bound, count) in self.bounds.iter().zip(&self.counts) {
            cumulative += count;
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{separator}le=\"{bound}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{separator}le=\"+Inf\"}} {}",
            self.count
        );
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.count);
    }
}

type Method = (&'static str, &'static str);

#[derive(Debug)]
struct Series {
    started: BTreeMap<(Method, &'static str), u64>,
    handled: BTreeMap<(Method, &'static str), u64>,
    handling: BTreeMap<Method, Histogram>,
    article_bytes: Histogram,
    reloads: BTreeMap<&'static str, u64>,
    /// Taggings stopped before their end, by reason: work a deadline or a departed caller
    /// would otherwise have burned a core on.
    cancelled: BTreeMap<&'static str, u64>,
}

/// The process's metrics.
#[derive(Debug)]
pub struct Metrics {
    series: Mutex<Series>,
}

/// The calls and outcomes alerts are written against: their series exist from start-up at
/// zero, so an `increase()` alert fires on the first failure, not from the second.
const CALLS: [(Method, &str); 5] = [
    (("newstag.v1.Tagger", "Tag"), "unary"),
    (("newstag.v1.Tagger", "TagStream"), "bidi_stream"),
    (("newstag.v1.Tagger", "GetGazetteerInfo"), "unary"),
    (("newstag.v1.Admin", "Reload"), "unary"),
    (("newstag.v1.Admin", "GetDiscoveries"), "unary"),
];
const RELOAD_RESULTS: [&str; 3] = ["success", "failure", "unchanged"];
const CANCEL_REASONS: [&str; 3] = ["deadline", "cancelled", "shutdown"];

impl Default for Metrics {
    fn default() -> Self {
        Self {
            series: Mutex::new(Series {
                started: CALLS
                    .iter()
                    .map(|&(method, kind)| ((method, kind), 0))
                    .collect(),
                handled: CALLS
                    .iter()
                    .map(|&(method, _)| ((method, code_name(tonic::Code::Ok)), 0))
                    .collect(),
                handling: BTreeMap::new(),
                article_bytes: Histogram::new(BYTES_BUCKETS),
                reloads: RELOAD_RESULTS.iter().map(|&r| (r, 0)).collect(),
                cancelled: CANCEL_REASONS.iter().map(|&r| (r, 0)).collect(),
            }),
        }
    }
}

/// The gRPC code name as Prometheus gRPC exporters spell it (`OK`, `InvalidArgument`).
fn code_name(code: tonic::Code) -> &'static str {
    use tonic::Code::*;
    match code {
        Ok => "OK",
        Cancelled => "Canceled",
        Unknown => "Unknown",
        InvalidArgument => "InvalidArgument",
        DeadlineExceeded => "DeadlineExceeded",
        NotFound => "NotFound",
        AlreadyExists => "AlreadyExists",
        PermissionDenied => "PermissionDenied",
        ResourceExhausted => "ResourceExhausted",
        FailedPrecondition => "FailedPrecondition",
        Aborted => "Aborted",
        OutOfRange => "OutOfRange",
        Unimplemented => "Unimplemented",
        Internal => "Internal",
        Unavailable => "Unavailable",
        DataLoss => "DataLoss",
        Unauthenticated => "Unauthenticated",
    }
}

/// A call being measured; [`CallTimer::finish`] records its code and duration.
#[must_use = "finish the timer with the call's code"]
pub struct CallTimer {
    metrics: Arc<Metrics>,
    method: Method,
    started: Instant,
}

impl CallTimer {
    /// Records the call's outcome.
    pub fn finish(self, code: tonic::Code) {
        let elapsed = self.started.elapsed();
        self.metrics.with(|s| {
            *s.handled.entry((self.method, code_name(code))).or_default() += 1;
            s.handling
                .entry(self.method)
                .or_insert_with(|| Histogram::new(SECONDS_BUCKETS))
                .observe(elapsed.as_secs_f64());
        });
    }
}

impl Metrics {
    fn with(&self, f: impl FnOnce(&mut Series)) {
        if let Ok(mut series) = self.series.lock() {
            f(&mut series);
        }
    }

    /// Counts a call as started. `kind` is `unary`, `bidi_stream`…
    pub fn start(
        self: &Arc<Self>,
        service: &'static str,
        method: &'static str,
        kind: &'static str,
    ) -> CallTimer {
        self.with(|s| *s.started.entry(((service, method), kind)).or_default() += 1);
        CallTimer {
            metrics: self.clone(),
            method: (service, method),
            started: Instant::now(),
        }
    }

    /// Records the size of an article received.
    pub fn observe_article_bytes(&self, bytes: usize) {
        self.with(|s| s.article_bytes.observe(bytes as f64));
    }

    /// Counts a reload attempt by result (`success`, `failure`, `unchanged`).
    pub fn count_reload(&self, result: &'static str) {
        self.with(|s| *s.reloads.entry(result).or_default() += 1);
    }

    /// Counts a tagging interrupted before its end (`deadline`, `cancelled`).
    pub fn count_tagging_cancelled(&self, reason: &'static str) {
        self.with(|s| *s.cancelled.entry(reason).or_default() += 1);
    }

    /// The exposition text.
    pub fn render(&self, gazetteer: &SharedGazetteer) -> String {
        let mut out = String::new();
        let Ok(s) = self.series.lock() else {
            return out;
        };
        out.push_str("# HELP grpc_server_started_total Total number of RPCs started on the server.\n# TYPE grpc_server_started_total counter\n");
        for (((service, method), kind), n) in &s.started {
            let _ = writeln!(
                out,
                "grpc_server_started_total{{grpc_service=\"{service}\",grpc_method=\"{method}\",grpc_type=\"{kind}\"}} {n}"
            );
        }
        out.push_str("# HELP grpc_server_handled_total Total number of RPCs completed on the server, regardless of success or failure.\n# TYPE grpc_server_handled_total counter\n");
        for (((service, method), code), n) in &s.handled {
            let _ = writeln!(
                out,
                "grpc_server_handled_total{{grpc_service=\"{service}\",grpc_method=\"{method}\",grpc_code=\"{code}\"}} {n}"
            );
        }
        out.push_str("# HELP grpc_server_handling_seconds Histogram of response latency of RPCs handled by the server.\n# TYPE grpc_server_handling_seconds histogram\n");
        for ((service, method), histogram) in &s.handling {
            histogram.render(
                &mut out,
                "grpc_server_handling_seconds",
                &format!("grpc_service=\"{service}\",grpc_method=\"{method}\""),
            );
        }
        out.push_str("# HELP newstag_article_bytes Size of tagged articles (title + body) in bytes.\n# TYPE newstag_article_bytes histogram\n");
        s.article_bytes
            .render(&mut out, "newstag_article_bytes", "");
        out.push_str("# HELP newstag_gazetteer_reloads_total Gazetteer reload attempts by result.\n# TYPE newstag_gazetteer_reloads_total counter\n");
        for (result, n) in &s.reloads {
            let _ = writeln!(
                out,
                "newstag_gazetteer_reloads_total{{result=\"{result}\"}} {n}"
            );
        }
        out.push_str("# HELP newstag_tagging_cancelled_total Taggings stopped before their end because the deadline passed, the caller went away or the server shut down.\n# TYPE newstag_tagging_cancelled_total counter\n");
        for reason in ["deadline", "cancelled", "shutdown"] {
            let n = s.cancelled.get(reason).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "newstag_tagging_cancelled_total{{reason=\"{reason}\"}} {n}"
            );
        }
        if let Some(snapshot) = gazetteer.current() {
            out.push_str("# HELP newstag_gazetteer_info The gazetteer version being served.\n# TYPE newstag_gazetteer_info gauge\n");
            let _ = writeln!(
                out,
                "newstag_gazetteer_info{{version=\"{}\"}} 1",
                snapshot.gazetteer.version
            );
            // When the serving snapshot went live: `time() - this` is the gazetteer's age, for
            // an alert on editors' changes that stopped arriving.
            let loaded = snapshot
                .loaded_at
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0.0, |d| d.as_secs_f64());
            out.push_str("# HELP newstag_gazetteer_loaded_timestamp_seconds When the served gazetteer was loaded, in Unix seconds.\n# TYPE newstag_gazetteer_loaded_timestamp_seconds gauge\n");
            let _ = writeln!(
                out,
                "newstag_gazetteer_loaded_timestamp_seconds {loaded:.3}"
            );
            out.push_str("# HELP newstag_gazetteer_entities Entities in the served gazetteer by type.\n# TYPE newstag_gazetteer_entities gauge\n");
            for (entity_type, n) in snapshot.gazetteer.counts_by_type() {
                let _ = writeln!(
                    out,
                    "newstag_gazetteer_entities{{type=\"{entity_type}\"}} {n}"
                );
            }
        }
        out
    }
}

/// Serves `GET /metrics` over plain HTTP/1.1 until `shutdown` resolves. One request per
/// connection; anything else gets 404.
///
/// Also `GET /livez` (200 while the process serves HTTP at all) and `GET /readyz` (200 while
/// `ready` says the gRPC health is SERVING, else 503): plain-HTTP probes for clusters whose
/// gRPC port speaks TLS, which Kubernetes' built-in gRPC probe cannot.
pub async fn serve(
    listener: TcpListener,
    metrics: Arc<Metrics>,
    (gazetteer, ready): (Arc<SharedGazetteer>, Arc<std::sync::atomic::AtomicBool>),
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => return,
        };
        let Ok((mut stream, _)) = accepted else {
            continue;
        };
        let metrics = metrics.clone();
        let gazetteer = gazetteer.clone();
        let ready = ready.clone();
        tokio::spawn(async move {
            let mut request = Vec::with_capacity(1024);
            let mut buffer = [0u8; 1024];
            let read = tokio::time::timeout(Duration::from_secs(5), async {
                while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16 * 1024 {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
            })
            .await;
            if read.is_err() {
                return;
            }
            let line = request.split(|&b| b == b'\r').next().unwrap_or_default();
            let mut parts = line.split(|&b| b == b' ');
            let (method, path) = (
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
            );
            let path = path.split(|&b| b == b'?').next().unwrap_or_default();
            let text = "text/plain; charset=utf-8";
            let (status, content_type, body) = match (method, path) {
                (b"GET", b"/metrics") => (
                    "200 OK",
                    "text/plain; version=0.0.4; charset=utf-8",
                    metrics.render(&gazetteer),
                ),
                (b"GET", b"/livez") => ("200 OK", text, "live\n".to_owned()),
                (b"GET", b"/readyz") if ready.load(std::sync::atomic::Ordering::Relaxed) => {
                    ("200 OK", text, "ready\n".to_owned())
                }
                (b"GET", b"/readyz") => (
                    "503 Service Unavailable",
                    text,
                    "not ready: the gazetteer is loading or the server is shutting down\n"
                        .to_owned(),
                ),
                _ => (
                    "404 Not Found",
                    text,
                    "not found: try GET /metrics, /livez or /readyz\n".to_owned(),
                ),
            };
            let response = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        });
    }
}
