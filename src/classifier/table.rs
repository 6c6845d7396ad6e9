//! The lookup structures a topic model scores with ([`super::model::Model`]): where tagging
//! finds an article's features and their weights, kept small because the engine's automaton
//! pushes them out of the processor's caches between articles.
//!
//! - [`Table`]: feature hash → [`Slot`] (16 bytes: tag, IDF, where the weights are), open
//!   addressing at most half full; a model has a hot one for its commonest features and a
//!   cold one for the rest, with a [`Filter`] in front of the cold one.
//! - [`Weight`]: a weight as bfloat16; [`quantise`]: a dense row at one byte a weight.

/// How many of a model's features go in its hot table: 8,192 slots of 16 bytes (128 KB, an
/// eighth of this machine's per-core L2 cache). On Reuters-21578, three in four of the
/// features an article names that a model knows are among its 4,096 commonest.
pub(super) const HOT_FEATURES: usize = 4096;

/// An open-addressing table of feature slots, at most half full, so that a feature the
/// model does not know ends its probe within a slot or two.
#[derive(Debug, Clone, Default)]
pub(super) struct Table {
    pub(super) slots: Vec<Slot>,
    /// Per slot, cold: its row (explain, the named path).
    pub(super) rows: Vec<u32>,
}

impl Table {
    pub(super) fn for_features(count: usize) -> Self {
        let capacity = (count * 2).next_power_of_two().max(8);
        Self {
            slots: vec![Slot::default(); capacity],
            rows: vec![u32::MAX; capacity],
        }
    }

    /// Puts `slot` for `hash` in the table; of two names with one tag on one probe path the
    /// first keeps it (a chance below one in 2^48 per pair of features).
    pub(super) fn insert(&mut self, hash: u64, mut slot: Slot, row: u32) {
        let mask = self.slots.len() - 1;
        let tag = tag_of(hash);
        let mut index = hash as usize & mask;
        loop {
            let existing = &mut self.slots[index];
            if existing.tag == 0 {
                slot.tag = tag;
                *existing = slot;
                self.rows[index] = row;
                return;
            }
            if existing.tag == tag {
                return;
            }
            index = (index + 1) & mask;
        }
    }

    /// Reads the slot where a probe for `hash` starts, to have it in cache for [`Self::find`].
    pub(super) fn touch(&self, hash: u64) -> u32 {
        let mask = self.slots.len().wrapping_sub(1);
        self.slots
            .get(hash as usize & mask)
            .map_or(0, |slot| slot.tag)
    }

    /// The index of the slot of the feature whose name hashes to `hash`.
    pub(super) fn find(&self, hash: u64) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let tag = tag_of(hash);
        let mut index = hash as usize & mask;
        // Never full: a free slot ends every probe.
        loop {
            let slot = self.slots.get(index)?;
            if slot.tag == 0 {
                return None;
            }
            if slot.tag == tag {
                return Some(index);
            }
            index = (index + 1) & mask;
        }
    }
}

/// A one-word-per-lookup Bloom filter over feature hashes: two bits of one 64-bit word, 16
/// bits per feature, so about 2 % of the hashes it never saw pass.
#[derive(Debug, Clone, Default)]
pub(super) struct Filter(Vec<u64>);

impl Filter {
    pub(super) fn for_features(count: usize) -> Self {
        Self(vec![0; (count / 4).next_power_of_two().max(1)])
    }

    /// The word and the two bits of `hash`: from other bits than the tables' index and tag.
    pub(super) fn place(&self, hash: u64) -> (usize, u64) {
        let word = (hash >> 16) as usize & self.0.len().wrapping_sub(1);
        (word, 1 << ((hash >> 4) & 63) | 1 << ((hash >> 10) & 63))
    }

    pub(super) fn insert(&mut self, hash: u64) {
        let (word, bits) = self.place(hash);
        self.0[word] |= bits;
    }

    /// Reads the word of `hash`, to have it in cache for [`Self::may_contain`].
    pub(super) fn touch(&self, hash: u64) -> u32 {
        let (word, _) = self.place(hash);
        self.0.get(word).map_or(0, |&w| w as u32)
    }

    pub(super) fn may_contain(&self, hash: u64) -> bool {
        let (word, bits) = self.place(hash);
        self.0.get(word).is_some_and(|w| w & bits == bits)
    }
}

/// A weight as the model holds it: bfloat16, the upper half of an `f32` (8 significant bits,
/// rounded to nearest). A logit sums a few hundred products whose rounding errors (at most
/// 0.2 % of each weight) do not add up to anything a threshold sees, and half the bytes is
/// half the cache lines an article's weights take. A model file's weights are read into this
/// precision and written from it, so the file says what explain shows; scoring reads the rows
/// that weigh on many labels at one byte a weight ([`quantise`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Weight(pub(super) u16);

impl Weight {
    pub fn new(value: f32) -> Self {
        let bits = value.to_bits();
        // Round to nearest, ties to even, on the 16 bits dropped.
        let rounded = bits.wrapping_add(0x7fff + ((bits >> 16) & 1));
        Self((rounded >> 16) as u16)
    }

    pub fn get(self) -> f32 {
        f32::from_bits(u32::from(self.0) << 16)
    }
}

/// What scoring reads of a row, inline in its table slot: 16 bytes, four to a cache line.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Slot {
    /// The feature hash's upper half, never 0 ([`tag_of`]); 0 marks a free slot. The lower
    /// half picks the slot, so a lookup compares 48 bits of hash or more.
    pub(super) tag: u32,
    pub(super) idf: f32,
    pub(super) weights: Span,
}

pub(super) fn tag_of(hash: u64) -> u32 {
    ((hash >> 32) as u32).max(1)
}

/// Where a row's weights are: `len` pairs from `start` in `Model::weights`, or, with `len`
/// [`DENSE`], one 8-bit weight per label from `start` in `Model::dense`, to be multiplied by
/// `scale` (0 for a run of pairs). A model has fewer than `u16::MAX` labels, so a run's
/// length is never the mark.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Span {
    pub(super) start: u32,
    pub(super) len: u16,
    pub(super) scale: Weight,
}

pub(super) const DENSE: u16 = u16::MAX;

/// A row weighing on at least this share of the labels is also stored dense, one byte per
/// label (at one in four, a run of 4-byte pairs is already as many bytes as the dense row, and
/// is read scattered).
pub(super) const DENSE_SHARE: usize = 4;

/// A dense row as scoring reads it: each weight as a multiple of the row's `scale` (its
/// largest weight over 127), rounded to nearest. Half the bytes of bfloat16, so a row of a
/// 115-label model is two cache lines instead of four; a weight is off by at most half a
/// step, 0.4 % of the row's largest weight, and a logit sums a few dozen such rows.
pub(super) fn quantise(row: &[Weight]) -> (Vec<i8>, Weight) {
    let largest = row.iter().map(|w| w.get().abs()).fold(0.0f32, f32::max);
    if largest == 0.0 {
        return (vec![0; row.len()], Weight::default());
    }
    let scale = Weight::new(largest / 127.0);
    let step = scale.get();
    let quantised = row
        .iter()
        .map(|w| (w.get() / step).round().clamp(-127.0, 127.0) as i8)
        .collect();
    (quantised, scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_held_as_bfloat16_rounded_to_nearest() {
        for exact in [0.0f32, 1.0, -0.5, 4.0, 0.25, -3.0] {
            assert_eq!(Weight::new(exact).get(), exact);
        }
        // 1 + 2^-8 is halfway between two bfloat16 values: ties go to the even one (1.0);
        // just above it rounds up.
        assert_eq!(Weight::new(1.0 + 1.0 / 256.0).get(), 1.0);
        assert_eq!(Weight::new(1.0 + 1.5 / 256.0).get(), 1.0 + 1.0 / 128.0);
        for value in [0.123_456_7f32, -2.5e4, 37.3, 1e-3] {
            let held = Weight::new(value).get();
            assert!(
                ((held - value) / value).abs() <= 1.0 / 256.0,
                "{value} held as {held}"
            );
        }
    }
}
