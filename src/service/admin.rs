//! `newstag.v1.Admin`: `Reload` and `GetDiscoveries`, on their own listener, behind an optional
//! bearer token.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::ServiceError;
use crate::proto::admin_server::Admin;
use crate::proto::{GetDiscoveriesRequest, GetDiscoveriesResponse, ReloadRequest, ReloadResponse};
use crate::reload::{ReloadError, ReloadOutcome, Reloader};

/// The Admin service.
#[derive(Debug, Clone)]
pub struct AdminService {
    reloader: Arc<Reloader>,
}

impl AdminService {
    /// A service reloading through `reloader` (whose gazetteer holder keeps the discovery
    /// sketch).
    pub fn new(reloader: Arc<Reloader>) -> Self {
        Self { reloader }
    }
}

/// Most names one `GetDiscoveries` answer lists, whatever the limit asked.
const MAX_DISCOVERIES: usize = 10_000;

#[tonic::async_trait]
impl Admin for AdminService {
    async fn reload(&self, _: Request<ReloadRequest>) -> Result<Response<ReloadResponse>, Status> {
        let result = match self.reloader.reload("admin").await {
            Ok(ReloadOutcome::Swapped(diff)) => Ok(ReloadResponse {
                ok: true,
                version: diff.to_version.clone(),
                swapped: true,
                errors: Vec::new(),
                diff: Some(super::diff_message(&diff)),
            }),
            Ok(ReloadOutcome::Unchanged { version }) => Ok(ReloadResponse {
                ok: true,
                version,
                swapped: false,
                errors: Vec::new(),
                diff: None,
            }),
            Err(ReloadError::Rejected(error)) => Ok(ReloadResponse {
                ok: false,
                version: self.reloader.serving_version().unwrap_or_default(),
                swapped: false,
                errors: error.problems.iter().map(ToString::to_string).collect(),
                diff: None,
            }),
            Err(error) => Err(Status::from(ServiceError::from(error))),
        };
        result.map(Response::new)
    }

    async fn get_discoveries(
        &self,
        request: Request<GetDiscoveriesRequest>,
    ) -> Result<Response<GetDiscoveriesResponse>, Status> {
        let request = request.into_inner();
        let limit = match request.limit as usize {
            0 => MAX_DISCOVERIES,
            n => n.min(MAX_DISCOVERIES),
        };
        let shared = self.reloader.shared();
        let result = shared
            .with_discoveries(|sketch| GetDiscoveriesResponse {
                discoveries: sketch.top(limit, &request.types),
                articles: sketch.articles(),
                gazetteer_version: self.reloader.serving_version().unwrap_or_default(),
                capacity: u32::try_from(sketch.capacity()).unwrap_or(u32::MAX),
            })
            .ok_or_else(|| {
                Status::from(ServiceError::Internal(
                    "the discovery sketch is unavailable (a tagging thread panicked while recording)"
                        .to_owned(),
                ))
            });
        result.map(Response::new)
    }
}

/// Requires `authorization: Bearer <token>` when a token is configured.
pub fn bearer_check(
    token: Option<String>,
) -> impl FnMut(Request<()>) -> Result<Request<()>, Status> + Clone {
    let expected: Option<Arc<[u8]>> = token
        .filter(|t| !t.is_empty())
        .map(|t| Arc::from(format!("Bearer {t}").into_bytes()));
    move |request: Request<()>| {
        let Some(expected) = &expected else {
            return Ok(request);
        };
        let given = request
            .metadata()
            .get("authorization")
            .map(|v| v.as_bytes())
            .unwrap_or_default();
        if constant_time_eq(given, expected) {
            Ok(request)
        } else {
            Err(Status::from(ServiceError::Unauthenticated))
        }
    }
}

/// Compares without stopping at the first difference, so timing does not leak the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_check() {
        let mut check = bearer_check(Some("s3cret".into()));
        let mut good = Request::new(());
        good.metadata_mut()
            .insert("authorization", "Bearer s3cret".parse().unwrap());
        assert!(check(good).is_ok());
        let mut bad = Request::new(());
        bad.metadata_mut()
            .insert("authorization", "Bearer nope".parse().unwrap());
        assert_eq!(check(bad).unwrap_err().code(), tonic::Code::Unauthenticated);
        assert_eq!(
            check(Request::new(())).unwrap_err().code(),
            tonic::Code::Unauthenticated
        );
        let mut open = bearer_check(None);
        assert!(open(Request::new(())).is_ok());
    }
}
