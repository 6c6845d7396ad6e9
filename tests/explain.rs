//! Explain mode: the rule behind every tag and every suppressed candidate with its reason.

mod common;

use common::{gazetteer, tag};
use newstag::proto::{SuppressionReason, TagOptions};

fn reasons(title: &str, body: &str) -> Vec<(String, i32)> {
    let response = tag(
        &gazetteer(),
        title,
        body,
        TagOptions {
            explain: true,
            ..TagOptions::default()
        },
    );
    let explanation = response
        .explanation
        .expect("explanation present with explain");
    explanation
        .suppressed
        .iter()
        .map(|s| (s.text.clone(), s.reason))
        .collect()
}

#[test]
fn every_suppression_reason_is_reported() {
    let found = reasons(
        "",
        "a turkey sandwich. New Mexico. Putin spoke. Georgia voted. The New York Times.",
    );
    let expect = [
        ("turkey", SuppressionReason::Case),
        ("New Mexico", SuppressionReason::StopPhrase),
        ("Mexico", SuppressionReason::StopPhrase),
        ("Putin", SuppressionReason::UnresolvedSurname),
        ("Georgia", SuppressionReason::Ambiguous),
        ("New York", SuppressionReason::Overlap),
    ];
    for (text, reason) in expect {
        assert!(
            found.contains(&(text.to_owned(), reason as i32)),
            "expected {text:?} {reason:?} in {found:?}"
        );
    }
}

#[test]
fn tags_name_the_rule_that_fired_only_with_explain() {
    let g = gazetteer();
    let explained = tag(
        &g,
        "",
        "Vladimir Putin spoke. Putin left.",
        TagOptions {
            explain: true,
            ..TagOptions::default()
        },
    );
    let rules: Vec<&str> = explained.entities[0]
        .mentions
        .iter()
        .map(|m| m.rule.as_str())
        .collect();
    assert!(rules[0].contains("only entity"), "{rules:?}");
    assert!(rules[1].contains("surname"), "{rules:?}");
    let plain = tag(&g, "", "Vladimir Putin spoke.", TagOptions::default());
    assert!(plain.explanation.is_none());
    assert!(plain.entities[0].mentions[0].rule.is_empty());
}
