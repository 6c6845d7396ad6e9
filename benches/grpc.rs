//! gRPC load benchmark: `Tag` requests/s and latency percentiles on the seed article at
//! concurrency 1, 8 and 64, against a no-op service taking the same request message, in one run.
//! Also `TagStream` articles/s.
//!
//! ```text
//! cargo bench --bench grpc            # NEWSTAG_BENCH_SECONDS=5 for longer runs
//! ```
//!
//! Client and servers share this process and the machine's cores, as a sidecar load client
//! would; the ratio newstag ÷ no-op is what tagging costs over gRPC itself.
//!
//! TLS: the same server with `--tls-cert`/`--tls-key` (a CA and certificate made by rcgen),
//! `Tag` at concurrency 8 over TLS beside plaintext in the same run, and new connections per
//! second (connect, one `Tag`, close) for both, which is what the handshake costs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use newstag::proto::tagger_client::TaggerClient;
use newstag::proto::{TagRequest, TagResponse};
use tokio::net::TcpListener;
use tonic::transport::Channel;
use tonic::{Request, Response, Status};

mod support;

use support::{SEED, Summary, for_seconds, load, seed_request};

mod noop {
    #![allow(clippy::all, missing_docs)]
    tonic::include_proto!("newstag.bench.v1");
}

use noop::noop_client::NoopClient;
use noop::noop_server::{Noop, NoopServer};

/// Decodes the request and answers an empty response: gRPC's own cost.
struct NoopService;

#[tonic::async_trait]
impl Noop for NoopService {
    async fn tag(&self, request: Request<TagRequest>) -> Result<Response<TagResponse>, Status> {
        let article_id = request
            .into_inner()
            .article
            .map(|a| a.id)
            .unwrap_or_default();
        Ok(Response::new(TagResponse {
            article_id,
            ..TagResponse::default()
        }))
    }
}

#[derive(Clone)]
enum Target {
    Newstag(TaggerClient<Channel>),
    Noop(NoopClient<Channel>),
}

fn call(
    target: Target,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), Status>> + Send>> {
    Box::pin(async move {
        match target {
            Target::Newstag(mut client) => client.tag(seed_request()).await.map(drop),
            Target::Noop(mut client) => client.tag(seed_request()).await.map(drop),
        }
    })
}

async fn run(target: Target, concurrency: usize, seconds: f64) -> Summary {
    let warmup = Duration::from_millis(300);
    let summary = load(
        target,
        call,
        concurrency,
        warmup,
        for_seconds(warmup, seconds),
    )
    .await;
    assert_eq!(summary.failures, 0, "calls failed under load");
    summary
}

async fn stream_articles_per_second(client: &mut TaggerClient<Channel>, articles: usize) -> f64 {
    let started = Instant::now();
    let requests = tokio_stream::iter((0..articles).map(|_| seed_request()));
    let mut responses = client
        .tag_stream(requests)
        .await
        .expect("stream opens")
        .into_inner();
    let mut received = 0;
    while let Some(response) = responses.message().await.expect("stream item") {
        assert!(response.error.is_none());
        received += 1;
    }
    assert_eq!(received, articles);
    articles as f64 / started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let seconds: f64 = std::env::var("NEWSTAG_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);

    let server = support::BenchServer::start(|_| {}).await;
    let address = server.address;

    let noop_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let noop_address = noop_listener.local_addr().unwrap();
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(NoopServer::new(NoopService))
            .serve_with_incoming(
                tonic::transport::server::TcpIncoming::from(noop_listener).with_nodelay(Some(true)),
            ),
    );

    let mut tagger = TaggerClient::new(support::connect(address).await);
    while tagger.tag(seed_request()).await.is_err() {
        tokio::time::sleep(Duration::from_millis(20)).await; // gazetteer loading
    }
    let noop = NoopClient::new(support::connect(noop_address).await);

    println!(
        "Tag on the seed article ({} bytes), {seconds} s per run, {} cores",
        SEED.len(),
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    println!(
        "{:>11} {:>9} {:>10} {:>9} {:>9} {:>9} {:>8}",
        "concurrency", "service", "req/s", "p50 µs", "p90 µs", "p99 µs", "ratio"
    );
    let results = Arc::new(std::sync::Mutex::new(Vec::new()));
    for concurrency in [1, 8, 64] {
        let floor = run(Target::Noop(noop.clone()), concurrency, seconds).await;
        let real = run(Target::Newstag(tagger.clone()), concurrency, seconds).await;
        for (name, run) in [("no-op", &floor), ("newstag", &real)] {
            let ratio = run.requests_per_second / floor.requests_per_second;
            println!(
                "{concurrency:>11} {name:>9} {:>10.0} {:>9} {:>9} {:>9} {:>8.2}",
                run.requests_per_second,
                run.p50.as_micros(),
                run.p90.as_micros(),
                run.p99.as_micros(),
                ratio
            );
        }
        results.lock().unwrap().push((
            concurrency,
            real.requests_per_second / floor.requests_per_second,
        ));
    }
    let articles = stream_articles_per_second(&mut tagger, 20_000).await;
    println!("TagStream: {articles:.0} articles/s (seed article, one stream)");

    let tls = tls::Server::start().await;
    let plain_connect = move || {
        Box::pin(async move {
            TaggerClient::new(
                Channel::from_shared(format!("http://{address}"))
                    .expect("endpoint")
                    .connect()
                    .await
                    .expect("plaintext connects"),
            )
        }) as tls::Connecting
    };
    let tls_connect = tls.connector();
    let tls_client = tls_connect().await;
    while tls_client.clone().tag(seed_request()).await.is_err() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!("TLS (rustls, ring; ECDSA P-256 certificate), Tag on the seed article");
    println!(
        "{:>11} {:>10} {:>9} {:>9} {:>8}",
        "transport", "req/s c=8", "p50 µs", "p99 µs", "conn/s"
    );
    let plain = run(Target::Newstag(tagger.clone()), 8, seconds).await;
    let secure = run(Target::Newstag(tls_client), 8, seconds).await;
    let plain_connections = tls::connections_per_second(&plain_connect, seconds).await;
    let tls_connections = tls::connections_per_second(&tls_connect, seconds).await;
    for (name, summary, connections) in [
        ("plaintext", &plain, plain_connections),
        ("TLS", &secure, tls_connections),
    ] {
        println!(
            "{name:>11} {:>10.0} {:>9} {:>9} {:>8.0}",
            summary.requests_per_second,
            summary.p50.as_micros(),
            summary.p99.as_micros(),
            connections
        );
    }
    println!(
        "TLS ÷ plaintext: {:.2} (req/s on open connections), {:.2} (new connections/s)",
        secure.requests_per_second / plain.requests_per_second,
        tls_connections / plain_connections
    );
    tls.stop().await;
    server.stop().await;
}

/// A TLS newstag server with a throwaway CA, and clients for it.
mod tls {
    use std::future::Future;
    use std::pin::Pin;
    use std::time::{Duration, Instant};

    use newstag::proto::tagger_client::TaggerClient;
    use tonic::transport::{Certificate, Channel, ClientTlsConfig};

    pub type Connecting = Pin<Box<dyn Future<Output = TaggerClient<Channel>> + Send>>;

    pub struct Server {
        ca: String,
        dir: std::path::PathBuf,
        server: super::support::BenchServer,
    }

    impl Server {
        pub async fn start() -> Self {
            let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
            ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
            let ca_key = rcgen::KeyPair::generate().unwrap();
            let ca = ca_params.self_signed(&ca_key).unwrap();
            let params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
            let key = rcgen::KeyPair::generate().unwrap();
            let cert = params.signed_by(&key, &ca, &ca_key).unwrap();
            let dir =
                std::env::temp_dir().join(format!("newstag-bench-tls-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("tls.crt"), cert.pem()).unwrap();
            std::fs::write(dir.join("tls.key"), key.serialize_pem()).unwrap();
            let (cert_path, key_path) = (dir.join("tls.crt"), dir.join("tls.key"));
            let server = super::support::BenchServer::start(move |args| {
                args.tls_cert = Some(cert_path);
                args.tls_key = Some(key_path);
            })
            .await;
            Self {
                ca: ca.pem(),
                dir,
                server,
            }
        }

        /// Makes a new TLS connection (full handshake) and a client on it.
        pub fn connector(&self) -> impl Fn() -> Connecting + use<> {
            let address = self.server.address;
            let ca = self.ca.clone();
            move || {
                let ca = ca.clone();
                Box::pin(async move {
                    let config = ClientTlsConfig::new()
                        .ca_certificate(Certificate::from_pem(ca))
                        .domain_name("localhost");
                    loop {
                        let endpoint = Channel::from_shared(format!("https://{address}"))
                            .unwrap()
                            .tls_config(config.clone())
                            .unwrap();
                        if let Ok(channel) = endpoint.connect().await {
                            return TaggerClient::new(channel);
                        }
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                })
            }
        }

        pub async fn stop(self) {
            self.server.stop().await;
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    /// Connections per second, each: connect, one `Tag`, close.
    pub async fn connections_per_second(connect: &impl Fn() -> Connecting, seconds: f64) -> f64 {
        let started = Instant::now();
        let mut count = 0u32;
        while started.elapsed().as_secs_f64() < seconds {
            let mut client = connect().await;
            client
                .tag(super::seed_request())
                .await
                .expect("Tag on a new connection");
            count += 1;
        }
        f64::from(count) / started.elapsed().as_secs_f64()
    }
}
