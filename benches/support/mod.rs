//! Shared by the benchmarks: the seed request, a closed-loop load generator, a deterministic
//! news-like corpus and best-of timing.
#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use newstag::proto::{Article, TagRequest};

pub const SEED: &str = include_str!("../../tests/fixtures/seed-article.txt");

pub fn seed_request() -> TagRequest {
    TagRequest {
        article: Some(Article {
            id: "seed".into(),
            title: String::new(),
            body: SEED.into(),
            language: "en".into(),
        }),
        options: None,
    }
}

/// A channel to `address`, retrying until the server listens.
pub async fn connect(address: std::net::SocketAddr) -> tonic::transport::Channel {
    loop {
        if let Ok(endpoint) = tonic::transport::Channel::from_shared(format!("http://{address}"))
            && let Ok(channel) = endpoint.connect().await
        {
            return channel;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Server flags for the benchmarks: no watcher, no drain, a high concurrency limit.
pub fn serve_args(
    listen: std::net::SocketAddr,
    admin_listen: std::net::SocketAddr,
    gazetteers: Option<std::path::PathBuf>,
) -> newstag::config::ServeArgs {
    newstag::config::ServeArgs {
        listen,
        gazetteers,
        max_article_bytes: 1 << 20,
        max_mentions_per_entity: 100,
        max_concurrent_requests: 1024,
        request_timeout: Duration::from_secs(60),
        shutdown_grace: Duration::from_secs(5),
        shutdown_drain: Duration::ZERO,
        metrics_listen: "127.0.0.1:0".parse().expect("address"),
        log_format: newstag::config::LogFormat::Text,
        admin_listen,
        admin_token: None,
        reload_debounce: Duration::from_millis(500),
        reload_interval: Duration::ZERO,
        no_watch: true,
        tls_cert: None,
        tls_key: None,
        tls_client_ca: None,
        tls_reload_interval: Duration::from_secs(10),
    }
}

/// An in-process server with the bundled gazetteer, gRPC only.
pub struct BenchServer {
    pub address: std::net::SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    handle: tokio::task::JoinHandle<Result<(), newstag::server::ServerError>>,
}

impl BenchServer {
    /// Binds 127.0.0.1:0 and starts a server; `configure` may change the flags (TLS, say).
    pub async fn start(configure: impl FnOnce(&mut newstag::config::ServeArgs)) -> Self {
        let grpc = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = grpc.local_addr().expect("address");
        let mut args = serve_args(address, "127.0.0.1:0".parse().expect("address"), None);
        configure(&mut args);
        let listeners = newstag::server::Listeners {
            grpc,
            admin: None,
            metrics: None,
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(newstag::server::run(
            args,
            listeners,
            Box::new(newstag::Gazetteer::bundled),
            async {
                let _ = stopped.await;
            },
        ));
        Self {
            address,
            stop,
            handle,
        }
    }

    /// Stops the server and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.handle.await;
    }
}

/// One call of the load: a cheap clone of a client in, a future out.
pub type Call<T> = fn(T) -> Pin<Box<dyn Future<Output = Result<(), tonic::Status>> + Send>>;

/// Latency percentiles and throughput of a load run.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub requests_per_second: f64,
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub failures: usize,
}

/// `concurrency` closed-loop workers call `call` until `keep_going` says stop; calls started
/// during the first `warmup` are not measured.
pub async fn load<T: Clone + Send + 'static>(
    target: T,
    call: Call<T>,
    concurrency: usize,
    warmup: Duration,
    keep_going: Arc<dyn Fn(Duration) -> bool + Send + Sync>,
) -> Summary {
    let start = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let target = target.clone();
            let keep_going = keep_going.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut failures = 0;
                loop {
                    let sent = Instant::now();
                    if !keep_going(sent - start) {
                        break (latencies, failures);
                    }
                    let ok = call(target.clone()).await.is_ok();
                    failures += usize::from(!ok);
                    if sent - start >= warmup {
                        latencies.push(sent.elapsed());
                    }
                }
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut failures = 0;
    for task in tasks {
        let (l, f) = task.await.expect("load task");
        latencies.extend(l);
        failures += f;
    }
    let measured = start
        .elapsed()
        .saturating_sub(warmup)
        .as_secs_f64()
        .max(1e-9);
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Summary {
        requests_per_second: latencies.len() as f64 / measured,
        p50: at(0.50),
        p90: at(0.90),
        p99: at(0.99),
        failures,
    }
}

/// A `keep_going` that runs for `warmup + seconds`.
pub fn for_seconds(warmup: Duration, seconds: f64) -> Arc<dyn Fn(Duration) -> bool + Send + Sync> {
    let end = warmup + Duration::from_secs_f64(seconds);
    Arc::new(move |elapsed| elapsed < end)
}

/// Resident and peak resident memory of this process in MiB (Linux).
pub fn memory_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Resets the peak-resident counter (VmHWM), so a later peak belongs to what ran since.
pub fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Filler words of the synthetic corpus: common news words, some of them topic keywords.
const FILLER: &[&str] = &[
    "the",
    "government",
    "said",
    "on",
    "Tuesday",
    "that",
    "talks",
    "with",
    "officials",
    "would",
    "resume",
    "because",
    "business",
    "leaders",
    "thus",
    "under",
    "pressure",
    "from",
    "investors",
    "and",
    "analysts",
    "expected",
    "a",
    "further",
    "decline",
    "in",
    "prices",
    "after",
    "the",
    "announcement",
    "of",
    "new",
    "shares",
    "week",
    "market",
    "minister",
    "told",
    "reporters",
];

/// Deterministic news-like articles of `words` words each, `bytes` in all, with one of `names`
/// in about every 15 words, a full stop every 20 and a paragraph break every 80. The same
/// arguments always give the same text, so a benchmark always has a corpus to run on.
pub fn synthetic_articles(names: &[&str], words: usize, bytes: usize) -> Vec<Article> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut articles = Vec::new();
    let mut total = 0;
    while total < bytes {
        let mut body = String::new();
        for i in 0..words {
            let r = next();
            let word = if r % 15 == 0 && !names.is_empty() {
                names[(r / 15 % names.len() as u64) as usize]
            } else {
                FILLER[(r % FILLER.len() as u64) as usize]
            };
            body.push_str(word);
            body.push(if i % 20 == 19 { '.' } else { ' ' });
            if i % 80 == 79 {
                body.push_str("\n\n");
            }
        }
        total += body.len();
        articles.push(Article {
            body,
            ..Article::default()
        });
    }
    articles
}

/// The fastest of `runs` timed runs of `f`.
pub fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// The median over `runs` pairs of timed runs of `a` and `b`, run back to back (in turns `a`
/// first and `b` first), of the ratio of `a`'s time to `b`'s, with the fastest run of each.
/// On a shared machine a busy spell that outlasts a pair slows both of its sides, and the
/// median ignores one that falls inside a pair: steadier than a ratio of two minimums, which
/// may come from runs far apart.
pub fn paired_ratio(
    runs: usize,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> (f64, Duration, Duration) {
    let (mut best_a, mut best_b) = (Duration::MAX, Duration::MAX);
    let mut ratios = Vec::with_capacity(runs);
    for run in 0..runs.max(1) {
        let (time_a, time_b) = if run % 2 == 0 {
            let time_a = best_of(1, &mut a);
            (time_a, best_of(1, &mut b))
        } else {
            let time_b = best_of(1, &mut b);
            (best_of(1, &mut a), time_b)
        };
        best_a = best_a.min(time_a);
        best_b = best_b.min(time_b);
        ratios.push(time_a.as_secs_f64() / time_b.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    (ratios[ratios.len() / 2], best_a, best_b)
}

/// The fastest of `runs` timed runs of `a` and of `b`, run alternately: on a shared machine a
/// busy spell then slows both sides of a ratio instead of one.
pub fn best_of_alternating(
    runs: usize,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> (Duration, Duration) {
    let (mut best_a, mut best_b) = (Duration::MAX, Duration::MAX);
    for _ in 0..runs {
        best_a = best_a.min(best_of(1, &mut a));
        best_b = best_b.min(best_of(1, &mut b));
    }
    (best_a, best_b)
}
