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
