//! Shutdown: SIGTERM makes health NOT_SERVING, calls in flight finish, and the process exits 0
//! in time even with a health `Watch` stream open.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio_stream::StreamExt;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

/// The log lines the binary printed after it started listening.
type Log = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// Starts the real binary on ephemeral ports and reads its gRPC address from its JSON log.
fn spawn_binary() -> (std::process::Child, String) {
    let (child, address, _) =
        spawn_binary_with(&["--shutdown-grace", "5s", "--shutdown-drain", "200ms"]);
    (child, address)
}

/// [`spawn_binary`] with other flags, also keeping the log.
fn spawn_binary_with(flags: &[&str]) -> (std::process::Child, String, Log) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newstag"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--metrics-listen",
            "127.0.0.1:0",
            "--admin-listen",
            "127.0.0.1:0",
            "--log-format",
            "json",
        ])
        .args(flags)
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let address = loop {
        let line = lines.next().expect("log line").expect("readable log");
        let json: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        if json["message"] == "gRPC listening" {
            let address = json["address"]
                .as_str()
                .unwrap()
                .trim_start_matches("Some(")
                .trim_end_matches(')')
                .to_owned();
            break address;
        }
    };
    // Keep draining the log so the child never blocks on a full pipe.
    let log = Log::default();
    let kept = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if let Ok(mut kept) = kept.lock() {
                kept.push(line);
            }
        }
    });
    (child, address, log)
}

#[tokio::test]
async fn sigterm_with_an_open_watch_exits_zero_in_time() {
    let (child, address) = spawn_binary();
    let endpoint = format!("http://{address}");
    let channel = loop {
        if let Ok(channel) = tonic::transport::Channel::from_shared(endpoint.clone())
            .unwrap()
            .connect()
            .await
        {
            break channel;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let mut health = HealthClient::new(channel.clone());
    let mut watch = health
        .watch(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    let mut status = watch.next().await.unwrap().unwrap().status;
    while status != 1 {
        status = watch.next().await.unwrap().unwrap().status; // wait for SERVING
    }
    let signalled = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert_eq!(
        watch.next().await.unwrap().unwrap().status,
        2,
        "NOT_SERVING after SIGTERM"
    );
    exits_zero(child, signalled).await;
}

/// Waits for the process to exit and checks it exited 0 (with a hang detector, not a speed
/// test: the grace periods are seconds).
async fn exits_zero(mut child: std::process::Child, signalled: Instant) {
    let exit = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "exit status {exit:?}");
    assert!(signalled.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn the_process_exits_within_the_grace_even_while_tagging() {
    // Far more work than the grace allows: in a debug build 4 MiB of dotted acronyms are several
    // seconds of tagging where the grace is one; a release build tags them within the grace, so
    // it gets eight times the text (still decoded long before the signal; 16 MiB came within a
    // few hundred milliseconds of the grace on two busy cores).
    let article_bytes: usize = if cfg!(debug_assertions) {
        4 << 20
    } else {
        32 << 20
    };
    let (child, address, log) = spawn_binary_with(&[
        "--shutdown-grace",
        "1s",
        "--shutdown-drain",
        "100ms",
        "--request-timeout",
        "10m",
        "--max-article-bytes",
        &article_bytes.to_string(),
    ]);
    let endpoint = format!("http://{address}");
    let mut client = loop {
        if let Ok(channel) = tonic::transport::Channel::from_shared(endpoint.clone())
            .unwrap()
            .connect()
            .await
        {
            let mut client = newstag::proto::tagger_client::TaggerClient::new(channel);
            if client
                .tag(support::request("up", "", "Russia"))
                .await
                .is_ok()
            {
                break client;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let slow = "U.S.".repeat(article_bytes / 2 / 4 - 16);
    let call =
        tokio::spawn(async move { client.tag(support::request("slow", &slow, &slow)).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    assert!(
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    exits_zero(child, signalled).await;
    let outcome = call.await.unwrap();
    let stopped = log
        .lock()
        .unwrap()
        .iter()
        .any(|line| line.contains("stopping their tagging"));
    assert!(
        stopped,
        "the tagging in flight was not stopped at the end of the grace"
    );
    let status = outcome.unwrap_err();
    assert_eq!(status.code(), tonic::Code::Unavailable, "{status:?}");
    assert!(status.message().contains("shutting down"), "{status:?}");
}

#[tokio::test]
async fn calls_in_flight_finish_and_new_calls_are_served_during_the_drain() {
    let mut args = support::args();
    args.shutdown_drain = Duration::from_millis(500);
    let mut server = support::start(args).await;
    let mut client = server.ready().await;
    let (hold, mut stream) = support::open_stream(&mut client).await;
    server.signal_shutdown();
    // During the drain new calls still succeed.
    client
        .tag(support::request("late", "", "Russia"))
        .await
        .unwrap();
    hold.send(support::request("in-flight", "", "Ukraine"))
        .await
        .unwrap();
    assert_eq!(
        stream.message().await.unwrap().unwrap().article_id,
        "in-flight"
    );
    drop(hold);
    assert!(stream.message().await.unwrap().is_none());
    server.join().await.unwrap();
}
