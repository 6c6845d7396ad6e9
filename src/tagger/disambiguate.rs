//! Disambiguation: the entities that share a form are scored, and the best wins when its lead
//! over the runner-up is enough, else nothing is tagged.
//!
//! Each candidate's [`Features`] are computed by a pure function of the gazetteer and the
//! article's [`Evidence`]; its [`Score`] keeps every weighted term, so explain prints why. The
//! weights ([`Weights`]) are ordered so that the article's own evidence outweighs how the
//! gazetteer ranks entities (a prior would need to be e^10 times another's to outweigh the
//! text's spelling, e^20 its places), while features add up where the old rule cascade
//! stopped at the first that decided:
//!
//! | feature | weight | example |
//! |---|---|---|
//! | anchored: the article names the entity by a form no other has (not a team where the mention's context says place) | 40 | "Michael Jordan … Jordan"; "Texas Rangers … ARLINGTON, Texas 1996-08-31" is the state |
//! | placed: its `within` chain holds something the article names, or it holds one (for a town named like a country, not by the country alone) | 20 | "Paris … Texas" |
//! | team reading: a club or national team, of the sport the story names if it names one, where a sports story names a side (else −1); −1 for a team where its context says place | 20 | "Liverpool beat Chelsea"; "NEW YORK" in a baseball report is no football club; "ARLINGTON, Texas" is the state |
//! | sport: in a sports story, +1 for an athlete, −1 for a person of another known occupation | 3 | "Michael Johnson" the sprinter |
//! | game: a team whose name or description names a sport (football, cricket, rugby…): +1 when the article names that sport too, −1 when it names only others | 10 | "Sri Lanka" in a cricket report is the cricket team; "Wimbledon" in a tennis story is no football club |
//! | foreign phrase: a party or brand of one country named by common words or a surname, whose country the article does not name: −1 | 5 | "Free Democrats" in a German story is no Georgian party; "Soeder" no Swiss retailer, unless its prior is e^5 |
//! | spelled: the text spells the form letter for letter | 10 | "Nato" vs "NATO" |
//! | priority: per level (countries 3, cities and regions 2, international organisations 1) | 2.5 | "Mexico" is the country |
//! | prior: ln(1 + prior), the popularity of docs/GAZETTEERS.md | 1 | Birmingham UK over Birmingham, Alabama |
//!
//! The winner needs a lead of [`Weights::margin`] (ln 2: on popularity alone, twice the
//! runner-up's prior) over the runner-up; ties on score are decided by nothing (no tag rather
//! than a wrong one). A form with one candidate competes with "none of the above", which
//! scores 0: it is tagged unless a type conflict (another kind of person in a sports story, a
//! place where a sports story names a side) makes its score negative, and its confidence says
//! how much its features support it.
//!
//! Confidence maps the lead (over the runner-up, or over "none") to [0.7, 0.95]:
//! `0.7 + 0.25 × (1 − e^(−lead / 6))`, fitted to the precision measured on aida-conll-dev in
//! each bin of confidence (`scripts/eval/reliability.py`): a lone entity with no prior gets 0.7,
//! a lone country about 0.9 and a reading anchored by another name about 0.95.

use std::fmt::Write as _;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use foldhash::HashSet;

use super::candidates::EntityOption;
use crate::gazetteer::Gazetteer;
use crate::gazetteer::cues::Cue;
use crate::text::CasePolicy;

/// One value per feature: the weights (per unit of each feature), or a candidate's weighted
/// terms (its [`Score`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Terms {
    pub anchored: f64,
    pub placed: f64,
    pub team: f64,
    pub sport: f64,
    pub game: f64,
    pub foreign: f64,
    pub spelled: f64,
    pub priority: f64,
    pub prior: f64,
}

/// A candidate's score with its weighted terms kept apart, for explain.
pub(crate) type Score = Terms;

/// The weight of each feature, and the lead a winner needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Weights {
    pub per_unit: Terms,
    /// The lead over the runner-up a winner needs: on popularity alone, a prior
    /// [`super::PRIOR_MARGIN`] times the runner-up's.
    pub margin: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            per_unit: Terms {
                anchored: 40.0,
                placed: 20.0,
                team: 20.0,
                sport: 3.0,
                game: 10.0,
                foreign: 5.0,
                spelled: 10.0,
                priority: 2.5,
                prior: 1.0,
            },
            margin: super::PRIOR_MARGIN.ln(),
        }
    }
}

/// A set of sports, a bit each: an article's sports and a team's are compared as masks.
/// Team sports take the low 16 bits, sports whose sides are people the high 16.
pub(crate) type Sports = u32;

const FOOTBALL: Sports = 1;
const CRICKET: Sports = 1 << 1;
const RUGBY: Sports = 1 << 2;
const BASEBALL: Sports = 1 << 3;
const BASKETBALL: Sports = 1 << 4;
const HOCKEY: Sports = 1 << 5;
const VOLLEYBALL: Sports = 1 << 6;
const HANDBALL: Sports = 1 << 7;
/// American and Canadian football.
const GRIDIRON: Sports = 1 << 8;
/// Gaelic football and hurling.
const GAELIC: Sports = 1 << 9;
const AUSTRALIAN_RULES: Sports = 1 << 10;
const TENNIS: Sports = 1 << 16;
const GOLF: Sports = 1 << 17;
const CYCLING: Sports = 1 << 18;
const SQUASH: Sports = 1 << 19;
const ATHLETICS: Sports = 1 << 20;
const BOXING: Sports = 1 << 21;
const MOTOR_RACING: Sports = 1 << 22;
const SWIMMING: Sports = 1 << 23;
const SHOOTING: Sports = 1 << 24;
const WEIGHTLIFTING: Sports = 1 << 25;
const GYMNASTICS: Sports = 1 << 26;
const WINTER_SPORTS: Sports = 1 << 27;
const COMBAT_SPORTS: Sports = 1 << 28;
const WATER_SPORTS: Sports = 1 << 29;
const EQUESTRIAN: Sports = 1 << 30;
/// Archery, darts, snooker, badminton, table tennis.
const OTHER_INDIVIDUAL: Sports = 1 << 31;

/// The sports whose sides are people, not teams: a place in their results is where a
/// meeting was held or where a competitor comes from.
const INDIVIDUAL_SPORTS: Sports = !0xffff;

/// The words that name each sport, as whole words (a final "s" allowed: "golfers"), longest
/// first where they overlap: "Gaelic football" and "rugby football" are neither soccer nor
/// the American game; "football" alone may be either.
const SPORT_WORDS: &[(&str, Sports)] = &[
    ("football", FOOTBALL | GRIDIRON),
    ("footballer", FOOTBALL),
    ("soccer", FOOTBALL),
    ("association football", FOOTBALL),
    ("american football", GRIDIRON),
    ("canadian football", GRIDIRON),
    ("college football", GRIDIRON),
    ("nfl", GRIDIRON),
    ("quarterback", GRIDIRON),
    ("touchdown", GRIDIRON),
    ("gaelic football", GAELIC),
    ("hurling", GAELIC),
    ("australian rules", AUSTRALIAN_RULES),
    ("cricket", CRICKET),
    ("cricketer", CRICKET),
    ("rugby", RUGBY),
    ("baseball", BASEBALL),
    ("basketball", BASKETBALL),
    ("hockey", HOCKEY),
    ("volleyball", VOLLEYBALL),
    ("handball", HANDBALL),
    ("tennis", TENNIS),
    ("golf", GOLF),
    ("golfer", GOLF),
    ("cycling", CYCLING),
    ("cyclist", CYCLING),
    ("squash", SQUASH),
    ("athletics", ATHLETICS),
    ("metres", ATHLETICS),
    ("marathon", ATHLETICS),
    ("boxing", BOXING),
    ("boxer", BOXING),
    ("motor racing", MOTOR_RACING),
    ("formula one", MOTOR_RACING),
    ("grand prix", MOTOR_RACING),
    ("nascar", MOTOR_RACING),
    ("indycar", MOTOR_RACING),
    ("swimming", SWIMMING),
    ("swimmer", SWIMMING),
    ("diving", SWIMMING),
    ("diver", SWIMMING),
    ("shooting", SHOOTING),
    ("shooter", SHOOTING),
    ("weightlifting", WEIGHTLIFTING),
    ("weightlifter", WEIGHTLIFTING),
    ("gymnastics", GYMNASTICS),
    ("gymnast", GYMNASTICS),
    ("skiing", WINTER_SPORTS),
    ("skier", WINTER_SPORTS),
    ("biathlon", WINTER_SPORTS),
    ("figure skating", WINTER_SPORTS),
    ("speed skating", WINTER_SPORTS),
    ("skater", WINTER_SPORTS),
    ("snowboarding", WINTER_SPORTS),
    ("bobsleigh", WINTER_SPORTS),
    ("luge", WINTER_SPORTS),
    ("wrestling", COMBAT_SPORTS),
    ("wrestler", COMBAT_SPORTS),
    ("judo", COMBAT_SPORTS),
    ("judoka", COMBAT_SPORTS),
    ("taekwondo", COMBAT_SPORTS),
    ("karate", COMBAT_SPORTS),
    ("fencing", COMBAT_SPORTS),
    ("fencer", COMBAT_SPORTS),
    ("rowing", WATER_SPORTS),
    ("rower", WATER_SPORTS),
    ("sailing", WATER_SPORTS),
    ("canoeing", WATER_SPORTS),
    ("kayaking", WATER_SPORTS),
    ("regatta", WATER_SPORTS),
    ("horse racing", EQUESTRIAN),
    ("jockey", EQUESTRIAN),
    ("equestrian", EQUESTRIAN),
    ("show jumping", EQUESTRIAN),
    ("dressage", EQUESTRIAN),
    ("archery", OTHER_INDIVIDUAL),
    ("darts", OTHER_INDIVIDUAL),
    ("snooker", OTHER_INDIVIDUAL),
    ("badminton", OTHER_INDIVIDUAL),
    ("table tennis", OTHER_INDIVIDUAL),
];

/// Whether the sports of `mask` are all individual ones (and there is at least one): a story
/// of tennis, golf, athletics or swimming names no side after a place.
pub(crate) fn individual_sports_only(mask: Sports) -> bool {
    mask != 0 && mask & !INDIVIDUAL_SPORTS == 0
}

/// Every word of [`SPORT_WORDS`], ASCII case-insensitive, longest match first: one scan of a
/// text finds them all without a lower-cased copy. (A few fixed ASCII words always build; the
/// unit test `sports_are_found_in_any_case` holds that.)
static SPORT_MATCHER: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(SPORT_WORDS.iter().map(|(word, _)| word))
        .ok()
});

/// The sports `text` names, as a mask (ASCII case-insensitive, whole words: "recycling"
/// names no cycling, "diverse" no diving).
pub(crate) fn sports_named(text: &str) -> Sports {
    let Some(automaton) = &*SPORT_MATCHER else {
        return 0;
    };
    let bytes = text.as_bytes();
    let word_byte = |i: usize| {
        bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b >= 0x80)
    };
    automaton
        .find_iter(text)
        .filter(|found| {
            let end = found.end() + usize::from(bytes.get(found.end()) == Some(&b's'));
            (found.start() == 0 || !word_byte(found.start() - 1)) && !word_byte(end)
        })
        .fold(0, |mask, found| {
            mask | SPORT_WORDS[found.pattern().as_usize()].1
        })
}

/// Categories whose names are often ordinary phrases ("Free Democrats", "Soeder", "Next"):
/// parties and the brands of the Name Suggestion Index. Universities and agencies are named
/// by phrases of common words and places too ("University of Glasgow"), but those phrases name
/// nothing else.
const FOREIGN_PHRASE_CATEGORIES: &[&str] = &[
    "party",
    "brand",
    "retailer",
    "bank",
    "fuel-brand",
    "restaurant-chain",
    "hotel-chain",
];

/// Whether every word of `text` is a common English word or a surname ("Free Democrats",
/// "Soeder"): a phrase that names many things besides one country's party or brand.
fn common_phrase(gazetteer: &Gazetteer, text: &str) -> bool {
    let mut words = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .peekable();
    words.peek().is_some()
        && words.all(|word| {
            let cues = gazetteer.cues.of(word);
            cues.has(Cue::CommonWord) || cues.has(Cue::Surname)
        })
}

/// Categories that name a side in a sports story.
pub(crate) const TEAM_CATEGORIES: &[&str] = &["club", "national-team"];

/// Whether an entity is a club or national team.
pub(crate) fn is_team(gazetteer: &Gazetteer, entity: u32) -> bool {
    TEAM_CATEGORIES.contains(&gazetteer.entities[entity as usize].record.category.as_str())
}

/// Whether `entity` can be a side in a story that names the sports `story_sports`: a team
/// that plays one of them, or whose row or story names no sport. A baseball report's
/// "NEW YORK" is no side for an American football team of the city.
pub(crate) fn plays_in_story(gazetteer: &Gazetteer, entity: u32, story_sports: Sports) -> bool {
    is_team(gazetteer, entity) && sports_fit(team_sports(gazetteer, entity), story_sports)
}

/// Whether a team playing the sports `own` fits a story naming `story_sports` (either may be
/// unknown: 0).
fn sports_fit(own: Sports, story_sports: Sports) -> bool {
    own == 0 || story_sports == 0 || own & story_sports != 0
}

/// The sports a team's name or description names, as a mask over [`SPORTS`].
fn team_sports(gazetteer: &Gazetteer, entity: u32) -> Sports {
    let record = &gazetteer.entities[entity as usize].record;
    sports_named(&record.name) | sports_named(&record.description)
}

/// What the article says about its entities, gathered once before shared forms are resolved.
pub(crate) struct Evidence {
    /// Entities named by a form no other entity has (surnames excepted), and the people a
    /// titled surname names ("President Clinton": the article's bare "Clinton" is him).
    pub anchored: HashSet<u32>,
    /// Every entity some anchored entity lies within (its `within` chain).
    pub containers: HashSet<u32>,
    /// Entities named in a way that supports a common-word reading: by another form, or by
    /// the common word written mid-sentence.
    pub supported: HashSet<u32>,
    /// Entities named by their name or an alias (not an acronym, demonym or surname).
    pub named_in_full: HashSet<u32>,
}

impl Evidence {
    /// Whether the article names something on `entity`'s `within` chain, or something within it.
    pub fn places(&self, gazetteer: &Gazetteer, entity: u32) -> bool {
        self.places_by(gazetteer, entity, true)
    }

    /// [`Self::places`], counting a country on the chain only when `countries` says so.
    fn places_by(&self, gazetteer: &Gazetteer, entity: u32, countries: bool) -> bool {
        self.containers.contains(&entity)
            || gazetteer.ancestors(entity).any(|a| {
                self.anchored.contains(&a)
                    && (countries || gazetteer.entities[a as usize].record.entity_type != "country")
            })
    }
}

/// What the article and the gazetteer say for one candidate entity.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Features {
    pub anchored: bool,
    pub placed: bool,
    /// Where a sports story names a side: +1 for a team of its sport, −1 for anything else;
    /// where it names a place: −1 for a team; 0 elsewhere.
    pub team: i8,
    /// In a sports story: +1 for an athlete, −1 for a person of another known occupation
    /// (category), 0 otherwise.
    pub sport: i8,
    /// A team of a sport the article names +1, of only other sports −1, else 0.
    pub game: i8,
    /// A party or brand of one country named by a phrase of common words or a surname, whose
    /// country the article does not name.
    pub foreign: bool,
    pub spelled: bool,
    pub priority: i32,
    pub prior: f64,
}

/// What a decision reads besides the gazetteer and the article's [`Evidence`]: which features
/// count (the switches of [`super::Rules`]), what kind of story it is, and where the mention is.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Context {
    pub anchoring: bool,
    pub spelling: bool,
    /// The article is a sports story.
    pub sport_story: bool,
    /// The sports the article names ([`sports_named`]), when it has a team candidate.
    pub story_sports: Sports,
    /// A sports story names a side at this mention.
    pub team_reading: bool,
    /// A sports story names a place at this mention (a place word, a dateline).
    pub place_reading: bool,
    /// … by a dateline, a venue, or a word such as "in" or "at" that never leads to a side.
    pub firm_place: bool,
    /// The form has one candidate entity, scored against "none".
    pub lone: bool,
    /// One of the form's candidates is a country ("Jamaica").
    pub country_rival: bool,
}

impl Features {
    /// The features of `option` for a mention spelled `text`.
    pub fn of(
        gazetteer: &Gazetteer,
        option: &EntityOption,
        text: &str,
        evidence: &Evidence,
        context: &Context,
    ) -> Self {
        let record = &gazetteer.entities[option.entity as usize].record;
        // A town named like a country ("Jamaica", Queens; "Peru", Indiana) is placed by a region
        // or city the article names, not by its country alone: results tables and world news
        // name the United States for every other reason.
        let placed = context.anchoring
            && evidence.places_by(
                gazetteer,
                option.entity,
                !context.country_rival || record.entity_type == "country",
            );
        let team = is_team(gazetteer, option.entity);
        // The team's sports, read once for the team and game features.
        let own = if team && (context.team_reading || context.story_sports != 0) {
            team_sports(gazetteer, option.entity)
        } else {
            0
        };
        Self {
            // Where the mention's own context says place ("ARLINGTON, Texas 1996-08-31",
            // "In Seattle, …"), a team the article names in full elsewhere is not meant here.
            anchored: context.anchoring
                && !context.lone
                && !(context.firm_place && team)
                && evidence.anchored.contains(&option.entity),
            placed,
            team: if context.team_reading {
                if team && sports_fit(own, context.story_sports) {
                    1
                } else {
                    -1
                }
            } else if context.place_reading && team {
                -1
            } else {
                0
            },
            sport: match (context.sport_story, record.entity_type.as_str()) {
                (true, "person") if record.category == "athlete" => 1,
                // A person of no known occupation may well be a player.
                (true, "person") if record.category.is_empty() || record.category == "person" => 0,
                (true, "person") => -1,
                _ => 0,
            },
            game: if team && context.story_sports != 0 {
                match (own, own & context.story_sports) {
                    (0, _) => 0,
                    (_, 0) => -1,
                    _ => 1,
                }
            } else {
                0
            },
            foreign: FOREIGN_PHRASE_CATEGORIES.contains(&record.category.as_str())
                && gazetteer.entities[option.entity as usize].within.is_some()
                && !placed
                && common_phrase(gazetteer, text),
            spelled: context.spelling
                && CasePolicy::Exact.accepts(gazetteer.matcher.form(option.form), text),
            priority: record.priority,
            prior: record.prior,
        }
    }
}

impl Terms {
    /// Scores `features`; `lowest_priority` is the lowest priority among the form's
    /// candidates, so that priority counts levels above it (a lone candidate's is its own).
    pub fn of(features: &Features, lowest_priority: i32, weights: &Weights) -> Self {
        let weights = &weights.per_unit;
        let flag = |on: bool, weight: f64| if on { weight } else { 0.0 };
        Self {
            anchored: flag(features.anchored, weights.anchored),
            placed: flag(features.placed, weights.placed),
            team: f64::from(features.team) * weights.team,
            sport: f64::from(features.sport) * weights.sport,
            game: f64::from(features.game) * weights.game,
            foreign: if features.foreign {
                -weights.foreign
            } else {
                0.0
            },
            spelled: flag(features.spelled, weights.spelled),
            priority: f64::from(features.priority.saturating_sub(lowest_priority))
                * weights.priority,
            prior: (1.0 + features.prior.max(0.0)).ln() * weights.prior,
        }
    }

    /// The terms by name, in the order explain prints them.
    pub fn terms(&self) -> [(&'static str, f64); 9] {
        [
            ("prior", self.prior),
            ("priority", self.priority),
            ("spelled", self.spelled),
            ("named elsewhere", self.anchored),
            ("its place is in the article", self.placed),
            ("team reading", self.team),
            ("sports story", self.sport),
            ("sport of the team", self.game),
            ("foreign common phrase", self.foreign),
        ]
    }

    /// The sum of the terms (from [`Score::terms`], so a new term cannot be left out).
    pub fn total(&self) -> f64 {
        self.terms().iter().map(|(_, term)| term).sum()
    }
}

/// Confidence at no lead, its rise to the largest leads, and the lead that gives 63 % of the
/// rise: fitted on aida-conll-dev, where measured precision runs from about 72 % for the
/// smallest leads to 87 % for the largest (`scripts/eval/reliability.py`; docs/GAZETTEERS.md).
const CONFIDENCE_FLOOR: f64 = 0.7;
const CONFIDENCE_SPAN: f64 = 0.25;
const LEAD_SCALE: f64 = 6.0;

/// How sure a decision is, from the winner's lead over the runner-up (or over "none").
pub(crate) fn confidence(lead: f64) -> f64 {
    let value = CONFIDENCE_FLOOR + CONFIDENCE_SPAN * (1.0 - (-lead.max(0.0) / LEAD_SCALE).exp());
    (value * 10_000.0).round() / 10_000.0
}

/// One candidate entity of a shared form, scored.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    pub option: EntityOption,
    pub features: Features,
    pub score: Score,
}

/// What disambiguation decided for a form.
#[derive(Debug)]
pub(crate) enum Decision {
    /// The winner, its lead over the runner-up, and every candidate scored (best first).
    Chosen {
        winner: Scored,
        lead: f64,
        ranked: Vec<Scored>,
    },
    /// No candidate leads by the margin: why, and every candidate scored.
    Tied { ranked: Vec<Scored> },
}

/// Scores the distinct entities of `options` (a form's candidates) and decides.
pub(crate) fn decide(
    gazetteer: &Gazetteer,
    options: &[EntityOption],
    text: &str,
    evidence: &Evidence,
    context: &Context,
    weights: &Weights,
) -> Decision {
    let mut distinct: Vec<EntityOption> = Vec::with_capacity(options.len());
    for option in options {
        if !distinct.iter().any(|d| d.entity == option.entity) {
            distinct.push(*option);
        }
    }
    // Against "none", a lone entity is anchored by this very mention and spelled as its only
    // form: neither says anything.
    let lone = distinct.len() == 1;
    let country_rival = distinct
        .iter()
        .any(|o| gazetteer.entities[o.entity as usize].record.entity_type == "country");
    let context = Context {
        spelling: context.spelling && !lone,
        lone,
        country_rival,
        ..*context
    };
    let lowest = distinct
        .iter()
        .map(|o| gazetteer.entities[o.entity as usize].record.priority)
        .min()
        .unwrap_or(0);
    let mut ranked: Vec<Scored> = distinct
        .iter()
        .map(|option| {
            let features = Features::of(gazetteer, option, text, evidence, &context);
            Scored {
                option: *option,
                features,
                score: Score::of(&features, lowest, weights),
            }
        })
        .collect();
    // Deterministic: score, then prior, then priority, then the gazetteer's entity order.
    ranked.sort_by(|a, b| {
        b.score
            .total()
            .total_cmp(&a.score.total())
            .then(b.features.prior.total_cmp(&a.features.prior))
            .then(b.features.priority.cmp(&a.features.priority))
            .then(a.option.entity.cmp(&b.option.entity))
    });
    let Some(best) = ranked.first().copied() else {
        return Decision::Tied { ranked };
    };
    // A lone entity competes with "none of the above", which scores 0.
    let runner_up = ranked.get(1).map_or(0.0, |s| s.score.total());
    let lead = best.score.total() - runner_up;
    if (ranked.len() == 1 && lead >= 0.0) || lead >= weights.margin {
        Decision::Chosen {
            winner: best,
            lead,
            ranked,
        }
    } else {
        Decision::Tied { ranked }
    }
}

/// Explain's list of candidates: `*` marks the winner; each with its score and terms.
pub(crate) fn describe(gazetteer: &Gazetteer, ranked: &[Scored], winner: Option<u32>) -> String {
    let mut out = String::from("candidates: ");
    for (i, scored) in ranked.iter().enumerate() {
        let record = &gazetteer.entities[scored.option.entity as usize].record;
        let s = &scored.score;
        let _ = write!(
            out,
            "{}{}{} score {:.2} (prior {} → {:.2}",
            if i > 0 { "; " } else { "" },
            if Some(scored.option.entity) == winner {
                "*"
            } else {
                ""
            },
            record.id,
            s.total(),
            record.prior,
            s.prior,
        );
        for (name, term) in s.terms().into_iter().skip(1) {
            if term != 0.0 {
                let _ = write!(out, ", {name} {term:+.1}");
            }
        }
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(prior: f64, priority: i32) -> Features {
        Features {
            prior,
            priority,
            ..Features::default()
        }
    }

    #[test]
    fn sports_are_found_in_any_case() {
        assert_eq!(
            sports_named("CRICKET - Sri Lanka beat Australia at Soccer City"),
            CRICKET | FOOTBALL
        );
        assert_eq!(sports_named("Sri Lanka national cricket team"), CRICKET);
        assert_eq!(sports_named("Talks in Paris"), 0);
    }

    #[test]
    fn sports_are_whole_words_and_the_longest_name_wins() {
        // Gaelic football is neither soccer nor the American game; "football" alone may be
        // either.
        assert_eq!(
            sports_named("He played Gaelic Football and rugby union"),
            GAELIC | RUGBY
        );
        assert_eq!(sports_named("a football club"), FOOTBALL | GRIDIRON);
        assert_eq!(sports_named("American football team"), GRIDIRON);
        assert_eq!(sports_named("golfers and swimmers"), GOLF | SWIMMING);
        assert_eq!(sports_named("recycling diverse inflation rates"), 0);
    }

    #[test]
    fn tennis_golf_and_athletics_have_no_sides() {
        assert!(individual_sports_only(sports_named(
            "TENNIS - Agassi beat Washington at the U.S. Open"
        )));
        assert!(individual_sports_only(sports_named(
            "ATHLETICS - Mitchell wins the 100 metres at the Berlin grand prix"
        )));
        assert!(individual_sports_only(sports_named(
            "was a Liechtenstein sports shooter at the 1936 Olympics"
        )));
        assert!(individual_sports_only(sports_named(
            "collegiate swimming and diving in the United States"
        )));
        assert!(!individual_sports_only(sports_named(
            "SOCCER - Milan beat Torino; tennis later"
        )));
        assert!(!individual_sports_only(sports_named(
            "Cleveland beat Texas 5-3"
        )));
    }

    #[test]
    fn a_higher_prior_never_lowers_a_score() {
        let weights = Weights::default();
        let mut last = f64::NEG_INFINITY;
        for prior in [0.0, 0.5, 1.0, 2.0, 10.0, 1e3, 1e9] {
            let score = Score::of(&features(prior, 0), 0, &weights).total();
            assert!(score >= last, "{prior}: {score} < {last}");
            last = score;
        }
    }

    #[test]
    fn the_weights_keep_the_evidence_above_the_ranking() {
        // Each row: the winner's features, the loser's, and whether the winner must win.
        let w = Weights::default();
        let score = |f: &Features| Score::of(f, 0, &w).total();
        let anchored = Features {
            anchored: true,
            ..features(0.0, 0)
        };
        let placed = Features {
            placed: true,
            ..features(0.0, 0)
        };
        let spelled = Features {
            spelled: true,
            ..features(0.0, 0)
        };
        let cases = [
            // Named elsewhere beats a country's rank and a large prior.
            (anchored, features(500.0, 3)),
            // Its place in the article beats a higher rank.
            (placed, features(100.0, 1)),
            // Spelling beats a rank of one level more.
            (spelled, features(0.0, 1)),
            // Rank beats a prior five times higher.
            (features(10.0, 1), features(50.0, 0)),
            // A prior twice the next wins on its own.
            (features(200.0, 0), features(99.0, 0)),
        ];
        for (winner, loser) in cases {
            assert!(
                score(&winner) - score(&loser) >= w.margin,
                "{winner:?} should beat {loser:?}"
            );
        }
        // A prior less than twice the next is no lead.
        assert!(score(&features(150.0, 0)) - score(&features(100.0, 0)) < w.margin);
    }

    #[test]
    fn confidence_grows_with_the_lead_and_stays_in_range() {
        let mut last = 0.0;
        for lead in [-5.0, 0.0, 0.7, 2.0, 5.0, 10.0, 20.0, 1e6] {
            let c = confidence(lead);
            assert!((0.7..=0.95).contains(&c), "{lead}: {c}");
            assert!(c >= last);
            last = c;
        }
        assert_eq!(confidence(0.0), 0.7);
    }
}
