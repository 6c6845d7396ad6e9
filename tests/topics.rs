//! Topic scoring: keyword and entity evidence, inheritance up the hierarchy, threshold, cap.

mod common;

use common::{gazetteer, tag, tag_body};
use newstag::proto::TagOptions;

#[test]
fn keywords_and_entity_topics_score_and_inherit() {
    let g = gazetteer();
    let response = tag(
        &g,
        "Election day",
        "Voters cast a ballot in the election. Every vote counts.",
        TagOptions::default(),
    );
    let election = response
        .topics
        .iter()
        .find(|t| t.id == "medtop:20000574")
        .expect("election topic");
    assert!(election.direct);
    assert!(
        election
            .keywords
            .iter()
            .any(|k| k.keyword == "election" && k.count == 2)
    );
    let politics = response
        .topics
        .iter()
        .find(|t| t.id == "medtop:11000000")
        .expect("politics inherited");
    assert!(!politics.direct);
    assert_eq!(politics.inherited_from, "medtop:20000574");
    assert!(politics.score >= election.score);
    for t in &response.topics {
        assert!((0.0..=1.0).contains(&t.score));
    }

    let nato = tag_body(&g, "NATO met. NATO leaders talked. NATO agreed.");
    let defense = nato
        .topics
        .iter()
        .find(|t| t.id == "medtop:20000598")
        .expect("entity topic");
    assert_eq!(defense.entity_ids, ["org:nato"]);
}

#[test]
fn weak_evidence_stays_under_the_threshold_and_max_topics_caps() {
    let g = gazetteer();
    let filler = "Nothing much happened here today. ".repeat(5);
    let weak = tag_body(&g, &format!("{filler} One vote."));
    assert!(weak.topics.is_empty(), "{:?}", weak.topics);
    let loose = tag(
        &g,
        "",
        &format!("{filler} One vote."),
        TagOptions {
            min_topic_score: 0.01,
            ..TagOptions::default()
        },
    );
    assert!(!loose.topics.is_empty());
    let capped = tag(
        &g,
        "Election",
        "ballot vote election troops invasion",
        TagOptions {
            max_topics: 1,
            ..TagOptions::default()
        },
    );
    assert_eq!(capped.topics.len(), 1);
    // The cap keeps the best topics, whole: the head of the uncapped list, which here does not
    // start with the lexicon's first topic.
    let capped_to = |max_topics| {
        tag(
            &g,
            "Troops",
            "troops invasion troops, a vote and a ballot",
            TagOptions {
                max_topics,
                ..TagOptions::default()
            },
        )
        .topics
    };
    let uncapped = capped_to(0);
    assert!(uncapped.len() > 2, "{uncapped:?}");
    assert_eq!(capped_to(1)[..], uncapped[..1]);
    assert_eq!(capped_to(2)[..], uncapped[..2]);
}

#[test]
fn lower_case_turkey_is_food_not_a_country() {
    let g = gazetteer();
    let response = tag(
        &g,
        "Roast turkey recipe",
        "This recipe for roast turkey serves six.",
        TagOptions::default(),
    );
    assert!(response.entities.is_empty());
    assert_eq!(response.topics[0].id, "medtop:10000000");
}
