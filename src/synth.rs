//! Deterministic synthetic gazetteers for benchmarks: realistic multi-word names, about three
//! aliases each, any size. The same seed and size always give the same bytes.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

const FIRST_NAMES: &[&str] = &[
    "Maria", "John", "Anna", "David", "Elena", "Mohammed", "Sofia", "James", "Olga", "Carlos",
    "Yuki", "Peter", "Fatima", "Lukas", "Amara", "Ivan", "Chen", "Laura", "Ahmed", "Grace",
    "Tomas", "Nadia", "Pablo", "Irina", "Kwame", "Emma", "Hassan", "Mei", "Victor", "Leila",
    "Andrzej", "Beatriz",
];
const SYLLABLES: &[&str] = &[
    "ka", "lo", "ven", "dra", "mir", "sol", "ta", "ren", "bor", "li", "gan", "vel", "tor", "mun",
    "sha", "ber", "dan", "ko", "ril", "zen", "pa", "nor", "vi", "stel", "mar", "qui", "for", "len",
    "dus", "hal", "mek", "ro",
];
const ORG_KINDS: &[&str] = &[
    "Holdings",
    "Group",
    "Bank",
    "Foundation",
    "Institute",
    "Agency",
    "Party",
    "Union",
];
const PLACE_KINDS: &[&str] = &["Port", "Lake", "Mount", "New", "North", "San"];

/// A tiny deterministic generator (xorshift), so the output never depends on a crate's
/// version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// A capitalised made-up word of 2-4 syllables; `index` makes it unique enough at scale.
fn word(rng: &mut Rng, index: usize) -> String {
    let syllables = 2 + (rng.next() % 3) as usize;
    let mut text: String = (0..syllables).map(|_| rng.pick(SYLLABLES)).collect();
    // Spread the index over syllables so a million words stay mostly distinct.
    let _ = write!(text, "{}", SYLLABLES[index % SYLLABLES.len()]);
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Writes `entities` rows (a third each of people, organisations and locations) to
/// `dir/synthetic.tsv`, replacing it.
pub fn write_gazetteer(dir: &Path, entities: usize, seed: u64) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let file = std::fs::File::create(dir.join("synthetic.tsv"))?;
    let mut out = std::io::BufWriter::new(file);
    writeln!(
        out,
        "# synthetic gazetteer: {entities} entities, seed {seed}"
    )?;
    writeln!(out, "id\ttype\tname\taliases\tacronyms")?;
    let mut rng = Rng(seed.max(1));
    for index in 0..entities {
        let a = word(&mut rng, index);
        let b = word(&mut rng, index / SYLLABLES.len());
        match index % 3 {
            0 => {
                let first = rng.pick(FIRST_NAMES);
                let middle = rng.pick(FIRST_NAMES);
                writeln!(
                    out,
                    "synth:{index}\tperson\t{first} {a}\t{first} {middle} {a}|{}. {a}|{first} {a}-{b}\t",
                    &first[..1]
                )?;
            }
            1 => {
                let kind = rng.pick(ORG_KINDS);
                let acronym: String = [&a[..1], &b[..1], &kind[..1]].concat();
                writeln!(
                    out,
                    "synth:{index}\torganisation\t{a} {b} {kind}\t{a} {b}|The {a} {kind}\t{acronym}{}",
                    index % 97
                )?;
            }
            _ => {
                let kind = rng.pick(PLACE_KINDS);
                writeln!(
                    out,
                    "synth:{index}\tlocation\t{kind} {a}\t{a} {b}|{kind} {a} City|{a}\t"
                )?;
            }
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_valid() {
        let dir = std::env::temp_dir().join(format!("newstag-synth-{}", std::process::id()));
        write_gazetteer(&dir, 300, 7).unwrap();
        let first = std::fs::read(dir.join("synthetic.tsv")).unwrap();
        write_gazetteer(&dir, 300, 7).unwrap();
        assert_eq!(first, std::fs::read(dir.join("synthetic.tsv")).unwrap());
        let gazetteer = crate::Gazetteer::load_dir(&dir).unwrap();
        assert_eq!(gazetteer.entities.len(), 300);
        assert!(gazetteer.alias_count() >= 300 * 3);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
