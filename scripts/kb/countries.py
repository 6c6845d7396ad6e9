"""Countries: ISO 3166-1/3166-3 names and codes (pycountry), demonyms and alternate spellings
(countryinfo), Wikidata ids and sovereign/dependent status (Natural Earth admin-0, public
domain; world-leaders-2021 for the few Natural Earth lacks), populations as priors (GeoNames,
CC BY 4.0) and the hand-curated overrides in curation/countries*.tsv."""

import json
import re
import sys
from collections import defaultdict

from .common import CATEGORY_PRIORITY, ascii_fold, is_latin_name, log, read_tsv, split, unique
from . import prior


def plural_demonyms(demonym):
    """'Russian' -> 'Russians'; 'Chinese', 'British', 'French', 'Swiss' have no plural."""
    if re.search(r"(ese|ish|ch|ss|s|x|z)$", demonym) or " " in demonym:
        return []
    return [demonym + "s"]


def natural_earth_admin0(sources):
    """ISO alpha-2 -> Natural Earth admin-0 properties (QID, sovereign or not)."""
    by_iso = {}
    for line in (sources / "kb-sources/natural-earth/admin0_countries.jsonl").open(encoding="utf-8"):
        unit = json.loads(line)
        code = unit["ISO_A2"] if unit["ISO_A2"] != "-99" else unit["ISO_A2_EH"]
        if code != "-99" and code not in by_iso:
            by_iso[code] = unit
    return by_iso


def leaders(sources):
    import csv
    rows = list(csv.DictReader((sources / "gazetteer-sources/world-leaders-2021/wikidata.csv").open(encoding="utf-8")))
    country_qid = {r["country"]: r["countryid"] for r in rows}
    return rows, country_qid


def build(sources, curation, country_qid):
    iso = json.load((sources / "gazetteer-sources/pycountry/iso3166-1.json").open(encoding="utf-8"))["3166-1"]
    info = {}
    for path in (sources / "gazetteer-sources/countryinfo/data").glob("*.json"):
        data = json.load(path.open(encoding="utf-8"))
        alpha2 = (data.get("ISO") or {}).get("alpha2")
        if alpha2:
            info[alpha2] = data
    admin0 = natural_earth_admin0(sources)
    population = {c: v.get("population") for c, v in json.load((sources / "kb-sources/geonames/countries.json").open(encoding="utf-8")).items()}
    overrides = {r["iso"]: r for r in read_tsv(curation / "countries.tsv")}
    qid_by_label = {label.casefold().removeprefix("the "): qid for label, qid in country_qid.items()}
    rows, unmatched, from_leaders = [], [], []
    for entry in iso:
        code = entry["alpha_2"]
        over = overrides.get(code, {})
        names = [entry.get("common_name", ""), entry["name"], entry.get("official_name", "")]
        display = over.get("name") or entry.get("common_name") or entry["name"]
        if "," in display or "(" in display:
            log(f"warning: {code} {display!r} needs a display name in curation/countries.tsv")
        # Single-word alternate spellings are mostly native names ("Dominique", "Sverige") that
        # collide with English words and people's names; keep the multi-word official forms.
        alt = [a for a in (info.get(code, {}).get("altSpellings") or []) if " " in a and not a.isupper() and is_latin_name(a)]
        removed = set(split(over.get("remove", "")))
        aliases = [n for n in names + alt + split(over.get("aliases", "")) if n and "," not in n and n not in removed]
        aliases += [f for f in (ascii_fold(a) for a in [display] + aliases) if f]
        aliases = unique(aliases, exclude=[display])
        demonyms = split(over.get("demonyms", "")) or [d for d in [info.get(code, {}).get("demonym", "")] if d]
        demonyms = unique(demonyms + [p for d in demonyms for p in plural_demonyms(d)])
        ne = admin0.get(code)
        qid = ne["WIKIDATAID"] if ne and re.fullmatch(r"Q\d+", ne.get("WIKIDATAID") or "") else ""
        # The state its leaders govern, where the curation names it and Natural Earth, which
        # files the country under another sovereign, gives another item: Natural Earth maps PS to
        # Palestine the region (Q23792), world-leaders to the State of Palestine (Q219060)
        # that news and benchmarks mean. (Countries Natural Earth counts sovereign keep its
        # id: Denmark, not the Kingdom of Denmark.)
        governed = qid_by_label.get((over.get("leaders_label") or "").casefold().removeprefix("the "))
        if governed and qid and governed != qid and ne.get("SOVEREIGNT") not in (ne.get("ADMIN"), None):
            log(f"{code}: the governed state's id {governed} instead of Natural Earth's {qid}")
            qid = governed
        if not qid:
            label = (over.get("leaders_label") or "").casefold().removeprefix("the ")
            qid = qid_by_label.get(label) or next((qid_by_label[n.casefold().removeprefix("the ")] for n in [display] + names if n and n.casefold().removeprefix("the ") in qid_by_label), "")
            if qid:
                from_leaders.append(code)
        if not qid:
            unmatched.append(code)
        dependent = ne is not None and ne.get("SOVEREIGNT") not in (ne.get("ADMIN"), None) and ne.get("TYPE") != "Sovereign country"
        # Territories Natural Earth does not map (Bouvet Island, Heard Island) count as dependent.
        category = "dependent-territory" if dependent or (ne is None and code not in from_leaders) else "sovereign-state"
        rows.append({
            "id": f"country:{code}", "type": "country", "category": category, "name": display,
            "aliases": "|".join(aliases), "acronyms": "|".join(split(over.get("acronyms", ""))),
            "demonyms": "|".join(demonyms), "priority": over.get("priority") or CATEGORY_PRIORITY[category],
            "prior": prior.fmt(prior.popularity(population=population.get(code) or 0)), "topics": over.get("topics", ""),
            "description": ("Dependent territory" if dependent else "Country") + (f" ({entry['name']})" if entry["name"] != display else ""),
            "xref:iso3166": code, "xref:wikidata": qid,
        })
    for extra in read_tsv(curation / "countries-extra.tsv"):
        ne = admin0.get(extra["iso3166"])
        rows.append({
            "id": extra["id"], "type": "country", "category": "sovereign-state", "name": extra["name"], "aliases": extra["aliases"],
            "demonyms": extra["demonyms"], "priority": CATEGORY_PRIORITY["sovereign-state"], "prior": prior.fmt(prior.popularity(population=population.get(extra["iso3166"]) or 0)),
            "description": "Country (not in ISO 3166-1)", "xref:iso3166": extra["iso3166"],
            "xref:wikidata": (ne or {}).get("WIKIDATAID") or country_qid.get(extra["leaders_label"], ""),
        })
    former_iso = {e["alpha_4"]: e for e in json.load((sources / "gazetteer-sources/pycountry/iso3166-3.json").open(encoding="utf-8"))["3166-3"]}
    for former in read_tsv(curation / "former-countries.tsv"):
        code = former["alpha_4"]
        if code != "-" and code not in former_iso:
            sys.exit(f"curation/former-countries.tsv: {code} is not in ISO 3166-3")
        aliases = [a for a in split(former["aliases"]) if "," not in a]
        rows.append({
            "id": former["id"], "type": "country", "category": "former-country", "name": former["name"], "aliases": "|".join(aliases),
            "acronyms": former["acronyms"], "demonyms": former["demonyms"], "description": former["description"],
            "xref:iso3166": code if code != "-" else "",
        })
    # A demonym shared with a sovereign country belongs to it: "French" is France's, not
    # Martinique's; "Congolese" stays shared by two states.
    owners = defaultdict(list)
    for row in rows:
        for demonym in split(row.get("demonyms", "")):
            owners[demonym].append(row)
    for demonym, sharing in owners.items():
        sovereign = [r for r in sharing if r.get("category") == "sovereign-state"]
        if len(sharing) > 1 and sovereign:
            for row in sharing:
                if row.get("category") != "sovereign-state":
                    row["demonyms"] = "|".join(d for d in split(row["demonyms"]) if d != demonym)
    log(f"countries: {len(rows)} rows; QIDs from world-leaders-2021 for {' '.join(from_leaders) or 'none'}; none for {len(unmatched)}: {' '.join(unmatched)}")
    return rows
