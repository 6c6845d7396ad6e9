//! Every error code the service promises, with messages that say what to fix.

mod support;

use std::time::Duration;

use newstag::proto::TagOptions;
use support::{request, start};
use tonic::Code;

#[tokio::test]
async fn invalid_articles_are_invalid_argument() {
    let mut args = support::args();
    args.max_article_bytes = 1000;
    let server = start(args).await;
    let mut client = server.ready().await;

    let empty = client.tag(request("e", " ", "")).await.unwrap_err();
    assert_eq!(empty.code(), Code::InvalidArgument);
    assert!(
        empty.message().contains("no title and no body"),
        "{}",
        empty.message()
    );

    let missing = client
        .tag(newstag::proto::TagRequest::default())
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::InvalidArgument);

    let large = client
        .tag(request("l", "", &"x".repeat(1001)))
        .await
        .unwrap_err();
    assert_eq!(large.code(), Code::InvalidArgument);
    assert!(
        large.message().contains("1001 bytes") && large.message().contains("limit of 1000 bytes"),
        "{}",
        large.message()
    );

    let mut unknown = request("u", "", "Russia");
    unknown.options = Some(TagOptions {
        offset_unit: 42,
        ..TagOptions::default()
    });
    let unknown = client.tag(unknown).await.unwrap_err();
    assert_eq!(unknown.code(), Code::InvalidArgument);
    assert!(
        unknown.message().contains("offset_unit value 42"),
        "{}",
        unknown.message()
    );

    // Filters naming nothing the gazetteer has, and thresholds outside [0, 1].
    let with = |options: TagOptions| {
        let mut request = request("o", "", "Vladimir Putin met NATO leaders in Moscow.");
        request.options = Some(options);
        request
    };
    let typo = client
        .tag(with(TagOptions {
            entity_types: vec!["PERSON".into()],
            ..TagOptions::default()
        }))
        .await
        .unwrap_err();
    assert_eq!(typo.code(), Code::InvalidArgument);
    assert!(
        typo.message().contains("unknown entity_types: \"PERSON\"")
            && typo.message().contains("person"),
        "{}",
        typo.message()
    );
    let category = client
        .tag(with(TagOptions {
            categories: vec!["nonsense".into()],
            ..TagOptions::default()
        }))
        .await
        .unwrap_err();
    assert_eq!(category.code(), Code::InvalidArgument);
    assert!(
        category
            .message()
            .contains("unknown categories: \"nonsense\"")
            && category.message().contains("city"),
        "{}",
        category.message()
    );
    for (relevance, topic_score) in [(5.0, 0.0), (-1.0, 0.0), (f64::NAN, 0.0), (0.0, f64::NAN)] {
        let error = client
            .tag(with(TagOptions {
                min_relevance: relevance,
                min_topic_score: topic_score,
                ..TagOptions::default()
            }))
            .await
            .unwrap_err();
        assert_eq!(
            error.code(),
            Code::InvalidArgument,
            "{relevance} {topic_score}"
        );
        assert!(
            error.message().contains("must be a number from 0 to 1"),
            "{}",
            error.message()
        );
    }
    let fine = client
        .tag(with(TagOptions {
            entity_types: vec!["person".into(), "misc".into()],
            categories: vec!["city".into()],
            min_relevance: 1.0,
            ..TagOptions::default()
        }))
        .await;
    assert!(fine.is_ok(), "{fine:?}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_message_over_the_transport_limit_is_resource_exhausted() {
    let server = start(support::args()).await;
    let mut client = server.ready().await.max_encoding_message_size(64 << 20);
    let huge = request("h", "", &"Russia ".repeat(1_000_000)); // 7 MB > the 4 MiB transport limit
    let error = client.tag(huge).await.unwrap_err();
    assert_eq!(error.code(), Code::ResourceExhausted, "{error:?}");
    assert!(
        error.message().contains("over the server's limit"),
        "{}",
        error.message()
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn calls_over_the_concurrency_limit_are_shed_at_once() {
    let mut args = support::args();
    args.max_concurrent_requests = 1;
    let server = start(args).await;
    let mut client = server.ready().await;
    // An open TagStream holds the only permit.
    let (hold, mut stream) = support::open_stream(&mut client).await;
    hold.send(request("s", "", "Russia")).await.unwrap();
    assert!(stream.message().await.unwrap().is_some());
    let shed = client.tag(request("x", "", "Russia")).await.unwrap_err();
    assert_eq!(shed.code(), Code::ResourceExhausted);
    assert!(
        shed.message().contains("limit of 1 concurrent"),
        "{}",
        shed.message()
    );
    drop(hold);
    assert!(stream.message().await.unwrap().is_none());
    // The permit is back once the stream ended.
    let mut ok = false;
    for _ in 0..100 {
        if client.tag(request("y", "", "Russia")).await.is_ok() {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(ok, "the permit came back");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_passed_deadline_is_deadline_exceeded() {
    // The server's own limit is zero, so every call is past its deadline on arrival. (A client
    // deadline is enforced by the tonic client too, which would race the server's answer.)
    let mut args = support::args();
    args.request_timeout = Duration::ZERO;
    let server = start(args).await;
    let mut client = server.client().await;
    let mut late = tonic::Request::new(request("d", "", "Russia"));
    late.set_timeout(Duration::from_secs(60));
    // Wait for the gazetteer: until then the answer is UNAVAILABLE.
    let mut error = client.tag(late).await.unwrap_err();
    for _ in 0..support::READY_POLLS {
        if error.code() != Code::Unavailable {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        error = client.tag(request("d", "", "Russia")).await.unwrap_err();
    }
    assert_eq!(error.code(), Code::DeadlineExceeded, "{error:?}");
    assert!(error.message().contains("deadline"), "{}", error.message());
    server.stop().await.unwrap();
}

#[tokio::test]
async fn undecodable_requests_are_invalid_argument_not_internal() {
    let server = start(support::args()).await;
    let _ready = server.ready().await;
    // Field 1 (article), length-delimited, claiming more bytes than follow.
    let truncated = support::raw_tag(server.channel().await, vec![0x0a, 0x7f, 0x01]).await;
    assert_eq!(truncated.code(), Code::InvalidArgument, "{truncated:?}");
    assert!(
        truncated
            .message()
            .contains("not a valid newstag.v1 TagRequest"),
        "{}",
        truncated.message()
    );
    // Article.body (field 3 inside field 1) holding 0xff 0xfe: not UTF-8.
    let latin1 = support::raw_tag(
        server.channel().await,
        vec![0x0a, 0x04, 0x1a, 0x02, 0xff, 0xfe],
    )
    .await;
    assert_eq!(latin1.code(), Code::InvalidArgument, "{latin1:?}");
    assert!(
        latin1.message().contains("UTF-8") && latin1.message().contains("body"),
        "{}",
        latin1.message()
    );
    // Random bytes.
    let noise: Vec<u8> = (0..64u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let noise = support::raw_tag(server.channel().await, noise).await;
    assert_eq!(noise.code(), Code::InvalidArgument, "{noise:?}");
    // Over the transport limit (4 MiB here): our message, naming the limit and the flag.
    let huge = support::raw_tag(server.channel().await, vec![0u8; 5 << 20]).await;
    assert_eq!(huge.code(), Code::ResourceExhausted, "{huge:?}");
    assert!(
        huge.message().contains("limit of 4194304 bytes")
            && huge.message().contains("--max-article-bytes"),
        "{}",
        huge.message()
    );
    server.stop().await.unwrap();
}
