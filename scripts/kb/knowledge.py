"""What the knowledge-graph sources (fb15k, vital, cronquestions, yago, dwnb, codex, wd50k) say
about each Wikidata id, gathered before any row is made: labels, titles, aliases, descriptions,
instance-of types, roles in facts and degree. `classify` turns that evidence into a type and a
category, or a reason to leave the entity out."""

import re
from collections import Counter, defaultdict
from urllib.parse import unquote

# Wikidata properties whose subject is a person, and the category their object gives it.
PERSON_PROPERTIES = {"P19", "P20", "P21", "P22", "P25", "P26", "P27", "P39", "P40", "P69", "P102", "P106", "P54", "P1412", "P3373"}
TEAM_PROPERTY = "P54"
OCCUPATION_PROPERTY = "P106"
POSITION_PROPERTY = "P39"

# Keyword → (type, category), tried in order on instance-of labels and on descriptions. None as
# type: not an entity a news tagger returns (works, positions, awards, ships, events…).
RULES = [
    (r"\bnational (?:\w+ )*team\b|\bnational (?:\w+ )*side\b", ("organisation", "national-team")),
    (r"\b(?:football|soccer|basketball|baseball|hockey|cricket|rugby|volleyball|handball|sports?|racing|cycling) (?:\w+ )?(?:club|team|franchise)\b|\bfootball club\b|\bcounty cricket club\b", ("organisation", "club")),
    (r"\b(?:sports )?league\b|\bsports governing body\b|\bfederation of\b|\bassociation football (?:governing|federation)", ("organisation", "sports-body")),
    (r"\bpolitical part(?:y|ies)\b|\bcommunist party\b|\bgreen party\b", ("organisation", "party")),
    (r"\bnews agency\b", ("organisation", "news-agency")),
    (r"\bnewspaper\b|\bdaily\b", ("organisation", "newspaper")),
    (r"\b(?:television|tv|radio) (?:channel|network|station|broadcaster)\b|\bbroadcaster\b|\bbroadcasting\b", ("organisation", "broadcaster")),
    (r"\bmagazine\b", ("organisation", "magazine")),
    (r"\bstock exchange\b", ("organisation", "exchange")),
    (r"\bcentral bank\b|\bbank\b|\bbanking\b|\bfinancial services\b|\binvestment\b", ("organisation", "bank")),
    (r"\bairline\b", ("organisation", "airline")),
    (r"\brecord label\b", ("organisation", "record-label")),
    (r"\b(?:rock|pop|musical|heavy metal|punk|boy|girl|hip hop|jazz) (?:band|group|duo|trio)\b|\bband\b", ("organisation", "band")),
    (r"\buniversity\b|\bcollege\b|\bschool\b|\bacademy\b|\beducational institution\b|\bconservatory\b", ("organisation", "university")),
    (r"\bcompany\b|\benterprise\b|\bbusiness\b|\bcorporation\b|\bconglomerate\b|\bmanufacturer\b|\bpublisher\b|\bretailer\b|\bautomaker\b|\bbrand\b|\bholding\b|\bsubsidiary\b|\bstudio\b|\bproducer of\b|\bchain\b", ("organisation", "company")),
    (r"\bintergovernmental\b|\binternational organi[sz]ation\b", ("organisation", "igo")),
    # Before the occupations: "religious denomination" is no religious leader.
    (r"\breligious denomination\b|\bchristian church\b|\breligious order\b", ("organisation", "organisation")),
    (r"\bgovernment agency\b|\bministry\b|\bdepartment\b|\bagency\b|\bgovernment\b|\blegislature\b|\bparliament\b|\bcourt\b", ("organisation", "agency")),
    (r"\bmilitary\b|\barmed forces\b|\barmy\b|\bmilitant\b|\bterrorist\b|\bguerrilla\b|\brebel\b", ("organisation", "armed-group")),
    (r"\bnon-?governmental\b|\bnon-?profit\b|\bcharity\b|\bfoundation\b|\bassociation\b|\bunion\b|\borgani[sz]ation\b|\binstitute\b|\bcommittee\b|\bcouncil\b|\bsociety\b", ("organisation", "organisation")),
    (r"\bhistorical country\b|\bformer country\b|\bhistorical state\b|\bempire\b", ("location", "historical-country")),
    (r"\bsovereign state\b|\bcountry\b|\bkingdom\b|\brepublic\b|\bisland nation\b", ("location", "country")),
    (r"\bcity\b|\btown\b|\bmunicipality\b|\bvillage\b|\bcapital\b|\bsettlement\b|\bcommune\b|\bcomune\b|\bmetropolis\b|\bcounty seat\b|\bborough\b|\bneighbo(?:u)?rhood\b|\bsuburb\b", ("location", "city")),
    (r"\bstate of\b|\bprovince\b|\bregion\b|\bcounty\b|\bdistrict\b|\bterritor(?:y|ies)\b|\bcanton of\b|\bgovernorate\b|\bprefecture\b|\boblast\b|\brepublic of russia\b|\bfederal subject\b", ("location", "region")),
    (r"\bstadium\b|\barena\b|\bairport\b|\bmountain\b|\briver\b|\blake\b|\bisland\b|\bsea\b|\bpeninsula\b|\bdesert\b|\bvalley\b|\bcanal\b|\bstrait\b|\bbay\b", ("location", "landmark")),
]
NOT_NEWS_ENTITIES = re.compile(
    r"\bfilm\b|\bseries\b|\balbum\b|\bsong\b|\bsingle\b|\bnovel\b|\bbook\b|\bliterary\b|\bwork\b|\bgenre\b|\bdisease\b|\blanguage\b|"
    r"\bprofession\b|\boccupation\b|\bposition\b|\boffice\b|\baward\b|\bprize\b|\bmedal\b|\bship\b|\bvessel\b|\bsubmarine\b|\bevent\b|\bseason\b|"
    r"\btournament\b|\bchampionship\b|\bcup\b|\belection\b|\bwar\b|\bbattle\b|\bcompound\b|\btaxon\b|\bspecies\b|\bvideo game\b|"
    r"\bsoftware\b|\bcharacter\b|\bfictional\b|\breligion\b|\bdiscipline\b|\bmajor\b|\bsport\b|\binstrument\b|\bplay\b|\bopera\b|\bpainting\b|"
    r"\bmanga\b|\banime\b|\bepisode\b|\bprogram(?:me)?\b|\bshow\b|\bsitcom\b|\bsoap opera\b|\bhardback\b|\bethnic group\b|\bfamily name\b|\bgiven name\b|\bsurname\b|"
    r"\bwebsite\b|\bcemetery\b|\bfountain\b|\bwell\b|\bhospital\b|\bbuilding\b|\bchurch\b|\bmuseum\b|\bmovement\b|\bconcept\b|\bcalendar\b|\btreaty\b|"
    r"\bwikimedia\b|\bdisambiguation\b|\bolympic games\b|\bgrand prix\b|\bclass\b|\baircraft\b|\bcar model\b|\bautomobile model\b")

# Occupation labels → a person's category.
OCCUPATIONS = [
    (r"footballer|football player|soccer|basketball|baseball|hockey|cricketer|rugby|tennis|golfer|athlete|runner|sprinter|swimmer|cyclist|boxer|"
     r"wrestler|skier|racing driver|jockey|player|gymnast|coach|fencer|rower|skater|judoka|weightlifter|martial", "athlete"),
    (r"politician|president|prime minister|minister|diplomat|senator|governor|mayor|monarch|king|queen|emperor|statesman|member of parliament|chancellor|head of state", "politician"),
    (r"singer|musician|composer|rapper|guitarist|pianist|drummer|songwriter|disc jockey|conductor|record producer|band", "musician"),
    (r"actor|actress|comedian|film director|filmmaker|screenwriter|film producer", "actor"),
    (r"businessperson|business magnate|entrepreneur|executive|investor|banker|economist", "businessperson"),
    (r"journalist|television presenter|broadcaster|news anchor|columnist", "journalist"),
    (r"writer|novelist|poet|author|playwright|philosopher", "writer"),
    (r"scientist|physicist|chemist|biologist|mathematician|astronomer|engineer|inventor|physician", "scientist"),
    (r"military officer|army officer|general officer|admiral|soldier", "military"),
    (r"religious|priest|bishop|pope|cleric|rabbi|imam|theologian", "religious-leader"),
    (r"painter|sculptor|artist|architect|photographer|designer", "artist"),
]

# The kinds a description may give a club that its instance-of types call a firm.
SIDES = (("organisation", "club"), ("organisation", "national-team"))

QUALIFIER = re.compile(r"\s*\(([^()]*)\)\s*$")


def title_name(title):
    """A Wikipedia title as words, and its qualifier: 'Pelé_(footballer,_born_1940)' →
    ('Pelé', 'footballer, born 1940')."""
    text = unquote(title).replace("_", " ").strip()
    match = QUALIFIER.search(text)
    return (text[:match.start()].strip(), match.group(1)) if match else (text, "")


class Knowledge:
    def __init__(self):
        self.labels = {}
        self.label_source = {}
        self.aliases = defaultdict(list)
        self.descriptions = {}
        self.titles = defaultdict(list)
        self.instance_of = defaultdict(set)
        self.type_labels = {}
        self.roles = defaultdict(set)
        self.occupations = defaultdict(set)
        self.positions = defaultdict(int)
        self.vital = {}
        # Vital Articles level 5 in its own order (by field), and the fields it gives.
        self.vital_order = []
        self._fields = None
        self.degrees = {}

    def add_label(self, qid, label, source):
        if qid not in self.labels:
            self.labels[qid] = label
            self.label_source[qid] = source

    def add_title(self, qid, title):
        if title not in self.titles[qid]:
            self.titles[qid].append(title)

    def add_degree(self, source, counts):
        mine = self.degrees.setdefault(source, {})
        for qid, n in counts.items():
            mine[qid] = mine.get(qid, 0) + n

    def fact(self, head, relation, tail):
        if relation in PERSON_PROPERTIES:
            self.roles[head].add("person")
        if relation == TEAM_PROPERTY:
            self.roles[head].add("athlete")
            self.roles[tail].add("team")
        elif relation == OCCUPATION_PROPERTY:
            self.occupations[head].add(tail)
        elif relation == POSITION_PROPERTY:
            self.positions[head] += 1

    def degree(self, qid):
        estimates = [d.get(qid, 0) for d in self.degrees.values()]
        return max(estimates, default=0)

    def label_of(self, qid):
        return self.type_labels.get(qid) or self.labels.get(qid) or ""

    def name_of(self, qid):
        """The display name: a label, else the first title without its qualifier."""
        if qid in self.labels:
            return title_name(self.labels[qid])[0] if self.label_source.get(qid) != "fb15k" else self.labels[qid]
        for title in self.titles.get(qid, []):
            name, _ = title_name(title)
            if name:
                return name
        return ""

    def qualifiers(self, qid):
        return [q for q in (title_name(t)[1] for t in self.titles.get(qid, [])) if q]

    def person_category(self, qid, evidence_text="", by_field=True):
        occupations = [self.label_of(o).lower() for o in sorted(self.occupations.get(qid, ()))]
        if "athlete" in self.roles.get(qid, ()):
            return "athlete"
        # The first kind in OCCUPATIONS's order that the description names, else that any
        # occupation names: a politician who trained as an engineer is a politician, a singer
        # who acts a musician. The description says what the person is known for, and the
        # occupations list every trade: "American entrepreneur and co-founder of Apple Inc."
        # is a businessperson though Wikidata also lists film producer.
        for texts in ([evidence_text.lower()], occupations):
            for pattern, category in OCCUPATIONS:
                if any(re.search(r"\b(?:" + pattern + r")", text) for text in texts):
                    return category
        if self.positions.get(qid):
            return "politician"
        return self.vital_field(qid) if by_field else "person"

    def vital_field(self, qid):
        """The category of a person the facts leave untyped, from their place in Vital Articles
        level 5: the list is ordered by field (sports figures, then explorers, …), so a person
        among neighbours that are nearly all athletes is an athlete. Only a clear majority of
        the typed neighbours decides (VITAL_WINDOW on each side, VITAL_MAJORITY of them, at
        least VITAL_TYPED typed); anything less leaves the generic `person`."""
        if self._fields is None:
            own = [self.person_category(q, self.descriptions.get(q) or "", by_field=False) for q in self.vital_order]
            self._fields = {}
            for i, q in enumerate(self.vital_order):
                if own[i] != "person":
                    continue
                window = [c for c in own[max(0, i - VITAL_WINDOW):i + VITAL_WINDOW + 1] if c != "person"]
                if len(window) < VITAL_TYPED:
                    continue
                category, count = Counter(window).most_common(1)[0]
                if count >= VITAL_MAJORITY.get(category, VITAL_MAJORITY_DEFAULT) * len(window):
                    self._fields[q] = category
        return self._fields.get(qid, "person")

    def classify(self, qid, name_typer=None):
        """(type, category, evidence) or (None, reason, evidence). Evidence in order of
        trust: instance-of types, the FB15k description, a title's qualifier, roles in facts,
        and last the name itself."""
        labels = [self.label_of(t).lower() for t in sorted(self.instance_of.get(qid, ()))]
        labels = [l for l in labels if l]
        description = (self.descriptions.get(qid) or "").lower()
        qualifiers = " ".join(self.qualifiers(qid)).lower()
        roles = self.roles.get(qid, set())
        if "human" in labels:
            return "person", self.person_category(qid, description + " " + qualifiers), "instance of human"
        # A firm is a firm first: Ford is also an "auto racing team", Amazon a "website" and
        # Capcom a "video game publisher", and any of these read alone would make the carmaker
        # a club or leave the retailer out.
        firm = next((l for l in labels if classify_text(l) == ("organisation", "company")), None)
        side = classify_text(description) if description and "racing" not in description else None
        for text, evidence in [(l, "instance of " + l) for l in labels] + [(description, "description"), (qualifiers, "title qualifier")]:
            if not text:
                continue
            kind = classify_text(text)
            if firm and text != firm and ((kind and kind[1] == "club" and "racing" in text) or (not kind and NOT_NEWS_ENTITIES.search(text))):
                return "organisation", "company", "instance of " + firm
            # A club that is also a listed company or a "commercial organization" (Celtic,
            # Juventus, Sparta Prague) is a club: its description says so.
            if kind and kind[1] in ("company", "organisation") and text in labels and side in SIDES:
                return side + ("description",)
            if kind:
                return kind + (evidence,)
            # "American film director" is a person; "2003 album by Beyoncé" is a work.
            if " by " not in text and re.search(OCCUPATIONS_ANY, text) and evidence != "title qualifier":
                return "person", self.person_category(qid, text), evidence
            if NOT_NEWS_ENTITIES.search(text):
                return None, f"not a news entity ({text[:40]})", evidence
        if qualifiers and re.search(OCCUPATIONS_ANY, qualifiers):
            return "person", self.person_category(qid, qualifiers), "title qualifier"
        if roles & {"person", "athlete"} or qid in self.vital:
            return "person", self.person_category(qid, description), "role in facts"
        if "team" in roles:
            return "organisation", "club", "role in facts"
        if name_typer is not None:
            kind = name_typer(self.name_of(qid))
            if kind:
                return kind + ("name",)
        return None, "untyped", ""


# A person untyped by facts takes their Vital Articles neighbours' field when, of the typed
# ones among VITAL_WINDOW on each side (at least VITAL_TYPED), a share VITAL_MAJORITY of the
# field (VITAL_MAJORITY_DEFAULT for most) has it. Tried on the typed people, left out one at a
# time: 0.8 gives 89.3 % agreement (1,448 of 1,621); the sports section, where athletes who also acted or sat
# in parliament are typed by that, takes 0.6 and still agrees 95 % of the time.
VITAL_WINDOW, VITAL_TYPED, VITAL_MAJORITY_DEFAULT = 80, 5, 0.8
VITAL_MAJORITY = {"athlete": 0.6}

OCCUPATIONS_ANY = r"\b(?:" + "|".join(p for p, _ in OCCUPATIONS) + r")(?:s|es)?\b"


def classify_text(text):
    for pattern, kind in RULES:
        if re.search(pattern, text):
            # "football club" wins over "city" in "football club based in the city of…", but a
            # film or a song about a club is no club.
            if NOT_NEWS_ENTITIES.search(text) and not re.search(r"\b(?:club|team|company|party|university|broadcaster|agency|newspaper)\b", text.split(" based ")[0]):
                return None
            return kind
    return None
