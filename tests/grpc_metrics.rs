//! The Prometheus endpoint counts calls and describes the gazetteer.

mod support;

#[tokio::test]
async fn series_alerts_need_exist_at_zero_from_start_up() {
    let server = support::start(support::args()).await;
    let _ready = server.ready().await;
    let text = support::scrape(server.metrics_address).await;
    for expected in [
        "newstag_gazetteer_reloads_total{result=\"failure\"} 0",
        "newstag_tagging_cancelled_total{reason=\"deadline\"} 0",
        "newstag_gazetteer_loaded_timestamp_seconds 1",
        "grpc_server_started_total{grpc_service=\"newstag.v1.Tagger\",grpc_method=\"Tag\",grpc_type=\"unary\"} 0",
        "grpc_server_started_total{grpc_service=\"newstag.v1.Tagger\",grpc_method=\"TagStream\",grpc_type=\"bidi_stream\"} 0",
        "grpc_server_handled_total{grpc_service=\"newstag.v1.Tagger\",grpc_method=\"Tag\",grpc_code=\"OK\"} 0",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn metrics_count_a_call() {
    let server = support::start(support::args()).await;
    let mut client = server.ready().await;
    client
        .tag(support::request("m", "", support::SEED))
        .await
        .unwrap();
    let _ = client.tag(support::request("m", "", "")).await;
    let text = support::scrape(server.metrics_address).await;
    assert!(text.starts_with("HTTP/1.1 200 OK"), "{text}");
    assert!(text.contains("text/plain; version=0.0.4"), "{text}");
    for expected in [
        "grpc_server_started_total{grpc_service=\"newstag.v1.Tagger\",grpc_method=\"Tag\",grpc_type=\"unary\"} 2",
        "grpc_server_handled_total{grpc_service=\"newstag.v1.Tagger\",grpc_method=\"Tag\",grpc_code=\"OK\"} 1",
        "grpc_server_handled_total{grpc_service=\"newstag.v1.Tagger\",grpc_method=\"Tag\",grpc_code=\"InvalidArgument\"} 1",
        "grpc_server_handling_seconds_count{grpc_service=\"newstag.v1.Tagger\",grpc_method=\"Tag\"} 2",
        "newstag_gazetteer_info{version=\"sha256:",
        "newstag_gazetteer_entities{type=\"country\"}",
        "newstag_article_bytes_count 2",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    server.stop().await.unwrap();
}

/// `grpc_server_started_total` and the `grpc_server_handled_total` of each code for one
/// method, read from a scrape.
fn calls(text: &str, method: &str) -> (u64, std::collections::BTreeMap<String, u64>) {
    let mut started = 0;
    let mut handled = std::collections::BTreeMap::new();
    let method = format!("grpc_method=\"{method}\"");
    for line in text.lines().filter(|l| l.contains(&method)) {
        let Some((series, value)) = line.rsplit_once(' ') else {
            continue;
        };
        let value: u64 = value.parse().unwrap_or(0);
        if series.starts_with("grpc_server_started_total{") {
            started += value;
        } else if series.starts_with("grpc_server_handled_total{") {
            let code = series
                .split("grpc_code=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_default();
            *handled.entry(code.to_owned()).or_insert(0) += value;
        }
    }
    (started, handled)
}

/// Scrapes until every started `method` call is handled (a cancelled call is counted when
/// the server notices the reset), and returns the handled counts by code.
async fn settled(
    metrics: std::net::SocketAddr,
    method: &str,
) -> (u64, std::collections::BTreeMap<String, u64>) {
    let mut last = (0, Default::default());
    for _ in 0..500 {
        let text = support::scrape(metrics).await;
        last = calls(&text, method);
        if last.0 == last.1.values().sum::<u64>() {
            return last;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("started and handled never agreed for {method}: {last:?}");
}

/// Every call that reaches the server is counted started and handled with the code its
/// caller received, whichever stage answered: tonic's decoder, the size limit, validation,
/// the tagger, a caller that left.
#[tokio::test]
async fn every_rejected_call_is_counted_with_its_final_code() {
    let server = support::start(support::args()).await;
    let mut client = server.ready().await;
    let metrics = server.metrics_address;
    // Decoding (not protobuf) and size (over the 4 MiB transport limit): before our handler.
    support::raw_tag(server.channel().await, vec![0x0a, 0x7f, 0x01]).await;
    support::raw_tag(server.channel().await, vec![0u8; 5 << 20]).await;
    // Validation and an empty article: in the handler.
    let _ = client.tag(support::request("e", "", "")).await.unwrap_err();
    let mut typo = support::request("t", "", "Russia");
    typo.options = Some(newstag::proto::TagOptions {
        entity_types: vec!["PERSON".into()],
        ..Default::default()
    });
    let _ = client.tag(typo).await.unwrap_err();
    client
        .tag(support::request("ok", "", "Russia"))
        .await
        .unwrap();
    // A caller that leaves while its 1 MiB article is tagged.
    let mut leaving = client.clone();
    let call = tokio::spawn(async move {
        let _ = leaving
            .tag(support::request(
                "gone",
                "",
                &"U.S.".repeat((1 << 20) / 4 - 64),
            ))
            .await;
    });
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    call.abort();
    let (started, handled) = settled(metrics, "Tag").await;
    assert_eq!(started, 6, "{handled:?}");
    assert_eq!(handled.get("InvalidArgument"), Some(&3), "{handled:?}");
    assert_eq!(handled.get("ResourceExhausted"), Some(&1), "{handled:?}");
    // The last call either finished before the reset reached the server or was cancelled.
    let ok = handled.get("OK").copied().unwrap_or(0);
    let cancelled = handled.get("Canceled").copied().unwrap_or(0);
    assert_eq!(ok + cancelled, 2, "{handled:?}");
    server.stop().await.unwrap();
}

/// Shedding over the concurrency limit and a passed deadline, counted the same way.
#[tokio::test]
async fn shed_and_late_calls_are_counted() {
    let mut args = support::args();
    args.max_concurrent_requests = 1;
    args.request_timeout = std::time::Duration::ZERO;
    let server = support::start(args).await;
    let mut client = server.client().await;
    let metrics = server.metrics_address;
    // Until the gazetteer is loaded the answer is UNAVAILABLE; then every Tag is late.
    let mut late = client.tag(support::request("d", "", "Russia")).await;
    for _ in 0..support::READY_POLLS {
        if late.as_ref().err().map(tonic::Status::code) != Some(tonic::Code::Unavailable) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        late = client.tag(support::request("d", "", "Russia")).await;
    }
    assert_eq!(late.unwrap_err().code(), tonic::Code::DeadlineExceeded);
    // An open stream holds the only permit: the next Tag is shed.
    let (hold, _stream) = support::open_stream(&mut client).await;
    hold.send(support::request("s", "", "Russia"))
        .await
        .unwrap();
    let shed = client
        .tag(support::request("x", "", "Russia"))
        .await
        .unwrap_err();
    assert_eq!(shed.code(), tonic::Code::ResourceExhausted);
    let (_, handled) = settled(metrics, "Tag").await;
    assert_eq!(handled.get("DeadlineExceeded"), Some(&1), "{handled:?}");
    assert_eq!(handled.get("ResourceExhausted"), Some(&1), "{handled:?}");
    drop(hold);
    server.stop().await.unwrap();
}
