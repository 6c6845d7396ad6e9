//! Typing a run: the evidence for person, organisation and place around and inside it, and
//! the type that wins.

use super::tokens::is_all_caps;
use super::*;

/// Evidence tallies per type.
#[derive(Debug, Default)]
pub(super) struct Scores {
    pub person: f64,
    pub organisation: f64,
    pub location: f64,
    pub evidence: Vec<&'static str>,
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
pub(super) fn words_before(text: &str, start: usize, count: usize) -> Vec<&str> {
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
pub(super) fn words_ending(window: &str, count: usize) -> Vec<&str> {
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
pub(super) fn ascii_words_before(window: &str, count: usize) -> Vec<&str> {
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
pub(super) fn tail_phrase<'t>(text: &'t str, words: &[&'t str], n: usize) -> Option<Cow<'t, str>> {
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

/// Types one piece of a run, or says it is no name: its span first, then a side or a place
/// part the resolver set aside, then the evidence for each type (people, institutions,
/// places, neighbours), then the verdict.
pub(super) fn type_run(
    cues: &FieldCues<'_>,
    text: &str,
    field: Field,
    (piece, headline, sport_story): (&Piece<'_>, bool, bool),
    (field_words, occupied): (&Words, &[Occupied]),
    rules: DiscoveryRules,
) -> Option<Discovered> {
    let (start, end, based) = name_span(cues, text, piece.tokens)?;
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
    let name_words: Vec<(usize, usize)> = piece
        .tokens
        .iter()
        .map(|t| (t.start, t.end.min(end)))
        .filter(|(s, e)| s < e)
        .collect();
    let name = Name {
        text,
        start,
        end,
        run: piece.tokens,
        words: &name_words,
        word_cues: name_words
            .iter()
            .map(|&(s, e)| cues.of(&text[s..e]))
            .collect(),
        count: name_words.len(),
        before: words_before(text, start, cues.longest_phrase().max(1)),
        positional: sentence_start(text, start) || headline || field == Field::Title,
        within,
    };
    let mut scores = Scores::default();
    name.person_evidence(cues, piece.titled, rules, &mut scores);
    if rules.heads {
        name.institution_evidence(cues, sport_story, &mut scores);
    }
    if rules.places {
        name.place_evidence(cues, based, occupied, &mut scores);
    }
    // Listed with linked names: "X and <person>", "<place>, X and Y".
    if rules.neighbours {
        for neighbour in listed_with(text, (start, end), occupied) {
            scores.add(neighbour, 1.0, "listed with a tagged name of this type");
        }
    }
    let (name_type, confidence, pending, shaped) = name.verdict(&scores, field_words, headline);
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

/// The name's byte span in a piece, and whether it was written "X-based"; `None` when the
/// piece is a company suffix that belongs to the name before it.
fn name_span(cues: &FieldCues<'_>, text: &str, run: &[Token]) -> Option<(usize, usize, bool)> {
    let first = *run.first()?;
    let last = *run.last()?;
    // "McIlroy's": the possessive ending is not part of the name.
    let mut end = last.end;
    let last_word = &text[last.start..last.end];
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
    Some((start, end, based))
}

/// A name being typed, with what every rule asks about it looked up once.
struct Name<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    /// Its tokens (the last may run past `end`: "McIlroy's").
    run: &'a [Token],
    /// The words of the name: (start, end) byte spans.
    words: &'a [(usize, usize)],
    /// The cues of each word of the name.
    word_cues: SmallVec<[Cues; 8]>,
    count: usize,
    /// Lower-case words right before it, nearest last.
    before: Vec<&'a str>,
    /// Capitalised by its position: a sentence's first word, a headline, the title.
    positional: bool,
    /// The gazetteer matches and set-aside places inside it.
    within: &'a [Occupied],
}

impl Name<'_> {
    fn name(&self) -> &str {
        &self.text[self.start..self.end]
    }

    fn word(&self, token: &Token) -> &str {
        &self.text[token.start..token.end]
    }

    /// People: an honorific or role before the name, a given name first, a surname last, an
    /// initial.
    fn person_evidence(
        &self,
        cues: &FieldCues<'_>,
        titled: bool,
        rules: DiscoveryRules,
        scores: &mut Scores,
    ) {
        let (text, before) = (self.text, &self.before);
        if rules.titles {
            if titled {
                scores.add(NameType::Person, 2.5, "after an honorific or title");
            } else if (1..=before.len()).any(|n| {
                tail_phrase(text, before, n).is_some_and(|p| {
                    let c = cues.of(&p);
                    c.has(Cue::PersonRole) || c.has(Cue::Honorific)
                })
            }) {
                scores.add(NameType::Person, 2.5, "after a role or honorific");
            }
        }
        let (run, count, word_cues) = (self.run, self.count, &self.word_cues);
        let org_connector = run.iter().any(|t| {
            ORGANISATION_CONNECTORS.contains(&self.word(t)) && !is_capitalised(self.word(t))
        });
        if rules.names && (2..=4).contains(&count) && !org_connector {
            // "Johnson Controls", "Hong Kong Open", "Major League Baseball": a given name
            // before a last word that is only a common word names a firm or an event.
            let last = word_cues[count - 1];
            let common_last = last.has(Cue::CommonWord) && !last.has(Cue::Surname);
            if word_cues[0].has(Cue::GivenName) && !common_last {
                scores.add(NameType::Person, 2.0, "given name");
            }
            if word_cues[count - 1].has(Cue::Surname) {
                // "Edna Jackson": a surname after a word that is no common word is a full name.
                let strong = count == 2 && !word_cues[0].has(Cue::CommonWord);
                scores.add(NameType::Person, if strong { 1.5 } else { 1.0 }, "surname");
            }
            let initial = |t: &Token| self.word(t).len() == 2 && self.word(t).ends_with('.');
            if initial(&run[0]) && !initial(&run[run.len() - 1]) {
                scores.add(NameType::Person, 2.0, "initial and surname");
            } else if run[1..run.len() - 1].iter().any(initial) {
                scores.add(NameType::Person, 1.0, "middle initial");
            }
        }
    }

    /// Organisations and places by their head and suffix words ("Acme Corp", "Bank of",
    /// "Thames River", "Lake Victoria"), institutions named by one word ("the Senate"), and
    /// in a sports story the sides.
    fn institution_evidence(&self, cues: &FieldCues<'_>, sport_story: bool, scores: &mut Scores) {
        let (count, word_cues, before) = (self.count, &self.word_cues, &self.before);
        let last_cues = word_cues[count - 1];
        let first_cues = word_cues[0];
        // "newsstand chain Ruch", "carmaker Volvo": a business noun before the name says
        // what it is, more than a place preposition elsewhere ("invest in Ruch"). A lone
        // letter is no name ("offered by company N / A").
        if self
            .name()
            .chars()
            .filter(|c| c.is_alphabetic())
            .nth(1)
            .is_some()
            && (1..=before.len()).any(|n| {
                tail_phrase(self.text, before, n)
                    .is_some_and(|p| cues.is(Cue::OrganisationRole, &p))
            })
        {
            scores.add(NameType::Organisation, 2.5, "after a business or body noun");
        }
        if count >= 2 || is_all_caps(self.name()) {
            if last_cues.has(Cue::OrganisationSuffix) {
                scores.add(NameType::Organisation, 3.0, "organisation suffix");
            }
            if last_cues.has(Cue::LocationSuffix) {
                scores.add(NameType::Location, 3.0, "place suffix");
            }
        }
        // "the Senate", "the Commission": a capitalised institution word after "the",
        // mid-sentence, names the institution.
        if count == 1 && !self.positional && last_cues.has(Cue::OrganisationSuffix) {
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
        // A place inside the name ("Real Madrid", "Kansas City Royals"), unless the place is
        // a given name or a particle of a person's name ("David Segui", "Todd Van Poppel"),
        // or opens the name before a word that is neither English nor a club's ("Ogun
        // Temizkanoglu": sides named place first go on "United", "Rovers", "Villa").
        let team_place = || {
            self.within.iter().any(|o| {
                let word = &self.text[o.start..o.end];
                let opens_a_person = o.start == self.start
                    && self.run.iter().find(|t| t.start >= o.end).is_some_and(|t| {
                        let next = cues.of(self.word(t));
                        !next.has(Cue::CommonWord)
                            && !next.has(Cue::OrganisationSuffix)
                            && !self.within.iter().any(|p| p.start == t.start)
                    });
                matches!(o.what, Occupant::PlacePart | Occupant::Team)
                    && !opens_a_person
                    && !cues.is(Cue::GivenName, word)
                    && !is_connector(&word.to_lowercase())
            })
        };
        if sport_story && count >= 2 && team_place() {
            scores.add(NameType::Organisation, 3.0, "team named after a place");
        }
        if sport_story && score_line(self.text, self.start, self.end) {
            scores.add(
                NameType::Organisation,
                2.0,
                "a side in a score line or standings row",
            );
        }
    }

    /// Places by what surrounds them: "X-based", a place preposition before, ", <place>"
    /// after.
    fn place_evidence(
        &self,
        cues: &FieldCues<'_>,
        based: bool,
        occupied: &[Occupied],
        scores: &mut Scores,
    ) {
        if based {
            scores.add(NameType::Location, 3.0, "\"-based\"");
        }
        // One word after a preposition is a place unless it reads as something else: a given
        // name ("to Kim"), an acronym ("at MIT"), a common word ("in Physics"), an
        // institution ("in Congress").
        let first = self.word_cues[0];
        let single_other = self.count == 1
            && (first.has(Cue::GivenName)
                || first.has(Cue::CommonWord)
                || first.has(Cue::OrganisationSuffix)
                || is_all_caps(self.name()));
        if let Some(&previous) = self.before.last()
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
        // Not after an organisation's suffix: "Michigan National Bank, Detroit" and "Acme
        // Corp., Ohio" give the organisation's seat.
        let text = self.text;
        let after = text[self.end..].trim_start_matches(' ');
        let organisation_named =
            self.count >= 2 && self.word_cues[self.count - 1].has(Cue::OrganisationSuffix);
        if let Some(rest) = after.strip_prefix(',')
            && !organisation_named
        {
            let offset = text.len() - rest.trim_start().len();
            if starting_at(occupied, offset)
                .is_some_and(|o| o.what == Occupant::Linked(NameType::Location))
            {
                scores.add(NameType::Location, 3.0, "followed by \", <place>\"");
            }
        }
    }

    /// The type, confidence, whether it is pending (kept only if coreference ties it to a
    /// name used elsewhere) and whether it is a name by its shape alone.
    fn verdict(
        &self,
        scores: &Scores,
        field_words: &Words,
        headline: bool,
    ) -> (NameType, f64, bool, bool) {
        let (text, count, word_cues) = (self.text, self.count, &self.word_cues);
        let all_common = word_cues
            .iter()
            .zip(self.words)
            .all(|(c, &(s, e))| c.has(Cue::CommonWord) || !is_capitalised(&text[s..e]));
        // A name by its shape alone: mid-sentence in running text, not all common words.
        let single_common = count == 1 && word_cues[0].has(Cue::CommonWord);
        // One word after "the" ("the Kremlin", "the Pentagon") is a metonym for an institution
        // whose type capitals cannot tell: no name by shape.
        let after_the = count == 1
            && self
                .before
                .last()
                .is_some_and(|w| w.eq_ignore_ascii_case("the"));
        // The running-text test last: it reads the words around the name, the others are at
        // hand.
        let shaped = !self.positional
            && !all_common
            && !single_common
            && !after_the
            && running_text(text, field_words, self.start, self.end);
        let (name_type, confidence, pending) = match scores.best() {
            Some((name_type, score)) => (name_type, (0.45 + 0.1 * score).min(0.85), headline),
            // One word so shaped needs a second such use (see `corefer`).
            None => (
                NameType::Misc,
                if count == 1 { 0.4 } else { 0.5 },
                count == 1 || !shaped,
            ),
        };
        (name_type, confidence, pending, shaped)
    }
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
pub(super) fn starting_at(occupied: &[Occupied], position: usize) -> Option<&Occupied> {
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
