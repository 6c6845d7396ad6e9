//! Hostile inputs: odd but legal articles that once made (or could make) tagging super-linear.
//!
//! One table serves two masters: `benches/adversarial.rs` times every input at growing sizes
//! and fails when time grows faster than the input, and `tests/adversarial.rs` tags each once
//! and checks the offset invariant on the result. [`invariants`] states what every response
//! keeps, for those tests and the fuzz targets alike; [`fuzz`] turns a fuzzer's bytes into
//! inputs and checks them, so `fuzz/` targets and the corpus replay in `cargo test` run the
//! same code. Every generator is deterministic and returns text of at most the size asked for
//! (never more, so "at the limit" stays within `--max-article-bytes`).

pub mod fuzz;
pub mod invariants;

pub use invariants::check_response;

use crate::proto::{Article, OffsetUnit, TagOptions};

/// How a hostile input fills an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The text is the body; the title is a short headline.
    Body,
    /// Title and body each get the text at the full size ("both at the limit").
    TitleAndBody,
}

/// One hostile input: a name and a generator of text of (at most) `n` bytes.
#[derive(Debug, Clone, Copy)]
pub struct HostileInput {
    /// Stable name, printed by the benchmark and in test failures.
    pub name: &'static str,
    /// Builds the text for a size in bytes.
    pub generate: fn(usize) -> String,
    /// Where the text goes.
    pub placement: Placement,
}

impl HostileInput {
    /// The article this input makes at `n` bytes per field.
    pub fn article(&self, n: usize) -> Article {
        let text = (self.generate)(n);
        let (title, body) = match self.placement {
            Placement::Body => ("Hostile input".to_owned(), text),
            Placement::TitleAndBody => (text.clone(), text),
        };
        Article {
            id: self.name.to_owned(),
            title,
            body,
            language: String::new(),
        }
    }
}

/// `unit` repeated up to `n` bytes (whole repetitions only, so the text stays UTF-8).
fn repeat(unit: &str, n: usize) -> String {
    unit.repeat((n / unit.len()).max(1))
}

/// Realistic news prose, used where a hostile shape needs real names and words in it.
const PROSE: &str = "Russian President Vladimir Putin met NATO Secretary-General Jens \
Stoltenberg in Brussels on Monday, where the European Union and the United States said talks \
with Ukraine and China would resume. The U.S. Federal Reserve and the IMF warned that Germany, \
France and Japan faced slower growth. ";

/// The table of hostile inputs, in the order the benchmark prints them.
pub const INPUTS: &[HostileInput] = &[
    HostileInput {
        name: "cyrillic-word",
        generate: |n| repeat("Ру", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "cyrillic-lookalike-word",
        generate: |n| repeat("АСЕ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "greek-word",
        generate: |n| repeat("Αθ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "cjk-word",
        generate: |n| repeat("中国", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "mixed-script-lookalikes",
        generate: |n| repeat("Сеntrаl", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "combining-marks",
        generate: |n| repeat("e\u{301}\u{308}", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "one-letter-many-marks",
        generate: |n| format!("a{}", repeat("\u{301}", n.saturating_sub(1))),
        placement: Placement::Body,
    },
    HostileInput {
        name: "ascii-no-space",
        generate: |n| repeat("abcdefghijklmnopqrstuvwxyz", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "every-byte-a-boundary-a",
        generate: |n| repeat("a ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "every-byte-a-boundary-dot",
        generate: |n| repeat(". ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "punctuation-only",
        generate: |n| repeat("-'.,", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "name-repeated",
        generate: |n| repeat("NATO ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "names-no-space",
        generate: |n| repeat("NATO", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "surname-repeated",
        generate: |n| format!("Vladimir Putin {}", repeat("Putin ", n.saturating_sub(15))),
        placement: Placement::Body,
    },
    HostileInput {
        name: "lower-case-false-friends",
        generate: |n| repeat("us who chad turkey ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "dotted-acronyms",
        generate: |n| repeat("U.S.", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "single-line-prose",
        generate: |n| repeat(PROSE, n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "capitalised-words",
        generate: |n| repeat("Bank Of The Central Republic ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "hyphen-chain",
        generate: |n| repeat("Canada-peace-", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "long-words-between-names",
        generate: |n| {
            format!(
                "{} Canada {}",
                repeat("x", n / 2 - 4),
                repeat("y", n / 2 - 4)
            )
        },
        placement: Placement::Body,
    },
    HostileInput {
        name: "many-lines-one-letter",
        generate: |n| repeat("a\n", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "blank-lines",
        generate: |n| repeat("\n", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "unicode-whitespace",
        generate: |n| repeat("\u{a0}\u{2003}", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "bidi-and-zero-width",
        generate: |n| repeat("R\u{200b}u\u{202e}s\u{200d}s\u{2066}i\u{feff}a ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "soft-hyphens-in-word",
        generate: |n| format!("Rus{}sia", repeat("\u{ad}", n.saturating_sub(7))),
        placement: Placement::Body,
    },
    HostileInput {
        // U+FFFF is the matcher's trie end mark: a walk must stop before it, not read on.
        name: "noncharacters-and-nul",
        generate: |n| repeat("NATO\u{ffff}Russia\0Canada\u{fffe} ", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "compatibility-spaces",
        generate: |n| repeat("\u{b4}", n),
        placement: Placement::Body,
    },
    HostileInput {
        name: "title-and-body-at-limit",
        generate: |n| repeat(PROSE, n),
        placement: Placement::TitleAndBody,
    },
];

/// The option combinations each input runs with: plain, explain, and each offset unit.
pub fn option_sets() -> Vec<(&'static str, TagOptions)> {
    let with = |explain: bool, unit: OffsetUnit| TagOptions {
        explain,
        offset_unit: unit as i32,
        ..TagOptions::default()
    };
    vec![
        ("utf8", with(false, OffsetUnit::Utf8)),
        ("explain", with(true, OffsetUnit::Utf8)),
        ("codepoint", with(false, OffsetUnit::Codepoint)),
        ("utf16+explain", with(true, OffsetUnit::Utf16)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_stay_within_the_size_asked_for() {
        for input in INPUTS {
            let text = (input.generate)(4096);
            assert!(text.len() <= 4096, "{}: {} bytes", input.name, text.len());
            assert!(text.len() >= 2048, "{}: {} bytes", input.name, text.len());
        }
    }
}
