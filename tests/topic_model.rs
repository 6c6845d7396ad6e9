//! Topic models end to end: `newstag topics train` on a labelled archive writes a `*.model`
//! file; in a gazetteer directory it is validated (`path:line` errors), loaded, changes the
//! version, and its labels come back as topics with the features that weighed most; a
//! broken model is rejected on reload while the last good snapshot keeps serving.

mod support;

use std::process::Command;

use newstag::Gazetteer;
use newstag::proto::{Article, TagOptions, TagRequest};
use support::{GazetteerDir, write_atomically};

/// A small archive two desks label: markets stories and football stories, with words of
/// their own and a few shared ones.
fn archive() -> String {
    let mut lines = String::new();
    for i in 0..60 {
        let (title, body, label) = if i % 2 == 0 {
            (
                format!("Shares fall {i}"),
                "The bank said shares and bonds fell as investors sold stocks; the index lost ground in trading.",
                "desk:markets",
            )
        } else {
            (
                format!("Late goal wins derby {i}"),
                "The striker scored a goal in the second half and the club moved up the league table said the coach.",
                "medtop:15000000",
            )
        };
        lines.push_str(&format!(
            "{{\"id\":\"{i}\",\"title\":\"{title}\",\"body\":\"{body}\",\"labels\":[\"{label}\"]}}\n"
        ));
    }
    lines
}

const ENTITIES: &str = "id\ttype\tname\ncountry:GB\tcountry\tUnited Kingdom\n";

fn newstag(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_newstag"))
        .args(args)
        .output()
        .unwrap()
}

fn train_into(dir: &std::path::Path) -> std::process::Output {
    std::fs::write(dir.join("archive.jsonl.txt"), archive()).unwrap();
    newstag(&[
        "topics",
        "train",
        "--gazetteers",
        dir.to_str().unwrap(),
        "--data",
        dir.join("archive.jsonl.txt").to_str().unwrap(),
        "--out",
        dir.join("desk.model").to_str().unwrap(),
        "--quiet",
    ])
}

#[test]
fn a_trained_model_tags_and_explains_its_labels() {
    let dir = GazetteerDir::new("topic-model-cli");
    write_atomically(&dir.path, "entities.tsv", ENTITIES);
    let before = Gazetteer::load(Some(&dir.path)).unwrap().version;
    let trained = train_into(&dir.path);
    assert!(trained.status.success(), "{trained:?}");
    let report = String::from_utf8_lossy(&trained.stderr);
    assert!(report.contains("60 articles, 2 labels"), "{report}");
    assert!(!dir.path.join("desk.model.partial").exists());

    let gazetteer = Gazetteer::load(Some(&dir.path)).unwrap();
    assert_ne!(
        gazetteer.version, before,
        "the model is part of the content hash"
    );
    assert_eq!(gazetteer.models.len(), 1);
    let request = |title: &str, body: &str| TagRequest {
        article: Some(Article {
            title: title.into(),
            body: body.into(),
            ..Article::default()
        }),
        options: Some(TagOptions {
            explain: true,
            ..TagOptions::default()
        }),
    };
    let response = newstag::tagger::tag(
        &gazetteer,
        &request(
            "Stocks slide",
            "Investors sold shares and the bank said bonds fell in trading.",
        ),
    )
    .unwrap();
    let markets = response
        .topics
        .iter()
        .find(|t| t.id == "desk:markets")
        .unwrap_or_else(|| panic!("{:#?}", response.topics));
    assert!(markets.model.ends_with("desk.model"), "{markets:?}");
    assert!(markets.score > 0.5);
    assert!(
        markets.features.iter().any(|f| f.feature == "w:shares"),
        "{:?}",
        markets.features
    );
    assert!(!response.topics.iter().any(|t| t.id == "medtop:15000000"));
    // IPTC labels come back under the lexicon's name.
    let sport = newstag::tagger::tag(
        &gazetteer,
        &request("Derby", "The striker scored a late goal for the club."),
    )
    .unwrap();
    let topic = sport
        .topics
        .iter()
        .find(|t| t.id == "medtop:15000000")
        .unwrap_or_else(|| panic!("{:#?}", sport.topics));
    assert!(!topic.model.is_empty());

    // `check` validates the directory with the model in it.
    let check = newstag(&["check", "--gazetteers", dir.path.to_str().unwrap()]);
    assert!(check.status.success(), "{check:?}");
}

#[test]
fn a_broken_model_names_its_line() {
    let dir = GazetteerDir::new("topic-model-broken");
    write_atomically(&dir.path, "entities.tsv", ENTITIES);
    write_atomically(
        &dir.path,
        "desk.model",
        "newstag-topic-model\t1\nlabel\tdesk:x\t0.5\t0.5\t0\tX\n\nfeature\tw:a\t1\t3:1\n",
    );
    let error = Gazetteer::load(Some(&dir.path)).unwrap_err().to_string();
    assert!(
        error.contains("desk.model:4: bad label index \"3\""),
        "{error}"
    );
}

#[test]
fn training_refuses_what_it_cannot_use() {
    let dir = GazetteerDir::new("topic-model-refusals");
    write_atomically(&dir.path, "entities.tsv", ENTITIES);
    std::fs::write(dir.path.join("a.jsonl.txt"), "{\"id\":1,\"body\":\"x\"}\n").unwrap();
    let unlabelled = newstag(&[
        "topics",
        "train",
        "--gazetteers",
        dir.path.to_str().unwrap(),
        "--data",
        dir.path.join("a.jsonl.txt").to_str().unwrap(),
        "--out",
        dir.path.join("x.model").to_str().unwrap(),
    ]);
    assert!(!unlabelled.status.success());
    assert!(
        String::from_utf8_lossy(&unlabelled.stderr).contains("no labelled article"),
        "{unlabelled:?}"
    );
    let wrong_name = newstag(&[
        "topics",
        "train",
        "--data",
        dir.path.join("a.jsonl.txt").to_str().unwrap(),
        "--out",
        dir.path.join("x.txt").to_str().unwrap(),
    ]);
    assert!(
        String::from_utf8_lossy(&wrong_name.stderr).contains("ends in .model"),
        "{wrong_name:?}"
    );
}

/// The topic ids the server gives a markets story.
async fn markets_story_topics(
    client: &mut newstag::proto::tagger_client::TaggerClient<tonic::transport::Channel>,
) -> Vec<String> {
    let story = support::request("m", "Stocks slide", "Investors sold shares as bonds fell.");
    let response = client.tag(story).await.unwrap().into_inner();
    response.topics.into_iter().map(|t| t.id).collect()
}

#[tokio::test]
async fn a_model_hot_reloads_and_a_broken_one_keeps_the_last_good() {
    let dir = GazetteerDir::new("topic-model-reload");
    write_atomically(&dir.path, "entities.tsv", ENTITIES);
    let server = support::start(dir.args()).await;
    let mut client = server.ready().await;
    let first = support::wait_for_info(&mut client, |_| true).await;
    // Trained elsewhere, then dropped into the watched directory.
    let elsewhere = GazetteerDir::new("topic-model-reload-train");
    write_atomically(&elsewhere.path, "entities.tsv", ENTITIES);
    assert!(train_into(&elsewhere.path).status.success());
    let model = std::fs::read_to_string(elsewhere.path.join("desk.model")).unwrap();
    write_atomically(&dir.path, "desk.model", &model);
    let with_model = support::wait_for_info(&mut client, |i| i.version != first.version).await;
    // GetGazetteerInfo lists the model: its file, labels and features.
    assert!(first.topic_models.is_empty());
    let [loaded] = &with_model.topic_models[..] else {
        panic!("{:?}", with_model.topic_models);
    };
    assert!(loaded.source.ends_with("desk.model"), "{}", loaded.source);
    assert!(loaded.label_ids.iter().any(|l| l == "desk:markets"));
    assert!(loaded.feature_count > 0);
    let topics = markets_story_topics(&mut client).await;
    assert!(topics.iter().any(|t| t == "desk:markets"), "{topics:?}");
    // A broken edit: rejected with its line, the model keeps serving.
    write_atomically(
        &dir.path,
        "desk.model",
        "newstag-topic-model\t1\nlabel\tbad\n",
    );
    let rejected = support::wait_for_info(&mut client, |i| {
        i.last_reload.as_ref().is_some_and(|r| !r.ok)
    })
    .await;
    assert_eq!(rejected.version, with_model.version);
    let errors = rejected.last_reload.unwrap().errors.join("\n");
    assert!(
        errors.contains("desk.model:2: a label line has 6"),
        "{errors}"
    );
    let topics = markets_story_topics(&mut client).await;
    assert!(topics.iter().any(|t| t == "desk:markets"), "{topics:?}");
    server.stop().await.unwrap();
}
