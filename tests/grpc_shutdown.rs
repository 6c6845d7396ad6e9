//! Shutdown: SIGTERM makes health NOT_SERVING, calls in flight finish, and the process exits 0
//! in time even with a health `Watch` stream open.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio_stream::StreamExt;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

/// Starts the real binary on ephemeral ports and reads its gRPC address from its JSON log.
fn spawn_binary() -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newstag"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--metrics-listen",
            "127.0.0.1:0",
            "--log-format",
            "json",
        ])
        .args(["--shutdown-grace", "5s", "--shutdown-drain", "200ms"])
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
    std::thread::spawn(move || for _ in lines {});
    (child, address)
}

#[tokio::test]
async fn sigterm_with_an_open_watch_exits_zero_in_time() {
    let (mut child, address) = spawn_binary();
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
    let exit = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "exit status {exit:?}");
    // A hang detector, not a speed test: the grace period is 5 s.
    assert!(signalled.elapsed() < Duration::from_secs(30));
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
