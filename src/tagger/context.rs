//! Country and organisation names inside longer proper names: "Bank of Canada", "American League", "U.S. Open",
//! "Chad Curtis", "Neil Jordan". The gazetteer does not know the longer name, but the words
//! around the match show it: a capitalised word right after it (other than an office such as
//! "President"), "<Capitalised> of" right before it, or a capitalised word right before it
//! that does not start a sentence. Only in running text: all-capitals and title-case lines
//! capitalise every word, so there the rule stays silent.

use crate::gazetteer::Gazetteer;
use crate::text::is_word_char;

/// Words that may follow or precede a country name without making it part of another name.
const OFFICE_WORDS: &[&str] = &[
    "President",
    "Presidents",
    "Presidential",
    "Prime",
    "Minister",
    "Ministers",
    "Premier",
    "Chancellor",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Emperor",
    "Sultan",
    "Emir",
    "Shah",
    "Vice",
    "Deputy",
    "Secretary",
    "Ambassador",
    "Ambassadors",
    "Embassy",
    "Consul",
    "Consulate",
    "Government",
    "Governments",
    "Cabinet",
    "Parliament",
    "Senate",
    "Congress",
    "Army",
    "Navy",
    "Air",
    "Forces",
    "Military",
    "Police",
    "Leader",
    "Leaders",
    "Opposition",
    "Foreign",
    "Defence",
    "Defense",
    "Interior",
    "Finance",
    "Central",
    "Republic",
    "Kingdom",
    "People",
    "Citizens",
    "Constitution",
    "Supreme",
    "State",
    "Federation",
    "Union",
    "Crown",
    "Parliamentary",
    "General",
    "Governor",
];

/// Words that start sentences; after "U.S." they do not continue a name.
const SENTENCE_STARTERS: &[&str] = &[
    "The", "A", "An", "In", "It", "He", "She", "They", "We", "I", "This", "That", "But", "And",
    "On", "At", "As", "If", "For", "Its", "His", "Her", "Their", "There", "When", "While", "After",
    "Before",
];

/// Where a match sits inside a longer proper name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NamePart {
    /// "American League": a capitalised word follows.
    Followed(String),
    /// "Bank of Canada": "<Capitalised> of (the)" precedes.
    Of(String),
    /// "Neil Jordan": a capitalised word that does not start a sentence precedes.
    Preceded(String),
}

/// Longest word [`next_word`] and [`previous_word`] look at, in bytes. Longer "words"
/// (hyphen chains, runs without spaces) are not names, and the bound keeps the look at each
/// match constant however long the run: "Canada-peace-Canada-…" was quadratic without it.
const MAX_WORD_BYTES: usize = 64;

/// The word after `end`, if exactly one space separates it.
fn next_word(text: &str, end: usize) -> Option<&str> {
    let rest = text[end..].strip_prefix(' ')?;
    let mut len = 0;
    for (i, c) in rest.char_indices() {
        if !(is_word_char(c) || c == '-') {
            break;
        }
        if i >= MAX_WORD_BYTES {
            return None;
        }
        len = i + c.len_utf8();
    }
    (len > 0).then(|| &rest[..len])
}

/// The word before `start`, if exactly one space separates it, with its start offset.
pub(crate) fn previous_word(text: &str, start: usize) -> Option<(&str, usize)> {
    let before = text[..start].strip_suffix(' ')?;
    let mut begin = before.len();
    for (i, c) in before.char_indices().rev() {
        if !(is_word_char(c) || c == '-') {
            break;
        }
        if before.len() - i > MAX_WORD_BYTES {
            return None;
        }
        begin = i;
    }
    (begin < before.len()).then(|| (&before[begin..], begin))
}

/// Words after which a nationality word names a language: "in Spanish", "translated from
/// French", "speaks English".
const LANGUAGE_WORDS_BEFORE: &[&str] = &[
    "in",
    "into",
    "from",
    "speak",
    "speaks",
    "spoke",
    "spoken",
    "speaking",
    "learn",
    "learned",
    "learnt",
    "learning",
    "fluent",
    "translated",
    "taught",
];

/// Words that may follow a language ("known in English as", "in Spanish and English"); any
/// other word makes the nationality an adjective ("in Spanish waters").
const LANGUAGE_WORDS_AFTER: &[&str] = &["as", "and", "or"];

/// Whether the nationality word at `text[start..end]` names a language, not a people or
/// its country: after "in", "from", "speaks" and the like, and before no noun it could
/// qualify ("barrios (which mean \"wards\" in Spanish)", but "in Spanish waters").
pub(crate) fn names_a_language(text: &str, start: usize, end: usize) -> bool {
    let Some((before, _)) = previous_word(text, start) else {
        return false;
    };
    if !LANGUAGE_WORDS_BEFORE.contains(&before) {
        return false;
    }
    let after = text[end..].trim_start_matches(' ');
    match after.chars().next() {
        None => true,
        // The end of a clause: "… in Spanish).", "in English, …".
        Some(c) if !c.is_alphanumeric() => {
            matches!(
                c,
                ')' | '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\u{201d}'
            )
        }
        Some(_) => {
            let word: &str = after
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            LANGUAGE_WORDS_AFTER.contains(&word)
        }
    }
}

/// An office word, also as the first part of a compound ("Secretary-General").
fn office(word: &str) -> bool {
    OFFICE_WORDS.contains(&word.split('-').next().unwrap_or(word))
}

fn capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.clone().count() >= 1
        && chars.any(char::is_lowercase)
}

/// Whether the text before `position` ends a sentence (or there is none). Only the last
/// [`CONTEXT_BYTES`] are looked at, so a long run of blanks costs nothing per match.
pub(crate) fn sentence_start(text: &str, position: usize) -> bool {
    let mut from = position.saturating_sub(CONTEXT_BYTES);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = &text[from..position];
    let trimmed = window.trim_end();
    if trimmed.is_empty() {
        // Only blanks as far as the window reaches: the start of the text, or a gap wide
        // enough to count as a new block either way.
        return true;
    }
    // "3. Carla Sacramento": a list number, not the end of a sentence.
    if let Some(number) = trimmed.strip_suffix('.')
        && number.ends_with(|c: char| c.is_ascii_digit())
        && number
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .ends_with(|c: char| c.is_whitespace())
    {
        return false;
    }
    // "SAN FRANCISCO (Reuters) - Shares of…", "(AP) -- The": the dash after a dateline's
    // agency starts the story's first sentence.
    let before_dash = trimmed.trim_end_matches(['-', '–', '—']);
    if before_dash.len() < trimmed.len() && before_dash.trim_end().ends_with(')') {
        return true;
    }
    // "LONDON 1996-08-31 Results of English soccer…": a dateline's date ends it, and the
    // story starts after it.
    let last = trimmed.rsplit(char::is_whitespace).next().unwrap_or("");
    if is_iso_date(last) {
        return true;
    }
    trimmed.chars().next_back().is_none_or(|c| {
        matches!(
            c,
            '.' | '!' | '?' | ':' | ';' | '"' | '“' | '\'' | '‘' | '(' | '[' | '\n'
        )
    }) || window.ends_with('\n')
}

/// Whether `word` is a date written `YYYY-MM-DD`.
fn is_iso_date(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, &b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// How far around a match [`running_text`] looks, in bytes: enough for a few words either side,
/// and constant work per match however long the line.
const CONTEXT_BYTES: usize = 160;

/// How many running-text tests of one field read their window directly before the field's
/// word index is built. A news article asks a few dozen times and stops reading a window at
/// its second lower-case word, so it never pays for the index (which was a twelfth of all
/// tagging); a field of a match every four bytes asks hundreds of thousands of times about
/// windows with no such word, and gets the index after this many.
const DIRECT_TESTS: u32 = 64;

/// The running-text test's view of one field's words: windows read directly for the first
/// [`DIRECT_TESTS`] tests, then an [`Index`] built once. Both answer exactly what splitting
/// the window into words answers.
#[derive(Debug, Default)]
pub(crate) struct Words {
    tests: std::cell::Cell<u32>,
    index: std::cell::OnceCell<Index>,
}

impl Words {
    /// Whether `text[from..to]` holds at least two lower-case words of four letters or more,
    /// counting a word cut by the window's edge by its part inside (as splitting the slice
    /// would). `text` is the whole field, the same on every call.
    fn has_two_lower_case_words(&self, text: &str, from: usize, to: usize) -> bool {
        let tests = self.tests.get();
        if tests < DIRECT_TESTS {
            self.tests.set(tests + 1);
            return two_lower_case_words(&text[from..to]);
        }
        self.index
            .get_or_init(|| Index::of(text))
            .has_two_lower_case_words(text, from, to)
    }
}

/// Whether `window` holds two lower-case words of four letters or more, read from its start
/// and stopping at the second. An ASCII window is split byte by byte (hard-wrapped news lines
/// of names and figures are read whole, and decoding them cost a thousand instructions a test).
fn two_lower_case_words(window: &str) -> bool {
    if window.is_ascii() {
        // ASCII words: four bytes are four letters ([`lower_case_word`]'s ASCII case).
        return window
            .as_bytes()
            .split(|b| !b.is_ascii_alphanumeric())
            .filter(|word| word.len() >= 4 && word[0].is_ascii_lowercase())
            .nth(1)
            .is_some();
    }
    window
        .split(|c: char| !is_word_char(c))
        .filter(|word| lower_case_word(word))
        .nth(1)
        .is_some()
}

/// The words of a field (maximal runs of word characters), indexed once so that the
/// running-text test costs two binary searches per match instead of splitting 320 bytes into
/// words for every match: with one match every four bytes (`U.S.U.S.…`) that split was half of
/// all tagging time.
#[derive(Debug, Default)]
struct Index {
    /// Byte spans of the words, in text order.
    spans: Vec<(u32, u32)>,
    /// `qualifying_before[i]`: how many of `spans[..i]` are lower-case words of four letters or
    /// more.
    qualifying_before: Vec<u32>,
}

/// A lower-case word of four letters or more: what running prose is made of.
fn lower_case_word(word: &str) -> bool {
    match word.as_bytes().first() {
        // An ASCII first letter: at least four characters means at least four bytes, and four
        // ASCII bytes are four characters.
        Some(&b) if b.is_ascii() => {
            b.is_ascii_lowercase()
                && (word.len() >= 4 && word.as_bytes()[..4].is_ascii()
                    || word.chars().nth(3).is_some())
        }
        _ => word.chars().next().is_some_and(char::is_lowercase) && word.chars().nth(3).is_some(),
    }
}

impl Index {
    /// Indexes the words of `text` (one pass).
    fn of(text: &str) -> Self {
        // About one word per six bytes of news text: one allocation each, not a dozen.
        let spans = Vec::with_capacity(text.len() / 6 + 1);
        let mut qualifying_before = Vec::with_capacity(text.len() / 6 + 2);
        qualifying_before.push(0);
        let mut words = Self {
            spans,
            qualifying_before,
        };
        let mut start = None;
        let push = |words: &mut Self, from: usize, to: usize| {
            let qualifying = u32::from(lower_case_word(&text[from..to]));
            let before = words.qualifying_before.last().copied().unwrap_or(0);
            words.spans.push((from as u32, to as u32));
            words.qualifying_before.push(before + qualifying);
        };
        if text.is_ascii() {
            // Byte by byte: no decoding, no Unicode tables.
            for (i, b) in text.bytes().enumerate() {
                match (b.is_ascii_alphanumeric(), start) {
                    (true, None) => start = Some(i),
                    (false, Some(from)) => {
                        push(&mut words, from, i);
                        start = None;
                    }
                    _ => {}
                }
            }
        } else {
            for (i, c) in text.char_indices() {
                match (is_word_char(c), start) {
                    (true, None) => start = Some(i),
                    (false, Some(from)) => {
                        push(&mut words, from, i);
                        start = None;
                    }
                    _ => {}
                }
            }
        }
        if let Some(from) = start {
            push(&mut words, from, text.len());
        }
        words
    }

    /// Whether `text[from..to]` holds at least two lower-case words of four letters or more,
    /// counting a word cut by the window's edge by its part inside (as splitting the slice
    /// would).
    fn has_two_lower_case_words(&self, text: &str, from: usize, to: usize) -> bool {
        let (from32, to32) = (from as u32, to as u32);
        // Words overlapping the window: spans[first..last].
        let first = self.spans.partition_point(|&(_, end)| end <= from32);
        let last = self.spans.partition_point(|&(start, _)| start < to32);
        if first >= last {
            return false;
        }
        let clipped = |i: usize| {
            let (start, end) = self.spans[i];
            lower_case_word(&text[(start.max(from32) as usize)..(end.min(to32) as usize)])
        };
        let inside = |i: usize| {
            let (start, end) = self.spans[i];
            start >= from32 && end <= to32
        };
        let mut count = 0;
        let mut interior = first..last;
        if !inside(first) {
            count += u32::from(clipped(first));
            interior.start += 1;
        }
        if last - 1 > first && !inside(last - 1) {
            count += u32::from(clipped(last - 1));
            interior.end -= 1;
        }
        if interior.start < interior.end {
            count += self.qualifying_before[interior.end] - self.qualifying_before[interior.start];
        }
        count >= 2
    }
}

/// Running text: around the match, on its line, at least two lower-case words of four letters
/// or more.
pub(crate) fn running_text(text: &str, words: &Words, start: usize, end: usize) -> bool {
    let mut from = start.saturating_sub(CONTEXT_BYTES);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (end + CONTEXT_BYTES).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let line_start = text[from..start].rfind('\n').map_or(from, |i| from + i + 1);
    let line_end = text[end..to].find('\n').map_or(to, |i| end + i);
    words.has_two_lower_case_words(text, line_start, line_end)
}

/// Honorifics that, like office words, introduce a person's surname ("Mr Clinton").
const HONORIFICS: &[&str] = &[
    "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Sen.", "Senator", "Gov.", "Rep.",
    "Gen.", "Pope", "Sheikh", "Speaker", "Judge", "Justice",
];

/// Whether an office word or honorific directly precedes `start` ("President Clinton",
/// "Mrs Thatcher"): the next word names a person.
///
/// A capitalised word right after the match ("President Boris Yeltsin") makes the match a
/// given name, not a surname: false then.
pub(crate) fn after_title(text: &str, start: usize, end: usize) -> bool {
    let titled = previous_word(text, start)
        .is_some_and(|(word, _)| HONORIFICS.contains(&word) || (office(word) && capitalised(word)))
        || text[..start].strip_suffix(' ').is_some_and(|before| {
            HONORIFICS
                .iter()
                .any(|h| h.ends_with('.') && before.ends_with(h))
        });
    titled && !next_word(text, end).is_some_and(capitalised)
}

/// Whether the word at `start` follows a capitalised word that is no title ("Allison D.
/// Smith", "Colin Smith", not "Mr Smith"): the end of someone's full name.
pub(crate) fn after_a_name(text: &str, start: usize) -> bool {
    previous_word(text, start)
        .is_some_and(|(word, _)| capitalised(word) && !HONORIFICS.contains(&word) && !office(word))
}

/// Whether the title before `start` is a head of state's or government's ("President
/// Clinton", "Prime Minister Major", "Chancellor Kohl"; not "Vice President Gore").
pub(crate) fn after_head_title(text: &str, start: usize) -> bool {
    let Some((word, word_start)) = previous_word(text, start) else {
        return false;
    };
    let before = previous_word(text, word_start).map(|(w, _)| w);
    match word {
        "President" | "Premier" | "Chancellor" => before != Some("Vice"),
        "Minister" => before == Some("Prime"),
        _ => false,
    }
}

/// Whether the match's capital letters could come from its position alone: a sentence start,
/// or a line that is not running text (headlines in capitals, tables, datelines).
pub(crate) fn capitalised_by_position(text: &str, words: &Words, start: usize, end: usize) -> bool {
    // Written in capitals ("INTERNATIONAL"): a headline even inside one long line.
    !text[start..end].chars().any(char::is_lowercase)
        || sentence_start(text, start)
        || !running_text(text, words, start, end)
}

/// Words that end the name of a sports event or a competition named after a place
/// ("Berlin Grand Prix", "GREATER MILWAUKEE OPEN", "U.S. Open", "Kentucky Derby").
const EVENT_WORDS: &[&str] = &[
    "open",
    "marathon",
    "classic",
    "masters",
    "championship",
    "championships",
    "cup",
    "games",
    "trophy",
    "rally",
    "invitational",
    "tournament",
    "olympics",
    "regatta",
    "derby",
];

/// The event word right after the match, capitalised ("Open", "OPEN", "Grand Prix"), when
/// the match names the place an event is named after. Headlines in capitals need this:
/// there every word is capitalised, so [`name_part`] cannot tell a longer name by its
/// capitals.
pub(crate) fn event_after(text: &str, end: usize) -> Option<&str> {
    let word = next_word(text, end)?;
    if !word.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let lower = word.to_lowercase();
    if EVENT_WORDS.contains(&lower.as_str()) {
        return Some(word);
    }
    let after = end + 1 + word.len();
    (lower == "grand" && next_word(text, after).is_some_and(|w| w.eq_ignore_ascii_case("prix")))
        .then(|| &text[end + 1..after + 1 + "prix".len()])
}

/// Whether the match `text[start..end]` is part of a longer proper name; `words` is
/// the running-text view of the same text.
///
/// `anywhere`: also outside running text (tables, lists), for organisation names: "Daniel
/// Komen ( Kenya )" in a results table is a person, not the Komen foundation; and an
/// organisation followed by "of <Capitalised>" is part of a longer name ("National Bank of
/// Poland").
pub(crate) fn name_part(
    text: &str,
    words: &Words,
    (start, end): (usize, usize),
    anywhere: bool,
) -> Option<NamePart> {
    if !anywhere && !running_text(text, words, start, end) {
        return None;
    }
    if anywhere
        && let Some("of") = next_word(text, end)
        && let Some(word) = next_word(text, end + " of".len())
        && capitalised(word)
    {
        return Some(NamePart::Followed(format!("of {word}")));
    }
    if let Some(word) = next_word(text, end)
        && capitalised(word)
        && !office(word)
        && !(text[..end].ends_with('.') && SENTENCE_STARTERS.contains(&word))
    {
        return Some(NamePart::Followed(word.to_owned()));
    }
    let mut cursor = start;
    if let Some(("the", begin)) = previous_word(text, cursor) {
        cursor = begin;
    }
    if let Some(("of", begin)) = previous_word(text, cursor)
        && let Some((head, head_start)) = previous_word(text, begin)
        && capitalised(head)
        && !office(head)
        && !sentence_start(text, head_start)
    {
        return Some(NamePart::Of(head.to_owned()));
    }
    if let Some((word, begin)) = previous_word(text, start)
        && capitalised(word)
        && !office(word)
        && !SENTENCE_STARTERS.contains(&word)
        && !sentence_start(text, begin)
    {
        return Some(NamePart::Preceded(word.to_owned()));
    }
    None
}

/// Whether a place preposition ("in", "near", "outside") comes right before `start`.
pub(crate) fn after_place_preposition(gazetteer: &Gazetteer, text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(' ');
    let word = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or_default();
    !word.is_empty()
        && gazetteer
            .cues
            .is(crate::gazetteer::cues::Cue::PlacePreposition, word)
}

/// Whether a headline is written in Title Case ("Apple Recalls Flaming PowerBook Battery"):
/// every word of four letters or more starts with a capital, and some word is not all
/// capitals. A headline in capitals or in sentence case is not.
pub(crate) fn title_case(title: &str) -> bool {
    let mut long_words = 0;
    let mut mixed = false;
    for token in title.split_whitespace() {
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        // "15-inch" and "G4" are no words here.
        let Some(first) = word.chars().next().filter(|c| c.is_alphabetic()) else {
            continue;
        };
        if word.chars().filter(|c| c.is_alphabetic()).count() < 4 {
            continue;
        }
        if !first.is_uppercase() {
            return false;
        }
        long_words += 1;
        mixed |= word.chars().any(char::is_lowercase);
    }
    long_words >= 2 && mixed
}

/// A capitalised word right before or after the match (not an office word): what makes a
/// Title-case acronym such as "Eric" or "Wami" a person's name even in tables and headings.
pub(crate) fn beside_capitalised(text: &str, start: usize, end: usize) -> bool {
    let after = next_word(text, end).is_some_and(|w| capitalised(w) && !office(w));
    let before = previous_word(text, start)
        .is_some_and(|(w, _)| capitalised(w) && !office(w) && !SENTENCE_STARTERS.contains(&w));
    after || before
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headline_in_title_case_is_told_from_capitals_and_sentence_case() {
        assert!(title_case(
            "Apple Recalls Flaming 15-inch PowerBook G4 Battery"
        ));
        assert!(title_case(
            "Explorers Find Ancient City in Remote Peru Jungle (Reuters)"
        ));
        assert!(!title_case("Women stumble to silver"));
        assert!(!title_case("BRISTOL-MYERS CO SETS QUARTERLY"));
        assert!(!title_case("Microsoft"));
        assert!(!title_case(""));
    }

    #[test]
    fn a_nationality_after_in_or_speaks_names_a_language() {
        let language = |text: &str, word: &str| {
            let start = text.find(word).unwrap();
            names_a_language(text, start, start + word.len())
        };
        assert!(language(
            "barrios (which mean \"wards\" in Spanish).",
            "Spanish"
        ));
        assert!(language("He speaks English and French.", "English"));
        assert!(language("known in English as the Cape", "English"));
        assert!(language(
            "translated from Russian, the note said",
            "Russian"
        ));
        // An adjective: the noun follows.
        assert!(!language("Fishing in British waters", "British"));
        assert!(!language("Imports from Spanish ports rose.", "Spanish"));
        assert!(!language("rigs in European / Mediterranean", "European"));
        // No language word before it.
        assert!(!language("The Spanish said no.", "Spanish"));
    }

    #[test]
    fn fast_paths_agree_with_the_unicode_definitions() {
        let reference = |w: &str| {
            w.chars().next().is_some_and(char::is_lowercase) && w.chars().nth(3).is_some()
        };
        for w in [
            "said", "the", "Said", "añon", "aé", "aéi", "naïve", "über", "xyz1", "", "Éclat",
        ] {
            assert_eq!(lower_case_word(w), reference(w), "{w:?}");
        }
        // The ASCII and the Unicode word index agree on ASCII text.
        let text = "Treasury Secretary said, on Monday: 'rates rise' -- x1 y.";
        let ascii = Index::of(text);
        let mut unicode_text = text.to_owned();
        unicode_text.push('é');
        let unicode = Index::of(&unicode_text);
        assert_eq!(unicode.spans.len(), ascii.spans.len() + 1);
        assert_eq!(ascii.spans[..], unicode.spans[..ascii.spans.len()]);
        assert_eq!(
            ascii.qualifying_before[..ascii.spans.len()],
            unicode.qualifying_before[..ascii.spans.len()]
        );
    }

    #[test]
    fn a_dateline_dash_or_date_starts_the_first_sentence() {
        for (text, word, expected) in [
            ("SAN FRANCISCO (Reuters) - Shares rose.", "Shares", true),
            ("LONDON (AP) -- The pound fell.", "The", true),
            ("PARIS (AFP) — Talks began.", "Talks", true),
            ("The firm - Acme - said so.", "Acme", false),
            ("Scores (2-1) Smith won.", "Smith", false),
            (
                "LONDON 1996-08-31 Results of English soccer",
                "Results",
                true,
            ),
            ("On 31-08 Moody said", "Moody", false),
        ] {
            let start = text.find(word).unwrap();
            assert_eq!(sentence_start(text, start), expected, "{text}");
        }
    }

    fn check(text: &str, target: &str) -> Option<NamePart> {
        let start = text.find(target).unwrap();
        name_part(
            text,
            &Words::default(),
            (start, start + target.len()),
            false,
        )
    }

    /// The index answers exactly what splitting the window into words answers.
    #[test]
    fn the_word_index_agrees_with_splitting_the_window() {
        let texts = [
            "He said the Bank of Canada raised rates again today.",
            "U.S.U.S.U.S. talks resumed, officials said on Monday",
            "xxxxxxxxxxxxxxxxxxxxxxxx Canada yyyyyyyyyyyyyyyyyyyy",
            "élan vital über alles Straße ÉCOLE the rest",
            "",
            "ab cd",
        ];
        for text in texts {
            let index = Index::of(text);
            // Reads windows directly for its first tests, then builds its own index.
            let words = Words::default();
            let mut tests = 0;
            let boundaries: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            for &from in &boundaries {
                for &to in boundaries.iter().filter(|&&to| to >= from) {
                    let split = text[from..to]
                        .split(|c: char| !is_word_char(c))
                        .filter(|w| lower_case_word(w))
                        .count()
                        >= 2;
                    let window = format!("{text:?}[{from}..{to}]");
                    assert_eq!(two_lower_case_words(&text[from..to]), split, "{window}");
                    assert_eq!(
                        index.has_two_lower_case_words(text, from, to),
                        split,
                        "{window}"
                    );
                    assert_eq!(
                        words.has_two_lower_case_words(text, from, to),
                        split,
                        "{window}"
                    );
                    tests += 1;
                }
            }
            assert_eq!(
                words.index.get().is_some(),
                tests > DIRECT_TESTS,
                "{text:?}: {tests} tests"
            );
        }
    }

    #[test]
    fn longer_names_around_a_country() {
        let cases: &[(&str, &str, bool)] = &[
            (
                "He said the Bank of Canada raised rates again today.",
                "Canada",
                true,
            ),
            (
                "Seles won the U.S. Open in straight sets yesterday.",
                "U.S.",
                true,
            ),
            (
                "They watched the American League game in the evening.",
                "American",
                true,
            ),
            (
                "The pitch came off Chad Curtis in the twelfth inning.",
                "Chad",
                true,
            ),
            (
                "The director Neil Jordan says he never lost sleep over it.",
                "Jordan",
                true,
            ),
            (
                "Russian President Vladimir Putin said on Thursday that talks would resume.",
                "Russian",
                false,
            ),
            (
                "British Foreign Minister Liz Truss condemned the rhetoric.",
                "British",
                false,
            ),
            (
                "Troops massed on the border with Ukraine. The talks failed completely.",
                "Ukraine",
                false,
            ),
            (
                "He flew to the U.S. The trip was long and tiring.",
                "U.S.",
                false,
            ),
            (
                "Leaders of Russia and Ukraine will meet in Minsk next week.",
                "Russia",
                false,
            ),
            (
                "PUTIN DEMANDS GUARANTEES FROM NATO AND UKRAINE",
                "UKRAINE",
                false,
            ),
            (
                "Putin Demands Western Security Guarantees on Ukraine Invasion",
                "Ukraine",
                false,
            ),
            (
                "The President of Russia spoke about the economy today.",
                "Russia",
                false,
            ),
            (
                "Canada said on Friday that exports rose sharply.",
                "Canada",
                false,
            ),
            (
                "NATO Secretary-General Jens Stoltenberg said the alliance would respond.",
                "NATO",
                false,
            ),
        ];
        for (text, target, embedded) in cases {
            assert_eq!(
                check(text, target).is_some(),
                *embedded,
                "{target} in {text:?}: {:?}",
                check(text, target)
            );
        }
    }
}
