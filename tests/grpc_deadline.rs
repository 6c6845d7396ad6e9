//! Deadlines and cancellation stop the tagging itself, not just the answer: an abandoned
//! tagging is counted in `newstag_tagging_cancelled_total`, and the server keeps serving.
//! No timing is asserted; the waits are hang detectors.

mod support;

use std::time::Duration;

use support::{request, start};
use tonic::Code;

/// A 1 MiB article that takes a while to tag (a quarter of a second in release builds).
fn slow_body() -> String {
    "U.S.".repeat((1 << 20) / 4 - 64)
}

/// The value of `newstag_tagging_cancelled_total{reason="…"}`.
async fn cancelled(metrics: std::net::SocketAddr, reason: &str) -> u64 {
    let text = support::scrape(metrics).await;
    let series = format!("newstag_tagging_cancelled_total{{reason=\"{reason}\"}} ");
    text.lines()
        .find_map(|line| line.strip_prefix(series.as_str()))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {series} in\n{text}"))
}

/// Polls the counter until it reaches `at_least` (a hang detector).
async fn wait_cancelled(metrics: std::net::SocketAddr, reason: &str, at_least: u64) -> u64 {
    for _ in 0..3000 {
        let n = cancelled(metrics, reason).await;
        if n >= at_least {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("newstag_tagging_cancelled_total{{reason={reason:?}}} never reached {at_least}");
}

#[tokio::test]
async fn a_one_mib_article_with_a_1ms_deadline_is_deadline_exceeded_and_counted() {
    let server = start(support::args()).await;
    let mut client = server.ready().await;
    assert_eq!(cancelled(server.metrics_address, "deadline").await, 0);
    // A client over plain HTTP/2: tonic's Channel would enforce the deadline itself and answer
    // CANCELLED before the server's answer arrives.
    let http2 = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .http2_only(true)
        .build_http::<tonic::body::Body>();
    let mut raw = newstag::proto::tagger_client::TaggerClient::with_origin(
        http2,
        server.endpoint().parse().unwrap(),
    );
    let mut call = tonic::Request::new(request("late", "", &slow_body()));
    // The header a client deadline sends.
    call.metadata_mut()
        .insert("grpc-timeout", "1m".parse().unwrap());
    let status = raw.tag(call).await.unwrap_err();
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    wait_cancelled(server.metrics_address, "deadline", 1).await;
    // The server goes on serving.
    client.tag(request("next", "", "Russia")).await.unwrap();
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_server_request_timeout_interrupts_the_tagging() {
    let mut args = support::args();
    args.request_timeout = Duration::from_millis(20);
    let server = start(args).await;
    let mut client = server.ready().await;
    let status = client
        .tag(request("slow", "", &slow_body()))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    assert!(status.message().contains("deadline of 20ms"), "{status:?}");
    wait_cancelled(server.metrics_address, "deadline", 1).await;
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_client_that_gives_up_stops_the_tagging() {
    let server = start(support::args()).await;
    let client = server.ready().await;
    let metrics = server.metrics_address;
    // Many slow articles: at least one is still tagging when the client goes away, whatever
    // the build's speed.
    let mut calls = Vec::new();
    for i in 0..4 {
        let mut client = client.clone();
        calls.push(tokio::spawn(async move {
            let _ = client
                .tag(request(&format!("gone-{i}"), "", &slow_body()))
                .await;
        }));
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    for call in &calls {
        call.abort();
    }
    let abandoned = wait_cancelled(metrics, "cancelled", 1).await;
    assert!(abandoned <= 4);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_stream_whose_client_leaves_stops_its_articles() {
    let server = start(support::args()).await;
    let mut client = server.ready().await;
    let (hold, stream) = support::open_stream(&mut client).await;
    for i in 0..4 {
        hold.send(request(&format!("s{i}"), "", &slow_body()))
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    drop(stream);
    drop(hold);
    wait_cancelled(server.metrics_address, "cancelled", 1).await;
    // Still serving.
    client.tag(request("after", "", "Russia")).await.unwrap();
    server.stop().await.unwrap();
}
