//! A Kubernetes ConfigMap volume: files are symlinks through `..data`, which the kubelet
//! re-points atomically at a new timestamped directory. The watcher sees it.

mod support;

use std::os::unix::fs::symlink;
use std::path::Path;

use support::{GazetteerDir, entities};

fn timestamp_dir(root: &Path, name: &str, text: &str) {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("entities.tsv"), text).unwrap();
}

#[tokio::test]
async fn re_pointing_data_reloads() {
    let root = GazetteerDir::new("configmap");
    timestamp_dir(&root.path, "..2026_11_29_10_00_00.000000001", &entities(1));
    symlink("..2026_11_29_10_00_00.000000001", root.path.join("..data")).unwrap();
    symlink("..data/entities.tsv", root.path.join("entities.tsv")).unwrap();

    let args = root.args();
    let server = support::start(args).await;
    let mut client = server.ready().await;
    let first = support::wait_for_info(&mut client, |_| true).await;
    assert_eq!(
        first.entity_count, 2,
        "the hidden ..data and timestamp directories are not read twice"
    );

    // What the kubelet does: new timestamp dir, new symlink, atomic rename over ..data.
    timestamp_dir(&root.path, "..2026_11_29_10_05_00.000000002", &entities(5));
    symlink(
        "..2026_11_29_10_05_00.000000002",
        root.path.join("..data_tmp"),
    )
    .unwrap();
    std::fs::rename(root.path.join("..data_tmp"), root.path.join("..data")).unwrap();
    std::fs::remove_dir_all(root.path.join("..2026_11_29_10_00_00.000000001")).unwrap();

    let info = support::wait_for_info(&mut client, |info| info.version != first.version).await;
    assert_eq!(info.entity_count, 6);
    let last = info.last_reload.unwrap();
    assert!(last.ok);
    assert_eq!(last.trigger, "watcher");
    let change = info.last_change.unwrap();
    assert_eq!(change.from_version, first.version);
    assert_eq!(change.types[0].r#type, "organisation");
    assert_eq!(change.types[0].added, 4);
    server.stop().await.unwrap();
}
