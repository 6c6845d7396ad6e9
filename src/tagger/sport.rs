//! Sports stories name teams by their places: "Belgium beat Turkey 2-1", "CHICAGO AT
//! SEATTLE", "Kent 312 for 6". There a place name is read as the side, not the place, unless
//! its context says place: a lower-case place word before it ("in Belgium", "from Chicago"), a
//! dateline ("LONDON 1996-08-30"), a possessive or parenthesised nationality ("Belgium's Johan
//! Museeuw", "Museeuw (Belgium)"). Where the gazetteer holds a team of the story's sport by
//! that name ("Liverpool", "Detroit" for the Detroit Tigers), resolution prefers it; where it
//! holds none, the mention is left untagged (reason `TEAM`): no tag beats linking the city
//! for its club.
//!
//! A story is a sports story when the topic lexicon's sport topic (IPTC `medtop:15000000`)
//! scores at least [`SPORT_STORY_SCORE`] on keywords alone and no other top-level topic
//! scores higher, and a story of sides unless the only sports it names are individual ones
//! (tennis, golf, athletics…): there "Berlin" is where the meeting was held.

use foldhash::{HashMap, HashMapExt};

use super::candidates::{Candidate, KeywordHit};
use super::disambiguate::{individual_sports_only, is_team, sports_named};
use super::interrupt::{CHECK_EVERY_ITEMS, Interrupt, InterruptReason};
use super::layout::Layout;
use super::topics;
use crate::gazetteer::Gazetteer;
use crate::proto::{Field, MentionKind};

/// IPTC Media Topics qcode of sport.
pub(crate) const SPORT_TOPIC: &str = "medtop:15000000";

/// Keyword-only score of the sport topic from which a story counts as a sports story.
pub(crate) const SPORT_STORY_SCORE: f64 = 0.8;

/// Lower-case words after which a place name is a place even in a sports story.
const PLACE_WORDS: &[&str] = &[
    "in",
    "at",
    "from",
    "near",
    "to",
    "outside",
    "across",
    "around",
    "throughout",
    "into",
    "within",
    "visit",
    "visited",
    "visiting",
    "toward",
    "towards",
    "across",
    "via",
    "born",
    "capital",
    "based",
    "home",
];

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Whether the article is a story of sides: a sports story (from its topic keywords alone)
/// that names a team sport or no sport by name.
pub(crate) fn is_team_sport_story(
    gazetteer: &Gazetteer,
    keywords: &[KeywordHit],
    layout: &Layout,
    (title, body): (&str, &str),
) -> bool {
    is_sport_story(gazetteer, keywords, layout)
        && !individual_sports_only(sports_named(title) | sports_named(body))
}

/// Whether the article is a sports story, from its topic keywords alone.
fn is_sport_story(gazetteer: &Gazetteer, keywords: &[KeywordHit], layout: &Layout) -> bool {
    let Some(&sport) = gazetteer.topics.index.get(SPORT_TOPIC) else {
        return false;
    };
    if !keywords.iter().any(|k| k.topic == sport) {
        return false;
    }
    let cut = topics::TopicCut {
        min_score: 0.0,
        max_topics: 0,
        explain: false,
    };
    let scored = topics::score(gazetteer, keywords, &[], layout, cut);
    let top_level = |id: &str| {
        gazetteer
            .topics
            .index
            .get(id)
            .is_some_and(|&t| gazetteer.topics.topics[t as usize].parent.is_none())
    };
    let sport_score = scored
        .iter()
        .find(|t| t.id == SPORT_TOPIC)
        .map_or(0.0, |t| t.score);
    sport_score >= SPORT_STORY_SCORE
        && scored
            .iter()
            .filter(|t| t.id != SPORT_TOPIC && top_level(&t.id))
            .all(|t| t.score <= sport_score)
}

/// How a sports story reads a place name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reading {
    /// It names a side, for the reason given.
    Side(String),
    /// Its context says place ("in Belgium", a dateline): a team that shares the name is
    /// not meant ("ARLINGTON, Texas" is no baseball club). `firm` unless all that says so is
    /// a word that also leads to a side ("ten meetings from Cleveland", "lost to Texas").
    Place { firm: bool },
}

/// Place words that as often lead to a side in a sports story ("won from Cleveland", "lost
/// to Texas", "visiting Denver").
const WEAK_PLACE_WORDS: &[&str] = &["from", "to", "into", "visit", "visited", "visiting"];

/// Place candidates of a sports story, read as teams or as places by their context.
pub(crate) fn team_readings(
    gazetteer: &Gazetteer,
    candidates: &[Candidate],
    texts: (&str, &str),
    interrupt: &Interrupt,
) -> Result<HashMap<usize, Reading>, InterruptReason> {
    let mut teams = HashMap::new();
    for (index, candidate) in candidates.iter().enumerate() {
        if index % CHECK_EVERY_ITEMS == CHECK_EVERY_ITEMS - 1 {
            interrupt.check()?;
        }
        // Surname readings ("England" is also someone's surname) are left to resolution, and
        // so are the teams a place names ("Liverpool", "England"): resolution prefers them
        // where this finds a side.
        let mut readings = candidate
            .options
            .iter()
            .filter(|o| o.kind != MentionKind::Surname && !is_team(gazetteer, o.entity))
            .peekable();
        let has_readings = readings.peek().is_some();
        let place = readings.all(|o| {
            matches!(
                o.kind,
                MentionKind::Name | MentionKind::Alias | MentionKind::Acronym
            ) && matches!(
                gazetteer.entities[o.entity as usize]
                    .record
                    .entity_type
                    .as_str(),
                "country" | "location"
            )
        });
        if !place || !has_readings {
            continue;
        }
        let text = if candidate.field == Field::Title {
            texts.0
        } else {
            texts.1
        };
        // "Man of the Match : …": an English word capitalised only because it starts a line
        // or sentence, and read on by a lower-case word, is neither a side nor a place ("man",
        // the Isle of Man); "Reading 2 Bury 1" names sides.
        let mention = &text[candidate.start..candidate.end];
        if !mention.contains(' ')
            && text[candidate.end..]
                .strip_prefix(' ')
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_lowercase()))
            && gazetteer
                .cues
                .is(crate::gazetteer::cues::Cue::CommonWord, mention)
            && super::context::sentence_start(text, candidate.start)
        {
            continue;
        }
        let country = candidate.options.iter().any(|o| {
            o.kind != MentionKind::Surname
                && gazetteer.entities[o.entity as usize].record.entity_type == "country"
        });
        let reading = match reads_as_place(text, candidate.start, candidate.end, country) {
            Some(firm) => Reading::Place { firm },
            None => Reading::Side(format!(
                "{:?} in a sports story, with no place word, dateline or nationality around it, names a team",
                &text[candidate.start..candidate.end]
            )),
        };
        teams.insert(index, reading);
    }
    Ok(teams)
}

/// Longest stretch looked at on either side, in bytes.
const LOOK_BYTES: usize = 40;

/// Whether the context of `text[start..end]` says place rather than team: a place word
/// before it, a dateline, a venue in parentheses ("(at Lord's, London)") or opening a results
/// line ("Leicester : …"). A country also reads as a nationality in parentheses or with a
/// possessive ("Museeuw (Belgium)", "Belgium's Museeuw"); a city with a possessive is a club
/// ("Cleveland's lead"). `Some(firm)` where it does: firm unless only a
/// [`WEAK_PLACE_WORDS`] word says so.
fn reads_as_place(text: &str, start: usize, end: usize, country: bool) -> Option<bool> {
    let before = &text[floor(text, start.saturating_sub(LOOK_BYTES))..start];
    let after = &text[end..floor(text, (end + LOOK_BYTES).min(text.len()))];
    let next = after.trim_start();
    if country && (next.starts_with("'s ") || next.starts_with("’s ")) {
        return Some(true);
    }
    // In parentheses: a nationality ("Museeuw (Belgium)") or a venue's city ("At The Oval
    // (London)", "(at Lord's, London)").
    if next.starts_with(')')
        && let Some(open) = before.rfind('(')
    {
        let inside = before[open + 1..].trim_start();
        if inside.is_empty() || inside.starts_with("at ") || inside.starts_with("At ") {
            return Some(true);
        }
    }
    // Dateline: first on its line or in capitals, followed by a date ("LONDON 1996-08-30",
    // "MADRID, Aug 28").
    let line_start = before.trim_end_matches([' ', '\t']).is_empty() && start <= LOOK_BYTES
        || before.trim_end_matches([' ', '\t']).ends_with('\n');
    let capitals = !text[start..end].chars().any(char::is_lowercase);
    // "MANCHESTER, England 1996-08-29": the country of a dateline.
    let after_comma = before.trim_end().ends_with(',');
    if line_start || capitals || after_comma {
        let rest = after.trim_start_matches([' ', ',']);
        // "MILWAUKEE, Wisconsin 1996-08-29": a region or country may come between.
        let past_region = after.trim_start().strip_prefix(',').map(|rest| {
            rest.trim_start_matches(|c: char| c.is_alphabetic() || c == '.' || c == ' ')
        });
        if starts_with_date(rest) || past_region.is_some_and(starts_with_date) {
            return Some(true);
        }
        // "ATHENS, Greece - The…", "CHICAGO (AP) -": the wire services' dateline, a city in
        // capitals opening the story (perhaps with its region or country), then a dash or the
        // agency. The city is the place, and so is the country after it.
        let wire = |s: &str| s.starts_with(['-', '–', '—', '(']);
        if line_start && capitals && (wire(rest) || past_region.is_some_and(wire)) {
            return Some(true);
        }
        let city = before.trim_end().trim_end_matches(',');
        let city_in_capitals = city.rsplit(['\n', '.']).next().is_some_and(|c| {
            c.chars().any(char::is_uppercase) && !c.chars().any(char::is_lowercase)
        });
        if after_comma && city_in_capitals && wire(rest) {
            return Some(true);
        }
    }
    // A results line that opens with its venue, the ground perhaps in parentheses:
    // "Leicester : Leicestershire beat Somerset", "London ( The Oval ) : Surrey 429-7".
    let past_ground = next
        .strip_prefix('(')
        .and_then(|rest| rest.split_once(')'))
        .map_or(next, |(_, rest)| rest.trim_start());
    if line_start && past_ground.starts_with(':') {
        return Some(true);
    }
    let mut words = before.trim_end().rsplit(|c: char| !c.is_alphanumeric());
    let mut previous = words.next().unwrap_or("");
    // "Benetton of Italy", "Jesper Parnevik of Sweden": a side or player from the country
    // ("the coach of Italy" is the team's).
    if previous == "of"
        && words
            .next()
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase)
    {
        return Some(true);
    }
    // "in the United States", "across the Netherlands": the article belongs to the place.
    if previous == "the" {
        previous = words.next().unwrap_or("");
    }
    // "In Seattle, …" starts a sentence with the place word.
    let title_case = previous.chars().next().is_some_and(char::is_uppercase)
        && !previous.chars().skip(1).any(char::is_uppercase);
    PLACE_WORDS
        .iter()
        .find(|&&w| w == previous || (title_case && w.eq_ignore_ascii_case(previous)))
        .map(|w| !WEAK_PLACE_WORDS.contains(w))
}

/// A date: `1996-08-30`, `30/08/1996`, or a month and a day ("Aug 28", "August 28").
fn starts_with_date(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        // Two separators: a score ("5-3") is no date.
        let mut parts = text
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .split(['-', '/']);
        return parts
            .by_ref()
            .take(3)
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .count()
            == 3;
    }
    let word: String = text
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    let rest = text[word.len()..].trim_start_matches(['.', ' ']);
    word.len() >= 3
        && MONTHS.iter().any(|m| word.starts_with(m))
        && rest.starts_with(|c: char| c.is_ascii_digit())
}

/// The nearest char boundary at or before `index`.
fn floor(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::reads_as_place;

    fn reading(text: &str, word: &str) -> Option<bool> {
        let start = text.find(word).unwrap();
        reads_as_place(text, start, start + word.len(), true)
    }

    fn place(text: &str, word: &str) -> bool {
        reading(text, word).is_some()
    }

    #[test]
    fn a_city_with_a_possessive_is_a_club() {
        let text = "Cleveland's lead over the White Sox dropped to nine games.";
        assert_eq!(reads_as_place(text, 0, "Cleveland".len(), false), None);
        assert_eq!(reads_as_place(text, 0, "Cleveland".len(), true), Some(true));
    }

    #[test]
    fn words_that_also_lead_to_a_side_say_place_weakly() {
        assert_eq!(
            reading("won seven of ten meetings from Cleveland", "Cleveland"),
            Some(false)
        );
        assert_eq!(reading("Oates lost to Texas", "Texas"), Some(false));
        assert_eq!(
            reading("In Seattle, Buhner's single won it.", "Seattle"),
            Some(true)
        );
        assert_eq!(reading("ARLINGTON, Texas 1996-08-31", "Texas"), Some(true));
    }

    #[test]
    fn place_contexts_keep_the_place() {
        assert!(place(
            "MILWAUKEE, Wisconsin 1996-08-29\nWoods shot 67",
            "MILWAUKEE"
        ));
        assert!(place(
            "Leicester : Leicestershire beat Somerset",
            "Leicester"
        ));
        assert!(place(
            "London ( The Oval ) : Warwickshire 195 , Surrey 429-7",
            "London"
        ));
        assert!(!place("Cleveland, Texas 5-3 in ten innings", "Cleveland"));
        assert!(place(
            "At The Oval (London): Surrey beat Warwickshire",
            "London"
        ));
        assert!(place("Sixth test (at The Oval, London).", "London"));
        assert!(!place("Surrey (12 points) beat London by 3 runs", "London"));
        assert!(place("The match in Belgium was close.", "Belgium"));
        assert!(place("He flew home from Chicago on Monday.", "Chicago"));
        assert!(place("LONDON 1996-08-30\nKent beat Essex.", "LONDON"));
        assert!(place("MADRID, Aug 28 - Real won.", "MADRID"));
        assert!(place("1. Johan Museeuw (Belgium) 4:23:45", "Belgium"));
        assert!(place("Belgium's Johan Museeuw won the stage.", "Belgium"));
        assert!(place(
            "Benetton of Italy beat Dinamo of Russia 92-81",
            "Russia"
        ));
        assert!(!place("the coach of Italy said", "Italy"));
        // Tokenised text, as in CoNLL-derived corpora.
        assert!(place("1. Pete Sampras ( U.S. ) 6-3", "U.S."));
        assert!(place("Belgium 's Johan Museeuw", "Belgium"));
        // A sentence that starts with the place word; the country of a dateline.
        assert!(place("In Seattle, Jay Buhner's single won it.", "Seattle"));
        assert!(place("MANCHESTER, England 1996-08-29", "England"));
        assert!(place(
            "ATHENS, Greece - The preliminaries in the 100",
            "Greece"
        ));
        assert!(place("ATHENS, Greece (Reuters) - Greece won", "Greece"));
        assert!(place(
            "ATHENS, Greece - The preliminaries in the 100",
            "ATHENS"
        ));
        assert!(place("CHICAGO (AP) - The Cubs won.", "CHICAGO"));
        assert!(place("MIAMI - The Dolphins lost.", "MIAMI"));
        assert!(!place(
            "Spain beat Greece, Italy - the group winners",
            "Italy"
        ));
        // A place word with the article before the name.
        assert!(place(
            "champions of swimming in the United States",
            "United States"
        ));
    }

    #[test]
    fn team_contexts_read_as_teams() {
        assert!(!place("Belgium beat Turkey 2-1 on Sunday.", "Turkey"));
        assert!(!place("Belgium beat Turkey 2-1 on Sunday.", "Belgium"));
        assert!(!place("Italy beat the Netherlands 2-1.", "Netherlands"));
        assert!(!place("CHICAGO AT SEATTLE", "SEATTLE"));
        assert!(!place("Kent 312 for 6 against Somerset.", "Somerset"));
        assert!(!place("Scores: Kent 312 for 6.", "Kent"));
        // A score after a team in capitals is not a dateline.
        assert!(!place("NEW YORK 72 58 .554", "NEW YORK"));
    }
}
