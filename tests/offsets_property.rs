//! Property: for any Unicode input and every offset unit, each mention's offsets slice the
//! original field to exactly the mention's `text`.

mod common;

use newstag::proto::{Article, OffsetUnit, TagOptions};
use proptest::prelude::*;

/// Pieces that produce matches, folding work and awkward characters.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Russia".to_owned()),
        Just("Russia’s".to_owned()),
        Just("ＮＡＴＯ".to_owned()),
        Just("Сentral Tribune".to_owned()),
        Just("Vladimir Putin".to_owned()),
        Just("Putin".to_owned()),
        Just("U.S.".to_owned()),
        Just("United\u{00A0}\u{00A0}States".to_owned()),
        Just("e\u{0301}".to_owned()),
        Just("Straße".to_owned()),
        Just("😀".to_owned()),
        Just("\u{00AD}".to_owned()),
        Just("İ".to_owned()),
        Just(" \n\t ".to_owned()),
        any::<char>().prop_map(String::from),
        "\\PC{0,8}",
    ]
}

fn article_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|pieces| pieces.join(""))
}

fn slice(text: &str, unit: OffsetUnit, start: usize, end: usize) -> String {
    match unit {
        OffsetUnit::Codepoint => text.chars().skip(start).take(end - start).collect(),
        OffsetUnit::Utf16 => {
            let units: Vec<u16> = text.encode_utf16().collect();
            String::from_utf16(&units[start..end]).expect("offsets on UTF-16 boundaries")
        }
        _ => text
            .get(start..end)
            .expect("offsets on UTF-8 boundaries")
            .to_owned(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn offsets_slice_the_original(title in article_text(), body in article_text()) {
        let gazetteer = common::gazetteer();
        prop_assume!(!title.trim().is_empty() || !body.trim().is_empty());
        for unit in [OffsetUnit::Utf8, OffsetUnit::Codepoint, OffsetUnit::Utf16] {
            let article = Article { id: "p".into(), title: title.clone(), body: body.clone(), language: String::new() };
            let options = TagOptions { offset_unit: unit as i32, explain: true, ..TagOptions::default() };
            let response = newstag::tag_article(&gazetteer, &article, &options, newstag::Rules::default()).unwrap();
            let field = |f: i32| if f == newstag::proto::Field::Title as i32 { &title } else { &body };
            for entity in &response.entities {
                for m in &entity.mentions {
                    prop_assert!(m.start < m.end);
                    prop_assert_eq!(slice(field(m.field), unit, m.start as usize, m.end as usize), m.text.clone());
                }
            }
            for s in &response.explanation.unwrap().suppressed {
                prop_assert_eq!(slice(field(s.field), unit, s.start as usize, s.end as usize), s.text.clone());
            }
        }
    }

    #[test]
    fn normalised_positions_map_to_original_char_boundaries(text in article_text()) {
        let normalised = newstag::text::normalise(&text);
        prop_assert!(!normalised.text.contains("  "), "whitespace runs collapse: {:?}", normalised.text);
        for (position, _) in normalised.text.char_indices() {
            let start = normalised.map.original_start(position);
            prop_assert!(text.is_char_boundary(start));
            let end = normalised.map.original_end(position + 1);
            prop_assert!(text.is_char_boundary(end) && start <= end);
        }
    }
}

#[test]
fn offset_units_on_a_known_text() {
    let gazetteer = common::gazetteer();
    let body = "😀 Zoë: Russia";
    for (unit, start, end) in [
        (OffsetUnit::Utf8, 11, 17),
        (OffsetUnit::Codepoint, 7, 13),
        (OffsetUnit::Utf16, 8, 14),
    ] {
        let response = common::tag(
            &gazetteer,
            "",
            body,
            TagOptions {
                offset_unit: unit as i32,
                ..TagOptions::default()
            },
        );
        let m = &response.entities[0].mentions[0];
        assert_eq!((m.start, m.end), (start, end), "{unit:?}");
        assert_eq!(response.offset_unit, unit as i32);
    }
}
