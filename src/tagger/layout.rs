//! Where a mention sits in the article, and how much that says about the article's subject.
//!
//! Title mentions weigh 3; body mentions from 2 at the top to 1 at the end of the main text.
//! Scraped pages end with teasers for other stories ("You May Also Like", "Related
//! Articles"...): from the first such heading line in the second half of the body on, mentions
//! and topic keywords weigh only [`BOILERPLATE_WEIGHT`] — a story linked below an article is not
//! what the article is about.

use crate::proto::Field;
use crate::text;

/// Weight of a mention or keyword inside trailing page boilerplate.
pub const BOILERPLATE_WEIGHT: f64 = 0.2;

/// Heading lines that start the teaser/boilerplate tail of a scraped page (compared
/// case-insensitively, trailing punctuation ignored).
const BOILERPLATE_HEADINGS: &[&str] = &[
    "you may also like",
    "you might also like",
    "related",
    "related articles",
    "related stories",
    "related news",
    "related posts",
    "read more",
    "read next",
    "more stories",
    "more news",
    "more from",
    "recommended",
    "recommended for you",
    "trending",
    "trending now",
    "most popular",
    "most read",
    "also read",
    "see also",
    "top stories",
    "latest news",
];

/// The shape of one article.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    /// Byte offset in the body where boilerplate starts (the body length if none).
    boilerplate_start: usize,
    /// Words of title and main body text.
    words: usize,
}

impl Layout {
    /// Measures an article.
    pub(crate) fn of(title: &str, body: &str) -> Self {
        let boilerplate_start = boilerplate_start(body);
        let words = text::count_words(title) + text::count_words(&body[..boilerplate_start]);
        Self {
            boilerplate_start,
            words,
        }
    }

    /// Weight of a mention starting at byte `start` of `field`.
    pub(crate) fn weight(&self, field: Field, start: usize) -> f64 {
        match field {
            Field::Title => 3.0,
            _ if start >= self.boilerplate_start => BOILERPLATE_WEIGHT,
            _ => 1.0 + (1.0 - start as f64 / self.boilerplate_start.max(1) as f64),
        }
    }

    /// Whether byte `start` of `field` lies in the boilerplate tail.
    pub(crate) fn in_boilerplate(&self, field: Field, start: usize) -> bool {
        field != Field::Title && start >= self.boilerplate_start
    }

    /// Divides topic evidence so one keyword in a long article counts less than in a short
    /// item: 1 up to 150 words, then the square root of the length in 150-word units.
    pub(crate) fn length_factor(&self) -> f64 {
        (self.words as f64 / 150.0).sqrt().max(1.0)
    }
}

fn boilerplate_start(body: &str) -> usize {
    let bytes = body.as_bytes();
    let half = body.len() / 2;
    // Only lines starting in the second half count: the first of them starts right after the
    // first line feed from `half - 1` on (or at 0 in a body of one byte), and the lines before
    // it are never split.
    let mut start = match half.checked_sub(1) {
        None => 0,
        Some(before) => match memchr::memchr(b'\n', &bytes[before..]) {
            Some(i) => before + i + 1,
            None => return body.len(),
        },
    };
    while start < body.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(body.len(), |i| start + i + 1);
        if is_boilerplate_heading(&body[start..end]) {
            return start;
        }
        start = end;
    }
    body.len()
}

/// Whether `line` is one of the [`BOILERPLATE_HEADINGS`], in any case, with any surrounding
/// blanks and a trailing colon, dot or ellipsis.
fn is_boilerplate_heading(line: &str) -> bool {
    let heading = line.trim().trim_end_matches([':', '.', '…']).trim();
    // The headings are ASCII: compared without lower-casing (allocating) every line.
    BOILERPLATE_HEADINGS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(heading))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teasers_after_a_heading_in_the_second_half_weigh_little() {
        let body = "Main story about Russia.\nMore of the story.\nEven more story text here.\nYou May Also Like\nA teaser.\n";
        let layout = Layout::of("", body);
        let teaser = body.find("A teaser").unwrap();
        assert_eq!(layout.weight(Field::Body, teaser), BOILERPLATE_WEIGHT);
        assert!(layout.weight(Field::Body, 0) > 1.9);
        assert_eq!(layout.weight(Field::Title, 0), 3.0);
        // "Related" early in the text is not boilerplate.
        let early = Layout::of(
            "",
            "Related\nThe story goes on for a long while, and on, and on.\n",
        );
        assert!(!early.in_boilerplate(Field::Body, 10));
    }

    /// The search as it was written first: every line split, those before the middle
    /// skipped (the heading test is shared). `boilerplate_start` must agree with it on any
    /// body.
    fn boilerplate_start_by_lines(body: &str) -> usize {
        let half = body.len() / 2;
        let mut offset = 0;
        for line in body.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            if start >= half && is_boilerplate_heading(line) {
                return start;
            }
        }
        body.len()
    }

    #[test]
    fn the_heading_search_starts_at_the_first_line_of_the_second_half() {
        for body in [
            "",
            "\n",
            "a",
            "Related",
            "ab\nRelated\n",
            "abc\nRelated",
            "text\n\nRelated\nx",
            "Related\nabcdefghij\nRead more:\n",
            "é\nRelated…\n",
        ] {
            assert_eq!(
                boilerplate_start(body),
                boilerplate_start_by_lines(body),
                "{body:?}"
            );
        }
    }

    proptest::proptest! {
        /// Random bodies of headings, words and line feeds: the same start as splitting
        /// every line (it fails when the first examined line is off by one).
        #[test]
        fn the_heading_search_agrees_with_splitting_every_line(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("Related"),
                    proptest::strategy::Just("READ MORE:"),
                    proptest::strategy::Just(" more news "),
                    proptest::strategy::Just("\n"),
                    proptest::strategy::Just("word"),
                    proptest::strategy::Just("é"),
                    proptest::strategy::Just("x"),
                ],
                0..24,
            ),
        ) {
            let body = parts.concat();
            proptest::prop_assert_eq!(boilerplate_start(&body), boilerplate_start_by_lines(&body));
        }
    }

    #[test]
    fn long_articles_need_more_topic_evidence() {
        assert_eq!(Layout::of("t", "short text").length_factor(), 1.0);
        assert!(Layout::of("", &"word ".repeat(600)).length_factor() > 1.9);
    }
}
