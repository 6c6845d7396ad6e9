"""Cities and towns: Natural Earth populated places (public domain, Wikidata ids), GeoNames
cities of 15,000 or more (CC BY 4.0; populations, and Wikidata ids joined on the GeoNames id
Natural Earth records or, for the US, on name and state in the Wikidata-derived US city list
of hearvox/wiki-media-cred, CC0). Each city is `within` its region where the region's name
matches a dr5hn subdivision of the same country, else within its country."""

import json
import re

from collections import Counter

from .common import CATEGORY_PRIORITY, ascii_fold, entity_id, is_latin_name, log, qid_of, read_csv, unique
from . import prior

# GeoNames cities without a Wikidata id are kept only from this population up: smaller towns
# share their names with too many people and words to tag without an id to link to.
MIN_POPULATION_WITHOUT_QID = 100_000


def fold(name):
    return (ascii_fold(name) or name).casefold().replace("-", " ").replace("'", "")


def strip_region_suffix(name):
    return re.sub(r"\s+(province|region|state|oblast|governorate|department|prefecture|county)$", "", fold(name))


def forms(*names):
    """Latin-script names of at least three letters; "Washington, D.C." also gives "Washington"."""
    out = []
    for name in names:
        for part in (name or "").split("|"):
            part = part.strip()
            if "," in part:
                head = part.split(",")[0].strip()
                if sum(c.isalpha() for c in head) >= 4:
                    out.append(head)
            letters = sum(c.isalpha() for c in part)
            if part and letters >= 3 and is_latin_name(part) and not any(c.isdigit() for c in part):
                out.append(part)
                folded = ascii_fold(part)
                if folded:
                    out.append(folded)
    return unique(out)


def person_like(name, population, names):
    """A one-word town of under 100,000 named like a person ("Bryan", "Mitchell")."""
    return " " not in name and population < 100_000 and (names.is_given(name) or names.is_surname(name))


def build(sources, registry, country_ids, regions, state_region, names):
    region_by_name = {}
    for r in regions:
        if r["type"] == "location":
            iso = r["within"].removeprefix("country:")
            region_by_name[(iso, strip_region_suffix(r["name"]))] = r["id"]
    geonames = json.load((sources / "kb-sources/geonames/cities15000.json").open(encoding="utf-8"))
    us_cities = {}
    for r in read_csv(sources / "kb-sources/us-newspapers/wikidata-us-cities.tsv", delimiter="\t"):
        us_cities.setdefault((fold(r["placeLabel"]), r["state"]), qid_of(r["WD-QID"]))
    rows, by_geonameid, dropped = [], {}, Counter()
    names_index = names


    for line in (sources / "kb-sources/natural-earth/populated_places.jsonl").open(encoding="utf-8"):
        p = json.loads(line)
        qid = qid_of(p.get("wikidataid"))
        iso = p["ISO_A2"] if p["ISO_A2"] != "-99" else ""
        country = f"country:{iso}"
        if not qid or country not in country_ids:
            dropped["Natural Earth: no QID or no country"] += 1
            continue
        names = forms(p.get("NAME_EN"), p["NAME"], p.get("NAMEASCII"), p.get("NAMEALT"))
        if not names:
            dropped["Natural Earth: no Latin name"] += 1
            continue
        gn = geonames.get(str(int(p["GEONAMEID"]))) if p.get("GEONAMEID") and p["GEONAMEID"] > 0 else None
        population = max(p.get("POP_MAX") or 0, (gn or {}).get("population") or 0)
        if population < 15_000 and "capital" not in p["FEATURECLA"].lower():
            dropped["Natural Earth: under 15,000 and not a capital"] += 1
            continue
        if person_like(names[0], population, names_index):
            dropped["named like a person"] += 1
            continue
        region = region_by_name.get((iso, strip_region_suffix(p.get("ADM1NAME") or "")))
        capital = "capital" if p["FEATURECLA"] == "Admin-0 capital" else ""
        # One-word aliases named like people ("Larisa" for Larissa) are left out.
        names = names[:1] + [n for n in names[1:] if " " in n or not (names_index.is_given(n) or names_index.is_surname(n))]
        row = {
            "id": entity_id("city", names[0], qid), "type": "location", "category": "city", "name": names[0],
            "aliases": "|".join(names[1:]), "priority": CATEGORY_PRIORITY["city"], "prior": prior.fmt(prior.popularity(population=population)),
            "within": region or country, "_country": country,
            "description": f"{'Capital city' if capital else 'City'} in {p.get('ADM1NAME') + ', ' if p.get('ADM1NAME') and not capital else ''}{p['ADM0NAME']}",
            "xref:geonames": str(gn["geonameid"]) if gn else "", "xref:wikidata": qid,
        }
        if gn:
            by_geonameid[gn["geonameid"]] = row
        registry.keep(row, rows, dropped)
    joined_us = 0
    for gn in geonames.values():
        if gn["geonameid"] in by_geonameid:
            continue
        iso = gn["countrycode"]
        country = f"country:{iso}"
        if country not in country_ids:
            dropped["GeoNames: unknown country"] += 1
            continue
        qid = us_cities.get((fold(gn["name"]), gn["admin1code"]), "") if iso == "US" else ""
        joined_us += bool(qid)
        if not qid and (gn["population"] or 0) < MIN_POPULATION_WITHOUT_QID:
            dropped[f"GeoNames: no QID and under {MIN_POPULATION_WITHOUT_QID:,}"] += 1
            continue
        names = forms(gn["name"])
        if not names:
            dropped["GeoNames: no Latin name"] += 1
            continue
        if person_like(names[0], gn["population"] or 0, names_index):
            dropped["named like a person"] += 1
            continue
        region = state_region.get(gn["admin1code"]) if iso == "US" else None
        row = {
            "id": entity_id("city", names[0], qid) if qid else f"city:{re.sub('[^a-z0-9]+', '-', fold(names[0]))}-gn{gn['geonameid']}",
            "type": "location", "category": "city", "name": names[0], "aliases": "|".join(names[1:]),
            "priority": CATEGORY_PRIORITY["city"], "prior": prior.fmt(prior.popularity(population=gn["population"] or 0)), "within": region or country, "_country": country,
            "description": f"City in {gn['admin1code'] + ', ' if iso == 'US' else ''}{iso}",
            "xref:geonames": str(gn["geonameid"]), "xref:wikidata": qid,
        }
        registry.keep(row, rows, dropped)
    log(f"places: {len(rows)} rows ({sum(1 for r in rows if r['xref:wikidata'])} with QID; {joined_us} US QIDs joined on name and state); dropped {dropped}")
    return rows
