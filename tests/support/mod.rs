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
        max_mentions_per_entity: 100,
        max_concurrent_requests: 64,
        request_timeout: Duration::from_secs(30),
        shutdown_grace: Duration::from_secs(5),
        shutdown_drain: Duration::from_millis(100),
        metrics_listen: "127.0.0.1:0".parse().unwrap(),
        log_format: LogFormat::Text,
        admin_listen: "127.0.0.1:0".parse().unwrap(),
        admin_token: None,
        reload_debounce: Duration::from_millis(100),
        reload_interval: Duration::ZERO,
        no_watch: false,
        tls_cert: None,
        tls_key: None,
        tls_client_ca: None,
        tls_reload_interval: Duration::from_secs(10),
    }
}

/// A running server.
pub struct TestServer {
    pub address: SocketAddr,
    pub admin_address: SocketAddr,
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
    let admin = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = grpc.local_addr().unwrap();
    let admin_address = admin.local_addr().unwrap();
    let metrics_address = metrics.local_addr().unwrap();
    let (shutdown, stopped) = oneshot::channel::<()>();
    let listeners = server::Listeners {
        grpc,
        admin: Some(admin),
        metrics: Some(metrics),
    };
    let handle = tokio::spawn(server::run(args, listeners, loader, async {
        let _ = stopped.await;
    }));
    TestServer {
        address,
        admin_address,
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

    pub async fn admin(&self) -> newstag::proto::admin_client::AdminClient<Channel> {
        let channel = Channel::from_shared(format!("http://{}", self.admin_address))
            .unwrap()
            .connect()
            .await
            .unwrap();
        newstag::proto::admin_client::AdminClient::new(channel)
    }

    pub async fn client(&self) -> TaggerClient<Channel> {
        TaggerClient::new(self.channel().await)
    }

    /// Waits until the gazetteer is served (polls GetGazetteerInfo): a hang detector, not a
    /// speed test. A debug build loads the bundled knowledge base in about ten seconds, more
    /// while other tests share the cores, so it waits up to two minutes.
    pub async fn ready(&self) -> TaggerClient<Channel> {
        let mut client = self.client().await;
        for _ in 0..READY_POLLS {
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

/// Opens a `TagStream` fed by the returned sender: the stream stays open (holding its
/// concurrency permit) until the sender is dropped.
pub async fn open_stream(
    client: &mut TaggerClient<Channel>,
) -> (
    tokio::sync::mpsc::Sender<TagRequest>,
    tonic::Streaming<newstag::proto::TagResponse>,
) {
    let (hold, held) = tokio::sync::mpsc::channel(1);
    let stream = client
        .tag_stream(tokio_stream::wrappers::ReceiverStream::new(held))
        .await
        .unwrap()
        .into_inner();
    (hold, stream)
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
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

/// A gazetteer directory for reload tests, removed on drop.
pub struct GazetteerDir {
    pub path: PathBuf,
}

impl GazetteerDir {
    pub fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("newstag-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self { path }
    }

    /// Server arguments that serve this directory.
    pub fn args(&self) -> ServeArgs {
        let mut args = args();
        args.gazetteers = Some(self.path.clone());
        args
    }
}

impl Drop for GazetteerDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Entity rows: Russia plus `extra` numbered organisations, so every `extra` is a distinct
/// valid version.
pub fn entities(extra: usize) -> String {
    let mut text = String::from("id\ttype\tname\tacronyms\ncountry:RU\tcountry\tRussia\t\n");
    for i in 0..extra {
        text.push_str(&format!(
            "org:test-{i}\torganisation\tTest Organisation Number {i}\tTON{i}\n"
        ));
    }
    text
}

/// A file with an error on line 3.
pub const BROKEN: &str = "id\ttype\tname\ncountry:RU\tcountry\tRussia\nbad\tcountry\t\n";

/// Writes `text` to `dir/name` atomically (temp file + rename), as editors and ConfigMaps do.
pub fn write_atomically(dir: &std::path::Path, name: &str, text: &str) {
    let temp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, dir.join(name)).unwrap();
}

/// The version a directory's current content has.
pub fn version_of(dir: &std::path::Path) -> String {
    let files = newstag::gazetteer::source::read_dir(dir).unwrap();
    newstag::Gazetteer::content_version(&files)
}

/// How many 10 ms polls a test waits for the server to load its gazetteer.
pub const READY_POLLS: usize = 12_000;

/// Polls `GetGazetteerInfo` until `done` holds (a hang detector, not a speed test).
pub async fn wait_for_info(
    client: &mut TaggerClient<Channel>,
    mut done: impl FnMut(&newstag::proto::GazetteerInfo) -> bool,
) -> newstag::proto::GazetteerInfo {
    for _ in 0..3000 {
        let info = client
            .get_gazetteer_info(newstag::proto::GetGazetteerInfoRequest {})
            .await
            .unwrap()
            .into_inner();
        if done(&info) {
            return info;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the gazetteer never reached the expected state");
}

/// Sends `bytes` as the body of one `Tag` call, whatever they are.
pub async fn raw_tag(channel: tonic::transport::Channel, bytes: Vec<u8>) -> tonic::Status {
    use tonic::codec::{BufferSettings, Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};

    #[derive(Default)]
    struct Raw;
    struct RawEncoder;
    struct RawDecoder;
    impl Encoder for RawEncoder {
        type Item = Vec<u8>;
        type Error = tonic::Status;
        fn encode(&mut self, item: Vec<u8>, buf: &mut EncodeBuf<'_>) -> Result<(), tonic::Status> {
            bytes::BufMut::put_slice(buf, &item);
            Ok(())
        }
        fn buffer_settings(&self) -> BufferSettings {
            BufferSettings::default()
        }
    }
    impl Decoder for RawDecoder {
        type Item = Vec<u8>;
        type Error = tonic::Status;
        fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, tonic::Status> {
            let remaining = bytes::Buf::remaining(buf);
            Ok(Some(bytes::Buf::copy_to_bytes(buf, remaining).to_vec()))
        }
        fn buffer_settings(&self) -> BufferSettings {
            BufferSettings::default()
        }
    }
    impl Codec for Raw {
        type Encode = Vec<u8>;
        type Decode = Vec<u8>;
        type Encoder = RawEncoder;
        type Decoder = RawDecoder;
        fn encoder(&mut self) -> RawEncoder {
            RawEncoder
        }
        fn decoder(&mut self) -> RawDecoder {
            RawDecoder
        }
    }

    let mut grpc = tonic::client::Grpc::new(channel).max_encoding_message_size(64 << 20);
    grpc.ready().await.unwrap();
    let path = tonic::codegen::http::uri::PathAndQuery::from_static("/newstag.v1.Tagger/Tag");
    grpc.unary(tonic::Request::new(bytes), path, Raw)
        .await
        .expect_err("the server refuses these bytes")
}
