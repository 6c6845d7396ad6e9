//! The seed article with the bundled default gazetteers.

use newstag::Gazetteer;
use newstag::proto::{Article, TagOptions, TagResponse};

const SEED: &str = include_str!("fixtures/seed-article.txt");

fn tag_seed() -> TagResponse {
    let gazetteer = Gazetteer::bundled().expect("bundled gazetteers compile");
    let article = Article {
        id: "seed".into(),
        body: SEED.into(),
        ..Article::default()
    };
    newstag::tag_article(
        &gazetteer,
        &article,
        &TagOptions::default(),
        newstag::Rules::default(),
    )
    .unwrap()
}

fn rank(response: &TagResponse, id: &str) -> usize {
    response
        .entities
        .iter()
        .position(|e| e.id == id)
        .unwrap_or_else(|| panic!("{id} not tagged"))
}

#[test]
fn main_actors_rank_above_teaser_mentions() {
    let response = tag_seed();
    for main in [
        "person:vladimir-putin",
        "country:RU",
        "country:UA",
        "org:nato",
    ] {
        for teaser in ["person:donald-trump", "org:delta"] {
            assert!(
                rank(&response, main) < rank(&response, teaser),
                "{main} should outrank {teaser}"
            );
        }
    }
}

#[test]
fn secondary_entities_are_found() {
    let response = tag_seed();
    for id in [
        "org:osce",
        "org:eu",
        "person:joe-biden",
        "person:liz-truss",
        "person:volodymyr-zelenskyy",
        "country:RO",
        "country:PL",
    ] {
        rank(&response, id);
    }
    let zelenskiy = response
        .entities
        .iter()
        .find(|e| e.id == "person:volodymyr-zelenskyy")
        .unwrap();
    assert_eq!(zelenskiy.mentions[0].text, "Volodymyr Zelenskiy");
    // "who" in running text is not the World Health Organization; "us" is not the US.
    assert!(response.entities.iter().all(|e| e.id != "org:who"));
    let us = response
        .entities
        .iter()
        .find(|e| e.id == "country:US")
        .unwrap();
    assert!(us.mentions.iter().all(|m| m.text != "us"));
}

#[test]
fn offsets_slice_the_seed_and_the_cyrillic_c_is_normalised() {
    let response = tag_seed();
    for e in &response.entities {
        for m in &e.mentions {
            assert_eq!(&SEED[m.start as usize..m.end as usize], m.text);
        }
    }
    let russia_curly = "Russia’s";
    let at = SEED.find(russia_curly).unwrap();
    let russia = response
        .entities
        .iter()
        .find(|e| e.id == "country:RU")
        .unwrap();
    assert!(
        russia
            .mentions
            .iter()
            .any(|m| m.start as usize == at && m.text == "Russia")
    );

    let line = SEED.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
    assert!(
        line.starts_with('\u{0421}'),
        "the fixture keeps its Cyrillic С"
    );
    let normalised = newstag::text::normalise(line);
    assert!(
        normalised.text.starts_with("central tribune"),
        "{:?}",
        normalised.text
    );
}

#[test]
fn seed_topics_are_politics_and_conflict() {
    let response = tag_seed();
    let ids: Vec<&str> = response.topics.iter().map(|t| t.id.as_str()).collect();
    for expected in ["medtop:11000000", "medtop:16000000", "medtop:20000638"] {
        assert!(ids.contains(&expected), "{expected} in {ids:?}");
    }
    assert!(!ids.contains(&"medtop:15000000"), "no sport: {ids:?}");
}
