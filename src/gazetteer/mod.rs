//! Gazetteers: loading, validating and compiling entity files, stop phrases and the topic
//! lexicon into an immutable [`Gazetteer`] snapshot.
//!
//! A snapshot is built completely aside and either succeeds whole or fails with every problem
//! listed (`path:line: reason`); nothing half-loaded ever serves. Tagging only ever reads a
//! snapshot, so swapping one for another (hot reload) never touches the tagging code.
//!
//! # Directory layout
//! Every file below the gazetteer directory is read in sorted path order, by kind:
//! - `*.tsv` — entity files (see [`format`] for columns);
//! - `*.topics` — the topic lexicon: IPTC Media Topics with parents and weighted keywords;
//! - `*.stop` — stop phrases, one per line, that never produce a tag and hide every entity
//!   match of the same or a shorter span inside them ("New Mexico", "Georgia Tech");
//! - `*.words` — common lower-case words; `*.cues` — name cues;
//! - `*.categories` — which topics each entity category is evidence for (clubs → sport);
//! - `*.model` — topic classifiers trained by `newstag topics train`;
//! - anything else (README, SOURCES.md) is ignored, as are names starting with `.`.

mod compile;
pub mod cues;
pub mod diff;
pub mod error;
mod first_words;
pub mod format;
pub mod import;
pub mod lint;
mod matcher;
pub mod source;

use std::collections::HashMap;
use std::path::Path;

pub(crate) use compile::MAX_WITHIN_DEPTH;
pub use error::{GazetteerError, Problem};
pub use format::EntityRecord;
pub use source::SourceFile;

pub(crate) use matcher::{Hit, Matcher};

use crate::proto::MentionKind;

/// An immutable, compiled gazetteer: what one request tags against from start to end.
#[derive(Debug)]
pub struct Gazetteer {
    /// `sha256:` and 16 hex digits of the content hash; identical content, identical version.
    pub version: String,
    /// Entities in file order; their index is their handle inside the engine.
    pub entities: Vec<Entity>,
    /// The topic lexicon.
    pub topics: TopicLexicon,
    /// Stop phrases as written.
    pub stop_phrases: Vec<String>,
    /// Files the snapshot was built from, as shown to operators.
    pub sources: Vec<String>,
    pub(crate) matcher: Matcher,
    /// Entity counts per type, sorted by type: counted once here rather than on every
    /// `GetGazetteerInfo` call and metrics scrape (a million entities take milliseconds).
    counts_by_type: Vec<(String, usize)>,
    /// The categories entities have, sorted: what `TagOptions.categories` may ask for.
    categories: Vec<String>,
    /// Entity payloads in the automaton, counted once for the same reason.
    alias_count: usize,
    /// Patterns that are common lower-case words (`*.words`): "Nice", "Reading", "Next".
    pub(crate) common_patterns: std::collections::HashSet<u32>,
    /// Name cues (`*.cues`): what types the names no entity row holds.
    pub cues: cues::NameCues,
    /// Topic classifiers (`*.model`), in file order.
    pub models: Vec<TopicModel>,
    /// Entity category → the topics it is evidence for, with weights (`*.categories`).
    pub category_topics: HashMap<String, Vec<(u32, f32)>>,
}

/// A topic classifier loaded from a gazetteer directory.
#[derive(Debug)]
pub struct TopicModel {
    /// The file it came from, as shown to operators.
    pub source: String,
    pub model: crate::classifier::Model,
}

/// The categories the entities have, sorted, without the empty one.
fn categories_of(entities: &[Entity]) -> std::collections::BTreeSet<&str> {
    entities
        .iter()
        .map(|e| e.record.category.as_str())
        .filter(|c| !c.is_empty())
        .collect()
}

/// A compiled entity.
#[derive(Debug)]
pub struct Entity {
    /// The row as written.
    pub record: EntityRecord,
    /// Indices into [`TopicLexicon::topics`] of the entity's `topics` column.
    pub topics: Vec<u32>,
    /// The containing entity (`within`), resolved.
    pub within: Option<u32>,
}

/// A topic of the lexicon.
#[derive(Debug, Clone)]
pub struct Topic {
    /// IPTC qcode, e.g. `medtop:11000000`.
    pub id: String,
    pub label: String,
    /// Index of the broader topic, which inherits this topic's score.
    pub parent: Option<u32>,
    /// Keywords with weights; supporting ones (`~word`) count only beside other evidence.
    pub keywords: Vec<format::Keyword>,
}

/// The topics of a gazetteer and their index by id.
#[derive(Debug, Default)]
pub struct TopicLexicon {
    pub topics: Vec<Topic>,
    pub index: HashMap<String, u32>,
    /// The topic that lists the cue `<score>`, if one does: match scores are its evidence.
    pub score_cue: Option<ScoreCue>,
}

/// How a lexicon writes the cue for match scores among a topic's keywords
/// (`crate::tagger::scores` finds them).
pub const SCORE_CUE: &str = "<score>";

/// The cue `<score>` of a lexicon: a match score found in the text counts as one occurrence
/// of a keyword of `topic` with this weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreCue {
    pub topic: u32,
    pub weight: f32,
    pub supporting: bool,
}

/// What a pattern of the automaton stands for. One pattern may stand for several things: an
/// alias shared by two entities, or a word that is both a name and a topic keyword.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Payload {
    Entity {
        entity: u32,
        kind: MentionKind,
        form: u32,
        /// The entity's case policy, copied here: acceptance judges every payload of every
        /// match, and reading the policy from the entity's record was a cache miss each time
        /// (a fifth of the scan's own time). It fits the enum's padding.
        case: crate::text::CasePolicy,
    },
    Stop {
        form: u32,
    },
    Keyword {
        topic: u32,
        form: u32,
        weight: f32,
        /// A supporting keyword (`~word`): counts only beside the topic's other evidence.
        supporting: bool,
    },
}

// Millions of payloads in a large gazetteer: the case policy must not grow them.
const _: () = assert!(std::mem::size_of::<Payload>() == 16);

impl Payload {
    /// The same payload pointing at form `form` (forms get their index once sorted).
    pub(crate) fn with_form(self, form: u32) -> Self {
        match self {
            Payload::Entity {
                entity, kind, case, ..
            } => Payload::Entity {
                entity,
                kind,
                form,
                case,
            },
            Payload::Stop { .. } => Payload::Stop { form },
            Payload::Keyword {
                topic,
                weight,
                supporting,
                ..
            } => Payload::Keyword {
                topic,
                form,
                weight,
                supporting,
            },
        }
    }
}

impl Gazetteer {
    /// Loads and compiles the gazetteer in `dir`.
    pub fn load_dir(dir: &Path) -> Result<Self, GazetteerError> {
        compile::compile(&source::read_dir(dir)?)
    }

    /// The default gazetteer embedded in the binary.
    pub fn bundled() -> Result<Self, GazetteerError> {
        compile::compile(&source::bundled_files())
    }

    /// The version the given files would have, without compiling them: a reload of identical
    /// content can stop here.
    pub fn content_version(files: &[SourceFile]) -> String {
        compile::version(files)
    }

    /// Compiles a gazetteer from files already in memory (tests, generators, the evaluator).
    pub fn from_files(files: &[SourceFile]) -> Result<Self, GazetteerError> {
        compile::compile(files)
    }

    /// The entities `entity` lies within, nearest first (bounded: `within` chains are checked
    /// at load time to end within `MAX_WITHIN_DEPTH`).
    pub fn ancestors(&self, entity: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors(self.entities[entity as usize].within, |&e| {
            self.entities[e as usize].within
        })
        .take(MAX_WITHIN_DEPTH)
    }

    /// `dir` when given, else the bundled set.
    pub fn load(dir: Option<&Path>) -> Result<Self, GazetteerError> {
        match dir {
            Some(dir) => Self::load_dir(dir),
            None => Self::bundled(),
        }
    }

    /// Assembles a snapshot, counting what operators are shown.
    fn new(
        version: String,
        entities: Vec<Entity>,
        (topics, stop_phrases): (TopicLexicon, Vec<String>),
        matcher: Matcher,
        sources: Vec<String>,
    ) -> Self {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for entity in &entities {
            *counts
                .entry(entity.record.entity_type.as_str())
                .or_default() += 1;
        }
        let mut counts_by_type: Vec<(String, usize)> =
            counts.into_iter().map(|(t, n)| (t.to_owned(), n)).collect();
        counts_by_type.sort();
        let categories = categories_of(&entities)
            .into_iter()
            .map(str::to_owned)
            .collect();
        let alias_count = matcher
            .payloads
            .iter()
            .filter(|p| matches!(p, Payload::Entity { .. }))
            .count();
        Self {
            version,
            entities,
            topics,
            stop_phrases,
            sources,
            matcher,
            counts_by_type,
            categories,
            alias_count,
            common_patterns: Default::default(),
            cues: Default::default(),
            models: Vec::new(),
            category_topics: HashMap::new(),
        }
    }

    /// Entity counts per type, sorted by type.
    pub fn counts_by_type(&self) -> &[(String, usize)] {
        &self.counts_by_type
    }

    /// The categories of the entities, sorted.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// Number of entity forms (names, aliases, acronyms, demonyms, derived forms) in the
    /// automaton.
    pub fn alias_count(&self) -> usize {
        self.alias_count
    }

    /// The normalised patterns of the automaton, sorted (benchmarks build their floor from
    /// them).
    pub fn patterns(&self) -> Vec<&str> {
        self.matcher.patterns.iter().collect()
    }

    /// Number of distinct patterns in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.matcher.patterns.len()
    }

    /// The aho-corasick kind that scans this snapshot's patterns unanchored fastest (the
    /// benchmarks' floor). The tagger's own walks may use another structure
    /// ([`Self::walk_structure`]).
    pub fn automaton_kind(&self) -> aho_corasick::AhoCorasickKind {
        self.matcher.kind()
    }

    /// What the tagger walks at word starts, chosen by the number of patterns: "DFA" (at most
    /// 1,000) or "double-array trie".
    pub fn walk_structure(&self) -> &'static str {
        self.matcher.walk_kind().name()
    }

    /// How many automata the patterns are split into (by first byte; built in parallel).
    pub fn automaton_shards(&self) -> usize {
        self.matcher.shard_count()
    }

    /// Heap bytes held by the automata themselves.
    pub fn automaton_bytes(&self) -> usize {
        self.matcher.automaton_bytes()
    }

    /// Heap bytes of the matcher: automata, pattern and form text, payloads.
    pub fn matcher_bytes(&self) -> usize {
        self.matcher.heap_bytes()
    }
}

/// A single in-memory file, for building small gazetteers in code.
pub fn file(relative: &str, text: &str) -> SourceFile {
    SourceFile {
        relative: relative.to_owned(),
        display: relative.to_owned(),
        bytes: text.as_bytes().to_vec(),
    }
}
