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

/// A gazetteer whose entities have categories, a lexicon with supporting keywords (`~`), and a
/// category mapping.
fn categorised(
    mapping: Option<&str>,
) -> Result<newstag::Gazetteer, newstag::gazetteer::GazetteerError> {
    let entities = "\
id\ttype\tcategory\tname\ttopics
org:rovers\torganisation\tclub\tBlackwater Rovers\t
org:united\torganisation\tclub\tKingsport United\t
person:jo-striker\tperson\tathlete\tJo Striker\t
org:big-bank\torganisation\tbank\tHarbour Savings Bank\t
org:guild\torganisation\tclub\tCarvers Guild\tmedtop:20000574
person:ann-polk\tperson\tpolitician\tAnn Polk\t
";
    let topics = "\
id\tlabel\tparent\tkeywords
medtop:11000000\tpolitics\t\tparliament^2|~leader
medtop:20000574\telection\tmedtop:11000000\telection^2|ballot
medtop:15000000\tsport\t\tstadium^2|~win|~defeat|~victory|~beat
medtop:04000000\teconomy, business and finance\t\tearnings^2|~deal
medtop:20000274\tbanking\tmedtop:04000000\t
";
    let mut files = vec![
        newstag::gazetteer::file("entities.tsv", entities),
        newstag::gazetteer::file("lexicon.topics", topics),
    ];
    if let Some(mapping) = mapping {
        files.push(newstag::gazetteer::file("entity.categories", mapping));
    }
    newstag::Gazetteer::from_files(&files)
}

const MAPPING: &str = "\
# clubs and athletes are sport; banks are banking
category\ttopic\tweight
club\tmedtop:15000000\t1
athlete\tmedtop:15000000\t
bank\tmedtop:20000274\t0.5
";

fn topic<'a>(
    response: &'a newstag::proto::TagResponse,
    id: &str,
) -> Option<&'a newstag::proto::Topic> {
    response.topics.iter().find(|t| t.id == id)
}

#[test]
fn supporting_words_never_make_a_topic_alone() {
    let g = categorised(Some(MAPPING)).unwrap();
    // An election story full of sports words: no sport.
    let politics = tag(
        &g,
        "Victory for the opposition",
        "The ballot ended in defeat for the government: a clear win, a victory that beat every \
         poll. The election leader thanked voters.",
        TagOptions {
            min_topic_score: 0.01,
            explain: true,
            ..TagOptions::default()
        },
    );
    assert!(
        topic(&politics, "medtop:15000000").is_none(),
        "{:?}",
        politics.topics
    );
    let election = topic(&politics, "medtop:20000574").expect("election");
    assert!(election.direct);
    // The politics supporting word counts: politics has evidence of its own (its child).
    let politics_topic = topic(&politics, "medtop:11000000").expect("politics");
    let leader = politics_topic
        .keywords
        .iter()
        .find(|k| k.keyword == "leader")
        .expect("leader listed");
    assert!(leader.supporting && leader.weight > 0.0, "{leader:?}");

    // The same words beside a sports keyword count for sport.
    let with_stadium = tag(
        &g,
        "",
        "A win at the stadium: victory after last week's defeat.",
        TagOptions {
            min_topic_score: 0.01,
            ..TagOptions::default()
        },
    );
    let sport = topic(&with_stadium, "medtop:15000000").expect("sport");
    let win = sport
        .keywords
        .iter()
        .find(|k| k.keyword == "win")
        .expect("win");
    assert!(win.supporting && win.weight > 0.0);
    let stadium = sport
        .keywords
        .iter()
        .find(|k| k.keyword == "stadium")
        .expect("stadium");
    assert!(!stadium.supporting && stadium.weight > 0.0);
    let alone = tag(
        &g,
        "",
        "A stadium.",
        TagOptions {
            min_topic_score: 0.01,
            ..TagOptions::default()
        },
    );
    assert!(topic(&alone, "medtop:15000000").unwrap().score < sport.score);
}

#[test]
fn entity_categories_are_evidence_through_the_mapping() {
    let text = "Blackwater Rovers beat Kingsport United. Jo Striker scored twice for Blackwater \
                Rovers, a win that Kingsport United did not expect.";
    let options = TagOptions {
        min_topic_score: 0.01,
        explain: true,
        ..TagOptions::default()
    };
    // Without a mapping the clubs say nothing, and "beat" and "win" cannot make sport.
    let unmapped = categorised(None).unwrap();
    let response = tag(&unmapped, "", text, options.clone());
    assert!(
        topic(&response, "medtop:15000000").is_none(),
        "{:?}",
        response.topics
    );

    let g = categorised(Some(MAPPING)).unwrap();
    let response = tag(&g, "", text, options.clone());
    let sport = topic(&response, "medtop:15000000").expect("sport from the clubs");
    assert!(sport.direct);
    assert_eq!(
        sport.entity_ids,
        ["org:rovers", "org:united", "person:jo-striker"]
    );
    // Explain: what each entity added, largest first, with its category; grounded by the
    // entities, the supporting words count.
    assert_eq!(sport.entities.len(), 3);
    assert!(
        sport
            .entities
            .windows(2)
            .all(|w| w[0].weight >= w[1].weight)
    );
    let rovers = sport
        .entities
        .iter()
        .find(|e| e.id == "org:rovers")
        .unwrap();
    assert_eq!(rovers.category, "club");
    assert!(rovers.weight > 0.0);
    assert!(
        sport
            .keywords
            .iter()
            .any(|k| k.keyword == "win" && k.weight > 0.0)
    );
    // Without explain the ids stay, the per-entity evidence does not.
    let quiet = tag(
        &g,
        "",
        text,
        TagOptions {
            min_topic_score: 0.01,
            ..TagOptions::default()
        },
    );
    assert!(
        topic(&quiet, "medtop:15000000")
            .unwrap()
            .entities
            .is_empty()
    );

    // The weight scales the evidence: a bank at 0.5 gives banking half its relevance, and
    // banking's score carries up to business.
    let bank = tag(&g, "", "Harbour Savings Bank said so.", options.clone());
    let banking = topic(&bank, "medtop:20000274").expect("banking");
    let relevance = bank.entities[0].relevance;
    assert!((banking.entities[0].weight - 0.5 * relevance).abs() < 1e-3);
    assert!(topic(&bank, "medtop:04000000").is_some());

    // A row that names its topics keeps them: the guild is a club, but its row says election.
    let guild = tag(&g, "", "Carvers Guild met.", options);
    assert!(topic(&guild, "medtop:20000574").is_some());
    assert!(
        topic(&guild, "medtop:15000000").is_none(),
        "{:?}",
        guild.topics
    );
}

#[test]
fn a_bad_mapping_is_rejected_with_path_and_line() {
    let bad = "\
category\ttopic\tweight
club\tmedtop:99999999\t1
clubb\tmedtop:15000000\t1
athlete\tmedtop:15000000\t9
bank\tmedtop:20000274\t
bank\tmedtop:20000274\t0.5
Bank Holding\tmedtop:20000274\t
athlete\t\t
";
    let error = categorised(Some(bad)).unwrap_err().to_string();
    for expected in [
        "entity.categories:2: unknown topic \"medtop:99999999\"",
        "entity.categories:3: no entity has category \"clubb\" (did you mean club?)",
        "entity.categories:4: bad weight \"9\"",
        "entity.categories:6: category \"bank\" mapped to \"medtop:20000274\" twice (first at entity.categories:5)",
        "entity.categories:7: bad category \"Bank Holding\"",
        "entity.categories:8: empty topic",
    ] {
        assert!(error.contains(expected), "{expected:?} not in {error}");
    }
    assert!(
        categorised(Some("category\tweight\nclub\t1\n"))
            .unwrap_err()
            .to_string()
            .contains("entity.categories:1")
    );
}

/// A lexicon that lists a keyword and its plural ("company|companies") counts one word of the
/// text once: the plural derived from "company" gives way to the keyword listed for it.
#[test]
fn a_listed_plural_is_not_counted_twice() {
    let lexicon = "id\tlabel\tparent\tkeywords\nmedtop:04000000\teconomy\t\tcompany|companies^2|shareholder\n";
    let g = newstag::Gazetteer::from_files(&[
        newstag::gazetteer::file("e.tsv", "id\ttype\tname\nx\tcountry\tFreedonia\n"),
        newstag::gazetteer::file("t.topics", lexicon),
    ])
    .expect("lexicon compiles");
    let response = tag_body(&g, "The companies and a shareholder met.");
    let economy = response
        .topics
        .iter()
        .find(|t| t.id == "medtop:04000000")
        .expect("economy");
    let words: Vec<(&str, u32, f64)> = economy
        .keywords
        .iter()
        .map(|k| (k.keyword.as_str(), k.count, k.weight))
        .collect();
    assert_eq!(words.len(), 2, "{words:?}");
    assert!(
        words
            .iter()
            .any(|&(k, n, w)| k == "companies" && n == 1 && w > 0.0),
        "{words:?}"
    );
    // "company" still finds its derived plural when the lexicon does not list it.
    let lexicon = "id\tlabel\tparent\tkeywords\nmedtop:04000000\teconomy\t\tcompany\n";
    let g = newstag::Gazetteer::from_files(&[
        newstag::gazetteer::file("e.tsv", "id\ttype\tname\nx\tcountry\tFreedonia\n"),
        newstag::gazetteer::file("t.topics", lexicon),
    ])
    .expect("lexicon compiles");
    let loose = TagOptions {
        min_topic_score: 0.01,
        ..TagOptions::default()
    };
    let response = tag(&g, "", "The companies met.", loose.clone());
    assert!(
        response.topics.iter().any(|t| t.id == "medtop:04000000"
            && t.keywords
                .iter()
                .any(|k| k.keyword == "company" && k.count == 1)),
        "{:?}",
        response.topics
    );
    // The keyword and its derived plural are one keyword seen twice, not two keywords.
    let response = tag(&g, "", "A company bought two companies.", loose);
    let economy = response
        .topics
        .iter()
        .find(|t| t.id == "medtop:04000000")
        .expect("economy");
    assert_eq!(economy.keywords.len(), 1, "{:?}", economy.keywords);
    assert_eq!(economy.keywords[0].count, 2);
}

/// A category mapped with a weight under one half is weak evidence: it adds to its topic but
/// does not ground the tree, so the tree's supporting words still count for nothing ("the
/// club's leader" in a story that names a country is no politics). Mapped at full weight, it
/// grounds them.
#[test]
fn weak_entity_evidence_licenses_no_supporting_word() {
    let options = TagOptions {
        min_topic_score: 0.001,
        explain: true,
        ..TagOptions::default()
    };
    let text = "Ann Polk spoke. The leader of the leaders said so.";
    let leader_weight = |mapping: &str| {
        let g = categorised(Some(mapping)).unwrap();
        let response = tag(&g, "", text, options.clone());
        let politics = topic(&response, "medtop:11000000").expect("politics from Ann Polk");
        assert_eq!(politics.entity_ids, ["person:ann-polk"]);
        politics
            .keywords
            .iter()
            .find(|k| k.keyword == "leader")
            .map_or(0.0, |k| k.weight)
    };
    let weak = leader_weight("category\ttopic\tweight\npolitician\tmedtop:11000000\t0.25\n");
    let strong = leader_weight("category\ttopic\tweight\npolitician\tmedtop:11000000\t1\n");
    assert_eq!(weak, 0.0);
    assert!(strong > 0.0);
}

/// A keyword inside a linked person's name is the name, not the word: "Barry Bonds" and a
/// later "Bonds" say nothing about the bond market, where "government bonds" do.
#[test]
fn a_keyword_in_a_persons_name_is_no_evidence() {
    let g = newstag::Gazetteer::from_files(&[
        newstag::gazetteer::file(
            "people.tsv",
            "id\ttype\tname\nperson:barry-bonds\tperson\tBarry Bonds\n",
        ),
        newstag::gazetteer::file(
            "lexicon.topics",
            "id\tlabel\tparent\tkeywords\nmedtop:20000385\tmarket and exchange\t\tbonds^2\n",
        ),
    ])
    .unwrap();
    let options = TagOptions {
        min_topic_score: 0.01,
        ..TagOptions::default()
    };
    let player = tag(
        &g,
        "",
        "Barry Bonds hit a home run. Bonds smiled.",
        options.clone(),
    );
    assert_eq!(player.entities[0].id, "person:barry-bonds");
    assert!(player.topics.is_empty(), "{:?}", player.topics);
    let market = tag(&g, "", "Government bonds fell on Monday.", options);
    assert_eq!(market.topics[0].id, "medtop:20000385");
}
