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
    /// others match the same capitalisation or all capitals (not a mixed-case acronym of
    /// three letters or fewer: "GdP" is not "GDP"), never all lower case.
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
    let mut letters = Letters::default();
    for c in word.chars() {
        letters.add(c.is_uppercase(), c.is_lowercase());
    }
    letters.shape()
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

/// Whether this policy refuses `alias` for every text that starts with a lower-case letter and
/// normalises to `pattern` (the alias's own normalised form), provided the text's characters
/// keep their word boundaries when normalised (as [`keeps_word_boundaries`] checks of a field).
/// The matcher walks only the patterns this does not hold for at lower-case word starts.
///
/// Why it holds: the alias starts with a capital, so its first word's shape is upper, title or
/// mixed with a capital first, and its case flags start upper; the text's first word starts
/// lower case, so its shape is lower or mixed with a small letter first, and its flags start
/// lower. `Exact` compares the flags; `smart` with as many words in alias and text (ensured by
/// comparing the alias's words with the pattern's, which the text shares) refuses each of these
/// pairs word by word. Only when folding changed the alias's word count could `smart` accept.
pub(crate) fn refuses_lower_start(policy: CasePolicy, alias: &str, pattern: &str) -> bool {
    let capital_first = alias.chars().next().is_some_and(char::is_uppercase);
    match policy {
        CasePolicy::Insensitive => false,
        CasePolicy::Exact => capital_first,
        CasePolicy::Smart => capital_first && words(alias).count() == words(pattern).count(),
    }
}

/// Whether normalising `text` keeps every word boundary where it is: ASCII (only case and
/// whitespace change), Latin-1 letters (each folds to one or two letters), whitespace, and the
/// typographic quotes and dashes (each folds to ASCII punctuation). Anything else (combining
/// marks, soft hyphens, compatibility forms, look-alike letters, the modifier apostrophe) may
/// join or split words.
pub(crate) fn keeps_word_boundaries(text: &str) -> bool {
    text.is_ascii()
        || text.chars().all(|c| {
            c.is_ascii()
                || c.is_whitespace()
                || (('\u{00C0}'..='\u{00FF}').contains(&c) && c.is_alphabetic())
                || matches!(
                    c,
                    '\u{2018}'
                        | '\u{2019}'
                        | '\u{201A}'
                        | '\u{201B}'
                        | '\u{201C}'
                        | '\u{201D}'
                        | '\u{201E}'
                        | '\u{201F}'
                        | '\u{00AB}'
                        | '\u{00BB}'
                        | '\u{2010}'..='\u{2015}' | '\u{2212}'
                )
        })
}

fn smart_accepts(alias: &str, text: &str) -> bool {
    match (AsciiWords::of(alias), AsciiWords::of(text)) {
        (Some(alias), Some(text)) => smart_accepts_ascii(&alias, &text),
        _ => smart_accepts_chars(alias, text),
    }
}

/// Words an ASCII alias or text may have for [`smart_accepts_ascii`]; longer ones take the
/// general path.
const ASCII_WORDS: usize = 12;

/// Cased-letter counts of a word or text, to tell its [`Shape`].
#[derive(Clone, Copy, Default)]
struct Letters {
    upper: usize,
    lower: usize,
    first_upper: Option<bool>,
}

impl Letters {
    /// Counts one character, given whether it is a capital and whether a small letter.
    fn add(&mut self, upper: bool, lower: bool) {
        if upper {
            self.upper += 1;
            self.first_upper.get_or_insert(true);
        } else if lower {
            self.lower += 1;
            self.first_upper.get_or_insert(false);
        }
    }

    /// Counts the letters of a word that follows the ones counted so far.
    fn append(&mut self, word: Letters) {
        self.upper += word.upper;
        self.lower += word.lower;
        self.first_upper = self.first_upper.or(word.first_upper);
    }

    fn shape(self) -> Shape {
        match (self.upper, self.lower) {
            (0, 0) => Shape::Uncased,
            (_, 0) => Shape::Upper,
            (0, _) => Shape::Lower,
            (1, _) if self.first_upper == Some(true) => Shape::Title,
            _ => Shape::Mixed,
        }
    }
}

/// An ASCII alias or text read once: its words (runs of ASCII letters and digits, which is
/// what [`is_word_char`] makes of ASCII) with their shapes, and the whole text's shape.
/// Judging a match reads each side once instead of five times, character by character.
struct AsciiWords<'a> {
    bytes: &'a [u8],
    /// Each word's start, end and shape. Offsets are `u16` (text longer than that takes the
    /// general path) so the table is small to fill and to return.
    words: [(u16, u16, Shape); ASCII_WORDS],
    len: usize,
    whole: Letters,
}

impl<'a> AsciiWords<'a> {
    /// `None` for text that is not ASCII or has more than [`ASCII_WORDS`] words.
    fn of(text: &'a str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() > usize::from(u16::MAX) {
            return None;
        }
        let mut words = [(0, 0, Shape::Uncased); ASCII_WORDS];
        let mut len = 0;
        let mut whole = Letters::default();
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            if !b.is_ascii() {
                return None;
            }
            if !b.is_ascii_alphanumeric() {
                at += 1;
                continue;
            }
            let start = at;
            let mut word = Letters::default();
            while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                word.add(
                    bytes[at].is_ascii_uppercase(),
                    bytes[at].is_ascii_lowercase(),
                );
                at += 1;
            }
            whole.append(word);
            // Both fit: the text is no longer than `u16::MAX` bytes.
            *words.get_mut(len)? = (start as u16, at as u16, word.shape());
            len += 1;
        }
        Some(Self {
            bytes,
            words,
            len,
            whole,
        })
    }

    fn words(&self) -> &[(u16, u16, Shape)] {
        &self.words[..self.len]
    }

    /// The case of each letter of a word, in order (ASCII [`case_flags`]).
    fn case_flags(&self, (start, end, _): (u16, u16, Shape)) -> impl Iterator<Item = bool> {
        self.bytes[usize::from(start)..usize::from(end)]
            .iter()
            .filter(|b| b.is_ascii_alphabetic())
            .map(u8::is_ascii_uppercase)
    }
}

/// [`smart_accepts_chars`] for ASCII alias and text, with the same answers (a property test
/// compares them).
fn smart_accepts_ascii(alias: &AsciiWords<'_>, text: &AsciiWords<'_>) -> bool {
    let alias_letters = alias.whole.upper + alias.whole.lower;
    let alias_all_caps = alias.whole.shape() == Shape::Upper;
    let title_ok_for_caps = alias_all_caps && alias_letters >= 4 && alias.len == 1;
    if alias.len != text.len {
        let text_shape = text.whole.shape();
        let lower_for_capitalised =
            text_shape == Shape::Lower && alias.whole.shape() != Shape::Lower;
        let caps_refused = alias_all_caps && text_shape != Shape::Upper && !title_ok_for_caps;
        return !lower_for_capitalised && !caps_refused;
    }
    alias
        .words()
        .iter()
        .zip(text.words())
        .all(|(&alias_word, &text_word)| {
            word_fits(
                (alias_word.2, text_word.2),
                (alias_letters, title_ok_for_caps),
                || alias.case_flags(alias_word).eq(text.case_flags(text_word)),
            )
        })
}

fn smart_accepts_chars(alias: &str, text: &str) -> bool {
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
            word_fits(
                (shape(alias_word), shape(text_word)),
                (alias_letters, title_ok_for_caps),
                || case_flags(alias_word).eq(case_flags(text_word)),
            )
        })
}

/// Whether a text word of `text_shape` fits an alias word of `alias_shape`, in an alias of
/// `alias_letters` letters that may be written in title case when `title_ok_for_caps`;
/// `same_flags` compares two mixed-case words letter by letter.
/// Names of this many letters or fewer, capitalised ("Ico") or mixed-case ("GdP"), match no
/// all-capitals text: written in capitals, so few letters are an acronym of something else.
const SHORT_NAME_LETTERS: usize = 3;

fn word_fits(
    (alias_shape, text_shape): (Shape, Shape),
    (alias_letters, title_ok_for_caps): (usize, bool),
    same_flags: impl FnOnce() -> bool,
) -> bool {
    match alias_shape {
        Shape::Uncased => true,
        Shape::Upper => {
            text_shape == Shape::Upper || (title_ok_for_caps && text_shape == Shape::Title)
        }
        // A short name in capitals is a numeral or an acronym ("XI"; "ICO" is not the town
        // of Icó, "MER" not the firm Mer).
        Shape::Title if alias_letters <= SHORT_NAME_LETTERS => text_shape == Shape::Title,
        Shape::Title => matches!(text_shape, Shape::Title | Shape::Upper),
        // "of", "the", "van": sentence starts and headline title case capitalise them.
        Shape::Lower => matches!(text_shape, Shape::Lower | Shape::Title | Shape::Upper),
        // "McDonald" in a capitals headline is still McDonald; a short mixed-case name is an
        // acronym whose small letters are its signature ("GdP", "KfW"), and in capitals it
        // is another one ("GDP").
        Shape::Mixed => {
            (text_shape == Shape::Upper && alias_letters > SHORT_NAME_LETTERS) || same_flags()
        }
    }
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
            (Smart, "McDonald", "MCDONALD", true),
            (Smart, "GdP", "GdP", true),
            (Smart, "GdP", "GDP", false),
            (Smart, "KfW", "KFW", false),
            (Smart, "BaFin", "BAFIN", true),
            (Smart, "Сentral", "Сentral", true),
            (Smart, "Xi", "XI", false),
            (Smart, "Ico", "ICO", false),
            (Smart, "Ico", "Ico", true),
            (Smart, "Oslo", "OSLO", true),
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

    /// Every capitalisation of `word` (letters only toggled), up to 2^10 of them.
    fn casings(word: &str) -> Vec<String> {
        let letters: Vec<usize> = word
            .char_indices()
            .filter(|(_, c)| c.is_alphabetic())
            .map(|(i, _)| i)
            .take(10)
            .collect();
        (0..1u32 << letters.len())
            .map(|mask| {
                word.char_indices()
                    .map(|(i, c)| match letters.iter().position(|&l| l == i) {
                        Some(bit) if mask & (1 << bit) != 0 => c.to_uppercase().collect(),
                        _ => c.to_lowercase().collect::<String>(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_refused_lower_case_start_is_refused_in_every_capitalisation() {
        let aliases = [
            "NATO",
            "Nato",
            "EU",
            "U.S.",
            "Turkey",
            "McDonald",
            "McDonald's",
            "New York Times",
            "Bank of Canada",
            "de Gaulle",
            "eBay",
            "iPhone",
            "Xi",
            "Côte d'Ivoire",
            "3M",
            "A-ha",
            "AT&T",
        ];
        for alias in aliases {
            let pattern = crate::text::normalise(alias).text;
            for policy in [Smart, Exact, Insensitive] {
                let refused = super::refuses_lower_start(policy, alias, &pattern);
                let lower_start_accepted: Vec<String> = casings(alias)
                    .into_iter()
                    .filter(|text| text.chars().next().is_some_and(char::is_lowercase))
                    .filter(|text| policy.accepts(alias, text))
                    .collect();
                if refused {
                    assert!(
                        lower_start_accepted.is_empty(),
                        "{policy} {alias:?} said refused, yet accepts {lower_start_accepted:?}"
                    );
                }
            }
        }
        // What the split walk relies on being refused, and what it must still walk.
        let refuses = |policy, alias: &str| {
            super::refuses_lower_start(policy, alias, &crate::text::normalise(alias).text)
        };
        assert!(refuses(Smart, "Turkey") && refuses(Exact, "Germany") && refuses(Smart, "NATO"));
        assert!(!refuses(Insensitive, "France") && !refuses(Smart, "de Gaulle"));
        assert!(!refuses(Smart, "eBay") && !refuses(Exact, "iPhone") && !refuses(Smart, "3M"));
    }

    proptest::proptest! {
        /// The one-pass ASCII judgement answers as the general one does, whatever the words,
        /// their shapes and counts (the same letters in another case are the common pair).
        #[test]
        fn ascii_smart_judgement_agrees_with_the_general_one(
            alias in "[aAbBZz9 .'&-]{0,16}",
            text in "[aAbBZz9 .'&-]{0,16}",
            mask in proptest::prelude::any::<u16>(),
        ) {
            let recased: String = alias
                .chars()
                .enumerate()
                .map(|(i, c)| if mask & (1 << (i % 16)) != 0 { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
                .collect();
            for text in [text.as_str(), recased.as_str()] {
                let fast = super::AsciiWords::of(&alias)
                    .zip(super::AsciiWords::of(text))
                    .map(|(a, t)| super::smart_accepts_ascii(&a, &t));
                if let Some(fast) = fast {
                    proptest::prop_assert_eq!(
                        fast,
                        super::smart_accepts_chars(&alias, text),
                        "{:?} vs {:?}", alias, text
                    );
                }
            }
        }
    }

    #[test]
    fn ascii_words_take_ascii_text_of_up_to_twelve_words() {
        let words = super::AsciiWords::of("Organization for Security and Co-operation").unwrap();
        assert_eq!(words.len, 6);
        assert!(super::AsciiWords::of("Zürich").is_none());
        assert!(super::AsciiWords::of("a b c d e f g h i j k l").is_some());
        assert!(super::AsciiWords::of("a b c d e f g h i j k l m").is_none());
        // Past twelve words the general path answers.
        let long = "A B C D E F G H I J K L M";
        assert!(Smart.accepts(long, long) && !Smart.accepts(long, &long.to_lowercase()));
    }

    #[test]
    fn word_boundaries_kept_by_normalisation() {
        use super::keeps_word_boundaries as keeps;
        assert!(keeps("Plain ASCII, with `ticks` and\ttabs."));
        assert!(keeps(
            "Zürich’s “café” — naïve résumé\u{00A0}Æsir ßtraße «oui»"
        ));
        // A soft hyphen or a combining mark joins words; a compatibility form or a
        // look-alike letter may split or change them; so may the modifier apostrophe.
        for text in [
            "Ger\u{00AD}many",
            "cafe\u{0301}",
            "½ price",
            "Сentral",
            "Ha\u{02BC}aretz",
        ] {
            assert!(!keeps(text), "{text:?}");
        }
    }

    #[test]
    fn parse() {
        assert_eq!("".parse::<CasePolicy>(), Ok(Smart));
        assert_eq!("exact".parse::<CasePolicy>(), Ok(Exact));
        assert!("Exact".parse::<CasePolicy>().is_err());
    }
}
