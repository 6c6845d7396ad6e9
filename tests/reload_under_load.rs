//! Reload under load: clients tag in a loop while the gazetteer directory is rewritten many
//! times, broken versions included. No call fails, every response names a valid version, and
//! the final version is served in the end.

mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use support::{BROKEN, GazetteerDir, entities, version_of, write_atomically};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zero_failed_calls_and_only_valid_versions() {
    let dir = GazetteerDir::new("reload-load");
    write_atomically(&dir.path, "entities.tsv", &entities(0));
    let mut valid = HashSet::from([version_of(&dir.path)]);
    let mut args = dir.args();
    args.reload_debounce = Duration::from_millis(20);
    let server = support::start(args).await;
    let mut info_client = server.ready().await;

    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for task in 0..4 {
        let mut client = server.client().await;
        let stop = stop.clone();
        clients.push(tokio::spawn(async move {
            let mut seen = Vec::new();
            let mut calls = 0u64;
            while !stop.load(Ordering::SeqCst) {
                let response = client
                    .tag(support::request(
                        &format!("t{task}"),
                        "",
                        "Russia and TON3 met.",
                    ))
                    .await
                    .expect("no call fails during reloads");
                seen.push(response.into_inner().gazetteer_version);
                calls += 1;
            }
            (calls, seen)
        }));
    }

    for round in 1..=30 {
        if round % 3 == 0 {
            write_atomically(&dir.path, "entities.tsv", BROKEN);
        } else {
            write_atomically(&dir.path, "entities.tsv", &entities(round));
            valid.insert(version_of(&dir.path));
        }
        tokio::time::sleep(Duration::from_millis(if round % 2 == 0 { 60 } else { 5 })).await;
    }
    write_atomically(&dir.path, "entities.tsv", &entities(100));
    let last = version_of(&dir.path);
    valid.insert(last.clone());
    support::wait_for_info(&mut info_client, |info| info.version == last).await;
    let after = info_client
        .tag(support::request("final", "", "Russia"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        after.gazetteer_version, last,
        "the final version is what Tag uses"
    );
    stop.store(true, Ordering::SeqCst);

    let mut total = 0;
    let mut versions = HashSet::new();
    for client in clients {
        let (calls, seen) = client.await.unwrap();
        total += calls;
        versions.extend(seen);
    }
    assert!(total > 0);
    for version in &versions {
        assert!(
            valid.contains(version),
            "a response named {version}, which no valid directory state had"
        );
    }
    assert!(
        versions.len() > 1,
        "responses saw reloads happen: {versions:?}"
    );
    let metrics = support::scrape(server.metrics_address).await;
    assert!(
        metrics.contains("newstag_gazetteer_reloads_total{result=\"success\"}"),
        "{metrics}"
    );
    server.stop().await.unwrap();
}
