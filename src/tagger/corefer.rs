//! Coreference within one article: the mentions that name an entity another way join it.
//!
//! - A discovered name gets one entity per normalised name, typed by the majority of its
//!   mentions' evidence ("Lester" typed a person by "Mr Lester" is the same entity as the one
//!   "Tony Lester" names).
//! - A single word, or a surname after an honorific ("McIlroy", "Mr Jackson"), joins the one
//!   person, linked or not, whose full name ends with it; a plural ("the Kennedys") too.
//! - An acronym in parentheses right after a name ("the Economist Intelligence Unit (EIU)")
//!   joins that name's entity, here and wherever else the article uses it.
//! - A possessive ("McIlroy's") was already trimmed to its base by discovery.
//! - One word capitalised mid-sentence twice or more ("Reuters said … told Reuters") is a
//!   name by its shape, `misc` unless other evidence types it.
//! - What stays unexplained is dropped when discovery marked it pending (headline capitals,
//!   a single word with no type evidence): a name with no evidence is not returned.

use foldhash::{HashMap, HashMapExt};

use super::discover::{Discovered, DiscoveryRules, NameType};
use super::mentions::{Found, Target, Unlinked};
use crate::gazetteer::Gazetteer;
use crate::proto::{Field, MentionKind};

/// Lower-cased, ASCII-folded words joined by `-`: the normalised name of an unlinked entity's
/// id ("James McIlroy" → "james-mcilroy").
pub(crate) fn slug(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(name.len());
    if name.is_ascii() {
        // No accents to strip: no decomposition.
        for b in name.bytes() {
            if b.is_ascii_alphanumeric() {
                out.push(char::from(b.to_ascii_lowercase()));
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        while out.ends_with('-') {
            out.pop();
        }
        return out;
    }
    let letters = name
        .nfd()
        .filter(|&c| !unicode_normalization::char::is_combining_mark(c));
    for c in letters {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Confidence of a mention joined through a surname, an acronym or a plural.
const JOINED: f64 = 0.6;

/// Joins discovered names to each other and to linked entities, and builds the unlinked
/// entities. `linked` are the resolved gazetteer mentions; the result adds the discovered
/// mentions that stand (joined or as their own entity).
pub(crate) fn corefer(
    gazetteer: &Gazetteer,
    texts: (&str, &str),
    mut linked: Vec<Found>,
    discovered: Vec<Discovered>,
    rules: DiscoveryRules,
) -> (Vec<Found>, Vec<Unlinked>) {
    let names = Names::new(texts, &discovered, rules);
    let (unlinked, by_slug) = names.entities();
    let surnames = if rules.coreference {
        surnames(gazetteer, &unlinked, &linked)
    } else {
        HashMap::new()
    };
    let known = Known {
        acronyms: names.acronyms(&linked, &by_slug),
        surnames,
        by_slug,
    };
    for (i, d) in discovered.iter().enumerate() {
        let key = names.slugs[i].as_str();
        let own = known.by_slug.get(key).copied().filter(|_| names.stands[i]);
        let Some((target, kind, rule)) = join(d, key, own, &known, rules) else {
            continue;
        };
        let confidence = match (target, own) {
            (Target::Unlinked(u), Some(o)) if u == o => d.confidence,
            _ => JOINED,
        };
        linked.push(Found {
            field: d.field,
            start: d.start,
            end: d.end,
            target,
            kind,
            form: None,
            rule,
            detail: Some(format!("evidence: {}", d.evidence.join(", "))),
            confidence,
        });
    }
    (linked, unlinked)
}

/// The discovered names of an article, each with its normalised name and whether it stands.
struct Names<'a> {
    texts: (&'a str, &'a str),
    discovered: &'a [Discovered],
    rules: DiscoveryRules,
    /// Each name's slug ("James McIlroy" → "james-mcilroy").
    slugs: Vec<String>,
    /// Whether each name stands: on its own evidence (not pending), or as one word
    /// capitalised mid-sentence twice or more ("Reuters said … told Reuters"), a name by its
    /// shape.
    stands: Vec<bool>,
}

impl<'a> Names<'a> {
    fn new(texts: (&'a str, &'a str), discovered: &'a [Discovered], rules: DiscoveryRules) -> Self {
        let text_of = |field: Field| {
            if field == Field::Title {
                texts.0
            } else {
                texts.1
            }
        };
        let slugs: Vec<String> = discovered
            .iter()
            .map(|d| slug(&text_of(d.field)[d.start..d.end]))
            .collect();
        let mut shaped: HashMap<&str, usize> = HashMap::new();
        for (d, key) in discovered.iter().zip(&slugs) {
            if d.pending && d.shaped && d.words.len() == 1 {
                *shaped.entry(key.as_str()).or_default() += 1;
            }
        }
        let stands = discovered
            .iter()
            .zip(&slugs)
            .map(|(d, key)| {
                !d.pending
                    || (d.shaped
                        && rules.coreference
                        && shaped.get(key.as_str()).is_some_and(|&n| n >= 2))
            })
            .collect();
        Self {
            texts,
            discovered,
            rules,
            slugs,
            stands,
        }
    }

    fn text_of(&self, field: Field) -> &'a str {
        if field == Field::Title {
            self.texts.0
        } else {
            self.texts.1
        }
    }

    /// One unlinked entity per normalised name among the names that stand, typed by the
    /// majority of its mentions' evidence, and its index by slug.
    fn entities(&self) -> (Vec<Unlinked>, HashMap<String, u32>) {
        let mut votes: HashMap<&str, [f64; 4]> = HashMap::new();
        for (d, key) in self.discovered.iter().zip(&self.slugs) {
            if d.pending || key.is_empty() {
                continue;
            }
            let vote = votes.entry(key.as_str()).or_default();
            vote[d.name_type as usize] += if d.name_type == NameType::Misc {
                0.1
            } else {
                d.confidence
            };
        }
        let mut unlinked: Vec<Unlinked> = Vec::new();
        let mut by_slug: HashMap<String, u32> = HashMap::new();
        let types = [
            NameType::Person,
            NameType::Organisation,
            NameType::Location,
            NameType::Misc,
        ];
        for (i, d) in self.discovered.iter().enumerate() {
            let key = &self.slugs[i];
            if !self.stands[i] || key.is_empty() || by_slug.contains_key(key) {
                continue;
            }
            let vote = votes.get(key.as_str()).copied().unwrap_or_default();
            let best = (0..4)
                .filter(|&i| vote[i] > 0.0)
                .max_by(|&a, &b| vote[a].total_cmp(&vote[b]))
                .map_or(NameType::Misc, |i| types[i]);
            by_slug.insert(key.clone(), unlinked.len() as u32);
            unlinked.push(Unlinked {
                slug: key.clone(),
                name_type: best,
                name: self.text_of(d.field)[d.start..d.end].to_owned(),
                words: d.words.len(),
                evidence: Vec::new(),
                confidence: 0.0,
                team_reading: true,
            });
        }
        // A mixed-case spelling names the entity over one in capitals ("James McIlroy" over
        // "JAMES MCILROY", the same slug), else the first.
        for (i, d) in self.discovered.iter().enumerate() {
            if !self.stands[i] {
                continue;
            }
            if let Some(&u) = by_slug.get(&self.slugs[i]) {
                let entity = &mut unlinked[u as usize];
                let text = &self.text_of(d.field)[d.start..d.end];
                if entity.name.chars().all(|c| !c.is_lowercase())
                    && text.chars().any(char::is_lowercase)
                {
                    entity.name = text.to_owned();
                }
                for why in &d.evidence {
                    if !entity.evidence.contains(why) {
                        entity.evidence.push(why);
                    }
                }
                entity.confidence = entity.confidence.max(d.confidence);
                entity.team_reading &= d.evidence == [super::discover::TEAM_READING];
            }
        }
        (unlinked, by_slug)
    }

    /// Acronyms introduced in parentheses right after a name, by slug: the entity of that
    /// name.
    fn acronyms(
        &self,
        linked: &[Found],
        by_slug: &HashMap<String, u32>,
    ) -> HashMap<String, Target> {
        let mut acronyms: HashMap<String, Target> = HashMap::new();
        let parenthesised = |d: &Discovered| {
            let text = self.text_of(d.field);
            d.words.len() == 1 && text[..d.start].ends_with('(') && text[d.end..].starts_with(')')
        };
        // The indexes below cost a hash insert per mention: built only for an article with a
        // parenthesised word at all.
        if !self.rules.coreference || !self.discovered.iter().any(parenthesised) {
            return acronyms;
        }
        // Names by where they end, so each parenthesis costs one lookup.
        let linked_by_end: HashMap<(Field, usize), (Target, usize)> = linked
            .iter()
            .map(|f| ((f.field, f.end), (f.target, f.start)))
            .collect();
        let discovered_by_end: HashMap<(Field, usize), (Target, usize)> = self
            .discovered
            .iter()
            .zip(&self.slugs)
            .filter(|(o, _)| !o.pending)
            .filter_map(|(o, k)| {
                by_slug
                    .get(k)
                    .map(|&u| ((o.field, o.end), (Target::Unlinked(u), o.start)))
            })
            .collect();
        for (d, key) in self.discovered.iter().zip(&self.slugs) {
            let text = self.text_of(d.field);
            let acronym = &text[d.start..d.end];
            if d.words.len() != 1
                || acronym.chars().count() < 2
                || acronym.chars().any(char::is_lowercase)
                || !text[..d.start].ends_with('(')
                || !text[d.end..].starts_with(')')
            {
                continue;
            }
            let before = text[..d.start - 1].trim_end();
            let expansion_end = before.len();
            // The name ending right before the parenthesis: a linked mention or a discovered
            // name.
            let target = linked_by_end
                .get(&(d.field, expansion_end))
                .or_else(|| discovered_by_end.get(&(d.field, expansion_end)))
                .copied();
            if let Some((target, start)) = target
                && initials_match(acronym, &text[start..expansion_end])
            {
                acronyms.insert(key.clone(), target);
            }
        }
        acronyms
    }
}

/// Surnames of people named in full: unlinked people with two words or more, and linked
/// people tagged in the article. A surname two people share joins neither (`None`).
fn surnames(
    gazetteer: &Gazetteer,
    unlinked: &[Unlinked],
    linked: &[Found],
) -> HashMap<String, Option<Target>> {
    let mut surnames: HashMap<String, Option<Target>> = HashMap::new();
    let mut add = |surname: String, target: Target| {
        surnames
            .entry(surname)
            .and_modify(|t| {
                if *t != Some(target) {
                    *t = None;
                }
            })
            .or_insert(Some(target));
    };
    for (u, entity) in unlinked.iter().enumerate() {
        if entity.name_type == NameType::Person
            && entity.words >= 2
            && let Some(last) = entity.slug.rsplit('-').next()
        {
            add(last.to_owned(), Target::Unlinked(u as u32));
        }
    }
    for found in linked {
        if let Target::Linked(e) = found.target {
            let record = &gazetteer.entities[e as usize].record;
            if record.entity_type == "person" && found.kind != MentionKind::Surname {
                let key = slug(&record.name);
                if key.contains('-')
                    && let Some(last) = key.rsplit('-').next()
                {
                    add(last.to_owned(), Target::Linked(e));
                }
            }
        }
    }
    surnames
}

/// What a discovered mention may join, each by slug.
struct Known {
    /// Acronyms introduced in parentheses after a name.
    acronyms: HashMap<String, Target>,
    /// Surnames of people named in full (`None`: shared by two).
    surnames: HashMap<String, Option<Target>>,
    /// The unlinked entities.
    by_slug: HashMap<String, u32>,
}

/// The entity one discovered mention joins, its kind and the rule, in order of trust: an
/// acronym introduced after a name, a full name as its own entity, a surname of a person named
/// in full, its own entity, the same name typed elsewhere. `None`: it stands for nothing.
fn join(
    d: &Discovered,
    key: &str,
    own: Option<u32>,
    known: &Known,
    rules: DiscoveryRules,
) -> Option<(Target, MentionKind, &'static str)> {
    let Known {
        acronyms,
        surnames,
        by_slug,
    } = known;
    let single = d.words.len() == 1;
    let surname = || {
        if !single && d.name_type != NameType::Person {
            return None;
        }
        let last = key.rsplit('-').next()?;
        surnames
            .get(last)
            .copied()
            .flatten()
            .or_else(|| {
                // "the Kennedys": a plural of a surname.
                last.strip_suffix('s')
                    .and_then(|base| surnames.get(base).copied().flatten())
            })
            .filter(|_| single || d.words.len() <= 2)
    };
    let kind_of = |target: Target, linked_kind: MentionKind| match target {
        Target::Linked(_) => linked_kind,
        Target::Unlinked(_) => MentionKind::Unlinked,
    };
    Some(if let Some(&target) = acronyms.get(key) {
        (
            target,
            kind_of(target, MentionKind::Acronym),
            "acronym introduced in parentheses after the name",
        )
    } else if let Some(u) = own.filter(|_| d.words.len() >= 2) {
        // A full name is its own entity's name.
        (
            Target::Unlinked(u),
            MentionKind::Unlinked,
            "name not in the gazetteer",
        )
    } else if let Some(target) = surname() {
        (
            target,
            kind_of(target, MentionKind::Surname),
            "surname of a person named in full in the article",
        )
    } else if let Some(u) = own {
        (
            Target::Unlinked(u),
            MentionKind::Unlinked,
            "name not in the gazetteer",
        )
    } else if let Some(&u) = by_slug.get(key).filter(|_| rules.coreference) {
        (
            Target::Unlinked(u),
            MentionKind::Unlinked,
            "same name as a name typed elsewhere in the article",
        )
    } else {
        return None;
    })
}

/// Whether an acronym's letters are the initials of the name's capitalised words, in order
/// ("EIU" for "Economist Intelligence Unit"; "FBI" for "Federal Bureau of Investigation").
fn initials_match(acronym: &str, name: &str) -> bool {
    let initials: Vec<char> = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    let letters: Vec<char> = acronym.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.first() != initials.first() {
        return false;
    }
    // Every acronym letter in order among the initials (some acronyms skip a word).
    let mut rest = initials.iter();
    letters.iter().all(|l| rest.any(|i| i == l)) && letters.len() * 2 >= initials.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_case_and_accents() {
        assert_eq!(slug("James McIlroy"), "james-mcilroy");
        assert_eq!(slug("Adeline van Houtte"), "adeline-van-houtte");
        assert_eq!(slug("Bill O'Reilly"), "bill-o-reilly");
        assert_eq!(slug("José Müller"), "jose-muller");
    }

    #[test]
    fn acronyms_match_initials() {
        assert!(initials_match("EIU", "Economist Intelligence Unit"));
        assert!(initials_match("FBI", "Federal Bureau of Investigation"));
        assert!(!initials_match("AP", "Reuters"));
        assert!(!initials_match("XYZ", "Economist Intelligence Unit"));
    }
}
