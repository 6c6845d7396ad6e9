//! Offset units: callers slice text in UTF-8 bytes (Rust, Go), code points (Python) or UTF-16
//! code units (Java, JavaScript); the engine works in bytes and converts at the very end.

use std::collections::BTreeMap;

use crate::proto::OffsetUnit;

/// Converts byte offsets of one text into another unit. Every converted position is kept, so
/// a later offset walks only from the nearest known position before it: converting all mentions
/// of a long article stays close to linear in its length, in whatever order they come.
pub struct OffsetConverter<'a> {
    text: &'a str,
    unit: OffsetUnit,
    /// Byte offset → offset in `unit`, for every position converted so far (and 0).
    known: BTreeMap<usize, usize>,
}

impl<'a> OffsetConverter<'a> {
    /// A converter over `text` into `unit`.
    pub fn new(text: &'a str, unit: OffsetUnit) -> Self {
        Self {
            text,
            unit,
            known: BTreeMap::from([(0, 0)]),
        }
    }

    /// `byte` (a character boundary of the text) in the converter's unit.
    pub fn convert(&mut self, byte: usize) -> usize {
        match self.unit {
            OffsetUnit::Unspecified | OffsetUnit::Utf8 => byte,
            OffsetUnit::Codepoint | OffsetUnit::Utf16 => {
                let (&from, &converted) = self.known.range(..=byte).next_back().unwrap_or((&0, &0));
                let span = &self.text[from..byte];
                let converted = converted
                    + match self.unit {
                        OffsetUnit::Codepoint => span.chars().count(),
                        _ => span.chars().map(char::len_utf16).sum(),
                    };
                self.known.insert(byte, converted);
                converted
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        let text = "Zoë 😀 NATO";
        let start = text.find("NATO").unwrap();
        assert_eq!(
            OffsetConverter::new(text, OffsetUnit::Utf8).convert(start),
            10
        );
        assert_eq!(
            OffsetConverter::new(text, OffsetUnit::Codepoint).convert(start),
            6
        );
        assert_eq!(
            OffsetConverter::new(text, OffsetUnit::Utf16).convert(start),
            7
        );
        let mut converter = OffsetConverter::new(text, OffsetUnit::Codepoint);
        assert_eq!(converter.convert(start), 6);
        assert_eq!(converter.convert(2), 2);
    }
}
