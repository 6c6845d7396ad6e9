//! Shared helpers for the integration tests: a small gazetteer written in the entity-file
//! format, and shortcuts to tag text with it.
#![allow(dead_code)]

use newstag::Gazetteer;
use newstag::gazetteer::file;
use newstag::proto::{Article, Entity, TagOptions, TagResponse};

/// Entities covering every rule the engine implements.
pub const ENTITIES: &str = "\
# test gazetteer
id\ttype\tname\taliases\tacronyms\tdemonyms\tcase\tpriority\ttopics\txref:wikidata
country:RU\tcountry\tRussia\tRussian Federation\t\tRussian|Russians\t\t\t\tQ159
country:UA\tcountry\tUkraine\t\t\tUkrainian\t\t\t\tQ212
country:IR\tcountry\tIran\t\t\t\t\t\t\t
country:US\tcountry\tUnited States\tAmerica\tUS|U.S.\tAmerican\t\t\t\t
country:MX\tcountry\tMexico\t\t\tMexican\t\t\t\t
country:TR\tcountry\tTurkey\t\t\tTurkish\t\t\t\t
country:TD\tcountry\tChad\t\t\t\t\t\t\t
country:CN\tcountry\tChina\t\t\tChinese\t\t\t\t
country:JO\tcountry\tJordan\tHashemite Kingdom of Jordan\t\t\t\t\t\t
country:JP\tcountry\tJapan\t\t\tJapanese\t\t\t\t
country:GE\tcountry\tGeorgia\tSakartvelo\t\tGeorgian\t\t\t\t
country:DE\tcountry\tGermany\tDeutschland\t\tGerman\texact\t\t\t
country:FR\tcountry\tFrance\t\t\t\tinsensitive\t\t\t
state:GA\tstate\tGeorgia\tState of Georgia\t\t\t\t\t\t
org:nato\torganisation\tNorth Atlantic Treaty Organization\t\tNATO\t\t\t\tmedtop:20000598\tQ7184
org:eu\torganisation\tEuropean Union\t\tEU\t\t\t\t\tQ458
org:opec\torganisation\tOrganization of the Petroleum Exporting Countries\t\tOPEC\t\t\t\t\t
org:who\torganisation\tWorld Health Organization\t\tWHO\t\t\t\t\t
org:nyt\torganisation\tNew York Times\tThe New York Times\t\t\t\t\t\t
city:nyc\tcity\tNew York\t\t\t\t\t\t\t
org:central-tribune\torganisation\tCentral Tribune\t\t\t\t\t\t\t
person:vladimir-putin\tperson\tVladimir Putin\t\t\t\t\t\t\tQ7747
person:liz-truss\tperson\tLiz Truss\t\t\t\t\t\t\t
person:george-bush\tperson\tGeorge Bush\tGeorge W. Bush\t\t\t\t\t\t
person:jeb-bush\tperson\tJeb Bush\t\t\t\t\t\t\t
person:michael-jordan\tperson\tMichael Jordan\t\t\t\t\t\t\t
misc:mercury-planet\tmisc\tMercury\t\t\t\t\t1\t\t
misc:mercury-element\tmisc\tMercury\t\t\t\t\t0\t\t
misc:amazon-river\tmisc\tAmazon\t\t\t\t\t\t\t
misc:amazon-company\tmisc\tAmazon\t\t\t\t\t\t\t
org:fifa\torganisation\tFederation Internationale de Football Association\t\tFIFA\t\t\t\t\t
misc:fifa-game\tmisc\tFifa\t\t\t\t\t\t\t
";

/// A topic lexicon with a three-level branch.
pub const TOPICS: &str = "\
id\tlabel\tparent\tkeywords
medtop:11000000\tpolitics\t\tpolitician
medtop:20000574\telection\tmedtop:11000000\telection^2|ballot|vote
medtop:16000000\tconflict, war and peace\t\t
medtop:20000056\tarmed conflict\tmedtop:16000000\ttroops|invasion^2
medtop:20000593\tgovernment\tmedtop:11000000\t
medtop:20000598\tdefense\tmedtop:20000593\tdefence|alliance
medtop:10000000\tlifestyle and leisure\t\trecipe|roast turkey
";

pub const STOP_PHRASES: &str = "# stop phrases\nNew Mexico\nGeorgia Tech\n";

/// The test gazetteer.
pub fn gazetteer() -> Gazetteer {
    Gazetteer::from_files(&[
        file("entities.tsv", ENTITIES),
        file("lexicon.topics", TOPICS),
        file("stop.stop", STOP_PHRASES),
    ])
    .expect("test gazetteer compiles")
}

/// Tags `body` (no title) with default options.
pub fn tag_body(gazetteer: &Gazetteer, body: &str) -> TagResponse {
    tag(gazetteer, "", body, TagOptions::default())
}

/// Tags a title and body with options.
pub fn tag(gazetteer: &Gazetteer, title: &str, body: &str, options: TagOptions) -> TagResponse {
    let article = Article {
        id: "test".into(),
        title: title.into(),
        body: body.into(),
        language: "en".into(),
    };
    newstag::tag_article(gazetteer, &article, &options, newstag::Rules::default())
        .expect("article tags")
}

/// Ids of the tagged entities, in response order.
pub fn ids(response: &TagResponse) -> Vec<&str> {
    response.entities.iter().map(|e| e.id.as_str()).collect()
}

/// The entity with `id`, if tagged.
pub fn entity<'a>(response: &'a TagResponse, id: &str) -> Option<&'a Entity> {
    response.entities.iter().find(|e| e.id == id)
}

/// Sorted ids, for set comparisons.
pub fn id_set(response: &TagResponse) -> Vec<String> {
    let mut ids: Vec<String> = response.entities.iter().map(|e| e.id.clone()).collect();
    ids.sort();
    ids
}
