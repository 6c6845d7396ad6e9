//! Health: NOT_SERVING while loading, SERVING once loaded, NOT_SERVING from the moment
//! shutdown starts; `Watch` streams see each transition.

mod support;

use std::time::Duration;

use tokio_stream::StreamExt;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

const NAMES: [&str; 4] = ["", "newstag.v1.Tagger", "liveness", "readiness"];

async fn status(client: &mut HealthClient<tonic::transport::Channel>, name: &str) -> ServingStatus {
    let response = client
        .check(HealthCheckRequest {
            service: name.into(),
        })
        .await
        .unwrap()
        .into_inner();
    ServingStatus::try_from(response.status).unwrap()
}

/// An HTTP GET on the metrics port: status line, headers and body.
async fn get(address: std::net::SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

#[tokio::test]
async fn loading_serving_and_shutdown_transitions() {
    let (release, gate) = std::sync::mpsc::channel::<()>();
    let loader: newstag::server::Loader = Box::new(move || {
        let _ = gate.recv();
        newstag::Gazetteer::bundled()
    });
    let mut server = support::start_with_loader(support::args(), loader).await;
    let channel = server.channel().await;
    let mut health = HealthClient::new(channel.clone());
    for name in NAMES {
        assert_eq!(
            status(&mut health, name).await,
            ServingStatus::NotServing,
            "{name:?} while loading"
        );
    }
    assert!(
        get(server.metrics_address, "/readyz")
            .await
            .starts_with("HTTP/1.1 503")
    );
    assert!(
        get(server.metrics_address, "/livez")
            .await
            .starts_with("HTTP/1.1 200")
    );
    // Tag answers UNAVAILABLE while loading.
    let mut tagger = newstag::proto::tagger_client::TaggerClient::new(channel.clone());
    let error = tagger
        .tag(support::request("x", "", "Russia"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), tonic::Code::Unavailable);

    let mut watch = health
        .watch(HealthCheckRequest {
            service: "readiness".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        watch.next().await.unwrap().unwrap().status,
        ServingStatus::NotServing as i32
    );

    release.send(()).unwrap();
    assert_eq!(
        watch.next().await.unwrap().unwrap().status,
        ServingStatus::Serving as i32
    );
    for name in NAMES {
        assert_eq!(
            status(&mut health, name).await,
            ServingStatus::Serving,
            "{name:?} once loaded"
        );
    }
    assert!(
        get(server.metrics_address, "/readyz")
            .await
            .starts_with("HTTP/1.1 200")
    );

    server.signal_shutdown();
    assert_eq!(
        watch.next().await.unwrap().unwrap().status,
        ServingStatus::NotServing as i32
    );
    assert!(
        get(server.metrics_address, "/readyz")
            .await
            .starts_with("HTTP/1.1 503")
    );
    // The Watch stream ends cleanly once the drain is over, instead of holding shutdown open.
    let end = tokio::time::timeout(Duration::from_secs(30), watch.next())
        .await
        .expect("watch stream ends");
    assert!(end.is_none_or(|item| item.is_err()));
    server.join().await.unwrap();
}

#[tokio::test]
async fn a_broken_gazetteer_at_startup_stops_the_server_with_its_errors() {
    let dir = std::env::temp_dir().join(format!("newstag-health-broken-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("e.tsv"), "id\ttype\tname\nx\tcountry\t\n").unwrap();
    let mut args = support::args();
    args.gazetteers = Some(dir.clone());
    let server = support::start(args).await;
    let error = server.join().await.unwrap_err();
    assert!(error.to_string().contains("e.tsv:2: empty name"), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn shutdown_while_loading_stops_cleanly() {
    let (release, gate) = std::sync::mpsc::channel::<()>();
    let loader: newstag::server::Loader = Box::new(move || {
        let _ = gate.recv();
        newstag::Gazetteer::bundled()
    });
    let server = support::start_with_loader(support::args(), loader).await;
    server.stop().await.unwrap();
    drop(release);
}
