//! Words and lines of a field: the tokens runs are built from, and which lines are
//! headlines (written in capitals).

/// A word of a field.
#[derive(Debug, Clone, Copy)]
pub(super) struct Token {
    pub start: usize,
    pub end: usize,
}

/// Splits a field into words: letters and digits, with inner apostrophes, hyphens and the dots
/// of initials ("O'Reilly", "al-Assad", "J.", "U.S."); "&" is a word of its own.
#[cfg(test)]
pub(super) fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    tokens_into(text, &mut out);
    out
}

/// [`tokens`] into `out` (cleared first), a buffer reused from field to field.
pub(super) fn tokens_into(text: &str, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    out.clear();
    out.reserve(text.len() / 6);
    if text.is_ascii() {
        tokens_ascii(bytes, out);
        return;
    }
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '&' {
            out.push(Token {
                start: i,
                end: i + 1,
            });
            continue;
        }
        if !c.is_alphanumeric() {
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            // Letters and marks, or a joiner with a letter after it ("O'Reilly", "al-Assad").
            // ASCII first: the Unicode tables are only consulted for other characters.
            let inner = if d.is_ascii() {
                d.is_ascii_alphanumeric()
            } else {
                d.is_alphanumeric() || unicode_normalization::char::is_combining_mark(d)
            } || (matches!(d, '\'' | '’' | '-' | '.' | '&')
                && text[j + d.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric));
            if !inner {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        // "J." and "U.S.": the final dot of initials belongs to the word.
        if bytes.get(end) == Some(&b'.') {
            let word = &text[start..end];
            let initials = word
                .split('.')
                .all(|part| part.chars().count() == 1 && part.chars().all(char::is_uppercase));
            if initials {
                end += 1;
                chars.next();
            }
        }
        out.push(Token { start, end });
    }
}

/// [`tokens_into`] for an ASCII field, byte by byte (the same rules; no decoding).
fn tokens_ascii(bytes: &[u8], out: &mut Vec<Token>) {
    let alnum = |b: u8| crate::text::ASCII_WORD[usize::from(b)];
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        if !alnum(b) {
            if b == b'&' {
                out.push(Token {
                    start: i,
                    end: i + 1,
                });
            }
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        loop {
            while end < n && alnum(bytes[end]) {
                end += 1;
            }
            // A joiner with a letter or digit after it continues the word ("O'Reilly").
            let joined = end + 1 < n
                && matches!(bytes[end], b'\'' | b'-' | b'.' | b'&')
                && alnum(bytes[end + 1]);
            if !joined {
                break;
            }
            end += 2;
        }
        if bytes.get(end) == Some(&b'.') {
            let initials = bytes[start..end]
                .split(|&b| b == b'.')
                .all(|part| part.len() == 1 && part[0].is_ascii_uppercase());
            if initials {
                end += 1;
            }
        }
        out.push(Token { start, end });
        i = end;
    }
}

pub(super) fn is_capitalised(word: &str) -> bool {
    // "al-Assad", "bin-Laden", "d'Alema", "McIlroy" written "mcIlroy" is not a name.
    // Every prefix holds its joiner, so no scan of the word for one is needed.
    // The particles ("al-", "el-", "d'", "d’", "o'", "l'") matched byte by byte: "and", "of"
    // and "a" are among the commonest words, and a comparison call per particle cost 2 % of
    // tagging.
    // Most words start with an ASCII letter that settles it; only a word starting with a
    // particle's letter reads on.
    let bytes = word.as_bytes();
    match bytes.first() {
        Some(b'a' | b'd' | b'e' | b'l' | b'o') => {}
        Some(first) if first.is_ascii() => return first.is_ascii_uppercase(),
        // Every particle starts with an ASCII letter: a word starting otherwise needs a capital.
        _ => return word.chars().next().is_some_and(char::is_uppercase),
    }
    let after_particle = match bytes {
        [b'a' | b'e', b'l', b'-', ..] => 3,
        [b'd' | b'o' | b'l', b'\'', ..] => 2,
        [b'd', 0xE2, 0x80, 0x99, ..] => 4,
        _ => return false,
    };
    word[after_particle..].starts_with(char::is_uppercase)
}

pub(super) fn is_all_caps(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !word.chars().any(char::is_lowercase)
}

/// The lines of a field, each with whether it is written in capitals (a headline, a shouted
/// dateline): there every word is capitalised, so capitals say nothing about names. Title-case
/// lines (lists of names, tables) are not: their capitals still mark names. Classified in one
/// pass, so a field of one long line costs no more than one of many short ones.
#[cfg(test)]
pub(super) fn headline_lines(text: &str) -> Vec<(usize, bool)> {
    let mut lines = Vec::new();
    headline_lines_into(text, &mut lines);
    lines
}

/// [`headline_lines`] into `lines` (cleared first), a buffer reused from field to field.
pub(super) fn headline_lines_into(text: &str, lines: &mut Vec<(usize, bool)>) {
    lines.clear();
    // ASCII byte by byte: most fields are ASCII, and decoding and the Unicode case tables
    // cost several times more.
    if text.is_ascii() {
        classify_ascii_lines(text.as_bytes(), lines);
    } else {
        classify_lines(text, lines);
    }
}

/// One pass over the characters of `text`, each line classified by [`is_headline`].
pub(super) fn classify_lines(text: &str, lines: &mut Vec<(usize, bool)>) {
    let mut line_start = 0;
    let (mut upper, mut lower) = (0usize, 0usize);
    for (i, c) in text.char_indices() {
        if c == '\n' {
            lines.push((line_start, is_headline(upper, lower)));
            line_start = i + 1;
            (upper, lower) = (0, 0);
        } else if c.is_uppercase() {
            upper += 1;
        } else if c.is_lowercase() {
            lower += 1;
        }
    }
    lines.push((line_start, is_headline(upper, lower)));
}

/// A line of `upper` capitals and `lower` small letters is a headline: eight capitals or more,
/// and at least four in five of its cased letters.
fn is_headline(upper: usize, lower: usize) -> bool {
    upper >= 8 && upper * 10 >= (upper + lower) * 8
}

/// [`classify_lines`] for ASCII text: line feeds found by `memchr`, then each line's capitals
/// and small letters counted by byte range tests into byte-wide counters, a loop without a
/// branch that the compiler vectorises. One byte loop that branched on line feeds and counted
/// into words took 9.5 M instructions on 2,000 Reuters articles (2 % of tagging); this takes
/// 1.3 M.
pub(super) fn classify_ascii_lines(bytes: &[u8], lines: &mut Vec<(usize, bool)>) {
    let mut line_start = 0;
    for end in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())) {
        let (mut upper, mut lower) = (0usize, 0usize);
        // At most 255 bytes per stretch, so the byte-wide counters cannot overflow.
        for stretch in bytes[line_start..end].chunks(255) {
            let (mut up, mut low) = (0u8, 0u8);
            for &b in stretch {
                up += u8::from(b.wrapping_sub(b'A') < 26);
                low += u8::from(b.wrapping_sub(b'a') < 26);
            }
            upper += usize::from(up);
            lower += usize::from(low);
        }
        lines.push((line_start, is_headline(upper, lower)));
        line_start = end + 1;
    }
}

/// Whether the line holding `position` is a headline (see [`headline_lines`]).
pub(super) fn in_headline(lines: &[(usize, bool)], position: usize) -> bool {
    let i = lines.partition_point(|&(start, _)| start <= position);
    i > 0 && lines[i - 1].1
}
