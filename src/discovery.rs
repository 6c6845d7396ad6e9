//! The discovery report: which names the tagged articles mention that the gazetteer lacks,
//! most frequent first, as gazetteer rows an editor can paste.
//!
//! Each tagged article yields [`Sighting`]s of its unlinked entities; a [`DiscoverySketch`]
//! tallies them in bounded memory with the Space-Saving algorithm (Metwally, Agrawal and
//! El Abbadi, 2005): at most `capacity` names are tracked, a new name replaces the least
//! counted one and inherits its count as its possible over-count (`max_error`), so every name
//! mentioned more than `total / capacity` times is certain to be in the report and each count
//! is exact up to its `max_error`. The `newstag discover` CLI and the server's
//! `GetDiscoveries` RPC both use it; the server resets it whenever a new gazetteer is swapped
//! in, since what is missing changed.

use std::collections::{BTreeSet, HashMap};

use crate::proto::Discovery;

/// Names the server's sketch tracks: about 1 KB each at most (variants and example bounded),
/// so a few megabytes.
pub const DEFAULT_CAPACITY: usize = 2_000;
/// Spellings kept per name.
const MAX_VARIANTS: usize = 6;
/// Bytes of example sentence kept per name.
const MAX_EXAMPLE_BYTES: usize = 300;

/// One unlinked entity of one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Sighting {
    /// `unlinked:<type>:<normalised name>`.
    pub id: String,
    pub entity_type: String,
    /// Display name.
    pub name: String,
    /// Distinct spellings of its full-name mentions in the article.
    pub variants: Vec<String>,
    /// Mentions in the article.
    pub mentions: u64,
    /// The sentence of its first mention.
    pub example: String,
    /// What typed it.
    pub evidence: String,
}

#[derive(Debug, Clone)]
struct Slot {
    entity_type: String,
    count: u64,
    documents: u64,
    error: u64,
    /// Spellings with counts.
    spellings: Vec<(String, u64)>,
    example: String,
    evidence: String,
}

/// A bounded tally of sightings (Space-Saving).
#[derive(Debug)]
pub struct DiscoverySketch {
    capacity: usize,
    slots: HashMap<String, Slot>,
    /// (count, id) of every slot: the least counted is the first.
    by_count: BTreeSet<(u64, String)>,
    articles: u64,
}

impl DiscoverySketch {
    /// An empty sketch tracking at most `capacity` names (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            slots: HashMap::new(),
            by_count: BTreeSet::new(),
            articles: 0,
        }
    }

    /// How many names it tracks at most.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Articles recorded since the last reset.
    pub fn articles(&self) -> u64 {
        self.articles
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        self.slots.clear();
        self.by_count.clear();
        self.articles = 0;
    }

    /// Records the sightings of one article.
    pub fn record(&mut self, sightings: &[Sighting]) {
        self.articles += 1;
        for sighting in sightings {
            self.add(sighting);
        }
    }

    fn add(&mut self, sighting: &Sighting) {
        let weight = sighting.mentions.max(1);
        if !self.slots.contains_key(&sighting.id) && self.slots.len() >= self.capacity {
            // Evict the least counted name; the newcomer inherits its count as the error.
            let Some((count, victim)) = self.by_count.pop_first() else {
                return;
            };
            self.slots.remove(&victim);
            let slot = Slot {
                entity_type: sighting.entity_type.clone(),
                count,
                documents: 0,
                error: count,
                spellings: Vec::new(),
                example: String::new(),
                evidence: String::new(),
            };
            self.slots.insert(sighting.id.clone(), slot);
            self.by_count.insert((count, sighting.id.clone()));
        }
        let slot = self
            .slots
            .entry(sighting.id.clone())
            .or_insert_with(|| Slot {
                entity_type: sighting.entity_type.clone(),
                count: 0,
                documents: 0,
                error: 0,
                spellings: Vec::new(),
                example: String::new(),
                evidence: String::new(),
            });
        self.by_count.remove(&(slot.count, sighting.id.clone()));
        slot.count += weight;
        slot.documents += 1;
        for spelling in std::iter::once(&sighting.name).chain(&sighting.variants) {
            let full = slot.spellings.len() >= MAX_VARIANTS;
            match slot.spellings.iter_mut().find(|(s, _)| s == spelling) {
                Some((_, n)) => *n += 1,
                None if !full => slot.spellings.push((spelling.clone(), 1)),
                None => {}
            }
        }
        if slot.example.is_empty() {
            slot.example = truncate(&sighting.example, MAX_EXAMPLE_BYTES);
        }
        if slot.evidence.is_empty() {
            slot.evidence = truncate(&sighting.evidence, MAX_EXAMPLE_BYTES);
        }
        self.by_count.insert((slot.count, sighting.id.clone()));
    }

    /// The tracked names, most counted first (ties by id), at most `limit` (0: all), only of
    /// `types` (empty: all).
    pub fn top(&self, limit: usize, types: &[String]) -> Vec<Discovery> {
        let mut out: Vec<Discovery> = self
            .by_count
            .iter()
            .rev()
            .filter_map(|(_, id)| self.slots.get(id).map(|slot| (id, slot)))
            .filter(|(_, slot)| types.is_empty() || types.contains(&slot.entity_type))
            .map(|(id, slot)| discovery(id, slot))
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.id.cmp(&b.id)));
        if limit > 0 {
            out.truncate(limit);
        }
        out
    }
}

fn discovery(id: &str, slot: &Slot) -> Discovery {
    let mut spellings = slot.spellings.clone();
    spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let name = spellings.first().map(|s| s.0.clone()).unwrap_or_default();
    let variants: Vec<String> = spellings.iter().skip(1).map(|s| s.0.clone()).collect();
    let plural = |n: u64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let comment = format!(
        "# {} in {}; {}; e.g. \"{}\"",
        plural(slot.count, "mention"),
        plural(slot.documents, "article"),
        slot.evidence,
        slot.example.replace(['\t', '\n'], " ")
    );
    let row = [
        id.strip_prefix("unlinked:").unwrap_or(id),
        slot.entity_type.as_str(),
        name.as_str(),
        variants.join("|").as_str(),
        comment.as_str(),
    ]
    .join("\t");
    Discovery {
        id: id.to_owned(),
        r#type: slot.entity_type.clone(),
        name,
        count: slot.count,
        documents: slot.documents,
        max_error: slot.error,
        variants,
        example: slot.example.clone(),
        evidence: slot.evidence.clone(),
        row,
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// The header of the rows [`Discovery::row`] holds.
pub const ROW_HEADER: &str = "id\ttype\tname\taliases\tcomment";

#[cfg(test)]
mod tests {
    use super::*;

    fn sighting(id: &str, mentions: u64) -> Sighting {
        Sighting {
            id: format!("unlinked:person:{id}"),
            entity_type: "person".into(),
            name: id.to_owned(),
            variants: Vec::new(),
            mentions,
            example: format!("{id} said."),
            evidence: "given name".into(),
        }
    }

    #[test]
    fn counts_are_exact_while_the_sketch_has_room() {
        let mut sketch = DiscoverySketch::new(10);
        sketch.record(&[sighting("a", 2), sighting("b", 1)]);
        sketch.record(&[sighting("a", 1)]);
        let top = sketch.top(0, &[]);
        assert_eq!(top.len(), 2);
        assert_eq!(
            (top[0].name.as_str(), top[0].count, top[0].documents),
            ("a", 3, 2)
        );
        assert_eq!(top[0].max_error, 0);
        assert_eq!(sketch.articles(), 2);
        assert!(
            top[0]
                .row
                .starts_with("person:a\tperson\ta\t\t# 3 mentions in 2 articles")
        );
    }

    #[test]
    fn a_full_sketch_evicts_the_least_counted_and_bounds_the_error() {
        let mut sketch = DiscoverySketch::new(2);
        sketch.record(&[sighting("heavy", 10), sighting("light", 1)]);
        sketch.record(&[sighting("new", 1)]);
        let top = sketch.top(0, &[]);
        assert_eq!(top.len(), 2);
        assert_eq!(top[0].name, "heavy");
        assert_eq!(
            (top[1].name.as_str(), top[1].count, top[1].max_error),
            ("new", 2, 1)
        );
        // A name counted more than total / capacity times survives any churn of one-offs.
        let mut sketch = DiscoverySketch::new(10);
        sketch.record(&[sighting("heavy", 10)]);
        for i in 0..50 {
            sketch.record(&[sighting(&format!("x{i}"), 1)]);
        }
        let top = sketch.top(0, &[]);
        assert_eq!(top.len(), 10);
        assert_eq!(
            (top[0].name.as_str(), top[0].count, top[0].max_error),
            ("heavy", 10, 0)
        );
        assert!(top.iter().all(|d| d.count - d.max_error <= 10));
        sketch.reset();
        assert!(sketch.top(0, &[]).is_empty());
        assert_eq!(sketch.articles(), 0);
    }

    #[test]
    fn types_filter_and_limit() {
        let mut sketch = DiscoverySketch::new(10);
        let mut org = sighting("acme", 5);
        org.id = "unlinked:organisation:acme".into();
        org.entity_type = "organisation".into();
        sketch.record(&[org, sighting("b", 1), sighting("c", 1)]);
        assert_eq!(sketch.top(0, &["person".into()]).len(), 2);
        assert_eq!(sketch.top(1, &[]).len(), 1);
        assert_eq!(sketch.top(1, &[])[0].r#type, "organisation");
    }
}
