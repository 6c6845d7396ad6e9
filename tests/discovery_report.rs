//! The discovery report: `Admin.GetDiscoveries` tallies the unlinked names of tagged articles
//! (filtered, limited, bounded) and resets when a new gazetteer is swapped in; `newstag
//! discover` prints the same tally for a corpus as gazetteer rows to paste.

mod support;

use std::process::Command;

use newstag::proto::{GetDiscoveriesRequest, ReloadRequest};
use support::{GazetteerDir, entities, write_atomically};

const CUES: &str = "given-name\tJames\ngiven-name\tTony\norganisation-suffix\tCorp\n\
                    place-preposition\tin\ncommon-word\tthe\n";

#[tokio::test]
async fn get_discoveries_tallies_the_stream_and_resets_on_reload() {
    let dir = GazetteerDir::new("discoveries");
    write_atomically(&dir.path, "entities.tsv", &entities(1));
    write_atomically(&dir.path, "names.cues", CUES);
    let mut args = dir.args();
    args.no_watch = true;
    let server = support::start(args).await;
    let mut client = server.ready().await;
    let mut admin = server.admin().await;

    let empty = admin
        .get_discoveries(GetDiscoveriesRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(empty.discoveries.is_empty());
    assert_eq!(empty.articles, 0);
    assert!(empty.capacity > 0);

    for (id, body) in [
        (
            "a",
            "James McIlroy met Tony Lester in Sheffield. McIlroy was pleased.",
        ),
        ("b", "James McIlroy signed for Acme Corp in Russia."),
    ] {
        client.tag(support::request(id, "", body)).await.unwrap();
    }
    let report = admin
        .get_discoveries(GetDiscoveriesRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(report.articles, 2);
    let first = &report.discoveries[0];
    assert_eq!(first.id, "unlinked:person:james-mcilroy");
    assert_eq!((first.count, first.documents, first.max_error), (3, 2, 0));
    assert_eq!(first.name, "James McIlroy");
    assert!(
        first
            .row
            .starts_with("person:james-mcilroy\tperson\tJames McIlroy\t"),
        "{first:?}"
    );
    assert!(first.example.contains("James McIlroy"), "{first:?}");
    let ids: Vec<&str> = report.discoveries.iter().map(|d| d.id.as_str()).collect();
    assert!(ids.contains(&"unlinked:organisation:acme-corp"), "{ids:?}");
    assert!(ids.contains(&"unlinked:location:sheffield"), "{ids:?}");

    let people = admin
        .get_discoveries(GetDiscoveriesRequest {
            limit: 1,
            types: vec!["organisation".into()],
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(people.discoveries.len(), 1);
    assert_eq!(people.discoveries[0].id, "unlinked:organisation:acme-corp");

    // A new gazetteer: what it lacks is counted afresh.
    write_atomically(&dir.path, "entities.tsv", &entities(2));
    let swapped = admin.reload(ReloadRequest {}).await.unwrap().into_inner();
    assert!(swapped.swapped);
    let reset = admin
        .get_discoveries(GetDiscoveriesRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(reset.discoveries.is_empty(), "{:?}", reset.discoveries);
    assert_eq!(reset.articles, 0);
    assert_eq!(reset.gazetteer_version, swapped.version);
    server.stop().await.unwrap();
}

#[test]
fn discover_prints_pasteable_rows_most_frequent_first() {
    let dir = GazetteerDir::new("discover-cli");
    write_atomically(&dir.path, "entities.tsv", &entities(0));
    write_atomically(&dir.path, "names.cues", CUES);
    let corpus = dir.path.join("corpus.jsonl");
    std::fs::write(
        &corpus,
        "{\"id\":\"1\",\"body\":\"James McIlroy won in Sheffield. McIlroy was pleased.\"}\n\
         {\"id\":\"2\",\"body\":\"Tony Lester coached James McIlroy.\"}\n\
         not json\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_newstag"))
        .args(["discover", "--jsonl", "--gazetteers"])
        .arg(&dir.path)
        .arg(&corpus)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    // The bad line is reported with its place, and the run goes on.
    assert!(!output.status.success());
    assert!(
        stderr.contains("corpus.jsonl:3: bad JSON article"),
        "{stderr}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("# newstag discover: 2 articles"),
        "{stdout}"
    );
    assert_eq!(lines[1], "id\ttype\tname\taliases\tcomment");
    let columns: Vec<&str> = lines[2].split('\t').collect();
    assert_eq!(
        &columns[..4],
        ["person:james-mcilroy", "person", "James McIlroy", ""]
    );
    assert!(
        columns[4].starts_with(
            "# 3 mentions in 2 articles; given name; e.g. \"James McIlroy won in Sheffield.\""
        ),
        "{}",
        columns[4]
    );
    // The rows paste into a gazetteer file as they are.
    let pasted = GazetteerDir::new("discover-paste");
    let rows: String = lines[1..].iter().map(|l| format!("{l}\n")).collect();
    write_atomically(&pasted.path, "discovered.tsv", &rows);
    let check = Command::new(env!("CARGO_BIN_EXE_newstag"))
        .args(["check", "--gazetteers"])
        .arg(&pasted.path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
