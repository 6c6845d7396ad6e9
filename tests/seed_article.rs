//! The seed article with the bundled default gazetteers.

use newstag::Gazetteer;
use newstag::proto::{Article, TagOptions, TagResponse};

const SEED: &str = include_str!("fixtures/seed-article.txt");

/// Compiled once for all tests of this file.
static BUNDLED: std::sync::LazyLock<Gazetteer> =
    std::sync::LazyLock::new(|| Gazetteer::bundled().expect("bundled gazetteers compile"));

fn tag_seed() -> TagResponse {
    let gazetteer = &*BUNDLED;
    let article = Article {
        id: "seed".into(),
        body: SEED.into(),
        ..Article::default()
    };
    newstag::tag_article(
        gazetteer,
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
fn putin_russia_ukraine_and_nato_are_the_top_four() {
    let response = tag_seed();
    let mut top: Vec<&str> = response
        .entities
        .iter()
        .take(4)
        .map(|e| e.id.as_str())
        .collect();
    top.sort();
    assert_eq!(
        top,
        [
            "country:RU",
            "country:UA",
            "org:nato",
            "person:vladimir-putin"
        ]
    );
}

#[test]
fn secondary_entities_are_found_and_teasers_rank_below_them() {
    let response = tag_seed();
    let found = [
        "country:US",
        "org:osce",
        "org:eu",
        "person:joe-biden",
        "person:liz-truss",
        "person:volodymyr-zelenskyy",
        "country:PL",
        "country:RO",
        "country:GB",
    ];
    for id in found {
        for teaser in ["person:donald-trump", "org:delta"] {
            assert!(
                rank(&response, id) < rank(&response, teaser),
                "{id} should outrank {teaser}"
            );
        }
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
    let putin = response
        .entities
        .iter()
        .find(|e| e.id == "person:vladimir-putin")
        .unwrap();
    assert_eq!(
        putin.xrefs.get("wikidata").map(String::as_str),
        Some("Q7747")
    );
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
    assert!(
        ids[..2].contains(&"medtop:11000000") && ids[..3].contains(&"medtop:16000000"),
        "{ids:?}"
    );
    assert!(!ids.contains(&"medtop:15000000"), "no sport: {ids:?}");
}

/// False friends: none of these names a country or organisation with the bundled set.
#[test]
fn false_friends_produce_no_country_or_organisation() {
    let gazetteer = &*BUNDLED;
    let cases = [
        "Let us know what you think.",
        "The man who sold the world.",
        "Roast the turkey for three hours.",
        "A hanging chad decided the count.",
        "She studied at Georgia Tech last year.",
        "They moved to New Mexico in June.",
        "He ordered French fries and Swiss cheese.",
        "The Indian Ocean was calm.",
        "Latin American markets rallied.",
        "Fine china and a jordan almond.",
    ];
    for text in cases {
        let article = Article {
            id: "f".into(),
            body: text.into(),
            ..Article::default()
        };
        let response = newstag::tag_article(
            gazetteer,
            &article,
            &TagOptions::default(),
            newstag::Rules::default(),
        )
        .unwrap();
        let wrong: Vec<&str> = response
            .entities
            .iter()
            // "New Mexico" is a US state now, which implies (infers) the United States.
            .filter(|e| !e.inferred && (e.r#type == "country" || e.r#type == "organisation"))
            .map(|e| e.id.as_str())
            .collect();
        assert!(wrong.is_empty(), "{text:?} tagged {wrong:?}");
    }
}

#[test]
fn names_the_gazetteer_lacks_are_found_and_boilerplate_is_not() {
    let response = tag_seed();
    let unlinked: Vec<(&str, &str)> = response
        .entities
        .iter()
        .filter(|e| !e.linked)
        .map(|e| (e.name.as_str(), e.r#type.as_str()))
        .collect();
    for person in ["Adeline van Houtte", "Bill O’Reilly", "Paul Sancya"] {
        assert!(
            unlinked.contains(&(person, "person")),
            "{person} not found: {unlinked:?}"
        );
    }
    // "Kremlin" is the gazetteer's (or nobody's), never an unlinked name; the "Connect with
    // us" boilerplate is no name at all.
    for text in ["Kremlin", "Kremlin’s", "Connect", "Connect with us"] {
        assert!(
            !response
                .entities
                .iter()
                .filter(|e| !e.linked)
                .flat_map(|e| &e.mentions)
                .any(|m| m.text == text),
            "{text:?} tagged as an unlinked name: {unlinked:?}"
        );
    }
    let van_houtte = response
        .entities
        .iter()
        .find(|e| e.id == "unlinked:person:adeline-van-houtte")
        .expect("id from the normalised name");
    assert!(van_houtte.xrefs.is_empty());
}

fn tag_text(title: &str, body: &str) -> TagResponse {
    let article = Article {
        id: "story".into(),
        title: title.into(),
        body: body.into(),
        ..Article::default()
    };
    newstag::tag_article(
        &BUNDLED,
        &article,
        &TagOptions {
            explain: true,
            ..TagOptions::default()
        },
        newstag::Rules::default(),
    )
    .unwrap()
}

const SPORT: &str = "medtop:15000000";

#[test]
fn words_of_winning_make_no_sport_in_politics_or_business() {
    let election = tag_text(
        "Conservatives claim victory as Social Democrats suffer heavy defeat",
        "BERLIN — Germany's conservatives won Sunday's federal election, a clear win that beat \
         the polls, while the Social Democrats suffered their worst defeat since the war. The \
         victory puts the conservative leader on course to become chancellor; he must now build \
         a coalition in parliament. The far right came second, its best result yet.",
    );
    assert_no_sport_and_first(&election, "medtop:11000000");

    let earnings = tag_text(
        "Chip maker beats forecasts",
        "The chip maker beat analysts' forecasts on Thursday, a victory for its chief executive \
         after last year's defeat in the smartphone market. Quarterly earnings rose 12 percent \
         on record revenue from data centres, and the company raised its dividend. Shares won \
         4 percent in after-hours trading.",
    );
    assert_no_sport_and_first(&earnings, "medtop:04000000");
}

#[test]
fn match_scores_say_sport_where_no_sport_word_does() {
    // Sides and scores, no word of sport: the scores carry it, and explain names the cue.
    let results = tag_text(
        "Novak wins in Tokyo",
        "Jiri Novak of the Czech Republic beat Taylor Dent 5-7, 6-1, 6-3 on Sunday.",
    );
    let sport = topic(&results, SPORT);
    assert_eq!(results.topics[0].id, SPORT, "{:?}", results.topics);
    let cue = sport
        .keywords
        .iter()
        .find(|k| k.keyword == "<score>")
        .unwrap_or_else(|| panic!("no <score> evidence: {:?}", sport.keywords));
    assert_eq!(cue.count, 3);
    assert!(cue.weight > 0.0);

    // A vote's tally, a court's split and a range are no scores.
    let vote = tag_text(
        "Senate passes budget",
        "The Senate voted 52-47 on Tuesday to pass the budget, and the Supreme Court upheld \
         the law in a 5-4 ruling. Sales rose 1-3 pct in November 16-18 trading.",
    );
    assert_no_sport_and_first(&vote, "medtop:11000000");
}

/// The topic `id` of a response; the test fails, listing the topics, where there is none.
fn topic<'a>(response: &'a TagResponse, id: &str) -> &'a newstag::proto::Topic {
    response
        .topics
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no topic {id}: {:?}", response.topics))
}

/// No sport among the topics, and `first` ranked first.
fn assert_no_sport_and_first(response: &TagResponse, first: &str) {
    let ids: Vec<&str> = response.topics.iter().map(|t| t.id.as_str()).collect();
    assert!(!ids.contains(&SPORT), "{ids:?}");
    assert_eq!(ids.first(), Some(&first), "{ids:?}");
}

#[test]
fn clubs_and_athletes_carry_sport_and_explain_says_so() {
    let report = tag_text(
        "",
        "Manchester United beat Tottenham Hotspur on Saturday. Two late headers gave United the \
         win; Tottenham Hotspur stay fifth.",
    );
    let sport = topic(&report, SPORT);
    // The clubs carried it: their categories map to sport, and with them the supporting
    // "beat" and "win" count.
    let clubs: Vec<&str> = sport
        .entities
        .iter()
        .filter(|e| e.category == "club")
        .map(|e| e.id.as_str())
        .collect();
    assert!(clubs.len() >= 2, "{:?}", sport.entities);
    assert!(
        sport
            .keywords
            .iter()
            .any(|k| k.keyword == "win" && k.supporting && k.weight > 0.0),
        "{:?}",
        sport.keywords
    );
}

/// A story about countries, with no other word for its topic, is about international
/// relations: the countries carry it, and explain names them.
#[test]
fn countries_carry_international_relations() {
    let report = tag_text(
        "Chile and Peru",
        "Chile and Peru met on Tuesday. Chile wants the border talks to go on; Peru does not.",
    );
    let relations = topic(&report, "medtop:20000638");
    let countries: Vec<&str> = relations
        .entities
        .iter()
        .filter(|e| e.category == "sovereign-state")
        .map(|e| e.id.as_str())
        .collect();
    assert!(
        countries.contains(&"country:CL") && countries.contains(&"country:PE"),
        "{:?}",
        relations.entities
    );
}

/// A well-known person whose title names them ("Diana, Princess of Wales") is found by the
/// form stories use, and her given name alone then refers to her, not to a namesake whose
/// surname it is.
#[test]
fn a_title_epithet_gives_the_form_stories_use() {
    let report = tag_text(
        "Tapes of Princess Diana",
        "Videotapes of the late Princess Diana were shown on Monday. Diana recorded them in 1992.",
    );
    let diana = report
        .entities
        .iter()
        .find(|e| e.xrefs.get("wikidata").map(String::as_str) == Some("Q9685"))
        .unwrap_or_else(|| panic!("no Princess Diana: {:?}", report.entities));
    assert!(diana.mentions.len() >= 3, "{:?}", diana.mentions);
    assert!(
        report
            .entities
            .iter()
            .all(|e| e.id == diana.id || !e.name.contains("Diana")),
        "{:?}",
        report.entities
    );
}

/// The best-known firms are found by the names stories use: a brand sold worldwide whose
/// name the dictionary lists as a proper noun ("Volkswagen", "Samsung"), a firm named by
/// common words ("General Electric"), and a research registry's row ("Google Research",
/// "Amazon.com") by its brand's name.
#[test]
fn well_known_firms_are_found_by_the_names_stories_use() {
    let report = tag_text(
        "Carmakers and technology firms",
        "Shares of Volkswagen fell on Tuesday, while Samsung, General Electric, Google and \
         Amazon rose after the results.",
    );
    let linked: Vec<&str> = report
        .entities
        .iter()
        .filter_map(|e| e.xrefs.get("wikidata").map(String::as_str))
        .collect();
    // Volkswagen, Samsung Electronics, General Electric, Google, Amazon.
    for qid in ["Q246", "Q20718", "Q54173", "Q95", "Q3884"] {
        assert!(
            linked.contains(&qid),
            "{qid} not linked: {:?}",
            report.entities
        );
    }
}

#[test]
fn franchises_are_found_by_their_nicknames_and_people_are_not() {
    let report = tag_text(
        "Redskins edge Cowboys",
        "The Redskins beat the Cowboys 21-14 on Sunday, and the Yankees lost to the Red Sox. \
         Texans voted on Tuesday, and Senators debated the budget.",
    );
    let linked: Vec<&str> = report
        .entities
        .iter()
        .filter_map(|e| e.xrefs.get("wikidata").map(String::as_str))
        .collect();
    // Washington Redskins, Dallas Cowboys, New York Yankees, Boston Red Sox.
    for qid in ["Q212654", "Q204862", "Q213417", "Q213959"] {
        assert!(
            linked.contains(&qid),
            "{qid} not linked: {:?}",
            report.entities
        );
    }
    // A place's people and a title are not teams: Houston Texans, Ottawa Senators.
    for name in ["Houston Texans", "Ottawa Senators"] {
        assert!(
            report.entities.iter().all(|e| e.name != name),
            "{name} tagged: {:?}",
            report.entities
        );
    }
}

#[test]
fn a_surname_before_a_place_is_two_names_side_by_side() {
    // "Lebed Chechnya" is the general and the region, not a longer name whose word would hide
    // every later "Chechnya"; a given name before a place still starts a person's name.
    let report = tag_text(
        "",
        "Yeltsin endorses Lebed Chechnya peace plan. President Boris Yeltsin backed security \
         chief Alexander Lebed's peace plan for Chechnya, the agency said. Moscow wants to keep \
         Chechnya as a part of the Russian Federation.",
    );
    let chechnya = report
        .entities
        .iter()
        .find(|e| e.xrefs.get("wikidata").map(String::as_str) == Some("Q5187"))
        .unwrap_or_else(|| panic!("Chechnya not tagged: {:?}", report.entities));
    assert_eq!(chechnya.mention_count, 3, "{:?}", chechnya.mentions);
    assert!(
        report.entities.iter().any(|e| e.name == "Alexander Lebed"),
        "{:?}",
        report.entities
    );
}

#[test]
fn a_town_named_like_a_country_needs_more_than_its_country() {
    // Jamaica, Queens lies within the United States, which the table also names: the country
    // alone does not place the town, and "Jamaica" is the country.
    let report = tag_text(
        "Athletics results",
        "Leading results at the Berlin Grand Prix athletics meeting on Friday: 1. Michelle \
         Freeman ( Jamaica ) 12.71 seconds 2. Gail Devers ( United States ) 12.74 3. Aliuska \
         Lopez ( Cuba ) 12.92",
    );
    let jamaica = report
        .entities
        .iter()
        .find(|e| e.mentions.iter().any(|m| m.text == "Jamaica"))
        .unwrap_or_else(|| panic!("Jamaica not tagged: {:?}", report.entities));
    assert_eq!(jamaica.id, "country:JM", "{jamaica:?}");
}

#[test]
fn a_person_is_of_the_trade_their_description_names() {
    // Wikidata lists every trade a person had: Steve Jobs also produced films, Agatha
    // Christie acted, Gerald Ford played football. The description says what each is known for,
    // and an actor's category would put a technology story under entertainment.
    let report = tag_text(
        "",
        "Steve Jobs met Richard Branson. Agatha Christie wrote to Gerald Ford, and Christina \
         Aguilera sang.",
    );
    for (name, category) in [
        ("Steve Jobs", "businessperson"),
        ("Richard Branson", "businessperson"),
        ("Agatha Christie", "writer"),
        ("Gerald Ford", "politician"),
        ("Christina Aguilera", "musician"),
    ] {
        let person = report
            .entities
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("{name} not tagged: {:?}", report.entities));
        assert_eq!(person.category, category, "{person:?}");
    }
}
