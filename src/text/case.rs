//! Case policies: when the capitalisation of a piece of text fits an alias.
//!
//! Matching runs on case-folded text, so "turkey" and "Turkey" produce the same candidate; the
//! case policy then looks at the *original* text to decide. `smart` is what keeps "us", "chad"
//! and "who" in running prose from becoming the United States, Chad and the WHO while still
//! accepting "JAPAN GET LUCKY WIN" headlines and "Nato" house styles.

use std::fmt;
use std::str::FromStr;

use super::is_word_char;

/// How an alias's capitalisation constrains the text it matches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CasePolicy {
    /// All-capitals aliases match only capitals (four or more letters: Title case too);
    /// others match the same capitalisation or all capitals, never all lower case.
    #[default]
    Smart,
    /// The letters' case must equal the alias's, letter for letter.
    Exact,
    /// Any capitalisation.
    Insensitive,
}

impl FromStr for CasePolicy {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "" | "smart" => Ok(Self::Smart),
            "exact" => Ok(Self::Exact),
            "insensitive" => Ok(Self::Insensitive),
            other => Err(format!(
                "bad case {other:?}: expected smart, exact or insensitive"
            )),
        }
    }
}

impl fmt::Display for CasePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Smart => "smart",
            Self::Exact => "exact",
            Self::Insensitive => "insensitive",
        })
    }
}

/// The capitalisation of one word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// No cased letters (digits, CJK).
    Uncased,
    Lower,
    /// Every cased letter upper case (a single capital letter counts here too).
    Upper,
    /// First cased letter upper, the rest lower.
    Title,
    Mixed,
}

fn shape(word: &str) -> Shape {
    let mut upper = 0usize;
    let mut lower = 0usize;
    let mut first_upper = None;
    for c in word.chars() {
        if c.is_uppercase() {
            upper += 1;
            first_upper.get_or_insert(true);
        } else if c.is_lowercase() {
            lower += 1;
            first_upper.get_or_insert(false);
        }
    }
    match (upper, lower) {
        (0, 0) => Shape::Uncased,
        (_, 0) => Shape::Upper,
        (0, _) => Shape::Lower,
        (1, _) if first_upper == Some(true) => Shape::Title,
        _ => Shape::Mixed,
    }
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
}

/// The sequence of cased letters as upper (true) / lower (false).
fn case_flags(text: &str) -> impl Iterator<Item = bool> + '_ {
    text.chars()
        .filter(|c| c.is_uppercase() || c.is_lowercase())
        .map(char::is_uppercase)
}

impl CasePolicy {
    /// Does `text` (the original characters of a candidate) fit `alias` under this policy?
    pub fn accepts(self, alias: &str, text: &str) -> bool {
        match self {
            Self::Insensitive => true,
            Self::Exact => case_flags(alias).eq(case_flags(text)),
            Self::Smart => smart_accepts(alias, text),
        }
    }
}

fn smart_accepts(alias: &str, text: &str) -> bool {
    let alias_letters = alias.chars().filter(|c| c.is_alphabetic()).count();
    let alias_all_caps = shape(alias) == Shape::Upper;
    // "Nato", "Opec": long acronyms are often written as words.
    let title_ok_for_caps = alias_all_caps && alias_letters >= 4 && words(alias).count() == 1;
    if words(alias).count() != words(text).count() {
        // Folding changed the word structure (ligatures, compatibility forms): fall back to
        // the one promise smart makes regardless, no all-lower-case text for a capitalised alias.
        let text_shape = shape(text);
        let lower_for_capitalised = text_shape == Shape::Lower && shape(alias) != Shape::Lower;
        let caps_refused = alias_all_caps && text_shape != Shape::Upper && !title_ok_for_caps;
        return !lower_for_capitalised && !caps_refused;
    }
    words(alias)
        .zip(words(text))
        .all(|(alias_word, text_word)| {
            let text_shape = shape(text_word);
            match shape(alias_word) {
                Shape::Uncased => true,
                Shape::Upper => {
                    text_shape == Shape::Upper || (title_ok_for_caps && text_shape == Shape::Title)
                }
                // A one- or two-letter name in capitals is a numeral or an abbreviation ("XI").
                Shape::Title if alias_letters <= 2 => text_shape == Shape::Title,
                Shape::Title => matches!(text_shape, Shape::Title | Shape::Upper),
                // "of", "the", "van": sentence starts and headline title case capitalise them.
                Shape::Lower => matches!(text_shape, Shape::Lower | Shape::Title | Shape::Upper),
                Shape::Mixed => {
                    text_shape == Shape::Upper || case_flags(alias_word).eq(case_flags(text_word))
                }
            }
        })
}

#[cfg(test)]
mod tests {
    use super::CasePolicy::{self, *};

    #[test]
    fn policy_table() {
        let cases: &[(CasePolicy, &str, &str, bool)] = &[
            (Smart, "NATO", "NATO", true),
            (Smart, "NATO", "Nato", true),
            (Smart, "NATO", "nato", false),
            (Smart, "OPEC", "Opec", true),
            (Smart, "EU", "EU", true),
            (Smart, "EU", "Eu", false),
            (Smart, "US", "us", false),
            (Smart, "US", "Us", false),
            (Smart, "WHO", "who", false),
            (Smart, "WHO", "Who", false),
            (Smart, "U.S.", "U.S.", true),
            (Smart, "U.S.", "u.s.", false),
            (Smart, "Turkey", "turkey", false),
            (Smart, "Turkey", "Turkey", true),
            (Smart, "Chad", "chad", false),
            (Smart, "China", "china", false),
            (Smart, "Jordan", "jordan", false),
            (Smart, "Japan", "JAPAN", true),
            (Smart, "Russian", "RUSSIAN", true),
            (
                Smart,
                "Organization for Security and Co-operation in Europe",
                "Organization For Security And Co-Operation In Europe",
                true,
            ),
            (
                Smart,
                "Organization for Security and Co-operation in Europe",
                "organization for security and co-operation in europe",
                false,
            ),
            (Smart, "McDonald", "McDonald", true),
            (Smart, "McDonald", "Mcdonald", false),
            (Smart, "Сentral", "Сentral", true),
            (Smart, "Xi", "XI", false),
            (Smart, "Xi", "Xi", true),
            (Exact, "Russia", "Russia", true),
            (Exact, "Russia", "RUSSIA", false),
            (Exact, "Russia", "russia", false),
            (Insensitive, "Russia", "rUSSIA", true),
        ];
        for &(policy, alias, text, expected) in cases {
            assert_eq!(
                policy.accepts(alias, text),
                expected,
                "{policy} {alias:?} vs {text:?}"
            );
        }
    }

    #[test]
    fn parse() {
        assert_eq!("".parse::<CasePolicy>(), Ok(Smart));
        assert_eq!("exact".parse::<CasePolicy>(), Ok(Exact));
        assert!("Exact".parse::<CasePolicy>().is_err());
    }
}
