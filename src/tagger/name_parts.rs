//! Name parts: a gazetteer match that is only part of a longer proper name is no mention of
//! its entity ("Bank of Canada", "Neil Jordan", "Roosevelt Financial Group"). Resolution sets
//! these candidates aside before it decides anything else.

use foldhash::{HashMap, HashMapExt, HashSet};

use crate::gazetteer::cues::Cue;

use super::candidates::Candidate;
use super::context::{
    NamePart, after_place_preposition, beside_capitalised, event_after, name_part, previous_word,
    sentence_start, title_case,
};
use super::interrupt::{CHECK_EVERY_ITEMS, InterruptReason};
use super::resolve::Story;
use crate::gazetteer::Gazetteer;
use crate::proto::{Field, MentionKind};

/// Non-person candidates that are part of a longer proper name, with the reason. A country name
/// used as a person's name ("Neil Jordan") also takes the same bare word elsewhere in the
/// article ("Jordan said"), unless the article names the country in another way.
pub(super) fn name_parts(
    gazetteer: &Gazetteer,
    candidates: &[Candidate],
    story: &Story<'_>,
) -> Result<HashMap<usize, String>, InterruptReason> {
    let Story {
        words, interrupt, ..
    } = *story;
    // People are named by capitalised word sequences themselves; everything else can be part
    // of a longer name ("U.N. Security Council", "Eric Thomas" for the ERIC consortium).
    let is_country = |c: &Candidate| {
        c.options.iter().all(|o| {
            o.kind == MentionKind::Surname
                || gazetteer.entities[o.entity as usize].record.entity_type != "person"
        }) && c.options.iter().any(|o| o.kind != MentionKind::Surname)
    };
    let mut suppressed = HashMap::new();
    // "Microsoft Sues Spammers": in a headline in Title Case a capitalised neighbour says
    // nothing.
    let title_case = title_case(story.texts.0);
    let neighbour_says_nothing = |candidate: &Candidate, part: &NamePart| {
        candidate.field == Field::Title
            && title_case
            && match part {
                NamePart::Followed(word) | NamePart::Preceded(word) => {
                    !word.ends_with('.') && !gazetteer.cues.is(Cue::GivenName, word)
                }
                NamePart::Of(_) => false,
            }
    };
    let people: Vec<usize> = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| one_word_person(gazetteer, c, story))
        .map(|(i, _)| i)
        .collect();
    // Where one-word names of people start: "Lebed Chechnya" is a person and a place side by
    // side, for the place as for the person (below).
    let people_starts: HashSet<(Field, usize)> = people
        .iter()
        .map(|&i| (candidates[i].field, candidates[i].start))
        .collect();
    if !people.is_empty() {
        // Where places and nationalities start and end: a person beside one is two names
        // side by side ("American Tyson", "Lebed Chechnya"), not one longer name.
        let edges: HashSet<(Field, usize)> = candidates
            .iter()
            .filter(|c| {
                c.options.iter().any(|o| {
                    o.kind == MentionKind::Demonym
                        || matches!(
                            gazetteer.entities[o.entity as usize]
                                .record
                                .entity_type
                                .as_str(),
                            "country" | "location"
                        )
                })
            })
            .flat_map(|c| [(c.field, c.start), (c.field, c.end)])
            .collect();
        for index in people {
            if let Some(name) =
                person_in_a_longer_name(gazetteer, &candidates[index], story, &edges)
                    .filter(|(_, part)| !neighbour_says_nothing(&candidates[index], part))
                    .map(|(name, _)| name)
            {
                suppressed.insert(
                    index,
                    format!(
                        "part of the longer name {name:?}, another person or a thing named after one"
                    ),
                );
            }
        }
    }
    // Where names other than surnames start and end: "Dallas-Fort Worth" joins two places,
    // "NEW YORK-USDA" a place and its source.
    let name_edges: HashSet<(Field, usize)> = candidates
        .iter()
        .filter(|c| c.options.iter().any(|o| o.kind != MentionKind::Surname))
        .flat_map(|c| [(c.field, c.start), (c.field, c.end)])
        .collect();
    let mut shadowed: HashMap<u32, String> = HashMap::new();
    for (index, candidate) in candidates.iter().enumerate().filter(|(_, c)| is_country(c)) {
        if index % CHECK_EVERY_ITEMS == CHECK_EVERY_ITEMS - 1 {
            interrupt.check()?;
        }
        let text = story.text_of(candidate);
        let mention = &text[candidate.start..candidate.end];
        // An acronym written as a word ("Nato") next to another capitalised word is more likely
        // a name ("Eric Thomas" is not the ERIC consortium), tables and headings included.
        let acronym_as_word = candidate.options.iter().all(|o| {
            let form = gazetteer.matcher.form(o.form);
            form.chars().all(|c| !c.is_lowercase()) && mention.chars().any(char::is_lowercase)
        });
        if acronym_as_word && beside_capitalised(text, candidate.start, candidate.end) {
            suppressed.insert(
                index,
                format!(
                    "{mention:?} next to another capitalised word reads as a name, not the acronym"
                ),
            );
            continue;
        }
        // "BERLIN GRAND PRIX", "U.S. Open": the place names the event, not itself.
        if let Some(event) = event_after(text, candidate.end) {
            suppressed.insert(
                index,
                format!("part of the event name \"{mention} {event}\""),
            );
            continue;
        }
        let words = &words[usize::from(candidate.field != Field::Title)];
        // Outside running text too, except for countries: results tables are full of people
        // named like towns and companies ("Michael Green ( Jamaica )", "Daniel Komen"), while
        // a country heading a short line still names the country ("U.S. Agriculture
        // Department sees…").
        let country = candidate.options.iter().any(|o| {
            o.kind != MentionKind::Surname
                && gazetteer.entities[o.entity as usize].record.entity_type == "country"
        });
        // The rules below are for places (a town, a region): a company's own name before "Corp"
        // or a hyphen ("Chrysler Corp", "Hewlett-Packard") is still the company, and a form
        // that places share with a firm is left to disambiguation.
        let place = candidate.options.iter().any(|o| {
            o.kind != MentionKind::Surname
                && gazetteer.entities[o.entity as usize].record.entity_type == "location"
        }) && candidate.options.iter().all(|o| {
            let record = &gazetteer.entities[o.entity as usize].record;
            o.kind == MentionKind::Surname
                || record.entity_type == "location"
                || (record.entity_type == "organisation"
                    && !TRADING_CATEGORIES.contains(&record.category.as_str()))
        });
        // "BRISTOL-MYERS", "Knight-Ridder": a place joined by a hyphen to a word that starts
        // no other name is part of a compound name ("Dallas-Fort Worth" names two places).
        if place && let Some(name) = hyphen_compound(text, candidate, &name_edges) {
            suppressed.insert(index, format!("part of the compound name {name:?}"));
            continue;
        }
        let Some(part) = name_part(text, words, (candidate.start, candidate.end), !country)
            .or_else(|| {
                place
                    .then(|| more_name_part(gazetteer, text, candidate))
                    .flatten()
            })
        else {
            continue;
        };
        // "Lebed Chechnya": a person's surname before the place, two names side by side (a
        // given name or a title before it starts a person's name: "Daniel Komen", "Prince
        // Eugene").
        if let NamePart::Preceded(word) = &part
            && !gazetteer.cues.is(Cue::GivenName, word)
            && !gazetteer.cues.is(Cue::Honorific, word)
            && previous_word(text, candidate.start)
                .is_some_and(|(_, begin)| people_starts.contains(&(candidate.field, begin)))
        {
            continue;
        }
        // "Adrian Voinea of Romania", "Karlsruhe of Germany": a person or side of the
        // place, not a longer name.
        if let NamePart::Of(_) = &part
            && named_before_of(gazetteer, &text[..candidate.start], country)
        {
            continue;
        }
        // "will reopen in Ottawa April nine", "talks in Tokyo Monday": a date after the place.
        if let NamePart::Followed(word) = &part
            && dated(text, candidate.end, word)
        {
            continue;
        }
        // "American Dennis Mitchell", "Australian Tom Moody": a nationality before a person's
        // given name, two names side by side.
        if let NamePart::Followed(word) = &part
            && candidate
                .options
                .iter()
                .any(|o| o.kind == MentionKind::Demonym)
            && gazetteer.cues.is(Cue::GivenName, word)
        {
            continue;
        }
        if neighbour_says_nothing(candidate, &part) && company_after(text, candidate.end).is_none()
        {
            continue;
        }
        let detail = match &part {
            // "Bethlehem Steel Corp … Bethlehem said": a company named after a place is what
            // the article's bare uses of the place's name mean, headline included.
            NamePart::Followed(_)
                if place && let Some(company) = company_after(text, candidate.end) =>
            {
                shadowed
                    .entry(candidate.pattern)
                    .or_insert_with(|| format!("{mention} {company}"));
                format!("part of the company name \"{mention} {company}\"")
            }
            NamePart::Followed(word) => format!("part of the longer name {mention:?} + {word:?}"),
            NamePart::Of(head) => format!("part of a name \"{head} of … {mention}\""),
            NamePart::Preceded(word) => {
                shadowed
                    .entry(candidate.pattern)
                    .or_insert_with(|| format!("{word} {mention}"));
                format!("part of the name \"{word} {mention}\"")
            }
        };
        suppressed.insert(index, detail);
    }
    if shadowed.is_empty() {
        return Ok(suppressed);
    }
    // Entities the article also names through a form that is not shadowed keep their tags.
    let named_otherwise: HashSet<u32> = candidates
        .iter()
        .enumerate()
        .filter(|(i, c)| !suppressed.contains_key(i) && !shadowed.contains_key(&c.pattern))
        .flat_map(|(_, c)| c.options.iter().map(|o| o.entity))
        .collect();
    for (index, candidate) in candidates.iter().enumerate() {
        if let Some(name) = shadowed.get(&candidate.pattern)
            && !suppressed.contains_key(&index)
            // "in Bethlehem", "near Hanover": the place itself.
            && !after_place_preposition(gazetteer, story.text_of(candidate), candidate.start)
            && !candidate
                .options
                .iter()
                .any(|o| named_otherwise.contains(&o.entity))
        {
            suppressed.insert(
                index,
                format!("the article uses this word as part of the name \"{name}\""),
            );
        }
    }
    Ok(suppressed)
}

/// Whether a candidate is a one-word name, alias or surname of people only.
fn one_word_person(gazetteer: &Gazetteer, candidate: &Candidate, story: &Story<'_>) -> bool {
    !candidate.options.is_empty()
        && candidate.options.iter().all(|o| {
            matches!(
                o.kind,
                MentionKind::Name | MentionKind::Alias | MentionKind::Surname
            ) && gazetteer.entities[o.entity as usize].record.entity_type == "person"
        })
        && !story.text_of(candidate)[candidate.start..candidate.end].contains([' ', '\n'])
}

/// A one-word name or alias of a person ("Erdogan", "Roosevelt") beside another capitalised
/// word in running text is part of a longer name: another person with that surname
/// ("Farroukh Erdogan") or something named after one ("Roosevelt Financial Group", "Roosevelt
/// Roads"). Not after an honorific, role or office ("Mr Erdogan", "President Roosevelt"), a
/// possessive ("Turkey's Erdogan"), before a weekday or month, or beside a place or
/// nationality ("American Tyson"). The longer name, if so.
fn person_in_a_longer_name(
    gazetteer: &Gazetteer,
    candidate: &Candidate,
    story: &Story<'_>,
    edges: &HashSet<(Field, usize)>,
) -> Option<(String, NamePart)> {
    let text = story.text_of(candidate);
    let mention = &text[candidate.start..candidate.end];
    let cues = &gazetteer.cues;
    match name_part(
        text,
        story.words_of(candidate),
        (candidate.start, candidate.end),
        false,
    )? {
        NamePart::Followed(word)
            if !cues.is(Cue::NotName, &word)
                && !edges.contains(&(candidate.field, candidate.end + 1)) =>
        {
            Some((format!("{mention} {word}"), NamePart::Followed(word)))
        }
        NamePart::Preceded(word)
            if !(cues.is(Cue::Honorific, &word)
                || cues.is(Cue::PersonRole, &word)
                || word.ends_with("'s")
                || word.ends_with("’s")
                || edges.contains(&(candidate.field, candidate.start - 1))) =>
        {
            Some((format!("{word} {mention}"), NamePart::Preceded(word)))
        }
        _ => None,
    }
}

/// Whether the text before a place ends in "<given name> <Name> of [the]", or, before a
/// country, "<Name> of [the]" with a proper name before "of": a person or a side from the
/// place ("Adrian Voinea of Romania", "Karlsruhe of Germany"), not a name made with it. A word
/// before "of" that is an English word or a name's head ("Bank of", "University of", "Duke
/// of", "Gulf of", "Aluminum Co of America") makes one name of both; so does any before a city ("Espanyol of Barcelona"
/// reads both ways, and a city is more often part of a name).
fn named_before_of(gazetteer: &Gazetteer, before: &str, country: bool) -> bool {
    let before = before.trim_end();
    let before = before.strip_suffix(" the").unwrap_or(before);
    let Some(before) = before.strip_suffix(" of") else {
        return false;
    };
    let mut words = before.rsplit(' ');
    let Some(head) = words.next() else {
        return false;
    };
    if words
        .next()
        .is_some_and(|given| gazetteer.cues.is(Cue::GivenName, given))
    {
        return true;
    }
    // Without a lexicon of English words ("bank", "duke") nothing says the head is a name.
    let cues = gazetteer.cues.of(head);
    country
        && !gazetteer.cues.is_empty()
        && head.chars().next().is_some_and(char::is_uppercase)
        && head.chars().all(char::is_alphabetic)
        && [
            Cue::CommonWord,
            Cue::OrganisationSuffix,
            Cue::OrganisationHead,
            Cue::LocationHead,
            Cue::Honorific,
            Cue::PersonRole,
            Cue::NotName,
        ]
        .iter()
        .all(|&cue| !cues.has(cue))
}

/// Months and weekdays.
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Whether `word`, right after a match ending at `end`, dates the story rather than continuing
/// a name: a weekday ("talks in Tokyo Monday"), or a month before a day's number ("will reopen
/// in Ottawa April nine", "Paris March 3"). A month alone may be part of a name ("the Million
/// Man March").
fn dated(text: &str, end: usize, word: &str) -> bool {
    if WEEKDAYS.contains(&word) {
        return true;
    }
    if !MONTHS.contains(&word) {
        return false;
    }
    let day = text[end..]
        .trim_start_matches(' ')
        .get(word.len()..)
        .filter(|rest| rest.starts_with([' ', '\n']))
        .and_then(|rest| rest.split_whitespace().next())
        .map(|day| day.trim_end_matches([',', '.']))
        .unwrap_or_default();
    day.starts_with(|c: char| c.is_ascii_digit())
        || matches!(
            day,
            "one"
                | "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
                | "ten"
                | "eleven"
                | "twelve"
                | "thirteen"
                | "fourteen"
                | "fifteen"
                | "sixteen"
                | "seventeen"
                | "eighteen"
                | "nineteen"
                | "twenty"
                | "thirty"
        )
}

/// Categories of organisations that trade under a name, as a company after a place's name
/// could ("Hanover Insurance Co" may be the KB's "Hanover" firm).
const TRADING_CATEGORIES: &[&str] = &[
    "brand",
    "company",
    "restaurant-chain",
    "retailer",
    "hotel-chain",
    "record-label",
    "broadcaster",
    "airline",
    "bank",
    "newspaper",
    "magazine",
    "organisation",
];

/// Legal forms that end a company's name ("Gillette Co", "Piedmont Aviation Inc"), lower case.
/// Only these make a place's name a company's article-wide: "Ontario Government" or "Paris
/// Club" leave "Ontario" and "Paris" the places elsewhere in the article.
const LEGAL_FORMS: &[&str] = &[
    "inc",
    "inc.",
    "incorporated",
    "corp",
    "corp.",
    "corporation",
    "co",
    "co.",
    "company",
    "ltd",
    "ltd.",
    "limited",
    "plc",
    "llc",
    "ag",
    "sa",
    "s.a.",
    "spa",
    "nv",
    "n.v.",
    "gmbh",
    "bhd",
    "holdings",
    "bancorp",
];

/// The rest of a company's name after a match: up to six capitalised words (with "and" or
/// "&" between them) of which one is a legal form ("Steel Corp", "Power and Light Co",
/// "Aviation Inc's"). Line breaks inside the name count as spaces; a blank line ends it.
fn company_after(text: &str, end: usize) -> Option<String> {
    let mut stop = text.len().min(end + 80);
    while !text.is_char_boundary(stop) {
        stop -= 1;
    }
    let rest = &text[end..stop];
    if !rest.starts_with([' ', '\n']) {
        return None;
    }
    let rest = rest.split("\n\n").next().unwrap_or(rest);
    let mut name = Vec::new();
    for token in rest.split_whitespace().take(6) {
        let word = token
            .trim_end_matches([',', ';', ':', ')'])
            .trim_end_matches("'s")
            .trim_end_matches("’s");
        let connector = matches!(word, "and" | "&" | "&amp;");
        if !connector && !word.starts_with(|c: char| c.is_uppercase()) {
            return None;
        }
        name.push(word);
        if !connector && LEGAL_FORMS.contains(&word.to_lowercase().as_str()) {
            return Some(name.join(" "));
        }
        if word.len() < token.len() {
            // Punctuation after the word ends the name.
            return None;
        }
    }
    None
}

/// A place joined by a hyphen to a capitalised word that starts or ends no other candidate:
/// the compound ("BRISTOL-MYERS", "Knight-Ridder"). "Paris-based", "Dallas-Fort Worth" and
/// a headline's "… NEW YORK-USDA" are no compounds of one name.
fn hyphen_compound(
    text: &str,
    candidate: &Candidate,
    edges: &HashSet<(Field, usize)>,
) -> Option<String> {
    let (start, end) = (candidate.start, candidate.end);
    let capitalised = |word: &str| word.starts_with(|c: char| c.is_uppercase());
    let word_chars = |c: char| c.is_alphanumeric() || c == '\'';
    if let Some(after) = text[end..].strip_prefix('-') {
        let len = after.find(|c: char| !word_chars(c)).unwrap_or(after.len());
        let word = &after[..len];
        // A headline's last word after a hyphen is its source ("… NEW YORK-USDA").
        let last = after[len..]
            .trim_start_matches([' ', '\t'])
            .starts_with('\n')
            || after[len..].trim().is_empty();
        if capitalised(word) && !last && !edges.contains(&(candidate.field, end + 1)) {
            return Some(format!("{}-{word}", &text[start..end]));
        }
    }
    if let Some(before) = text[..start].strip_suffix('-') {
        let begin = before.rfind(|c: char| !word_chars(c)).map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
        let word = &before[begin..];
        if capitalised(word) && !edges.contains(&(candidate.field, start - 1)) {
            return Some(format!("{word}-{}", &text[start..end]));
        }
    }
    None
}

/// Where a place's name is part of a longer one in ways [`name_part`] leaves to the caller:
/// in a line of capitals, an organisation's last word after it ("HANOVER INSURANCE CO");
/// anywhere, a middle initial and a name after it ("David F. La Roche"), or a given name
/// before it at a sentence start ("Jonathan Nelson said").
fn more_name_part(gazetteer: &Gazetteer, text: &str, candidate: &Candidate) -> Option<NamePart> {
    let (start, end) = (candidate.start, candidate.end);
    let cues = &gazetteer.cues;
    let after = &text[end..];
    let next = after
        .strip_prefix(' ')
        .map(|rest| rest.split([' ', '\n']).next().unwrap_or(rest));
    if let Some(word) = next {
        let caps =
            |w: &str| w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase);
        if caps(&text[start..end]) && caps(word) && cues.is(Cue::OrganisationSuffix, word) {
            return Some(NamePart::Followed(word.to_owned()));
        }
        let mut initial = word.chars();
        if let (Some(letter), Some('.'), None) = (initial.next(), initial.next(), initial.next())
            && letter.is_uppercase()
            && after[1 + word.len()..]
                .strip_prefix(' ')
                .is_some_and(|rest| {
                    let mut chars = rest.chars();
                    chars.next().is_some_and(char::is_uppercase)
                        && chars.next().is_some_and(char::is_lowercase)
                })
        {
            return Some(NamePart::Followed(word.to_owned()));
        }
    }
    let (word, begin) = previous_word(text, start)?;
    let mut chars = word.chars();
    (chars.next().is_some_and(char::is_uppercase)
        && chars.any(char::is_lowercase)
        && cues.is(Cue::GivenName, word)
        && !cues.is(Cue::CommonWord, word)
        && sentence_start(text, begin))
    .then(|| NamePart::Preceded(word.to_owned()))
}
