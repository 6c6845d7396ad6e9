//! gRPC services. This layer only converts messages, enforces limits and maps errors
//! ([`status`]); the engine lives in [`crate::tagger`], reloading in [`crate::reload`].

pub mod abandoned;
pub mod admin;
pub mod codec;
pub mod health;
pub mod status;
pub mod tagger;

pub use status::ServiceError;
pub use tagger::{Limits, ServiceState, TaggerService};

use crate::gazetteer::diff::Diff;
use crate::proto::{GazetteerDiff, TypeDiff};

/// Ids listed per kind of change in a diff message; the counts are always exact.
const DIFF_IDS: usize = 50;

/// The API form of a diff.
pub(crate) fn diff_message(diff: &Diff) -> GazetteerDiff {
    let ids = |ids: &[String]| ids.iter().take(DIFF_IDS).cloned().collect();
    GazetteerDiff {
        from_version: diff.from_version.clone(),
        to_version: diff.to_version.clone(),
        types: diff
            .types
            .iter()
            .map(|t| TypeDiff {
                r#type: t.entity_type.clone(),
                added: t.added.len() as u64,
                removed: t.removed.len() as u64,
                changed: t.changed.len() as u64,
                added_ids: ids(&t.added),
                removed_ids: ids(&t.removed),
                changed_ids: ids(&t.changed),
            })
            .collect(),
    }
}
