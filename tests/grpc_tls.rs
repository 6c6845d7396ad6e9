//! TLS and mutual TLS with rustls: a real TLS client calls Tag, a client without a certificate
//! is refused under mTLS, a rotated certificate is served to the next connection while open
//! connections carry on, and bad files stop the server at startup with a clear error.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use newstag::proto::tagger_client::TaggerClient;
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair};
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};

/// A certificate authority made for one test.
struct Authority {
    cert: rcgen::Certificate,
    key: KeyPair,
}

impl Authority {
    fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        Self { cert, key }
    }

    fn pem(&self) -> String {
        self.cert.pem()
    }

    /// A leaf certificate and key (PEM) for `localhost`, for a server or a client.
    fn leaf(&self, usage: ExtendedKeyUsagePurpose) -> (String, String) {
        let mut params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        params.extended_key_usages = vec![usage];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.cert, &self.key).unwrap();
        (cert.pem(), key.serialize_pem())
    }
}

/// A directory of PEM files, removed on drop.
struct Pems(PathBuf);

impl Pems {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("newstag-tls-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        // Written aside and renamed, as cert-manager and Kubernetes secret volumes do.
        let path = self.0.join(name);
        let temp = self.0.join(format!(".{name}.tmp"));
        std::fs::write(&temp, text).unwrap();
        std::fs::rename(&temp, &path).unwrap();
        path
    }
}

impl Drop for Pems {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tls_args(cert: &Path, key: &Path, client_ca: Option<&Path>) -> newstag::config::ServeArgs {
    let mut args = support::args();
    args.tls_cert = Some(cert.to_owned());
    args.tls_key = Some(key.to_owned());
    args.tls_client_ca = client_ca.map(Path::to_owned);
    args.tls_reload_interval = Duration::from_millis(50);
    args
}

async fn tls_channel(
    address: std::net::SocketAddr,
    ca: &str,
    identity: Option<&(String, String)>,
) -> Result<Channel, tonic::transport::Error> {
    let mut config = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(ca))
        .domain_name("localhost");
    if let Some((cert, key)) = identity {
        config = config.identity(Identity::from_pem(cert, key));
    }
    Channel::from_shared(format!("https://{address}"))
        .unwrap()
        .tls_config(config)?
        .connect()
        .await
}

/// Tags once; `Err` with the status when the call fails.
async fn tag(channel: Channel) -> Result<(), tonic::Status> {
    TaggerClient::new(channel)
        .tag(support::request("tls", "", "Russia and NATO"))
        .await
        .map(|_| ())
}

/// Waits for the gazetteer over a TLS channel (a hang detector, not a speed test).
async fn ready(channel: &Channel) {
    for _ in 0..support::READY_POLLS {
        if tag(channel.clone()).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("server never became ready over TLS");
}

#[tokio::test]
async fn a_tls_client_tags_and_a_plaintext_client_is_refused() {
    let ca = Authority::new("test CA");
    let (cert, key) = ca.leaf(ExtendedKeyUsagePurpose::ServerAuth);
    let pems = Pems::new("plain");
    let args = tls_args(
        &pems.write("tls.crt", &cert),
        &pems.write("tls.key", &key),
        None,
    );
    let server = support::start(args).await;
    let channel = tls_channel(server.address, &ca.pem(), None).await.unwrap();
    ready(&channel).await;
    let response = TaggerClient::new(channel)
        .tag(support::request("tls", "", "Russia and NATO"))
        .await
        .unwrap()
        .into_inner();
    assert!(response.entities.iter().any(|e| e.id == "country:RU"));
    // A client speaking plaintext HTTP/2 to the TLS port gets nowhere.
    let plaintext = match Channel::from_shared(format!("http://{}", server.address))
        .unwrap()
        .connect()
        .await
    {
        Ok(channel) => tag(channel).await.is_err(),
        Err(_) => true,
    };
    assert!(plaintext, "a plaintext call succeeded on the TLS port");
    // Metrics stay plain HTTP for the scraper.
    assert!(
        support::scrape(server.metrics_address)
            .await
            .contains("grpc_server_handled_total")
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn under_mtls_a_client_without_a_certificate_is_refused() {
    let ca = Authority::new("test CA");
    let (cert, key) = ca.leaf(ExtendedKeyUsagePurpose::ServerAuth);
    let client_ca = Authority::new("client CA");
    let client = client_ca.leaf(ExtendedKeyUsagePurpose::ClientAuth);
    let stranger = Authority::new("other CA").leaf(ExtendedKeyUsagePurpose::ClientAuth);
    let pems = Pems::new("mtls");
    let args = tls_args(
        &pems.write("tls.crt", &cert),
        &pems.write("tls.key", &key),
        Some(&pems.write("clients.crt", &client_ca.pem())),
    );
    let server = support::start(args).await;
    let with_identity = tls_channel(server.address, &ca.pem(), Some(&client))
        .await
        .unwrap();
    ready(&with_identity).await;
    for identity in [None, Some(&stranger)] {
        let refused = match tls_channel(server.address, &ca.pem(), identity).await {
            Ok(channel) => tag(channel).await.is_err(),
            Err(_) => true,
        };
        assert!(
            refused,
            "a client with identity {:?} was served",
            identity.is_some()
        );
    }
    tag(with_identity).await.unwrap();
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_rotated_certificate_is_served_to_the_next_connection() {
    let first = Authority::new("first CA");
    let second = Authority::new("second CA");
    let (cert, key) = first.leaf(ExtendedKeyUsagePurpose::ServerAuth);
    let pems = Pems::new("rotate");
    let cert_path = pems.write("tls.crt", &cert);
    let key_path = pems.write("tls.key", &key);
    let server = support::start(tls_args(&cert_path, &key_path, None)).await;
    let open = tls_channel(server.address, &first.pem(), None)
        .await
        .unwrap();
    ready(&open).await;
    // A client that trusts only the second CA cannot connect yet.
    assert!(
        match tls_channel(server.address, &second.pem(), None).await {
            Ok(channel) => tag(channel).await.is_err(),
            Err(_) => true,
        },
        "the second CA was trusted before the rotation"
    );
    let (cert, key) = second.leaf(ExtendedKeyUsagePurpose::ServerAuth);
    pems.write("tls.key", &key);
    pems.write("tls.crt", &cert);
    let mut rotated = false;
    for _ in 0..500 {
        if let Ok(channel) = tls_channel(server.address, &second.pem(), None).await
            && tag(channel).await.is_ok()
        {
            rotated = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(rotated, "the rotated certificate was never served");
    // The connection opened before the rotation was not dropped.
    tag(open).await.unwrap();
    server.stop().await.unwrap();
}

#[tokio::test]
async fn bad_tls_files_stop_the_server_with_a_clear_error() {
    let ca = Authority::new("test CA");
    let (cert, _) = ca.leaf(ExtendedKeyUsagePurpose::ServerAuth);
    let (_, other_key) = ca.leaf(ExtendedKeyUsagePurpose::ServerAuth);
    let pems = Pems::new("bad");
    let cert_path = pems.write("tls.crt", &cert);
    let mismatched = pems.write("other.key", &other_key);
    let missing = pems.0.join("missing.key");
    let garbage = pems.write("garbage.crt", "not a certificate\n");
    for (cert, key, expected) in [
        (&cert_path, &mismatched, "other.key"),
        (&cert_path, &missing, "missing.key: cannot read"),
        (&garbage, &mismatched, "garbage.crt: no CERTIFICATE block"),
    ] {
        let server = support::start(tls_args(cert, key, None)).await;
        let error = server.join().await.unwrap_err().to_string();
        assert!(error.contains(expected), "{expected:?} in {error:?}");
    }
}
