//! Table-driven cases for the matching rules: whole words, case policies, normalisation,
//! overlaps, stop phrases, surnames, shared forms and demonyms.

mod common;

use common::{entity, gazetteer, id_set, tag, tag_body};
use newstag::proto::{MentionKind, TagOptions};

/// (text, entity ids expected, in sorted order)
fn check_table(cases: &[(&str, &[&str])]) {
    let gazetteer = gazetteer();
    for (text, expected) in cases {
        let response = tag_body(&gazetteer, text);
        let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(id_set(&response), expected, "tagging {text:?}");
        for e in &response.entities {
            for m in &e.mentions {
                assert_eq!(
                    &text[m.start as usize..m.end as usize],
                    m.text,
                    "offsets of {:?} in {text:?}",
                    m.text
                );
            }
        }
    }
}

#[test]
fn whole_words_only() {
    check_table(&[
        ("The EUR fell.", &[]),
        ("Teutonic knights", &[]),
        ("Iranian officials met.", &[]),
        ("Iran's officials met.", &["country:IR"]),
        ("Russia's army", &["country:RU"]),
        ("Russia’s army", &["country:RU"]),
        ("the Russia-Ukraine war", &["country:RU", "country:UA"]),
        ("a pro-Russian rally", &["country:RU"]),
        ("in the EU.", &["org:eu"]),
        ("(NATO)", &["org:nato"]),
        ("Russians2", &[]),
    ]);
}

#[test]
fn smart_case_policy() {
    check_table(&[
        ("NATO said", &["org:nato"]),
        ("Nato said", &["org:nato"]),
        ("nato said", &[]),
        ("Opec cut output", &["org:opec"]),
        ("Eu said", &[]),
        ("let us talk", &[]),
        ("the US said", &["country:US"]),
        ("the U.S. said", &["country:US"]),
        ("who said that", &[]),
        ("the WHO said", &["org:who"]),
        ("roast turkey with chad and china plates in jordan", &[]),
        ("Turkey and Chad", &["country:TD", "country:TR"]),
        ("JAPAN GET LUCKY WIN", &["country:JP"]),
        ("RUSSIAN TROOPS", &["country:RU"]),
        ("russian troops", &[]),
    ]);
}

#[test]
fn exact_and_insensitive_policies() {
    check_table(&[
        ("Germany", &["country:DE"]),
        ("GERMANY", &[]),
        ("germany", &[]),
        ("france", &["country:FR"]),
        ("FrAnCe", &["country:FR"]),
    ]);
}

#[test]
fn normalisation_folds_typography_width_and_homoglyphs() {
    check_table(&[
        ("ＮＡＴＯ summit", &["org:nato"]),
        ("United\u{00A0}States", &["country:US"]),
        ("United\n\n  States", &["country:US"]),
        ("Rus\u{00AD}sia", &["country:RU"]),
        ("Сentral Tribune - Politic News", &["org:central-tribune"]),
        ("Сentral Tribune", &["org:central-tribune"]),
    ]);
}

#[test]
fn longest_match_wins_and_a_rejected_long_form_does_not_hide_a_shorter_one() {
    check_table(&[
        ("The New York Times reported", &["org:nyt"]),
        ("in New York today", &["city:nyc"]),
        // In capitals: "Timesheet" written in Title case would make "New York" part of a
        // longer name.
        ("NEW YORK TIMESHEET", &["city:nyc"]),
    ]);
}

#[test]
fn stop_phrases_win_over_shorter_entity_matches() {
    check_table(&[
        ("She moved to New Mexico.", &[]),
        ("Mexico and New Mexico", &["country:MX"]),
        ("He studied at Georgia Tech.", &[]),
        ("NEW MEXICO", &[]),
    ]);
}

#[test]
fn surnames_count_only_after_the_full_name() {
    let gazetteer = gazetteer();
    let alone = tag_body(&gazetteer, "Putin said nothing.");
    assert!(
        alone.entities.is_empty(),
        "a bare surname is not a tag: {alone:?}"
    );

    let response = tag(
        &gazetteer,
        "Putin demands guarantees",
        "Vladimir Putin said. Putin added.",
        TagOptions::default(),
    );
    let putin = entity(&response, "person:vladimir-putin").expect("Putin tagged");
    let kinds: Vec<i32> = putin.mentions.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            MentionKind::Surname as i32,
            MentionKind::Name as i32,
            MentionKind::Surname as i32
        ]
    );

    let truss = tag_body(&gazetteer, "Liz Truss spoke. Later Truss left.");
    assert_eq!(
        entity(&truss, "person:liz-truss").map(|e| e.mention_count),
        Some(2)
    );
}

#[test]
fn a_surname_shared_by_two_people_in_the_article_stays_unresolved() {
    let gazetteer = gazetteer();
    let response = tag_body(&gazetteer, "George Bush and Jeb Bush met. Bush said hello.");
    assert_eq!(
        entity(&response, "person:george-bush").map(|e| e.mention_count),
        Some(1)
    );
    assert_eq!(
        entity(&response, "person:jeb-bush").map(|e| e.mention_count),
        Some(1)
    );
    let one = tag_body(&gazetteer, "George W. Bush arrived. Bush said hello.");
    assert_eq!(
        entity(&one, "person:george-bush").map(|e| e.mention_count),
        Some(2)
    );
    assert!(entity(&one, "person:jeb-bush").is_none());
}

#[test]
fn shared_forms_go_to_the_entity_named_unambiguously_else_priority_else_nothing() {
    check_table(&[
        // Georgia: country and US state share the name.
        ("Georgia held talks.", &[]),
        ("Georgia held talks in Sakartvelo.", &["country:GE"]),
        (
            "The State of Georgia voted. Georgia counts ballots.",
            &["state:GA"],
        ),
        // Equal priority, nothing named elsewhere: no tag.
        ("Amazon grew.", &[]),
        // Priority decides when nothing else does.
        ("Mercury rose.", &["misc:mercury-planet"]),
        // Jordan the country vs Michael Jordan's surname.
        (
            "Michael Jordan scored. Jordan smiled.",
            &["person:michael-jordan"],
        ),
        ("Jordan closed its border.", &["country:JO"]),
        // Both fit the case policy; the one spelled exactly as written wins.
        ("FIFA said", &["org:fifa"]),
        ("Fifa sales", &["misc:fifa-game"]),
    ]);
    let gazetteer = gazetteer();
    let response = tag_body(&gazetteer, "Michael Jordan scored. Jordan smiled.");
    assert_eq!(
        entity(&response, "person:michael-jordan").map(|e| e.mention_count),
        Some(2)
    );
}

#[test]
fn demonyms_are_their_own_kind_and_weigh_less_than_names() {
    let gazetteer = gazetteer();
    let response = tag_body(&gazetteer, "Russian and Ukraine.");
    let russia = entity(&response, "country:RU").expect("demonym tags Russia");
    assert_eq!(russia.mentions[0].kind, MentionKind::Demonym as i32);
    let ukraine = entity(&response, "country:UA").expect("Ukraine tagged");
    assert!(
        ukraine.relevance > russia.relevance,
        "{ukraine:?} vs {russia:?}"
    );
}

#[test]
fn relevance_rises_with_title_mentions_early_mentions_and_frequency() {
    let gazetteer = gazetteer();
    let filler = "Officials met and talked for a long time about many things. ".repeat(20);
    let title = tag(
        &gazetteer,
        "Japan wins",
        &format!("{filler} China."),
        TagOptions::default(),
    );
    assert!(
        entity(&title, "country:JP").unwrap().relevance
            > entity(&title, "country:CN").unwrap().relevance
    );
    let early = tag_body(&gazetteer, &format!("Japan. {filler} China."));
    assert!(
        entity(&early, "country:JP").unwrap().relevance
            > entity(&early, "country:CN").unwrap().relevance
    );
    let frequent = tag_body(&gazetteer, &format!("China. Japan. {filler} Japan. Japan."));
    assert!(
        entity(&frequent, "country:JP").unwrap().relevance
            > entity(&frequent, "country:CN").unwrap().relevance
    );
    for e in &frequent.entities {
        assert!((0.0..=1.0).contains(&e.relevance));
    }
    assert_eq!(frequent.entities[0].id, "country:JP", "sorted by relevance");
}

#[test]
fn mentions_carry_field_alias_kind_and_xrefs() {
    let gazetteer = gazetteer();
    let response = tag(
        &gazetteer,
        "NATO meets",
        "The North Atlantic Treaty Organization met.",
        TagOptions::default(),
    );
    let nato = entity(&response, "org:nato").unwrap();
    assert_eq!(
        nato.xrefs.get("wikidata").map(String::as_str),
        Some("Q7184")
    );
    assert_eq!(nato.r#type, "organisation");
    assert_eq!(nato.mentions[0].field, newstag::proto::Field::Title as i32);
    assert_eq!(nato.mentions[0].alias, "NATO");
    assert_eq!(nato.mentions[0].kind, MentionKind::Acronym as i32);
    assert_eq!(nato.mentions[1].field, newstag::proto::Field::Body as i32);
    assert_eq!(nato.mentions[1].kind, MentionKind::Name as i32);
    assert_eq!(nato.mention_count, 2);
}

#[test]
fn options_filter_types_and_relevance() {
    let gazetteer = gazetteer();
    let text = "NATO and Russia. Russia again. Russia.";
    let only_countries = tag(
        &gazetteer,
        "",
        text,
        TagOptions {
            entity_types: vec!["country".into()],
            ..TagOptions::default()
        },
    );
    assert_eq!(common::ids(&only_countries), ["country:RU"]);
    let strict = tag(
        &gazetteer,
        "",
        text,
        TagOptions {
            min_relevance: 0.6,
            ..TagOptions::default()
        },
    );
    assert_eq!(common::ids(&strict), ["country:RU"]);
}

#[test]
fn empty_article_is_an_error() {
    let gazetteer = gazetteer();
    let article = newstag::proto::Article {
        id: "x".into(),
        title: " ".into(),
        body: "".into(),
        language: "".into(),
    };
    let error = newstag::tag_article(
        &gazetteer,
        &article,
        &TagOptions::default(),
        newstag::Rules::default(),
    )
    .unwrap_err();
    assert_eq!(error, newstag::TagError::EmptyArticle);
    let bad_unit = TagOptions {
        offset_unit: 9,
        ..TagOptions::default()
    };
    let article = newstag::proto::Article {
        body: "Russia".into(),
        ..article
    };
    let error = newstag::tag_article(&gazetteer, &article, &bad_unit, newstag::Rules::default())
        .unwrap_err();
    assert!(error.to_string().contains("offset_unit"), "{error}");
}

#[test]
fn country_names_inside_longer_proper_names_are_not_country_tags() {
    check_table(&[
        (
            "The pitch came off Chad Curtis in the twelfth inning of the game.",
            &[],
        ),
        (
            "The director Neil Jordan says he lost sleep over the film. Jordan defends his decision.",
            &[],
        ),
        (
            "The director Neil Jordan spoke. The Hashemite Kingdom of Jordan closed its border.",
            &["country:JO"],
        ),
        (
            "Jordan closed its border with the neighbouring countries on Monday.",
            &["country:JO"],
        ),
        (
            "Shares rose after the Bank of Japan left its policy unchanged this morning.",
            &[],
        ),
        (
            "Russian President Vladimir Putin said the talks would resume soon.",
            &["country:RU", "person:vladimir-putin"],
        ),
        (
            "JAPAN BEAT CHINA IN THE FINAL",
            &["country:CN", "country:JP"],
        ),
    ]);
}
