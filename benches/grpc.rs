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

    let grpc = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = grpc.local_addr().unwrap();
    let args = support::serve_args(address, "127.0.0.1:0".parse().unwrap(), None);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let listeners = newstag::server::Listeners {
        grpc,
        admin: None,
        metrics: None,
    };
    let server = tokio::spawn(newstag::server::run(
        args,
        listeners,
        Box::new(newstag::Gazetteer::bundled),
        async {
            let _ = stopped.await;
        },
    ));

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
    let _ = stop.send(());
    let _ = server.await;
}
