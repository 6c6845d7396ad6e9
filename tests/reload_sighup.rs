//! SIGHUP reloads the directory, with the watcher off.

mod support;

use std::time::Duration;

use support::{GazetteerDir, entities, version_of, write_atomically};

#[tokio::test]
async fn sighup_reloads() {
    let dir = GazetteerDir::new("sighup");
    write_atomically(&dir.path, "entities.tsv", &entities(1));
    let mut args = dir.args();
    args.no_watch = true;
    let server = support::start(args).await;
    let mut client = server.ready().await;
    let before = support::wait_for_info(&mut client, |_| true).await;

    write_atomically(&dir.path, "entities.tsv", &entities(3));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let unchanged = support::wait_for_info(&mut client, |_| true).await;
    assert_eq!(unchanged.version, before.version, "no watcher, no reload");

    let status = std::process::Command::new("kill")
        .args(["-HUP", &std::process::id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let expected = version_of(&dir.path);
    let info = support::wait_for_info(&mut client, |info| info.version == expected).await;
    assert_eq!(info.last_reload.unwrap().trigger, "sighup");
    server.stop().await.unwrap();
}
