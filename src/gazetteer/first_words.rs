//! Which first words the patterns of a trie can start with: a Bloom filter consulted before a
//! walk, so the walks that can only fail are never made.
//!
//! # Why
//! On Reuters, four walks in five at a word start find no whole-word match (measured on the
//! default gazetteer: 63 % of the walks of the full trie find no pattern at all, 17 % only
//! patterns that end inside a word). Such a walk still steps through nodes scattered over
//! megabytes, and the walks were the largest single cost of tagging. The filter answers from
//! a few hundred kilobytes, with one hash of a word the scan reads anyway.
//!
//! # Why it loses no match
//! A whole-word match starting at a word start spells, up to its first non-word character,
//! exactly the word there: a pattern whose first word is shorter ends inside the word (not
//! whole) or continues with a non-word character where the text has a word character (no
//! match), and one whose first word is longer needs a word character where the word has
//! ended. Both sides split words with [`crate::text::word_char_at`], so a pattern's leading
//! run of word characters is the key it is filed under, and the text's word at a start is the
//! key looked up. A Bloom filter has false positives (a walk made in vain, as before) and no
//! false negatives.

use std::hash::BuildHasher as _;

use crate::text::{next_word_start, word_char_at};

/// Filter bits per distinct first word: with two bits in one 64-bit word, about 2 % false
/// positives.
const BITS_PER_KEY: usize = 16;

/// The smallest filter (512 bytes): a few keys in one word would fill it.
const MIN_BITS: usize = 1 << 12;

/// The largest filter: 4 MB. A million-entity gazetteer's would otherwise outgrow every
/// cache and cost as much as the walk it saves.
const MAX_BITS: usize = 1 << 25;

/// A Bloom filter of the leading words of a set of patterns.
#[derive(Debug)]
pub(crate) struct FirstWords {
    bits: Vec<u64>,
    /// Word count minus one (a power of two).
    mask: u64,
}

impl FirstWords {
    /// The filter of `patterns` (normalised, as the trie holds them). A pattern starting with
    /// a non-word character has an empty first word; text starting with one always walks.
    pub(crate) fn of<'p>(patterns: impl Iterator<Item = &'p str> + Clone) -> Self {
        // Sorted patterns sharing a first word mostly sit together: counting changes of the
        // first word is a close upper bound of the distinct ones, without a set.
        let mut previous = None;
        let distinct = patterns
            .clone()
            .map(leading_word)
            .filter(|word| previous.replace(*word) != Some(*word))
            .count();
        let bit_count = (distinct * BITS_PER_KEY)
            .next_power_of_two()
            .clamp(MIN_BITS, MAX_BITS);
        let mut filter = Self {
            bits: vec![0; bit_count / 64],
            mask: (bit_count / 64) as u64 - 1,
        };
        for pattern in patterns {
            let (word, bits) = filter.probe(leading_word(pattern));
            filter.bits[word] |= bits;
        }
        filter
    }

    /// Whether a pattern may start with `word` (a whole run of word characters of the
    /// normalised text, from a word start to the next non-word character).
    #[inline]
    pub(crate) fn may_start(&self, word: &str) -> bool {
        let (at, bits) = self.probe(word);
        self.bits[at] & bits == bits
    }

    /// The filter word a key falls in and its two bits there. Both bits in one word (a
    /// "blocked" Bloom filter): one memory access per lookup instead of two, which mattered
    /// more than the slightly higher false-positive rate (measured: two separate probes
    /// cost as much in cache misses as the walks they saved).
    fn probe(&self, word: &str) -> (usize, u64) {
        let hash = foldhash::fast::FixedState::default().hash_one(word.as_bytes());
        let at = ((hash >> 12) & self.mask) as usize;
        (at, (1 << (hash & 63)) | (1 << ((hash >> 6) & 63)))
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.bits.capacity() * std::mem::size_of::<u64>()
    }
}

/// The run of word characters `text` starts with (empty when it starts with anything else).
pub(crate) fn leading_word(text: &str) -> &str {
    match word_char_at(text, 0) {
        (true, _) => &text[..next_word_start(text, 0)],
        (false, _) => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_words_stop_at_the_first_non_word_character() {
        assert_eq!(leading_word("new york"), "new");
        assert_eq!(leading_word("o'neill"), "o");
        assert_eq!(leading_word("u.s."), "u");
        assert_eq!(leading_word("zürich"), "zürich");
        assert_eq!(leading_word("(r)"), "");
        assert_eq!(leading_word(""), "");
    }

    #[test]
    fn every_first_word_is_kept_and_few_others_pass() {
        let patterns: Vec<String> = (0..5_000).map(|i| format!("name{i} corp")).collect();
        let filter = FirstWords::of(patterns.iter().map(String::as_str));
        for i in 0..5_000 {
            assert!(filter.may_start(&format!("name{i}")), "name{i} lost");
        }
        let passed = (0..10_000)
            .filter(|i| filter.may_start(&format!("other{i}")))
            .count();
        // About 2 % expected; a broken hash or probe lets most through.
        assert!(passed < 500, "{passed} of 10,000 absent words passed");
        assert!(!filter.may_start("corp"), "only first words are filed");
    }

    #[test]
    fn an_empty_set_lets_nothing_through_and_stays_small() {
        let filter = FirstWords::of(std::iter::empty());
        assert!(!filter.may_start("anything"));
        assert_eq!(filter.heap_bytes(), MIN_BITS / 8);
    }
}
