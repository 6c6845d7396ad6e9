//! The knowledge-base rules on a small fixture: `category`, `prior` and `within` (validated
//! with `path:line`), disambiguation by the article's places, rank and popularity, common
//! words, titled surnames, one-country acronyms, inferred countries and sports stories.

use newstag::Gazetteer;
use newstag::gazetteer::file;
use newstag::proto::{Article, SuppressionReason, TagOptions, TagResponse};
use newstag::tagger::{Rules, tag_article};

const PLACES: &str = "\
id\ttype\tcategory\tname\taliases\tacronyms\tdemonyms\tpriority\tprior\twithin\txref:wikidata
country:FR\tcountry\tsovereign-state\tFrance\t\t\tFrench\t3\t68000000\t\tQ142
country:US\tcountry\tsovereign-state\tUnited States\t\tU.S.\tAmerican\t3\t330000000\t\tQ30
country:GB\tcountry\tsovereign-state\tUnited Kingdom\tBritain\t\tBritish\t3\t67000000\t\tQ145
country:ES\tcountry\tsovereign-state\tSpain\t\t\tSpanish\t3\t47000000\t\tQ29
country:GE\tcountry\tsovereign-state\tGeorgia\t\t\tGeorgian\t3\t3700000\t\tQ230
country:GB-ENG\tcountry\tconstituent-country\tEngland\t\t\tEnglish\t3\t\tcountry:GB\tQ21
country:MX\tcountry\tsovereign-state\tMexico\t\t\tMexican\t3\t126000000\t\tQ96
region:texas\tlocation\tregion\tTexas\t\t\t\t2\t10000000\tcountry:US\tQ1439
region:georgia\tlocation\tregion\tGeorgia\t\t\t\t2\t\tcountry:US\tQ1428
region:alabama\tlocation\tregion\tAlabama\t\t\t\t2\t1600000\tcountry:US\tQ173
region:massachusetts\tlocation\tregion\tMassachusetts\t\t\t\t2\t2300000\tcountry:US\tQ771
region:mexico-state\tlocation\tregion\tMexico\t\t\t\t2\t5000000\tcountry:MX\tQ82112
city:paris\tlocation\tcity\tParis\t\t\t\t2\t11000000\tcountry:FR\tQ90
city:paris-tx\tlocation\tcity\tParis\t\t\t\t2\t25000\tregion:texas\tQ830149
city:atlanta\tlocation\tcity\tAtlanta\t\t\t\t2\t500000\tregion:georgia\tQ23556
city:madrid\tlocation\tcity\tMadrid\t\t\t\t2\t6000000\tcountry:ES\tQ2807
city:birmingham\tlocation\tcity\tBirmingham\t\t\t\t2\t2500000\tcountry:GB-ENG\tQ2256
city:birmingham-al\tlocation\tcity\tBirmingham\t\t\t\t2\t200000\tregion:alabama\tQ79867
city:cambridge\tlocation\tcity\tCambridge\t\t\t\t2\t150000\tcountry:GB-ENG\tQ350
city:cambridge-ma\tlocation\tcity\tCambridge\t\t\t\t2\t118000\tregion:massachusetts\tQ49111
city:reading\tlocation\tcity\tReading\t\t\t\t2\t230000\tcountry:GB-ENG\tQ161491
city:london\tlocation\tcity\tLondon\t\t\t\t2\t9000000\tcountry:GB-ENG\tQ84
city:chicago\tlocation\tcity\tChicago\t\t\t\t2\t2700000\tcountry:US\tQ1297
country:RU\tcountry\tsovereign-state\tRussia\t\t\tRussian\t3\t146000000\t\tQ159
region:moscow-oblast\tlocation\tregion\tMoscow\tMoscow Oblast\t\t\t2\t4000000\tcountry:RU\tQ1697
city:moscow\tlocation\tcity\tMoscow\t\t\t\t2\t12000000\tcountry:RU\tQ649
brand:next\torganisation\tretailer\tNext\tNext plc\t\t\t\t\t\tQ1790000
party:cpn\torganisation\tparty\tCommunist Party of Nowhere\t\tCPN\t\t\t\tcountry:FR\tQ1
brand:cftc\torganisation\tbrand\tConfederation of Christian Workers\t\tCFTC\t\t\t5\t\tQ1125610
brand:kfc\torganisation\tbrand\tKentucky Fried Chicken\t\tKFC\t\t\t150\t\tQ524757
org:nato\torganisation\tigo\tNorth Atlantic Treaty Organization\t\tNATO\t\t1\t85\t\tQ7184
org:share\torganisation\tigo\tSurvey of Health, Ageing and Retirement in Europe\t\tSHARE\t\t1\t1\t\tQ2
org:who\torganisation\tigo\tWorld Health Organization\t\tWHO\t\t1\t1\t\tQ7817
person:bill-clinton\tperson\tpolitician\tBill Clinton\t\t\t\t\t1000\tcountry:US\tQ1124
person:hillary-clinton\tperson\tpolitician\tHillary Clinton\t\t\t\t\t20\tcountry:US\tQ6294
";

const TOPICS: &str = "\
id\tlabel\tparent\tkeywords
medtop:15000000\tsport\t\tsoccer^2|match^2|beat^2|goal^2|league^2|cricket^2|innings^2
medtop:11000000\tpolitics\t\telection
";

fn gazetteer() -> Gazetteer {
    Gazetteer::from_files(&[
        file("places.tsv", PLACES),
        file("topics.topics", TOPICS),
        file("common.words", "# common words\nreading\nnext\n"),
    ])
    .expect("fixture compiles")
}

fn tag_with(gazetteer: &Gazetteer, title: &str, body: &str, options: &TagOptions) -> TagResponse {
    let article = Article {
        id: "t".into(),
        title: title.into(),
        body: body.into(),
        ..Default::default()
    };
    tag_article(gazetteer, &article, options, Rules::default()).expect("tags")
}

fn tag(gazetteer: &Gazetteer, body: &str) -> TagResponse {
    tag_with(gazetteer, "", body, &TagOptions::default())
}

/// The article tagged with explain on and no inferred countries.
fn explained(gazetteer: &Gazetteer, body: &str) -> TagResponse {
    tag_with(
        gazetteer,
        "",
        body,
        &TagOptions {
            explain: true,
            no_inferred_countries: true,
            ..Default::default()
        },
    )
}

/// Ids of the entities the article names (inferred ones left out), sorted.
/// Mentions of entity `id` in the response (0 when it is not tagged).
fn mention_count(response: &TagResponse, id: &str) -> u32 {
    response
        .entities
        .iter()
        .find(|e| e.id == id)
        .map_or(0, |e| e.mention_count)
}

fn named(response: &TagResponse) -> Vec<&str> {
    let mut ids: Vec<&str> = response
        .entities
        .iter()
        .filter(|e| !e.inferred)
        .map(|e| e.id.as_str())
        .collect();
    ids.sort_unstable();
    ids
}

/// [`named`] without the names no row holds: discovery's companies and people.
fn linked(response: &TagResponse) -> Vec<&str> {
    named(response)
        .into_iter()
        .filter(|id| !id.starts_with("unlinked:"))
        .collect()
}

fn problems(body: &str) -> Vec<String> {
    let header = "id\ttype\tcategory\tname\tprior\twithin\n";
    match Gazetteer::from_files(&[file("a.tsv", &format!("{header}{body}"))]) {
        Ok(_) => Vec::new(),
        Err(error) => error.problems.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn new_columns_are_validated_with_path_and_line() {
    let cases: &[(&str, &str)] = &[
        (
            "x\tcountry\tCity\tX\t\t\n",
            "a.tsv:2: bad category \"City\"",
        ),
        ("x\tcountry\t\tX\t-5\t\n", "a.tsv:2: bad prior \"-5\""),
        ("x\tcountry\t\tX\tmany\t\n", "a.tsv:2: bad prior \"many\""),
        (
            "x\tlocation\tcity\tX\t\tcountry:ZZ\n",
            "a.tsv:2: within: unknown id \"country:ZZ\"",
        ),
        (
            "a\tlocation\t\tA\t\tb\nb\tlocation\t\tB\t\ta\n",
            "a.tsv:2: within: \"a\" is inside itself",
        ),
        (
            "a\tlocation\t\tA\t\ta\n",
            "a.tsv:2: within: \"a\" is inside itself",
        ),
    ];
    for (body, expected) in cases {
        let found = problems(body);
        assert!(
            found.iter().any(|p| p.starts_with(expected)),
            "{body:?}: expected {expected:?}, got {found:?}"
        );
    }
    assert!(problems("x\tlocation\tcity\tX\t12.5\t\n").is_empty());
    let words = Gazetteer::from_files(&[
        file("a.tsv", "id\ttype\tname\nx\tcountry\tX\n"),
        file("c.words", "fine\nTwo words\nCapital\n"),
    ])
    .unwrap_err();
    let words: Vec<String> = words.problems.iter().map(ToString::to_string).collect();
    assert!(
        words
            .iter()
            .any(|p| p.starts_with("c.words:2: common word")),
        "{words:?}"
    );
    assert!(
        words
            .iter()
            .any(|p| p.starts_with("c.words:3: common word")),
        "{words:?}"
    );
}

#[test]
fn shared_forms_resolve_by_evidence_rank_then_prior() {
    let gazetteer = gazetteer();
    let cases: &[(&str, &[&str])] = &[
        // The prior, with a margin: Paris, France.
        ("Talks were held in Paris on Monday.", &["city:paris"]),
        // The article's own places: Paris, Texas.
        (
            "Talks were held in Paris, Texas on Monday.",
            &["city:paris-tx", "region:texas"],
        ),
        // Rank: the country over the US state without evidence ...
        ("He flew to Georgia last week.", &["country:GE"]),
        // ... and the state where a city within it is named.
        (
            "He flew to Georgia and then on to Atlanta.",
            &["city:atlanta", "region:georgia"],
        ),
        // Country over a homonymous region.
        ("Trade with Mexico grew.", &["country:MX"]),
        // Prior margin 12.5x: the English Birmingham.
        ("The plant in Birmingham closed.", &["city:birmingham"]),
        // Evidence beats the prior.
        (
            "The plant in Birmingham, Alabama closed.",
            &["city:birmingham-al", "region:alabama"],
        ),
        // A place named with the word for its kind does not claim its bare name: "Moscow"
        // is still the city, by its prior.
        (
            "The plant is in Lytkarino, Moscow Oblast. Officials in Moscow approved it.",
            &["city:moscow", "region:moscow-oblast"],
        ),
        // No margin (150,000 vs 118,000) and no evidence: no tag.
        ("A lab in Cambridge opened.", &[]),
        (
            "A lab in Cambridge, Massachusetts opened.",
            &["city:cambridge-ma", "region:massachusetts"],
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(named(&tag(&gazetteer, text)), *expected, "tagging {text:?}");
    }
}

#[test]
fn explain_lists_the_candidates_and_what_decided() {
    let gazetteer = gazetteer();
    let options = TagOptions {
        explain: true,
        ..Default::default()
    };
    let response = tag_with(&gazetteer, "", "A lab in Birmingham opened.", &options);
    let mention = &response.entities[0].mentions[0];
    assert!(
        mention.rule.contains("prior") && mention.rule.contains("*city:birmingham score"),
        "{}",
        mention.rule
    );
    assert!(
        mention.rule.contains("city:birmingham-al"),
        "{}",
        mention.rule
    );
    assert!(mention.confidence > 0.5 && mention.confidence < 0.95);
    let response = tag_with(&gazetteer, "", "A lab in Cambridge opened.", &options);
    let suppressed = &response.explanation.unwrap().suppressed;
    assert!(
        suppressed
            .iter()
            .any(|s| s.reason == SuppressionReason::Ambiguous as i32
                && s.entity_ids.contains(&"city:cambridge".to_owned())),
        "{suppressed:?}"
    );
}

#[test]
fn confidence_follows_the_deciding_rule() {
    let gazetteer = gazetteer();
    let unique = tag(&gazetteer, "Officials in Madrid said so.");
    let madrid = unique
        .entities
        .iter()
        .find(|e| e.id == "city:madrid")
        .unwrap();
    // A form only one entity has is scored against "none": its prior is its lead.
    assert!(
        madrid.mentions[0].confidence > 0.85 && madrid.mentions[0].confidence < 0.95,
        "{}",
        madrid.mentions[0].confidence
    );
    assert_eq!(madrid.confidence, madrid.mentions[0].confidence);
    let confidence = |text: &str, id: &str| {
        tag(&gazetteer, text)
            .entities
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.confidence)
            .unwrap()
    };
    // By prior: surer the wider the margin (440x for Paris, 12.5x for Birmingham).
    let paris = confidence("Officials in Paris said so.", "city:paris");
    let birmingham = confidence("Officials in Birmingham said so.", "city:birmingham");
    assert!(birmingham < paris && paris < 0.95, "{birmingham} {paris}");
    // The article's places add to the prior: surer than the prior alone.
    let within = confidence("Officials in Paris, Texas said so.", "city:paris-tx");
    assert!(within > paris, "{within} {paris}");
    // A lone entity with no prior has only the floor.
    let next = confidence("Next plc said sales rose.", "brand:next");
    assert!(next < birmingham, "{next} {birmingham}");
}

#[test]
fn common_words_need_support_when_capitalised_by_position() {
    let gazetteer = gazetteer();
    let cases: &[(&str, &[&str])] = &[
        ("Reading is fun.", &[]),
        ("He moved to Reading last year.", &["city:reading"]),
        // The mid-sentence mention supports the sentence-initial one.
        (
            "Reading grew. He moved to Reading last year.",
            &["city:reading"],
        ),
        // Its country named elsewhere supports it.
        (
            "Reading grew fast, officials in England said.",
            &["city:reading", "country:GB-ENG"],
        ),
        // An organisation named by a common word needs support even mid-sentence ...
        ("What comes next is Next to decide.", &[]),
        // ... such as its full name.
        (
            "Next plc said sales rose. Next expects more.",
            &["brand:next"],
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(named(&tag(&gazetteer, text)), *expected, "tagging {text:?}");
    }
    let headline = tag_with(
        &gazetteer,
        "Reading",
        "Shares fell.",
        &TagOptions::default(),
    );
    assert!(named(&headline).is_empty(), "{headline:?}");
}

#[test]
fn a_titled_surname_goes_to_the_person_who_stands_out_by_prior() {
    let gazetteer = gazetteer();
    assert_eq!(
        named(&tag(
            &gazetteer,
            "President Clinton said the talks went well."
        )),
        ["person:bill-clinton"]
    );
    assert!(named(&tag(&gazetteer, "Clinton said the talks went well.")).is_empty());
    // "President Bill …" : a given name follows the title, not a surname.
    assert_eq!(
        named(&tag(&gazetteer, "Senator Hillary Clinton spoke.")),
        ["person:hillary-clinton"]
    );
}

#[test]
fn a_one_country_acronym_needs_its_country_or_full_name() {
    let gazetteer = gazetteer();
    assert!(named(&tag(&gazetteer, "The CPN won 3 seats.")).is_empty());
    assert_eq!(
        named(&tag(&gazetteer, "In France, the CPN won 3 seats.")),
        ["country:FR", "party:cpn"]
    );
}

#[test]
fn an_acronym_spelling_a_word_is_the_word_where_written_as_one() {
    // The lexicon says which words are English words.
    let gazetteer = Gazetteer::from_files(&[
        file("places.tsv", PLACES),
        file("topics.topics", TOPICS),
        file("names.cues", "common-word\tshare\ncommon-word\twho\n"),
    ])
    .expect("fixture compiles");
    // "Share" (a five-letter acronym matches Title case, as "Nato" does) at a sentence
    // start, and "SHARE" in a headline, are the word…
    assert!(named(&tag(&gazetteer, "Share prices fell on Monday.")).is_empty());
    assert!(
        named(&tag_with(
            &gazetteer,
            "SHARE PRICES FALL",
            "Dealers were calm.",
            &TagOptions::default()
        ))
        .is_empty()
    );
    // …"SHARE" and "WHO" in capitals in running text are the acronyms, at a sentence start too.
    assert_eq!(
        named(&tag(
            &gazetteer,
            "The SHARE survey of ageing was published."
        )),
        ["org:share"]
    );
    assert_eq!(
        named(&tag(&gazetteer, "WHO officials met on Monday.")),
        ["org:who"]
    );
}

#[test]
fn a_brands_acronym_needs_its_full_name_or_a_strong_prior() {
    let gazetteer = gazetteer();
    // A brand's letters name many organisations: "CFTC" alone is not the brand…
    assert!(named(&tag(&gazetteer, "The CFTC said it would review the rules.")).is_empty());
    // …but it is once the article names it in full, and a well-known brand's always is.
    assert_eq!(
        named(&tag(
            &gazetteer,
            "The Confederation of Christian Workers called a strike. The CFTC said it would go on."
        )),
        ["brand:cftc"]
    );
    assert_eq!(
        named(&tag(&gazetteer, "KFC opened ten shops.")),
        ["brand:kfc"]
    );
    // An organisation of no country that is no brand keeps its acronym, whatever its prior.
    assert_eq!(named(&tag(&gazetteer, "NATO ministers met.")), ["org:nato"]);
}

#[test]
fn places_imply_their_countries() {
    let gazetteer = gazetteer();
    let response = tag(
        &gazetteer,
        "Officials in Madrid and Birmingham met on Monday.",
    );
    let spain = response
        .entities
        .iter()
        .find(|e| e.id == "country:ES")
        .unwrap();
    assert!(spain.inferred && spain.mentions.is_empty() && spain.mention_count == 0);
    assert_eq!(spain.implied_by.len(), 1);
    assert_eq!(spain.implied_by[0].text, "Madrid");
    assert!(spain.relevance > 0.0 && spain.relevance < 1.0);
    // Birmingham → England → United Kingdom: every country on the chain.
    for id in ["country:GB-ENG", "country:GB"] {
        let country = response.entities.iter().find(|e| e.id == id).unwrap();
        assert!(country.inferred, "{id}");
        assert_eq!(country.implied_by[0].text, "Birmingham");
    }
    // A named country is not inferred, and lists the places within it.
    let named_too = tag(&gazetteer, "Spain said officials in Madrid met.");
    let spain = named_too
        .entities
        .iter()
        .find(|e| e.id == "country:ES")
        .unwrap();
    assert!(!spain.inferred && spain.mention_count == 1);
    assert_eq!(spain.implied_by[0].text, "Madrid");
    // People and organisations with a `within` imply nothing.
    let person = tag(&gazetteer, "Bill Clinton spoke.");
    assert!(person.entities.iter().all(|e| !e.inferred), "{person:?}");
    // Turned off per request.
    let off = tag_with(
        &gazetteer,
        "",
        "Officials in Madrid met.",
        &TagOptions {
            no_inferred_countries: true,
            ..Default::default()
        },
    );
    assert_eq!(named(&off), ["city:madrid"]);
    assert!(off.entities.iter().all(|e| !e.inferred));
}

#[test]
fn categories_are_returned_and_filter() {
    let gazetteer = gazetteer();
    let response = tag(&gazetteer, "Officials in Madrid met.");
    let madrid = response
        .entities
        .iter()
        .find(|e| e.id == "city:madrid")
        .unwrap();
    assert_eq!(madrid.category, "city");
    let only_states = tag_with(
        &gazetteer,
        "",
        "Officials in Madrid met the French.",
        &TagOptions {
            categories: vec!["sovereign-state".into()],
            ..Default::default()
        },
    );
    let mut ids: Vec<&str> = only_states.entities.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["country:ES", "country:FR"]);
}

#[test]
fn sports_stories_read_places_as_teams() {
    let gazetteer = gazetteer();
    let story = "SOCCER - FRANCE BEAT MEXICO . LONDON 1996-08-30 France beat Mexico 2-1 in \
                 the league match in Chicago . Chicago scored a late goal in the cricket \
                 innings , and England 's goal came from a French striker .";
    let response = explained(&gazetteer, story);
    let ids = named(&response);
    // The dateline, "in Chicago", the nationality by demonym and possessive stay places.
    assert!(ids.contains(&"city:london"), "{ids:?}");
    assert!(ids.contains(&"city:chicago"), "{ids:?}");
    assert!(ids.contains(&"country:FR"), "{ids:?}");
    assert!(ids.contains(&"country:GB-ENG"), "{ids:?}");
    let chicago = response
        .entities
        .iter()
        .find(|e| e.id == "city:chicago")
        .unwrap();
    assert_eq!(chicago.mention_count, 1, "only \"in Chicago\": {chicago:?}");
    // "France beat Mexico" names sides.
    assert!(!ids.contains(&"country:MX"), "{ids:?}");
    let teams = response
        .explanation
        .unwrap()
        .suppressed
        .iter()
        .filter(|s| s.reason == SuppressionReason::Team as i32)
        .count();
    assert!(teams >= 3, "{teams}");
    // The same words outside a sports story are places.
    let news = tag(&gazetteer, "France and Mexico signed a trade deal.");
    assert_eq!(named(&news), ["country:FR", "country:MX"]);
}

#[test]
fn a_side_is_a_team_of_the_story_s_sport_and_a_dateline_is_a_place() {
    const CLUBS: &str = "\
id\ttype\tcategory\tname\taliases\tprior\tdescription
org:texas-rangers\torganisation\tclub\tTexas Rangers\tTexas\t69\tbaseball team and Major League Baseball franchise
org:chicago-fire\torganisation\tclub\tChicago Fire\tChicago\t30\tsoccer club in Chicago
";
    let gazetteer = Gazetteer::from_files(&[
        file("places.tsv", PLACES),
        file("clubs.tsv", CLUBS),
        file("topics.topics", TOPICS),
    ])
    .expect("fixture compiles");
    let story = "BASEBALL - RANGERS BEAT CHICAGO . ARLINGTON , Texas 1996-08-31 Texas beat \
                 Chicago 5-3 in a baseball league match , and Texas now lead the league .";
    let response = explained(&gazetteer, story);
    let mentions = |id: &str| mention_count(&response, id);
    // The dateline's "Texas" is the state; the sides named "Texas" are the baseball club.
    assert_eq!(mentions("region:texas"), 1, "{:?}", named(&response));
    assert_eq!(mentions("org:texas-rangers"), 2, "{:?}", named(&response));
    // "Chicago" names a side, but the only team of that name plays soccer: neither it nor
    // the city is tagged.
    assert_eq!(mentions("org:chicago-fire"), 0, "{:?}", named(&response));
    assert_eq!(mentions("city:chicago"), 0, "{:?}", named(&response));
    let teams = response
        .explanation
        .unwrap()
        .suppressed
        .iter()
        .filter(|s| {
            s.reason == SuppressionReason::Team as i32 && s.text.eq_ignore_ascii_case("chicago")
        })
        .count();
    assert!(teams >= 1, "{teams}");
    // Named in full elsewhere, the club still does not take the dateline: the mention's
    // own context says place.
    let story = "BASEBALL - RANGERS BEAT CHICAGO . ARLINGTON , Texas 1996-08-31 The Texas \
                 Rangers beat Chicago 5-3 in a baseball league match , and Texas now lead .";
    let response = explained(&gazetteer, story);
    let mentions = |id: &str| mention_count(&response, id);
    assert_eq!(mentions("region:texas"), 1, "{:?}", named(&response));
    assert_eq!(mentions("org:texas-rangers"), 2, "{:?}", named(&response));
    // In a soccer report the same club is the side.
    let soccer = tag(
        &gazetteer,
        "SOCCER - Chicago beat Dallas 2-1 in the league match with a late goal .",
    );
    assert!(
        named(&soccer).contains(&"org:chicago-fire"),
        "{:?}",
        named(&soccer)
    );
}

#[test]
fn the_order_of_the_rows_changes_no_decision() {
    // The same entities listed in reverse: candidates reach the scorer in another order, and
    // every decision, confidence and explanation's winner must stay the same.
    let mut lines: Vec<&str> = PLACES.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    let reversed = format!("{header}\n{}\n", lines.join("\n"));
    let forward = gazetteer();
    let backward = Gazetteer::from_files(&[
        file("places.tsv", &reversed),
        file("topics.topics", TOPICS),
        file("common.words", "# common words\nreading\nnext\n"),
    ])
    .expect("reversed fixture compiles");
    for text in [
        "Talks were held in Paris on Monday.",
        "Talks were held in Paris, Texas on Monday.",
        "He flew to Georgia and then on to Atlanta.",
        "The plant in Birmingham closed.",
        "A lab in Cambridge opened.",
        "Bill Clinton spoke. Clinton said more.",
        "President Clinton spoke.",
    ] {
        let summary = |g: &Gazetteer| {
            tag(g, text)
                .entities
                .iter()
                .map(|e| (e.id.clone(), e.confidence.to_bits()))
                .collect::<Vec<_>>()
        };
        assert_eq!(summary(&forward), summary(&backward), "tagging {text:?}");
    }
}

#[test]
fn a_foreign_party_named_by_common_words_needs_its_country_or_a_strong_prior() {
    let parties = "\
id\ttype\tcategory\tname\tprior\twithin
country:GE\tcountry\tsovereign-state\tGeorgia\t370\t
country:DE\tcountry\tsovereign-state\tGermany\t8300\t
party:free-democrats\torganisation\tparty\tFree Democrats\t10\tcountry:GE
party:social-democrats\torganisation\tparty\tSocial Democrats\t400\tcountry:DE
party:georgian-dream\torganisation\tparty\tGeorgian Dream\t10\tcountry:GE
";
    let gazetteer = Gazetteer::from_files(&[
        file("parties.tsv", parties),
        file(
            "words.cues",
            "common-word\tfree\ncommon-word\tdemocrats\ncommon-word\tsocial\ncommon-word\tdream\n",
        ),
    ])
    .expect("compiles");
    let linked = |text: &str| {
        tag(&gazetteer, text)
            .entities
            .iter()
            .filter(|e| e.linked)
            .map(|e| e.id.clone())
            .collect::<Vec<_>>()
    };
    // A phrase of common words, and the party's country is not in the article: no tag.
    assert!(
        !linked("The Free Democrats want lower taxes.")
            .contains(&"party:free-democrats".to_owned())
    );
    // Its country named: the party.
    assert!(
        linked("In Georgia the Free Democrats want lower taxes.")
            .contains(&"party:free-democrats".to_owned())
    );
    // A strong prior (e^5 or more) carries it without the country.
    assert!(
        linked("The Social Democrats want lower taxes.")
            .contains(&"party:social-democrats".to_owned())
    );
    // A name that is no common phrase needs neither.
    assert!(linked("Georgian Dream won.").contains(&"party:georgian-dream".to_owned()));
}

#[test]
fn a_titled_surname_names_its_person_for_the_whole_article() {
    let gazetteer = Gazetteer::from_files(&[file(
        "people.tsv",
        "id\ttype\tcategory\tname\tpriority\tprior\n\
         person:bill-clinton\tperson\thead-of-state-or-government\tBill Clinton\t\t192\n\
         person:hillary-clinton\tperson\tpolitician\tHillary Clinton\t\t203\n\
         city:clinton\tlocation\tcity\tClinton\t2\t3\n",
    )])
    .expect("fixture compiles");
    let clintons = |body: &str| -> Vec<String> {
        tag(&gazetteer, body)
            .entities
            .iter()
            .flat_map(|e| {
                e.mentions
                    .iter()
                    .map(move |m| format!("{} {}", m.text, e.id))
            })
            .collect()
    };
    // A head of state's title picks the one who held such an office, though Hillary Clinton's
    // prior is as high; the bare surname later in the article is him too, not the town.
    assert_eq!(
        clintons("President Clinton and Bob Dole are running. Clinton proposes a tax cut."),
        ["Clinton person:bill-clinton", "Clinton person:bill-clinton"]
    );
    // Another title does not single him out, and nothing is tagged.
    assert!(
        clintons("Senator Clinton spoke. Clinton proposes a tax cut.")
            .iter()
            .all(|m| !m.contains("person:")),
    );
    // Someone else named with the surname: the title no longer names the article's bare
    // "Clinton".
    assert!(
        !clintons("Arthur Clinton runs a shop. President Clinton came. Clinton said no.")
            .iter()
            .any(|m| m.ends_with("person:bill-clinton")),
    );
}

#[test]
fn a_place_inside_a_company_or_a_persons_name_is_not_the_place() {
    let extra = "\
id\ttype\tcategory\tname\tpriority\tprior\twithin
city:david\tlocation\tcity\tDavid\t2\t80000\t
region:nelson\tlocation\tregion\tNelson\t2\t50000\t
";
    let gazetteer = Gazetteer::from_files(&[
        file("places.tsv", PLACES),
        file("more.tsv", extra),
        file("topics.topics", TOPICS),
        file(
            "names.cues",
            "organisation-suffix\tInsurance\norganisation-suffix\tCo\n\
             organisation-suffix\tCorp\ngiven-name\tDavid\ngiven-name\tJonathan\n\
             place-preposition\tin\n",
        ),
    ])
    .expect("fixture compiles");
    let title = |title: &str, body: &str| {
        let response = tag_with(&gazetteer, title, body, &TagOptions::default());
        linked(&response)
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    // A company named after a place, in full and then by the place's name alone, headline
    // included; the place after "in" is still the place.
    assert_eq!(
        title(
            "CHICAGO <CHX> RAISES DIVIDEND",
            "Chicago Steel Corp raised its dividend. Chicago said profits rose."
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        mention_count(
            &tag_with(
                &gazetteer,
                "CHICAGO <CHX> RAISES DIVIDEND",
                "Chicago Steel Corp raised its dividend. Its plants in Chicago run.",
                &TagOptions::default()
            ),
            "city:chicago"
        ),
        1
    );
    // A line in capitals: an organisation's last word after the place.
    assert_eq!(
        title(
            "ATLANTA INSURANCE CO NAMES CHIEF",
            "The firm named a chief."
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        title("TALKS IN ATLANTA END", "The firm named a chief."),
        ["city:atlanta"]
    );
    // A hyphenated compound is one name, unless a name starts after the hyphen or the
    // hyphen ends a headline.
    assert!(linked(&tag(&gazetteer, "London-Myers Co set a dividend.")).is_empty());
    assert_eq!(
        linked(&tag(&gazetteer, "The London-Paris trains were late.")),
        ["city:london", "city:paris"]
    );
    assert_eq!(
        title("DROUGHT IN TEXAS-USDA", "Crops failed."),
        ["region:texas"]
    );
    // A given name with a middle initial, or before a surname at a sentence start, is a person.
    assert!(linked(&tag(&gazetteer, "Investor David F. Roche bought shares.")).is_empty());
    assert!(
        linked(&tag(
            &gazetteer,
            "Jonathan Nelson declined to comment. \"We wait,\" Nelson said."
        ))
        .is_empty()
    );
    assert_eq!(
        linked(&tag(&gazetteer, "Talks in Nelson ended.")),
        ["region:nelson"]
    );
    // A date after a place makes no longer name; a month alone may ("Atlanta March").
    assert_eq!(
        linked(&tag(
            &gazetteer,
            "Hearings will reopen in Atlanta April nine."
        )),
        ["city:atlanta"]
    );
    assert_eq!(
        linked(&tag(&gazetteer, "Talks resume in Atlanta Monday.")),
        ["city:atlanta"]
    );
    assert!(linked(&tag(&gazetteer, "They joined the Atlanta March for peace.")).is_empty());
}

#[test]
fn a_headline_in_title_case_capitalises_every_word_and_makes_no_longer_names() {
    let gazetteer = gazetteer();
    let titled = |title: &str| {
        let response = tag_with(
            &gazetteer,
            title,
            "Dealers were calm.",
            &TagOptions::default(),
        );
        linked(&response)
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    // "Braces" is capitalised because the headline capitalises every word…
    assert_eq!(titled("London Braces For Storm"), ["city:london"]);
    // …but in a headline in sentence case it makes a longer name with "London".
    assert!(titled("London Braces were sold out").is_empty());
}

#[test]
fn a_bare_surname_of_a_far_better_known_person_is_no_small_place() {
    let extra = "\
id\ttype\tcategory\tname\tpriority\tprior\twithin
person:george-bush\tperson\tpolitician\tGeorge Bush\t\t677\tcountry:US
person:whitney-houston\tperson\tmusician\tWhitney Houston\t\t170\t
city:bush\tlocation\tcity\tBush\t2\t14\tcountry:FR
city:houston\tlocation\tcity\tHouston\t2\t636\tregion:texas
";
    let gazetteer = Gazetteer::from_files(&[
        file("places.tsv", PLACES),
        file("more.tsv", extra),
        file("topics.topics", TOPICS),
        file("names.cues", "place-preposition\tin\n"),
    ])
    .expect("fixture compiles");
    let tagged = |body: &str| -> Vec<String> {
        linked(&tag(&gazetteer, body))
            .into_iter()
            .map(str::to_owned)
            .collect()
    };
    // George Bush (677) is far better known than the town (14): "the Bush administration"
    // is neither the town nor, unnamed in full, a person to link.
    assert!(tagged("He said the Bush administration would act.").is_empty());
    // After "in", or with its country named, the town is the town.
    assert_eq!(tagged("Talks in Bush ended."), ["city:bush"]);
    assert_eq!(
        tagged("France talks: the Bush mayor spoke."),
        ["city:bush", "country:FR"]
    );
    // Named in full, the surname is his.
    assert_eq!(
        tagged("George Bush spoke. The Bush administration would act."),
        ["person:george-bush"]
    );
    // Houston the city (636) is better known than Whitney Houston (170).
    assert_eq!(tagged("He flew to Houston on Monday."), ["city:houston"]);
}
