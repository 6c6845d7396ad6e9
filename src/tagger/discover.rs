//! Discovery: the proper names no gazetteer row holds, typed from the article's evidence.
//!
//! After gazetteer matching, what is left of each field is split into *runs*: capitalised words
//! in running text joined by single spaces and the usual name connectors ("van", "de", "bin",
//! "of", "&"…), never across punctuation, a line break or a gazetteer match. Each run is then
//! trimmed and typed:
//!
//! - a sentence-initial word that is a common English word or no name by itself ("However",
//!   "Analysts", "May") is dropped from the run's start, unless it is a given name followed by
//!   another name word ("Bill O'Reilly");
//! - a run is split at an honorific or role inside it ("Treasury Secretary Robert Rubin"): the
//!   name after it is a person's;
//! - the cues of `*.cues` score each type: person (honorific or role before it, a given name
//!   first, a surname last, an initial inside), organisation (suffix "Corp", "University";
//!   head "Bank of"), location (suffix "River", "Stadium"; head "Lake"; "in"/"near" before it;
//!   ", <country>" after it; "X-based"), and the types of linked names it is listed with
//!   ("X and <person>"). In a sports story, a name around a place ("Real Madrid") is a team.
//! - The best type wins when its score reaches [`TYPED`] and leads the next by
//!   [`TYPE_MARGIN`]; otherwise a run that is a name by its shape alone (mid-sentence, not a
//!   common word) is `misc`, and anything else is no name: a name with no evidence is not
//!   returned.
//!
//! Runs in lines written in capitals (headlines, shouted datelines), and single words with no
//! type evidence, are kept only as *pending*: coreference keeps them when they name an entity
//! the article names elsewhere (or, for one word capitalised mid-sentence, when the article uses
//! it so twice), and drops them otherwise. The full rule list is in docs/GAZETTEERS.md,
//! "Unlinked names".

use std::borrow::Cow;

use smallvec::SmallVec;

use super::context::{Words, running_text, sentence_start};
use super::interrupt::{CHECK_EVERY_ITEMS, Interrupt, InterruptReason};
use crate::gazetteer::cues::{Cue, Cues, NameCues};
use crate::proto::Field;

/// The type of a discovered name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum NameType {
    Person,
    Organisation,
    Location,
    Misc,
}

impl NameType {
    /// The entity type as the response spells it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Organisation => "organisation",
            Self::Location => "location",
            Self::Misc => "misc",
        }
    }
}

/// The evidence of a name by its capitals alone.
pub(crate) const SHAPE: &str = "capitalised mid-sentence";

/// The evidence of a gazetteer place read as a sports side.
pub(crate) const TEAM_READING: &str = "a place named as a side in a sports story";

/// Score a type needs to be given.
pub(crate) const TYPED: f64 = 1.5;
/// Lead the best type needs over the next.
pub(crate) const TYPE_MARGIN: f64 = 1.0;

/// What the text around a field's runs is: the gazetteer's matches in it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Occupied {
    pub start: usize,
    pub end: usize,
    pub what: Occupant,
}

/// What occupies a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Occupant {
    /// A tagged gazetteer mention of this type.
    Linked(NameType),
    /// A stop phrase: nothing is found inside it.
    Stop,
    /// A gazetteer place the resolver read as part of a longer name ("Madrid" in "Real
    /// Madrid"): free for discovery, and evidence of a team in sports stories.
    PlacePart,
    /// A gazetteer place the resolver read as a sports team ("Aberdeen 4 Hearts 0"): the
    /// team is an organisation the gazetteer does not hold.
    Team,
    /// An untagged demonym ("American" in "American Todd Martin"): a modifier before a
    /// name, not part of it.
    Demonym,
}

/// Switches for measuring what each discovery rule adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscoveryRules {
    /// Find unlinked names at all.
    pub enabled: bool,
    /// Given names and surnames type people.
    pub names: bool,
    /// Honorifics and roles type people.
    pub titles: bool,
    /// Organisation and place heads and suffixes.
    pub heads: bool,
    /// Prepositions, ", Country" and "-based" type places.
    pub places: bool,
    /// The types of linked names a run is listed with.
    pub neighbours: bool,
    /// Coreference: surnames, acronyms, possessives and one type per name.
    pub coreference: bool,
}

impl Default for DiscoveryRules {
    fn default() -> Self {
        Self {
            enabled: true,
            names: true,
            titles: true,
            heads: true,
            places: true,
            neighbours: true,
            coreference: true,
        }
    }
}

/// A proper name the gazetteer does not hold.
#[derive(Debug, Clone)]
pub(crate) struct Discovered {
    pub field: Field,
    /// Original byte offsets of the name (honorifics and a possessive `'s` left out).
    pub start: usize,
    pub end: usize,
    pub name_type: NameType,
    /// Which evidence typed it, for explain mode and the discovery report.
    pub evidence: Vec<&'static str>,
    pub confidence: f64,
    /// Words of the name: (start, end) byte spans.
    pub words: Vec<(usize, usize)>,
    /// Kept only if coreference ties it to an entity named elsewhere (headline capitals, a
    /// single word with no type evidence).
    pub pending: bool,
    /// Capitalised mid-sentence in running text and not a common word: a name by its shape.
    pub shaped: bool,
}

/// Lower-case words that may join the capitalised words of one name.
fn is_connector(word: &str) -> bool {
    // A `match` on the words: the compiler dispatches on length and compares a few bytes, where
    // a slice of 31 strings was searched one by one for every small word after a capitalised
    // one.
    matches!(
        word,
        "van"
            | "von"
            | "de"
            | "der"
            | "den"
            | "del"
            | "della"
            | "di"
            | "da"
            | "du"
            | "des"
            | "dos"
            | "das"
            | "la"
            | "le"
            | "bin"
            | "bint"
            | "ibn"
            | "al"
            | "el"
            | "ul"
            | "y"
            | "of"
            | "and"
            | "&"
            | "on"
            | "upon"
            | "zu"
            | "ter"
            | "ten"
            | "st"
    )
}

/// Connectors that join names of organisations and places only, never people: "Bank of
/// England", "Procter & Gamble", "Stratford-upon-Avon".
const ORGANISATION_CONNECTORS: &[&str] = &["of", "and", "&", "on", "upon"];

/// Prepositions that name a place less surely than "in", "at" or "near" ("wrote to Kim",
/// "a letter from Dixons"): alone they do not type a name.
const WEAK_PLACE_PREPOSITIONS: &[&str] = &["to", "from", "into", "via", "toward", "towards"];

/// A word of a field.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
}

/// Splits a field into words: letters and digits, with inner apostrophes, hyphens and the dots
/// of initials ("O'Reilly", "al-Assad", "J.", "U.S."); "&" is a word of its own.
#[cfg(test)]
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    tokens_into(text, &mut out);
    out
}

/// [`tokens`] into `out` (cleared first), a buffer reused from field to field.
fn tokens_into(text: &str, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    out.clear();
    out.reserve(text.len() / 6);
    if text.is_ascii() {
        tokens_ascii(bytes, out);
        return;
    }
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '&' {
            out.push(Token {
                start: i,
                end: i + 1,
            });
            continue;
        }
        if !c.is_alphanumeric() {
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            // Letters and marks, or a joiner with a letter after it ("O'Reilly", "al-Assad").
            // ASCII first: the Unicode tables are only consulted for other characters.
            let inner = if d.is_ascii() {
                d.is_ascii_alphanumeric()
            } else {
                d.is_alphanumeric() || unicode_normalization::char::is_combining_mark(d)
            } || (matches!(d, '\'' | '’' | '-' | '.' | '&')
                && text[j + d.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric));
            if !inner {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        // "J." and "U.S.": the final dot of initials belongs to the word.
        if bytes.get(end) == Some(&b'.') {
            let word = &text[start..end];
            let initials = word
                .split('.')
                .all(|part| part.chars().count() == 1 && part.chars().all(char::is_uppercase));
            if initials {
                end += 1;
                chars.next();
            }
        }
        out.push(Token { start, end });
    }
}

/// [`tokens_into`] for an ASCII field, byte by byte (the same rules; no decoding).
fn tokens_ascii(bytes: &[u8], out: &mut Vec<Token>) {
    let alnum = |b: u8| crate::text::ASCII_WORD[usize::from(b)];
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        if !alnum(b) {
            if b == b'&' {
                out.push(Token {
                    start: i,
                    end: i + 1,
                });
            }
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        loop {
            while end < n && alnum(bytes[end]) {
                end += 1;
            }
            // A joiner with a letter or digit after it continues the word ("O'Reilly").
            let joined = end + 1 < n
                && matches!(bytes[end], b'\'' | b'-' | b'.' | b'&')
                && alnum(bytes[end + 1]);
            if !joined {
                break;
            }
            end += 2;
        }
        if bytes.get(end) == Some(&b'.') {
            let initials = bytes[start..end]
                .split(|&b| b == b'.')
                .all(|part| part.len() == 1 && part[0].is_ascii_uppercase());
            if initials {
                end += 1;
            }
        }
        out.push(Token { start, end });
        i = end;
    }
}

fn is_capitalised(word: &str) -> bool {
    // "al-Assad", "bin-Laden", "d'Alema", "McIlroy" written "mcIlroy" is not a name.
    // Every prefix holds its joiner, so no scan of the word for one is needed.
    // The particles ("al-", "el-", "d'", "d’", "o'", "l'") matched byte by byte: "and", "of"
    // and "a" are among the commonest words, and a comparison call per particle cost 2 % of
    // tagging.
    // Most words start with an ASCII letter that settles it; only a word starting with a
    // particle's letter reads on.
    let bytes = word.as_bytes();
    match bytes.first() {
        Some(b'a' | b'd' | b'e' | b'l' | b'o') => {}
        Some(first) if first.is_ascii() => return first.is_ascii_uppercase(),
        // Every particle starts with an ASCII letter: a word starting otherwise needs a capital.
        _ => return word.chars().next().is_some_and(char::is_uppercase),
    }
    let after_particle = match bytes {
        [b'a' | b'e', b'l', b'-', ..] => 3,
        [b'd' | b'o' | b'l', b'\'', ..] => 2,
        [b'd', 0xE2, 0x80, 0x99, ..] => 4,
        _ => return false,
    };
    word[after_particle..].starts_with(char::is_uppercase)
}

fn is_all_caps(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !word.chars().any(char::is_lowercase)
}

/// The lines of a field, each with whether it is written in capitals (a headline, a shouted
/// dateline): there every word is capitalised, so capitals say nothing about names. Title-case
/// lines (lists of names, tables) are not: their capitals still mark names. Classified in one
/// pass, so a field of one long line costs no more than one of many short ones.
#[cfg(test)]
fn headline_lines(text: &str) -> Vec<(usize, bool)> {
    let mut lines = Vec::new();
    headline_lines_into(text, &mut lines);
    lines
}

/// [`headline_lines`] into `lines` (cleared first), a buffer reused from field to field.
fn headline_lines_into(text: &str, lines: &mut Vec<(usize, bool)>) {
    lines.clear();
    // ASCII byte by byte: most fields are ASCII, and decoding and the Unicode case tables
    // cost several times more.
    if text.is_ascii() {
        classify_ascii_lines(text.as_bytes(), lines);
    } else {
        classify_lines(text, lines);
    }
}

/// One pass over the characters of `text`, each line classified by [`is_headline`].
fn classify_lines(text: &str, lines: &mut Vec<(usize, bool)>) {
    let mut line_start = 0;
    let (mut upper, mut lower) = (0usize, 0usize);
    for (i, c) in text.char_indices() {
        if c == '\n' {
            lines.push((line_start, is_headline(upper, lower)));
            line_start = i + 1;
            (upper, lower) = (0, 0);
        } else if c.is_uppercase() {
            upper += 1;
        } else if c.is_lowercase() {
            lower += 1;
        }
    }
    lines.push((line_start, is_headline(upper, lower)));
}

/// A line of `upper` capitals and `lower` small letters is a headline: eight capitals or more,
/// and at least four in five of its cased letters.
fn is_headline(upper: usize, lower: usize) -> bool {
    upper >= 8 && upper * 10 >= (upper + lower) * 8
}

/// [`classify_lines`] for ASCII text: line feeds found by `memchr`, then each line's capitals
/// and small letters counted by byte range tests into byte-wide counters, a loop without a
/// branch that the compiler vectorises. One byte loop that branched on line feeds and counted
/// into words took 9.5 M instructions on 2,000 Reuters articles (2 % of tagging); this takes
/// 1.3 M.
fn classify_ascii_lines(bytes: &[u8], lines: &mut Vec<(usize, bool)>) {
    let mut line_start = 0;
    for end in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())) {
        let (mut upper, mut lower) = (0usize, 0usize);
        // At most 255 bytes per stretch, so the byte-wide counters cannot overflow.
        for stretch in bytes[line_start..end].chunks(255) {
            let (mut up, mut low) = (0u8, 0u8);
            for &b in stretch {
                up += u8::from(b.wrapping_sub(b'A') < 26);
                low += u8::from(b.wrapping_sub(b'a') < 26);
            }
            upper += usize::from(up);
            lower += usize::from(low);
        }
        lines.push((line_start, is_headline(upper, lower)));
        line_start = end + 1;
    }
}

/// Whether the line holding `position` is a headline (see [`headline_lines`]).
fn in_headline(lines: &[(usize, bool)], position: usize) -> bool {
    let i = lines.partition_point(|&(start, _)| start <= position);
    i > 0 && lines[i - 1].1
}

/// The name cues of one field's words, each looked up once: the run rules ask about the same
/// word many times (given name? common word? suffix?). Words are slices of the field, so a
/// word is known by its start and length; any other phrase goes to the lexicon directly.
struct FieldCues<'a> {
    cues: &'a NameCues,
    text: &'a str,
    /// By start byte: the generation, the length looked up there and its cues. An entry of an
    /// older generation is empty, so a reused table needs no clearing.
    memo: std::cell::RefCell<&'a mut Vec<(u32, u32, Cues)>>,
    generation: u32,
}

impl<'a> FieldCues<'a> {
    fn new(
        cues: &'a NameCues,
        text: &'a str,
        (memo, generation): (&'a mut Vec<(u32, u32, Cues)>, &mut u32),
    ) -> Self {
        *generation = generation.wrapping_add(1);
        if *generation == 0 {
            // Wrapped: stale entries could look current.
            memo.clear();
            *generation = 1;
        }
        if memo.len() < text.len() {
            memo.resize(text.len(), (0, 0, Cues::default()));
        }
        Self {
            cues,
            text,
            memo: std::cell::RefCell::new(memo),
            generation: *generation,
        }
    }

    fn of(&self, phrase: &str) -> Cues {
        let base = self.text.as_ptr() as usize;
        let at = (phrase.as_ptr() as usize).wrapping_sub(base);
        // Only a non-empty slice of this field is memoised (its address says where it is).
        if phrase.is_empty() || at >= self.text.len() || phrase.len() > u32::MAX as usize {
            return self.cues.of(phrase);
        }
        let mut memo = self.memo.borrow_mut();
        let (generation, len, cues) = memo[at];
        if generation == self.generation && len as usize == phrase.len() {
            return cues;
        }
        let cues = self.cues.of(phrase);
        memo[at] = (self.generation, phrase.len() as u32, cues);
        cues
    }

    fn is(&self, cue: Cue, phrase: &str) -> bool {
        self.of(phrase).has(cue)
    }

    fn longest_phrase(&self) -> usize {
        self.cues.longest_phrase()
    }
}

/// Buffers discovery reuses from field to field on one thread: the tokens, their closed
/// flags, the line classes and the cue memo of a field are sized by the field, and allocating
/// (and zeroing) them for every article cost more than filling them.
#[derive(Default)]
struct Scratch {
    tokens: Vec<Token>,
    closed: Vec<bool>,
    lines: Vec<(usize, bool)>,
    memo: Vec<(u32, u32, Cues)>,
    generation: u32,
}

impl Scratch {
    /// Entries above which a buffer is given back after use: one huge field must not pin its
    /// memory on the thread for good.
    const KEEP: usize = 1 << 20;

    fn trim(&mut self) {
        if self.tokens.capacity() > Self::KEEP {
            self.tokens = Vec::new();
        }
        if self.closed.capacity() > Self::KEEP {
            self.closed = Vec::new();
        }
        if self.lines.capacity() > Self::KEEP {
            self.lines = Vec::new();
        }
        if self.memo.capacity() > Self::KEEP {
            self.memo = Vec::new();
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// Takes this thread's scratch and gives it back when dropped (also on an early return).
struct ScratchGuard(Scratch);

impl ScratchGuard {
    fn take() -> Self {
        Self(SCRATCH.with(std::cell::Cell::take))
    }
}

impl Drop for ScratchGuard {
    fn drop(&mut self) {
        let mut scratch = std::mem::take(&mut self.0);
        scratch.trim();
        // During thread teardown the slot may be gone: the buffers are then simply freed.
        let _ = SCRATCH.try_with(|slot| slot.set(scratch));
    }
}

/// Finds and types the unlinked names of one field.
pub(crate) fn discover_field(
    cues: &NameCues,
    text: &str,
    (field, words): (Field, &Words),
    occupied: &[Occupied],
    (sport_story, rules): (bool, DiscoveryRules),
    interrupt: &Interrupt,
) -> Result<Vec<Discovered>, InterruptReason> {
    let mut found = Vec::new();
    if !rules.enabled || cues.is_empty() || text.is_empty() {
        return Ok(found);
    }
    // A field the gazetteer's matches cover ("NATO NATO …") has nothing to discover: one pass
    // over the gaps finds out before anything is built.
    if !free_capital(text, occupied) {
        return Ok(found);
    }
    let mut guard = ScratchGuard::take();
    let Scratch {
        tokens,
        closed,
        lines,
        memo,
        generation,
    } = &mut guard.0;
    tokens_into(text, tokens);
    let tokens = &tokens[..];
    let cues = &FieldCues::new(cues, text, (memo, generation));
    headline_lines_into(text, lines);
    let lines = &lines[..];
    // Whether each token lies in a tagged match or stop phrase: one merge of two sorted lists.
    closed.clear();
    closed.resize(tokens.len(), false);
    let closed = &mut closed[..];
    let mut cursor = 0;
    for (token, closed) in tokens.iter().zip(closed.iter_mut()) {
        while cursor < occupied.len() && occupied[cursor].end <= token.start {
            cursor += 1;
        }
        *closed = occupied[cursor..]
            .iter()
            .take_while(|o| o.start < token.end)
            .any(|o| matches!(o.what, Occupant::Linked(_) | Occupant::Stop));
    }
    let mut i = 0;
    let mut runs_seen = 0usize;
    while i < tokens.len() {
        let token = tokens[i];
        let word = &text[token.start..token.end];
        if closed[i] || !is_capitalised(word) {
            i += 1;
            continue;
        }
        // Extend the run over capitalised words and connectors, single spaces between.
        let mut j = i + 1;
        let mut last_name_word = i;
        while j < tokens.len() {
            let gap = &text[tokens[j - 1].end..tokens[j].start];
            // "Lt. Italo Pineda", "Gen. Sam Malu": an abbreviated title's dot joins.
            let abbreviated_title = gap == ". "
                && cues.is(
                    Cue::Honorific,
                    &text[tokens[j - 1].start..tokens[j - 1].end],
                );
            if gap != " " && !abbreviated_title {
                break;
            }
            let next = &text[tokens[j].start..tokens[j].end];
            if closed[j] {
                break;
            }
            if is_capitalised(next) {
                last_name_word = j;
            } else if !is_connector(next) {
                break;
            }
            j += 1;
        }
        runs_seen += 1;
        if runs_seen.is_multiple_of(CHECK_EVERY_ITEMS) {
            interrupt.check()?;
        }
        let run = &tokens[i..=last_name_word];
        let headline = in_headline(lines, token.start);
        for piece in split_run(cues, text, run, (occupied, rules)) {
            if let Some(name) = type_run(
                cues,
                text,
                field,
                (&piece, headline, sport_story),
                (words, occupied),
                rules,
            ) {
                found.push(name);
            }
        }
        i = last_name_word + 1;
    }
    Ok(found)
}

/// Whether an upper-case letter lies outside every tagged match and stop phrase.
fn free_capital(text: &str, occupied: &[Occupied]) -> bool {
    let mut from = 0;
    let closed = occupied
        .iter()
        .filter(|o| matches!(o.what, Occupant::Linked(_) | Occupant::Stop));
    for o in closed {
        if text[from..o.start.max(from)]
            .chars()
            .any(char::is_uppercase)
        {
            return true;
        }
        from = from.max(o.end);
    }
    text[from..].chars().any(char::is_uppercase)
}

/// A stretch of a run that may be one name, with the title words before it.
#[derive(Debug, Clone, Copy)]
struct Piece<'r> {
    /// A stretch of the run's tokens: splitting and trimming only ever cut a run into
    /// consecutive stretches, so a piece borrows them rather than copying.
    tokens: &'r [Token],
    /// An honorific or capitalised role inside the run right before this piece.
    titled: bool,
}

/// The pieces of one run: nearly always one or two, kept off the heap.
type Pieces<'r> = SmallVec<[Piece<'r>; 4]>;

/// Trims a run's positional first word and splits it at honorifics and roles.
fn split_run<'r>(
    cues: &FieldCues<'_>,
    text: &str,
    run: &'r [Token],
    (occupied, rules): (&[Occupied], DiscoveryRules),
) -> Pieces<'r> {
    let word = |t: &Token| &text[t.start..t.end];
    let occupant = |t: &Token| starting_at(occupied, t.start).map(|o| o.what);
    let mut run = run;
    // "American Todd Martin", "Third-seeded Wayne Ferreira": a nationality or a hyphenated
    // modifier ("-seeded", "-born") before a name is not part of it.
    // A nationality before an organisation's name is part of it ("American League",
    // "British Airways"): only one before a given name goes.
    while run.len() > 1
        && run.first().is_some_and(|t| {
            (occupant(t) == Some(Occupant::Demonym) && cues.is(Cue::GivenName, word(&run[1])))
                || hyphenated_modifier(word(t))
        })
    {
        run = &run[1..];
    }
    // "Wayne Ferreira of South Africa": a person of a place, not one name.
    if let Some(of) = run.iter().position(|t| word(t) == "of")
        && of >= 2
        && cues.is(Cue::GivenName, word(&run[0]))
        && run
            .get(of + 1)
            .is_some_and(|t| matches!(occupant(t), Some(Occupant::PlacePart | Occupant::Team)))
    {
        run = &run[..of];
    }
    // A sentence-initial common word or non-name starts the sentence, not the name.
    if let Some(first) = run.first().copied()
        && sentence_start(text, first.start)
    {
        let c = cues.of(word(&first));
        // "Bill O'Reilly said": a given name that is also a word ("bill", "will") keeps its
        // place before a surname; "In Seattle" and "An Iraqi" do not.
        let given_before_name = c.has(Cue::GivenName)
            && run.get(1).is_some_and(|n| {
                let next = cues.of(word(n));
                is_capitalised(word(n))
                    && !next.has(Cue::CommonWord)
                    && (!c.has(Cue::CommonWord) || next.has(Cue::Surname))
            });
        if (c.has(Cue::CommonWord) || c.has(Cue::NotName)) && !given_before_name {
            run = &run[1..];
        }
    }
    let run = trim_connectors(text, run);
    // "and" joins one organisation's name ("Securities and Exchange Commission", "Standard and
    // Poor's Corp") but otherwise lists two names ("Marseille and Monaco").
    let one_organisation = run
        .last()
        .is_some_and(|t| cues.is(Cue::OrganisationSuffix, word(t)));
    let mut pieces = Pieces::new();
    // The piece being built starts at `from`; the next one is titled or not.
    let mut from = 0;
    let mut titled = false;
    for (k, token) in run.iter().enumerate() {
        let w = word(token);
        // "Nippon Kokan KK and Kawasaki Steel Co Ltd": a complete name of two words or more
        // before "and" lists two ("Securities and Exchange Commission" does not).
        let listed = || {
            k >= 2
                && cues.is(Cue::OrganisationSuffix, word(&run[k - 1]))
                && is_capitalised(word(&run[k - 2]))
        };
        if w == "and" && (!one_organisation || listed()) {
            if from < k {
                pieces.push(Piece {
                    tokens: &run[from..k],
                    titled,
                });
            }
            from = k + 1;
            titled = false;
            continue;
        }
        let c = cues.of(w);
        let title_word = rules.titles && (c.has(Cue::Honorific) || c.has(Cue::PersonRole));
        // A title splits the run when a name word follows that is not a common word ("General
        // Motors" stays whole; "Governor Eddie George" splits).
        // Asked only after a title word: most words are none, and the answer takes a
        // connector test and up to three cue lookups.
        let next_is_name = || {
            run.get(k + 1).is_some_and(|n| {
                let nw = word(n);
                is_capitalised(nw)
                    && !is_connector(nw)
                    && !cues.is(Cue::Honorific, nw)
                    && (!cues.is(Cue::CommonWord, nw) || cues.is(Cue::GivenName, nw))
            })
        };
        if title_word && next_is_name() {
            if from < k {
                pieces.push(Piece {
                    tokens: &run[from..k],
                    titled,
                });
            }
            from = k + 1;
            titled = true;
        }
    }
    if from < run.len() {
        pieces.push(Piece {
            tokens: &run[from..],
            titled,
        });
    }
    for piece in &mut pieces {
        let mut tokens = trim_connectors(text, piece.tokens);
        // Months, weekdays and headings at either end are not part of the name.
        while let Some((first, rest)) = tokens.split_first()
            && cues.is(Cue::NotName, word(first))
        {
            tokens = rest;
        }
        // After a given name such a word is a surname ("Theresa May", "Brian May").
        while let Some((last, rest)) = tokens.split_last()
            && {
                let c = cues.of(word(last));
                c.has(Cue::NotName) || c.has(Cue::Honorific)
            }
            && !(tokens.len() >= 2 && cues.is(Cue::GivenName, word(&tokens[tokens.len() - 2])))
        {
            tokens = rest;
        }
        // A capitalised function word at either end ("The", "On", "At") starts or follows a
        // sentence the tokens do not show ("Paul Sancya/AP On June 2").
        let function_word = |t: &Token| {
            let c = cues.of(word(t));
            word(t).len() <= 3
                && c.has(Cue::CommonWord)
                && !c.has(Cue::GivenName)
                && !c.has(Cue::OrganisationSuffix)
        };
        if tokens.len() > 1 && tokens.first().is_some_and(function_word) {
            tokens = &tokens[1..];
        }
        if tokens.len() > 1 && tokens.last().is_some_and(function_word) {
            tokens = &tokens[..tokens.len() - 1];
        }
        piece.tokens = trim_connectors(text, tokens);
    }
    pieces.retain(|p| !p.tokens.is_empty());
    pieces
}

/// Whether `word` ends in a lower-case hyphenated part ("Third-seeded", "Italian-born"). The
/// hyphen is found byte by byte: a `str` search costs more than the few bytes of a word.
fn hyphenated_modifier(word: &str) -> bool {
    word.bytes()
        .rposition(|b| b == b'-')
        .is_some_and(|hyphen| word[hyphen + 1..].chars().all(char::is_lowercase))
}

/// `run` without the uncapitalised words (connectors) at either end.
fn trim_connectors<'r>(text: &str, run: &'r [Token]) -> &'r [Token] {
    let capitalised = |t: &Token| is_capitalised(&text[t.start..t.end]);
    let Some(first) = run.iter().position(capitalised) else {
        return &[];
    };
    let last = run.iter().rposition(capitalised).unwrap_or(first);
    &run[first..=last]
}

/// Evidence tallies per type.
#[derive(Debug, Default)]
struct Scores {
    person: f64,
    organisation: f64,
    location: f64,
    evidence: Vec<&'static str>,
}

impl Scores {
    fn add(&mut self, name_type: NameType, score: f64, why: &'static str) {
        match name_type {
            NameType::Person => self.person += score,
            NameType::Organisation => self.organisation += score,
            NameType::Location => self.location += score,
            NameType::Misc => {}
        }
        self.evidence.push(why);
    }

    /// The winning type and its lead, if any type reached [`TYPED`].
    fn best(&self) -> Option<(NameType, f64)> {
        let mut ranked = [
            (NameType::Person, self.person),
            (NameType::Organisation, self.organisation),
            (NameType::Location, self.location),
        ];
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let (best, score) = ranked[0];
        (score >= TYPED && score - ranked[1].1 >= TYPE_MARGIN).then_some((best, score))
    }
}

/// Lower-case words right before `start` on the same line, nearest last (at most `count`).
fn words_before(text: &str, start: usize, count: usize) -> Vec<&str> {
    let mut from = start.saturating_sub(80);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = &text[from..start];
    if window.is_ascii() {
        ascii_words_before(window, count)
    } else {
        words_ending(window, count)
    }
}

/// The last `count` words of `window` after its last line feed and punctuation mark.
fn words_ending(window: &str, count: usize) -> Vec<&str> {
    let window = window.rfind('\n').map_or(window, |i| &window[i + 1..]);
    // Stop at punctuation: "said. Coach" does not carry over.
    let window = window
        .char_indices()
        .rev()
        .find(|&(_, c)| matches!(c, '.' | ',' | ';' | ':' | '(' | ')' | '"' | '“' | '”'))
        .map_or(window, |(i, c)| &window[i + c.len_utf8()..]);
    let mut words: Vec<&str> = window.split_whitespace().rev().take(count).collect();
    words.reverse();
    words
}

/// [`words_ending`] for an ASCII window, in one backward pass over its bytes: the line feed,
/// the punctuation and the words are found together, and the pass stops at the `count`th word
/// (the string searches and splitting cost 2 % of tagging).
fn ascii_words_before(window: &str, count: usize) -> Vec<&str> {
    let bytes = window.as_bytes();
    let mut words = Vec::with_capacity(count.min(8));
    // `char::is_whitespace` of ASCII: tab, line feed, vertical tab, form feed, return, space.
    let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
    let mut word_end = None;
    let mut i = bytes.len();
    while i > 0 && words.len() < count {
        let b = bytes[i - 1];
        if matches!(b, b'\n' | b'.' | b',' | b';' | b':' | b'(' | b')' | b'"') {
            break;
        }
        if space(b) {
            if let Some(end) = word_end.take() {
                words.push(&window[i..end]);
            }
        } else if word_end.is_none() {
            word_end = Some(i);
        }
        i -= 1;
    }
    if words.len() < count
        && let Some(end) = word_end
    {
        words.push(&window[i..end]);
    }
    words.reverse();
    words
}

/// The phrase of the last `n` words of `words` (slices of `text`), joined by single spaces.
/// Where the text already spells it so (nearly always) the phrase is that slice of the text:
/// no allocation, and the field's cue memo knows it.
fn tail_phrase<'t>(text: &'t str, words: &[&'t str], n: usize) -> Option<Cow<'t, str>> {
    let tail = &words[words.len().checked_sub(n)?..];
    Some(match spelled_in(text, tail) {
        Some(phrase) => Cow::Borrowed(phrase),
        None => Cow::Owned(tail.join(" ")),
    })
}

/// `text`'s own spelling of `words` (consecutive `split_whitespace` words of `text`), when
/// every gap between them is one space, so that it equals the words joined by spaces.
fn spelled_in<'t>(text: &'t str, words: &[&str]) -> Option<&'t str> {
    let (first, last) = (words.first()?, words.last()?);
    let base = text.as_ptr() as usize;
    let start = (first.as_ptr() as usize).checked_sub(base)?;
    let end = (last.as_ptr() as usize).checked_sub(base)? + last.len();
    let spelled = text.get(start..end)?;
    let joined_len = words.iter().map(|w| w.len()).sum::<usize>() + words.len() - 1;
    // The words hold no whitespace: equal lengths leave one byte per gap, and each must be ' '.
    (spelled.len() == joined_len
        && spelled.bytes().filter(|&b| b == b' ').count() == words.len() - 1)
        .then_some(spelled)
}

/// Types one piece of a run, or says it is no name.
fn type_run(
    cues: &FieldCues<'_>,
    text: &str,
    field: Field,
    (piece, headline, sport_story): (&Piece<'_>, bool, bool),
    (field_words, occupied): (&Words, &[Occupied]),
    rules: DiscoveryRules,
) -> Option<Discovered> {
    let run = piece.tokens;
    let first = *run.first()?;
    let last = *run.last()?;
    let word = |t: &Token| &text[t.start..t.end];
    // "McIlroy's": the possessive ending is not part of the name.
    let mut end = last.end;
    let last_word = word(&last);
    for suffix in ["'s", "’s", "'", "’"] {
        if let Some(base) = last_word.strip_suffix(suffix)
            && base.chars().count() >= 2
        {
            end = last.start + base.len();
            break;
        }
    }
    // "Sheffield-based": the place without its suffix.
    let mut based = false;
    if let Some(base) = text[last.start..end].strip_suffix("-based") {
        end = last.start + base.len();
        based = true;
    }
    // "NationsBank Corp.": an abbreviated suffix's dot is part of the name (a sentence's
    // last dot too: the abbreviation absorbs it, as in print).
    if end == last.end
        && text[end..].starts_with('.')
        && cues.is(Cue::OrganisationSuffix, &text[last.start..end + 1])
    {
        end += 1;
    }
    let start = first.start;
    if end <= start {
        return None;
    }
    // "Chrysler Corp", "Nippon Steel Co Ltd", "Newmont\nMining Corp" (a hard-wrapped line):
    // suffixes right after a capitalised word belong to that name, and name nothing by
    // themselves.
    if run
        .iter()
        .all(|t| cues.is(Cue::OrganisationSuffix, &text[t.start..t.end.min(end)]))
    {
        let before = text[..start].trim_end_matches([' ', '\n', '\r']);
        let gap = &text[before.len()..start];
        let previous = before
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '.' || c == '\''))
            .next()
            .unwrap_or("");
        if !gap.is_empty() && gap.len() <= 2 && is_capitalised(previous) {
            return None;
        }
    }
    // Occupants inside the name, found by binary search (occupied is sorted and disjoint): a
    // field of a million runs and a million matches stays linear.
    let within = within(occupied, start, end);
    // A gazetteer place the resolver declined ("Costa Rica" in a name, a table): not a new
    // name; one it read as a team is that team.
    if let Some(o) = within.iter().find(|o| o.start == start && o.end == end) {
        match o.what {
            Occupant::Team => {
                return Some(Discovered {
                    field,
                    start,
                    end,
                    name_type: NameType::Organisation,
                    evidence: vec![TEAM_READING],
                    confidence: 0.6,
                    words: vec![(start, end)],
                    pending: false,
                    shaped: false,
                });
            }
            Occupant::PlacePart => return None,
            _ => {}
        }
    }
    let name = &text[start..end];
    let name_words: Vec<(usize, usize)> = run
        .iter()
        .map(|t| (t.start, t.end.min(end)))
        .filter(|(s, e)| s < e)
        .collect();
    let word_cues: SmallVec<[Cues; 8]> = name_words
        .iter()
        .map(|&(s, e)| cues.of(&text[s..e]))
        .collect();
    let count = name_words.len();
    let connectors = |list: &[&str]| {
        run.iter()
            .any(|t| list.contains(&word(t)) && !is_capitalised(word(t)))
    };
    let positional = sentence_start(text, start) || headline || field == Field::Title;
    let all_common = word_cues
        .iter()
        .zip(&name_words)
        .all(|(c, &(s, e))| c.has(Cue::CommonWord) || !is_capitalised(&text[s..e]));
    let mut scores = Scores::default();

    // People.
    let before = words_before(text, start, cues.longest_phrase().max(1));
    if rules.titles {
        if piece.titled {
            scores.add(NameType::Person, 2.5, "after an honorific or title");
        } else if (1..=before.len()).any(|n| {
            tail_phrase(text, &before, n).is_some_and(|p| {
                let c = cues.of(&p);
                c.has(Cue::PersonRole) || c.has(Cue::Honorific)
            })
        }) {
            scores.add(NameType::Person, 2.5, "after a role or honorific");
        }
    }
    let org_connector = connectors(ORGANISATION_CONNECTORS);
    if rules.names && (2..=4).contains(&count) && !org_connector {
        if word_cues[0].has(Cue::GivenName) {
            scores.add(NameType::Person, 2.0, "given name");
        }
        if word_cues[count - 1].has(Cue::Surname) {
            // "Edna Jackson": a surname after a word that is no common word is a full name.
            let strong = count == 2 && !word_cues[0].has(Cue::CommonWord);
            scores.add(NameType::Person, if strong { 1.5 } else { 1.0 }, "surname");
        }
        let initial = |t: &Token| word(t).len() == 2 && word(t).ends_with('.');
        if initial(&run[0]) && !initial(&run[run.len() - 1]) && !org_connector {
            scores.add(NameType::Person, 2.0, "initial and surname");
        } else if run[1..run.len() - 1].iter().any(initial) {
            scores.add(NameType::Person, 1.0, "middle initial");
        }
    }

    // Organisations and places by their head and suffix words.
    if rules.heads {
        let last_cues = word_cues[count - 1];
        let first_cues = word_cues[0];
        if count >= 2 || is_all_caps(name) {
            if last_cues.has(Cue::OrganisationSuffix) {
                scores.add(NameType::Organisation, 3.0, "organisation suffix");
            }
            if last_cues.has(Cue::LocationSuffix) {
                scores.add(NameType::Location, 3.0, "place suffix");
            }
        }
        // "the Senate", "the Commission": a capitalised institution word after "the",
        // mid-sentence, names the institution.
        if count == 1 && !positional && last_cues.has(Cue::OrganisationSuffix) {
            if before.last().is_some_and(|w| *w == "the") {
                scores.add(
                    NameType::Organisation,
                    2.0,
                    "\"the\" and an institution word",
                );
            } else {
                scores.add(
                    NameType::Organisation,
                    1.5,
                    "an institution word mid-sentence",
                );
            }
        }
        if count >= 2 {
            if first_cues.has(Cue::OrganisationHead) {
                scores.add(NameType::Organisation, 2.0, "organisation head");
            }
            if first_cues.has(Cue::LocationHead) {
                scores.add(NameType::Location, 2.0, "place head");
            }
        }
        let inside = |what: Occupant| within.iter().any(|o| o.what == what);
        if sport_story && count >= 2 && (inside(Occupant::PlacePart) || inside(Occupant::Team)) {
            scores.add(NameType::Organisation, 3.0, "team named after a place");
        }
        if sport_story && score_line(text, start, end) {
            scores.add(
                NameType::Organisation,
                2.0,
                "a side in a score line or standings row",
            );
        }
    }

    // Places by what surrounds them.
    if rules.places {
        if based {
            scores.add(NameType::Location, 3.0, "\"-based\"");
        }
        // One word after a preposition is a place unless it reads as something else: a given
        // name ("to Kim"), an acronym ("at MIT"), a common word ("in Physics"), an
        // institution ("in Congress").
        let single_other = count == 1
            && (word_cues[0].has(Cue::GivenName)
                || word_cues[0].has(Cue::CommonWord)
                || word_cues[0].has(Cue::OrganisationSuffix)
                || is_all_caps(name));
        if let Some(&previous) = before.last()
            && cues.is(Cue::PlacePreposition, previous)
            && previous.chars().all(char::is_lowercase)
            && !single_other
        {
            let weight = if WEAK_PLACE_PREPOSITIONS.contains(&previous) {
                1.0
            } else {
                1.5
            };
            scores.add(NameType::Location, weight, "after a place preposition");
        }
        // "Sheffield, England" / "Sheffield , England": a tagged place or country after a comma.
        let after = text[end..].trim_start_matches(' ');
        if let Some(rest) = after.strip_prefix(',') {
            let offset = text.len() - rest.trim_start().len();
            if starting_at(occupied, offset)
                .is_some_and(|o| o.what == Occupant::Linked(NameType::Location))
            {
                scores.add(NameType::Location, 3.0, "followed by \", <place>\"");
            }
        }
    }

    // Listed with linked names: "X and <person>", "<place>, X and Y".
    if rules.neighbours {
        for neighbour in listed_with(text, (start, end), occupied) {
            scores.add(neighbour, 1.0, "listed with a tagged name of this type");
        }
    }

    let best = scores.best();
    // A name by its shape alone: mid-sentence in running text, not all common words.
    let single_common = count == 1 && word_cues[0].has(Cue::CommonWord);
    // One word after "the" ("the Kremlin", "the Pentagon") is a metonym for an institution
    // whose type capitals cannot tell: no name by shape.
    let after_the = count == 1 && before.last().is_some_and(|w| w.eq_ignore_ascii_case("the"));
    // The running-text test last: it reads the words around the name, the others are at hand.
    let shaped = !positional
        && !all_common
        && !single_common
        && !after_the
        && running_text(text, field_words, start, end);
    let (name_type, confidence, pending) = match best {
        Some((name_type, score)) => (name_type, (0.45 + 0.1 * score).min(0.85), headline),
        // One word so shaped needs a second such use (see `corefer`).
        None => (
            NameType::Misc,
            if count == 1 { 0.4 } else { 0.5 },
            count == 1 || !shaped,
        ),
    };
    Some(Discovered {
        field,
        start,
        end,
        name_type,
        evidence: if scores.evidence.is_empty() {
            vec![SHAPE]
        } else {
            scores.evidence
        },
        confidence,
        words: name_words,
        pending,
        shaped,
    })
}

/// The occupants lying inside `start..end` (`occupied` sorted by start, disjoint).
fn within(occupied: &[Occupied], start: usize, end: usize) -> &[Occupied] {
    let from = occupied.partition_point(|o| o.start < start);
    let to = occupied.partition_point(|o| o.start < end);
    let slice = &occupied[from..to.max(from)];
    let keep = slice.partition_point(|o| o.end <= end);
    &slice[..keep]
}

/// The occupant starting exactly at `position`.
fn starting_at(occupied: &[Occupied], position: usize) -> Option<&Occupied> {
    let i = occupied.partition_point(|o| o.start < position);
    occupied.get(i).filter(|o| o.start == position)
}

/// Whether the name is a side in a score line ("Aberdeen 4 Hearts 0", "Pittsburgh 8 Houston 6")
/// or heads a standings row ("Brisbane 21 16 0 5 569 257 32").
fn score_line(text: &str, start: usize, end: usize) -> bool {
    // Score lines and standings rows are short: look no further than this either side.
    const LOOK: usize = 120;
    let mut from = start.saturating_sub(LOOK + 1);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (end + LOOK + 1).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let (Some(line_start), Some(line_end)) = (
        text[from..start]
            .rfind('\n')
            .map(|i| from + i + 1)
            .or((from == 0).then_some(0)),
        text[end..to]
            .find('\n')
            .map(|i| end + i)
            .or((to == text.len()).then_some(to)),
    ) else {
        return false;
    };
    let after: Vec<&str> = text[end..line_end].split_whitespace().collect();
    let number = |w: &&str| {
        w.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    };
    let standings = text[line_start..start]
        .trim()
        .trim_end_matches('.')
        .chars()
        .all(|c| c.is_ascii_digit())
        && after.len() >= 4
        && after.iter().take(4).all(number);
    // A score line: "<side> <n> <side> <n>".
    let words: Vec<&str> = text[line_start..line_end].split_whitespace().collect();
    let numbers: Vec<usize> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.chars().all(|c| c.is_ascii_digit()))
        .map(|(i, _)| i)
        .collect();
    let score = numbers.len() == 2
        && numbers[1] == words.len() - 1
        && numbers[0] > 0
        && numbers[1] > numbers[0] + 1
        && words[..numbers[0]]
            .iter()
            .chain(&words[numbers[0] + 1..numbers[1]])
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    standings || score
}

/// The types of tagged names the span is listed with: right before it ("<X>, Y", "<X> and Y")
/// or right after it ("Y and <X>", "Y, <X>").
fn listed_with(text: &str, (start, end): (usize, usize), occupied: &[Occupied]) -> Vec<NameType> {
    let mut out = Vec::new();
    let linked_type = |position: usize, ends: bool| {
        let found = if ends {
            let i = occupied.partition_point(|o| o.end < position);
            occupied.get(i).filter(|o| o.end == position)
        } else {
            starting_at(occupied, position)
        };
        match found.map(|o| o.what) {
            Some(Occupant::Linked(t)) => Some(t),
            _ => None,
        }
    };
    let before = &text[..start];
    for separator in [", ", " and ", " , ", " or "] {
        if let Some(rest) = before.strip_suffix(separator)
            && let Some(t) = linked_type(rest.len(), true)
        {
            out.push(t);
        }
        if text[end..].starts_with(separator)
            && let Some(t) = linked_type(end + separator.len(), false)
        {
            out.push(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitalised_words_and_particles() {
        // The rule as first written, character by character.
        let reference = |word: &str| {
            let mut chars = word.chars();
            match chars.next() {
                Some(c) if c.is_uppercase() => true,
                Some(c) if c.is_lowercase() && word.len() > 2 => {
                    ["al-", "el-", "d'", "d’", "o'", "l'"].iter().any(|p| {
                        word.starts_with(p) && word[p.len()..].starts_with(char::is_uppercase)
                    })
                }
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
}
