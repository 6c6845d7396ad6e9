//! `newstag client` against a running server: the recipe the README gives for users without
//! grpcurl, and what the container smoke test runs.

mod support;

use std::process::{Command, Output};

async fn client(server: std::net::SocketAddr, args: &[&str]) -> Output {
    let url = format!("http://{server}");
    let mut command = Command::new(env!("CARGO_BIN_EXE_newstag"));
    command.args(["client", "--server", &url]).args(args);
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn health_info_and_tag_over_grpc() {
    let server = support::start(support::args()).await;
    let health = client(server.address, &["health", "--wait", "60s"]).await;
    assert!(health.status.success(), "{health:?}");
    assert_eq!(String::from_utf8_lossy(&health.stdout), "SERVING\n");

    let info = client(server.address, &["info"]).await;
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(info.status.success(), "{info:?}");
    assert!(
        text.contains("version: sha256:") && text.contains("source: bundled"),
        "{text}"
    );

    let seed = std::env::temp_dir().join(format!("newstag-client-{}.txt", std::process::id()));
    std::fs::write(&seed, support::SEED).unwrap();
    let tag = client(
        server.address,
        &[
            "tag",
            "--title",
            "Putin",
            "--id",
            "a1",
            seed.to_str().unwrap(),
        ],
    )
    .await;
    let _ = std::fs::remove_file(&seed);
    assert!(tag.status.success(), "{tag:?}");
    let response: serde_json::Value = serde_json::from_slice(&tag.stdout).unwrap();
    assert_eq!(response["articleId"], "a1");
    assert_eq!(response["entities"][0]["id"], "country:UA", "{response}");

    // A status from the server: its code and message, exit 1. The empty article is a file of
    // our own: a sandbox's `/dev/null` can be a regular file that other commands wrote into.
    let nothing = std::env::temp_dir().join(format!("newstag-empty-{}.txt", std::process::id()));
    std::fs::write(&nothing, "").unwrap();
    let empty = client(server.address, &["tag", nothing.to_str().unwrap()]).await;
    let _ = std::fs::remove_file(&nothing);
    assert!(!empty.status.success(), "{empty:?}");
    let message = String::from_utf8_lossy(&empty.stderr);
    assert!(
        message.contains("InvalidArgument") && message.contains("no title and no body"),
        "{message}"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn an_unreachable_server_says_why() {
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let health = client(address, &["health"]).await;
    assert!(!health.status.success());
    let message = String::from_utf8_lossy(&health.stderr);
    assert!(
        message.contains("cannot connect") && message.contains("refused"),
        "{message}"
    );
}
