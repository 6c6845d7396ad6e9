//! The one place where errors become gRPC statuses. Messages say what to fix.

use std::time::Duration;

use tonic::codegen::http;
use tonic::{Code, Status};

use crate::tagger::{InterruptReason, TagError};

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ServiceError {
    /// The article itself is unusable.
    #[error(transparent)]
    Tag(#[from] TagError),
    /// Over `--max-article-bytes`.
    #[error(
        "article is {size} bytes (title + body), over the limit of {limit} bytes (--max-article-bytes): split it or ask the operator to raise the limit"
    )]
    ArticleTooLarge { size: usize, limit: usize },
    /// Bytes that are no `newstag.v1` message of the expected type (not protobuf, or a string
    /// field that is not UTF-8).
    #[error(
        "request is not a valid newstag.v1 {message}: {reason} (send the message encoded as protobuf; string fields must be UTF-8)"
    )]
    Undecodable { message: String, reason: String },
    /// A gRPC message over the transport's limit, refused before it is decoded.
    #[error(
        "request message is over the server's limit of {limit} bytes (twice --max-article-bytes plus 64 KiB, at least 4 MiB): send a smaller article or ask the operator to raise --max-article-bytes"
    )]
    MessageTooLarge { limit: usize },
    /// Over `--max-concurrent-requests`: shed at once rather than queue.
    #[error(
        "server is at its limit of {limit} concurrent calls (--max-concurrent-requests); retry with backoff"
    )]
    Overloaded { limit: usize },
    /// No gazetteer has been loaded yet.
    #[error("gazetteer is still loading; retry shortly")]
    NotReady,
    /// The call's deadline (the client's or `--request-timeout`) passed.
    #[error("deadline of {}ms passed before tagging finished", .0.as_millis())]
    DeadlineExceeded(Duration),
    /// A reload that cannot happen.
    #[error(transparent)]
    Reload(#[from] crate::reload::ReloadError),
    /// An Admin call without the right bearer token.
    #[error(
        "missing or wrong bearer token: send `authorization: Bearer <token>` with the server's --admin-token"
    )]
    Unauthenticated,
    /// The caller's request stream ended before its message had arrived whole: it reset the
    /// call (gave up, or its connection broke), so nobody is waiting for an answer. tonic
    /// reports such a read as INTERNAL ("h2 protocol error", or, when the reset reaches its
    /// decoder as the end of the stream, "Unexpected EOF decoding stream." and "Missing
    /// request message."), which would count a departed caller as our bug.
    #[error(
        "the request stream ended before its message arrived whole: the caller reset the call or closed it early"
    )]
    Reset,
    /// A bug or a crashed worker: never the caller's fault.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    /// The status code for this error.
    pub fn code(&self) -> Code {
        match self {
            Self::Tag(TagError::Interrupted(InterruptReason::DeadlineExceeded)) => {
                Code::DeadlineExceeded
            }
            Self::Tag(TagError::Interrupted(InterruptReason::Cancelled)) => Code::Cancelled,
            Self::Tag(TagError::Interrupted(InterruptReason::ShuttingDown)) => Code::Unavailable,
            Self::Tag(_) | Self::ArticleTooLarge { .. } | Self::Undecodable { .. } => {
                Code::InvalidArgument
            }
            Self::Overloaded { .. } | Self::MessageTooLarge { .. } => Code::ResourceExhausted,
            Self::NotReady => Code::Unavailable,
            Self::DeadlineExceeded(_) => Code::DeadlineExceeded,
            Self::Reload(crate::reload::ReloadError::NothingToReload) => Code::FailedPrecondition,
            Self::Reload(crate::reload::ReloadError::Rejected(_)) => Code::InvalidArgument,
            Self::Unauthenticated => Code::Unauthenticated,
            Self::Reset => Code::Cancelled,
            Self::Internal(_) => Code::Internal,
        }
    }
}

impl From<ServiceError> for Status {
    fn from(error: ServiceError) -> Self {
        Status::new(error.code(), error.to_string())
    }
}

/// Statuses produced by the transport before our code runs. tonic reports a message over the
/// size limit as OUT_OF_RANGE, in its own words; gRPC's convention (and what clients retry on)
/// is RESOURCE_EXHAUSTED, with a message naming the limit and the flag that sets it. newstag
/// never returns OUT_OF_RANGE itself, so the mapping is exact. A request stream the caller
/// broke off, which tonic calls INTERNAL, is CANCELLED ([`ServiceError::Reset`]).
pub fn from_transport(status: Status, limit: usize) -> Status {
    match status.code() {
        Code::OutOfRange => ServiceError::MessageTooLarge { limit }.into(),
        Code::Internal
            if status.message().starts_with(H2_ERROR) || BROKEN_OFF.contains(&status.message()) =>
        {
            ServiceError::Reset.into()
        }
        _ => status,
    }
}

/// How tonic's messages for a broken HTTP/2 stream start.
const H2_ERROR: &str = "h2 protocol error";

/// tonic's messages for a unary request stream that ended early: its decoder reads a reset
/// by the caller as the end of the stream, before or inside the message.
const BROKEN_OFF: [&str; 2] = [
    "Unexpected EOF decoding stream.",
    "Missing request message.",
];

/// [`from_transport`] for responses the generated code built from a decode failure
/// (trailers-only responses carry `grpc-status` and `grpc-message` in their headers): the
/// function of a `tower::util::MapResponseLayer` around the gRPC services.
pub fn transport_status(
    limit: usize,
) -> impl Fn(http::Response<tonic::body::Body>) -> http::Response<tonic::body::Body> + Clone {
    move |mut response| {
        let headers = response.headers_mut();
        // The same mapping as for a stream's status: decoded from the headers (tonic
        // percent-decodes the message), mapped, written back only when it changed.
        if let Some(status) = Status::from_header_map(headers) {
            let mapped = from_transport(status.clone(), limit);
            if mapped.code() != status.code() {
                headers.insert("grpc-status", http::HeaderValue::from(mapped.code() as i32));
                // Our messages are ASCII without '%': valid as a header, no percent-encoding.
                if let Ok(message) = http::HeaderValue::from_str(mapped.message()) {
                    headers.insert("grpc-message", message);
                }
            }
        }
        response
    }
}

/// The client's deadline from the `grpc-timeout` header, if it sent one.
pub fn client_deadline(metadata: &tonic::metadata::MetadataMap) -> Option<Duration> {
    grpc_timeout(metadata.as_ref())
}

/// [`client_deadline`] from raw HTTP headers, for tower layers.
pub fn grpc_timeout(headers: &http::HeaderMap) -> Option<Duration> {
    headers
        .get("grpc-timeout")
        .and_then(|value| value.to_str().ok())
        .and_then(parse_grpc_timeout)
}

/// The client's deadline capped by the server's own limit.
pub fn deadline(metadata: &tonic::metadata::MetadataMap, server_limit: Duration) -> Duration {
    client_deadline(metadata).map_or(server_limit, |client| client.min(server_limit))
}

/// `grpc-timeout` values: up to 8 digits and a unit (H, M, S, m, u, n).
fn parse_grpc_timeout(value: &str) -> Option<Duration> {
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    let amount: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(amount.checked_mul(3600)?),
        "M" => Duration::from_secs(amount.checked_mul(60)?),
        "S" => Duration::from_secs(amount),
        "m" => Duration::from_millis(amount),
        "u" => Duration::from_micros(amount),
        "n" => Duration::from_nanos(amount),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(
            ServiceError::Tag(TagError::EmptyArticle).code(),
            Code::InvalidArgument
        );
        assert_eq!(
            ServiceError::ArticleTooLarge { size: 2, limit: 1 }.code(),
            Code::InvalidArgument
        );
        assert_eq!(
            ServiceError::Overloaded { limit: 1 }.code(),
            Code::ResourceExhausted
        );
        assert_eq!(
            ServiceError::DeadlineExceeded(Duration::ZERO).code(),
            Code::DeadlineExceeded
        );
        assert_eq!(
            ServiceError::Tag(TagError::Interrupted(InterruptReason::DeadlineExceeded)).code(),
            Code::DeadlineExceeded
        );
        assert_eq!(
            ServiceError::Tag(TagError::Interrupted(InterruptReason::Cancelled)).code(),
            Code::Cancelled
        );
        let reset = from_transport(
            Status::internal("h2 protocol error: stream no longer needed"),
            1,
        );
        assert_eq!(reset.code(), Code::Cancelled);
        for message in [
            "Unexpected EOF decoding stream.",
            "Missing request message.",
        ] {
            assert_eq!(
                from_transport(Status::internal(message), 1).code(),
                Code::Cancelled,
                "{message}"
            );
        }
        assert_eq!(
            from_transport(Status::internal("a real bug"), 1).code(),
            Code::Internal
        );
        let large = from_transport(Status::out_of_range("too large"), 4 << 20);
        assert_eq!(large.code(), Code::ResourceExhausted);
        assert!(
            large.message().contains("limit of 4194304 bytes")
                && large.message().contains("--max-article-bytes")
        );
        assert_eq!(
            ServiceError::Undecodable {
                message: "TagRequest".into(),
                reason: "bad".into()
            }
            .code(),
            Code::InvalidArgument
        );
    }

    #[test]
    fn grpc_timeouts() {
        assert_eq!(parse_grpc_timeout("100m"), Some(Duration::from_millis(100)));
        assert_eq!(parse_grpc_timeout("2S"), Some(Duration::from_secs(2)));
        assert_eq!(parse_grpc_timeout("0n"), Some(Duration::ZERO));
        assert_eq!(parse_grpc_timeout("x"), None);
        assert_eq!(parse_grpc_timeout(""), None);
    }
}
