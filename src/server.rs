//! The gRPC server: builds the services, loads the gazetteer, reports health, serves metrics,
//! and shuts down gracefully.
//!
//! Lifecycle:
//! 1. listen at once, with every health service NOT_SERVING and `Tag` answering UNAVAILABLE;
//! 2. load the gazetteer off the async workers; SERVING when it is in place (a failed first
//!    load stops the server with the gazetteer's errors);
//! 3. on the shutdown signal: NOT_SERVING at once, keep serving new calls for the drain time
//!    so load balancers can react, end health `Watch` streams, stop accepting, let calls in
//!    flight finish, and return within the grace period whatever is still open.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tonic::codec::CompressionEncoding;
use tonic::transport::server::TcpIncoming;
use tonic_health::ServingStatus;

use crate::config::ServeArgs;
use crate::gazetteer::{Gazetteer, GazetteerError};
use crate::metrics::{CallMetricsLayer, Metrics};
use crate::proto::admin_server::AdminServer;
use crate::proto::tagger_server::TaggerServer;
use crate::reload::{self, Reloader};
use crate::service::abandoned::AbandonedCallLayer;
use crate::service::admin::{AdminService, bearer_check};
use crate::service::health::{self, HealthGate};
use crate::service::{Limits, ServiceState, TaggerService};
use crate::snapshot::{Attempt, SharedGazetteer};

/// Why the server stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The first gazetteer load failed: there is nothing to serve.
    #[error("cannot load the gazetteer: {0}")]
    Gazetteer(#[from] GazetteerError),
    /// The gRPC transport failed.
    #[error("gRPC server failed: {0}")]
    Transport(#[from] tonic::transport::Error),
    /// A configuration the server refuses to start with.
    #[error("{0}")]
    Config(String),
    /// A server task crashed.
    #[error("server task failed: {0}")]
    Task(String),
    /// Building the reflection service failed.
    #[error("cannot build the reflection service: {0}")]
    Reflection(#[from] tonic_reflection::server::Error),
    /// The TLS files cannot be used.
    #[error("TLS: {0}")]
    Tls(#[from] crate::tls::TlsError),
}

/// The reflection services (v1 and v1alpha) of one port, listing exactly the services that
/// port serves, so grpcurl never offers a call that answers UNIMPLEMENTED.
fn reflection(
    services: &[&str],
) -> Result<
    (
        tonic_reflection::server::v1::ServerReflectionServer<
            impl tonic_reflection::server::v1::ServerReflection,
        >,
        tonic_reflection::server::v1alpha::ServerReflectionServer<
            impl tonic_reflection::server::v1alpha::ServerReflection,
        >,
    ),
    ServerError,
> {
    let configure = || {
        let mut builder = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(crate::proto::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_reflection::pb::v1::FILE_DESCRIPTOR_SET);
        for &service in services.iter().chain(&[
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection",
        ]) {
            builder = builder.with_service_name(service);
        }
        builder
    };
    Ok((configure().build_v1()?, configure().build_v1alpha()?))
}

/// Loads the gazetteer at startup; runs on the blocking pool.
pub type Loader = Box<dyn FnOnce() -> Result<Gazetteer, GazetteerError> + Send>;

/// The sockets the server serves on, bound by the caller (tests bind port 0).
#[derive(Debug)]
pub struct Listeners {
    /// The Tagger, health and reflection.
    pub grpc: TcpListener,
    /// The Admin service; none to run without it.
    pub admin: Option<TcpListener>,
    /// Prometheus `/metrics`; none to run without it.
    pub metrics: Option<TcpListener>,
}

/// Runs the server until `shutdown` resolves.
pub async fn run(
    args: ServeArgs,
    listeners: Listeners,
    loader: Loader,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), ServerError> {
    args.validate().map_err(ServerError::Config)?;
    let Listeners {
        grpc,
        admin,
        metrics,
    } = listeners;
    let source = args
        .gazetteers
        .as_ref()
        .map_or_else(|| "bundled".to_owned(), |d| d.display().to_string());
    let gazetteer = Arc::new(SharedGazetteer::new(source));
    let registry = Arc::new(Metrics::new(gazetteer.clone()));
    let limits = Limits {
        max_article_bytes: args.max_article_bytes,
        max_concurrent_requests: args.max_concurrent_requests,
        request_timeout: args.request_timeout,
        stream_window: 2 * std::thread::available_parallelism().map_or(2, usize::from),
        max_mentions_per_entity: args.max_mentions_per_entity.max(1),
    };
    let state = Arc::new(ServiceState::new(
        gazetteer.clone(),
        registry.clone(),
        limits,
    ));
    let stop_tagging = state.shutdown.clone();

    let (reporter, _) = tonic_health::server::health_reporter();
    // `/readyz` on the metrics port: the same answer as gRPC health, over plain HTTP.
    let ready = Arc::new(std::sync::atomic::AtomicBool::new(false));
    health::set_all(&reporter, ServingStatus::NotServing).await;
    let (closing, closing_watch) = watch::channel(false);
    let health_service = tonic_health::pb::health_server::HealthServer::new(HealthGate::new(
        reporter.clone(),
        closing_watch,
    ));

    let (reflection_v1, reflection_v1alpha) = reflection(&["newstag.v1.Tagger"])?;
    let tls = args.tls().map(crate::tls::ReloadingTls::load).transpose()?;
    let reloader = Arc::new(Reloader::new(
        args.gazetteers.clone(),
        gazetteer.clone(),
        registry.clone(),
    ));
    let tagger = TaggerServer::new(TaggerService::new(state.clone()))
        .accept_compressed(CompressionEncoding::Gzip)
        .accept_compressed(CompressionEncoding::Zstd)
        .send_compressed(CompressionEncoding::Gzip)
        .send_compressed(CompressionEncoding::Zstd)
        .max_decoding_message_size(args.max_message_bytes())
        .max_encoding_message_size(usize::MAX);

    let (stop_grpc, grpc_stopped) = oneshot::channel::<()>();
    let address = grpc.local_addr().ok();
    // Layers run outermost first: calls are counted with the code the caller receives.
    let router = tonic::transport::Server::builder()
        .layer(CallMetricsLayer::new(registry.clone()))
        .layer(tower::util::MapResponseLayer::new(
            crate::service::status::transport_status(args.max_message_bytes()),
        ))
        .layer(AbandonedCallLayer::new(registry.clone()))
        .add_service(health_service.clone())
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(tagger);
    let grpc_stopped = async {
        let _ = grpc_stopped.await;
    };
    let mut server =
        match &tls {
            // Without TCP_NODELAY, responses of a few kilobytes wait ~40 ms for delayed ACKs.
            None => tokio::spawn(router.serve_with_incoming_shutdown(
                TcpIncoming::from(grpc).with_nodelay(Some(true)),
                grpc_stopped,
            )),
            Some(tls) => tokio::spawn(router.serve_with_incoming_shutdown(
                crate::tls::incoming(grpc, tls.clone()),
                grpc_stopped,
            )),
        };
    tracing::info!(address = %display_address(address), tls = tls.is_some(), mtls = args.tls_client_ca.is_some(), "gRPC listening");

    let (stop_admin, admin_stopped) = oneshot::channel::<()>();
    if let Some(listener) = admin {
        tracing::info!(address = %display_address(listener.local_addr().ok()), token = args.admin_token.is_some(), tls = tls.is_some(), "admin listening");
        let service = AdminServer::with_interceptor(
            AdminService::new(reloader.clone()),
            bearer_check(args.admin_token.clone()),
        );
        let (admin_reflection_v1, admin_reflection_v1alpha) = reflection(&["newstag.v1.Admin"])?;
        let router = tonic::transport::Server::builder()
            .layer(CallMetricsLayer::new(registry.clone()))
            .add_service(health_service)
            .add_service(admin_reflection_v1)
            .add_service(admin_reflection_v1alpha)
            .add_service(service);
        let admin_stopped = async {
            let _ = admin_stopped.await;
        };
        match &tls {
            None => {
                tokio::spawn(router.serve_with_incoming_shutdown(
                    TcpIncoming::from(listener).with_nodelay(Some(true)),
                    admin_stopped,
                ));
            }
            Some(tls) => {
                tokio::spawn(router.serve_with_incoming_shutdown(
                    crate::tls::incoming(listener, tls.clone()),
                    admin_stopped,
                ));
            }
        }
    }
    if let Some(tls) = &tls {
        let stopping = closing.subscribe();
        tokio::spawn(tls.clone().watch(args.tls_reload_interval, async move {
            let mut stopping = stopping;
            let _ = stopping.wait_for(|closed| *closed).await;
        }));
    }

    let (stop_metrics, metrics_stopped) = oneshot::channel::<()>();
    if let Some(listener) = metrics {
        tracing::info!(address = %display_address(listener.local_addr().ok()), "metrics listening");
        tokio::spawn(crate::metrics::http::serve(
            listener,
            registry.clone(),
            ready.clone(),
            async {
                let _ = metrics_stopped.await;
            },
        ));
    }

    // Listen for SIGHUP before loading, so a hangup never hits the default action (exit).
    spawn_hangup_reloads(reloader.clone());
    tokio::pin!(shutdown);
    let load = tokio::task::spawn_blocking(loader);
    let mut shutdown_requested = false;
    tokio::select! {
        loaded = load => {
            let loaded = loaded.unwrap_or_else(|join| Err(GazetteerError::single("(gazetteer)", None, format!("loader crashed: {join}"))));
            let attempt = |version, error| Attempt { at: SystemTime::now(), trigger: "startup".into(), version, error };
            match loaded {
                Ok(loaded) => {
                    let version = loaded.version.clone();
                    tracing::info!(version = %version, entities = loaded.entities.len(), aliases = loaded.alias_count(), "gazetteer loaded");
                    gazetteer.install(loaded);
                    gazetteer.record_attempt(attempt(Some(version), None));
                    registry.count_reload("success");
                    health::set_all(&reporter, ServingStatus::Serving).await;
                    ready.store(true, std::sync::atomic::Ordering::Relaxed);
                    let stopping = closing.subscribe();
                    tokio::spawn(reload::watch(reloader.clone(), args.reload_debounce, args.reload_interval, !args.no_watch, async move {
                        let mut stopping = stopping;
                        let _ = stopping.wait_for(|closed| *closed).await;
                    }));
                }
                Err(error) => {
                    tracing::error!(%error, "gazetteer rejected; stopping");
                    registry.count_reload("failure");
                    let _ = stop_grpc.send(());
                    let _ = stop_admin.send(());
                    let _ = stop_metrics.send(());
                    let _ = tokio::time::timeout(args.shutdown_grace, &mut server).await;
                    return Err(ServerError::Gazetteer(error));
                }
            }
        }
        () = &mut shutdown => {
            tracing::info!("shutdown requested while loading");
            shutdown_requested = true;
        }
    }

    let outcome = if shutdown_requested {
        None
    } else {
        tokio::select! {
            () = &mut shutdown => None,
            finished = &mut server => Some(finished),
        }
    };
    if let Some(finished) = outcome {
        // The transport stopped on its own: report why.
        let _ = stop_admin.send(());
        let _ = stop_metrics.send(());
        return match finished {
            Ok(result) => result.map_err(ServerError::from),
            Err(join) => Err(ServerError::Task(join.to_string())),
        };
    }

    let grace = args.shutdown_grace;
    let drain = args.drain();
    tracing::info!(
        drain_ms = drain.as_millis() as u64,
        grace_ms = grace.as_millis() as u64,
        "shutting down: health NOT_SERVING, draining"
    );
    health::set_all(&reporter, ServingStatus::NotServing).await;
    ready.store(false, std::sync::atomic::Ordering::Relaxed);
    tokio::time::sleep(drain).await;
    let _ = closing.send(true);
    let _ = stop_admin.send(());
    let _ = stop_grpc.send(());
    // Calls in flight get the grace less a moment; then every tagging still running is told to
    // stop (it does within milliseconds) and the connections are closed, so the process is gone
    // within the grace whatever it was doing.
    let remaining = grace.saturating_sub(drain);
    let for_calls = remaining.saturating_sub(STOP_TAGGING_MARGIN.min(remaining / 2));
    if tokio::time::timeout(for_calls, &mut server).await.is_ok() {
        tracing::info!("all calls finished; bye");
    } else {
        tracing::warn!("grace period over with calls still open; stopping their tagging");
        stop_tagging.store(true, std::sync::atomic::Ordering::Relaxed);
        let rest = remaining
            .saturating_sub(for_calls)
            .max(Duration::from_millis(1));
        if tokio::time::timeout(rest, &mut server).await.is_err() {
            server.abort();
        }
    }
    let _ = stop_metrics.send(());
    Ok(())
}

/// How long before the end of the shutdown grace the taggings still running are stopped, so
/// that they have ended (and their answers gone out) when the grace is over: at most half of
/// what is left of the grace after the drain. 250 ms was sometimes too little for a debug
/// build on two busy cores to stop a 4 MiB tagging and send its `UNAVAILABLE`.
const STOP_TAGGING_MARGIN: Duration = Duration::from_millis(500);

/// SIGHUP reloads the gazetteer directory (Unix only).
fn spawn_hangup_reloads(reloader: Arc<Reloader>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot watch SIGHUP");
            return;
        };
        tokio::spawn(async move {
            while hangups.recv().await.is_some() {
                tracing::info!("SIGHUP received");
                if let Err(error @ reload::ReloadError::NothingToReload) =
                    reloader.reload("sighup").await
                {
                    tracing::warn!(%error, "SIGHUP ignored");
                }
            }
        });
    }
    #[cfg(not(unix))]
    let _ = reloader;
}

/// A listener's address as logs show it: `0.0.0.0:50051`, not `Some(0.0.0.0:50051)`.
fn display_address(address: Option<std::net::SocketAddr>) -> String {
    address.map_or_else(|| "unknown".to_owned(), |a| a.to_string())
}
