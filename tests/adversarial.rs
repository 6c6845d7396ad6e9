//! Every hostile input of `newstag::hostile` tagged once at 256 KiB with every option set: it
//! finishes, and the response keeps every invariant (offsets slice to the mention's text, caps
//! hold, order and scores are sane). How fast is `benches/adversarial.rs`'s business.

use newstag::Gazetteer;
use newstag::hostile::{INPUTS, check_response, option_sets};
use newstag::proto::{Article, TagOptions, TagResponse};

/// `body` as an article, tagged with `options` under the default rules.
fn tag_body(gazetteer: &Gazetteer, body: &str, options: &TagOptions) -> (Article, TagResponse) {
    let article = Article {
        body: body.to_owned(),
        ..Default::default()
    };
    let response =
        newstag::tag_article(gazetteer, &article, options, newstag::Rules::default()).unwrap();
    (article, response)
}

#[test]
fn hostile_inputs_keep_the_response_invariants() {
    let gazetteer = Gazetteer::bundled().expect("bundled gazetteer");
    for input in INPUTS {
        let article = input.article(256 << 10);
        for (options_name, options) in option_sets() {
            let response =
                newstag::tag_article(&gazetteer, &article, &options, newstag::Rules::default())
                    .unwrap_or_else(|e| panic!("{} / {options_name}: {e}", input.name));
            if let Err(problem) = check_response(&article, &options, &response) {
                panic!("{} / {options_name}: {problem}", input.name);
            }
        }
    }
}

#[test]
fn a_repeated_name_keeps_its_exact_count_and_lists_the_first_mentions() {
    let gazetteer = Gazetteer::bundled().expect("bundled gazetteer");
    let body = "NATO ".repeat(200_000);
    let (_, response) = tag_body(&gazetteer, &body, &TagOptions::default());
    let nato = &response.entities[0];
    assert_eq!(nato.mention_count, 200_000);
    assert!(nato.mentions_truncated);
    assert_eq!(nato.mentions.len(), 100);
    assert_eq!(nato.mentions[0].start, 0);
    assert_eq!(nato.mentions[99].start, 99 * 5);
    let few = TagOptions {
        max_mentions_per_entity: 3,
        ..Default::default()
    };
    let (_, response) = tag_body(&gazetteer, &body, &few);
    assert_eq!(response.entities[0].mentions.len(), 3);
    assert_eq!(response.entities[0].mention_count, 200_000);
}

#[test]
fn names_beside_the_trie_end_mark_and_nul_are_found_at_their_offsets() {
    let gazetteer = Gazetteer::bundled().expect("bundled gazetteer");
    let body = "Talks with NATO\u{ffff}and Russia\0in Canada\u{ffff}\u{ffff} ended.";
    let options = TagOptions::default();
    let (article, response) = tag_body(&gazetteer, body, &options);
    // Offsets slice to each mention's text, among the other invariants.
    check_response(&article, &options, &response).unwrap();
    let texts: Vec<&str> = response
        .entities
        .iter()
        .flat_map(|e| &e.mentions)
        .map(|m| m.text.as_str())
        .collect();
    for name in ["NATO", "Russia", "Canada"] {
        assert!(texts.contains(&name), "{name} not in {texts:?}");
    }
}
