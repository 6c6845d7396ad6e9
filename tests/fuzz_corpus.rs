//! Replays the fuzzers' committed corpus (`fuzz/corpus/<target>/`) through the same checks
//! the fuzz targets run (`newstag::hostile::fuzz`), so every input the fuzzer once found
//! interesting stays a regression case without a nightly toolchain.

use std::path::{Path, PathBuf};

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: empty corpus", dir.display());
    files
}

fn replay(target: &str, check: impl Fn(&[u8]) -> Result<(), String>) {
    let mut failures = Vec::new();
    for path in corpus(target) {
        let data = std::fs::read(&path).unwrap();
        if let Err(problem) = check(&data) {
            failures.push(format!("{}: {problem}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn normaliser_corpus() {
    replay("normaliser", newstag::hostile::fuzz::normaliser);
}

#[test]
fn tagger_corpus() {
    let gazetteer = newstag::Gazetteer::bundled().expect("bundled gazetteer");
    replay("tagger", |data| {
        newstag::hostile::fuzz::tagger(&gazetteer, data)
    });
}

#[test]
fn gazetteer_parser_corpus() {
    replay("gazetteer_parser", newstag::hostile::fuzz::gazetteer_parser);
}

#[test]
fn the_checks_catch_a_broken_response() {
    // The replay is only worth something if the checks can fail: a response whose offsets do
    // not slice to the mention's text is caught.
    let gazetteer = newstag::Gazetteer::bundled().expect("bundled gazetteer");
    let article = newstag::proto::Article {
        body: "Vladimir Putin met NATO.".into(),
        ..Default::default()
    };
    let options = newstag::proto::TagOptions::default();
    let mut response =
        newstag::tag_article(&gazetteer, &article, &options, newstag::Rules::default()).unwrap();
    assert!(newstag::hostile::check_response(&article, &options, &response).is_ok());
    response.entities[0].mentions[0].start += 1;
    assert!(newstag::hostile::check_response(&article, &options, &response).is_err());
}
