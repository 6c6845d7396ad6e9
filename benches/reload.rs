//! Reload cost: time and peak memory of a reload of the default gazetteer and of a generated
//! 1,000,000-entity gazetteer, and `Tag` p99 latency while a reload runs against p99 without
//! one, measured in the same run.
//!
//! ```text
//! cargo bench --bench reload                       # NEWSTAG_BENCH_ENTITIES=100000 for a quicker run
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use newstag::proto::admin_client::AdminClient;
use newstag::proto::tagger_client::TaggerClient;
use newstag::proto::{GetGazetteerInfoRequest, ReloadRequest};
use tokio::net::TcpListener;
use tonic::transport::Channel;

mod support;

use support::{Summary, connect, for_seconds, load, memory_mib, reset_peak_memory, seed_request};

/// The binary's allocator (`src/main.rs`), so the benchmark measures what the binary runs.
#[global_allocator]
static ALLOCATOR: newstag::memory::Allocator = newstag::memory::Allocator;

fn tag(
    mut client: TaggerClient<Channel>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), tonic::Status>> + Send>> {
    Box::pin(async move { client.tag(seed_request()).await.map(drop) })
}

fn print(label: &str, s: &Summary) {
    println!(
        "  {label:<28} {:>8.0} req/s  p50 {:>7} µs  p99 {:>7} µs  failures {}",
        s.requests_per_second,
        s.p50.as_micros(),
        s.p99.as_micros(),
        s.failures
    );
}

async fn measure(name: &str, directory: std::path::PathBuf) {
    let grpc = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let admin = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (address, admin_address) = (grpc.local_addr().unwrap(), admin.local_addr().unwrap());
    let args = support::serve_args(address, admin_address, Some(directory.clone()));
    reset_peak_memory();
    let (rss_before, _) = memory_mib();
    let started = Instant::now();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let listeners = newstag::server::Listeners {
        grpc,
        admin: Some(admin),
        metrics: None,
    };
    let dir = directory.clone();
    let server = tokio::spawn(newstag::server::run(
        args,
        listeners,
        Box::new(move || newstag::Gazetteer::load_dir(&dir)),
        async {
            let _ = stopped.await;
        },
    ));
    let mut tagger = TaggerClient::new(connect(address).await);
    let info = loop {
        if let Ok(info) = tagger.get_gazetteer_info(GetGazetteerInfoRequest {}).await {
            break info.into_inner();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let first_load = started.elapsed();
    let (rss_loaded, peak_load) = memory_mib();
    println!(
        "{name}: {} entities, {} aliases; first load {:.2} s, resident {:.0} MiB (+{:.0} MiB), peak during load {:.0} MiB",
        info.entity_count,
        info.alias_count,
        first_load.as_secs_f64(),
        rss_loaded,
        rss_loaded - rss_before,
        peak_load
    );

    let warmup = Duration::from_millis(300);
    let quiet = load(tagger.clone(), tag, 8, warmup, for_seconds(warmup, 3.0)).await;

    // A content change that keeps the entities: a new version to swap in.
    let file = directory.join("zz-reload-marker.tsv");
    std::fs::write(
        &file,
        "id\ttype\tname\nbench:marker\tmisc\tReload Marker Entity\n",
    )
    .unwrap();
    reset_peak_memory();
    let reloading = Arc::new(AtomicBool::new(true));
    let flag = reloading.clone();
    let keep_going: Arc<dyn Fn(Duration) -> bool + Send + Sync> =
        Arc::new(move |_| flag.load(Ordering::SeqCst));
    let during = tokio::spawn(load(tagger.clone(), tag, 8, Duration::ZERO, keep_going));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut admin = AdminClient::new(connect(admin_address).await);
    let reload_started = Instant::now();
    let reloaded = admin.reload(ReloadRequest {}).await.unwrap().into_inner();
    let reload_time = reload_started.elapsed();
    tokio::time::sleep(Duration::from_millis(200)).await;
    reloading.store(false, Ordering::SeqCst);
    let during = during.await.unwrap();
    let (rss_after, peak_reload) = memory_mib();
    assert!(reloaded.swapped, "{reloaded:?}");
    println!(
        "  reload: {:.2} s; peak resident during reload {:.0} MiB; resident after {:.0} MiB",
        reload_time.as_secs_f64(),
        peak_reload,
        rss_after
    );
    print("Tag c=8, no reload", &quiet);
    print("Tag c=8, during the reload", &during);
    println!(
        "  p99 during reload / p99 without: {:.2}",
        during.p99.as_secs_f64() / quiet.p99.as_secs_f64()
    );
    std::fs::remove_file(&file).unwrap();
    let _ = stop.send(());
    let _ = server.await;
}

#[tokio::main]
async fn main() {
    // The binary's allocator setting (src/main.rs), so timings and resident figures are its.
    newstag::memory::purge_freed_memory_soon();
    let root = std::env::temp_dir().join(format!("newstag-reload-bench-{}", std::process::id()));
    let default = root.join("default");
    std::fs::create_dir_all(&default).unwrap();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/gazetteers")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, default.join(path.file_name().unwrap())).unwrap();
        }
    }
    measure("default gazetteer", default).await;

    let entities: usize = std::env::var("NEWSTAG_BENCH_ENTITIES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let synthetic = root.join("synthetic");
    newstag::synth::write_gazetteer(&synthetic, entities, 1).unwrap();
    measure(&format!("synthetic {entities}"), synthetic).await;
    let _ = std::fs::remove_dir_all(&root);
}
