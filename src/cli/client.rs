//! `newstag client`: call a running server — health, gazetteer info, tag a file — with the
//! same binary, so a user (or a container smoke test) needs no grpcurl and no generated code.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};

use crate::proto::tagger_client::TaggerClient;
use crate::proto::{Article, GetGazetteerInfoRequest, TagOptions, TagRequest};

/// Arguments of `newstag client`.
#[derive(Debug, clap::Args)]
pub struct ClientArgs {
    /// The server's gRPC address (`https://` with `--ca-cert`).
    #[arg(
        long,
        env = "NEWSTAG_SERVER",
        value_name = "URL",
        default_value = "http://127.0.0.1:50051"
    )]
    server: String,
    /// PEM CA certificate to verify a TLS server with.
    #[arg(long, value_name = "FILE")]
    ca_cert: Option<PathBuf>,
    /// The name the server's certificate carries, when it is not the URL's host.
    #[arg(long, value_name = "NAME", requires = "ca_cert")]
    tls_name: Option<String>,
    /// Deadline of the call (`grpc-timeout`).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = crate::config::parse_duration)]
    timeout: Duration,
    #[command(subcommand)]
    call: Call,
}

/// The call to make.
#[derive(Debug, clap::Subcommand)]
enum Call {
    /// grpc.health.v1 Check; prints the status, exit 0 only when SERVING.
    Health {
        /// The service to ask about: "" (the server), "readiness", "liveness" or
        /// "newstag.v1.Tagger".
        #[arg(long, default_value = "")]
        service: String,
        /// Keep asking (every 200 ms) until SERVING or this long has passed: for scripts that
        /// start a server and wait for its gazetteer.
        #[arg(long, value_name = "DURATION", default_value = "0s", value_parser = crate::config::parse_duration)]
        wait: Duration,
    },
    /// Tagger/GetGazetteerInfo: version, source, counts, last reload.
    Info,
    /// Tagger/Tag of one file (`-` or nothing: standard input), as JSON.
    Tag {
        /// The article's title.
        #[arg(long, value_name = "TITLE")]
        title: Option<String>,
        /// The article's id, echoed in the response.
        #[arg(long, value_name = "ID", default_value = "")]
        id: String,
        /// Explain every tag.
        #[arg(long)]
        explain: bool,
        /// The article body.
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
}

pub(super) fn run(args: &ClientArgs) -> Result<ExitCode, ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| fail(format!("cannot start the runtime: {error}")))?;
    runtime.block_on(call(args))
}

fn fail(message: String) -> ExitCode {
    eprintln!("newstag client: {message}");
    ExitCode::FAILURE
}

async fn connect(args: &ClientArgs) -> Result<Channel, ExitCode> {
    open(args).await.map_err(fail)
}

/// A channel to `--server`, or what stood in the way.
async fn open(args: &ClientArgs) -> Result<Channel, String> {
    let mut endpoint = Endpoint::from_shared(args.server.clone())
        .map_err(|error| format!("bad --server {:?}: {error}", args.server))?
        .connect_timeout(args.timeout)
        .timeout(args.timeout);
    if let Some(path) = &args.ca_cert {
        let pem = std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
        let mut tls = ClientTlsConfig::new().ca_certificate(Certificate::from_pem(pem));
        if let Some(name) = &args.tls_name {
            tls = tls.domain_name(name.clone());
        }
        endpoint = endpoint
            .tls_config(tls)
            .map_err(|error| format!("TLS: {}", chain(&error)))?;
    }
    endpoint
        .connect()
        .await
        .map_err(|error| format!("cannot connect to {}: {}", args.server, chain(&error)))
}

/// An error and its sources: tonic's "transport error" alone does not say what failed.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A failed call: its code and message, as the server sent them.
fn status(error: &tonic::Status) -> ExitCode {
    fail(format!("{:?}: {}", error.code(), error.message()))
}

fn print_json(value: &impl serde::Serialize) -> Result<ExitCode, ExitCode> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|error| fail(format!("cannot render JSON: {error}")))?;
    emit(&text)
}

/// Writes `text` and a newline to standard output; a reader that closed the pipe (`| head`)
/// is their choice, not an error.
fn emit(text: &str) -> Result<ExitCode, ExitCode> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(error) => Err(fail(format!("cannot write output: {error}"))),
    }
}

async fn call(args: &ClientArgs) -> Result<ExitCode, ExitCode> {
    if let Call::Health { service, wait } = &args.call {
        return health(args, service, *wait).await;
    }
    let channel = connect(args).await?;
    match &args.call {
        Call::Health { .. } => unreachable!("answered above"),
        Call::Info => {
            let info = TaggerClient::new(channel)
                .get_gazetteer_info(GetGazetteerInfoRequest {})
                .await
                .map_err(|e| status(&e))?
                .into_inner();
            use std::fmt::Write as _;
            let mut text = String::new();
            let _ = writeln!(text, "version: {}", info.version);
            let _ = writeln!(text, "source: {}", info.source);
            if let Some(at) = info.loaded_at {
                let _ = writeln!(text, "loaded_at: {at}");
            }
            let _ = writeln!(text, "entities: {}", info.entity_count);
            let mut types: Vec<_> = info.entities_by_type.iter().collect();
            types.sort();
            for (entity_type, n) in types {
                let _ = writeln!(text, "  {entity_type}: {n}");
            }
            let _ = writeln!(text, "aliases: {}", info.alias_count);
            let _ = writeln!(text, "topics: {}", info.topic_count);
            if let Some(reload) = info.last_reload {
                let _ = writeln!(
                    text,
                    "last_reload: {} ({}){}",
                    if reload.ok { "ok" } else { "failed" },
                    reload.trigger,
                    reload
                        .errors
                        .first()
                        .map(|e| format!(": {e}"))
                        .unwrap_or_default()
                );
            }
            emit(text.trim_end())
        }
        Call::Tag {
            title,
            id,
            explain,
            file,
        } => {
            let body = read_body(file.as_deref())?;
            let request = TagRequest {
                article: Some(Article {
                    id: id.clone(),
                    title: title.clone().unwrap_or_default(),
                    body,
                    ..Article::default()
                }),
                options: Some(TagOptions {
                    explain: *explain,
                    ..TagOptions::default()
                }),
            };
            let response = TaggerClient::new(channel)
                .max_decoding_message_size(usize::MAX)
                .max_encoding_message_size(usize::MAX)
                .tag(request)
                .await
                .map_err(|e| status(&e))?
                .into_inner();
            print_json(&response)
        }
    }
}

/// Asks until SERVING or `wait` has passed; prints the last answer.
async fn health(args: &ClientArgs, service: &str, wait: Duration) -> Result<ExitCode, ExitCode> {
    use tonic_health::pb::health_check_response::ServingStatus;
    let until = std::time::Instant::now() + wait;
    loop {
        let last = async {
            let channel = open(args).await?;
            let response = tonic_health::pb::health_client::HealthClient::new(channel)
                .check(tonic_health::pb::HealthCheckRequest {
                    service: service.to_owned(),
                })
                .await
                .map_err(|e| format!("{:?}: {}", e.code(), e.message()))?
                .into_inner();
            Ok::<_, String>(
                ServingStatus::try_from(response.status).unwrap_or(ServingStatus::Unknown),
            )
        }
        .await;
        let done = std::time::Instant::now() >= until;
        match last {
            Ok(ServingStatus::Serving) => return emit("SERVING"),
            Ok(other) if done => {
                emit(other.as_str_name())?;
                return Ok(ExitCode::FAILURE);
            }
            Err(message) if done => return Err(fail(message)),
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

fn read_body(file: Option<&std::path::Path>) -> Result<String, ExitCode> {
    match file {
        None => read_stdin(),
        Some(path) if path.as_os_str() == "-" => read_stdin(),
        Some(path) => std::fs::read_to_string(path)
            .map_err(|error| fail(format!("{}: {error}", path.display()))),
    }
}

fn read_stdin() -> Result<String, ExitCode> {
    let mut body = String::new();
    std::io::stdin()
        .read_to_string(&mut body)
        .map_err(|error| fail(format!("standard input: {error}")))?;
    Ok(body)
}
