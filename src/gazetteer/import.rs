//! `newstag kb import`: gazetteer rows from what the Wikidata Query Service returns, so that a
//! user adds knowledge (all clubs of a league, a country's banks) without writing TSV by hand.
//!
//! Both download formats of a query are read: JSON (the SPARQL results document,
//! `{"head": …, "results": {"bindings": [{"item": {"value": …}}, …]}}`, or the plain array of
//! objects the query page's "JSON file" gives) and CSV (a header of the query's variables).
//! The columns are the query's variable names:
//!
//! | variable | meaning |
//! |---|---|
//! | `item` | the entity, `http://www.wikidata.org/entity/Q…` or a bare `Q…` (required) |
//! | `itemLabel` or `label` | its English label: the row's name (required) |
//! | `itemAltLabel` or `aliases` | other names, `, `-separated as the label service writes them |
//! | `itemDescription` or `description` | the description |
//! | `instanceOfLabel`, `typeLabel` or `instanceOf` | what it is an instance of: the type and category |
//! | `sitelinks` | how many Wikipedias have an article on it: the prior |
//!
//! A query that returns one row per instance-of value gives several rows for one item: they are
//! merged. Type and category come from the instance-of labels by the same keywords as the
//! bundled knowledge base's generator (an association football club is an `organisation` of
//! category `club`, a human a `person`…), unless the caller fixes them. The prior is
//! `sitelinks × 5`, on the scale of docs/GAZETTEERS.md ("The prior"): a club with 60
//! Wikipedias weighs about what the bundled knowledge base gives a well-linked club.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What the prior is per Wikipedia that has an article on the entity.
pub const PRIOR_PER_SITELINK: f64 = 5.0;

/// A problem with one row of the query result: `path:line: reason`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}: {reason}")]
pub struct ImportProblem {
    pub path: String,
    pub line: usize,
    pub reason: String,
}

/// Why an import failed: the file as a whole, or its rows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Not JSON or CSV of a query result at all.
    #[error("{path}: {reason}")]
    Unreadable { path: String, reason: String },
    /// One or more bad rows, each with its line.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Rows(Vec<ImportProblem>),
}

/// The input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    /// The format a file's name or first byte says.
    pub fn guess(path: &str, text: &str) -> Self {
        if path.ends_with(".json") || text.trim_start().starts_with(['{', '[']) {
            Self::Json
        } else {
            Self::Csv
        }
    }
}

/// What the caller fixes instead of the instance-of keywords.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub entity_type: Option<String>,
    pub category: Option<String>,
    /// The `within` of every row (a club's country: `country:ES`).
    pub within: Option<String>,
}

/// One result row: its line and its values by variable name.
type Record = (usize, BTreeMap<String, String>);

/// One merged entity of the result.
#[derive(Debug, Clone, Default, PartialEq)]
struct Item {
    qid: String,
    label: String,
    aliases: Vec<String>,
    description: String,
    instance_of: Vec<String>,
    sitelinks: Option<f64>,
    line: usize,
}

/// Keyword on an instance-of label → (type, category), first match wins.
const KINDS: &[(&[&str], &str, &str)] = &[
    (&["human"], "person", "person"),
    (&["national", "team"], "organisation", "national-team"),
    (&["football club"], "organisation", "club"),
    (&["sports club"], "organisation", "club"),
    (&["team"], "organisation", "club"),
    (&["political party"], "organisation", "party"),
    (&["news agency"], "organisation", "news-agency"),
    (&["newspaper"], "organisation", "newspaper"),
    (&["broadcaster"], "organisation", "broadcaster"),
    (&["television"], "organisation", "broadcaster"),
    (&["bank"], "organisation", "bank"),
    (&["airline"], "organisation", "airline"),
    (&["stock exchange"], "organisation", "exchange"),
    (&["university"], "organisation", "university"),
    (&["company"], "organisation", "company"),
    (&["enterprise"], "organisation", "company"),
    (&["business"], "organisation", "company"),
    (&["organization"], "organisation", "organisation"),
    (&["organisation"], "organisation", "organisation"),
    (&["city"], "location", "city"),
    (&["town"], "location", "city"),
    (&["municipality"], "location", "city"),
    (&["country"], "location", "country"),
    (&["state"], "location", "region"),
    (&["province"], "location", "region"),
    (&["region"], "location", "region"),
    (&["stadium"], "location", "landmark"),
];

/// The type and category the instance-of labels say, if any.
fn kind_of(instance_of: &[String]) -> Option<(&'static str, &'static str)> {
    KINDS.iter().find_map(|(words, entity_type, category)| {
        instance_of
            .iter()
            .any(|label| {
                let label = label.to_lowercase();
                words.iter().all(|w| label.contains(w))
            })
            .then_some((*entity_type, *category))
    })
}

/// A bare QID from a Wikidata entity URI or a bare id; None when it is neither.
fn qid(value: &str) -> Option<String> {
    let id = value.trim().rsplit('/').next().unwrap_or("");
    let digits = id.strip_prefix('Q')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0'))
        .then(|| id.to_owned())
}

/// One field of a gazetteer row: no tabs, line breaks or `|` (the list separator).
fn clean(value: &str) -> String {
    value
        .split(|c: char| c.is_whitespace() || c == '|')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first of `names` present in `record`.
fn field<'a>(record: &'a BTreeMap<String, String>, names: &[&str]) -> Option<&'a str> {
    names
        .iter()
        .find_map(|n| record.get(*n))
        .map(String::as_str)
        .filter(|v| !v.trim().is_empty())
}

/// Merges the result's records (variable → value, with their line) into items, checking each.
fn items(path: &str, records: Vec<Record>) -> Result<Vec<Item>, ImportError> {
    let mut problems = Vec::new();
    let mut merged: BTreeMap<String, Item> = BTreeMap::new();
    for (line, record) in records {
        let problem = |reason: String| ImportProblem {
            path: path.to_owned(),
            line,
            reason,
        };
        let Some(raw) = field(&record, &["item"]) else {
            problems.push(problem(
                "no `item` value: the query must select ?item".to_owned(),
            ));
            continue;
        };
        let Some(id) = qid(raw) else {
            problems.push(problem(format!(
                "item {raw:?} is not a Wikidata item (http://www.wikidata.org/entity/Q… or Q…)"
            )));
            continue;
        };
        let label = field(&record, &["itemLabel", "label"]).map(clean);
        let sitelinks = match field(&record, &["sitelinks"]).map(|s| s.trim().parse::<f64>()) {
            None => None,
            Some(Ok(n)) if n.is_finite() && n >= 0.0 => Some(n),
            Some(_) => {
                problems.push(problem(format!(
                    "sitelinks {:?} is not a non-negative number",
                    field(&record, &["sitelinks"]).unwrap_or_default()
                )));
                continue;
            }
        };
        let item = merged.entry(id.clone()).or_insert_with(|| Item {
            qid: id.clone(),
            line,
            ..Item::default()
        });
        if item.label.is_empty() {
            match label {
                // The label service writes the id itself when an item has no English label.
                Some(l) if qid(&l).as_deref() != Some(id.as_str()) => item.label = l,
                _ => {
                    problems.push(problem(format!(
                        "{id} has no English label (select ?itemLabel from the label service)"
                    )));
                    continue;
                }
            }
        }
        if let Some(aliases) = field(&record, &["itemAltLabel", "aliases"]) {
            for alias in aliases.split(", ").map(clean) {
                if !alias.is_empty() && alias != item.label && !item.aliases.contains(&alias) {
                    item.aliases.push(alias);
                }
            }
        }
        if let Some(d) = field(&record, &["itemDescription", "description"])
            && item.description.is_empty()
        {
            item.description = clean(d);
        }
        if let Some(kind) = field(&record, &["instanceOfLabel", "typeLabel", "instanceOf"]) {
            let kind = clean(kind);
            if !item.instance_of.contains(&kind) {
                item.instance_of.push(kind);
            }
        }
        if let Some(n) = sitelinks {
            item.sitelinks = Some(item.sitelinks.map_or(n, |m| m.max(n)));
        }
    }
    if problems.is_empty() {
        Ok(merged.into_values().collect())
    } else {
        problems.sort_by_key(|p| p.line);
        Err(ImportError::Rows(problems))
    }
}

/// The records of a JSON result, each with the line its object starts on.
fn json_records(path: &str, text: &str) -> Result<Vec<Record>, ImportError> {
    let unreadable = |reason: String| ImportError::Unreadable {
        path: path.to_owned(),
        reason,
    };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| unreadable(format!("not JSON: {e}")))?;
    let rows = match &value {
        serde_json::Value::Array(rows) => rows,
        serde_json::Value::Object(o) => o
            .get("results")
            .and_then(|r| r.get("bindings"))
            .and_then(serde_json::Value::as_array)
            .ok_or_else(|| {
                unreadable(
                    "a JSON object without results.bindings: expected a query result".to_owned(),
                )
            })?,
        _ => return Err(unreadable("expected a query result".to_owned())),
    };
    let lines = element_lines(text);
    let mut out = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let line = lines.get(index).copied().unwrap_or(1);
        let Some(object) = row.as_object() else {
            return Err(ImportError::Rows(vec![ImportProblem {
                path: path.to_owned(),
                line,
                reason: "a result row that is not an object".to_owned(),
            }]));
        };
        let record = object
            .iter()
            .map(|(k, v)| {
                // SPARQL JSON wraps each value ({"type": "uri", "value": …}); the plain export does not.
                let value = v.get("value").unwrap_or(v);
                let text = match value {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), text)
            })
            .collect();
        out.push((line, record));
    }
    Ok(out)
}

/// The line each row object starts on: the objects of the first array that holds objects (the
/// top-level array of a plain export, `results.bindings` of a SPARQL result), found by a scan
/// that skips strings.
fn element_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    // The open containers, `true` for an array.
    let mut open: Vec<bool> = Vec::new();
    let (mut line, mut in_string, mut escaped) = (1usize, false, false);
    let mut rows_depth = None;
    for byte in text.bytes() {
        if byte == b'\n' {
            line += 1;
        }
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' => {
                if open.last() == Some(&true) && *rows_depth.get_or_insert(open.len()) == open.len()
                {
                    lines.push(line);
                }
                open.push(false);
            }
            b'[' => open.push(true),
            b'}' | b']' => {
                open.pop();
            }
            _ => {}
        }
    }
    lines
}

/// The records of a CSV result, each with its line (the header is line 1).
fn csv_records(path: &str, text: &str) -> Result<Vec<Record>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ImportError::Unreadable {
            path: path.to_owned(),
            reason: format!("no CSV header: {e}"),
        })?
        .clone();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for result in reader.records() {
        match result {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                out.push((
                    line,
                    header
                        .iter()
                        .zip(record.iter())
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .collect(),
                ));
            }
            Err(e) => problems.push(ImportProblem {
                path: path.to_owned(),
                line: e.position().map_or(0, |p| p.line() as usize),
                reason: format!("bad CSV row: {e}"),
            }),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ImportError::Rows(problems))
    }
}

/// The gazetteer rows (one entity file with its header) for a query result.
pub fn import(
    path: &str,
    text: &str,
    format: Format,
    overrides: &Overrides,
) -> Result<String, ImportError> {
    let records = match format {
        Format::Json => json_records(path, text)?,
        Format::Csv => csv_records(path, text)?,
    };
    let items = items(path, records)?;
    let mut problems = Vec::new();
    let mut out = format!(
        "# Imported by `newstag kb import` from {path}: Wikidata (CC0); prior = {PRIOR_PER_SITELINK} × sitelinks.\n\
         id\ttype\tcategory\tname\taliases\tprior\twithin\tdescription\txref:wikidata\n"
    );
    for item in items {
        let kind = kind_of(&item.instance_of);
        let entity_type = overrides
            .entity_type
            .as_deref()
            .or(kind.map(|k| k.0))
            .filter(|t| !t.is_empty());
        let Some(entity_type) = entity_type else {
            problems.push(ImportProblem {
                path: path.to_owned(),
                line: item.line,
                reason: format!(
                    "{} ({}): no type: instance of {:?} says none; select ?instanceOfLabel or pass --type",
                    item.qid, item.label, item.instance_of
                ),
            });
            continue;
        };
        let category = overrides
            .category
            .as_deref()
            .or(kind.map(|k| k.1))
            .unwrap_or("");
        let prefix = match entity_type {
            "person" => "person",
            "location" | "country" => "place",
            _ => "org",
        };
        let prior = item
            .sitelinks
            .map(|n| format!("{}", (n * PRIOR_PER_SITELINK).round()))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{prefix}:{}\t{entity_type}\t{category}\t{}\t{}\t{prior}\t{}\t{}\t{}",
            item.qid.to_lowercase(),
            item.label,
            item.aliases.join("|"),
            overrides.within.as_deref().unwrap_or(""),
            item.description,
            item.qid
        );
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ImportError::Rows(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_lines_find_each_row_of_either_layout() {
        let sparql = "{\n \"head\": {\"vars\": [\"item\"]},\n \"results\": {\"bindings\": [\n  {\"item\": {\"value\": \"Q1\"}},\n  {\"item\": {\"value\": \"{Q2\"}}\n ]}\n}";
        assert_eq!(element_lines(sparql), vec![4, 5]);
        let plain = "[\n{\"item\": \"Q1\"},\n\n{\"item\": \"Q2\"}\n]";
        assert_eq!(element_lines(plain), vec![2, 4]);
    }

    #[test]
    fn qids_are_read_from_uris_and_bare_ids_only() {
        assert_eq!(
            qid("http://www.wikidata.org/entity/Q8682").as_deref(),
            Some("Q8682")
        );
        assert_eq!(qid("Q5").as_deref(), Some("Q5"));
        for bad in ["", "Q", "Q0", "Q01", "P31", "Q12x", "http://example.org/"] {
            assert_eq!(qid(bad), None, "{bad}");
        }
    }

    #[test]
    fn instance_of_labels_give_type_and_category() {
        let cases = [
            ("association football club", Some(("organisation", "club"))),
            (
                "national association football team",
                Some(("organisation", "national-team")),
            ),
            ("human", Some(("person", "person"))),
            ("commercial bank", Some(("organisation", "bank"))),
            ("film", None),
        ];
        for (label, expected) in cases {
            assert_eq!(kind_of(&[label.to_owned()]), expected, "{label}");
        }
    }
}
