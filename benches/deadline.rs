//! What an abandoned request costs: CPU the server spends on a 1 MiB hostile article whose
//! deadline passes, against the same article tagged to the end, in one run.
//!
//! ```text
//! cargo bench --bench deadline
//! ```
//!
//! The server runs in this process; CPU is the process's user + system time (getrusage) from
//! sending the request until the server has been idle for a second, so work that goes on after
//! the answer is counted too. The client is plain HTTP/2 (hyper), so the answer is the
//! server's own.

use std::time::{Duration, Instant};

use newstag::hostile::INPUTS;
use newstag::proto::TagRequest;
use newstag::proto::tagger_client::TaggerClient;

mod support;

/// The binary's allocator (`src/main.rs`), so the benchmark measures what the binary runs.
#[global_allocator]
static ALLOCATOR: newstag::memory::Allocator = newstag::memory::Allocator;

/// User + system CPU of this process so far.
fn cpu() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// CPU spent from the call until one idle second later, and the call's outcome.
async fn cpu_of<T>(call: impl std::future::Future<Output = T>) -> (Duration, Duration, T) {
    let before = cpu();
    let started = Instant::now();
    let outcome = call.await;
    let answered = started.elapsed();
    // Let anything still running finish (or not): CPU after the answer counts.
    loop {
        let mark = cpu();
        tokio::time::sleep(Duration::from_millis(1000)).await;
        if cpu() - mark < Duration::from_millis(20) {
            break;
        }
    }
    (cpu() - before, answered, outcome)
}

#[tokio::main]
async fn main() {
    // The binary's allocator setting (src/main.rs), so timings and resident figures are its.
    newstag::memory::purge_freed_memory_soon();
    let server = support::BenchServer::start(|_| {}).await;
    let address = server.address;
    let channel = support::connect(address).await;
    let mut warm = TaggerClient::new(channel);
    while warm.tag(support::seed_request()).await.is_err() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let http2 = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .http2_only(true)
        .build_http::<tonic::body::Body>();
    let mut client = TaggerClient::with_origin(http2, format!("http://{address}").parse().unwrap())
        .max_decoding_message_size(16 << 20);
    println!(
        "{:<24} {:>12} {:>12} {:>14} {:>12}",
        "input (1 MiB)", "full CPU ms", "deadline", "deadline CPU ms", "answer ms"
    );
    for name in [
        "cyrillic-word",
        "dotted-acronyms",
        "name-repeated",
        "title-and-body-at-limit",
    ] {
        let input = INPUTS.iter().find(|i| i.name == name).expect("known input");
        let mut article = input.article(1 << 20);
        if article.title.len() + article.body.len() > 1 << 20 {
            article.title.truncate(0);
        }
        let request = || TagRequest {
            article: Some(article.clone()),
            options: None,
        };
        let (full, _, outcome) = cpu_of(client.tag(request())).await;
        outcome.expect("full tagging succeeds");
        let deadline_ms = 20;
        let mut late = tonic::Request::new(request());
        late.metadata_mut()
            .insert("grpc-timeout", format!("{deadline_ms}m").parse().unwrap());
        let (spent, answered, outcome) = cpu_of(client.tag(late)).await;
        let code = outcome.map_or_else(|s| format!("{:?}", s.code()), |_| "OK".to_owned());
        println!(
            "{:<24} {:>12.1} {:>12} {:>14.1} {:>12.1}",
            name,
            full.as_secs_f64() * 1e3,
            format!("{deadline_ms}ms {code}"),
            spent.as_secs_f64() * 1e3,
            answered.as_secs_f64() * 1e3
        );
    }
    server.stop().await;

    // The engine alone: how long after its deadline an interrupted tagging returns.
    let gazetteer = newstag::Gazetteer::bundled().expect("bundled gazetteer");
    println!("engine alone, deadline 20 ms after the start: returned after (ms)");
    for name in [
        "cyrillic-word",
        "dotted-acronyms",
        "name-repeated",
        "combining-marks",
    ] {
        let input = INPUTS.iter().find(|i| i.name == name).expect("known input");
        let article = input.article(1 << 20);
        let started = Instant::now();
        let interrupt = newstag::tagger::Interrupt::at(started + Duration::from_millis(20));
        let outcome = newstag::tagger::tag_article_until(
            &gazetteer,
            &article,
            &newstag::proto::TagOptions::default(),
            newstag::Rules::default(),
            &interrupt,
        );
        println!(
            "{name:<24} {:>8.1}  {}",
            started.elapsed().as_secs_f64() * 1e3,
            outcome.map_or_else(|e| e.to_string(), |_| "finished".to_owned())
        );
    }
}
