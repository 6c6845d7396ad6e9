"""Helpers shared by every source module: reading curation TSVs, forms, ids and the row
registry that keeps Wikidata ids and gazetteer ids unique across all generated files."""

import csv
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

# Columns of every generated entity file, in order. `xref:*` columns are added per file.
ENTITY_COLUMNS = ["id", "type", "category", "name", "aliases", "acronyms", "demonyms", "case", "priority",
                  "prior", "within", "topics", "description", "comment"]

# Resolution rank by category: a form shared by a country and a city goes to the country
# ("Mexico", "Djibouti"), by a city and its homonymous region to the city ("New York").
CATEGORY_PRIORITY = {"sovereign-state": 3, "dependent-territory": 3, "constituent-country": 3,
                     "city": 2, "capital": 2, "region": 2}



def log(message):
    print(message, file=sys.stderr)


def read_tsv(path):
    """Rows of a curation TSV (comments and blank lines skipped) as dicts."""
    lines = [l.rstrip("\n") for l in path.open(encoding="utf-8") if l.strip() and not l.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        values = line.split("\t")
        values += [""] * (len(header) - len(values))
        rows.append({k: v.strip() for k, v in zip(header, values)})
    return rows


def read_csv(path, **kwargs):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, **kwargs))


def split(value):
    return [v.strip() for v in value.split("|") if v.strip()] if value else []


def ascii_fold(text):
    """'Erdoğan' -> 'Erdogan': news wires often drop diacritics."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = folded.replace("ı", "i").replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    folded = folded.replace("ß", "ss").replace("đ", "d").replace("Đ", "D").replace("æ", "ae").replace("œ", "oe")
    return folded if folded != text and folded.isascii() else None


def slug(text):
    folded = ascii_fold(text) or text
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "x"


def unique(items, exclude=()):
    seen = {e.casefold() for e in exclude}
    out = []
    for item in items:
        key = item.casefold() if item else ""
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def is_latin_name(text):
    return all(unicodedata.name(c, "").startswith(("LATIN", "SPACE", "HYPHEN", "APOSTROPHE", "FULL STOP", "COMMA", "DIGIT", "LEFT", "RIGHT", "AMPERSAND")) or c in " -'’.(),&" for c in text)


def clean(text):
    """One line of text, no tabs or `|` (the list separator)."""
    return re.sub(r"\s+", " ", (text or "").replace("|", "/")).strip()


QID = re.compile(r"Q[1-9][0-9]*")


def qid_of(value):
    """A bare Wikidata id from a value that may be a URL; '' when there is none."""
    if not value:
        return ""
    match = QID.search(str(value).rsplit("/", 1)[-1])
    return match.group(0) if match and match.group(0) == str(value).rsplit("/", 1)[-1] else ""


class CommonWords:
    """Lower-case English words (SCOWL's `american-english` list, Debian `wamerican`): a name
    that is also one of these ("Nice", "Reading", "Next") needs evidence in the article when it
    is capitalised only by position (sentence start, headline)."""

    PATHS = [Path("/usr/share/dict/american-english"), Path("/usr/share/dict/words")]

    def __init__(self):
        path = next((p for p in self.PATHS if p.exists()), None)
        if path is None:
            sys.exit("the common-word list needs Debian/Ubuntu `wamerican` (/usr/share/dict/american-english): apt install wamerican")
        self.path = path
        entries = [w.strip() for w in path.open(encoding="utf-8", errors="replace") if w.strip() and "'" not in w]
        self.words = {w for w in entries if w.islower()}
        # Capitalised entries: given names, places, brands the dictionary knows.
        self.proper = {w for w in entries if w[:1].isupper()}

    def __contains__(self, word):
        return word.casefold() in self.words

    def all_common(self, phrase):
        """Every word of the phrase is a common word ("Rose Hill", "New Market")."""
        words = re.findall(r"[^\W\d_]+", phrase)
        return bool(words) and all(w.casefold() in self.words for w in words)


class Registry:
    """Keeps gazetteer ids and Wikidata ids unique across every generated file: the first source
    to claim a QID owns it (sources run in a fixed order, most curated first)."""

    def __init__(self):
        self.ids = set()
        self.qids = {}

    def has_qid(self, qid):
        return qid in self.qids

    def keep(self, row, rows, dropped):
        """Claims `row` and appends it to `rows`, or counts it in `dropped` when another file
        owns its QID."""
        if self.claim(row):
            rows.append(row)
        else:
            dropped["QID already in another file"] += 1

    def assign(self, row, qid):
        """Gives a row that came without a Wikidata id the one another source names it by."""
        if qid in self.qids:
            return False
        row["xref:wikidata"] = qid
        self.qids[qid] = row["id"]
        return True

    def claim(self, row):
        """Registers a row; False (and nothing registered) when its QID is taken."""
        qid = row.get("xref:wikidata", "")
        if qid and qid in self.qids:
            return False
        base = row["id"]
        candidate, n = base, 2
        while candidate in self.ids:
            candidate = f"{base}-{n}"
            n += 1
        row["id"] = candidate
        self.ids.add(candidate)
        if qid:
            self.qids[qid] = candidate
        return True


def entity_id(prefix, name, qid):
    """`city:madrid-q2807`: readable, and unique because the QID is."""
    return f"{prefix}:{slug(name)}" + (f"-{qid.lower()}" if qid else "")


def write_tsv(path, header_comment, columns, rows):
    with path.open("w", encoding="utf-8", newline="") as out:
        for line in header_comment.strip().splitlines():
            out.write(f"# {line}\n")
        out.write("\t".join(columns) + "\n")
        for row in rows:
            out.write("\t".join(str(row.get(c, "")).replace("\t", " ") for c in columns).rstrip("\t") + "\n")





def caps_case(names):
    """`insensitive` when the name is several words in capitals ("ABN AMRO"): news writes
    "ABN Amro", which the smart policy would not match; '' otherwise."""
    return "insensitive" if names and " " in names[0] and names[0].isupper() else ""


class Names:
    """Given names and surnames seen among the politicians of the sources, with counts: a
    one-word place or brand that is also a frequent given name ("Bryan", "Paul") or surname
    ("Mitchell") is a person far more often than the place in news."""

    def __init__(self, sources):
        import gzip
        import json
        from collections import Counter
        self.given, self.surnames = Counter(), Counter()
        for line in gzip.open(sources / "kb-sources/everypolitician/people.jsonl.gz", "rt", encoding="utf-8"):
            words = json.loads(line)["name"].split()
            if len(words) >= 2 and is_latin_name(" ".join(words)):
                self.given[words[0]] += 1
                self.surnames[words[-1]] += 1

    def is_given(self, word):
        return self.given[word] >= 5

    def is_surname(self, word):
        return self.surnames[word] >= 5


def spelling_variants(name):
    """British and American spellings of organisation names: "Organization" and
    "Organisation", "Cooperation" and "Co-operation"; news writes either."""
    swaps = [("Organization", "Organisation"), ("organization", "organisation"), ("Co-operation", "Cooperation"),
             ("Defense", "Defence"), ("Center", "Centre"), ("Labor", "Labour")]
    out = []
    for a, b in swaps:
        for x, y in ((a, b), (b, a)):
            if x in name:
                out.append(name.replace(x, y))
    # Both swaps at once ("Organization for Security and Co-operation" -> "... Cooperation").
    combined = name
    for a, b in swaps[:3]:
        combined = combined.replace(a, b) if a in combined else combined.replace(b, a) if b in combined else combined
    if combined != name:
        out.append(combined)
    return out
