//! Mentions of linked and unlinked entities alike: what coreference produces and aggregation
//! counts. A gazetteer mention keeps the form that matched; an unlinked one is its own text.

use super::discover::NameType;
use crate::proto::{Field, MentionKind};

/// The entity a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    /// A gazetteer entity, by index.
    Linked(u32),
    /// A name the gazetteer does not hold, by index into the article's [`Unlinked`] list.
    Unlinked(u32),
}

/// One mention of an entity.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub field: Field,
    /// Original byte offsets.
    pub start: usize,
    pub end: usize,
    pub target: Target,
    pub kind: MentionKind,
    /// The gazetteer form that matched; `None` for unlinked mentions.
    pub form: Option<u32>,
    /// Which rule decided, for explain mode.
    pub rule: &'static str,
    /// Only with explain (or for unlinked names): what else the rule looked at.
    pub detail: Option<String>,
    /// How sure the rule is, 0..1.
    pub confidence: f64,
}

/// A name the gazetteer does not hold, as one article names it.
#[derive(Debug, Clone)]
pub(crate) struct Unlinked {
    /// Normalised name: the last part of the id (`unlinked:person:<slug>`).
    pub slug: String,
    pub name_type: NameType,
    /// Display name: its first full spelling in the article.
    pub name: String,
    /// Words in the name.
    pub words: usize,
    /// Every piece of evidence that typed one of its mentions.
    pub evidence: Vec<&'static str>,
    /// The highest confidence of its own mentions.
    pub confidence: f64,
    /// Only a gazetteer place read as a sports side names it ("Aberdeen 4 Hearts 0"): an
    /// organisation here, but nothing an editor could add, so no discovery.
    pub team_reading: bool,
}

impl Unlinked {
    /// The entity id: `unlinked:<type>:<normalised name>`.
    pub(crate) fn id(&self) -> String {
        format!("unlinked:{}:{}", self.name_type.as_str(), self.slug)
    }
}
