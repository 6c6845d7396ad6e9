"""Rows for the entities the knowledge-graph sources name (fb15k, vital, cronquestions, yago,
dwnb; typed with codex and wd50k): companies, banks, media, clubs, national teams, athletes,
entertainers and leaders. Each gets a type and category from `Knowledge.classify`, the surface
forms people write (titles without qualifiers, clubs and companies without their legal
suffix, folded diacritics) and the popularity prior of `prior.py`. An id some earlier source
already owns is not repeated: that row takes the new forms, category and prior instead."""

import re
from collections import Counter

from . import prior
from .common import ascii_fold, clean, entity_id, is_latin_name, log, unique
from .knowledge import title_name

PREFIX = {"person": "person", "organisation": "org", "location": "place"}
# Legal and sporting suffixes and prefixes a story leaves out: "Manchester United F.C.",
# "Apple Inc.", "FC Barcelona", "Real Madrid C.F.".
CLUB_SUFFIX = re.compile(r"\s+(?:F\.\s?C\.|FC|A\.F\.C\.|AFC|C\.F\.|CF|S\.C\.|SC|R\.F\.C\.|RFC|Football Club|Club de Fútbol|County Cricket Club|C\.C\.C\.|Cricket Club|Rugby Football Club|Rugby Club|Hockey Club|Baseball Club)$")
CLUB_PREFIX = re.compile(r"^(?:FC|F\.C\.|AFC|AC|A\.C\.|AS|SS|SSC|SV|VfB|VfL|TSG|SC|SK|CD|CF|RC|RCD|UD|SD|1\. FC|FK|NK|GNK|HNK|KV|KRC|PSV|Real Club)\s+")
COMPANY_SUFFIX = re.compile(r",?\s+(?:Inc\.?|Incorporated|Corporation|Corp\.?|Company|Co\.|plc|PLC|Ltd\.?|Limited|AG|SE|S\.A\.|N\.V\.|Holdings|LLC|L\.P\.|Group|Aktiengesellschaft)$")
# "England national football team", "England cricket team", "New Zealand national rugby union
# team": the country's name, which the resolver reads as the team where a sports story names a side.
NATIONAL_TEAM = re.compile(r"^(.+?) (?:men's )?(?:national )?(?:[a-z][\w-]* ){0,3}team$")
# Women's, youth and reserve sides keep their full names: a bare "Spain" in a match report is
# the senior side far more often.
JUNIOR_TEAM = re.compile(r"\b(?:women's|under-\d+|U-?\d+|youth|junior|amateur|B|A|reserve|Olympic)\b", re.IGNORECASE)
# The prior a club needs to keep the name of the place it is named after.
TEAM_PLACE_NAME_PRIOR = 100
# The prior from which a firm keeps a one-word name that the dictionary lists as a proper noun
# ("Microsoft", "Reuters", and "Google", "Intel", which it lists in lower case too): well-known
# firms are named that way in every story, and the tagger already asks a dictionary word
# capitalised only by its position (sentence start, headline) for evidence. Only firms: bands
# ("Garbage") and clubs' nicknames ("Forest") stay out (a North American franchise's nickname
# is kept by its own rule, NICKNAMED).
WELL_KNOWN_FIRM_PRIOR = 60
# From this prior such a firm's name beats the people who share it: "Apple" (Fiona Apple) and
# "Ford" (Harrison Ford) in a story are the firms far more often than the people.
HOUSEHOLD_FIRM_PRIOR = 100
FIRMS = {"company", "bank", "airline", "retailer", "broadcaster", "news-agency"}
# A franchise of a North American league is named "<place> <nickname>" ("Detroit Tigers",
# "Toronto Blue Jays"), and standings and results name it by its place alone ("DETROIT 5
# Seattle 3"). Told by its description.
FRANCHISE = re.compile(r"\bfranchise\b|\bMajor League (?:Baseball|Soccer)\b|\bNational (?:Football|Basketball|Hockey) (?:League|Association)\b")
# The sport of a franchise, from its description: a place is a team's name only among the
# teams of one sport ("Chicago" is two baseball clubs, so neither's).
TEAM_WORDS = re.compile(r"\b(?:team|club|franchise)\b")
FRANCHISE_SPORTS = re.compile(r"\b(baseball|basketball|ice hockey|hockey|american football|football|soccer)\b", re.IGNORECASE)
# Stories call a North American franchise by its nickname as often as by its name ("the
# Redskins", "Yankees beat Orioles"): the words its place leaves. A nickname in common words is
# kept only as a plural ("Bills", "Giants", "Saints"), which capitalised mid-sentence names the
# team and at a sentence start asks for evidence like any dictionary word; a singular one
# ("Heat", "Magic", "Wild", "Thunder") reads as the word in every headline. Two franchises with
# one nickname ("Giants", "Cardinals") both keep it, and the resolver reads the sport the story
# names.
NICKNAMED = re.compile(r"\b(?:american football|baseball|basketball|ice hockey) (?:team|club|franchise)\b|" + FRANCHISE.pattern, re.IGNORECASE)
PLACE_WORDS = {"Bay", "State", "City", "Valley", "Coast", "County", "Island"}
NAME_PARTICLES = {"de", "van", "von", "da", "di", "of", "the", "no", "y", "e", "la", "le", "del", "du", "dos", "das", "do",
                  "des", "der", "den", "el", "al", "ap", "bin", "ibn", "ter", "zu", "und", "a", "i", "fils"}
NAME_SHAPE = re.compile(r"^[^\W_][\w.'’&\- ]*[\w.)]$")


class NameTyper:
    """Types a bare label by its words alone, as discovery does: a given name first ("Boris
    Yeltsin") makes a person, an organisation suffix last ("… Athletic", "… Bank") an
    organisation, a place suffix ("… River") a place."""

    def __init__(self, curated_cues, given, surnames, english):
        self.cues = {"given-name": {w.casefold() for w in given}, "surname": {w.casefold() for w in surnames},
                     "common-word": {w.casefold() for w in english}}
        for line in curated_cues.open(encoding="utf-8"):
            if line.startswith("#") or "\t" not in line:
                continue
            cue, phrase = line.rstrip("\n").split("\t", 1)
            self.cues.setdefault(cue, set()).add(phrase.casefold())

    def has(self, cue, word):
        return word.casefold().replace("'", "") in self.cues.get(cue, ())

    def __call__(self, name):
        words = name.split()
        if len(words) < 2 or not all(w[:1].isupper() for w in words if w.lower() not in ("de", "van", "von", "da", "di", "of", "the", "and", "bin", "al", "del", "le", "la")):
            return None
        if self.has("organisation-suffix", words[-1]) or self.has("organisation-head", words[0]):
            return "organisation", "organisation"
        if self.has("location-suffix", words[-1]) or self.has("location-head", words[0]):
            return "location", "landmark"
        # "Bob Dole" is a person although "dole" is a word; "Rose Garden" is not (all words are).
        if len(words) <= 4 and self.has("given-name", words[0]) and not all(self.has("common-word", w) and not self.has("surname", w) for w in words):
            return "person", "person"
        return None


# "Diana, Princess of Wales", "John, King of England", "Arthur Wellesley, 1st Duke of
# Wellington": a name, a comma and the epithet of a title.
EPITHET = re.compile(r"^(?P<name>[^,]+), (?:\d+(?:st|nd|rd|th) )?(?P<title>Prince|Princess|King|Queen|Emperor|Empress|Holy Roman Emperor|"
                     r"Tsar|Duke|Duchess|Grand Duke|Count|Countess|Earl|Baron|Baroness|Marquess)(?: of (?P<realm>.+))?$")
REGNAL = re.compile(r"^[IVX]+$")


def derived_forms(name, entity_type, category, place_forms, titled=False):
    """The shorter names stories use for `name`. `titled`: a person well known enough (on a
    Vital Articles list) to take the forms of a title's epithet."""
    forms = []
    if titled and entity_type == "person" and (match := EPITHET.match(name)):
        # Stories write "Princess Diana" and "Prince Philip" for a one-word name, and a
        # monarch's regnal name ("Wilhelm II"). "King John" and "Queen Mary" are left out (kings
        # and queens of that name are many; "Queen Mary" is also a ship and a university), and
        # so is a noble's own name ("John Howard, Earl of…"): it is a modern namesake's in news.
        words = match.group("name").split()
        if len(words) > 1:
            if REGNAL.match(words[-1]):
                forms.append(match.group("name"))
        elif match.group("title") in ("Prince", "Princess"):
            forms.append(f"{match.group('title')} {words[0]}")
    if entity_type == "organisation":
        base = CLUB_SUFFIX.sub("", name)
        base = COMPANY_SUFFIX.sub("", base)
        forms.append(base)
        forms.append(CLUB_PREFIX.sub("", base))
        match = NATIONAL_TEAM.match(name) if category == "national-team" and not JUNIOR_TEAM.search(name) else None
        if match and match.group(1).casefold() in place_forms:
            forms.append(match.group(1))
    return [f for f in unique(forms) if f and f != name]


def usable(form, entity_type, common, people_names, place_forms, popular, team, typer, prominence=0, category="", name=""):
    """Whether a form is safe to match: Latin script, a name's shape, and for one word not a
    common word, a person's given name or surname, or a place (one-word forms of people only
    for the very popular: "Pelé", "Madonna"). A team keeps the place it is named after
    ("Liverpool", "England"): the resolver reads it as the team only in a sports story."""
    # "Fla" for Flamengo, "Man" for a club: three letters in mixed case are words, not names.
    if len(form) < 3 or (len(form) == 3 and not form.isupper()) or not is_latin_name(form) or not NAME_SHAPE.match(form) or form.isdigit():
        return False
    words = form.split()
    if not words[0][:1].isupper():
        return False
    # A place's name ("New York" for F.C. New York) stays the place's, except for a team that
    # may keep it (see `team`).
    if entity_type != "location" and form.casefold() in place_forms and not team:
        return False
    # "Rose Hill" is two words; "Bob Dole", a given name and a surname, is a person; "West
    # Bank", a well-known place, is that place; "Tiger Woods", the name of a very popular
    # person (not an alias: "The King", "Desert Fox"), is that person.
    # So is a well-known firm named by common words ("General Electric", "General Motors"):
    # capitalised mid-sentence they name the firm, and at a sentence start the tagger asks
    # for evidence as it does for any common word.
    # Only the name itself and its shortenings: an alias in common words is a nickname ("Big
    # Blue") or a spelled-out acronym ("Music Television") that no story uses.
    well_known = category in FIRMS and prominence >= WELL_KNOWN_FIRM_PRIOR and (
        form in common.proper if len(words) == 1 else name.startswith(form))
    # A national team keeps its country's name, common word or not ("Turkey", "Chad").
    national_side = category == "national-team" and team and form.casefold() in place_forms
    if common.all_common(form) and len(words) <= 2 and not (entity_type == "person" and len(words) == 2 and (typer.has("given-name", words[0]) or (popular and form == name and all(w[:1].isupper() for w in words)))) \
            and not (entity_type == "location" and len(words) == 2 and popular) and not well_known and not national_side:
        return False
    if len(words) == 1:
        if (entity_type == "location" and form.casefold() in place_forms) or (form in common.proper and entity_type != "person" and not team and not well_known):
            return False
        household = well_known and prominence >= HOUSEHOLD_FIRM_PRIOR
        if (people_names.given[form] >= 2 or people_names.surnames[form] >= 2) and not team and not household:
            return False
        if entity_type == "person" and not popular:
            return False
        # "Drexel" for Drexel University, "Ford" for the carmaker: a one-word organisation name
        # that is a person's name reads as the person (or another firm named after one).
        if entity_type != "person" and not team and not household and (typer.has("surname", form) or typer.has("given-name", form)):
            return False
    return True


def split_franchise(name, place_forms):
    """(place, nickname) of a franchise's name: the place leaves a nickname of one or two
    capitalised words ("Toronto", "Blue Jays"); (None, None) when no place starts the name."""
    words = name.split()
    for cut in (len(words) - 1, len(words) - 2):
        if cut >= 1 and all(w[:1].isupper() for w in words[cut:]):
            place = " ".join(words[:cut])
            if place.casefold() in place_forms:
                return place, " ".join(words[cut:])
    return None, None


def nickname_of(name, description, place_forms, typer, other_fields_words, demonyms):
    """The nickname a North American franchise goes by (see NICKNAMED), or None. Left out:
    one that is not a plural ("Heat", "Magic"; "Sox" is one), a title that precedes names
    ("Senators", "Cardinals", "Kings": the people), another field's keyword ("Hurricanes",
    "Bills", "Stars", "Rockets"), or a place's people ("Indians", "Texans")."""
    if not NICKNAMED.search(description or ""):
        return None
    _, nickname = split_franchise(name, place_forms)
    if nickname and nickname.split()[0] in PLACE_WORDS:
        # "Tampa Bay Rays", "Golden State Warriors": the place is two words the place names lack.
        nickname = nickname.split()[-1]
    if not nickname or len(nickname) < 4 or not NAME_SHAPE.match(nickname) or not is_latin_name(nickname):
        return None
    if nickname.casefold() in place_forms or not nickname.endswith(("s", "x")):
        return None
    last = nickname.split()[-1]
    # The word and its singulars ("Senators" → "Senator", "Ranches" → "Ranch").
    words = {last, last[:-1]} | ({last[:-2]} if last.endswith("es") else set())
    if any(typer.has("honorific", w) or w.casefold() in other_fields_words or is_people(w, demonyms, place_forms) for w in words):
        return None
    return nickname


def is_people(word, demonyms, place_forms):
    """Whether `word` names a place's people ("Indian", "Texan"): a demonym, or a place's
    name with "-an" for its last letter or added."""
    word = word.casefold()
    if word in demonyms:
        return True
    return word.endswith("an") and any(stem in place_forms for stem in (word[:-1], word[:-2], word[:-1] + "s", word[:-2] + "a"))


def franchise_places(knowledge, qids, typer, place_forms):
    """(QID → the places a franchise is named by in results ("Detroit" for the Detroit Tigers):
    from its name, else from a former name ("California Angels", "Montreal Expos") where no
    team is named after the place now ("Milwaukee" is the Brewers', not the Braves' of
    1953–65). A place goes to one team of a sport or to none: a place two teams of a sport
    share ("Chicago", "New York") is neither's. Also the franchises' QIDs, and how many teams
    bear each name.)"""
    def place_of(name):
        return split_franchise(name, place_forms)[0]

    claims = {}  # (place, sport) → {"now": {qid}, "former": {qid}}
    franchises = set()
    # Every team's name: a former name that is another team's ("Montreal Expos", a row of its
    # own) stays that team's.
    team_names = Counter(clean(knowledge.name_of(q)) for q in qids if TEAM_WORDS.search(knowledge.descriptions.get(q) or ""))
    for qid in qids:
        description = knowledge.descriptions.get(qid) or ""
        if not FRANCHISE.search(description):
            continue
        entity_type, category, _ = knowledge.classify(qid, typer)
        sport = FRANCHISE_SPORTS.search(description)
        if (entity_type, category) != ("organisation", "club") or not sport:
            continue
        sport = sport.group(1).lower().replace("ice ", "")
        franchises.add(qid)
        now = place_of(clean(knowledge.name_of(qid)))
        if now:
            claims.setdefault((now, sport), {"now": set(), "former": set()})["now"].add(qid)
        for alias in knowledge.aliases.get(qid, []):
            if team_names[clean(alias)]:
                continue
            former = place_of(clean(alias))
            if former and former != now:
                claims.setdefault((former, sport), {"now": set(), "former": set()})["former"].add(qid)
    # A former name counts only where no team of any sport is named after the place now: the
    # sources miss teams ("Chicago" was the Cardinals' before Arizona, and is the Bears' now).
    named_now = {place for (place, _), teams in claims.items() if teams["now"]}
    places = {}
    for (place, _), teams in sorted(claims.items()):
        holders = teams["now"] or (teams["former"] if place not in named_now else set())
        if len(holders) == 1:
            places.setdefault(next(iter(holders)), []).append(place)
    return places, franchises, team_names


def build(knowledge, registry, common, people_names, place_forms, typer, rows_by_qid, other_fields_words, demonyms):
    rows, dropped, kinds = [], Counter(), Counter()
    nicknamed = Counter()
    enriched = 0
    qids = sorted(set(knowledge.labels) | set(knowledge.titles), key=lambda q: int(q[1:]))
    franchise_place, franchises, team_names = franchise_places(knowledge, qids, typer, place_forms)
    log(f"notables: {sum(len(p) for p in franchise_place.values())} place names for {len(franchise_place)} league franchises")
    for qid in qids:
        entity_type, category, evidence = knowledge.classify(qid, typer)
        if entity_type is None:
            dropped[category if category == "untyped" else "not a news entity (work, position, award, event…)"] += 1
            continue
        name = clean(knowledge.name_of(qid))
        # "Voice acting in Japan", "American football player": a class or a work labelled
        # like a person, told by an English word in lower case that no name has (particles
        # such as "de", "van", "of", "no" are kept: "Ariwara no Narihira").
        # "and" joins the realms of a title ("Prince George of Greece and Denmark"), not two
        # names ("Romeo and Juliet").
        particles = NAME_PARTICLES | ({"and"} if " of " in name else set())
        if entity_type == "person" and any(w in common.words and w not in particles for w in name.split()[1:]):
            dropped["a person's label with lower-case English words (a class or a work)"] += 1
            continue
        # "Lithuania national football team", typed a club by its players' facts, is the
        # country's side.
        if category == "club" and (match := NATIONAL_TEAM.match(name)) and " national " in f" {name} " and match.group(1).casefold() in place_forms:
            category = "national-team"
        degree = knowledge.degree(qid) + (prior.FB15K_MEMBER if knowledge.label_source.get(qid) == "fb15k" else 0)
        office = prior.politician_office(knowledge.positions.get(qid, 0), False, True) if knowledge.positions.get(qid) else 0
        popularity = prior.popularity(degree=degree, vital=knowledge.vital.get(qid), office=office)
        # FB15k holds the entities most linked in Freebase: a place among them ("West Bank") is
        # well known even where the graph samples give it few facts.
        popular = knowledge.vital.get(qid, 9) <= 4 or degree >= 100 or (entity_type == "location" and knowledge.label_source.get(qid) == "fb15k")
        # A lower-case alias ("apple") never matches, and left in it would shadow the form
        # derived from "Apple Inc." when the forms are deduplicated. A lower-case label stays
        # first: it marks a concept ("absurdism", "killed in action"), and shadowing its
        # capitalised title keeps such an entity out.
        forms = [name] + [title_name(t)[0] for t in knowledge.titles.get(qid, [])] + [clean(a) for a in knowledge.aliases.get(qid, []) if a[:1].isupper()]
        forms += [d for f in list(forms) for d in derived_forms(f, entity_type, category, place_forms, qid in knowledge.vital)]
        forms += [f for f in (ascii_fold(f) for f in list(forms)) if f]
        acronyms = [f for f in unique(forms) if f.isupper() and " " not in f and 3 <= len(f) <= 6 and f.isalpha() and f.casefold() not in common]
        forms = [f for f in unique(forms) if not (f.isupper() and " " not in f)]
        # A club keeps a place's name ("Barcelona", "Liverpool") only when it is among the most
        # linked: an obscure club named after a city ("F.C. New York") would take the city's
        # name in every story about another sport.
        team = category == "national-team" or (category == "club" and popularity >= TEAM_PLACE_NAME_PRIOR)
        forms = [f for f in forms if usable(f, entity_type, common, people_names, place_forms, popular, team, typer, popularity, category, name)]
        # A former name that is another team's name ("Milwaukee Brewers" for the Orioles of
        # 1901, "Montreal Expos" for the Nationals) is that team's.
        if qid in franchises:
            forms = [f for f in forms if f == name or team_names[f] == 0]
        # The franchise's place comes last: the row keeps its full name as display name.
        forms += [p for p in franchise_place.get(qid, []) if p not in forms]
        if category == "club" and (nickname := nickname_of(name, knowledge.descriptions.get(qid), place_forms, typer, other_fields_words, demonyms)) and nickname not in forms:
            # Right after the name: the alias list is cut at twelve, former names last.
            forms.insert(1, nickname)
            nicknamed[nickname] += 1
        existing = rows_by_qid.get(qid)
        if existing is not None:
            enriched += enrich(existing, forms, acronyms, category, knowledge.descriptions.get(qid), popularity)
            continue
        if not forms and not acronyms:
            dropped["no usable name"] += 1
            continue
        display = forms[0] if forms else acronyms[0]
        row = {"id": entity_id(PREFIX[entity_type], display, qid), "type": entity_type, "category": category, "name": display,
               "aliases": "|".join(unique(forms[1:], exclude=[display])[:12]),
               "acronyms": "|".join(a for a in unique(acronyms) if a != display),
               "prior": prior.fmt(popularity),
               # The instance-of label that typed it says more than the category ("national
               # cricket team"): the resolver reads a team's sport from its description.
               "description": clean(knowledge.descriptions.get(qid) or (evidence.removeprefix("instance of ").capitalize()
                                    if evidence.startswith("instance of ") and entity_type != "person" else describe(entity_type, category))),
               "comment": f"typed by {evidence}" if evidence else "",
               "xref:wikidata": qid}
        if entity_type == "location" and category == "country":
            row["category"] = "historical-country"  # every sovereign state is in countries.tsv already
        registry.keep(row, rows, dropped)
        kinds[f"{entity_type}/{row['category']}"] += 1
    log(f"notables (knowledge graphs): {len(rows)} rows, {enriched} existing rows given new forms; dropped {dict(dropped)}")
    log(f"notables: {sum(nicknamed.values())} franchises go by their nickname ({sum(1 for n in nicknamed.values() if n > 1)} nicknames shared by teams)")
    log(f"notables by kind: {dict(kinds.most_common())}")
    return rows


def describe(entity_type, category):
    return category.replace("-", " ").capitalize() if category not in ("person", "organisation") else entity_type.capitalize()


def enrich(row, forms, acronyms, category, description, popularity):
    """An entity an earlier source owns ("Apple Computer Company" from ROR) gains the names
    stories use ("Apple Inc.", "Apple"), a finer category and the knowledge graph's prior."""
    if row["type"] == "country" or row.get("category") in ("continent", "sovereign-state", "dependent-territory"):
        return 0
    present = [row["name"]] + [a for a in row.get("aliases", "").split("|") if a]
    new = [f for f in forms if f.casefold() not in {p.casefold() for p in present}]
    if row["type"] == "location":
        new = [f for f in new if " " in f]
    row["aliases"] = "|".join(present[1:] + new)
    have = [a for a in row.get("acronyms", "").split("|") if a]
    row["acronyms"] = "|".join(unique(have + [a for a in acronyms if row["type"] != "location"]))
    if row.get("category") in ("company", "funder", "brand", "non-profit", "agency", "") and category not in ("organisation", "person") and row["type"] == "organisation":
        row["category"] = category
    if description and (not row.get("description") or re.fullmatch(r"(Company|Funder|Non-profit|Agency|Brand.*) \(\w+\)", row.get("description", ""))):
        row["description"] = clean(description)
    row["_kg_popularity"] = popularity
    return 1 if new or have != row["acronyms"] else 0


def report_typing(knowledge, typer):
    """Logs how often the name alone types an entity the way its evidence does, on the entities
    the sources type (instance-of, description, title, roles): the precision of the fallback
    that types label-only entities."""
    agree, typed, total = Counter(), Counter(), Counter()
    for qid in sorted(set(knowledge.labels) | set(knowledge.titles)):
        entity_type, _, evidence = knowledge.classify(qid)
        if entity_type is None:
            continue
        total[entity_type] += 1
        guess = typer(knowledge.name_of(qid))
        if guess:
            typed[guess[0]] += 1
            agree[guess[0]] += guess[0] == entity_type
    for kind in sorted(typed):
        log(f"typing by name: {kind}: {agree[kind]}/{typed[kind]} agree with the sources' type ({100 * agree[kind] / typed[kind]:.1f} % precision)")
    log(f"typing by name: typed {sum(typed.values())} of {sum(total.values())} entities the sources type ({dict(total)})")


# A firm whose description says it makes software, computers, chips or internet services.
TECHNOLOGY = re.compile(r"\b(?:software|internet|computers?|computing|semiconductors?|microprocessors?|electronics|information technology|"
                        r"technology|web|search engine|video games?)\b", re.IGNORECASE)
# Its topics: information technology and computer science, and the economy (a firm's results
# are business news); the article's keywords decide between them.
TECHNOLOGY_TOPICS = "medtop:20000763|medtop:04000000"


def technology_topics(rows):
    """Gives technology firms the topics their stories are filed under: a firm's row otherwise
    counts for business only (through the category mapping), and a story about its software
    or chips is technology."""
    for row in rows:
        if row.get("type") == "organisation" and row.get("category") == "company" and not row.get("topics") \
                and TECHNOLOGY.search(row.get("description", "")):
            row["topics"] = TECHNOLOGY_TOPICS
