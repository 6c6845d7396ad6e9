//! Editors save by writing a temporary file and renaming it over the original; a burst of
//! saves ends in one reload of the final state, and saving identical content swaps nothing.

mod support;

use std::time::Duration;

use support::{GazetteerDir, entities, version_of, write_atomically};

#[tokio::test]
async fn rename_over_the_original_reloads_once_per_burst() {
    let dir = GazetteerDir::new("editor");
    write_atomically(&dir.path, "entities.tsv", &entities(1));
    let mut args = dir.args();
    args.reload_debounce = Duration::from_millis(300);
    let server = support::start(args).await;
    let mut client = server.ready().await;

    for extra in 2..=6 {
        write_atomically(&dir.path, "entities.tsv", &entities(extra));
    }
    let final_version = version_of(&dir.path);
    let info = support::wait_for_info(&mut client, |info| info.version == final_version).await;
    assert_eq!(info.entity_count, 7);
    let metrics = support::scrape(server.metrics_address).await;
    // One at startup, one for the burst.
    assert!(
        metrics.contains("newstag_gazetteer_reloads_total{result=\"success\"} 2"),
        "{metrics}"
    );

    // Saving the same bytes again: a reload happens, nothing is swapped.
    let loaded_at = info.loaded_at;
    write_atomically(&dir.path, "entities.tsv", &entities(6));
    for _ in 0..300 {
        if support::scrape(server.metrics_address)
            .await
            .contains("result=\"unchanged\"")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let again = support::wait_for_info(&mut client, |_| true).await;
    assert_eq!(again.version, final_version);
    assert_eq!(
        again.loaded_at, loaded_at,
        "identical content is not swapped"
    );
    server.stop().await.unwrap();
}
