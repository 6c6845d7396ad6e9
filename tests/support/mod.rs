//! Starts the real server on 127.0.0.1:0 for a test, with a client and a clean stop.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use newstag::config::{LogFormat, ServeArgs};
use newstag::proto::tagger_client::TaggerClient;
use newstag::proto::{Article, TagRequest};
use newstag::server::{self, Loader, ServerError};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tonic::transport::Channel;

pub const SEED: &str = include_str!("../fixtures/seed-article.txt");

/// Server flags as the tests want them: short drain and grace.
pub fn args() -> ServeArgs {
    ServeArgs {
        listen: "127.0.0.1:0".parse().unwrap(),
        gazetteers: None,
        max_article_bytes: 1 << 20,
        max_concurrent_requests: 64,
        request_timeout: Duration::from_secs(30),
        shutdown_grace: Duration::from_secs(5),
        shutdown_drain: Duration::from_millis(100),
        metrics_listen: "127.0.0.1:0".parse().unwrap(),
        log_format: LogFormat::Text,
    }
}

/// A running server.
pub struct TestServer {
    pub address: SocketAddr,
    pub metrics_address: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    handle: tokio::task::JoinHandle<Result<(), ServerError>>,
}

/// Starts a server with the bundled gazetteer.
pub async fn start(args: ServeArgs) -> TestServer {
    let directory: Option<PathBuf> = args.gazetteers.clone();
    start_with_loader(
        args,
        Box::new(move || newstag::Gazetteer::load(directory.as_deref())),
    )
    .await
}

/// Starts a server whose first gazetteer load is `loader`.
pub async fn start_with_loader(args: ServeArgs, loader: Loader) -> TestServer {
    let grpc = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = grpc.local_addr().unwrap();
    let metrics_address = metrics.local_addr().unwrap();
    let (shutdown, stopped) = oneshot::channel::<()>();
    let handle = tokio::spawn(server::run(args, grpc, Some(metrics), loader, async {
        let _ = stopped.await;
    }));
    TestServer {
        address,
        metrics_address,
        shutdown: Some(shutdown),
        handle,
    }
}

impl TestServer {
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    pub async fn channel(&self) -> Channel {
        Channel::from_shared(self.endpoint())
            .unwrap()
            .connect()
            .await
            .unwrap()
    }

    pub async fn client(&self) -> TaggerClient<Channel> {
        TaggerClient::new(self.channel().await)
    }

    /// Waits until the gazetteer is served (polls GetGazetteerInfo).
    pub async fn ready(&self) -> TaggerClient<Channel> {
        let mut client = self.client().await;
        for _ in 0..500 {
            if client
                .get_gazetteer_info(newstag::proto::GetGazetteerInfoRequest {})
                .await
                .is_ok()
            {
                return client;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("server never became ready");
    }

    /// Sends the shutdown signal without waiting.
    pub fn signal_shutdown(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }

    /// Signals shutdown and waits for the server to return.
    pub async fn stop(mut self) -> Result<(), ServerError> {
        self.signal_shutdown();
        self.handle.await.unwrap()
    }

    /// Waits for the server to return (after a signal or a failed load).
    pub async fn join(self) -> Result<(), ServerError> {
        self.handle.await.unwrap()
    }
}

/// A request for an article.
pub fn request(id: &str, title: &str, body: &str) -> TagRequest {
    TagRequest {
        article: Some(Article {
            id: id.into(),
            title: title.into(),
            body: body.into(),
            language: "en".into(),
        }),
        options: None,
    }
}

/// Reads `/metrics`.
pub async fn scrape(address: SocketAddr) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}
