//! `Admin.Reload`: the token, a broken gazetteer (old one kept, errors visible, health still
//! SERVING), identical content, and the bundled set (nothing to reload).

mod support;

use newstag::proto::ReloadRequest;
use support::{BROKEN, GazetteerDir, entities, write_atomically};
use tonic::Code;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

fn with_token(token: &str) -> tonic::Request<ReloadRequest> {
    let mut request = tonic::Request::new(ReloadRequest {});
    request
        .metadata_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    request
}

#[tokio::test]
async fn reload_with_and_without_the_token() {
    let dir = GazetteerDir::new("admin");
    write_atomically(&dir.path, "entities.tsv", &entities(1));
    let mut args = dir.args();
    args.no_watch = true;
    args.admin_token = Some("s3cret".into());
    let server = support::start(args).await;
    let mut client = server.ready().await;
    let mut admin = server.admin().await;
    let mut health = HealthClient::new(server.channel().await);
    let before = support::wait_for_info(&mut client, |_| true).await;

    assert_eq!(
        admin.reload(ReloadRequest {}).await.unwrap_err().code(),
        Code::Unauthenticated
    );
    assert_eq!(
        admin.reload(with_token("wrong")).await.unwrap_err().code(),
        Code::Unauthenticated
    );

    // Identical content: ok, nothing swapped.
    let same = admin
        .reload(with_token("s3cret"))
        .await
        .unwrap()
        .into_inner();
    assert!(same.ok && !same.swapped);
    assert_eq!(same.version, before.version);

    // A new entity: swapped, with the diff.
    write_atomically(&dir.path, "entities.tsv", &entities(2));
    let swapped = admin
        .reload(with_token("s3cret"))
        .await
        .unwrap()
        .into_inner();
    assert!(swapped.ok && swapped.swapped);
    assert_ne!(swapped.version, before.version);
    let diff = swapped.diff.unwrap();
    assert_eq!(diff.types[0].added_ids, ["org:test-1"]);

    // Broken: rejected, old kept, errors visible, health still SERVING.
    write_atomically(&dir.path, "entities.tsv", BROKEN);
    let rejected = admin
        .reload(with_token("s3cret"))
        .await
        .unwrap()
        .into_inner();
    assert!(!rejected.ok && !rejected.swapped);
    assert_eq!(
        rejected.version, swapped.version,
        "the old snapshot keeps serving"
    );
    assert!(
        rejected
            .errors
            .iter()
            .any(|e| e.ends_with("entities.tsv:3: empty name")),
        "{:?}",
        rejected.errors
    );
    let info = support::wait_for_info(&mut client, |_| true).await;
    assert_eq!(info.version, swapped.version);
    let last = info.last_reload.unwrap();
    assert!(!last.ok && last.trigger == "admin");
    assert!(
        last.errors
            .iter()
            .any(|e| e.ends_with("entities.tsv:3: empty name")),
        "{:?}",
        last.errors
    );
    let tagged = client
        .tag(support::request("r", "", "Russia"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(tagged.gazetteer_version, swapped.version);
    let status = health
        .check(HealthCheckRequest {
            service: "readiness".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .status;
    assert_eq!(status, 1, "SERVING");
    let metrics = support::scrape(server.metrics_address).await;
    assert!(
        metrics.contains("newstag_gazetteer_reloads_total{result=\"failure\"} 1"),
        "{metrics}"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_bundled_gazetteer_has_nothing_to_reload() {
    let server = support::start(support::args()).await;
    server.ready().await;
    let error = server
        .admin()
        .await
        .reload(ReloadRequest {})
        .await
        .unwrap_err();
    assert_eq!(error.code(), Code::FailedPrecondition);
    assert!(
        error.message().contains("--gazetteers"),
        "{}",
        error.message()
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_non_loopback_admin_listener_needs_a_token() {
    let mut args = support::args();
    args.admin_listen = "0.0.0.0:0".parse().unwrap();
    let error = support::start(args).await.join().await.unwrap_err();
    assert!(error.to_string().contains("--admin-token"), "{error}");
}

#[tokio::test]
async fn a_non_loopback_admin_listener_needs_tls_too() {
    let mut args = support::args();
    args.admin_listen = "0.0.0.0:0".parse().unwrap();
    args.admin_token = Some("secret".into());
    let error = support::start(args).await.join().await.unwrap_err();
    assert!(error.to_string().contains("--tls-cert"), "{error}");
    assert!(error.to_string().contains("clear text"), "{error}");
}
