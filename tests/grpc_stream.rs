//! `TagStream`: request order, per-item errors, and backpressure.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use support::{SEED, request, start};
use tokio_stream::StreamExt;

#[tokio::test]
async fn responses_come_back_in_request_order_with_per_item_errors() {
    let server = start(support::args()).await;
    let mut client = server.ready().await;
    let requests: Vec<_> = (0..200)
        .map(|i| match i % 7 {
            // An empty article is invalid: its response carries the error, the stream goes on.
            3 => request(&format!("a{i}"), "", ""),
            // Bodies of very different sizes finish out of order on the workers.
            0 => request(&format!("a{i}"), "", &SEED.repeat(20)),
            _ => request(&format!("a{i}"), "NATO", "Russia and Ukraine."),
        })
        .collect();
    let responses: Vec<_> = client
        .tag_stream(tokio_stream::iter(requests))
        .await
        .unwrap()
        .into_inner()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(responses.len(), 200);
    for (i, response) in responses.iter().enumerate() {
        assert_eq!(response.article_id, format!("a{i}"), "order");
        if i % 7 == 3 {
            let error = response.error.as_ref().expect("per-item error");
            assert_eq!(error.code, tonic::Code::InvalidArgument as i32);
            assert!(
                error.message.contains("no title and no body"),
                "{}",
                error.message
            );
        } else {
            assert!(response.error.is_none());
            assert!(!response.entities.is_empty());
            assert!(!response.gazetteer_version.is_empty());
        }
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_client_that_stops_reading_is_pushed_back_on() {
    let server = start(support::args()).await;
    let mut client = server.ready().await;
    let pulled = Arc::new(AtomicUsize::new(0));
    let counter = pulled.clone();
    // Responses must be large for transport windows to fill: ~400 mentions per article.
    let body = "Russia and Ukraine. ".repeat(200);
    // ~16 MB of requests, ~200 MB of responses if nothing pushed back; transport windows and
    // the pipeline hold about 500 articles of this size, whatever the tagging speed.
    let total = 4_000;
    let requests = tokio_stream::iter(0..total).map(move |i| {
        counter.fetch_add(1, Ordering::SeqCst);
        request(&format!("b{i}"), "", &body)
    });
    let mut responses = client.tag_stream(requests).await.unwrap().into_inner();
    // Read one response, then stop reading and let the pipeline fill up.
    assert!(responses.next().await.unwrap().is_ok());
    let mut settled = 0;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = pulled.load(Ordering::SeqCst);
        if now == settled {
            break;
        }
        settled = now;
    }
    let in_flight = pulled.load(Ordering::SeqCst);
    eprintln!("articles pulled while the client was not reading: {in_flight}");
    assert!(
        in_flight < total / 4,
        "the server kept pulling: {in_flight} of {total} articles"
    );
    // Reading again resumes, in order.
    for next in 1..=20 {
        let item = responses.next().await.unwrap().unwrap();
        assert_eq!(item.article_id, format!("b{next}"));
    }
    drop(responses);
    server.stop().await.unwrap();
}
