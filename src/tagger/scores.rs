//! Match scores: "beat Brazil 2-1", "won 6-4 6-2", "Azerbaijan 0-1 England", "a 21-18 win".
//! A results story often names no sport word at all, only sides and scores, and a score in its
//! context is what says sport. The lexicon lists the cue `<score>` under the topic it is
//! evidence for, with its weight (`gazetteer::format`), like any keyword; each score found
//! counts as one occurrence of it.
//!
//! A number pair `A-B` (one to three digits each, a token of its own) is a score when its
//! sentence says so: a second score right after it (tennis sets, "6-4, 6-2"), a word of winning
//! or losing shortly before it ("beat", "defeated", "leads") or right after it ("win",
//! "victory", "halftime"), or a name on each side ("Azerbaijan 0-1 England", two digits at most
//! each: "Boeing 737-800 Order" is a model). Left out: a pair inside a longer run of numbers
//! (dates, "10-18-19-22"), after a month ("November 16-18"), before a unit or a vote ("1-3 pct",
//! "5-4 ruling", "18-24 year-olds"), and an even split ("50-50").

use super::candidates::KeywordHit;
pub(crate) use crate::gazetteer::SCORE_CUE;
use crate::gazetteer::ScoreCue;
use crate::proto::Field;

/// The form a `<score>` hit carries in place of a matched keyword's: explain names it `<score>`.
pub(crate) const SCORE_FORM: u32 = u32::MAX;

/// Words before a score, at most [`VERB_REACH`] words back in its sentence, that make it one.
const BEFORE: &[&str] = &[
    "beat",
    "beats",
    "beating",
    "defeat",
    "defeats",
    "defeated",
    "defeating",
    "won",
    "win",
    "wins",
    "winning",
    "lost",
    "lose",
    "loses",
    "losing",
    "edge",
    "edges",
    "edged",
    "rout",
    "routs",
    "routed",
    "routing",
    "drew",
    "draw",
    "draws",
    "tied",
    "ties",
    "downed",
    "downs",
    "topped",
    "tops",
    "blanked",
    "whipped",
    "crushed",
    "thrashed",
    "nipped",
    "nip",
    "nips",
    "hammered",
    "trounced",
    "outscored",
    "lead",
    "leads",
    "led",
    "leading",
    "trail",
    "trails",
    "trailed",
    "trailing",
    "hold",
    "holds",
    "held",
    "overpowered",
    "upset",
    "stunned",
    "swept",
    "survived",
    "scored",
];

/// Words right after a score (within two words) that make it one: "a 2-1 win", "21-18 at
/// halftime".
const AFTER: &[&str] = &[
    "win",
    "wins",
    "victory",
    "victories",
    "defeat",
    "defeats",
    "loss",
    "losses",
    "lead",
    "draw",
    "tie",
    "triumph",
    "thrashing",
    "rout",
    "drubbing",
    "halftime",
    "half-time",
    "overtime",
    "aggregate",
    "penalties",
    "shootout",
    "extra",
    "home",
    "away",
    "scoreline",
];

/// Words after a pair that make it something else: units, shares, votes, ages.
const NOT_AFTER: &[&str] = &[
    "pct",
    "percent",
    "per",
    "%",
    "year",
    "years",
    "year-old",
    "year-olds",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "hour",
    "hours",
    "minute",
    "minutes",
    "inch",
    "inches",
    "foot",
    "feet",
    "mile",
    "miles",
    "vote",
    "votes",
    "voted",
    "ruling",
    "decision",
    "majority",
    "margin",
    "verdict",
    "split",
    "mm",
    "cm",
    "km",
    "kg",
    "am",
    "pm",
    "a.m",
    "p.m",
];

const MONTHS: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];

/// How many words back a word of winning may stand: "beat Victor Hanescu of Romania 6-4".
const VERB_REACH: usize = 6;

/// The `<score>` hits of one field.
pub(crate) fn hits(cue: ScoreCue, text: &str, field: Field) -> Vec<KeywordHit> {
    scores(text)
        .into_iter()
        .map(|start| KeywordHit {
            topic: cue.topic,
            form: SCORE_FORM,
            weight: cue.weight,
            supporting: cue.supporting,
            field,
            start,
        })
        .collect()
}

/// A number pair found in the text: where it starts and ends.
#[derive(Debug, Clone, Copy)]
struct Pair {
    start: usize,
    end: usize,
}

/// The start of each match score in `text`.
pub(crate) fn scores(text: &str) -> Vec<usize> {
    let pairs = pairs(text);
    let mut found = Vec::new();
    for (i, pair) in pairs.iter().enumerate() {
        let before = &text[..pair.start];
        let after = &text[pair.end..];
        let set_after = pairs
            .get(i + 1)
            .is_some_and(|next| joined(&text[pair.end..next.start]));
        let set_before = i > 0 && joined(&text[pairs[i - 1].end..pair.start]);
        let scored = set_after
            || set_before
            || words_back(before, VERB_REACH)
                .into_iter()
                .any(|w| BEFORE.contains(&w.to_ascii_lowercase().as_str()))
            || words_ahead(after, 2)
                .into_iter()
                .any(|w| AFTER.contains(&w.to_ascii_lowercase().as_str()))
            // Between names only a goal or a set score: a headline in title case writes
            // "Boeing 737-800 Order" the same way.
            || (pair.end - pair.start <= 5
                && capitalised(words_back(before, 1).first().copied())
                && capitalised(words_ahead(after, 1).first().copied()));
        if scored {
            found.push(pair.start);
        }
    }
    found
}

/// Whether the text between two pairs joins them as one result: a space, a comma, a
/// tie-break in brackets ("7-6 (4), 7-5").
fn joined(between: &str) -> bool {
    let rest = between.trim_start_matches([' ', ',']);
    let rest = match rest.strip_prefix('(') {
        Some(inner) => match inner.split_once(')') {
            Some((digits, rest))
                if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) =>
            {
                rest
            }
            _ => return false,
        },
        None => rest,
    };
    between.len() <= 12 && rest.trim_start_matches([' ', ',']).is_empty()
}

/// The number pairs that may be scores, in order.
fn pairs(text: &str) -> Vec<Pair> {
    let bytes = text.as_bytes();
    let mut pairs = Vec::new();
    let mut i = 0;
    while let Some(offset) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'-'))
    {
        let dash = i + offset;
        i = dash + 1;
        let digits_before = bytes[..dash]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let digits_after = bytes[dash + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if !(1..=3).contains(&digits_before) || !(1..=3).contains(&digits_after) {
            continue;
        }
        let (start, end) = (dash - digits_before, dash + 1 + digits_after);
        // A token of its own: not inside a run of numbers, a code or a word.
        let left_ok = start == 0 || matches!(bytes[start - 1], b' ' | b'(' | b'\n' | b'\t');
        let right_ok = bytes.get(end).is_none_or(|&b| {
            matches!(
                b,
                b' ' | b',' | b'.' | b';' | b':' | b')' | b'\n' | b'\t' | b'!' | b'?'
            )
        }) && !(bytes.get(end) == Some(&b'.')
            && bytes.get(end + 1).is_some_and(u8::is_ascii_digit))
            && !(bytes.get(end) == Some(&b',')
                && bytes.get(end + 1).is_some_and(u8::is_ascii_digit));
        if !left_ok || !right_ok {
            continue;
        }
        let (a, b) = (&text[start..dash], &text[dash + 1..end]);
        // An even split of a large number is an idiom ("50-50"), not a result.
        if a == b && a.len() > 1 {
            continue;
        }
        let before = &text[..start];
        let after = &text[end..];
        if words_back(before, 1).first().is_some_and(|w| {
            MONTHS.contains(&w.trim_end_matches('.').to_ascii_lowercase().as_str())
        }) {
            continue;
        }
        if words_ahead(after, 1)
            .first()
            .is_some_and(|w| NOT_AFTER.contains(&w.to_ascii_lowercase().as_str()))
            || after.starts_with('%')
        {
            continue;
        }
        pairs.push(Pair { start, end });
    }
    pairs
}

/// How far around a pair its words are read, in bytes: six words and more, and a text of
/// pairs with no sentence stop costs no more per pair than a sentence does.
const REACH_BYTES: usize = 120;

/// Up to `n` words before the end of `before`, nearest first, within its sentence.
fn words_back(before: &str, n: usize) -> Vec<&str> {
    let mut from = before.len().saturating_sub(REACH_BYTES);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let before = &before[from..];
    let sentence = before
        .rfind(['.', '!', '?', ';', '\n'])
        .map_or(before, |stop| &before[stop + 1..]);
    sentence
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .rev()
        .take(n)
        .collect()
}

/// Up to `n` words at the start of `after`, within its sentence.
fn words_ahead(after: &str, n: usize) -> Vec<&str> {
    let mut to = after.len().min(REACH_BYTES);
    while !after.is_char_boundary(to) {
        to -= 1;
    }
    let after = &after[..to];
    let sentence = after
        .find(['!', '?', ';', '\n'])
        .map_or(after, |stop| &after[..stop]);
    sentence
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .take(n)
        .map(|w| w.trim_end_matches('.'))
        .collect()
}

fn capitalised(word: Option<&str>) -> bool {
    word.and_then(|w| w.chars().next())
        .is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::scores;

    fn found(text: &str) -> Vec<&str> {
        scores(text)
            .into_iter()
            .map(|start| {
                let end = text[start..]
                    .find(|c: char| !(c.is_ascii_digit() || c == '-'))
                    .map_or(text.len(), |e| start + e);
                &text[start..end]
            })
            .collect()
    }

    #[test]
    fn results_are_scores() {
        assert_eq!(found("Pakistan defeated India 3-0 here."), ["3-0"]);
        assert_eq!(
            found("Nieminen overpowered Nalbandian 6-2 2-6 6-2 at the Open."),
            ["6-2", "2-6", "6-2"]
        );
        assert_eq!(
            found("beating Youzhny, 7-6 (4), 7-5, to claim"),
            ["7-6", "7-5"]
        );
        assert_eq!(found("Football: Azerbaijan 0-1 England"), ["0-1"]);
        assert_eq!(found("They clinched a 21-18 win on Sunday."), ["21-18"]);
        assert_eq!(found("Dodgers Nip Giants 3-2 in Crucial Series"), ["3-2"]);
    }

    #[test]
    fn a_text_of_pairs_is_read_in_linear_time() {
        // No sentence stop anywhere: each pair still reads only its neighbourhood.
        let text = "beat 1-0 ".repeat(200_000);
        assert_eq!(scores(&text).len(), 200_000);
        let text = "x 1-0 é".repeat(200_000);
        assert!(scores(&text).is_empty());
    }

    #[test]
    fn dates_units_votes_and_ranges_are_not() {
        for text in [
            "Apple releases Security Update 2004-09-30",
            "Huygens fly-by on 27-10-2004.",
            "The numbers drawn were 10-18-19-22 on Friday.",
            "The conference is on November 16-18 in Las Vegas.",
            "Wal-Mart sales seen up 1-3 pct.",
            "The court decided in a 5-4 ruling that the law stands.",
            "Delta to cut 6,000-6,900 jobs.",
            "The firms formed a 50-50 venture.",
            "It buys four Boeing 737-800 aircraft.",
            "Qantas Adds Boeing 737-800 Order",
            "He was held for over 2-1/2 years.",
            "The ratio was 3-1 across the sample.",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
