//! `newstag kb import`: Wikidata Query Service results (JSON and CSV) become an entity file
//! that loads, tags, and reports bad rows as `path:line: reason`.

use std::process::Command;

use newstag::Gazetteer;
use newstag::gazetteer::file;
use newstag::gazetteer::import::{Format, ImportError, Overrides, import};
use newstag::proto::{Article, TagOptions};
use newstag::tagger::{Rules, tag_article};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/wdqs");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).expect("fixture")
}

/// Imports a fixture in the format its name says, as the command does.
fn import_fixture(name: &str, overrides: &Overrides) -> Result<String, ImportError> {
    let text = read(name);
    import(name, &text, Format::guess(name, &text), overrides)
}

fn clubs(rows: &str) -> Gazetteer {
    Gazetteer::from_files(&[file("clubs.tsv", rows)]).expect("imported rows compile")
}

fn tagged(gazetteer: &Gazetteer, body: &str) -> Vec<(String, String, f64)> {
    let article = Article {
        id: "t".into(),
        title: String::new(),
        body: body.into(),
        ..Default::default()
    };
    let response = tag_article(
        gazetteer,
        &article,
        &TagOptions::default(),
        Rules::default(),
    )
    .expect("tags");
    response
        .entities
        .iter()
        .map(|e| {
            let qid = e.xrefs.get("wikidata").cloned().unwrap_or_default();
            (e.id.clone(), qid, e.confidence)
        })
        .collect()
}

#[test]
fn json_and_csv_give_the_same_rows_and_the_rows_tag() {
    let json = import_fixture("laliga-clubs.json", &Overrides::default()).expect("json imports");
    let csv = import_fixture("laliga-clubs.csv", &Overrides::default()).expect("csv imports");
    let body = |rows: &str| rows.lines().skip(1).map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(body(&json), body(&csv));
    // Two result rows for Real Madrid (two instance-of values) are one entity.
    assert_eq!(json.lines().filter(|l| l.contains("Q8682")).count(), 1);
    assert!(
        json.contains("org:q8682\torganisation\tclub\tReal Madrid CF\tReal Madrid|Real Madrid Club de Fútbol\t700\t"),
        "{json}"
    );
    let gazetteer = clubs(&json);
    let found = tagged(&gazetteer, "Real Madrid beat Sevilla FC 2-0 on Sunday.");
    let ids: Vec<&str> = found.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids, ["org:q8682", "org:q10315"]);
    assert_eq!(found[0].1, "Q8682");
}

#[test]
fn overrides_fix_type_category_and_within() {
    let rows = import_fixture(
        "laliga-clubs.csv",
        &Overrides {
            entity_type: Some("organisation".into()),
            category: Some("football-club".into()),
            within: Some("country:ES".into()),
        },
    )
    .expect("imports");
    assert!(
        rows.contains("\torganisation\tfootball-club\tSevilla FC\t"),
        "{rows}"
    );
    assert!(rows.contains("\tcountry:ES\t"), "{rows}");
}

#[test]
fn bad_rows_are_reported_with_path_line_and_reason() {
    let error = import_fixture("bad-rows.csv", &Overrides::default()).expect_err("bad rows");
    let ImportError::Rows(problems) = &error else {
        panic!("{error:?}");
    };
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0].starts_with("bad-rows.csv:3: item") && lines[0].contains("P31"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("bad-rows.csv:4: Q10315 has no English label"),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with("bad-rows.csv:5: sitelinks \"many\""),
        "{lines:?}"
    );
    let error = import(
        "x.json",
        "{\"results\": 3}",
        Format::Json,
        &Overrides::default(),
    )
    .expect_err("not a result");
    assert!(error.to_string().starts_with("x.json: "), "{error}");
}

#[test]
fn the_command_writes_an_entity_file_and_fails_on_bad_rows() {
    let out = std::env::temp_dir().join(format!("newstag-kb-import-{}.tsv", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_newstag"))
        .args([
            "kb",
            "import",
            &format!("{FIXTURES}/laliga-clubs.json"),
            "--out",
        ])
        .arg(&out)
        .status()
        .expect("runs");
    assert!(status.success());
    let rows = std::fs::read_to_string(&out).expect("written");
    let _ = std::fs::remove_file(&out);
    assert!(rows.contains("Sevilla FC"), "{rows}");
    let output = Command::new(env!("CARGO_BIN_EXE_newstag"))
        .args(["kb", "import", &format!("{FIXTURES}/bad-rows.csv")])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad-rows.csv:3: "), "{stderr}");
}
