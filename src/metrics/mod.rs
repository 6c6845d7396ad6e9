//! Prometheus metrics: the standard gRPC server series plus newstag's own, built on the
//! Prometheus project's Rust client (`prometheus-client`) and served at `/metrics` on
//! `--metrics-listen` ([`http`]).
//!
//! Calls are counted at the edge of the gRPC server ([`calls`]), outside every stage that can
//! reject one (decoding, the size limit, deadlines, shedding, drain), so `started` and
//! `handled` agree whatever answered. The service layer records the rest (article sizes,
//! interrupted taggings, reloads). The gazetteer series are read from the serving snapshot at
//! scrape time, so they can never disagree with what is being served.

pub mod calls;
pub mod http;

use std::sync::Arc;
use std::time::UNIX_EPOCH;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::snapshot::SharedGazetteer;

pub use calls::CallMetricsLayer;

/// Latency buckets in seconds: tagging is sub-millisecond for most articles.
const SECONDS_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Article size buckets in bytes.
const BYTES_BUCKETS: [f64; 8] = [
    256.0, 1024.0, 4096.0, 16384.0, 65536.0, 262144.0, 1048576.0, 4194304.0,
];

/// One gRPC method newstag measures: its service, name and kind as the standard gRPC server
/// series label them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    pub service: &'static str,
    pub method: &'static str,
    /// `unary` or `bidi_stream`.
    pub kind: &'static str,
}

/// newstag's own methods. Health and reflection calls are not counted: probes would drown
/// the traffic the series describe.
pub const METHODS: [Method; 5] = [
    method("newstag.v1.Tagger", "Tag", "unary"),
    method("newstag.v1.Tagger", "TagStream", "bidi_stream"),
    method("newstag.v1.Tagger", "GetGazetteerInfo", "unary"),
    method("newstag.v1.Admin", "Reload", "unary"),
    method("newstag.v1.Admin", "GetDiscoveries", "unary"),
];

const fn method(service: &'static str, method: &'static str, kind: &'static str) -> Method {
    Method {
        service,
        method,
        kind,
    }
}

/// The method a request path (`/newstag.v1.Tagger/Tag`) calls, if it is one of [`METHODS`].
pub fn method_of(path: &str) -> Option<Method> {
    let (service, name) = path.strip_prefix('/')?.split_once('/')?;
    METHODS
        .iter()
        .find(|m| m.service == service && m.method == name)
        .copied()
}

const RELOAD_RESULTS: [&str; 3] = ["success", "failure", "unchanged"];
const CANCEL_REASONS: [&str; 3] = ["deadline", "cancelled", "shutdown"];

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StartedLabels {
    grpc_service: &'static str,
    grpc_method: &'static str,
    grpc_type: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HandledLabels {
    grpc_service: &'static str,
    grpc_method: &'static str,
    grpc_code: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MethodLabels {
    grpc_service: &'static str,
    grpc_method: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

fn seconds_histogram() -> Histogram {
    Histogram::new(SECONDS_BUCKETS)
}

/// The process's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    started: Family<StartedLabels, Counter>,
    handled: Family<HandledLabels, Counter>,
    handling: Family<MethodLabels, Histogram, fn() -> Histogram>,
    article_bytes: Histogram,
    reloads: Family<ResultLabels, Counter>,
    /// Taggings stopped before their end, by reason: work a deadline or a departed caller
    /// would otherwise have burned a core on.
    cancelled: Family<ReasonLabels, Counter>,
}

/// The gRPC code name as Prometheus gRPC exporters spell it (`OK`, `InvalidArgument`).
pub fn code_name(code: tonic::Code) -> &'static str {
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

impl Metrics {
    /// The series, with those alerts are written against at zero from start-up (so an
    /// `increase()` alert fires on the first failure, not from the second), and the gazetteer
    /// series read from `gazetteer` at each scrape.
    pub fn new(gazetteer: Arc<SharedGazetteer>) -> Self {
        let started = Family::<StartedLabels, Counter>::default();
        let handled = Family::<HandledLabels, Counter>::default();
        let handling = Family::new_with_constructor(seconds_histogram as fn() -> Histogram);
        let article_bytes = Histogram::new(BYTES_BUCKETS);
        let reloads = Family::<ResultLabels, Counter>::default();
        let cancelled = Family::<ReasonLabels, Counter>::default();
        for m in METHODS {
            let _ = started.get_or_create(&StartedLabels {
                grpc_service: m.service,
                grpc_method: m.method,
                grpc_type: m.kind,
            });
            for code in [
                tonic::Code::Ok,
                tonic::Code::InvalidArgument,
                tonic::Code::ResourceExhausted,
                tonic::Code::DeadlineExceeded,
                tonic::Code::Unavailable,
                tonic::Code::Internal,
            ] {
                let _ = handled.get_or_create(&HandledLabels {
                    grpc_service: m.service,
                    grpc_method: m.method,
                    grpc_code: code_name(code),
                });
            }
        }
        for result in RELOAD_RESULTS {
            let _ = reloads.get_or_create(&ResultLabels { result });
        }
        for reason in CANCEL_REASONS {
            let _ = cancelled.get_or_create(&ReasonLabels { reason });
        }
        let mut registry = Registry::default();
        registry.register(
            "grpc_server_started",
            "Total number of RPCs started on the server",
            started.clone(),
        );
        registry.register(
            "grpc_server_handled",
            "Total number of RPCs completed on the server, regardless of success or failure",
            handled.clone(),
        );
        registry.register(
            "grpc_server_handling_seconds",
            "Histogram of response latency of RPCs handled by the server",
            handling.clone(),
        );
        registry.register(
            "newstag_article_bytes",
            "Size of tagged articles (title + body) in bytes",
            article_bytes.clone(),
        );
        registry.register(
            "newstag_gazetteer_reloads",
            "Gazetteer reload attempts by result",
            reloads.clone(),
        );
        registry.register(
            "newstag_tagging_cancelled",
            "Taggings stopped before their end because the deadline passed, the caller went away or the server shut down",
            cancelled.clone(),
        );
        registry.register_collector(Box::new(GazetteerSeries(gazetteer)));
        Self {
            registry,
            started,
            handled,
            handling,
            article_bytes,
            reloads,
            cancelled,
        }
    }

    /// Counts a call to `method` as started; the returned [`Call`] records its end.
    pub fn start(self: &Arc<Self>, method: Method) -> Call {
        self.started
            .get_or_create(&StartedLabels {
                grpc_service: method.service,
                grpc_method: method.method,
                grpc_type: method.kind,
            })
            .inc();
        Call {
            metrics: self.clone(),
            method,
            started: std::time::Instant::now(),
            finished: false,
        }
    }

    /// Records the size of an article received.
    pub fn observe_article_bytes(&self, bytes: usize) {
        self.article_bytes.observe(bytes as f64);
    }

    /// Counts a reload attempt by result (`success`, `failure`, `unchanged`).
    pub fn count_reload(&self, result: &'static str) {
        self.reloads.get_or_create(&ResultLabels { result }).inc();
    }

    /// Counts a tagging interrupted before its end (`deadline`, `cancelled`, `shutdown`).
    pub fn count_tagging_cancelled(&self, reason: &'static str) {
        self.cancelled.get_or_create(&ReasonLabels { reason }).inc();
    }

    /// The exposition in Prometheus' text format (version 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry);
        out
    }

    /// The exposition in the OpenMetrics text format, for scrapers that ask for it.
    pub fn render_openmetrics(&self) -> String {
        let mut out = String::new();
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// A call being measured: counted as handled with its final code by [`Call::finish`], or as
/// `Canceled` if it is dropped first (the caller reset the stream, or the connection closed).
#[must_use = "finish the call with its code"]
#[derive(Debug)]
pub struct Call {
    metrics: Arc<Metrics>,
    method: Method,
    started: std::time::Instant,
    finished: bool,
}

impl Call {
    /// Records the call's outcome.
    pub fn finish(mut self, code: tonic::Code) {
        self.record(code);
    }

    fn record(&mut self, code: tonic::Code) {
        if std::mem::replace(&mut self.finished, true) {
            return;
        }
        let Method {
            service, method, ..
        } = self.method;
        self.metrics
            .handled
            .get_or_create(&HandledLabels {
                grpc_service: service,
                grpc_method: method,
                grpc_code: code_name(code),
            })
            .inc();
        self.metrics
            .handling
            .get_or_create(&MethodLabels {
                grpc_service: service,
                grpc_method: method,
            })
            .observe(self.started.elapsed().as_secs_f64());
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        self.record(tonic::Code::Cancelled);
    }
}

/// The serving gazetteer's series, read at each scrape.
#[derive(Debug)]
struct GazetteerSeries(Arc<SharedGazetteer>);

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VersionLabels {
    version: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TypeLabels {
    r#type: String,
}

impl Collector for GazetteerSeries {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let Some(snapshot) = self.0.current() else {
            return Ok(());
        };
        let mut info = encoder.encode_descriptor(
            "newstag_gazetteer",
            "The gazetteer version being served.",
            None,
            MetricType::Info,
        )?;
        info.encode_info(&VersionLabels {
            version: snapshot.gazetteer.version.clone(),
        })?;
        // When the serving snapshot went live: `time() - this` is the gazetteer's age, for an
        // alert on editors' changes that stopped arriving.
        let loaded = snapshot
            .loaded_at
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        let gauge = ConstGauge::new(loaded);
        gauge.encode(encoder.encode_descriptor(
            "newstag_gazetteer_loaded_timestamp_seconds",
            "When the served gazetteer was loaded, in Unix seconds.",
            None,
            gauge.metric_type(),
        )?)?;
        let mut entities = encoder.encode_descriptor(
            "newstag_gazetteer_entities",
            "Entities in the served gazetteer by type.",
            None,
            MetricType::Gauge,
        )?;
        for (entity_type, n) in snapshot.gazetteer.counts_by_type() {
            let gauge = ConstGauge::new(*n as i64);
            gauge.encode(entities.encode_family(&TypeLabels {
                r#type: entity_type.clone(),
            })?)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_only_newstag_methods() {
        assert_eq!(
            method_of("/newstag.v1.Tagger/Tag").map(|m| m.kind),
            Some("unary")
        );
        assert_eq!(
            method_of("/newstag.v1.Tagger/TagStream").map(|m| m.kind),
            Some("bidi_stream")
        );
        assert_eq!(method_of("/grpc.health.v1.Health/Check"), None);
        assert_eq!(method_of("/newstag.v1.Tagger/Nope"), None);
        assert_eq!(method_of("newstag.v1.Tagger"), None);
    }

    #[test]
    fn a_dropped_call_is_counted_cancelled_once() {
        let metrics = Arc::new(Metrics::new(Arc::new(SharedGazetteer::new("test"))));
        drop(metrics.start(METHODS[0]));
        metrics.start(METHODS[0]).finish(tonic::Code::Ok);
        let text = metrics.render();
        for expected in [
            "grpc_server_started_total{grpc_service=\"newstag.v1.Tagger\",grpc_method=\"Tag\",grpc_type=\"unary\"} 2",
            "grpc_server_handled_total{grpc_service=\"newstag.v1.Tagger\",grpc_method=\"Tag\",grpc_code=\"Canceled\"} 1",
            "grpc_server_handled_total{grpc_service=\"newstag.v1.Tagger\",grpc_method=\"Tag\",grpc_code=\"OK\"} 1",
            "grpc_server_handling_seconds_count{grpc_service=\"newstag.v1.Tagger\",grpc_method=\"Tag\"} 2",
            "newstag_gazetteer_reloads_total{result=\"failure\"} 0",
        ] {
            assert!(text.contains(expected), "{expected} in\n{text}");
        }
        assert!(metrics.render_openmetrics().ends_with("# EOF\n"));
    }
}
