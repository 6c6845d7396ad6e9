"""First-level subdivisions with Wikidata ids (dr5hn/countries-states-cities-database, ODbL 1.0):
states, provinces, regions and the constituent countries of the United Kingdom. ODbL is
share-alike, so these rows go to their own file, offered under the ODbL with attribution."""

import re

from collections import Counter

from .common import CATEGORY_PRIORITY, ascii_fold, entity_id, is_latin_name, log, qid_of, read_csv, unique
from . import prior

# Subdivision types that are local government rather than regions a news reader names:
# municipalities, villages, parishes, districts, quarters (kept out; counted in the log).
LOCAL = {"municipality", "village", "parish", "local council", "commune", "quarter", "district", "popularate",
         "administrative atoll", "rural municipality", "urban municipality", "district municipality", "city",
         "municipal district", "town", "borough", "island"}

# Regions named only by a direction or a generic word ("Central", "Eastern", "Capital",
# "West Coast"): in news these are adjectives, not names.
GENERIC = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre",
           "center", "capital", "coast", "coastal", "upper", "lower", "middle", "north-east", "north-west",
           "south-east", "south-west", "northeast", "northwest", "southeast", "southwest", "interior", "highlands",
           "islands", "lakes", "plateau", "valley", "river", "great", "region", "province", "district", "city"}

CONSTITUENT = {"Q21": "England", "Q22": "Scotland", "Q25": "Wales", "Q26": "Northern Ireland"}


def label_names(sources):
    """Natural Earth admin-1 label names (public domain) by country, for aliases: dr5hn writes
    "Chechen" where news writes "Chechnya"."""
    import json
    names = {}
    for line in (sources / "kb-sources/natural-earth/admin1_label_points.jsonl").open(encoding="utf-8"):
        p = json.loads(line)
        if p.get("name") and p.get("iso_a2"):
            names.setdefault(p["iso_a2"], set()).add(p["name"])
    return names


def fold(name):
    return (ascii_fold(name) or name).casefold()


def build(sources, registry, country_ids, common, people_names):
    rows, dropped = [], Counter()
    labels = label_names(sources)
    states = read_csv(sources / "kb-sources/dr5hn/states.csv")
    prefixes = {}
    for r in states:
        if not r["parent_id"]:
            key = (r["country_code"], fold(r["name"])[:5])
            prefixes[key] = prefixes.get(key, 0) + 1
    for r in states:
        qid = qid_of(r["wikiDataId"])
        country = f"country:{r['country_code']}"
        if r["parent_id"] or not qid or country not in country_ids:
            dropped["lower level, no QID or unknown country"] += 1
            continue
        kind = r["type"].strip().lower()
        if kind in LOCAL and qid not in CONSTITUENT:
            dropped[kind] += 1
            continue
        name = r["name"].strip()
        if not is_latin_name(name) or any(c.isdigit() for c in name):
            dropped["non-Latin or numbered name"] += 1
            continue
        if set(re.split(r"[\s-]+", name.casefold())) <= GENERIC or (" " not in name and name.casefold() in common and qid not in CONSTITUENT):
            # "Central", "Eastern", "Capital", "West Coast": a direction, not a name, in news.
            dropped["name made of common words"] += 1
            continue
        if " " not in name and qid not in CONSTITUENT and (
                people_names.given[name] >= 100 or (name in common.proper and re.search(r"(ish|ese|ic)$", name))):
            # "Michael" (a region of Bulgaria's data), "Jewish" (the autonomous oblast): a
            # person's name or an adjective in news.
            dropped["named like a person or an adjective"] += 1
            continue
        constituent = qid in CONSTITUENT
        category = "constituent-country" if constituent else "region"
        # The Natural Earth label of the same country sharing the first five letters, when it is
        # the only one that does and no other region of the country shares them.
        prefix = fold(name)[:5]
        similar = [n for n in labels.get(r["country_code"], ()) if fold(n)[:5] == prefix and len(prefix) == 5]
        siblings = prefixes.get((r["country_code"], prefix), 0)
        extra = similar if len(similar) == 1 and siblings == 1 and is_latin_name(similar[0]) else []
        if extra and fold(extra[0]) != fold(name) and len(extra[0]) > len(name):
            # dr5hn's "Chechen" is an adjective where Natural Earth has the name, "Chechnya".
            name = extra[0]
        aliases = unique(extra + [f for f in [ascii_fold(name)] + [ascii_fold(e) for e in extra] if f], exclude=[name])
        row = {
            "id": (f"country:{r['iso3166_2']}" if constituent else entity_id("region", name, qid)),
            "type": "country" if constituent else "location", "category": category, "name": name,
            "aliases": "|".join(aliases), "priority": CATEGORY_PRIORITY[category],
            "prior": prior.fmt(prior.popularity(population=float(r.get("population") or 0), region=True)), "within": country,
            "description": ("Constituent country of the United Kingdom" if constituent else f"{kind.capitalize()} of {r['country_name']}"),
            "xref:iso3166-2": r["iso3166_2"], "xref:wikidata": qid,
        }
        if registry.has_qid(qid):
            dropped["QID already in another file"] += 1
        else:
            rows.append(row)
    log(f"subdivisions (dr5hn): {len(rows)} candidate rows; dropped {dict(sorted(dropped.items(), key=lambda kv: -kv[1]))}")
    return rows


def claim(rows, registry):
    """Registers the rows after the cities (a city-state's city owns its QID, "Mexico City" is
    the city), returning those kept."""
    kept = [r for r in rows if registry.claim(r)]
    log(f"subdivisions (dr5hn): {len(kept)} rows ({len(rows) - len(kept)} left to the city with the same QID)")
    return kept
