//! TLS and mutual TLS for the gRPC and admin listeners, with certificates that rotate in
//! place.
//!
//! cert-manager and Vault rewrite the certificate and key files where they are (Kubernetes
//! swaps a symlink), so the files are re-read every `--tls-reload-interval` and, when their
//! content changed and still loads, the new configuration is used for the *next* handshake.
//! Connections already open keep the session they negotiated: nothing is dropped. A rotation
//! that does not load (a key that does not match its certificate, a half-written file) is
//! logged and the previous certificate keeps serving.
//!
//! rustls with the ring provider: no OpenSSL, nothing to install.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use sha2::{Digest, Sha256};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// Why a TLS configuration cannot be used. Each names the file and what to fix.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: io::Error,
    },
    /// A file holds no usable PEM of the kind expected.
    #[error("{path}: {reason}")]
    Pem {
        /// The file.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The certificate and key do not make a valid server identity (most often: the key is
    /// not the certificate's).
    #[error("{cert} and {key}: {reason}")]
    Identity {
        /// The certificate file.
        cert: String,
        /// The key file.
        key: String,
        /// rustls's reason.
        reason: String,
    },
    /// The client CA bundle cannot verify clients.
    #[error("{path}: cannot verify client certificates with it: {reason}")]
    ClientCa {
        /// The CA file.
        path: String,
        /// rustls's reason.
        reason: String,
    },
}

/// The files a TLS listener is configured from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// PEM certificate chain, leaf first.
    pub cert: PathBuf,
    /// PEM private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
    /// PEM CA bundle; when set, clients must present a certificate it signed (mTLS).
    pub client_ca: Option<PathBuf>,
}

/// The bytes of every file, read together: what a rotation is detected on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Contents {
    cert: Vec<u8>,
    key: Vec<u8>,
    client_ca: Option<Vec<u8>>,
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read {
        path: path.display().to_string(),
        source,
    })
}

impl TlsFiles {
    fn read(&self) -> Result<Contents, TlsError> {
        Ok(Contents {
            cert: read(&self.cert)?,
            key: read(&self.key)?,
            client_ca: self.client_ca.as_deref().map(read).transpose()?,
        })
    }

    /// Checks the files' contents and builds a server configuration ready for handshakes.
    fn build(&self, contents: &Contents) -> Result<Arc<ServerConfig>, TlsError> {
        let display = |p: &Path| p.display().to_string();
        let pem = |path: &Path, reason: String| TlsError::Pem {
            path: display(path),
            reason,
        };
        let certs = CertificateDer::pem_slice_iter(&contents.cert)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| pem(&self.cert, format!("bad PEM certificate: {e}")))?;
        if certs.is_empty() {
            return Err(pem(
                &self.cert,
                "no CERTIFICATE block: expected a PEM certificate chain".into(),
            ));
        }
        let key = PrivateKeyDer::from_pem_slice(&contents.key).map_err(|e| {
            pem(
                &self.key,
                format!("no usable private key (PKCS#8, PKCS#1 or SEC1 PEM): {e}"),
            )
        })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Identity {
                cert: display(&self.cert),
                key: display(&self.key),
                reason: e.to_string(),
            })?;
        let builder = match (&self.client_ca, &contents.client_ca) {
            (Some(path), Some(bytes)) => {
                let mut roots = rustls::RootCertStore::empty();
                for ca in CertificateDer::pem_slice_iter(bytes) {
                    let ca = ca.map_err(|e| pem(path, format!("bad PEM certificate: {e}")))?;
                    roots.add(ca).map_err(|e| TlsError::ClientCa {
                        path: display(path),
                        reason: e.to_string(),
                    })?;
                }
                if roots.is_empty() {
                    return Err(pem(
                        path,
                        "no CERTIFICATE block: expected PEM CA certificates".into(),
                    ));
                }
                let verifier =
                    WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                        .build()
                        .map_err(|e| TlsError::ClientCa {
                            path: display(path),
                            reason: e.to_string(),
                        })?;
                builder.with_client_cert_verifier(verifier)
            }
            _ => builder.with_no_client_auth(),
        };
        let mut config = builder
            .with_single_cert(certs, key)
            .map_err(|e| TlsError::Identity {
                cert: display(&self.cert),
                key: display(&self.key),
                reason: e.to_string(),
            })?;
        // gRPC is HTTP/2 only.
        config.alpn_protocols = vec![b"h2".to_vec()];
        Ok(Arc::new(config))
    }
}

/// A TLS configuration that follows its files.
#[derive(Debug)]
pub struct ReloadingTls {
    files: TlsFiles,
    config: ArcSwap<ServerConfig>,
    /// Hash of the contents `config` was built from.
    loaded: std::sync::Mutex<[u8; 32]>,
}

fn fingerprint(contents: &Contents) -> [u8; 32] {
    let mut hash = Sha256::new();
    for part in [
        &contents.cert[..],
        &contents.key[..],
        contents.client_ca.as_deref().unwrap_or_default(),
    ] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    hash.finalize().into()
}

impl ReloadingTls {
    /// Loads the files now; an error here stops the server from starting.
    pub fn load(files: TlsFiles) -> Result<Arc<Self>, TlsError> {
        let contents = files.read()?;
        let config = files.build(&contents)?;
        Ok(Arc::new(Self {
            files,
            config: ArcSwap::new(config),
            loaded: std::sync::Mutex::new(fingerprint(&contents)),
        }))
    }

    /// Re-reads the files; swaps in the new configuration when they changed and load. Returns
    /// whether a new certificate is now served.
    pub fn refresh(&self) -> Result<bool, TlsError> {
        let contents = self.files.read()?;
        let print = fingerprint(&contents);
        let Ok(mut loaded) = self.loaded.lock() else {
            return Ok(false);
        };
        if *loaded == print {
            return Ok(false);
        }
        let config = self.files.build(&contents)?;
        self.config.store(config);
        *loaded = print;
        Ok(true)
    }

    /// Refreshes every `interval` until `stop` resolves. A failed refresh is logged once per
    /// distinct error and the certificate in use stays.
    pub async fn watch(self: Arc<Self>, interval: Duration, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        let mut last_error = None;
        loop {
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(interval) => {}
            }
            let this = self.clone();
            let outcome = tokio::task::spawn_blocking(move || this.refresh()).await;
            match outcome {
                Ok(Ok(true)) => {
                    tracing::info!(cert = %self.files.cert.display(), "TLS certificate rotated; new connections use it");
                    last_error = None;
                }
                Ok(Ok(false)) => last_error = None,
                Ok(Err(error)) => {
                    let message = error.to_string();
                    if last_error.as_ref() != Some(&message) {
                        tracing::warn!(error = %message, "TLS files changed but do not load; the previous certificate keeps serving");
                        last_error = Some(message);
                    }
                }
                Err(join) => tracing::warn!(error = %join, "TLS refresh crashed"),
            }
        }
    }

    /// The configuration for the next handshake.
    pub fn current(&self) -> Arc<ServerConfig> {
        self.config.load_full()
    }
}

/// Longest a client may take to finish its TLS handshake before the connection is closed: a
/// client that never speaks must not hold a socket forever.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepted TLS connections as a stream for tonic's `serve_with_incoming*`. Handshakes run on
/// their own tasks, so one slow client never delays the next; failed handshakes (no client
/// certificate under mTLS, a plaintext client) are logged at debug and dropped.
pub fn incoming(
    listener: TcpListener,
    tls: Arc<ReloadingTls>,
) -> tokio_stream::wrappers::ReceiverStream<Result<TlsStream<TcpStream>, io::Error>> {
    let (sender, receiver) = tokio::sync::mpsc::channel(64);
    tokio::spawn(async move {
        loop {
            let (stream, peer) = tokio::select! {
                () = sender.closed() => return,
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // Out of file descriptors and the like: back off, keep listening.
                        tracing::warn!(%error, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
            };
            // Without TCP_NODELAY, responses of a few kilobytes wait ~40 ms for delayed ACKs.
            let _ = stream.set_nodelay(true);
            let acceptor = TlsAcceptor::from(tls.current());
            let sender = sender.clone();
            tokio::spawn(async move {
                match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                    Ok(Ok(tls_stream)) => {
                        let _ = sender.send(Ok(tls_stream)).await;
                    }
                    Ok(Err(error)) => tracing::debug!(%peer, %error, "TLS handshake failed"),
                    Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                }
            });
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(receiver)
}
