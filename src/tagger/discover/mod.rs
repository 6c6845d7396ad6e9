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

mod tokens;
mod typing;

use tokens::{Token, headline_lines_into, in_headline, is_capitalised, tokens_into};
use typing::{starting_at, type_run};

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
        // A results line ("Port Vale 2 Oxford 0") has no sentence to start. Only a run that
        // starts a sentence asks (the words after its first never do), and most runs do not.
        let prose =
            !sentence_start(text, token.start) || running_text(text, words, token.start, token.end);
        for piece in split_run(cues, text, run, prose, (occupied, rules)) {
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
    prose: bool,
    (occupied, rules): (&[Occupied], DiscoveryRules),
) -> Pieces<'r> {
    let word = |t: &Token| &text[t.start..t.end];
    let occupant = |t: &Token| starting_at(occupied, t.start).map(|o| o.what);
    let mut run = run;
    // "American Todd Martin", "Third-seeded Wayne Ferreira": a nationality or a hyphenated
    // modifier ("-seeded", "-born") before a name is not part of it.
    // A nationality before an organisation's name is part of it ("American League",
    // "British Airways"): only one before a given name or a place goes ("Jewish West Bank
    // settlements").
    while run.len() > 1
        && run.first().is_some_and(|t| {
            (occupant(t) == Some(Occupant::Demonym)
                && (cues.is(Cue::GivenName, word(&run[1]))
                    || occupant(&run[1]) == Some(Occupant::PlacePart)))
                || hyphenated_modifier(word(t))
        })
    {
        run = &run[1..];
    }
    // "Wayne Ferreira of South Africa", "John Casesa of Schroder Wertheim & Co": a person of a
    // place or a firm, not one name. The place is the gazetteer's; the firm a name of its own.
    if let Some(of) = run.iter().position(|t| word(t) == "of")
        && of >= 2
        && cues.is(Cue::GivenName, word(&run[0]))
        && let Some(after) = run.get(of + 1)
    {
        let firm = &run[of + 1..];
        let mut pieces = split_run(cues, text, &run[..of], prose, (occupied, rules));
        if !matches!(occupant(after), Some(Occupant::PlacePart | Occupant::Team))
            && is_capitalised(word(after))
        {
            pieces.extend(split_run(cues, text, firm, false, (occupied, rules)));
        }
        return pieces;
    }
    // A sentence-initial common word or non-name starts the sentence, not the name; a line
    // of names and figures has no sentences ("East Stirling 3 0 2 1", "Rangers 2 Hearts 0").
    if let Some(first) = run.first().copied()
        && prose
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
        // Ends the piece being built before word `k` (if it has any word).
        let cut = |pieces: &mut Pieces<'r>| {
            if from < k {
                pieces.push(Piece {
                    tokens: &run[from..k],
                    titled,
                });
            }
        };
        if w == "and" && (!one_organisation || listed()) {
            cut(&mut pieces);
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
            cut(&mut pieces);
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
        // Only closed-class words: "Red Star", "New York" and "Radio Red" keep their short
        // adjectives.
        let function_word = |t: &Token| {
            let w = word(t);
            FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w))
                && !cues.is(Cue::GivenName, w)
                && !cues.is(Cue::OrganisationSuffix, w)
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

/// Articles, prepositions, pronouns and conjunctions: capitalised at a run's end only by a
/// sentence the tokens do not show ("Paul Sancya/AP On June 2"), never a name's first or last
/// word.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "on", "at", "in", "of", "to", "by", "for", "and", "or", "but", "nor", "as",
    "if", "so", "is", "are", "was", "be", "it", "its", "his", "her", "our", "my", "we", "he",
    "she", "you", "they", "who", "how", "why", "not", "no", "yes", "all", "any", "off", "out",
    "up", "via", "per", "has", "had", "did", "into", "from", "with", "this", "that", "than",
    "then", "when",
];

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

#[cfg(test)]
mod tests;
