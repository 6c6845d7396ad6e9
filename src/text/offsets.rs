//! Offset units: callers slice text in UTF-8 bytes (Rust, Go), code points (Python) or UTF-16
//! code units (Java, JavaScript); the engine works in bytes and converts at the very end.

use crate::proto::OffsetUnit;

/// Converts ascending byte offsets of one text into another unit in a single forward walk, so
/// converting every mention of a long article stays linear in its length.
pub struct OffsetConverter<'a> {
    text: &'a str,
    unit: OffsetUnit,
    byte: usize,
    converted: usize,
}

impl<'a> OffsetConverter<'a> {
    /// A converter over `text` into `unit`.
    pub fn new(text: &'a str, unit: OffsetUnit) -> Self {
        Self {
            text,
            unit,
            byte: 0,
            converted: 0,
        }
    }

    /// `byte` (a character boundary of the text) in the converter's unit. Offsets may come in
    /// any order; ascending ones are cheapest.
    pub fn convert(&mut self, byte: usize) -> usize {
        match self.unit {
            OffsetUnit::Unspecified | OffsetUnit::Utf8 => byte,
            OffsetUnit::Codepoint | OffsetUnit::Utf16 => {
                if byte < self.byte {
                    self.byte = 0;
                    self.converted = 0;
                }
                let span = &self.text[self.byte..byte];
                self.converted += match self.unit {
                    OffsetUnit::Codepoint => span.chars().count(),
                    _ => span.chars().map(char::len_utf16).sum(),
                };
                self.byte = byte;
                self.converted
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
