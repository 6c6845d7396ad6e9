//! The file formats, parsed into plain records. No cross-file checks here (duplicate ids,
//! unknown topics): those need the whole gazetteer and live in [`super::compile`].
//!
//! Entity files (`*.tsv`): UTF-8, tab-separated, `#` lines and blank lines skipped, the first
//! other line is the header. Required columns `id`, `type`, `name`; optional `aliases`,
//! `acronyms`, `demonyms`, `topics` (`|`-separated lists), `case`, `priority`, `category` (a
//! lowercase word), `prior` (a non-negative number), `within` (the id of the containing
//! entity, checked once the whole gazetteer is read), `description`, and any `xref:<scheme>`.
//!
//! Topic lexicons (`*.topics`): the same TSV conventions; required `id`, `label`; optional
//! `parent` (a topic id) and `keywords` (`|`-separated, each optionally weighted `keyword^2`;
//! `~keyword` marks a supporting keyword, which counts only when the topic has other evidence).
//!
//! Category mappings (`*.categories`): the same TSV conventions; required `category`, `topic`;
//! optional `weight` (a number in (0, 4], 1 when empty). Which category and topic exist is
//! checked against the whole gazetteer in [`super::compile`].
//!
//! Stop phrases (`*.stop`): one phrase per line, `#` comments.

use super::error::Problems;
use super::source::SourceFile;
use crate::text::{CasePolicy, normalise};

/// One entity row as written in its file.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityRecord {
    pub id: String,
    pub entity_type: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub acronyms: Vec<String>,
    pub demonyms: Vec<String>,
    pub case: CasePolicy,
    pub priority: i32,
    /// A finer kind than `type` (`city`, `region`, `party`, `university`…); empty when none.
    pub category: String,
    /// Popularity (population, rank, positions held…), compared only among entities that
    /// share a form; 0 when none is given.
    pub prior: f64,
    /// Id of the containing entity (city → region → country); empty when none.
    pub within: String,
    pub topics: Vec<String>,
    pub description: String,
    /// `(scheme, value)` from `xref:<scheme>` columns, in column order, empty values left out.
    pub xrefs: Vec<(String, String)>,
    /// Where the row is, for errors found later and for operators reading a diff; shared by
    /// every row of the file (a million rows would otherwise hold a million copies).
    pub path: std::sync::Arc<str>,
    pub line: usize,
}

/// One topic of a lexicon.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicRecord {
    pub id: String,
    pub label: String,
    pub parent: Option<String>,
    /// Keywords with their weights (1 unless written `keyword^weight`).
    pub keywords: Vec<Keyword>,
    pub path: String,
    pub line: usize,
}

/// A topic keyword of a lexicon.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword {
    pub phrase: String,
    pub weight: f32,
    /// Written `~keyword`: a word that also belongs to other stories ("win", "defeat",
    /// "record"). It adds to a topic the article has other evidence for, and never makes one
    /// on its own.
    pub supporting: bool,
}

/// One row of a category mapping: entities of `category` are evidence for `topic`.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryTopicRecord {
    pub category: String,
    pub topic: String,
    /// Multiplies the entity's relevance: how much one such entity says about the topic.
    pub weight: f32,
    pub path: String,
    pub line: usize,
}

/// The largest weight a category mapping row may give: one entity is never worth more than a
/// few of the lexicon's strongest keywords.
pub const MAX_CATEGORY_WEIGHT: f32 = 4.0;

/// One stop phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct StopRecord {
    pub phrase: String,
    pub path: String,
    pub line: usize,
}

/// The UTF-8 text of a file, or a problem naming the line where decoding fails.
///
/// NUL and the noncharacter U+FFFF are refused like invalid UTF-8: no name or phrase holds
/// them, a file that does is binary or corrupt, and the matcher's trie reserves U+FFFF as its
/// end-of-key mark (a pattern holding it could not be built).
pub(crate) fn decode<'a>(file: &'a SourceFile, problems: &mut Problems) -> Option<&'a str> {
    let line_of = |offset: usize| file.bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    match std::str::from_utf8(&file.bytes) {
        Ok(text) => {
            // Two vectorised searches: a character loop here was 2 % of start-up.
            let nul = memchr::memchr(0, text.as_bytes()).map(|at| (at, "NUL character (U+0000)"));
            let end_mark = memchr::memmem::find(text.as_bytes(), "\u{FFFF}".as_bytes())
                .map(|at| (at, "noncharacter U+FFFF"));
            if let Some((offset, what)) = nul.into_iter().chain(end_mark).min() {
                problems.add(
                    &file.display,
                    line_of(offset),
                    format!("{what}: gazetteer files hold text"),
                );
                return None;
            }
            Some(text.strip_prefix('\u{FEFF}').unwrap_or(text))
        }
        Err(error) => {
            problems.add(&file.display, line_of(error.valid_up_to()), "invalid UTF-8");
            None
        }
    }
}

/// Numbered lines that carry content: not blank, not `#` comments.
pub(crate) fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.strip_suffix('\r').unwrap_or(line)))
        .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
}

/// The header of a TSV file: column names by position, checked against what the format allows.
struct Header<'a> {
    columns: Vec<&'a str>,
}

impl<'a> Header<'a> {
    fn parse(
        line: &'a str,
        allowed: &[&str],
        required: &[&str],
        xrefs: bool,
        (path, number): (&str, usize),
        problems: &mut Problems,
    ) -> Option<Self> {
        // "id type name": spaces where the columns need tabs. Said once, instead of an
        // unknown column and every required one missing.
        if !line.contains('\t') && line.trim().contains(' ') && required.len() > 1 {
            problems.add(
                path,
                number,
                "no tab in the header: columns are separated by tabs, not spaces (check the editor's tab settings)",
            );
            return None;
        }
        let columns: Vec<&str> = line.split('\t').map(str::trim).collect();
        let before = problems.0.len();
        for (index, column) in columns.iter().enumerate() {
            let known = allowed.contains(column)
                || (xrefs
                    && column.strip_prefix("xref:").is_some_and(|scheme| {
                        !scheme.is_empty()
                            && scheme
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    }));
            if !known {
                let expected = allowed.join(", ");
                let xref = if xrefs { ", xref:<scheme>" } else { "" };
                problems.add(
                    path,
                    number,
                    format!("unknown column {column:?} (expected {expected}{xref})"),
                );
            } else if columns[..index].contains(column) {
                problems.add(path, number, format!("column {column:?} appears twice"));
            }
        }
        for column in required {
            if !columns.contains(column) {
                problems.add(path, number, format!("missing column {column:?}"));
            }
        }
        (problems.0.len() == before).then_some(Self { columns })
    }

    /// Splits a row into `(column, value)` pairs; a row may omit trailing empty fields.
    fn fields<'r>(
        &self,
        row: &'r str,
        (path, number): (&str, usize),
        problems: &mut Problems,
    ) -> Option<Vec<(&'a str, &'r str)>> {
        let values: Vec<&str> = row.split('\t').map(str::trim).collect();
        if values.len() > self.columns.len() {
            problems.add(
                path,
                number,
                format!(
                    "{} fields but the header has {} columns",
                    values.len(),
                    self.columns.len()
                ),
            );
            return None;
        }
        Some(self.columns.iter().copied().zip(values).collect())
    }
}

fn list(value: &str) -> Vec<&str> {
    if value.is_empty() {
        Vec::new()
    } else {
        value.split('|').map(str::trim).collect()
    }
}

/// A phrase that folds to nothing (only spaces or invisible characters) could never match.
fn normalises_to_nothing(phrase: &str) -> bool {
    normalise(phrase).text.trim().is_empty()
}

/// Checks and collects a `|` list of matchable forms.
fn forms(column: &str, value: &str, at: (&str, usize), problems: &mut Problems) -> Vec<String> {
    let mut forms = Vec::new();
    for form in list(value) {
        if normalises_to_nothing(form) {
            problems.add(
                at.0,
                at.1,
                format!("{column}: alias {form:?} normalises to nothing"),
            );
        } else {
            forms.push(form.to_owned());
        }
    }
    forms
}

/// The header and content lines of a TSV file, or `None` (with the problems recorded) when
/// the file cannot be decoded or its header is wrong.
fn open_table<'a>(
    file: &'a SourceFile,
    (allowed, required, xrefs): (&[&str], &[&str], bool),
    problems: &mut Problems,
) -> Option<(Header<'a>, Vec<(usize, &'a str)>)> {
    let text = decode(file, problems)?;
    let path = file.display.as_str();
    let mut lines = content_lines(text);
    let Some((header_line, header)) = lines.next() else {
        // Reported at the file's last line (1 when empty): where the header was still missing.
        problems.add(
            path,
            text.lines().count().max(1),
            format!("no header line (expected at least {})", required.join(", ")),
        );
        return None;
    };
    let header = Header::parse(
        header,
        allowed,
        required,
        xrefs,
        (path, header_line),
        problems,
    )?;
    Some((header, lines.collect()))
}

const ENTITY_COLUMNS: &[&str] = &[
    "id",
    "type",
    "name",
    "aliases",
    "acronyms",
    "demonyms",
    "case",
    "priority",
    "category",
    "prior",
    "within",
    "topics",
    "description",
    "comment",
];

/// The fewest rows a stretch parsed on its own thread gets (a file of fewer than twice this
/// is parsed on the calling thread): starting a thread costs more than a few thousand rows.
const ROWS_PER_THREAD: usize = 4_000;

/// Parses an entity file into `runs` of records in row order. Problems are collected; rows
/// with problems are left out.
///
/// A large file's rows are parsed on up to `threads` threads, one stretch of rows each (the
/// bundled politicians file holds three fifths of the gazetteer's bytes and was most of a
/// load's parsing on one core). Each stretch adds its records as one run and its problems in
/// row order, so records and problems come out exactly as a one-thread parse gives them.
pub(crate) fn parse_entities(
    file: &SourceFile,
    threads: usize,
    problems: &mut Problems,
    runs: &mut Vec<Vec<EntityRecord>>,
) {
    let path = file.display.as_str();
    let Some((header, lines)) = open_table(
        file,
        (ENTITY_COLUMNS, &["id", "type", "name"], true),
        problems,
    ) else {
        return;
    };
    let shared_path: std::sync::Arc<str> = path.into();
    let stretches = threads.min(lines.len() / ROWS_PER_THREAD).max(1);
    if stretches == 1 {
        runs.push(parse_rows(&header, &lines, &shared_path, problems));
        return;
    }
    let (header, shared_path) = (&header, &shared_path);
    let parsed: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(lines.len().div_ceil(stretches))
            .map(|stretch| {
                scope.spawn(move || {
                    let mut found = Problems::default();
                    let records = parse_rows(header, stretch, shared_path, &mut found);
                    (records, found)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join()).collect()
    });
    for result in parsed {
        match result {
            Ok((records, found)) => {
                runs.push(records);
                problems.0.extend(found.0);
            }
            // A stretch that panicked would leave its rows out: reject the file instead.
            Err(_) => problems.add_file(path, "parsing rows failed"),
        }
    }
}

/// Parses `lines` (line number, row) of an entity file whose header is `header`.
fn parse_rows(
    header: &Header<'_>,
    lines: &[(usize, &str)],
    shared_path: &std::sync::Arc<str>,
    problems: &mut Problems,
) -> Vec<EntityRecord> {
    let path = &**shared_path;
    let mut records = Vec::with_capacity(lines.len());
    for &(number, row) in lines {
        let at = (path, number);
        let Some(fields) = header.fields(row, at, problems) else {
            continue;
        };
        let before = problems.0.len();
        // "country:FR country France": spaces where the columns need tabs. Said once, instead
        // of an empty type and name that would hide why.
        if !row.contains('\t') && row.contains(' ') && header.columns.len() > 1 {
            problems.add(
                path,
                number,
                "no tab in this row: columns are separated by tabs, not spaces (check the editor's tab settings)",
            );
            continue;
        }
        let mut record = EntityRecord {
            id: String::new(),
            entity_type: String::new(),
            name: String::new(),
            aliases: Vec::new(),
            acronyms: Vec::new(),
            demonyms: Vec::new(),
            case: CasePolicy::Smart,
            priority: 0,
            category: String::new(),
            prior: 0.0,
            within: String::new(),
            topics: Vec::new(),
            description: String::new(),
            xrefs: Vec::new(),
            path: shared_path.clone(),
            line: number,
        };
        for (column, value) in fields {
            match column {
                "id" => record.id = value.to_owned(),
                "type" => record.entity_type = value.to_owned(),
                "name" => record.name = value.to_owned(),
                "aliases" => record.aliases = forms(column, value, at, problems),
                "acronyms" => record.acronyms = forms(column, value, at, problems),
                "demonyms" => record.demonyms = forms(column, value, at, problems),
                "case" => match value.parse() {
                    Ok(case) => record.case = case,
                    Err(reason) => problems.add(path, number, reason),
                },
                "priority" if value.is_empty() => {}
                "priority" => match value.parse() {
                    Ok(priority) => record.priority = priority,
                    Err(_) => problems.add(
                        path,
                        number,
                        format!("bad priority {value:?}: expected an integer"),
                    ),
                },
                "category" if value.is_empty() => {}
                "category" if is_type_word(value) => record.category = value.to_owned(),
                "category" => problems.add(
                    path,
                    number,
                    format!("bad category {value:?}: expected a lowercase word such as city, party, university"),
                ),
                "prior" if value.is_empty() => {}
                "prior" => match value.parse::<f64>() {
                    Ok(prior) if prior.is_finite() && prior >= 0.0 => record.prior = prior,
                    _ => problems.add(
                        path,
                        number,
                        format!("bad prior {value:?}: expected a non-negative number"),
                    ),
                },
                "within" => record.within = value.to_owned(),
                "topics" => {
                    record.topics = list(value)
                        .into_iter()
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned)
                        .collect()
                }
                "description" => record.description = value.to_owned(),
                // Editors' notes (the discovery report fills it with its evidence): ignored.
                "comment" => {}
                xref => {
                    if let Some(scheme) = xref.strip_prefix("xref:").filter(|_| !value.is_empty()) {
                        record.xrefs.push((scheme.to_owned(), value.to_owned()));
                    }
                }
            }
        }
        if record.id.is_empty() {
            problems.add(path, number, "empty id");
        }
        if !is_type_word(&record.entity_type) {
            problems.add(
                path,
                number,
                format!("bad type {:?}: expected a lowercase word such as person, country, organisation", record.entity_type),
            );
        }
        if record.name.is_empty() {
            problems.add(path, number, "empty name");
        } else if normalises_to_nothing(&record.name) {
            problems.add(
                path,
                number,
                format!("name {:?} normalises to nothing", record.name),
            );
        }
        if problems.0.len() == before {
            records.push(record);
        }
    }
    records
}

fn is_type_word(value: &str) -> bool {
    let mut chars = value.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// Parses a topic lexicon.
pub(crate) fn parse_topics(file: &SourceFile, problems: &mut Problems) -> Vec<TopicRecord> {
    let path = file.display.as_str();
    let allowed = ["id", "label", "parent", "keywords"];
    let Some((header, lines)) = open_table(file, (&allowed, &["id", "label"], false), problems)
    else {
        return Vec::new();
    };
    let mut records = Vec::new();
    for (number, row) in lines {
        let at = (path, number);
        let Some(fields) = header.fields(row, at, problems) else {
            continue;
        };
        let before = problems.0.len();
        let mut record = TopicRecord {
            id: String::new(),
            label: String::new(),
            parent: None,
            keywords: Vec::new(),
            path: path.to_owned(),
            line: number,
        };
        for (column, value) in fields {
            match column {
                "id" => record.id = value.to_owned(),
                "label" => record.label = value.to_owned(),
                "parent" => record.parent = (!value.is_empty()).then(|| value.to_owned()),
                _ => {
                    for keyword in list(value) {
                        let (supporting, keyword) = match keyword.strip_prefix('~') {
                            Some(rest) => (true, rest.trim_start()),
                            None => (false, keyword),
                        };
                        let (phrase, weight) = match keyword.rsplit_once('^') {
                            Some((phrase, weight)) => match weight.parse::<f32>() {
                                Ok(w) if w.is_finite() && w > 0.0 => (phrase.trim(), w),
                                _ => {
                                    problems.add(path, number, format!("keyword {keyword:?}: bad weight {weight:?}, expected a positive number"));
                                    continue;
                                }
                            },
                            None => (keyword, 1.0),
                        };
                        // A cue is evidence the tagger finds by rule, not a phrase to match.
                        let cue = phrase.starts_with('<');
                        if cue && phrase != super::SCORE_CUE {
                            problems.add(
                                path,
                                number,
                                format!(
                                    "unknown cue {phrase:?}: the cue is {:?} (a match score such as \"beat Brazil 2-1\")",
                                    super::SCORE_CUE
                                ),
                            );
                        } else if !cue && normalises_to_nothing(phrase) {
                            problems.add(
                                path,
                                number,
                                format!("keyword {keyword:?} normalises to nothing"),
                            );
                        } else if record
                            .keywords
                            .iter()
                            .any(|k| k.phrase.eq_ignore_ascii_case(phrase))
                        {
                            // Listed twice, it would count twice: one word would weigh as two.
                            problems.add(
                                path,
                                number,
                                format!("keyword {phrase:?} is listed twice"),
                            );
                        } else {
                            record.keywords.push(Keyword {
                                phrase: phrase.to_owned(),
                                weight,
                                supporting,
                            });
                        }
                    }
                }
            }
        }
        if record.id.is_empty() {
            problems.add(path, number, "empty id");
        }
        if record.label.is_empty() {
            problems.add(path, number, "empty label");
        }
        if problems.0.len() == before {
            records.push(record);
        }
    }
    records
}

/// Parses a category mapping: which topics an entity's category is evidence for.
pub(crate) fn parse_category_topics(
    file: &SourceFile,
    problems: &mut Problems,
) -> Vec<CategoryTopicRecord> {
    let path = file.display.as_str();
    let allowed = ["category", "topic", "weight"];
    let Some((header, lines)) =
        open_table(file, (&allowed, &["category", "topic"], false), problems)
    else {
        return Vec::new();
    };
    let mut records = Vec::new();
    for (number, row) in lines {
        let Some(fields) = header.fields(row, (path, number), problems) else {
            continue;
        };
        let before = problems.0.len();
        let mut record = CategoryTopicRecord {
            category: String::new(),
            topic: String::new(),
            weight: 1.0,
            path: path.to_owned(),
            line: number,
        };
        for (column, value) in fields {
            match column {
                "category" => record.category = value.to_owned(),
                "topic" => record.topic = value.to_owned(),
                _ if value.is_empty() => {}
                _ => match value.parse::<f32>() {
                    Ok(w) if w > 0.0 && w <= MAX_CATEGORY_WEIGHT => record.weight = w,
                    _ => problems.add(
                        path,
                        number,
                        format!(
                            "bad weight {value:?}, expected a number above 0 and at most {MAX_CATEGORY_WEIGHT}"
                        ),
                    ),
                },
            }
        }
        if !is_type_word(&record.category) {
            problems.add(
                path,
                number,
                format!(
                    "bad category {:?}: expected a lower-case word (letters, digits, - and _)",
                    record.category
                ),
            );
        }
        if record.topic.is_empty() {
            problems.add(path, number, "empty topic");
        }
        if problems.0.len() == before {
            records.push(record);
        }
    }
    records
}

/// Parses a common-word file: one lower-case word per line, `#` comments.
pub(crate) fn parse_common_words(file: &SourceFile, problems: &mut Problems) -> Vec<String> {
    let Some(text) = decode(file, problems) else {
        return Vec::new();
    };
    let mut words = Vec::new();
    for (number, line) in content_lines(text) {
        let word = line.trim();
        if word.split_whitespace().count() != 1 || word.chars().any(char::is_uppercase) {
            problems.add(
                &file.display,
                number,
                format!("common word {word:?}: expected one lower-case word"),
            );
        } else {
            words.push(normalise(word).text.trim().to_owned());
        }
    }
    words
}

/// Parses a stop-phrase file.
pub(crate) fn parse_stop_phrases(file: &SourceFile, problems: &mut Problems) -> Vec<StopRecord> {
    let Some(text) = decode(file, problems) else {
        return Vec::new();
    };
    let mut records = Vec::new();
    for (number, line) in content_lines(text) {
        let phrase = line.trim();
        if normalises_to_nothing(phrase) {
            problems.add(
                &file.display,
                number,
                format!("stop phrase {phrase:?} normalises to nothing"),
            );
        } else {
            records.push(StopRecord {
                phrase: phrase.to_owned(),
                path: file.display.clone(),
                line: number,
            });
        }
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of `rows` rows, every seventh with a problem (a bad type, an empty name or too
    /// many fields), so records and problems both come from every stretch.
    fn entity_file(rows: usize) -> SourceFile {
        let mut text = String::from("id\ttype\tname\taliases\n# a comment\n\n");
        for row in 0..rows {
            let line = match row % 7 {
                3 => format!("e{row}\tPerson\tName {row}\n"),
                5 => format!("e{row}\tperson\t\n"),
                6 => format!("e{row}\tperson\tName {row}\ta\tb\n"),
                _ => format!("e{row}\tperson\tName {row}\tAlias {row}|N{row}\n"),
            };
            text.push_str(&line);
        }
        crate::gazetteer::file("people.tsv", &text)
    }

    fn parse(file: &SourceFile, threads: usize) -> (Vec<Vec<EntityRecord>>, Problems) {
        let (mut problems, mut runs) = (Problems::default(), Vec::new());
        parse_entities(file, threads, &mut problems, &mut runs);
        (runs, problems)
    }

    /// Stretches parsed on their own threads give the records and problems of a one-thread
    /// parse, in row order; a file too small for two stretches stays on one.
    #[test]
    fn a_file_parsed_in_stretches_reads_as_one_parsed_whole() {
        let rows = ROWS_PER_THREAD * 3 + 17;
        let file = entity_file(rows);
        let (one_run, one_problems) = parse(&file, 1);
        assert_eq!(one_run.len(), 1);
        let (runs, problems) = parse(&file, 4);
        assert_eq!(runs.len(), 3, "one run per stretch");
        assert!(runs.iter().all(|run| !run.is_empty()));
        let flattened: Vec<EntityRecord> = runs.into_iter().flatten().collect();
        assert_eq!(flattened, one_run[0]);
        assert_eq!(problems.0, one_problems.0);
        let bad_rows = (0..rows).filter(|r| matches!(r % 7, 3 | 5 | 6)).count();
        assert_eq!(problems.0.len(), bad_rows);
        let lines: Vec<usize> = problems.0.iter().filter_map(|p| p.line).collect();
        assert!(lines.is_sorted(), "problems in row order");

        let (runs, _) = parse(&entity_file(ROWS_PER_THREAD + 5), 4);
        assert_eq!(runs.len(), 1);
    }
}
