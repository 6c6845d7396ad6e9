//! What changed between two snapshots, per entity type: what a reload logs and
//! `GetGazetteerInfo` returns, so an editor can see their change land.

use std::collections::{BTreeMap, HashMap};

use super::{EntityRecord, Gazetteer};

/// Changes of one entity type. Id lists are complete; the API caps what it sends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeChanges {
    pub entity_type: String,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

/// The changes from one snapshot to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    pub from_version: String,
    pub to_version: String,
    /// Types with any change, sorted by type.
    pub types: Vec<TypeChanges>,
}

impl Diff {
    /// Total counts: (added, removed, changed).
    pub fn totals(&self) -> (usize, usize, usize) {
        self.types.iter().fold((0, 0, 0), |(a, r, c), t| {
            (a + t.added.len(), r + t.removed.len(), c + t.changed.len())
        })
    }
}

/// Same content, wherever the row sits (moving a row is not a change).
fn same_content(a: &EntityRecord, b: &EntityRecord) -> bool {
    a.entity_type == b.entity_type
        && a.name == b.name
        && a.aliases == b.aliases
        && a.acronyms == b.acronyms
        && a.demonyms == b.demonyms
        && a.case == b.case
        && a.priority == b.priority
        && a.topics == b.topics
        && a.description == b.description
        && a.xrefs == b.xrefs
}

/// Compares two snapshots by entity id.
pub fn diff(old: &Gazetteer, new: &Gazetteer) -> Diff {
    let before: HashMap<&str, &EntityRecord> = old
        .entities
        .iter()
        .map(|e| (e.record.id.as_str(), &e.record))
        .collect();
    let mut types: BTreeMap<String, TypeChanges> = BTreeMap::new();
    fn entry<'a>(
        types: &'a mut BTreeMap<String, TypeChanges>,
        entity_type: &str,
    ) -> &'a mut TypeChanges {
        types
            .entry(entity_type.to_owned())
            .or_insert_with(|| TypeChanges {
                entity_type: entity_type.to_owned(),
                ..TypeChanges::default()
            })
    }
    let mut seen = std::collections::HashSet::new();
    for entity in &new.entities {
        let record = &entity.record;
        seen.insert(record.id.as_str());
        match before.get(record.id.as_str()) {
            None => entry(&mut types, &record.entity_type)
                .added
                .push(record.id.clone()),
            Some(old) if !same_content(old, record) => entry(&mut types, &record.entity_type)
                .changed
                .push(record.id.clone()),
            Some(_) => {}
        }
    }
    for entity in &old.entities {
        if !seen.contains(entity.record.id.as_str()) {
            entry(&mut types, &entity.record.entity_type)
                .removed
                .push(entity.record.id.clone());
        }
    }
    Diff {
        from_version: old.version.clone(),
        to_version: new.version.clone(),
        types: types.into_values().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::file;

    #[test]
    fn added_removed_changed_per_type() {
        let old = Gazetteer::from_files(&[file(
            "a.tsv",
            "id\ttype\tname\na\tcountry\tA\nb\tcountry\tB\nc\tperson\tC D\n",
        )])
        .unwrap();
        let new = Gazetteer::from_files(&[file("a.tsv", "id\ttype\tname\n# moved rows are not changes\nb\tcountry\tB\na\tcountry\tA2\nd\tperson\tD E\n")]).unwrap();
        let diff = diff(&old, &new);
        assert_eq!(diff.types.len(), 2);
        assert_eq!(diff.types[0].entity_type, "country");
        assert_eq!(diff.types[0].changed, ["a"]);
        assert!(diff.types[0].added.is_empty() && diff.types[0].removed.is_empty());
        assert_eq!(diff.types[1].added, ["d"]);
        assert_eq!(diff.types[1].removed, ["c"]);
        assert_eq!(diff.totals(), (1, 1, 1));
    }
}
