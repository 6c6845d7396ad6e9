//! Names the gazetteer does not hold: discovery typed from name cues, its precision traps,
//! coreference (surnames, honorifics, acronyms in parentheses, possessives and plurals),
//! `Entity.linked`, `TagOptions.linked_only`, explain, and the name-cue file's validation.

use newstag::Gazetteer;
use newstag::gazetteer::file;
use newstag::proto::{Article, Entity, MentionKind, TagOptions, TagResponse};
use newstag::tagger::{DiscoveryRules, Interrupt, Rules, tag_and_discover, tag_article};

const ENTITIES: &str = "\
id\ttype\tcategory\tname\taliases\tacronyms\tdemonyms\tpriority\tprior\twithin\txref:wikidata
country:GB\tcountry\tsovereign-state\tUnited Kingdom\tBritain\t\tBritish\t3\t67000000\t\tQ145
country:GB-ENG\tcountry\tconstituent-country\tEngland\t\t\tEnglish\t3\t\tcountry:GB\tQ21
country:GB-NIR\tcountry\tconstituent-country\tNorthern Ireland\t\t\t\t3\t\tcountry:GB\tQ26
country:FR\tcountry\tsovereign-state\tFrance\t\t\tFrench\t3\t68000000\t\tQ142
country:US\tcountry\tsovereign-state\tUnited States\t\tU.S.\tAmerican\t3\t330000000\t\tQ30
city:reading\tlocation\tcity\tReading\t\t\t\t2\t230000\tcountry:GB-ENG\tQ161491
city:madrid\tlocation\tcity\tMadrid\t\t\t\t2\t6000000\t\tQ2807
city:leeds\tlocation\tcity\tLeeds\t\t\t\t2\t800000\tcountry:GB-ENG\tQ39121
org:kremlin\torganisation\t\tKremlin\t\t\t\t\t\t\tQ2
person:tony-blair\tperson\tpolitician\tTony Blair\t\t\t\t\t100\tcountry:GB\tQ9545
";

const CUES: &str = "\
# fixture cues
given-name\tJames
given-name\tTony
given-name\tMay
given-name\tBill
given-name\tAdeline
given-name\tTheresa
given-name\tJohn
surname\tLester
surname\tJackson
surname\tOreilly
surname\tMay
honorific\tMr
honorific\tMrs
honorific\tPresident
person-role\tcoach
person-role\tchief executive
organisation-suffix\tCorp
organisation-suffix\tKK
organisation-suffix\tCo
organisation-suffix\tLtd
organisation-suffix\tCommission
organisation-suffix\tSecurities
organisation-suffix\tUnit
organisation-suffix\tCourt
organisation-suffix\tUnited
organisation-head\tBank
location-suffix\tRiver
place-preposition\tin
organisation-role\tchain
organisation-role\tcompany
not-name\tMay
not-name\tMonday
common-word\thowever
common-word\tanalysts
common-word\tsupreme
common-word\tcourt
common-word\treading
common-word\tthe
common-word\tsaid
common-word\tmay
common-word\tbill
common-word\tred
common-word\tport
common-word\tcontrols
given-name\tJohnson
";

fn gazetteer() -> Gazetteer {
    Gazetteer::from_files(&[
        file("entities.tsv", ENTITIES),
        file("names.cues", CUES),
        file("common.words", "reading\n"),
    ])
    .expect("fixture compiles")
}

fn tag_options(gazetteer: &Gazetteer, body: &str, options: &TagOptions) -> TagResponse {
    let article = Article {
        id: "t".into(),
        body: body.into(),
        ..Default::default()
    };
    tag_article(gazetteer, &article, options, Rules::default()).expect("tags")
}

fn tag(gazetteer: &Gazetteer, body: &str) -> TagResponse {
    tag_options(
        gazetteer,
        body,
        &TagOptions {
            explain: true,
            ..Default::default()
        },
    )
}

fn unlinked(response: &TagResponse) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = response
        .entities
        .iter()
        .filter(|e| !e.linked && !e.inferred)
        .map(|e| (e.name.as_str(), e.r#type.as_str()))
        .collect();
    out.sort_unstable();
    out
}

fn entity<'a>(response: &'a TagResponse, id: &str) -> &'a Entity {
    response
        .entities
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no {id} in {:?}", response.entities))
}

/// A body, the names that must be found with their type, and texts that must not be tagged.
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [&'a str]);

#[test]
fn a_nationality_before_a_given_name_is_two_names() {
    // "American James Jackson": the country by its demonym, then a person, not one longer
    // name ("American" is no part of his name).
    let response = tag(
        &gazetteer(),
        "The sprinter American James Jackson won the final.",
    );
    assert_eq!(
        entity(&response, "country:US").mention_count,
        1,
        "{response:?}"
    );
    assert_eq!(unlinked(&response), [("James Jackson", "person")]);
}

#[test]
fn each_rule_types_a_name_and_traps_stay_untagged() {
    let gazetteer = gazetteer();
    let cases: &[Case] = &[
        (
            "Northern Ireland man James McIlroy won the race in Sheffield on Monday.",
            &[("James McIlroy", "person"), ("Sheffield", "location")],
            &["Monday"],
        ),
        (
            "The runners were trained by coach Tony Lester, who said little.",
            &[("Tony Lester", "person")],
            &[],
        ),
        (
            "Shares rose after the chief executive Zoltan Hrabal spoke to Acme Corp staff.",
            &[("Zoltan Hrabal", "person"), ("Acme Corp", "organisation")],
            &[],
        ),
        (
            // A place after the comma is the organisation's seat, not what the name is.
            "Fees went to the paying agent, Hrabal Acme Corp, Leeds, on Monday.",
            &[("Hrabal Acme Corp", "organisation")],
            &[],
        ),
        (
            "Profits at Bank of Ruritania rose, and fishermen on the Zambezi River waited.",
            &[
                ("Bank of Ruritania", "organisation"),
                ("Zambezi River", "location"),
            ],
            &[],
        ),
        (
            "However, the ruling was upheld. Analysts said the Supreme Court was clear.",
            &[("Supreme Court", "organisation")],
            &["However", "Analysts"],
        ),
        (
            "Reading is a pleasure, the teacher said. She moved to Reading last year.",
            &[],
            &["Reading is"],
        ),
        (
            "May rain fell on the town. Theresa May said the vote would go ahead.",
            &[],
            &["May rain"],
        ),
        (
            "The loan was arranged by J. P. Morgan Corp in London and Paris.",
            &[("J. P. Morgan Corp", "organisation")],
            &["J.", "P. Morgan"],
        ),
        (
            "SOCCER - ZORG WINS TITLE.\nThe match ended late.",
            &[],
            &["ZORG", "ZORG WINS TITLE"],
        ),
        (
            "The Securities and Exchange Commission fined Nippon Kokan KK and Kawasaki Steel Co \
             Ltd, while Ilkley and Otley were quiet.",
            &[
                ("Securities and Exchange Commission", "organisation"),
                ("Nippon Kokan KK", "organisation"),
                ("Kawasaki Steel Co Ltd", "organisation"),
            ],
            &["Ilkley and Otley", "Co Ltd", "Ltd"],
        ),
        (
            "Mr Gideon Sauer, who is 54, arrived late.",
            &[("Gideon Sauer", "person")],
            &["Mr Gideon Sauer"],
        ),
        (
            // A business noun before the name outweighs the place preposition elsewhere; a
            // lone letter after one is no name.
            "Buyers plan to invest in Zorbex soon. The newsstand chain Zorbex said so. \
             Shares offered by company N / A.",
            &[("Zorbex", "organisation")],
            &["N"],
        ),
        (
            "The talks at the Kremlin were followed by a visit to Smolny Institute.",
            &[],
            &["Kremlin"],
        ),
        (
            // A short adjective is part of the name; only function words are trimmed.
            "Fans of Red Zorbek cheered when Red Zorbek won the cup on Monday.",
            &[("Red Zorbek", "misc")],
            &["Zorbek"],
        ),
        (
            // A results line has no sentence: its first word is part of the name.
            "Results of the league on Monday:\nPort Zorbek 2 Otley 0\n",
            &[],
            &["Zorbek"],
        ),
        (
            // A nationality before a place is no part of a name ("Jewish West Bank
            // settlements").
            "Critics of the British Leeds scheme spoke to the council on Monday.",
            &[],
            &["British Leeds"],
        ),
        (
            // A person of a firm: two names.
            "The deal was good, said John Zorbik of Hrabal Acme Corp in the morning.",
            &[
                ("John Zorbik", "person"),
                ("Hrabal Acme Corp", "organisation"),
            ],
            &["John Zorbik of Hrabal Acme Corp"],
        ),
    ];
    for (body, expected, absent) in cases {
        let response = tag(&gazetteer, body);
        let found = unlinked(&response);
        for (name, name_type) in *expected {
            assert!(
                found.contains(&(name, name_type)),
                "{body:?}: expected {name:?} as {name_type}, found {found:?}"
            );
        }
        for text in *absent {
            assert!(
                !response
                    .entities
                    .iter()
                    .filter(|e| !e.linked)
                    .flat_map(|e| &e.mentions)
                    .any(|m| m.text == *text),
                "{body:?}: {text:?} must not be an unlinked mention: {found:?}"
            );
        }
    }
    // "Theresa May" is the person, "May" the month at a sentence start is not.
    let response = tag(
        &gazetteer,
        "May rain fell on the town. Theresa May said the vote would go ahead.",
    );
    assert_eq!(unlinked(&response), [("Theresa May", "person")]);
}

#[test]
fn unlinked_entities_have_ids_no_xrefs_and_explained_evidence() {
    let gazetteer = gazetteer();
    let response = tag(
        &gazetteer,
        "Northern Ireland man James McIlroy beat Tony Blair in a charity race in Sheffield.",
    );
    let mcilroy = entity(&response, "unlinked:person:james-mcilroy");
    assert!(!mcilroy.linked);
    assert!(mcilroy.xrefs.is_empty());
    assert_eq!(mcilroy.r#type, "person");
    assert_eq!(mcilroy.mentions[0].kind, MentionKind::Unlinked as i32);
    assert!(mcilroy.description.contains("given name"), "{mcilroy:?}");
    assert!(
        mcilroy.mentions[0].rule.contains("given name"),
        "{:?}",
        mcilroy.mentions[0]
    );
    assert!(mcilroy.confidence > 0.0 && mcilroy.confidence < 1.0);
    // Gazetteer entities are linked; an unlinked name never shadows one.
    let blair = entity(&response, "person:tony-blair");
    assert!(blair.linked);
    assert_eq!(blair.xrefs["wikidata"], "Q9545");
    assert!(entity(&response, "country:GB-NIR").linked);

    // linked_only drops the unlinked entities and nothing else.
    let linked = tag_options(
        &gazetteer,
        "Northern Ireland man James McIlroy beat Tony Blair in a charity race in Sheffield.",
        &TagOptions {
            linked_only: true,
            ..Default::default()
        },
    );
    assert!(linked.entities.iter().all(|e| e.linked));
    assert!(linked.entities.iter().any(|e| e.id == "person:tony-blair"));
    // The type filter applies to unlinked types too.
    let people = tag_options(
        &gazetteer,
        "James McIlroy ran in Sheffield.",
        &TagOptions {
            entity_types: vec!["location".into()],
            ..Default::default()
        },
    );
    assert_eq!(unlinked(&people), [("Sheffield", "location")]);
}

#[test]
fn coreference_joins_surnames_honorifics_acronyms_possessives_and_plurals() {
    let gazetteer = gazetteer();
    let body = "Northern Ireland man James McIlroy won in Sheffield. McIlroy's coach was pleased, \
                and Mr McIlroy thanked the Economist Intelligence Unit (EIU). The EIU agreed. \
                Edna Jackson spoke later; the Jacksons live in Leeds.";
    let response = tag(&gazetteer, body);
    let mcilroy = entity(&response, "unlinked:person:james-mcilroy");
    let texts: Vec<&str> = mcilroy.mentions.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["James McIlroy", "McIlroy", "McIlroy"]);
    assert_eq!(mcilroy.mention_count, 3);
    let eiu = entity(
        &response,
        "unlinked:organisation:economist-intelligence-unit",
    );
    let texts: Vec<&str> = eiu.mentions.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["Economist Intelligence Unit", "EIU", "EIU"]);
    let jackson = entity(&response, "unlinked:person:edna-jackson");
    let texts: Vec<&str> = jackson.mentions.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["Edna Jackson", "Jacksons"]);
    // More mentions, more relevance.
    assert!(mcilroy.relevance > jackson.relevance);

    // A surname of a gazetteer person joins the linked entity.
    let response = tag(
        &gazetteer,
        "Tony Blair met John Sanader. Mr Blair said Sanader agreed.",
    );
    let blair = entity(&response, "person:tony-blair");
    assert_eq!(blair.mention_count, 2);
    let sanader = entity(&response, "unlinked:person:john-sanader");
    assert_eq!(sanader.mention_count, 2);

    // Without the coreference rule the later mentions stay out.
    let rules = Rules {
        discovery: DiscoveryRules {
            coreference: false,
            ..DiscoveryRules::default()
        },
        ..Rules::default()
    };
    let article = Article {
        body: "James McIlroy won. McIlroy was pleased.".into(),
        ..Default::default()
    };
    let plain = tag_article(&gazetteer, &article, &TagOptions::default(), rules).unwrap();
    assert_eq!(
        entity(&plain, "unlinked:person:james-mcilroy").mention_count,
        1
    );
}

#[test]
fn a_sports_side_named_after_a_place_is_an_organisation() {
    let gazetteer = Gazetteer::from_files(&[
        file("entities.tsv", ENTITIES),
        file("names.cues", CUES),
        file(
            "topics.topics",
            "id\tlabel\tparent\tkeywords\nmedtop:15000000\tsport\t\tsoccer^2|match^2|beat^2|goal^2|league^2\n",
        ),
    ])
    .unwrap();
    let response = tag(
        &gazetteer,
        "SOCCER - LEAGUE RESULTS.\nLeeds United beat Real Madrid in the league match, \
         the goal coming late.\nLeeds United 2 Real Madrid 1",
    );
    let found = unlinked(&response);
    assert!(
        found.contains(&("Leeds United", "organisation")),
        "{found:?}"
    );
    assert!(
        found.contains(&("Real Madrid", "organisation")),
        "{found:?}"
    );
    assert!(!response.entities.iter().any(|e| e.id == "city:madrid"));
    // A place's name that is an English word, capitalised only by the line it starts and
    // read on by a lower-case word, is no side; a place opening a person's name ("Madrid
    // Zorbekoglu", a given name the cues do not know) makes no team of the person.
    let response = tag(
        &gazetteer,
        "SOCCER - LEAGUE RESULTS.\nLeeds United beat Real Madrid in the league match.\n\
         Reading of the Match : Zorbek Otley\nThe goal came late from Madrid Zorbekoglu .",
    );
    let found = unlinked(&response);
    assert!(
        !found.iter().any(|(name, _)| *name == "Reading"),
        "{found:?}"
    );
    assert!(
        !found.contains(&("Madrid Zorbekoglu", "organisation")),
        "{found:?}"
    );
}

#[test]
fn sightings_feed_the_discovery_report() {
    let gazetteer = gazetteer();
    let article = Article {
        body: "James McIlroy won in Sheffield. McIlroy's coach Tony Lester was pleased.".into(),
        ..Default::default()
    };
    let (_, sightings) = tag_and_discover(
        &gazetteer,
        &article,
        &TagOptions::default(),
        (Rules::default(), true),
        &Interrupt::never(),
    )
    .unwrap();
    let mcilroy = sightings
        .iter()
        .find(|s| s.id == "unlinked:person:james-mcilroy")
        .expect("sighted");
    assert_eq!(mcilroy.mentions, 2);
    assert_eq!(mcilroy.example, "James McIlroy won in Sheffield.");
    assert!(mcilroy.variants.is_empty(), "{mcilroy:?}");
    assert!(
        sightings
            .iter()
            .any(|s| s.id == "unlinked:person:tony-lester")
    );
}

#[test]
fn bad_cue_lines_are_rejected_with_path_and_line() {
    let error = Gazetteer::from_files(&[
        file("entities.tsv", ENTITIES),
        file("names.cues", "given-name\tJames\nfirst-name\tJames\n"),
    ])
    .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("names.cues:2: unknown cue \"first-name\""),
        "{text}"
    );
}

#[test]
fn a_nationality_that_names_a_language_tags_no_country() {
    let response = tag(
        &gazetteer(),
        "The guide speaks French. French troops left on Monday.",
    );
    assert_eq!(
        entity(&response, "country:FR").mention_count,
        1,
        "{response:?}"
    );
    let explanation = response.explanation.as_ref().expect("explained");
    assert!(
        explanation.suppressed.iter().any(|s| s.text == "French"
            && s.reason == newstag::proto::SuppressionReason::Language as i32),
        "{explanation:?}"
    );
}

#[test]
fn a_given_name_before_a_common_word_names_no_person() {
    let gazetteer = gazetteer();
    // "Johnson" is a given name, but "controls" only an English word: a firm's name.
    let response = tag(&gazetteer, "Suppliers such as Johnson Controls have grown.");
    assert_eq!(
        unlinked(&response),
        [("Johnson Controls", "misc")],
        "{response:?}"
    );
    // A surname after it is still a person's.
    let response = tag(&gazetteer, "The race was won by Johnson Lester on Monday.");
    assert!(
        unlinked(&response).contains(&("Johnson Lester", "person")),
        "{:?}",
        unlinked(&response)
    );
}

#[test]
fn a_proper_name_of_a_country_leaves_the_country_tagged() {
    let gazetteer = gazetteer();
    // "Zorbex of France": a side or firm from the country, not one name with it; "Bank of
    // France" would be one.
    let response = tag(
        &gazetteer,
        "The ruling went against Zorbex of France on Monday, the court said.",
    );
    assert_eq!(
        entity(&response, "country:FR").mention_count,
        1,
        "{:?}",
        response.entities
    );
}
