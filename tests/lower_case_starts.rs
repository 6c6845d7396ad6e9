//! Words that start lower case walk a smaller automaton (only the patterns such a text can
//! match under their case policy); explain mode still walks every pattern, to report what the
//! case policy refused. So tagging with and without `explain` must give the same entities and
//! topics: any acceptable match the smaller walk missed would show here.

mod common;

use common::{ENTITIES, STOP_PHRASES, TOPICS, tag};
use newstag::Gazetteer;
use newstag::gazetteer::file;
use newstag::proto::TagOptions;
use proptest::prelude::*;

/// Aliases that start lower case or mix cases, under each policy.
const MORE_ENTITIES: &str = "\
id\ttype\tname\taliases\tacronyms\tdemonyms\tcase
person:de-gaulle\tperson\tCharles de Gaulle\tde Gaulle\t\t\t
org:ebay\torganisation\teBay\t\t\t\t
org:iphone-maker\torganisation\tiPhone Makers\t\t\t\texact
org:mcdonalds\torganisation\tMcDonald's\t\t\t\t
org:dax\torganisation\tDAX index\tdax\t\t\tinsensitive
place:cote\tlocation\tCôte Verte\t\t\t\t
";

/// The shared test gazetteer, the entities above, and enough filler names that the matcher
/// uses its contiguous NFA, where the lower-case walk applies (small sets use a DFA).
fn gazetteer() -> Gazetteer {
    let mut filler = String::from("id\ttype\tname\n");
    for i in 0..1_200u32 {
        let letters: String = [i % 26, i / 26 % 26, i / 676]
            .iter()
            .map(|&d| char::from(b'a' + d as u8))
            .collect();
        filler.push_str(&format!(
            "person:filler-{i}\tperson\tQuentin Vander{letters}\n"
        ));
    }
    let gazetteer = Gazetteer::from_files(&[
        file("entities.tsv", ENTITIES),
        file("more.tsv", MORE_ENTITIES),
        file("filler.tsv", &filler),
        file("lexicon.topics", TOPICS),
        file("stop.stop", STOP_PHRASES),
    ])
    .expect("gazetteer compiles");
    assert_eq!(
        gazetteer.automaton_kind(),
        aho_corasick::AhoCorasickKind::ContiguousNFA,
        "the filler no longer makes the matcher an NFA: the test would not test the split walk"
    );
    gazetteer
}

fn same_with_and_without_explain(gazetteer: &Gazetteer, title: &str, body: &str) {
    let plain = tag(gazetteer, title, body, TagOptions::default());
    let explained = tag(
        gazetteer,
        title,
        body,
        TagOptions {
            explain: true,
            ..TagOptions::default()
        },
    );
    // The fuzz target's comparison: what is tagged, minus what only explain mode writes.
    if let Err(difference) = newstag::hostile::fuzz::same_tags(plain, explained) {
        panic!("title {title:?}, body {body:?}: {difference}");
    }
}

#[test]
fn lower_case_starts_tag_what_their_case_policy_accepts() {
    let gazetteer = gazetteer();
    let ids = |body: &str| -> Vec<String> {
        let mut ids: Vec<String> = tag(&gazetteer, "", body, TagOptions::default())
            .entities
            .into_iter()
            .filter(|e| e.linked)
            .map(|e| e.id)
            .collect();
        ids.sort();
        ids
    };
    // Accepted at a lower-case start: a lower-case alias, a mixed one spelled as listed, an
    // insensitive entity.
    assert_eq!(ids("talks with de Gaulle ended."), ["person:de-gaulle"]);
    assert_eq!(ids("he sold it on eBay yesterday."), ["org:ebay"]);
    assert_eq!(ids("shares on the dax index fell."), ["org:dax"]);
    assert_eq!(ids("tourists in france said so."), ["country:FR"]);
    // Refused there, as before: capitalised aliases under smart and exact.
    assert_eq!(
        ids("roast turkey and germany-style nato quentin vanderaaa"),
        Vec::<String>::new()
    );
    assert_eq!(
        ids("Turkey, Germany and NATO"),
        ["country:DE", "country:TR", "org:nato"]
    );
}

#[test]
fn explain_and_plain_tagging_agree_on_lower_case_starts() {
    let gazetteer = gazetteer();
    for body in [
        "talks with de Gaulle ended; De Gaulle said so, and DE GAULLE too.",
        "on eBay, on ebay and on EBAY; iPhone makers and iphone makers.",
        "the dax index, the DAX Index and the Dax index rose.",
        "new mexico and New Mexico; georgia tech and Georgia Tech.",
        "an election and a ballot: the vote, roast turkey.",
        "mcdonald's and McDonald's; côte verte and Côte Verte.",
        "quentin vanderbaa met Quentin Vanderbaa and QUENTIN VANDERBAA.",
        // Not every field keeps its word boundaries when normalised (a soft hyphen, a
        // combining mark): those walk every pattern.
        "ger\u{00AD}many and Ger\u{00AD}many; cote\u{0301} verte and france\u{0301}.",
    ] {
        same_with_and_without_explain(&gazetteer, "", body);
        same_with_and_without_explain(&gazetteer, body, "");
    }
}

/// Words of the test gazetteer's aliases, keywords and stop phrases, and some others.
const WORDS: &[&str] = &[
    "de",
    "gaulle",
    "charles",
    "ebay",
    "iphone",
    "makers",
    "mcdonald's",
    "dax",
    "index",
    "côte",
    "verte",
    "france",
    "germany",
    "deutschland",
    "turkey",
    "roast",
    "nato",
    "us",
    "u.s.",
    "who",
    "new",
    "york",
    "times",
    "mexico",
    "georgia",
    "tech",
    "state",
    "of",
    "the",
    "election",
    "ballot",
    "vote",
    "quentin",
    "vanderbaa",
    "vanderzzb",
    "russia's",
    "russian",
    "liz",
    "truss",
    "said",
    "in",
    "and",
    "-",
    ",",
    "’s",
    "amazon",
    "mercury",
    "fifa",
];

/// A word in one of several capitalisations.
fn cased(word: &str, style: u8) -> String {
    match style % 4 {
        0 => word.to_owned(),
        1 => word.to_uppercase(),
        2 => {
            let mut chars = word.chars();
            chars
                .next()
                .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
        }
        _ => word
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_case_mixes_tag_the_same_with_and_without_explain(
        words in proptest::collection::vec((0..WORDS.len(), 0u8..4), 1..24)
    ) {
        let gazetteer = GAZETTEER.with(std::sync::Arc::clone);
        let body: Vec<String> = words.iter().map(|&(w, style)| cased(WORDS[w], style)).collect();
        same_with_and_without_explain(&gazetteer, "", &body.join(" "));
    }
}

thread_local! {
    static GAZETTEER: std::sync::Arc<Gazetteer> = std::sync::Arc::new(gazetteer());
}
