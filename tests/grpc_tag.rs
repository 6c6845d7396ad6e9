//! `Tag` and `GetGazetteerInfo` over real gRPC, with compression.

mod support;

use newstag::proto::tagger_client::TaggerClient;
use newstag::proto::{GetGazetteerInfoRequest, TagOptions};
use support::{SEED, request, start};
use tonic::codec::CompressionEncoding;

#[tokio::test]
async fn tag_the_seed_article() {
    let server = start(support::args()).await;
    let mut client = server.ready().await;
    let response = client
        .tag(request("seed-1", "", SEED))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(response.article_id, "seed-1");
    let ids: Vec<&str> = response.entities.iter().map(|e| e.id.as_str()).collect();
    let position = |id: &str| {
        ids.iter()
            .position(|x| *x == id)
            .unwrap_or_else(|| panic!("{id} missing from {ids:?}"))
    };
    for main in [
        "person:vladimir-putin",
        "country:RU",
        "country:UA",
        "org:nato",
    ] {
        assert!(position(main) < position("person:donald-trump"));
        assert!(position(main) < position("org:delta"));
    }
    // The same response as the library and the CLI.
    let local = newstag::tag(
        &newstag::Gazetteer::bundled().unwrap(),
        &request("seed-1", "", SEED),
    )
    .unwrap();
    assert_eq!(response, local);

    let info = client
        .get_gazetteer_info(GetGazetteerInfoRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(info.version, response.gazetteer_version);
    assert_eq!(info.source, "bundled");
    assert!(info.entities_by_type["country"] > 0);
    assert!(info.alias_count > info.entity_count);
    assert!(info.loaded_at.is_some());
    // The bundled category mapping (clubs → sport, banks → banking…) and no model.
    assert!(
        info.mapped_category_count >= 10,
        "{}",
        info.mapped_category_count
    );
    assert!(info.topic_models.is_empty());
    let last = info.last_reload.unwrap();
    assert!(last.ok && last.trigger == "startup" && last.version == info.version);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn options_travel_over_grpc() {
    let server = start(support::args()).await;
    let mut client = server.ready().await;
    let mut tag_request = request(
        "o",
        "Putin and NATO",
        "Vladimir Putin spoke to NATO. Zoë 😀 Russia.",
    );
    tag_request.options = Some(TagOptions {
        offset_unit: newstag::proto::OffsetUnit::Utf16 as i32,
        entity_types: vec!["country".into()],
        explain: true,
        ..TagOptions::default()
    });
    let response = client.tag(tag_request).await.unwrap().into_inner();
    assert_eq!(response.entities.len(), 1);
    assert_eq!(response.entities[0].id, "country:RU");
    assert!(response.explanation.is_some());
    server.stop().await.unwrap();
}

#[tokio::test]
async fn gzip_and_zstd_requests_and_responses() {
    let server = start(support::args()).await;
    server.ready().await;
    for encoding in [CompressionEncoding::Gzip, CompressionEncoding::Zstd] {
        let mut client = TaggerClient::new(server.channel().await)
            .send_compressed(encoding)
            .accept_compressed(encoding);
        let response = client
            .tag(request("z", "", SEED))
            .await
            .unwrap()
            .into_inner();
        assert!(response.entities.len() > 5, "{encoding:?}");
    }
    server.stop().await.unwrap();
}
