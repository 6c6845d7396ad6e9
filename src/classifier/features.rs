//! The features of one article, as the trainer and the tagger both compute them.
//!
//! - `w:<word>`: each lower-cased word of the title and body (letters and digits; numbers
//!   become `w:#`) up to [`MAX_WORDS`] of each, the title's words counted twice: a headline
//!   says what a story is about;
//! - `p:<word> <word>`: each pair of adjacent words in a sentence ("interest rates",
//!   "world cup");
//! - `e:<entity id>` and `c:<category>`: the entities newstag tagged (a story full of clubs
//!   and athletes is sport whatever its words), `t:<type>` for names no gazetteer row holds.
//!
//! A feature's value is `1 + ln(count)`, and the article's vector has unit length, so a long
//! story and a brief weigh alike. A model then weighs each feature by its inverse document
//! frequency in the training archive ([`weigh`]): "said" is in every story, "wicket" in few.

use std::collections::BTreeMap;

/// An article's features: names with values, sorted by name, unit length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleFeatures(pub Vec<(String, f32)>);

/// Words shorter than this carry little (articles, "of", "a"), except numbers.
const MIN_WORD_CHARS: usize = 2;

/// Features read the first this many words of the title and of the body. A story's lead
/// says what it is about, and a long feature, a transcript or a hostile body then costs no
/// more than a brief. Every word read is hashed, counted and looked up in the model's tables
/// while tagging, so this bounds what a loaded model costs the engine (docs/PERFORMANCE.md).
/// Reuters-21578 5-fold (42 % of its words read): micro-F1 0.840, as with 100 words, against
/// 0.845 reading every word; the top label right for 93.5 % (93.6 with 100); 40 words lose
/// recall (0.836). AG News items are shorter than this.
pub const MAX_WORDS: usize = 60;

/// The features of an article whose tagged entities are `entities` (id, type, category; an
/// unlinked entity has an empty category and an id starting with `unlinked:`).
pub fn extract<'a>(
    title: &str,
    body: &str,
    entities: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
) -> ArticleFeatures {
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    each_feature(title, body, entities, |prefix, first, second, weight| {
        let name = match second {
            None => format!("{prefix}{first}"),
            Some(second) => format!("{prefix}{first} {second}"),
        };
        *counts.entry(name).or_default() += weight;
    });
    let mut features: Vec<(String, f32)> = counts
        .into_iter()
        .map(|(name, n)| (name, count_value(n)))
        .collect();
    let norm = features.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, v) in &mut features {
            *v /= norm;
        }
    }
    ArticleFeatures(features)
}

/// A feature's value before weighing: `1 + ln(count)`. Counts are small (a word a few times
/// in a story, a title's twice), and an article has a hundred or more features: their
/// values are read from a table computed once, as the same expression gives them.
pub fn count_value(count: u32) -> f32 {
    static SMALL: std::sync::LazyLock<[f32; 64]> =
        std::sync::LazyLock::new(|| std::array::from_fn(|n| 1.0 + (n as f32).ln()));
    match SMALL.get(count as usize) {
        Some(&value) => value,
        None => 1.0 + (count as f32).ln(),
    }
}

/// Every feature occurrence of an article, as `emit(prefix, first, second, weight)`: the
/// feature's name is `prefix` + `first`, then a space and `second` for a word pair. The named
/// features of [`extract`] come from here, and the hashed ones a model looks up while tagging
/// ([`each_feature_hash`]) read the same words ([`each_word`]), so they cannot disagree.
pub fn each_feature<'a>(
    title: &str,
    body: &str,
    entities: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    mut emit: impl FnMut(&str, &str, Option<&str>, u32),
) {
    let (mut previous, mut current) = (String::new(), String::new());
    each_word(title, body, |word, weight, paired| {
        current.clear();
        match word {
            Word::Ascii(bytes) => {
                current.extend(bytes.iter().map(|&b| char::from(b.to_ascii_lowercase())))
            }
            Word::Folded(folded) => current.push_str(folded),
            Word::Number => current.push('#'),
        }
        emit("w:", &current, None, weight);
        if paired {
            emit("p:", &previous, Some(&current), weight);
        }
        std::mem::swap(&mut previous, &mut current);
    });
    each_entity_feature(entities, |prefix, name| emit(prefix, name, None, 1));
}

/// [`each_feature`] as `emit(feature_hash, weight)`, each word hashed once for itself and
/// the pairs it is in: what the tagger computes for every article. A word in ASCII (most of
/// news) is hashed straight from the text, lower-cased eight bytes at a time as it is read,
/// with no copy.
pub fn each_feature_hash<'a>(
    title: &str,
    body: &str,
    entities: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    mut emit: impl FnMut(u64, u32),
) {
    let (word_prefix, pair_prefix, number) = (part_hash("w:"), part_hash("p:"), part_hash("#"));
    let mut previous = 0;
    each_word(title, body, |word, weight, paired| {
        let hash = match word {
            Word::Ascii(bytes) => bytes_hash(bytes, LOWER_ASCII_ALNUM),
            Word::Folded(folded) => part_hash(folded),
            Word::Number => number,
        };
        emit(combine(word_prefix, hash), weight);
        if paired {
            emit(combine(combine(pair_prefix, previous), hash), weight);
        }
        previous = hash;
    });
    each_entity_feature(entities, |prefix, name| {
        emit(feature_hash(prefix, name, None), 1);
    });
}

/// The features of the tagged entities: `e:<id>` and `c:<category>`, `t:<type>` for a name
/// no row holds.
fn each_entity_feature<'a>(
    entities: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    mut emit: impl FnMut(&str, &str),
) {
    for (id, entity_type, category) in entities {
        if id.starts_with("unlinked:") {
            emit("t:", entity_type);
            continue;
        }
        emit("e:", id);
        if !category.is_empty() {
            emit("c:", category);
        }
    }
}

/// A word as [`each_word`] reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Word<'a> {
    /// Letters and digits in ASCII as the text has them: the word is these bytes lower-cased
    /// (hashing does it eight bytes at a time as `b | 0x20`, which lower-cases an ASCII letter
    /// and leaves a digit as it is, the same as `u8::to_ascii_lowercase` on these bytes).
    Ascii(&'a [u8]),
    /// A word with a letter beyond ASCII, lower-cased.
    Folded(&'a str),
    /// A number, all digits: the feature `#`.
    Number,
}

/// Every word of the title (weight 2) and the body (weight 1) as features read it, lower-cased,
/// a number as `#`, words of one letter left out: `on_word(word, weight, paired)`, where
/// `paired` says the word follows another in the same sentence (a word pair; a word left out
/// does not break it). One pass over the bytes; a word in ASCII is handed over as the slice
/// of the text it is, the others lower-cased into one buffer.
fn each_word(title: &str, body: &str, mut on_word: impl FnMut(Word<'_>, u32, bool)) {
    let mut folded = String::with_capacity(32);
    for (text, weight) in [(title, 2), (body, 1)] {
        if text.is_ascii() {
            each_ascii_word(text.as_bytes(), weight, &mut on_word);
        } else {
            each_text_word(text, weight, &mut folded, &mut on_word);
        }
    }
}

/// [`each_word`] of one text, character by character, lower-casing into `folded` the words
/// with a letter beyond ASCII.
fn each_text_word(
    text: &str,
    weight: u32,
    folded: &mut String,
    on_word: &mut impl FnMut(Word<'_>, u32, bool),
) {
    let (mut paired, mut words) = (false, 0);
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let c = char_at(text, i).unwrap_or(char::REPLACEMENT_CHARACTER);
        if c.is_alphanumeric() {
            words += 1;
            if words > MAX_WORDS {
                return;
            }
        }
        if b.is_ascii_alphanumeric() {
            let start = i;
            while bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
                i += 1;
            }
            if char_at(text, i).is_some_and(|c| !c.is_ascii() && c.is_alphanumeric()) {
                // "Zürich": the rest of the word is read into the buffer.
                folded.clear();
                folded.extend(
                    bytes[start..i]
                        .iter()
                        .map(|&b| char::from(b.to_ascii_lowercase())),
                );
                i = read_folded(text, i, folded);
                hand_over(Word::Folded(folded), weight, &mut paired, on_word);
            } else {
                hand_over(Word::Ascii(&bytes[start..i]), weight, &mut paired, on_word);
            }
            continue;
        }
        if !c.is_ascii() && c.is_alphanumeric() {
            folded.clear();
            i = read_folded(text, i, folded);
            hand_over(Word::Folded(folded), weight, &mut paired, on_word);
            continue;
        }
        i += c.len_utf8();
        if c == '\u{2019}' || (c.is_ascii() && is_pair_stop(c as u8)) {
            paired = false;
        }
    }
}

/// [`each_word`] of a text all in ASCII (most of news), with few branches: a word boundary
/// is as unpredictable to the processor as the text, and a branch it mispredicts per boundary
/// costs more than everything else the reading does. Each block of 64 bytes becomes two bit
/// masks, its letters and digits and its sentence stops, and the words are walked from bit to
/// bit.
fn each_ascii_word(bytes: &[u8], weight: u32, on_word: &mut impl FnMut(Word<'_>, u32, bool)) {
    let block_count = bytes.len().div_ceil(64);
    // A block's masks are made when the walk reaches the block before it (a word's end is
    // seen from the next block's first byte), so a text cut off at [`MAX_WORDS`] is not read to
    // its end.
    let masks_of = |block: usize| match bytes.get(block * 64..) {
        Some(rest) => match rest.first_chunk::<64>() {
            Some(full) => block_masks(full),
            None => {
                let mut last = [0u8; 64];
                last[..rest.len()].copy_from_slice(rest);
                block_masks(&last)
            }
        },
        None => (0, 0),
    };
    let mut stops = Vec::with_capacity(block_count);
    let mut next = masks_of(0);
    let (mut paired, mut words, mut previous_letters) = (false, 0, 0u64);
    // Where the word being read started, and where the last one ended.
    let (mut start, mut last_end) = (None, 0usize);
    for block in 0..block_count {
        let (letter, stop) = next;
        stops.push(stop);
        next = masks_of(block + 1);
        let mut starts = letter & !((letter << 1) | (previous_letters >> 63));
        // The bit of each word's last byte.
        let mut ends = letter & !((letter >> 1) | (next.0 << 63));
        previous_letters = letter;
        loop {
            let word_start = match start {
                Some(word_start) => word_start,
                None if starts != 0 => {
                    let word_start = block * 64 + starts.trailing_zeros() as usize;
                    starts &= starts - 1;
                    if any_bit(&stops, last_end, word_start) {
                        paired = false;
                    }
                    word_start
                }
                None => break,
            };
            if ends == 0 {
                start = Some(word_start);
                break;
            }
            let word_end = block * 64 + ends.trailing_zeros() as usize + 1;
            ends &= ends - 1;
            start = None;
            last_end = word_end;
            words += 1;
            if words > MAX_WORDS {
                return;
            }
            if let Some(word) = bytes.get(word_start..word_end) {
                hand_over(Word::Ascii(word), weight, &mut paired, on_word);
            }
        }
    }
}

/// The letters and digits, and the sentence stops ([`is_pair_stop`]), of a block of 64 bytes
/// as bit masks (bit `i` for byte `i`).
#[cfg(target_arch = "x86_64")]
fn block_masks(block: &[u8; 64]) -> (u64, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x,
        _mm_set1_epi8, _mm_setzero_si128, _mm_sub_epi8,
    };
    // Sixteen bytes at a time: a byte is in `first..first + n` when `byte - first`, unsigned,
    // is at most `n - 1`.
    // SAFETY: these intrinsics take no pointers and need SSE2 only, which every x86-64
    // processor has (it is part of the target's baseline).
    unsafe {
        let in_range = |bytes: __m128i, first: u8, n: u8| {
            let offset = _mm_sub_epi8(bytes, _mm_set1_epi8(first as i8));
            _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8((n - 1) as i8)), offset)
        };
        let (mut letters, mut stops) = (0u64, 0u64);
        for (index, part) in block.as_chunks::<16>().0.iter().enumerate() {
            let value = u128::from_le_bytes(*part);
            let bytes = _mm_set_epi64x((value >> 64) as i64, value as i64);
            let lower = _mm_or_si128(bytes, _mm_set1_epi8(0x20));
            let letter = _mm_or_si128(in_range(lower, b'a', 26), in_range(bytes, b'0', 10));
            let mut stop = _mm_setzero_si128();
            for b in PAIR_STOPS {
                stop = _mm_or_si128(stop, _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b as i8)));
            }
            letters |= u64::from(_mm_movemask_epi8(letter) as u16) << (16 * index);
            stops |= u64::from(_mm_movemask_epi8(stop) as u16) << (16 * index);
        }
        (letters, stops)
    }
}

/// [`block_masks`] a byte at a time, where SSE2 is not at hand.
#[cfg(not(target_arch = "x86_64"))]
fn block_masks(block: &[u8; 64]) -> (u64, u64) {
    block
        .iter()
        .enumerate()
        .fold((0, 0), |(letters, stops), (bit, &b)| {
            (
                letters | u64::from(b.is_ascii_alphanumeric()) << bit,
                stops | u64::from(is_pair_stop(b)) << bit,
            )
        })
}

/// The ASCII characters that end word pairs ([`is_pair_stop`]).
const PAIR_STOPS: [u8; 10] = [b'\'', b'.', b'!', b'?', b';', b':', b'\n', b'(', b')', b'"'];

/// Whether a character ends word pairs: a sentence's end, and a possessive ("Russia's" →
/// "russia": it says nothing of the topic).
fn is_pair_stop(b: u8) -> bool {
    PAIR_STOPS.contains(&b)
}

/// Whether any bit from `from` to before `to` is set in `bits` (bit `i` of word `i / 64`).
fn any_bit(bits: &[u64], from: usize, to: usize) -> bool {
    let mut at = from;
    while at < to {
        let Some(&word) = bits.get(at / 64) else {
            return false;
        };
        let offset = at % 64;
        let n = (to - at).min(64 - offset);
        let mask = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
        if (word >> offset) & mask != 0 {
            return true;
        }
        at += n;
    }
    false
}

/// The character starting at byte `i` of `text`, if one does.
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|rest| rest.chars().next())
}

/// Reads the letters and digits from byte `i` on into `folded`, lower-cased; returns where
/// the word ends.
fn read_folded(text: &str, mut i: usize, folded: &mut String) -> usize {
    while let Some(c) = char_at(text, i) {
        if !c.is_alphanumeric() {
            break;
        }
        folded.extend(c.to_lowercase());
        i += c.len_utf8();
    }
    i
}

/// Hands a word to `on_word` (see [`each_word`]): a number as [`Word::Number`], a word
/// shorter than [`MIN_WORD_CHARS`] not at all.
fn hand_over(
    word: Word<'_>,
    weight: u32,
    paired: &mut bool,
    on_word: &mut impl FnMut(Word<'_>, u32, bool),
) {
    let word = match word {
        Word::Ascii(bytes) if bytes.iter().all(u8::is_ascii_digit) => Word::Number,
        Word::Ascii(bytes) if bytes.len() < MIN_WORD_CHARS => return,
        Word::Folded(folded) if folded.bytes().all(|b| b.is_ascii_digit()) => Word::Number,
        Word::Folded(folded) if folded.chars().nth(MIN_WORD_CHARS - 1).is_none() => return,
        word => word,
    };
    on_word(word, weight, *paired);
    *paired = true;
}

/// The hash of a feature's name given as its parts (see [`each_feature`]); the same as
/// [`name_hash`] of the whole name. Each part is hashed alone and the hashes combined, so a
/// word is hashed once for its own feature and both pairs it is in.
pub fn feature_hash(prefix: &str, first: &str, second: Option<&str>) -> u64 {
    let hash = combine(part_hash(prefix), part_hash(first));
    match second {
        None => hash,
        Some(second) => combine(hash, part_hash(second)),
    }
}

/// The hash of a whole feature name: its prefix up to the first `:`, then for a word pair
/// (`p:`) the two words, else the rest as one part.
pub fn name_hash(name: &str) -> u64 {
    let (prefix, rest) = name.split_at(name.find(':').map_or(0, |i| i + 1));
    if prefix == "p:"
        && let Some((first, second)) = rest.split_once(' ')
    {
        return feature_hash(prefix, first, Some(second));
    }
    feature_hash(prefix, rest, None)
}

/// A fixed seed: hashes are computed when a model loads, never stored, so only this process
/// must agree with itself.
const HASH_SEED: u64 = 0x6e65_7773_7461_6721;

/// What [`bytes_hash`] ORs into each byte of an ASCII word: its lower case.
const LOWER_ASCII_ALNUM: u64 = 0x2020_2020_2020_2020;

fn part_hash(part: &str) -> u64 {
    bytes_hash(part.as_bytes(), 0)
}

/// A hash of `bytes`, each ORed with its byte of `or` first, read eight at a time (words are
/// short: most take one or two folded multiplies). The length is mixed in first, so a word
/// and the same word with NUL bytes after it differ.
fn bytes_hash(bytes: &[u8], or: u64) -> u64 {
    let (chunks, rest) = bytes.as_chunks::<8>();
    let mut hash = combine(HASH_SEED, bytes.len() as u64);
    for chunk in chunks {
        hash = combine(hash, u64::from_le_bytes(*chunk) | or);
    }
    if !rest.is_empty() {
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        let mask = or & (u64::MAX >> (64 - 8 * rest.len()));
        hash = combine(hash, u64::from_le_bytes(last) | mask);
    }
    hash
}

/// Two hashes into one, order-sensitive (a folded multiply, as foldhash mixes).
fn combine(a: u64, b: u64) -> u64 {
    let product = u128::from(a ^ 0x243f_6a88_85a3_08d3) * u128::from(b ^ 0x1319_8a2e_0370_7344);
    (product as u64) ^ ((product >> 64) as u64)
}

/// The inverse document frequency of a feature seen in `df` of `n` training articles.
pub fn idf(df: usize, n: usize) -> f32 {
    (((n + 1) as f64 / (df + 1) as f64).ln() + 1.0) as f32
}

/// An article's vector as a model sees it: the features `lookup` knows, each value times its
/// IDF, back to unit length, as (what `lookup` gives, value) in the article's feature order. Features the
/// model never saw are left out, of the norm too: a short story full of new words still
/// weighs by the words the model knows.
pub fn weigh<T>(
    features: &ArticleFeatures,
    lookup: impl Fn(&str) -> Option<(T, f32)>,
) -> Vec<(T, f32)> {
    let mut norm = 0f32;
    let mut known = Vec::with_capacity(features.0.len());
    for (name, value) in &features.0 {
        if let Some((row, idf)) = lookup(name) {
            let weighted = value * idf;
            norm += weighted * weighted;
            known.push((row, weighted));
        }
    }
    let norm = norm.sqrt();
    if norm > 0.0 {
        for (_, v) in &mut known {
            *v /= norm;
        }
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_pairs_entities_and_unit_length() {
        let features = extract(
            "Rates rise",
            "The Fed raised rates. Banks' shares fell 3 percent.",
            [
                ("org:fed", "organisation", "bank"),
                ("unlinked:person:x", "person", ""),
            ],
        );
        let names: Vec<&str> = features.0.iter().map(|(n, _)| n.as_str()).collect();
        for expected in [
            "w:rates",
            "p:rates rise",
            "p:raised rates",
            "w:#",
            "p:fell #",
            "e:org:fed",
            "c:bank",
            "t:person",
        ] {
            assert!(names.contains(&expected), "{expected} in {names:?}");
        }
        // No pair across a sentence end.
        assert!(!names.contains(&"p:rates banks"), "{names:?}");
        let norm: f32 = features.0.iter().map(|(_, v)| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-5);
        // The title counts twice: "rates" (title + body) outweighs "raised" (body once).
        let value = |n: &str| features.0.iter().find(|(f, _)| f == n).map(|(_, v)| *v);
        assert!(value("w:rates") > value("w:raised"));
    }

    #[test]
    fn hashes_of_parts_and_of_names_agree() {
        let mut names = Vec::new();
        each_feature(
            "Rates rise",
            "Banks fell.",
            [("org:fed", "organisation", "bank")],
            |p, a, b, _| {
                let name = match b {
                    None => format!("{p}{a}"),
                    Some(b) => format!("{p}{a} {b}"),
                };
                assert_eq!(feature_hash(p, a, b), name_hash(&name), "{name}");
                names.push(name);
            },
        );
        assert!(names.contains(&"p:rates rise".to_owned()), "{names:?}");
    }

    #[test]
    fn the_hashed_features_are_the_named_ones() {
        let (title, body) = (
            "Zürich's bank RISES 3%",
            "Shares of UBS rose 12.5 percent; a banker said: \u{201c}Good\u{201d}.\nNext line",
        );
        let entities = [
            ("org:ubs", "organisation", "bank"),
            ("unlinked:", "person", ""),
        ];
        let mut named = Vec::new();
        each_feature(title, body, entities, |p, a, b, w| {
            named.push((feature_hash(p, a, b), w));
        });
        let mut hashed = Vec::new();
        each_feature_hash(title, body, entities, |h, w| hashed.push((h, w)));
        assert_eq!(named, hashed);
        assert!(named.len() > 20, "{named:?}");
    }

    /// The words of `text` as (word, paired), read by `read`.
    fn words_by(
        text: &str,
        read: impl Fn(&str, &mut dyn FnMut(Word<'_>, u32, bool)),
    ) -> Vec<(String, bool)> {
        let mut words = Vec::new();
        read(text, &mut |word, _, paired| {
            let word = match word {
                Word::Ascii(bytes) => String::from_utf8_lossy(bytes).to_lowercase(),
                Word::Folded(folded) => folded.to_owned(),
                Word::Number => "#".to_owned(),
            };
            words.push((word, paired));
        });
        words
    }

    proptest::proptest! {
        /// The bit-mask reader of ASCII text reads the words and pairs the character reader
        /// does, across blocks of 64 bytes and at the text's ends.
        #[test]
        fn ascii_and_character_readers_agree(text in "[a-zA-Z0-9 .,'!?;:()\"\n-]{0,300}") {
            let ascii = words_by(&text, |t, on_word| each_ascii_word(t.as_bytes(), 1, &mut |w, n, p| on_word(w, n, p)));
            let characters = words_by(&text, |t, on_word| {
                each_text_word(t, 1, &mut String::new(), &mut |w, n, p| on_word(w, n, p));
            });
            proptest::prop_assert_eq!(ascii, characters);
        }
    }

    #[test]
    fn readers_agree_on_long_words_and_block_edges() {
        let long = format!("{} x{}y. Ab cd", "A".repeat(63), "b".repeat(70));
        for text in [long.as_str(), "", ".", "ab", "ab.", " 12 a bc'd (e) fg\nhi"] {
            let ascii = words_by(text, |t, on_word| {
                each_ascii_word(t.as_bytes(), 1, &mut |w, n, p| on_word(w, n, p))
            });
            let characters = words_by(text, |t, on_word| {
                each_text_word(t, 1, &mut String::new(), &mut |w, n, p| on_word(w, n, p));
            });
            assert_eq!(ascii, characters, "{text:?}");
        }
        assert_eq!(
            words_by("Rates rise. Banks, a bank", |t, on_word| each_ascii_word(
                t.as_bytes(),
                1,
                &mut |w, n, p| on_word(w, n, p)
            )),
            [
                ("rates", false),
                ("rise", true),
                ("banks", false),
                ("bank", true)
            ]
            .map(|(w, p)| (w.to_owned(), p))
        );
    }

    #[test]
    fn only_the_first_words_of_a_text_are_read() {
        let long = (0..MAX_WORDS + 50)
            .map(|n| format!("w{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        for body in [long.clone(), format!("Zürich {long}")] {
            let features = extract("", &body, []);
            let words = features
                .0
                .iter()
                .filter(|(n, _)| n.starts_with("w:"))
                .count();
            assert_eq!(words, MAX_WORDS, "{}", &body[..20]);
            let mut hashed = 0;
            each_feature_hash("", &body, [], |_, _| hashed += 1);
            assert_eq!(hashed, 2 * MAX_WORDS - 1);
        }
    }

    #[test]
    fn count_values_are_one_plus_the_log_of_the_count() {
        for count in 1..200u32 {
            assert_eq!(count_value(count), 1.0 + (count as f32).ln(), "{count}");
        }
    }

    #[test]
    fn an_empty_article_has_no_features() {
        assert!(extract("", "", []).0.is_empty());
    }
}
