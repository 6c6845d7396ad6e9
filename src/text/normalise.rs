//! Normalisation: a folded copy of a text field with an exact map back to the original.
//!
//! The folded copy is what the Aho-Corasick automaton scans, so every way the same name can be
//! written must fold to the same bytes: full Unicode case folding, typographic quotes and
//! dashes, NFKC compatibility forms (full-width letters), any run of whitespace to one space,
//! invisible format characters (soft hyphen, zero-width space) dropped, and Cyrillic or Greek
//! look-alike letters inside otherwise Latin words ("Сentral" with a Cyrillic С) to Latin.
//!
//! News text is overwhelmingly ASCII, and full case folding costs ten times an ASCII lower-case
//! copy, so ASCII runs take a fast path copied in bulk; only non-ASCII characters (and
//! whitespace runs) go through the full treatment, each recorded as one unit in the map.

use memchr::memmem;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::is_word_char;

/// A normalised field and the map from its byte positions back to the original's.
#[derive(Debug, Clone)]
pub struct Normalised {
    /// The folded text the automaton runs over.
    pub text: String,
    /// Positions in `text` back to positions in the original.
    pub map: OffsetMap,
}

/// A run of normalised bytes and the original bytes it came from.
///
/// Linear runs map byte for byte (ASCII); a unit (one folded character with its combining
/// marks, or a whitespace run) maps as a whole, so a position inside it snaps to its edges and
/// offsets always land on original character boundaries.
#[derive(Debug, Clone, Copy)]
struct Segment {
    normalised: u32,
    original: u32,
    normalised_len: u32,
    original_len: u32,
    linear: bool,
}

/// Maps byte positions of a normalised text back to the original text.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    /// Segments in increasing order of both positions; together they cover both texts.
    segments: Vec<Segment>,
    original_len: u32,
}

impl OffsetMap {
    fn push_linear(&mut self, normalised: usize, original: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.segments.last_mut()
            && last.linear
            && (last.normalised + last.normalised_len) as usize == normalised
            && (last.original + last.original_len) as usize == original
        {
            last.normalised_len += len as u32;
            last.original_len += len as u32;
            return;
        }
        self.segments.push(Segment {
            normalised: normalised as u32,
            original: original as u32,
            normalised_len: len as u32,
            original_len: len as u32,
            linear: true,
        });
    }

    fn push_unit(
        &mut self,
        normalised: usize,
        original: usize,
        normalised_len: usize,
        original_len: usize,
    ) {
        if normalised_len == 0 {
            // Dropped characters (soft hyphens) need no entry: no normalised byte maps to them,
            // and spans around them still cover them because both ends map outward.
            return;
        }
        self.segments.push(Segment {
            normalised: normalised as u32,
            original: original as u32,
            normalised_len: normalised_len as u32,
            original_len: original_len as u32,
            linear: false,
        });
    }

    /// The segment containing normalised byte `position`.
    fn segment(&self, position: usize) -> Option<&Segment> {
        let index = self
            .segments
            .partition_point(|s| (s.normalised as usize) <= position)
            .checked_sub(1)?;
        self.segments.get(index)
    }

    /// [`Self::original_start`] for a scan whose positions never go back: `cursor` (0 at the
    /// start of the scan) remembers the segment reached, so each call steps forward from
    /// there instead of searching all segments (a field with many collapsed line indents has
    /// hundreds of them).
    pub fn original_start_from(&self, cursor: &mut usize, position: usize) -> usize {
        while self
            .segments
            .get(*cursor + 1)
            .is_some_and(|s| (s.normalised as usize) <= position)
        {
            *cursor += 1;
        }
        match self.segments.get(*cursor) {
            Some(s) if (s.normalised as usize) <= position => Self::original_start_in(s, position),
            _ => self.original_start(position),
        }
    }

    fn original_start_in(s: &Segment, position: usize) -> usize {
        if s.linear {
            s.original as usize + (position - s.normalised as usize)
        } else if position >= (s.normalised + s.normalised_len) as usize {
            (s.original + s.original_len) as usize
        } else {
            s.original as usize
        }
    }

    /// Original position of the start of normalised byte `position`.
    pub fn original_start(&self, position: usize) -> usize {
        self.segment(position)
            .map_or(0, |s| Self::original_start_in(s, position))
    }

    /// Original position just after normalised byte `end - 1` (an exclusive end).
    pub fn original_end(&self, end: usize) -> usize {
        if end == 0 {
            return self.original_start(0);
        }
        match self.segment(end - 1) {
            None => self.original_len as usize,
            Some(s) if s.linear => s.original as usize + (end - s.normalised as usize),
            Some(s) => (s.original + s.original_len) as usize,
        }
    }
}

/// Typographic variants folded to their ASCII forms before anything else.
fn typographic(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{02BC}' | '\u{2032}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        _ => return None,
    })
}

/// Invisible format characters that writers and CMSs slip into words.
fn is_dropped(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Cyrillic and Greek letters that are drawn like a Latin letter, with that letter (lower case,
/// since the result is case-folded anyway).
fn latin_lookalike(c: char) -> Option<char> {
    Some(match c {
        'А' | 'а' | 'Α' | 'α' => 'a',
        'В' | 'Β' | 'β' => 'b',
        'С' | 'с' | 'Ϲ' | 'ϲ' => 'c',
        'Е' | 'е' | 'Ε' | 'ε' => 'e',
        'Н' | 'Η' => 'h',
        'һ' => 'h',
        'І' | 'і' | 'Ι' | 'ι' => 'i',
        'Ј' | 'ј' => 'j',
        'К' | 'Κ' | 'κ' => 'k',
        'М' | 'Μ' => 'm',
        'Ν' => 'n',
        'О' | 'о' | 'Ο' | 'ο' => 'o',
        'Р' | 'р' | 'Ρ' | 'ρ' => 'p',
        'Ѕ' | 'ѕ' => 's',
        'Т' | 'Τ' => 't',
        'Х' | 'х' | 'Χ' | 'χ' => 'x',
        'У' | 'у' | 'Υ' | 'γ' => 'y',
        'Ζ' => 'z',
        'ԁ' => 'd',
        _ => return None,
    })
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (('\u{00C0}'..='\u{024F}').contains(&c) && c.is_alphabetic())
}

/// The verdict of [`latin_word_verdict`] for the word last asked about, so that a word full of
/// look-alikes is judged once, not once per letter (which made one long Cyrillic "word"
/// quadratic).
#[derive(Debug, Clone, Copy, Default)]
struct LatinWordCache {
    /// Original byte range of the word judged last.
    start: usize,
    end: usize,
    otherwise_latin: bool,
}

/// Is the look-alike at `position` inside a word that is otherwise Latin? A word entirely in
/// Cyrillic ("США") keeps its letters; "Сentral" gets a Latin C. Each word is walked once:
/// the answer for the whole word is kept in `cache`.
fn in_latin_word(original: &str, position: usize, cache: &mut LatinWordCache) -> bool {
    if (cache.start..cache.end).contains(&position) {
        return cache.otherwise_latin;
    }
    // Both walks stop after MAX_WORD_CHARS: a longer "word" is no word a reader would see as
    // Latin, its letters stay as written, and every look costs a bounded time (a megabyte-long
    // Cyrillic run would otherwise be walked whole before the first character folds, past any
    // deadline).
    let mut before = original[..position]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c));
    let mut start = position;
    let mut long = false;
    for _ in 0..MAX_WORD_CHARS {
        match before.next() {
            Some((i, _)) => start = i,
            None => break,
        }
    }
    long |= before.next().is_some();
    // Once a run is known to be too long, the walk goes further (still bounded) so that the
    // verdict covers a long stretch of it and is not recomputed every few characters.
    let mut end = original.len();
    let mut stepped = 0;
    for (i, c) in original[position..].char_indices().skip(1) {
        if !is_word_char(c) {
            end = position + i;
            break;
        }
        stepped += 1;
        long |= stepped >= MAX_WORD_CHARS;
        if stepped >= if long { LONG_RUN_STEP } else { MAX_WORD_CHARS } {
            end = position + i;
            break;
        }
    }
    let mut has_latin = false;
    let mut foreign = long;
    for c in original[start..end].chars().take_while(|_| !long) {
        if is_latin_letter(c) {
            has_latin = true;
        } else if c.is_alphabetic() && latin_lookalike(c).is_none() {
            foreign = true;
            break;
        }
    }
    *cache = LatinWordCache {
        start: position,
        end,
        otherwise_latin: has_latin && !foreign && !long,
    };
    cache.otherwise_latin
}

/// Longest word, in characters, that [`in_latin_word`] judges; longer runs keep their letters.
const MAX_WORD_CHARS: usize = 64;

/// How far one look covers a run known to be longer than [`MAX_WORD_CHARS`].
const LONG_RUN_STEP: usize = 4096;

/// Per-field memory of what single characters fold to. Folding one character costs two
/// normalisation passes and a few allocations; text in another script repeats the same few
/// dozen letters, so each is folded once per field (a Cyrillic article normalises about five
/// times faster).
#[derive(Default)]
struct FoldCache {
    folded: std::collections::HashMap<char, Box<str>, foldhash::fast::RandomState>,
}

impl FoldCache {
    /// Folds `cluster` onto `out`, from memory when it is one character seen before.
    fn fold_into(&mut self, out: &mut String, cluster: &str) {
        let mut chars = cluster.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            fold_into(out, cluster);
            return;
        };
        // Bounded: a field of every code point ever would otherwise keep them all.
        if self.folded.len() >= 4096 && !self.folded.contains_key(&c) {
            fold_into(out, cluster);
            return;
        }
        let folded = self.folded.entry(c).or_insert_with(|| {
            let mut one = String::new();
            fold_into(&mut one, cluster);
            one.into_boxed_str()
        });
        out.push_str(folded);
    }
}

/// Full Unicode case folding of an NFKC form, itself re-normalised (NFKC_Casefold in spirit).
fn fold_into(out: &mut String, cluster: &str) {
    let compatible: String = cluster.nfkc().collect();
    let folded = caseless::default_case_fold_str(&compatible);
    if folded.is_ascii() {
        out.push_str(&folded);
    } else {
        out.extend(folded.nfkc());
    }
}

/// First position at or after `position` that the ASCII fast path cannot take: a non-ASCII
/// byte, or the backtick (folded to an apostrophe by the slow path). Eight bytes at a time.
fn ascii_run_end(bytes: &[u8], position: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut end = position;
    for chunk in bytes[position..].chunks_exact(8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let backticks = word ^ (ONES * u64::from(b'`'));
        let has_backtick = backticks.wrapping_sub(ONES) & !backticks & HIGH != 0;
        if word & HIGH != 0 || has_backtick {
            break;
        }
        end += 8;
    }
    end + bytes[end..]
        .iter()
        .position(|&b| !b.is_ascii() || b == b'`')
        .unwrap_or(bytes.len() - end)
}

/// Finds double spaces; built once, since building a finder costs more than a short search.
static DOUBLE_SPACE: std::sync::LazyLock<memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memmem::Finder::new(b"  "));

/// ASCII folding: lower case, and every whitespace byte (vertical tab included) to a space.
#[inline]
fn fold_ascii(byte: u8) -> u8 {
    if byte == b' ' || byte.wrapping_sub(b'\t') < 5 {
        b' '
    } else if byte.wrapping_sub(b'A') < 26 {
        byte | 0x20
    } else {
        byte
    }
}

/// Folds the ASCII run `bytes[start..end]` onto `text` byte for byte, then collapses each
/// whitespace run to its first space (dropped spaces need no map entry: spans across them
/// still cover them). Also drops leading spaces when `text` already ends with one.
fn fold_ascii_run(bytes: &[u8], start: usize, end: usize, text: &mut Vec<u8>, map: &mut OffsetMap) {
    let folded_start = text.len();
    text.extend(bytes[start..end].iter().map(|&b| fold_ascii(b)));
    let folded_end = text.len();
    let original_of = |folded: usize| start + (folded - folded_start);
    let mut read = folded_start;
    let mut write = folded_start;
    if text[..folded_start].last() == Some(&b' ') {
        while read < folded_end && text[read] == b' ' {
            read += 1;
        }
    }
    while read < folded_end {
        let segment_end = DOUBLE_SPACE
            .find(&text[read..folded_end])
            .map_or(folded_end, |i| read + i + 1);
        if write != read {
            text.copy_within(read..segment_end, write);
        }
        map.push_linear(write, original_of(read), segment_end - read);
        write += segment_end - read;
        read = segment_end;
        while read < folded_end && text[read] == b' ' {
            read += 1;
        }
    }
    text.truncate(write);
}

/// Normalises `original` for matching.
///
/// ```
/// let n = newstag::text::normalise("Russia’s  ＮＡＴＯ\u{00A0}talks");
/// assert_eq!(n.text, "russia's nato talks");
/// ```
pub fn normalise(original: &str) -> Normalised {
    let Some(normalised) = normalise_while(original, || true) else {
        unreachable!("normalise_while only stops when asked to")
    };
    normalised
}

/// How many original bytes [`normalise_while`] folds between two calls of its `keep_going`.
const CHECK_EVERY_BYTES: usize = 16 << 10;

/// [`normalise`], asking `keep_going` every few KiB whether to go on; `None` once it says no.
/// Text in another script folds at a few MB/s, so a 1 MiB field is long enough to outlive a
/// request's deadline.
pub fn normalise_while(original: &str, mut keep_going: impl FnMut() -> bool) -> Option<Normalised> {
    let bytes = original.as_bytes();
    // Built as bytes so ASCII runs can be copied and lowered in bulk; every write is either an
    // ASCII byte or a whole `str`, so the result is always UTF-8.
    let mut text: Vec<u8> = Vec::with_capacity(original.len() + 16);
    let mut map = OffsetMap {
        segments: Vec::new(),
        original_len: original.len() as u32,
    };
    let mut position = 0;
    let mut unit = String::new();
    let mut latin_words = LatinWordCache::default();
    let mut folds = FoldCache::default();
    let mut next_check = CHECK_EVERY_BYTES;
    while position < bytes.len() {
        if position >= next_check {
            if !keep_going() {
                return None;
            }
            next_check = position + CHECK_EVERY_BYTES;
        }
        let mut run_end = ascii_run_end(bytes, position);
        if run_end > position
            && original[run_end..]
                .chars()
                .next()
                .is_some_and(is_combining_mark)
        {
            // A combining mark composes with the base letter before it: the slow path takes
            // both as one unit.
            run_end -= 1;
        }
        if run_end > position {
            fold_ascii_run(bytes, position, run_end, &mut text, &mut map);
        }
        position = run_end;
        if position >= bytes.len() {
            break;
        }
        unit.clear();
        let after_space = text.last() == Some(&b' ');
        position = slow_unit(
            original,
            position,
            (text.len(), after_space),
            &mut unit,
            (&mut map, &mut latin_words, &mut folds),
        );
        text.extend_from_slice(unit.as_bytes());
    }
    let text = String::from_utf8(text)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    Some(Normalised { text, map })
}

/// Normalises the one unit at `position` (a whitespace run, a dropped character, or a
/// character with its combining marks) into `text` (empty on entry), records it in the map at
/// `normalised_start`, and returns the original position after it. `after_space` says the
/// normalised text so far ends with a space.
fn slow_unit(
    original: &str,
    position: usize,
    (normalised_start, after_space): (usize, bool),
    text: &mut String,
    (map, latin_words, folds): (&mut OffsetMap, &mut LatinWordCache, &mut FoldCache),
) -> usize {
    let rest = &original[position..];
    let Some(first) = rest.chars().next() else {
        return original.len();
    };
    if first.is_whitespace() {
        let len = rest
            .char_indices()
            .find(|&(_, c)| !c.is_whitespace())
            .map_or(rest.len(), |(i, _)| i);
        // A run that continues one the text already ends with adds nothing.
        if !after_space {
            text.push(' ');
            map.push_unit(normalised_start, position, 1, len);
        }
        return position + len;
    }
    if is_dropped(first) {
        return position + first.len_utf8();
    }
    let cluster_len = first.len_utf8()
        + rest[first.len_utf8()..]
            .chars()
            .take_while(|&c| is_combining_mark(c))
            .map(char::len_utf8)
            .sum::<usize>();
    if let Some(ascii) = typographic(first) {
        text.push(ascii);
    } else if let Some(latin) = latin_lookalike(first).filter(|_| {
        cluster_len == first.len_utf8() && in_latin_word(original, position, latin_words)
    }) {
        text.push(latin);
    } else {
        folds.fold_into(text, &rest[..cluster_len]);
        // Compatibility forms can contain spaces ("´" is NFKC " \u{301}"): keep the promise
        // of never two spaces in a row.
        if after_space {
            let leading = text.len() - text.trim_start_matches(' ').len();
            text.drain(..leading);
        }
        if text.contains("  ") {
            let mut previous_space = false;
            text.retain(|c| {
                let keep = !(c == ' ' && previous_space);
                previous_space = c == ' ';
                keep
            });
        }
    }
    map.push_unit(normalised_start, position, text.len(), cluster_len);
    position + cluster_len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(original: &str, expected: &str) {
        let n = normalise(original);
        assert_eq!(n.text, expected, "normalising {original:?}");
    }

    #[test]
    fn a_forward_cursor_finds_the_same_original_starts() {
        for original in [
            "",
            "Plain text",
            "  leading and  double   spaces\n    and indents\n",
            "Russia’s “NATO” – Ger\u{00AD}many, café\u{0301}, ﬁnance, Ａ Ｂ",
            "Сentral США",
        ] {
            let map = &normalise(original).map;
            let len = normalise(original).text.len();
            for step in 1..4 {
                let mut cursor = 0;
                for position in (0..=len).step_by(step) {
                    assert_eq!(
                        map.original_start_from(&mut cursor, position),
                        map.original_start(position),
                        "{original:?} at {position}"
                    );
                }
            }
        }
    }

    #[test]
    fn folding_table() {
        check("Russia’s", "russia's");
        check("Russia‘s", "russia's");
        check("Russiaʼs", "russia's");
        check("“NATO”", "\"nato\"");
        check("Russia–Ukraine — war", "russia-ukraine - war");
        check("a\u{00A0}b", "a b");
        check("a \n\n\t b", "a b");
        check("a\nb", "a b");
        check("a \u{00A0} \u{2003}\n b", "a b");
        check("  lead and trail  ", " lead and trail ");
        check("x\u{00A0}  y", "x y");
        check(" \u{00B4}", " \u{301}");
        check("ＮＡＴＯ", "nato");
        check("STRASSE Straße", "strasse strasse");
        check("Сentral", "central");
        // A 100-letter "word" is no word: its look-alikes stay as written.
        check(
            &format!("С{}", "e".repeat(100)),
            &format!("с{}", "e".repeat(100)),
        );
        // Under the cap, a long mixed word still folds to Latin.
        check(&"аb".repeat(30), &"ab".repeat(30));
        check("США", "сша");
        check("ΑΘΗΝΑ", "αθηνα");
        check("Rus\u{00AD}sia", "russia");
        check("Cafe\u{0301}", "café");
        check("İstanbul", "i\u{307}stanbul");
    }

    #[test]
    fn offsets_map_back_to_original() {
        let original = "Le  «Сentral» ＮＡＴＯ’s café";
        let n = normalise(original);
        let at = n.text.find("nato").unwrap();
        let start = n.map.original_start(at);
        let end = n.map.original_end(at + 4);
        assert_eq!(&original[start..end], "ＮＡＴＯ");
        let at = n.text.find("central").unwrap();
        let start = n.map.original_start(at);
        let end = n.map.original_end(at + "central".len());
        assert_eq!(&original[start..end], "Сentral");
    }
}
