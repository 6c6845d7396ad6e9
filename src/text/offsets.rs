//! Offset units: callers slice text in UTF-8 bytes (Rust, Go), code points (Python) or UTF-16
//! code units (Java, JavaScript); the engine works in bytes and converts at the very end.

use std::collections::BTreeMap;

use crate::proto::OffsetUnit;

/// Converts byte offsets of one text into another unit. Every converted position is kept, so
/// a later offset walks only from the nearest known position before it: converting all mentions
/// of a long article stays close to linear in its length, in whatever order they come.
///
/// In a pure-ASCII text every unit counts bytes, so there is nothing to convert and nothing is
/// kept (most news fields are ASCII).
pub struct OffsetConverter<'a> {
    text: &'a str,
    /// `None` when offsets stay byte offsets (UTF-8 asked for, or an ASCII text).
    unit: Option<OffsetUnit>,
    /// Byte offset → offset in `unit`, for every position converted so far (0 implied).
    known: BTreeMap<usize, usize>,
}

impl<'a> OffsetConverter<'a> {
    /// A converter over `text` into `unit`.
    pub fn new(text: &'a str, unit: OffsetUnit) -> Self {
        let unit = match unit {
            OffsetUnit::Unspecified | OffsetUnit::Utf8 => None,
            _ if text.is_ascii() => None,
            other => Some(other),
        };
        Self {
            text,
            unit,
            known: BTreeMap::new(),
        }
    }

    /// `byte` (a character boundary of the text) in the converter's unit.
    pub fn convert(&mut self, byte: usize) -> usize {
        let Some(unit) = self.unit else {
            return byte;
        };
        let (from, converted) = self
            .known
            .range(..=byte)
            .next_back()
            .map_or((0, 0), |(&from, &converted)| (from, converted));
        let span = &self.text[from..byte];
        let converted = converted
            + match unit {
                OffsetUnit::Codepoint => span.chars().count(),
                _ => span.chars().map(char::len_utf16).sum(),
            };
        self.known.insert(byte, converted);
        converted
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

    #[test]
    fn ascii_text_converts_to_itself_in_every_unit() {
        let text = "Vladimir Putin met NATO.";
        for unit in [OffsetUnit::Utf8, OffsetUnit::Codepoint, OffsetUnit::Utf16] {
            let mut converter = OffsetConverter::new(text, unit);
            assert!(converter.unit.is_none(), "{unit:?}");
            assert_eq!(converter.convert(19), 19);
            assert!(converter.known.is_empty());
        }
        // One non-ASCII character anywhere switches conversion on.
        let mut converter = OffsetConverter::new("Zoë met NATO", OffsetUnit::Utf16);
        assert_eq!(converter.convert("Zoë met ".len()), 8);
    }
}
