//! Server configuration: `newstag serve` flags, each also read from `NEWSTAG_<FLAG>`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log shippers.
    Json,
}

/// Flags of `newstag serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address of the gRPC listener.
    #[arg(long, env = "NEWSTAG_LISTEN", default_value = "0.0.0.0:50051")]
    pub listen: SocketAddr,
    /// Gazetteer directory; the bundled defaults when absent.
    #[arg(long, env = "NEWSTAG_GAZETTEERS", value_name = "DIR")]
    pub gazetteers: Option<PathBuf>,
    /// Largest article (title + body, in bytes) accepted; larger ones get INVALID_ARGUMENT.
    #[arg(long, env = "NEWSTAG_MAX_ARTICLE_BYTES", default_value_t = 1 << 20)]
    pub max_article_bytes: usize,
    /// Mentions listed per entity when a request's `max_mentions_per_entity` is 0. Counts stay
    /// exact; with the default a response stays well under the 4 MiB clients accept.
    #[arg(long, env = "NEWSTAG_MAX_MENTIONS_PER_ENTITY", default_value_t = 100)]
    pub max_mentions_per_entity: u32,
    /// Calls served at once; beyond it calls fail at once with RESOURCE_EXHAUSTED.
    #[arg(long, env = "NEWSTAG_MAX_CONCURRENT_REQUESTS", default_value_t = 256)]
    pub max_concurrent_requests: usize,
    /// Longest time a `Tag` call, or one article of a `TagStream`, may take (a client's shorter
    /// deadline wins), e.g. `30s`, `500ms`.
    #[arg(long, env = "NEWSTAG_REQUEST_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub request_timeout: Duration,
    /// After SIGTERM/SIGINT, the process exits within this time.
    #[arg(long, env = "NEWSTAG_SHUTDOWN_GRACE", default_value = "20s", value_parser = parse_duration)]
    pub shutdown_grace: Duration,
    /// After SIGTERM/SIGINT, new calls are still served this long (health already says
    /// NOT_SERVING) so load balancers can stop routing; capped at half the grace.
    #[arg(long, env = "NEWSTAG_SHUTDOWN_DRAIN", default_value = "2s", value_parser = parse_duration)]
    pub shutdown_drain: Duration,
    /// Address of the Prometheus `/metrics` endpoint.
    #[arg(long, env = "NEWSTAG_METRICS_LISTEN", default_value = "0.0.0.0:9464")]
    pub metrics_listen: SocketAddr,
    /// Log format.
    #[arg(long, env = "NEWSTAG_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// Address of the Admin service (`Reload`). Binding it beyond loopback requires a token.
    #[arg(long, env = "NEWSTAG_ADMIN_LISTEN", default_value = "127.0.0.1:50052")]
    pub admin_listen: SocketAddr,
    /// Bearer token the Admin service requires (`authorization: Bearer <token>`).
    #[arg(long, env = "NEWSTAG_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Quiet time after the last change in the gazetteer directory before reloading.
    #[arg(long, env = "NEWSTAG_RELOAD_DEBOUNCE", default_value = "500ms", value_parser = parse_duration)]
    pub reload_debounce: Duration,
    /// Safety-net re-check of the gazetteer directory (content hash; no swap when identical);
    /// `0` disables it.
    #[arg(long, env = "NEWSTAG_RELOAD_INTERVAL", default_value = "60s", value_parser = parse_duration)]
    pub reload_interval: Duration,
    /// PEM certificate chain: serve gRPC and admin over TLS (with `--tls-key`).
    #[arg(
        long,
        env = "NEWSTAG_TLS_CERT",
        value_name = "PEM",
        requires = "tls_key"
    )]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of `--tls-cert`.
    #[arg(
        long,
        env = "NEWSTAG_TLS_KEY",
        value_name = "PEM",
        requires = "tls_cert"
    )]
    pub tls_key: Option<PathBuf>,
    /// PEM CA bundle: require client certificates signed by it (mutual TLS).
    #[arg(
        long,
        env = "NEWSTAG_TLS_CLIENT_CA",
        value_name = "PEM",
        requires = "tls_cert"
    )]
    pub tls_client_ca: Option<PathBuf>,
    /// How often the TLS files are re-read; changed files serve the next connection.
    #[arg(long, env = "NEWSTAG_TLS_RELOAD_INTERVAL", default_value = "10s", value_parser = parse_duration)]
    pub tls_reload_interval: Duration,
    /// Do not watch the gazetteer directory for changes (SIGHUP, Admin.Reload and the periodic
    /// re-check still work).
    #[arg(long, env = "NEWSTAG_NO_WATCH")]
    pub no_watch: bool,
}

impl ServeArgs {
    /// The gRPC message size limit (see [`max_message_bytes`]).
    pub fn max_message_bytes(&self) -> usize {
        max_message_bytes(self.max_article_bytes)
    }

    /// The TLS files, when TLS is configured.
    pub fn tls(&self) -> Option<crate::tls::TlsFiles> {
        Some(crate::tls::TlsFiles {
            cert: self.tls_cert.clone()?,
            key: self.tls_key.clone()?,
            client_ca: self.tls_client_ca.clone(),
        })
    }

    /// A configuration the server refuses to start with.
    pub fn validate(&self) -> Result<(), String> {
        match (&self.tls_cert, &self.tls_key) {
            (Some(_), None) => return Err("--tls-cert needs --tls-key".into()),
            (None, Some(_)) => return Err("--tls-key needs --tls-cert".into()),
            _ => {}
        }
        if self.tls_client_ca.is_some() && self.tls_cert.is_none() {
            return Err("--tls-client-ca needs --tls-cert and --tls-key".into());
        }
        if !self.admin_listen.ip().is_loopback() {
            if self.admin_token.as_deref().is_none_or(str::is_empty) {
                return Err(format!(
                    "--admin-listen {} is not a loopback address: set --admin-token (or NEWSTAG_ADMIN_TOKEN) so that Reload is not open to the network",
                    self.admin_listen
                ));
            }
            if self.tls_cert.is_none() {
                return Err(format!(
                    "--admin-listen {} is not a loopback address: set --tls-cert and --tls-key so that the admin token does not cross the network in clear text",
                    self.admin_listen
                ));
            }
        }
        if self.tls_reload_interval.is_zero() {
            return Err("--tls-reload-interval must be above zero".into());
        }
        Ok(())
    }

    /// Drain time after a shutdown signal, capped at half the grace.
    pub fn drain(&self) -> Duration {
        self.shutdown_drain.min(self.shutdown_grace / 2)
    }
}

/// Parses `250ms`, `30s`, `2m`, `1h` (a bare number is seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("bad duration {text:?}: expected e.g. 500ms, 30s, 2m"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        _ => {
            return Err(format!(
                "bad duration unit {unit:?} in {text:?}: use ms, s, m or h"
            ));
        }
    };
    Duration::try_from_secs_f64(seconds).map_err(|error| format!("bad duration {text:?}: {error}"))
}

/// The gRPC message size limit for a `--max-article-bytes`: room for the largest article
/// plus the message around it, and never below tonic's 4 MiB default.
pub fn max_message_bytes(max_article_bytes: usize) -> usize {
    max_article_bytes
        .saturating_mul(2)
        .saturating_add(64 << 10)
        .max(4 << 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("2 weeks").is_err());
        assert!(parse_duration("fast").is_err());
    }
}
