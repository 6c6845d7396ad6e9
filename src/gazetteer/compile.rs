//! Compiling parsed records into an immutable [`Gazetteer`] snapshot: cross-file checks, the
//! derived forms (dotted acronyms, person surnames), and the Aho-Corasick automaton (one, or
//! one per first-byte shard for large sets; see `matcher`) that holds every name, alias,
//! acronym, demonym, stop phrase and topic keyword.

use std::collections::hash_map;
use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};

use super::error::{GazetteerError, Problems};
use super::format::{self, CategoryTopicRecord, EntityRecord, StopRecord, TopicRecord};
use super::matcher::StrTable;
use super::source::{FileKind, SourceFile};
use super::{Entity, Gazetteer, Matcher, Payload, SCORE_CUE, ScoreCue, Topic, TopicLexicon};
use crate::proto::MentionKind;
use crate::text::normalise;

/// Builds a snapshot from a gazetteer's files. Any problem rejects the whole gazetteer.
pub fn compile(files: &[SourceFile]) -> Result<Gazetteer, GazetteerError> {
    let compiled = compile_with(files, Matcher::shards_for);
    // The build's scaffolding (records, entries, the automaton's construction tables) is
    // freed by now: hand it back.
    crate::memory::release_free_memory();
    compiled
}

/// [`compile`] with the number of automaton shards for a pattern count chosen by `shards`.
///
/// The entity files are parsed on this thread (a large one in stretches on the build
/// threads); meanwhile one thread parses every other file and another hashes the content for
/// the version (SHA-256 over the bundled set's 20 MB). Each file's problems are kept apart
/// and joined in file order, so they read as a parse of one file after another.
fn compile_with(
    files: &[SourceFile],
    shards: fn(usize) -> usize,
) -> Result<Gazetteer, GazetteerError> {
    std::thread::scope(|scope| {
        let hashing = scope.spawn(|| version(files));
        let others = scope.spawn(|| Others::parse(files));
        let threads = super::matcher::build_threads();
        // Records arrive in runs (a file, or a stretch of a large file parsed on its own
        // thread) and are moved once, into the entity table, which is sized for all of them.
        let mut records = Vec::new();
        let mut found = Vec::new();
        for (index, file) in files.iter().enumerate() {
            if FileKind::of(&file.relative) == Some(FileKind::Entities) {
                let mut problems = Problems::default();
                format::parse_entities(file, threads, &mut problems, &mut records);
                found.push((index, problems));
            }
        }
        let no_entity_files = found.is_empty();
        let mut problems = Problems::default();
        let others = match others.join() {
            Ok(others) => others,
            Err(_) => {
                problems.add_file(super::error::WHOLE, "parsing the lexicons failed");
                Others::default()
            }
        };
        found.extend(others.problems);
        found.sort_by_key(|&(index, _)| index);
        problems.0.extend(found.into_iter().flat_map(|(_, p)| p.0));
        if no_entity_files {
            problems.add_file(super::error::WHOLE, "no *.tsv entity files");
        }
        let lexicon = build_lexicon(others.topics, &mut problems);
        let entities = build_entities(records, &lexicon, &mut problems);
        let category_topics =
            build_category_topics(others.category_topics, &entities, &lexicon, &mut problems);
        problems.into_result()?;
        let matcher = build_matcher(&entities, &lexicon, &others.stops, shards)?;
        // A few hundred words looked up among the sorted patterns, rather than each of the
        // 245,000 patterns hashed and looked up among the words.
        let common_patterns = others
            .common_words
            .iter()
            .filter_map(|word| matcher.patterns.find_sorted(word))
            .map(|p| p as u32)
            .collect();
        let version = hashing.join().unwrap_or_else(|_| version(files));
        let mut gazetteer = Gazetteer::new(
            version,
            entities,
            (
                lexicon,
                others.stops.into_iter().map(|s| s.phrase).collect(),
            ),
            matcher,
            files.iter().map(|f| f.display.clone()).collect(),
        );
        gazetteer.common_patterns = common_patterns;
        gazetteer.cues = others.cues;
        gazetteer.models = others.models;
        gazetteer.category_topics = category_topics;
        Ok(gazetteer)
    })
}

/// What the files other than entity files hold, and their problems by file index.
#[derive(Default)]
struct Others {
    topics: Vec<TopicRecord>,
    stops: Vec<StopRecord>,
    /// Looked up among the patterns one by one, so a repeated word costs one more search.
    common_words: Vec<String>,
    cues: super::cues::NameCues,
    models: Vec<super::TopicModel>,
    category_topics: Vec<CategoryTopicRecord>,
    problems: Vec<(usize, Problems)>,
}

impl Others {
    /// Parses every file that is not an entity file, in file order.
    fn parse(files: &[SourceFile]) -> Self {
        let mut others = Self::default();
        for (index, file) in files.iter().enumerate() {
            let mut problems = Problems::default();
            match FileKind::of(&file.relative) {
                Some(FileKind::Entities) | None => continue,
                Some(FileKind::Topics) => others
                    .topics
                    .extend(format::parse_topics(file, &mut problems)),
                Some(FileKind::StopPhrases) => others
                    .stops
                    .extend(format::parse_stop_phrases(file, &mut problems)),
                Some(FileKind::CommonWords) => others
                    .common_words
                    .extend(format::parse_common_words(file, &mut problems)),
                Some(FileKind::NameCues) => {
                    super::cues::parse_cues(file, &mut others.cues, &mut problems)
                }
                Some(FileKind::CategoryTopics) => others
                    .category_topics
                    .extend(format::parse_category_topics(file, &mut problems)),
                Some(FileKind::TopicModel) => {
                    if let Some(text) = format::decode(file, &mut problems) {
                        match crate::classifier::Model::parse(text) {
                            Ok(model) => others.models.push(super::TopicModel {
                                source: file.display.clone(),
                                model,
                            }),
                            Err(found) => {
                                for (line, reason) in found {
                                    problems.add(&file.display, line, reason);
                                }
                            }
                        }
                    }
                }
            }
            others.problems.push((index, problems));
        }
        others
    }
}

/// A content hash over every file's relative path and bytes: identical content, identical
/// version, wherever the directory lives.
pub(crate) fn version(files: &[SourceFile]) -> String {
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.relative.as_bytes());
        hasher.update([0]);
        hasher.update((file.bytes.len() as u64).to_le_bytes());
        hasher.update(&file.bytes);
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Remembers where each id was first defined, so a second definition names both places.
struct FirstSeen {
    /// Where each id was first defined: its file's index in `paths`, and its line. foldhash
    /// and room for every row up front: a million-row gazetteer claims a million ids.
    ids: HashMap<String, (u32, usize), foldhash::fast::RandomState>,
    /// The files seen so far. Rows arrive file by file, so each file is stored once instead
    /// of once per row.
    paths: Vec<String>,
}

impl FirstSeen {
    /// Room for `rows` ids.
    fn with_capacity(rows: usize) -> Self {
        Self {
            ids: HashMap::with_capacity_and_hasher(rows, Default::default()),
            paths: Vec::new(),
        }
    }

    /// True when `id` is new; otherwise records the duplicate at `path:line`.
    fn claim(
        &mut self,
        what: &str,
        id: &str,
        (path, line): (&str, usize),
        problems: &mut Problems,
    ) -> bool {
        if let Some(&(first_path, first_line)) = self.ids.get(id) {
            let first_path = &self.paths[first_path as usize];
            problems.add(
                path,
                line,
                format!("duplicate {what} {id:?} (first defined at {first_path}:{first_line})"),
            );
            return false;
        }
        if self.paths.last().map(String::as_str) != Some(path) {
            self.paths.push(path.to_owned());
        }
        let file = (self.paths.len() - 1) as u32;
        self.ids.insert(id.to_owned(), (file, line));
        true
    }
}

fn build_lexicon(records: Vec<TopicRecord>, problems: &mut Problems) -> TopicLexicon {
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut first_seen = FirstSeen::with_capacity(records.len());
    let mut kept = Vec::new();
    for record in records {
        if !first_seen.claim(
            "topic id",
            &record.id,
            (&record.path, record.line),
            problems,
        ) {
            continue;
        }
        index.insert(record.id.clone(), kept.len() as u32);
        kept.push(record);
    }
    let mut topics: Vec<Topic> = Vec::with_capacity(kept.len());
    for record in &kept {
        let parent = match &record.parent {
            None => None,
            Some(parent) => match index.get(parent) {
                Some(&p) => Some(p),
                None => {
                    problems.add(
                        &record.path,
                        record.line,
                        format!("unknown parent topic {parent:?}"),
                    );
                    None
                }
            },
        };
        topics.push(Topic {
            id: record.id.clone(),
            label: record.label.clone(),
            parent,
            keywords: record.keywords.clone(),
        });
    }
    // A cycle would make inheritance loop forever.
    for (start, record) in kept.iter().enumerate() {
        let mut current = topics[start].parent;
        let mut steps = 0;
        while let Some(p) = current {
            steps += 1;
            if p as usize == start || steps > topics.len() {
                problems.add(
                    &record.path,
                    record.line,
                    format!("topic {:?} is its own ancestor", record.id),
                );
                break;
            }
            current = topics[p as usize].parent;
        }
    }
    // One topic's evidence: listed under two, a score would count twice.
    let mut score_cue: Option<(ScoreCue, &TopicRecord)> = None;
    for (topic, record) in kept.iter().enumerate() {
        for keyword in record.keywords.iter().filter(|k| k.phrase == SCORE_CUE) {
            match &score_cue {
                Some((_, first)) => problems.add(
                    &record.path,
                    record.line,
                    format!(
                        "cue {SCORE_CUE:?} is listed under {:?} ({}:{}) already",
                        first.id, first.path, first.line
                    ),
                ),
                None => {
                    score_cue = Some((
                        ScoreCue {
                            topic: topic as u32,
                            weight: keyword.weight,
                            supporting: keyword.supporting,
                        },
                        record,
                    ))
                }
            }
        }
    }
    TopicLexicon {
        topics,
        index,
        score_cue: score_cue.map(|(cue, _)| cue),
    }
}

/// Checks a category mapping against the gazetteer: its topic must be in the lexicon and its
/// category one that some entity has (a misspelt category would silently map nothing), each
/// pair once.
fn build_category_topics(
    records: Vec<CategoryTopicRecord>,
    entities: &[Entity],
    lexicon: &TopicLexicon,
    problems: &mut Problems,
) -> HashMap<String, Vec<(u32, f32)>> {
    let categories = super::categories_of(entities);
    let mut seen: HashMap<(String, u32), (String, usize)> = HashMap::new();
    let mut mapping: HashMap<String, Vec<(u32, f32)>> = HashMap::new();
    for record in records {
        let at = (record.path.as_str(), record.line);
        let Some(&topic) = lexicon.index.get(&record.topic) else {
            problems.add(at.0, at.1, format!("unknown topic {:?}", record.topic));
            continue;
        };
        if !categories.contains(record.category.as_str()) {
            // Categories sharing the first three letters: a typo's likely intent. `get` keeps
            // a category of any script from being cut inside a character.
            let stem = |s: &str| s.get(..3).map_or(s.len(), str::len);
            let near: Vec<&str> = categories
                .iter()
                .copied()
                .filter(|c| {
                    c.starts_with(&record.category[..stem(&record.category)])
                        || record.category.starts_with(&c[..stem(c)])
                })
                .take(5)
                .collect();
            problems.add(
                at.0,
                at.1,
                format!(
                    "no entity has category {:?}{}",
                    record.category,
                    if near.is_empty() {
                        String::new()
                    } else {
                        format!(" (did you mean {}?)", near.join(", "))
                    }
                ),
            );
            continue;
        }
        let key = (record.category.clone(), topic);
        if let Some((path, line)) = seen.get(&key) {
            problems.add(
                at.0,
                at.1,
                format!(
                    "category {:?} mapped to {:?} twice (first at {path}:{line})",
                    record.category, record.topic
                ),
            );
            continue;
        }
        seen.insert(key, (record.path.clone(), record.line));
        mapping
            .entry(record.category)
            .or_default()
            .push((topic, record.weight));
    }
    mapping
}

fn build_entities(
    runs: Vec<Vec<EntityRecord>>,
    lexicon: &TopicLexicon,
    problems: &mut Problems,
) -> Vec<Entity> {
    let count = runs.iter().map(Vec::len).sum();
    let mut first_seen = FirstSeen::with_capacity(count);
    let mut entities = Vec::with_capacity(count);
    for record in runs.into_iter().flatten() {
        if !first_seen.claim("id", &record.id, (&record.path, record.line), problems) {
            continue;
        }
        let mut topic_indices = Vec::new();
        for topic in &record.topics {
            match lexicon.index.get(topic) {
                Some(&index) => topic_indices.push(index),
                None => problems.add(
                    &record.path,
                    record.line,
                    format!("unknown topic {topic:?} (not in any *.topics lexicon)"),
                ),
            }
        }
        entities.push(Entity {
            topics: topic_indices,
            within: None,
            record,
        });
    }
    link_within(&mut entities, problems);
    entities
}

/// Resolves every `within` id to its entity and rejects unknown ids and loops (a city within
/// itself, or a region within its own city), each at the row that names it.
fn link_within(entities: &mut [Entity], problems: &mut Problems) {
    let index: HashMap<&str, u32> = entities
        .iter()
        .enumerate()
        .map(|(i, e)| (e.record.id.as_str(), i as u32))
        .collect();
    let links: Vec<Option<u32>> = entities
        .iter()
        .map(|entity| {
            let within = entity.record.within.as_str();
            if within.is_empty() {
                return None;
            }
            let found = index.get(within).copied();
            if found.is_none() {
                problems.add(
                    &entity.record.path,
                    entity.record.line,
                    format!("within: unknown id {within:?} (no entity has it)"),
                );
            }
            found
        })
        .collect();
    for (start, entity) in entities.iter().enumerate() {
        let mut current = links[start];
        let mut steps = 0;
        while let Some(next) = current {
            steps += 1;
            if next as usize == start || steps > MAX_WITHIN_DEPTH {
                problems.add(
                    &entity.record.path,
                    entity.record.line,
                    format!(
                        "within: {:?} is inside itself (or the chain is deeper than {MAX_WITHIN_DEPTH})",
                        entity.record.id
                    ),
                );
                break;
            }
            current = links[next as usize];
        }
    }
    for (entity, link) in entities.iter_mut().zip(links) {
        entity.within = link;
    }
}

/// City → district → region → country → union needs a handful of steps; a longer chain is a
/// loop or a mistake, and a bound keeps every walk along `within` short at tagging time.
pub(crate) const MAX_WITHIN_DEPTH: usize = 8;

/// English function words that are some politician's last word ("Ebrahimi To", "Nguyen Thi
/// Them"): never derived as surnames.
const FUNCTION_WORDS: &[&str] = &[
    "the", "and", "for", "but", "not", "you", "she", "his", "her", "its", "our", "who", "why",
    "how", "was", "are", "has", "had", "can", "may", "all", "any", "one", "two", "new", "now",
    "out", "off", "own", "say", "see", "too", "way", "yet", "them", "then", "than", "that", "this",
    "with", "will", "from", "have", "been", "were", "said", "also", "into", "more", "most", "some",
    "such", "only", "over", "when", "what", "they", "their", "there",
];

/// Suffixes that are not surnames ("Martin Luther King Jr.").
const NAME_SUFFIXES: &[&str] = &["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"];

/// Lower-case particles that belong to a surname ("Ursula von der Leyen" → "von der Leyen").
const SURNAME_PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "del", "della", "da", "das", "dos", "du", "di", "la", "le",
    "al", "el", "bin", "ibn", "ter", "ten",
];

/// The surname derived from a multi-word person name: its last word that is not a suffix,
/// with the lower-case particles before it. Regnal names ("Carl XVI Gustaf of Sweden") have
/// none: their last word is a country.
pub(crate) fn surname(name: &str) -> Option<String> {
    let words: Vec<&str> = name
        .split_whitespace()
        .map(|w| w.trim_end_matches(','))
        .collect();
    if words.len() < 2 || words.contains(&"of") {
        return None;
    }
    let is_suffix = |word: &str| {
        let lower = word.to_lowercase();
        // Generational suffixes and regnal numbers ("Mohammed VI").
        NAME_SUFFIXES.contains(&lower.as_str())
            || lower
                .trim_end_matches('.')
                .chars()
                .all(|c| matches!(c, 'i' | 'v' | 'x'))
    };
    let mut end = words.len();
    while end > 1 && is_suffix(words[end - 1]) {
        end -= 1;
    }
    let mut start = end - 1;
    while start > 1 && SURNAME_PARTICLES.contains(&words[start - 1]) {
        start -= 1;
    }
    let surname = words[start..end].join(" ");
    // "Yahya Ebrahimi To", "Lâm He": a two-letter surname or a function word would be a
    // candidate at every "to" and "He" of every article, for a person rarely named so.
    let letters = surname.chars().filter(|c| c.is_alphabetic()).count();
    let function_word = FUNCTION_WORDS.contains(&surname.to_lowercase().as_str());
    (start > 0 && letters >= 3 && !function_word).then_some(surname)
}

/// The last two words of a name of three or more capitalised words ("Aung San Suu Kyi" → "Suu
/// Kyi"): names without a family name are shortened so, and the longer match wins over the
/// one-word surname where the text has both words.
pub(crate) fn two_word_surname(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    (words.len() >= 3
        && !words.contains(&"of")
        && words
            .iter()
            .all(|w| capitalised(w) && w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        && surname(name).is_some_and(|s| !s.contains(' ')))
    .then(|| words[words.len() - 2..].join(" "))
}

/// "UN" → "U.N.": news styles that dot acronyms write them so.
fn dotted(acronym: &str) -> Option<String> {
    let letters = acronym.chars().count();
    ((2..=4).contains(&letters) && acronym.chars().all(|c| c.is_ascii_uppercase()))
        .then(|| acronym.chars().flat_map(|c| [c, '.']).collect())
}

/// Kinds in order of strength: when one entity reaches the same pattern through several forms,
/// the strongest names the mention.
fn strength(kind: MentionKind) -> u8 {
    match kind {
        MentionKind::Name => 5,
        MentionKind::Alias => 4,
        MentionKind::Acronym => 3,
        MentionKind::Demonym => 2,
        MentionKind::Surname => 1,
        MentionKind::Unspecified | MentionKind::Unlinked => 0,
    }
}

/// The forms one entity is matched by, derived forms included.
fn entity_forms(record: &EntityRecord) -> Vec<(String, MentionKind)> {
    let mut forms = vec![(record.name.clone(), MentionKind::Name)];
    forms.extend(
        record
            .aliases
            .iter()
            .map(|a| (a.clone(), MentionKind::Alias)),
    );
    for acronym in &record.acronyms {
        forms.push((acronym.clone(), MentionKind::Acronym));
        if let Some(dotted) = dotted(acronym) {
            forms.push((dotted, MentionKind::Acronym));
        }
    }
    forms.extend(
        record
            .demonyms
            .iter()
            .map(|d| (d.clone(), MentionKind::Demonym)),
    );
    if record.entity_type == "person" {
        let full_names = std::iter::once(&record.name).chain(&record.aliases);
        let surnames: Vec<String> = full_names
            .flat_map(|n| surname(n).into_iter().chain(two_word_surname(n)))
            .collect();
        forms.extend(surnames.into_iter().map(|s| (s, MentionKind::Surname)));
    }
    forms
}

/// The key a form is matched under: its normalised text without outer spaces.
fn pattern_key(form: &str) -> String {
    normalise(form).text.trim().to_owned()
}

/// A pattern and one thing it stands for, before patterns get their ids.
struct Entry {
    key: String,
    form: String,
    payload: Payload,
}

/// Entities per thread when deriving and normalising forms in parallel.
const ENTITIES_PER_THREAD: usize = 50_000;

/// The entries of `entities` (the first of which has index `offset`), sorted by key; equal
/// keys keep entity order.
fn entity_entries(entities: &[Entity], offset: usize) -> Vec<Entry> {
    let mut entries = Vec::with_capacity(entities.len() * 5);
    // Per entity, one payload per pattern: the strongest form reaching it.
    let mut best: Vec<(String, MentionKind, String)> = Vec::new();
    for (index, entity) in entities.iter().enumerate() {
        best.clear();
        for (form, kind) in entity_forms(&entity.record) {
            let key = pattern_key(&form);
            match best.iter_mut().find(|(k, _, _)| *k == key) {
                Some(slot) if strength(slot.1) >= strength(kind) => {}
                Some(slot) => *slot = (key, kind, form),
                None => best.push((key, kind, form)),
            }
        }
        let (entity, case) = ((offset + index) as u32, entity.record.case);
        entries.extend(best.drain(..).map(|(key, kind, form)| Entry {
            key,
            form,
            payload: Payload::Entity {
                entity,
                kind,
                form: 0,
                case,
            },
        }));
    }
    entries.sort_by(|a, b| a.key.cmp(&b.key));
    entries
}

/// Hands `each` the entries of runs each sorted by key, in key order; on equal keys earlier
/// runs come first, so the payloads of a pattern stay in file order (entities, then stop
/// phrases, then keywords). Entries are handed over as merged rather than collected first:
/// the merged vector was 18 MB of fresh memory for the default gazetteer, copied once more.
fn merge_runs(
    runs: Vec<Vec<Entry>>,
    mut each: impl FnMut(Entry) -> Result<(), String>,
) -> Result<(), String> {
    let mut runs: Vec<std::iter::Peekable<std::vec::IntoIter<Entry>>> =
        runs.into_iter().map(|r| r.into_iter().peekable()).collect();
    loop {
        let mut next: Option<(usize, &str)> = None;
        for (index, run) in runs.iter_mut().enumerate() {
            if let Some(entry) = run.peek()
                && next.is_none_or(|(_, key)| entry.key.as_str() < key)
            {
                next = Some((index, entry.key.as_str()));
            }
        }
        let Some((index, _)) = next else {
            return Ok(());
        };
        if let Some(entry) = runs[index].next() {
            each(entry)?;
        }
    }
}

fn build_matcher(
    entities: &[Entity],
    lexicon: &TopicLexicon,
    stops: &[StopRecord],
    shards: fn(usize) -> usize,
) -> Result<Matcher, GazetteerError> {
    let threads = super::matcher::build_threads()
        .min(entities.len().div_ceil(ENTITIES_PER_THREAD))
        .max(1);
    let chunk = entities.len().div_ceil(threads).max(1);
    let fail = |reason: String| GazetteerError::single(super::error::WHOLE, None, reason);
    // A worker that panicked would leave its entities out: fail the whole load instead.
    let mut runs: Vec<Vec<Entry>> = std::thread::scope(|scope| {
        let handles: Vec<_> = entities
            .chunks(chunk)
            .enumerate()
            .map(|(i, part)| scope.spawn(move || entity_entries(part, i * chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| fail("deriving forms failed".to_owned()))
            })
            .collect::<Result<_, _>>()
    })?;
    let mut rest = Vec::new();
    for stop in stops {
        rest.push(Entry {
            key: pattern_key(&stop.phrase),
            form: stop.phrase.clone(),
            payload: Payload::Stop { form: 0 },
        });
    }
    for (topic_index, topic) in lexicon.topics.iter().enumerate() {
        // A plural the topic also lists itself ("company" and "companies") is that keyword's,
        // with its own weight: derived as well, one word in the text would count twice.
        let listed: HashSet<String> = topic
            .keywords
            .iter()
            .map(|k| pattern_key(&k.phrase))
            .collect();
        // A cue is found by rule (`tagger::scores`), not matched as text.
        for keyword in topic.keywords.iter().filter(|k| k.phrase != SCORE_CUE) {
            let own = pattern_key(&keyword.phrase);
            let mut seen: Vec<String> = Vec::new();
            for variant in keyword_variants(&keyword.phrase) {
                let key = pattern_key(&variant);
                if key != own && listed.contains(&key) {
                    continue;
                }
                if !seen.contains(&key) {
                    seen.push(key.clone());
                    rest.push(Entry {
                        key,
                        form: keyword.phrase.clone(),
                        payload: Payload::Keyword {
                            topic: topic_index as u32,
                            form: 0,
                            weight: keyword.weight,
                            supporting: keyword.supporting,
                        },
                    });
                }
            }
        }
    }
    rest.sort_by(|a, b| a.key.cmp(&b.key));
    runs.push(rest);

    // Sized for every entry up front (keys repeat, so `patterns` gets more than it needs):
    // grown by doubling, the tables were copied at each step.
    let entries = runs.iter().map(Vec::len).sum();
    let bytes = |text: fn(&Entry) -> &str| runs.iter().flatten().map(|e| text(e).len()).sum();
    let mut patterns = StrTable::with_capacity(entries, bytes(|e| &e.key));
    let mut forms = StrTable::with_capacity(entries, bytes(|e| &e.form));
    let mut ranges = Vec::with_capacity(entries + 1);
    let mut payloads = Vec::with_capacity(entries);
    // A keyword's plural shares its form: one form is one tally, so "e-mail" and "e-mails"
    // in an article are one keyword seen twice, with the diminishing returns of a repeat.
    let mut keyword_forms: HashMap<(u32, String), u32> = HashMap::new();
    merge_runs(runs, |entry| {
        if patterns.last() != Some(entry.key.as_str()) {
            patterns.push(&entry.key)?;
            ranges.push(payloads.len() as u32);
        }
        let form = match entry.payload {
            Payload::Keyword { topic, .. } => {
                match keyword_forms.entry((topic, entry.form.clone())) {
                    hash_map::Entry::Occupied(known) => *known.get(),
                    hash_map::Entry::Vacant(new) => *new.insert(forms.push(&entry.form)?),
                }
            }
            _ => forms.push(&entry.form)?,
        };
        payloads.push(entry.payload.with_form(form));
        Ok(())
    })
    .map_err(fail)?;
    ranges.push(payloads.len() as u32);
    let shards = shards(patterns.len());
    Matcher::build(patterns, ranges, payloads, forms, shards).map_err(fail)
}

/// A keyword and its plural: lexicons list "election", news writes "elections".
fn keyword_variants(keyword: &str) -> Vec<String> {
    let mut variants = vec![keyword.to_owned()];
    let last = keyword.chars().last().unwrap_or(' ');
    if last.is_alphabetic() && !keyword.ends_with('s') {
        if keyword.ends_with('y')
            && !keyword.ends_with("ay")
            && !keyword.ends_with("ey")
            && !keyword.ends_with("oy")
        {
            variants.push(format!("{}ies", &keyword[..keyword.len() - 1]));
        } else if keyword.ends_with("ch") || keyword.ends_with("sh") || keyword.ends_with('x') {
            variants.push(format!("{keyword}es"));
        } else {
            variants.push(format!("{keyword}s"));
        }
    }
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entity files are parsed on one thread and the other files on another: the problems
    /// still come out file by file, in the order the files are given.
    #[test]
    fn problems_of_every_kind_of_file_come_in_file_order() {
        let files = [
            super::super::file("a.cues", "given-name\tJohn\nno-tab-here\n"),
            super::super::file("b.tsv", "id\ttype\tname\nx\tPerson\tX\n"),
            super::super::file("c.topics", "id\tlabel\nt:1\tOne\textra\n"),
            super::super::file("d.tsv", "id\ttype\tname\ny\tperson\t\n"),
            super::super::file("e.words", "Capital\n"),
        ];
        let error = compile(&files).expect_err("every file has a problem");
        let paths: Vec<&str> = error.problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["a.cues", "b.tsv", "c.topics", "d.tsv", "e.words"]);
    }

    #[test]
    fn surnames() {
        assert_eq!(surname("Vladimir Putin").as_deref(), Some("Putin"));
        assert_eq!(surname("Liz Truss").as_deref(), Some("Truss"));
        assert_eq!(surname("Martin Luther King Jr.").as_deref(), Some("King"));
        assert_eq!(
            surname("Ursula von der Leyen").as_deref(),
            Some("von der Leyen")
        );
        assert_eq!(surname("Carl XVI Gustaf of Sweden"), None);
        assert_eq!(surname("Mohammed VI"), None);
        assert_eq!(surname("Putin"), None);
        assert_eq!(surname("Yahya Ebrahimi To"), None);
        assert_eq!(surname("Nguyen Thi The"), None);
        assert_eq!(
            two_word_surname("Aung San Suu Kyi").as_deref(),
            Some("Suu Kyi")
        );
        assert_eq!(two_word_surname("Vladimir Putin"), None);
    }

    #[test]
    fn dotted_acronyms() {
        assert_eq!(dotted("UN").as_deref(), Some("U.N."));
        assert_eq!(dotted("NATO").as_deref(), Some("N.A.T.O."));
        assert_eq!(dotted("OSCE1"), None);
    }

    #[test]
    fn a_sharded_gazetteer_tags_exactly_like_one_automaton() {
        let dir = std::env::temp_dir().join(format!("newstag-shards-{}", std::process::id()));
        crate::synth::write_gazetteer(&dir, 3_000, 5).unwrap();
        let mut files = super::super::source::read_dir(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        files.extend(super::super::source::bundled_files());
        let single = compile_with(&files, |_| 1).unwrap();
        let sharded = compile_with(&files, |_| 3).unwrap();
        assert_eq!(single.automaton_shards(), 1);
        assert_eq!(sharded.automaton_shards(), 3);
        // Names from every part of the alphabet, so every shard is walked.
        let mut body = String::from("Vladimir Putin met NATO officials in Kyiv. ");
        for entity in single.entities.iter().step_by(97) {
            body.push_str(&format!("{} said. ", entity.record.name));
        }
        let article = crate::proto::Article {
            body,
            ..Default::default()
        };
        let options = crate::proto::TagOptions {
            explain: true,
            ..Default::default()
        };
        let tag = |g: &Gazetteer| {
            crate::tagger::tag_article(g, &article, &options, crate::Rules::default()).unwrap()
        };
        let (expected, got) = (tag(&single), tag(&sharded));
        assert!(expected.entities.len() > 20, "{}", expected.entities.len());
        assert_eq!(expected, got);
    }

    #[test]
    fn plurals() {
        assert_eq!(keyword_variants("election"), ["election", "elections"]);
        assert_eq!(keyword_variants("economy"), ["economy", "economies"]);
        assert_eq!(keyword_variants("tax"), ["tax", "taxes"]);
        assert_eq!(keyword_variants("talks"), ["talks"]);
    }
}
