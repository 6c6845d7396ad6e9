//! The compiled tries and what each of their patterns means.
//!
//! # Why matching is anchored at word starts
//! Every accepted match begins where a word (or a non-word character) begins, so the tagger
//! walks a trie *anchored* at each such position instead of scanning every byte unanchored:
//! most words leave the trie after two or three bytes, no time goes into matches that start
//! inside a word only to be thrown away, and one walk yields every pattern that starts there,
//! shortest first — exactly what the fallback from a rejected longest match to a shorter one
//! needs.
//!
//! # Why a double-array trie
//! An anchored walk needs only the trie's forward transitions, none of Aho-Corasick's failure
//! links. Sets of more than [`DFA_MAX_PATTERNS`] patterns live in a character-wise
//! double-array trie (`crawdad`, minimal-prefix form): a step is one XOR and one check, and a
//! pattern's unshared tail is a string, not a chain of nodes. For the default gazetteer's
//! 245,000 patterns it takes 7 MB where aho-corasick's contiguous NFA took 28 MB, walks
//! Reuters' word starts 1.4× as fast, and builds in 0.12 s against the NFA's 1.6 s (no failure
//! links to compute; a million-entity gazetteer loads in 13 s instead of 25). Smaller sets use
//! aho-corasick's DFA, whose tables stay cached.
//!
//! # Why patterns are sorted and sharded
//! Both builders want the patterns sorted (the trie requires it). Large sets are also split
//! by first byte into shards built on separate threads; a walk only ever needs the shard of
//! its first byte, so shards cost the scan nothing. See `docs/PERFORMANCE.md`.

use aho_corasick::automaton::Automaton as _;
use aho_corasick::{AhoCorasickKind, Anchored, MatchKind, StartKind, dfa};

use super::Payload;
use super::first_words::FirstWords;

/// Many strings in one buffer: one allocation instead of one per string (a million-entity
/// gazetteer has millions of patterns and forms).
#[derive(Debug, Default)]
pub(crate) struct StrTable {
    text: String,
    ends: Vec<u32>,
}

impl StrTable {
    /// Room for `strings` strings of `bytes` bytes in all.
    pub(crate) fn with_capacity(strings: usize, bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(strings),
        }
    }

    /// Appends `s`; fails when the table would pass 4 GiB.
    pub(crate) fn push(&mut self, s: &str) -> Result<u32, String> {
        self.text.push_str(s);
        let end = u32::try_from(self.text.len())
            .map_err(|_| "more than 4 GiB of pattern text".to_owned())?;
        self.ends.push(end);
        Ok((self.ends.len() - 1) as u32)
    }

    pub(crate) fn get(&self, index: usize) -> &str {
        let start = match index {
            0 => 0,
            i => self.ends[i - 1] as usize,
        };
        &self.text[start..self.ends[index] as usize]
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The index of `s` in a table whose strings are sorted in byte order and distinct (the
    /// patterns), by binary search.
    pub(crate) fn find_sorted(&self, s: &str) -> Option<usize> {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            match self.get(middle).cmp(s) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle),
            }
        }
        None
    }

    pub(crate) fn last(&self) -> Option<&str> {
        self.len().checked_sub(1).map(|i| self.get(i))
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    fn shrink(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4
    }
}

/// Threads a gazetteer build may use: one per core, at most 8.
pub(crate) fn build_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 8))
}

/// One pattern found by an anchored walk: it starts at the walk's start and ends at `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub pattern: u32,
    pub end: usize,
}

#[derive(Debug)]
enum Automaton {
    /// Boxed: its tables' header is five times a trie's.
    Dfa(Box<dfa::DFA>),
    Trie(Trie),
}

/// Which structure the walks use, by the number of patterns (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WalkKind {
    Dfa,
    Trie,
}

impl WalkKind {
    /// How `newstag check` names it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Dfa => "DFA",
            Self::Trie => "double-array trie",
        }
    }

    /// The measured choice for `patterns` patterns.
    pub(crate) fn for_patterns(patterns: usize) -> Self {
        if patterns <= DFA_MAX_PATTERNS {
            Self::Dfa
        } else {
            Self::Trie
        }
    }
}

/// A character-wise double-array trie (`crawdad`) over sorted, distinct patterns, each valued
/// with its index among them.
enum Trie {
    /// Minimal-prefix form: a pattern's tail past the point where it differs from every
    /// other is stored as a string, not as nodes (7 MB instead of 17 for the default
    /// gazetteer, walked as fast). Its tails hold at most 255 characters.
    Compact(crawdad::MpTrie),
    /// Every character a node, for sets with a pattern longer than a compact tail can hold.
    Plain(crawdad::Trie),
}

impl std::fmt::Debug for Trie {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let form = match self {
            Self::Compact(_) => "Compact",
            Self::Plain(_) => "Plain",
        };
        write!(f, "Trie::{form}({} bytes)", self.memory_usage())
    }
}

/// Characters a compact trie's tail can hold.
const COMPACT_TAIL_CHARS: usize = 255;

impl Trie {
    /// The trie of `patterns` (sorted and distinct); `None` when none is non-empty. Empty
    /// patterns are left out: a walk reports a pattern only after reading a character of it.
    fn build<'p>(patterns: impl Iterator<Item = &'p str>) -> Result<Option<Self>, String> {
        let records: Vec<(&str, u32)> = patterns
            .enumerate()
            .filter(|(_, p)| !p.is_empty())
            .map(|(i, p)| {
                u32::try_from(i)
                    .map(|i| (p, i))
                    .map_err(|_| "too many patterns for one trie".to_owned())
            })
            .collect::<Result<_, _>>()?;
        if records.is_empty() {
            return Ok(None);
        }
        if records.iter().any(|(p, _)| p.contains(crawdad::END_MARKER)) {
            return Err(format!(
                "cannot build the trie: a pattern holds U+{:04X}",
                u32::from(crawdad::END_MARKER)
            ));
        }
        let failed = |e: crawdad::errors::CrawdadError| format!("cannot build the trie: {e}");
        let longest = records
            .iter()
            .map(|(p, _)| p.chars().count())
            .max()
            .unwrap_or(0);
        Ok(Some(if longest <= COMPACT_TAIL_CHARS {
            Self::Compact(crawdad::MpTrie::from_records(records).map_err(failed)?)
        } else {
            Self::Plain(crawdad::Trie::from_records(records).map_err(failed)?)
        }))
    }

    /// Every pattern that `text[start..limit]` starts with, shortest first.
    fn walk(
        &self,
        text: &str,
        (start, mut limit): (usize, usize),
        first_pattern: u32,
        hits: &mut Vec<Hit>,
    ) {
        // Hits end on character boundaries: one ending by a limit inside a character ends by
        // the boundary before it.
        limit = limit.min(text.len());
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        // No pattern starts inside a character.
        let Some(rest) = text.get(start..limit) else {
            return;
        };
        // The trie's end marker in the text would step onto a leaf as if the pattern ended
        // there and read on from a wrong place: the walk stops before it (no pattern holds
        // one; the build refuses them).
        let chars = rest.chars().take_while(|&c| c != crawdad::END_MARKER);
        // Hit lengths are in characters: the byte offset after each character converts them.
        let mut ends = rest.char_indices().map(|(i, c)| i + c.len_utf8());
        let (mut counted, mut end) = (0, 0);
        let mut add = |pattern: u32, chars: usize| {
            while counted < chars {
                let Some(next) = ends.next() else { return };
                end = next;
                counted += 1;
            }
            hits.push(Hit {
                pattern: first_pattern + pattern,
                end: start + end,
            });
        };
        match self {
            Self::Compact(trie) => {
                for (pattern, chars) in trie.common_prefix_search(chars) {
                    add(pattern, chars);
                }
            }
            Self::Plain(trie) => {
                for (pattern, chars) in trie.common_prefix_search(chars) {
                    add(pattern, chars);
                }
            }
        }
    }

    fn memory_usage(&self) -> usize {
        match self {
            Self::Compact(trie) => trie.heap_bytes(),
            Self::Plain(trie) => trie.heap_bytes(),
        }
    }
}

/// The automaton for the patterns whose first byte falls in one range.
#[derive(Debug)]
struct Shard {
    /// `None` when the shard holds only empty patterns.
    automaton: Option<Automaton>,
    /// Global id of the shard's first pattern (shards hold contiguous runs of the sorted
    /// patterns, so a local id plus this is the global id).
    first_pattern: u32,
}

/// The trie of only the patterns that a text starting with a lower-case letter can match
/// (see [`Matcher::matches_at_lower_start`]).
#[derive(Debug)]
struct LowerStart {
    /// `None` when no pattern qualifies.
    trie: Option<Trie>,
    /// The first words of its patterns.
    first_words: FirstWords,
    /// Global id of each of its patterns.
    patterns: Vec<u32>,
}

/// The automaton and what each of its patterns means.
#[derive(Debug)]
pub(crate) struct Matcher {
    shards: Vec<Shard>,
    /// Most words of running text start lower case, and most patterns are capitalised names
    /// that no such text can match under their case policy: at those words the tagger walks
    /// this much smaller trie, which stays in cache, instead of the whole one (the walks
    /// were the largest single cost of tagging, and three times slower with cold caches).
    /// `None` for small gazetteers, whose DFA is already cached and fast.
    lower_start: Option<LowerStart>,
    /// The first words of all patterns, asked before a walk at a word start; `None` for
    /// small gazetteers, whose DFA walks fail as fast as the filter answers.
    first_words: Option<FirstWords>,
    /// Which shard holds the patterns starting with each byte.
    shard_of: [u8; 256],
    /// Whether any pattern starts with each byte: most positions a scan visits (spaces,
    /// punctuation) need no walk at all.
    starts: [bool; 256],
    /// Normalised pattern texts, sorted, by pattern id.
    pub(crate) patterns: StrTable,
    /// `payloads[ranges[p]..ranges[p + 1]]` belong to pattern `p`.
    pub(crate) ranges: Vec<u32>,
    pub(crate) payloads: Vec<Payload>,
    /// Forms as written in the gazetteer (the `alias` reported on mentions).
    pub(crate) forms: StrTable,
}

/// Above this many patterns the DFA's tables outgrow the caches (the bundled set's ~5,000
/// patterns made a 47 MB DFA that tagged Reuters 15% slower than the contiguous NFA) and its
/// memory explodes (829 MB at 100,000 patterns); below it the DFA walks faster. Measured with
/// `benches/engine.rs` and `benches/scale.rs`.
const DFA_MAX_PATTERNS: usize = 1_000;

/// Below this many patterns one trie builds in about a tenth of a second: no threads.
const SHARD_MIN_PATTERNS: usize = 200_000;

impl Matcher {
    /// How many shards (and build threads) suit `patterns` patterns on this machine.
    pub(crate) fn shards_for(patterns: usize) -> usize {
        if patterns < SHARD_MIN_PATTERNS {
            return 1;
        }
        build_threads()
    }

    /// Builds the automata over `patterns` (sorted, distinct), split by first byte into at
    /// most `shards` shards built on their own threads.
    pub(crate) fn build(
        patterns: StrTable,
        ranges: Vec<u32>,
        payloads: Vec<Payload>,
        forms: StrTable,
        shards: usize,
    ) -> Result<Self, String> {
        let kind = WalkKind::for_patterns(patterns.len());
        Self::build_as(kind, patterns, ranges, payloads, (forms, shards))
    }

    /// [`Self::build`] with the walk structure chosen by the caller (tests use every kind on
    /// small sets).
    pub(crate) fn build_as(
        kind: WalkKind,
        mut patterns: StrTable,
        ranges: Vec<u32>,
        payloads: Vec<Payload>,
        (mut forms, shards): (StrTable, usize),
    ) -> Result<Self, String> {
        patterns.shrink();
        forms.shrink();
        let first_bytes = FirstBytes::of(&patterns);
        let (bounds, shard_of) = first_bytes.split(shards.max(1));
        let starts = std::array::from_fn(|b| first_bytes.count[b] > 0);
        let build = |(lo, hi): (usize, usize)| -> Result<Shard, String> {
            let texts = (lo..hi).map(|i| patterns.get(i));
            let failed = |e: aho_corasick::BuildError| format!("cannot build the automaton: {e}");
            let automaton = match kind {
                WalkKind::Dfa => Some(Automaton::Dfa(Box::new(
                    dfa::Builder::new()
                        .match_kind(MatchKind::LeftmostLongest)
                        .start_kind(StartKind::Anchored)
                        .build(texts)
                        .map_err(failed)?,
                ))),
                WalkKind::Trie => Trie::build(texts)?.map(Automaton::Trie),
            };
            Ok(Shard {
                automaton,
                first_pattern: lo as u32,
            })
        };
        let filters = || -> Result<_, String> {
            if kind == WalkKind::Dfa {
                return Ok((None, None));
            }
            Ok((
                Some(Self::build_lower_start(
                    &patterns, &ranges, &payloads, &forms,
                )?),
                Some(FirstWords::of(patterns.iter())),
            ))
        };
        let (shards, (lower_start, first_words)) = if bounds.len() == 1 {
            (vec![build(bounds[0])?], filters()?)
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = bounds
                    .iter()
                    .map(|&b| scope.spawn(move || build(b)))
                    .collect();
                // The lower-start trie and the first-word filters are built on this thread
                // meanwhile: built before the shards, they kept one core alone for 34 ms of
                // the bundled gazetteer's 0.45 s load.
                let filters = filters();
                let shards = handles
                    .into_iter()
                    .map(|h| {
                        h.join()
                            .unwrap_or_else(|_| Err("automaton build panicked".to_owned()))
                    })
                    .collect::<Result<Vec<_>, _>>();
                Ok::<_, String>((shards?, filters?))
            })?
        };
        Ok(Self {
            shards,
            lower_start,
            first_words,
            shard_of,
            starts,
            patterns,
            ranges,
            payloads,
            forms,
        })
    }

    /// The automaton of the patterns a lower-case start may match: those with a payload that
    /// is no entity (keywords, stop phrases) or whose case policy does not refuse every
    /// lower-case text ([`crate::text::case::refuses_lower_start`]).
    fn build_lower_start(
        patterns: &StrTable,
        ranges: &[u32],
        payloads: &[Payload],
        forms: &StrTable,
    ) -> Result<LowerStart, String> {
        let lower: Vec<u32> = (0..patterns.len())
            .filter(|&p| {
                let pattern = patterns.get(p);
                payloads[ranges[p] as usize..ranges[p + 1] as usize]
                    .iter()
                    .any(|payload| match *payload {
                        Payload::Entity { form, case, .. } => {
                            !crate::text::case::refuses_lower_start(
                                case,
                                forms.get(form as usize),
                                pattern,
                            )
                        }
                        Payload::Stop { .. } | Payload::Keyword { .. } => true,
                    })
            })
            .map(|p| p as u32)
            .collect();
        let texts = lower.iter().map(|&p| patterns.get(p as usize));
        let trie = Trie::build(texts.clone())?;
        Ok(LowerStart {
            trie,
            first_words: FirstWords::of(texts),
            patterns: lower,
        })
    }

    pub(crate) fn payloads(&self, pattern: usize) -> &[Payload] {
        let start = self.ranges[pattern] as usize;
        let end = self.ranges[pattern + 1] as usize;
        &self.payloads[start..end]
    }

    pub(crate) fn form(&self, index: u32) -> &str {
        self.forms.get(index as usize)
    }

    /// Whether some pattern starts with `byte`.
    #[inline]
    pub(crate) fn can_start(&self, byte: u8) -> bool {
        self.starts[byte as usize]
    }

    /// Whether a walk at a word start that reads `word` (the whole run of word characters
    /// there, see [`super::first_words`]) may find a whole-word match: `false` means none of
    /// the patterns [`Self::matches_at`] walks (or, with `lower_start`,
    /// [`Self::matches_at_lower_start`]) can match there as a whole word.
    #[inline]
    pub(crate) fn may_match_word(&self, word: &str, lower_start: bool) -> bool {
        let filter = match (&self.lower_start, lower_start) {
            (Some(lower), true) => Some(&lower.first_words),
            _ => self.first_words.as_ref(),
        };
        filter.is_none_or(|f| f.may_start(word))
    }

    /// Every pattern that starts exactly at `start` and ends at or before `limit`, shortest
    /// first, into `hits` (cleared first).
    pub(crate) fn matches_at(&self, text: &str, start: usize, limit: usize, hits: &mut Vec<Hit>) {
        hits.clear();
        let haystack = text.as_bytes();
        let Some(&first) = haystack.get(start) else {
            return;
        };
        let shard = &self.shards[self.shard_of[first as usize] as usize];
        let limit = limit.min(haystack.len());
        match &shard.automaton {
            Some(Automaton::Dfa(a)) => {
                walk(&**a, haystack, (start, limit), shard.first_pattern, hits)
            }
            Some(Automaton::Trie(t)) => t.walk(text, (start, limit), shard.first_pattern, hits),
            None => {}
        }
    }

    /// [`Self::matches_at`] where the text at `start` begins with a lower-case letter and its
    /// field keeps its word boundaries when normalised
    /// ([`crate::text::case::keeps_word_boundaries`]): only the patterns such a text can match
    /// under their case policy, so the same hits minus ones every policy would refuse.
    pub(crate) fn matches_at_lower_start(
        &self,
        text: &str,
        start: usize,
        limit: usize,
        hits: &mut Vec<Hit>,
    ) {
        let Some(lower) = &self.lower_start else {
            return self.matches_at(text, start, limit, hits);
        };
        hits.clear();
        if let Some(trie) = &lower.trie {
            trie.walk(text, (start, limit), 0, hits);
        }
        for hit in hits.iter_mut() {
            hit.pattern = lower.patterns[hit.pattern as usize];
        }
    }

    /// Whether [`Self::matches_at_lower_start`] walks a smaller trie than
    /// [`Self::matches_at`].
    pub(crate) fn splits_lower_start(&self) -> bool {
        self.lower_start.is_some()
    }

    /// The aho-corasick kind that scans these patterns unanchored fastest: the DFA where the
    /// walks use one, the contiguous NFA above (benchmarks build their floor with it).
    pub(crate) fn kind(&self) -> AhoCorasickKind {
        match self.walk_kind() {
            WalkKind::Dfa => AhoCorasickKind::DFA,
            WalkKind::Trie => AhoCorasickKind::ContiguousNFA,
        }
    }

    /// The structure the walks use.
    pub(crate) fn walk_kind(&self) -> WalkKind {
        match self.shards.iter().find_map(|s| s.automaton.as_ref()) {
            Some(Automaton::Dfa(_)) | None => WalkKind::Dfa,
            Some(Automaton::Trie(_)) => WalkKind::Trie,
        }
    }

    pub(crate) fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// Heap bytes of the automata alone.
    pub(crate) fn automaton_bytes(&self) -> usize {
        let lower = self.lower_start.as_ref().map_or(0, |l| {
            l.trie.as_ref().map_or(0, Trie::memory_usage)
                + l.first_words.heap_bytes()
                + l.patterns.capacity() * std::mem::size_of::<u32>()
        });
        let filter = self.first_words.as_ref().map_or(0, FirstWords::heap_bytes);
        lower
            + filter
            + self
                .shards
                .iter()
                .map(|s| match &s.automaton {
                    Some(Automaton::Dfa(a)) => a.memory_usage(),
                    Some(Automaton::Trie(t)) => t.memory_usage(),
                    None => 0,
                })
                .sum::<usize>()
    }

    /// Heap bytes of everything the matcher holds.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.automaton_bytes()
            + self.patterns.heap_bytes()
            + self.forms.heap_bytes()
            + self.ranges.capacity() * 4
            + self.payloads.capacity() * std::mem::size_of::<Payload>()
    }
}

/// How sorted patterns spread over their first bytes.
struct FirstBytes {
    /// Patterns per first byte.
    count: [usize; 256],
    /// Pattern bytes per first byte: what a shard's build time follows.
    weight: [usize; 256],
    /// Empty patterns (sorted before all others).
    empty: usize,
}

impl FirstBytes {
    fn of(patterns: &StrTable) -> Self {
        let mut first = Self {
            count: [0; 256],
            weight: [0; 256],
            empty: 0,
        };
        for text in patterns.iter() {
            match text.as_bytes().first() {
                Some(&b) => {
                    first.count[b as usize] += 1;
                    first.weight[b as usize] += text.len() + 1;
                }
                None => first.empty += 1,
            }
        }
        first
    }

    /// Splits the sorted patterns into at most `shards` contiguous runs of whole first-byte
    /// groups with about the same weight each. Returns the runs and the shard of every byte.
    fn split(&self, shards: usize) -> (Vec<(usize, usize)>, [u8; 256]) {
        let total: usize = self.weight.iter().sum();
        let mut shard_of = [0u8; 256];
        let mut bounds = Vec::new();
        let (mut lo, mut end, mut shard, mut weight) = (0, self.empty, 0, 0);
        for ((slot, byte_weight), count) in shard_of.iter_mut().zip(self.weight).zip(self.count) {
            *slot = shard as u8;
            weight += byte_weight;
            // Patterns starting with this byte are the next run of the sorted list.
            end += count;
            if shard + 1 < shards && weight * shards >= total * (shard + 1) && end > lo {
                bounds.push((lo, end));
                lo = end;
                shard += 1;
            }
        }
        bounds.push((lo, end));
        (bounds, shard_of)
    }
}

/// Walks a DFA anchored at `start`, collecting each pattern that ends before `limit` and
/// starts at `start`. Match states may also list shorter patterns that end there but began
/// later (copied along failure links for unanchored search); the length check keeps only
/// those anchored at `start`.
fn walk<A: aho_corasick::automaton::Automaton>(
    automaton: &A,
    haystack: &[u8],
    (start, limit): (usize, usize),
    first_pattern: u32,
    hits: &mut Vec<Hit>,
) {
    let Ok(mut state) = automaton.start_state(Anchored::Yes) else {
        return;
    };
    let mut at = start;
    while at < limit {
        state = automaton.next_state(Anchored::Yes, state, haystack[at]);
        at += 1;
        if automaton.is_special(state) {
            if automaton.is_dead(state) {
                return;
            }
            if automaton.is_match(state) {
                let depth = at - start;
                for index in 0..automaton.match_len(state) {
                    let pattern = automaton.match_pattern(state, index);
                    if automaton.pattern_len(pattern) == depth {
                        hits.push(Hit {
                            pattern: first_pattern + pattern.as_u32(),
                            end: at,
                        });
                        break;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sorted table finds each of its strings at its index, first and last included, and
    /// nothing for strings between, before or after them.
    #[test]
    fn a_sorted_table_finds_its_strings_by_binary_search() {
        let mut table = StrTable::default();
        let words = ["", "b", "ba", "bb", "nice", "reading", "é"];
        for word in words {
            table.push(word).unwrap();
        }
        for (index, word) in words.iter().enumerate() {
            assert_eq!(table.find_sorted(word), Some(index), "{word:?}");
        }
        for absent in ["a", "bab", "c", "z", "éé"] {
            assert_eq!(table.find_sorted(absent), None, "{absent:?}");
        }
        assert_eq!(StrTable::default().find_sorted("a"), None);
    }

    fn table(items: &[&str]) -> StrTable {
        let mut sorted: Vec<&str> = items.to_vec();
        sorted.sort_unstable();
        let mut table = StrTable::default();
        for item in sorted {
            table.push(item).unwrap();
        }
        table
    }

    const KINDS: [WalkKind; 2] = [WalkKind::Dfa, WalkKind::Trie];

    fn matcher_as(kind: WalkKind, items: &[&str], shards: usize) -> Matcher {
        let patterns = table(items);
        let n = patterns.len();
        Matcher::build_as(
            kind,
            patterns,
            vec![0; n + 1],
            Vec::new(),
            (StrTable::default(), shards),
        )
        .unwrap()
    }

    fn matcher(items: &[&str], shards: usize) -> Matcher {
        let patterns = table(items);
        let n = patterns.len();
        Matcher::build(
            patterns,
            vec![0; n + 1],
            Vec::new(),
            StrTable::default(),
            shards,
        )
        .unwrap()
    }

    fn hits<'a>(m: &Matcher, text: &'a str, start: usize) -> Vec<&'a str> {
        let mut hits = Vec::new();
        m.matches_at(text, start, text.len(), &mut hits);
        hits.iter()
            .map(|h| {
                assert_eq!(m.patterns.get(h.pattern as usize), &text[start..h.end]);
                &text[start..h.end]
            })
            .collect()
    }

    #[test]
    fn anchored_walk_yields_prefixes_shortest_first_and_no_suffix_matches() {
        for kind in KINDS {
            // "us" ends where "abcus" does, but does not start at the anchor.
            let m = matcher_as(
                kind,
                &["abcusz", "us", "new york", "new york times", "new"],
                1,
            );
            assert!(hits(&m, "abcusq", 0).is_empty(), "{kind:?}");
            assert_eq!(hits(&m, "abcusq", 3), ["us"], "{kind:?}");
            assert_eq!(
                hits(&m, "new york timesheet", 0),
                ["new", "new york", "new york times"],
                "{kind:?}"
            );
            let mut limited = Vec::new();
            m.matches_at("new york times", 0, 10, &mut limited);
            assert_eq!(limited.len(), 2, "{kind:?}");
        }
    }

    #[test]
    fn the_walk_kind_follows_the_pattern_count() {
        assert_eq!(WalkKind::for_patterns(10), WalkKind::Dfa);
        assert_eq!(WalkKind::for_patterns(DFA_MAX_PATTERNS + 1), WalkKind::Trie);
        let words: Vec<String> = (0..DFA_MAX_PATTERNS + 1).map(|i| format!("w{i}")).collect();
        let items: Vec<&str> = words.iter().map(String::as_str).collect();
        let m = matcher(&items, 1);
        assert_eq!(m.walk_kind(), WalkKind::Trie);
        // The floor of a trie-walked set is aho-corasick's contiguous NFA.
        assert_eq!(m.kind(), AhoCorasickKind::ContiguousNFA);
        assert_eq!(matcher(&items[..10], 1).kind(), AhoCorasickKind::DFA);
    }

    #[test]
    fn shards_give_the_same_hits_as_one_automaton() {
        let words: Vec<String> = (0..3000)
            .map(|i| format!("{}{}x{}", (b'a' + (i % 26) as u8) as char, i % 7, i))
            .collect();
        let items: Vec<&str> = words.iter().map(String::as_str).collect();
        let patterns = table(&items);
        let n = patterns.len();
        let sharded =
            Matcher::build(patterns, vec![0; n + 1], Vec::new(), StrTable::default(), 3).unwrap();
        assert_eq!(sharded.shard_count(), 3);
        let single = matcher(&items, 1);
        assert_eq!(single.shard_count(), 1);
        let dfa = matcher_as(WalkKind::Dfa, &items, 2);
        let (bounds, shard_of) = FirstBytes::of(&sharded.patterns).split(3);
        assert_eq!(bounds.first().unwrap().0, 0);
        assert_eq!(bounds.last().unwrap().1, n);
        assert!(shard_of[b'a' as usize] < shard_of[b'z' as usize]);
        // Empty patterns sort first and stay in the first run.
        let (bounds, _) = FirstBytes::of(&table(&["", "a", "b"])).split(2);
        assert_eq!(bounds, [(0, 2), (2, 3)]);
        for word in &words {
            let expected = hits(&dfa, word, 0);
            assert_eq!(expected.last(), Some(&word.as_str()));
            assert_eq!(hits(&single, word, 0), expected);
            assert_eq!(hits(&sharded, word, 0), expected);
        }
    }

    fn raw_hits(m: &Matcher, text: &str, start: usize, limit: usize) -> Vec<Hit> {
        let mut hits = Vec::new();
        m.matches_at(text, start, limit, &mut hits);
        hits
    }

    /// The trie must find exactly what the DFA's byte walk finds, from every byte offset
    /// (boundaries or not) to every limit (inside a character too).
    fn assert_same_walks(items: &[&str], texts: &[&str]) {
        let [dfa, trie] = KINDS.map(|kind| matcher_as(kind, items, 2));
        assert_eq!(trie.walk_kind(), WalkKind::Trie);
        for text in texts {
            for start in 0..=text.len() {
                for limit in start..=text.len() + 1 {
                    assert_eq!(
                        raw_hits(&trie, text, start, limit),
                        raw_hits(&dfa, text, start, limit),
                        "{text:?} {start}..{limit}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_trie_walks_like_the_dfa_on_any_text() {
        assert_same_walks(
            &[
                "a",
                "ab",
                "abc",
                "a\0b",
                "b",
                "new",
                "new york",
                "new york times",
                "u.s.",
                "é",
                "éa",
                "\u{ff}x",
                "日本",
                "zz",
            ],
            &[
                "new york timesheet",
                "abcabc",
                "u.s. and new",
                "éa \u{ff}x é 日本語",
                "a\0b zz\0",
                // The trie's end mark in the text: the walk stops before it, no phantom hit.
                "ab\u{FFFF}c abc\u{FFFF}",
                "",
            ],
        );
    }

    #[test]
    fn a_pattern_longer_than_a_compact_tail_gets_the_plain_trie() {
        let long = "x".repeat(COMPACT_TAIL_CHARS + 45);
        let longer = format!("{long}y");
        let items = ["x", "xx", long.as_str(), longer.as_str()];
        let trie = Trie::build(table(&items).iter()).unwrap().unwrap();
        assert!(matches!(trie, Trie::Plain(_)), "{trie:?}");
        let short = Trie::build(table(&items[..2]).iter()).unwrap().unwrap();
        assert!(matches!(short, Trie::Compact(_)), "{short:?}");
        assert_same_walks(&items, &[&format!("{longer}z"), &long[..200]]);
    }

    #[test]
    fn a_trie_of_no_patterns_is_none_and_the_end_mark_is_an_error() {
        assert!(Trie::build(std::iter::empty()).unwrap().is_none());
        // Empty patterns can never be walked to: they are left out, not an error.
        assert!(Trie::build([""].into_iter()).unwrap().is_none());
        let error = Trie::build(["a\u{FFFF}b"].into_iter()).unwrap_err();
        assert_eq!(error, "cannot build the trie: a pattern holds U+FFFF");
    }

    /// A trie matcher whose patterns are all keywords, so the lower-start trie holds them
    /// all too.
    fn keyword_matcher(items: &[&str]) -> Matcher {
        let patterns = table(items);
        let n = patterns.len();
        let keyword = Payload::Keyword {
            topic: 0,
            form: 0,
            weight: 1.0,
            supporting: false,
        };
        let mut forms = StrTable::default();
        forms.push("form").unwrap();
        Matcher::build_as(
            WalkKind::Trie,
            patterns,
            (0..=n as u32).collect(),
            vec![keyword; n],
            (forms, 1),
        )
        .unwrap()
    }

    /// Every whole-word hit at a word start of `text` passes the first-word filter of both
    /// tries.
    fn assert_filter_keeps_whole_word_hits(m: &Matcher, text: &str) -> usize {
        let mut kept = 0;
        for (start, c) in text.char_indices() {
            let after_word = text[..start]
                .chars()
                .next_back()
                .is_some_and(crate::text::is_word_char);
            if !crate::text::is_word_char(c) || after_word {
                continue;
            }
            let word = super::super::first_words::leading_word(&text[start..]);
            let whole = raw_hits(m, text, start, text.len())
                .iter()
                .any(|h| crate::text::is_whole_word(text, start, h.end));
            if whole {
                kept += 1;
                assert!(m.may_match_word(word, false), "{word:?} in {text:?}");
                assert!(m.may_match_word(word, true), "{word:?} in {text:?}");
            }
        }
        kept
    }

    #[test]
    fn the_first_word_filter_keeps_every_whole_word_hit_and_stops_other_words() {
        let items = [
            "new york", "new", "o'neill", "u.s.", "zürich", "al-qaeda", "(r)",
        ];
        let m = keyword_matcher(&items);
        let text = "new york, o'neill of zürich, u.s. al-qaeda newer o'neil";
        assert_eq!(assert_filter_keeps_whole_word_hits(&m, text), 5);
        for absent in ["newer", "york", "neill", "qaeda", "of"] {
            assert!(!m.may_match_word(absent, false), "{absent}");
            assert!(!m.may_match_word(absent, true), "{absent}");
        }
        // Small sets walk a DFA and ask no filter.
        let dfa = matcher_as(WalkKind::Dfa, &items, 1);
        assert!(dfa.may_match_word("of", false) && dfa.may_match_word("of", true));
    }

    proptest::proptest! {
        #[test]
        fn the_first_word_filter_never_hides_a_whole_word_hit(
            words in proptest::collection::btree_set("[ab .'é-]{1,6}", 1..40),
            text in "[ab .'é-]{0,24}",
        ) {
            let items: Vec<&str> = words.iter().map(String::as_str).collect();
            assert_filter_keeps_whole_word_hits(&keyword_matcher(&items), &text);
        }

        #[test]
        fn the_trie_agrees_with_the_dfa_on_random_sets(
            words in proptest::collection::btree_set("[abc .é]{1,6}", 1..40),
            text in "[abc .é\\x00\u{FFFF}]{0,16}",
        ) {
            let items: Vec<&str> = words.iter().map(String::as_str).collect();
            let [dfa, trie] = KINDS.map(|kind| matcher_as(kind, &items, 1));
            for start in 0..=text.len() {
                proptest::prop_assert_eq!(
                    raw_hits(&trie, &text, start, text.len()),
                    raw_hits(&dfa, &text, start, text.len())
                );
            }
        }
    }
}
