//! gRPC services. This layer only converts messages, enforces limits and maps errors
//! ([`status`]); the engine lives in [`crate::tagger`].

pub mod health;
pub mod status;
pub mod tagger;

pub use status::ServiceError;
pub use tagger::{Limits, ServiceState, TaggerService};
