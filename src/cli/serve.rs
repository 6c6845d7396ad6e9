//! `newstag serve`: run the gRPC service until SIGTERM or SIGINT.

use std::process::ExitCode;

use tokio::net::TcpListener;

use crate::config::ServeArgs;
use crate::gazetteer::Gazetteer;
use crate::server::{self, ServerError};

/// Exit status for a configuration the server cannot run with (EX_USAGE, as linkerd does).
const EXIT_CONFIG: u8 = 64;

pub(super) fn run(args: ServeArgs) -> Result<ExitCode, ExitCode> {
    crate::telemetry::init(args.log_format);
    if let Err(problem) = args.validate() {
        eprintln!("newstag serve: {problem}");
        return Err(ExitCode::from(EXIT_CONFIG));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            eprintln!("newstag serve: cannot start the runtime: {error}");
            ExitCode::FAILURE
        })?;
    let outcome = runtime.block_on(async move {
        let grpc = TcpListener::bind(args.listen).await.map_err(|error| {
            tracing::error!(address = %args.listen, %error, "cannot listen for gRPC");
            ExitCode::from(EXIT_CONFIG)
        })?;
        let metrics = TcpListener::bind(args.metrics_listen).await.map_err(|error| {
            tracing::error!(address = %args.metrics_listen, %error, "cannot listen for metrics");
            ExitCode::from(EXIT_CONFIG)
        })?;
        let admin = TcpListener::bind(args.admin_listen)
            .await
            .map_err(|error| {
                tracing::error!(address = %args.admin_listen, %error, "cannot listen for admin");
                ExitCode::from(EXIT_CONFIG)
            })?;
        let directory = args.gazetteers.clone();
        let loader: server::Loader = Box::new(move || Gazetteer::load(directory.as_deref()));
        let listeners = server::Listeners {
            grpc,
            admin: Some(admin),
            metrics: Some(metrics),
        };
        match server::run(args, listeners, loader, termination()).await {
            Ok(()) => Ok(ExitCode::SUCCESS),
            Err(ServerError::Gazetteer(error)) => {
                eprintln!("newstag serve: {error}");
                Err(ExitCode::from(EXIT_CONFIG))
            }
            Err(error @ (ServerError::Config(_) | ServerError::Tls(_))) => {
                eprintln!("newstag serve: {error}");
                Err(ExitCode::from(EXIT_CONFIG))
            }
            Err(error) => {
                tracing::error!(%error, "server failed");
                Err(ExitCode::FAILURE)
            }
        }
    });
    // Dropping a runtime waits for every blocking task; a gazetteer still loading (or a
    // tagging that somehow ignored its interrupt) must not keep the process past the grace.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    outcome
}

/// Resolves on SIGTERM (Kubernetes) or SIGINT (Ctrl-C).
async fn termination() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => tracing::info!("SIGTERM received"),
                    _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT received"),
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot watch SIGTERM; only SIGINT stops the server");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("interrupt received");
    }
}
