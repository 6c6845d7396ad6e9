//! Name cues (`*.cues`): the words that type a capitalised name no gazetteer row holds. A
//! given name or surname inside it, an honorific or a role before it ("Mr", "coach"), an
//! organisation's or a place's head or suffix word ("Bank of …", "… Corp", "Lake …",
//! "… River"), a place preposition before it ("in"), and the words that are no names by
//! themselves (months, weekdays, lower-case English words at a sentence start).
//!
//! Each line is `cue<TAB>word or phrase`; lookups are case-insensitive. One map from the
//! lower-cased phrase to a bit set of its cues, so typing a word costs one hash lookup whatever
//! it turns out to be.

use std::collections::HashMap;

use super::SourceFile;
use super::error::Problems;
use super::format::{content_lines, decode};

/// What a cue says about the name it is in or next to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum Cue {
    /// A first name ("Tony"): the name is a person's.
    GivenName = 1 << 0,
    /// A family name ("Lester"): weaker evidence of a person than a given name.
    Surname = 1 << 1,
    /// Written before a person's name and not part of it ("Mr", "President").
    Honorific = 1 << 2,
    /// A lower-case role noun before a person's name ("coach", "chief executive").
    PersonRole = 1 << 3,
    /// Last word of an organisation's name ("Corp", "University", "FC").
    OrganisationSuffix = 1 << 4,
    /// First word of an organisation's name ("Bank of …", "Ministry of …").
    OrganisationHead = 1 << 5,
    /// Last word of a place's name ("River", "Stadium", "County").
    LocationSuffix = 1 << 6,
    /// First word of a place's name ("Lake", "Mount").
    LocationHead = 1 << 7,
    /// A lower-case word before a place ("in", "near", "outside").
    PlacePreposition = 1 << 8,
    /// Capitalised, but no name on its own (months, weekdays, table headings).
    NotName = 1 << 9,
    /// A lower-case English word: capitalised only by its position, it is no name.
    CommonWord = 1 << 10,
    /// A lower-case noun before an organisation's name ("newsstand chain Ruch", "carmaker
    /// Volvo"): what kind of business or body the name is.
    OrganisationRole = 1 << 11,
}

impl Cue {
    const ALL: [(Cue, &'static str); 12] = [
        (Cue::GivenName, "given-name"),
        (Cue::Surname, "surname"),
        (Cue::Honorific, "honorific"),
        (Cue::PersonRole, "person-role"),
        (Cue::OrganisationSuffix, "organisation-suffix"),
        (Cue::OrganisationHead, "organisation-head"),
        (Cue::LocationSuffix, "location-suffix"),
        (Cue::LocationHead, "location-head"),
        (Cue::PlacePreposition, "place-preposition"),
        (Cue::NotName, "not-name"),
        (Cue::CommonWord, "common-word"),
        (Cue::OrganisationRole, "organisation-role"),
    ];

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(c, _)| *c)
    }

    /// The cue's name in `*.cues` files.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("", |(_, n)| n)
    }
}

/// The cues of a word or phrase, as a bit set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cues(u16);

impl Cues {
    /// Whether the set holds `cue`.
    pub fn has(self, cue: Cue) -> bool {
        self.0 & cue as u16 != 0
    }
}

/// Bytes of a phrase stored inside its table slot (nearly every word, and most phrases).
const INLINE: usize = 23;

/// A lower-cased phrase of at most [`INLINE`] bytes, held in the slot itself: a lookup reads
/// one slot instead of following a pointer to the key's bytes, which cost a cache miss per
/// capitalised word whenever the table is cold (a server between two calls) and a `memcmp`
/// call per probe when it is warm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ShortPhrase {
    /// The phrase, zero-padded; the last byte is its length.
    bytes: [u8; INLINE + 1],
}

impl ShortPhrase {
    /// `phrase` lower-cased (ASCII letters only: callers pass ASCII or an already lower-cased
    /// phrase), if it fits.
    fn lower_case(phrase: &str) -> Option<Self> {
        let len = phrase.len();
        if len > INLINE {
            return None;
        }
        let mut bytes = [0; INLINE + 1];
        bytes[..len].copy_from_slice(phrase.as_bytes());
        bytes[..len].make_ascii_lowercase();
        bytes[INLINE] = len as u8;
        Some(Self { bytes })
    }
}

impl std::hash::Hash for ShortPhrase {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Three words, not a length-prefixed slice of bytes.
        for word in self.bytes.chunks_exact(8) {
            let mut eight = [0; 8];
            eight.copy_from_slice(word);
            state.write_u64(u64::from_le_bytes(eight));
        }
    }
}

/// Every cue of a gazetteer, by lower-cased phrase.
#[derive(Debug, Default)]
pub struct NameCues {
    /// foldhash: one lookup per capitalised word of every article, on short keys.
    short: HashMap<ShortPhrase, Cues, foldhash::fast::RandomState>,
    /// Phrases longer than [`INLINE`] bytes.
    long: HashMap<Box<str>, Cues, foldhash::fast::RandomState>,
    /// Words in the longest multi-word phrase ("deputy prime minister": 3), so callers know
    /// how far back to look.
    longest: usize,
}

impl NameCues {
    /// The cues of a word or phrase (any case).
    pub fn of(&self, phrase: &str) -> Cues {
        let bytes = phrase.as_bytes();
        let ascii = bytes.is_ascii();
        // An ASCII phrase without an apostrophe (nearly every word) is looked up as it is,
        // lower-cased inside the key itself: nothing allocated.
        if ascii && !bytes.contains(&b'\'') {
            return match ShortPhrase::lower_case(phrase) {
                Some(key) => self.short.get(&key).copied().unwrap_or_default(),
                None => self.get(&phrase.to_ascii_lowercase()),
            };
        }
        // An ASCII phrase that gets here holds an apostrophe.
        if ascii || phrase.contains(['\'', '’']) {
            // "O'Reilly" is listed as "Oreilly" (the census writes no apostrophes).
            let bare: String = phrase
                .chars()
                .filter(|c| !matches!(c, '\'' | '’'))
                .collect();
            return self.of(&bare);
        }
        self.get(&phrase.to_lowercase())
    }

    /// The cues of an already lower-cased phrase.
    fn get(&self, lower: &str) -> Cues {
        match ShortPhrase::lower_case(lower) {
            Some(key) => self.short.get(&key),
            None => self.long.get(lower),
        }
        .copied()
        .unwrap_or_default()
    }

    /// Whether `phrase` has `cue`.
    pub fn is(&self, cue: Cue, phrase: &str) -> bool {
        self.of(phrase).has(cue)
    }

    /// Words in the longest phrase.
    pub fn longest_phrase(&self) -> usize {
        self.longest
    }

    /// Number of distinct phrases.
    pub fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    /// Whether there are none (no `*.cues` file): no unlinked names are found.
    pub fn is_empty(&self) -> bool {
        self.short.is_empty() && self.long.is_empty()
    }

    fn add(&mut self, cue: Cue, phrase: &str) {
        let bare: String = phrase
            .chars()
            .filter(|c| !matches!(c, '\'' | '’'))
            .collect();
        let key = bare.to_lowercase();
        self.longest = self.longest.max(key.split(' ').count());
        let cues = match ShortPhrase::lower_case(&key) {
            Some(short) => self.short.entry(short).or_default(),
            None => self.long.entry(key.into()).or_default(),
        };
        cues.0 |= cue as u16;
    }
}

/// Parses a cue file into `cues`, reporting bad lines as `path:line: reason`.
pub(crate) fn parse_cues(file: &SourceFile, cues: &mut NameCues, problems: &mut Problems) {
    let Some(text) = decode(file, problems) else {
        return;
    };
    for (number, line) in content_lines(text) {
        let Some((name, phrase)) = line.split_once('\t') else {
            problems.add(
                &file.display,
                number,
                format!("cue line {line:?}: expected `cue<TAB>word or phrase`"),
            );
            continue;
        };
        let Some(cue) = Cue::parse(name.trim()) else {
            let expected: Vec<&str> = Cue::ALL.iter().map(|(_, n)| *n).collect();
            problems.add(
                &file.display,
                number,
                format!(
                    "unknown cue {:?}: expected one of {}",
                    name.trim(),
                    expected.join(", ")
                ),
            );
            continue;
        };
        let phrase = phrase.trim();
        let words: Vec<&str> = phrase.split_whitespace().collect();
        if words.is_empty() || phrase.contains('\t') || words.len() > 4 {
            problems.add(
                &file.display,
                number,
                format!("{} {phrase:?}: expected one to four words", cue.name()),
            );
            continue;
        }
        cues.add(cue, &words.join(" "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (NameCues, Vec<String>) {
        let file = SourceFile {
            relative: "x.cues".into(),
            display: "x.cues".into(),
            bytes: text.as_bytes().to_vec(),
        };
        let mut cues = NameCues::default();
        let mut problems = Problems::default();
        parse_cues(&file, &mut cues, &mut problems);
        let errors = match problems.into_result() {
            Ok(()) => Vec::new(),
            Err(e) => e.problems.iter().map(|p| p.to_string()).collect(),
        };
        (cues, errors)
    }

    #[test]
    fn cues_are_case_insensitive_and_combine() {
        let (cues, errors) =
            parse("# c\ngiven-name\tMay\nnot-name\tMAY\nperson-role\tchief  executive\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(cues.is(Cue::GivenName, "may") && cues.is(Cue::NotName, "May"));
        assert!(!cues.is(Cue::Surname, "May"));
        assert!(cues.is(Cue::PersonRole, "Chief executive"));
        assert_eq!(cues.longest_phrase(), 2);
    }

    #[test]
    fn phrases_of_any_length_and_script_are_found_in_any_case() {
        // 23 bytes fit a slot, 24 do not; non-ASCII phrases are lower-cased by Unicode.
        let inline = "abcdefghij klmnopqrstuv";
        let long = "abcdefghij klmnopqrstuvw";
        assert_eq!((inline.len(), long.len()), (INLINE, INLINE + 1));
        let (cues, errors) = parse(&format!(
            "location-suffix\t{inline}\norganisation-suffix\t{long}\nsurname\tÉLYSÉE\n\
             surname\tO'Neill\nperson-role\tdeputy chief executive officer\n"
        ));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(cues.len(), 5);
        assert!(cues.is(Cue::LocationSuffix, &inline.to_uppercase()));
        assert!(!cues.is(Cue::OrganisationSuffix, inline));
        assert!(cues.is(Cue::OrganisationSuffix, &long.to_uppercase()));
        assert!(!cues.is(Cue::LocationSuffix, long));
        assert!(cues.is(Cue::Surname, "élysée") && cues.is(Cue::Surname, "Élysée"));
        assert!(cues.is(Cue::Surname, "ONeill") && cues.is(Cue::Surname, "O’Neill"));
        assert!(cues.is(Cue::PersonRole, "Deputy Chief Executive Officer"));
        assert!(!cues.is(Cue::PersonRole, "deputy chief executive"));
        assert_eq!(cues.of(""), Cues::default());
    }

    #[test]
    fn bad_lines_say_where_and_why() {
        let (_, errors) = parse("given-name\tTony\nfirst-name\tTony\nsurname\nhonorific\t \n");
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("x.cues:2: unknown cue \"first-name\""));
        assert!(errors[1].starts_with("x.cues:3: cue line"));
        assert!(errors[2].starts_with("x.cues:4: honorific"));
    }
}
