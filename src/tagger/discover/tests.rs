//! Discovery's unit tests: tokens, runs, typing.

use super::tokens::*;
use super::typing::*;
use super::*;

#[test]
fn capitalised_words_and_particles() {
    // The rule as first written, character by character.
    let reference = |word: &str| {
        let mut chars = word.chars();
        match chars.next() {
            Some(c) if c.is_uppercase() => true,
            Some(c) if c.is_lowercase() && word.len() > 2 => ["al-", "el-", "d'", "d’", "o'", "l'"]
                .iter()
                .any(|p| word.starts_with(p) && word[p.len()..].starts_with(char::is_uppercase)),
            _ => false,
        }
    };
    for word in [
        "",
        "a",
        "A",
        "and",
        "al",
        "al-",
        "al-Assad",
        "al-assad",
        "el-Sisi",
        "d'Alema",
        "d’Alema",
        "d’",
        "d'",
        "o'Neill",
        "O'Neill",
        "l'Oréal",
        "l'Élysée",
        "mcIlroy",
        "McIlroy",
        "iPhone",
        "3M",
        "-Ukraine",
        "Élysée",
        "élysée",
        "Über",
        "ñandú",
        "Ωmega",
        "ωmega",
        "d’élan",
        "al-Élysée",
        "de",
        "dé",
        "o'",
        "l'x",
        "'s",
        "&",
    ] {
        assert_eq!(is_capitalised(word), reference(word), "{word:?}");
    }
}

#[test]
fn tail_phrases_borrow_the_text_only_where_it_spells_them_with_single_spaces() {
    let text = "the deputy prime  minister\tsaid the chief executive";
    let before = words_before(text, text.len(), 3);
    assert_eq!(before, ["the", "chief", "executive"]);
    let two = tail_phrase(text, &before, 2).unwrap();
    assert!(matches!(two, Cow::Borrowed("chief executive")));
    assert_eq!(tail_phrase(text, &before, 0).as_deref(), Some(""));
    assert_eq!(tail_phrase(text, &before, 4), None);
    // A double space or a tab between the words: the joined phrase, as before.
    let before = words_before(text, 26, 3);
    assert_eq!(before, ["deputy", "prime", "minister"]);
    let three = tail_phrase(text, &before, 3).unwrap();
    assert!(matches!(&three, Cow::Owned(p) if p == "deputy prime minister"));
    let words: Vec<&str> = text.split_whitespace().collect();
    for n in 1..=words.len() {
        for end in n..=words.len() {
            let window = &words[..end];
            assert_eq!(
                tail_phrase(text, window, n).unwrap(),
                window[end - n..].join(" "),
                "{n} words before word {end}"
            );
        }
    }
}

#[test]
fn tokens_keep_inner_apostrophes_hyphens_and_initials() {
    let text = "Bill O'Reilly met J. P. Morgan and al-Assad in the U.S. & Canada.";
    let words: Vec<&str> = tokens(text).iter().map(|t| &text[t.start..t.end]).collect();
    assert_eq!(
        words,
        [
            "Bill", "O'Reilly", "met", "J.", "P.", "Morgan", "and", "al-Assad", "in", "the",
            "U.S.", "&", "Canada"
        ]
    );
}

#[test]
fn reused_scratch_remembers_nothing_of_the_field_before() {
    // The cue memo is keyed by byte offset: a second field with other words at the same
    // offsets must be typed exactly as on a fresh thread.
    let gazetteer = crate::Gazetteer::bundled().expect("bundled gazetteer");
    let run = |text: &str| {
        let names = discover_field(
            &gazetteer.cues,
            text,
            (Field::Body, &Words::default()),
            &[],
            (false, DiscoveryRules::default()),
            &Interrupt::never(),
        )
        .expect("not interrupted");
        names
            .iter()
            .map(|d| (d.start, d.end, d.name_type))
            .collect::<Vec<_>>()
    };
    // Same offsets, same lengths, other words: "Robert Rubin" is a person by its given
    // name; "Bridge Court" must not inherit that.
    let first = "He met Robert Rubin on Monday and Mr Gideon Sauer in Lake Placid.";
    let second = "He met Bridge Court on Monday and Mr Gideon Sauer in Lake Placid.";
    let fresh = std::thread::scope(|scope| scope.spawn(|| run(second)).join().unwrap());
    run(first);
    assert_eq!(run(second), fresh);
    assert!(!fresh.is_empty());
}

#[test]
fn the_ascii_tokeniser_agrees_with_the_unicode_one() {
    let text = "Bill O'Reilly met J. P. Morgan, AT&T and al-Assad in the U.S. & Canada... \
                x-ray 'quoted' U.S.A. A.B-C 3.5% e.g. -- &&& Mr. ok.";
    let ascii = tokens(text);
    // One non-ASCII character at the end sends the same text down the Unicode path.
    let unicode_text = format!("{text} é");
    let unicode = tokens(&unicode_text);
    let spans = |t: &[Token]| t.iter().map(|t| (t.start, t.end)).collect::<Vec<_>>();
    assert_eq!(spans(&ascii), spans(&unicode[..unicode.len() - 1]));
}

proptest::proptest! {
    /// Over random ASCII windows (words, blanks of every kind, line feeds, punctuation),
    /// the one-pass reading finds the words the string searches and splitting do.
    #[test]
    fn ascii_words_before_agree_with_splitting(
        window in "[aZ9' \t\n\x0b\x0c\r.,;:()\"-]{0,60}",
        count in 0usize..6,
    ) {
        proptest::prop_assert_eq!(ascii_words_before(&window, count), words_ending(&window, count));
    }
}

#[test]
fn hyphenated_modifiers_end_in_a_lower_case_part() {
    for word in [
        "Third-seeded",
        "Italian-born",
        "Sheffield-based",
        "Top-",
        "x-ray",
    ] {
        assert!(hyphenated_modifier(word), "{word}");
    }
    for word in [
        "Jean-Pierre",
        "Seeded",
        "al-Assad-Said",
        "Coca-Cola",
        "-Born",
        "",
    ] {
        assert!(!hyphenated_modifier(word), "{word}");
    }
    // Only the part after the last hyphen counts, in any script.
    assert!(hyphenated_modifier("Saint-Étienne-né"));
    assert!(!hyphenated_modifier("né-Étienne"));
}

proptest::proptest! {
    /// Over random ASCII (letters, digits, joiners, spaces, line feeds), the byte-by-byte
    /// tokeniser finds the tokens the Unicode one does, and the lines classify alike.
    #[test]
    fn the_ascii_tokeniser_agrees_with_the_unicode_one_on_any_text(
        text in "[aAzZZZ9 .'&\\-]{0,40}(\n[aAzZZZ9 .'&\\-]{0,40}){0,2}",
    ) {
        let spans = |t: &[Token]| t.iter().map(|t| (t.start, t.end)).collect::<Vec<_>>();
        let unicode_text = format!("{text} é");
        let unicode = tokens(&unicode_text);
        proptest::prop_assert_eq!(spans(&tokens(&text)), spans(&unicode[..unicode.len() - 1]));
        let (mut ascii, mut unicode) = (Vec::new(), Vec::new());
        classify_ascii_lines(text.as_bytes(), &mut ascii);
        classify_lines(&text, &mut unicode);
        proptest::prop_assert_eq!(ascii, unicode);
    }
}

#[test]
fn headlines_are_lines_of_capitals() {
    let text = "SOCCER - JAPAN GET LUCKY WIN\nJapan won on Friday in a match.";
    let lines = headline_lines(text);
    assert!(in_headline(&lines, 0));
    assert!(!in_headline(&lines, text.len() - 3));
}

#[test]
fn headline_lines_count_ascii_and_unicode_lines_alike() {
    // Character by character over the whole text, as the classification is defined.
    let reference = |text: &str| {
        let mut lines = Vec::new();
        let (mut start, mut upper, mut lower) = (0, 0, 0);
        let headline = |u: usize, l: usize| u >= 8 && u * 10 >= (u + l) * 8;
        for (i, c) in text.char_indices() {
            if c == '\n' {
                lines.push((start, headline(upper, lower)));
                (start, upper, lower) = (i + 1, 0, 0);
            } else if c.is_uppercase() {
                upper += 1;
            } else if c.is_lowercase() {
                lower += 1;
            }
        }
        lines.push((start, headline(upper, lower)));
        lines
    };
    for text in [
        "",
        "\n",
        "ZÜRICH ÉCOLE GAGNE\nZurich won\n\nSOCCER - JAPAN GET LUCKY WIN",
        "RUSSIA SAYS NO TO NATO\r\nRussia said",
        "ÀÉÎÕÜ ÇÑ ÆØ\nÀÉÎÕÜ ÇÑ ÆØ ab\nABCDEFGH ij\nABCDEFGH ijk\n",
        "Ο ΠΡΩΘΥΠΟΥΡΓΟΣ ΕΙΠΕ\nThe Prime Minister said",
    ] {
        assert_eq!(headline_lines(text), reference(text), "{text:?}");
    }
    // Lines longer than the ASCII count's 255-byte stretches, either side of four capitals
    // to one small letter: 400 capitals.
    for lower in [99, 100, 101] {
        let line = format!("{} {}", "ABCDEFGHIJ".repeat(40), "x".repeat(lower));
        let text = format!("{line}\n{line}");
        let lines = headline_lines(&text);
        assert_eq!(lines, reference(&text), "{lower}");
        assert_eq!(lines[0].1, lower <= 100, "{lower}");
    }
}
