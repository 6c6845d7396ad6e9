"""Brands from the Name Suggestion Index (BSD-3-Clause, (c) 2017 Bryan Housel and contributors;
Wikidata labels CC0). Only `brands/*` with a Wikidata id, used in at least one whole country
or worldwide, and not dissolved: operators (municipalities, substations, post offices),
transit networks, flags and brands of one sub-national area are left out."""

import json
import re

from collections import Counter

from .common import ascii_fold, caps_case, clean, entity_id, is_latin_name, log, qid_of, split, unique
from . import prior

CATEGORY = {"amenity/bank": "bank", "amenity/fuel": "fuel-brand", "shop/supermarket": "retailer", "amenity/fast_food": "restaurant-chain",
            "amenity/restaurant": "restaurant-chain", "amenity/cafe": "restaurant-chain", "tourism/hotel": "hotel-chain"}


def build(sources, registry, common, country_ids, people_names, demonyms, place_names, owners):
    """Brand rows; `owners` (QID → row) are the organisation rows earlier sources made, which
    take a brand's names and reach when the brand is theirs. `place_names` (case-folded) are
    the names of places."""
    nsi = json.load((sources / "kb-sources/nsi/nsi.json").open(encoding="utf-8"))["nsi"]
    wikidata = json.load((sources / "kb-sources/nsi/wikidata.json").open(encoding="utf-8"))["wikidata"]
    rows, dropped, seen = [], Counter(), {}
    merged = 0


    for path in sorted(nsi):
        tree, key, value = (path.split("/") + ["", ""])[:3]
        if tree != "brands":
            dropped[f"{tree} (not a brand)"] += 1
            continue
        for item in nsi[path]["items"]:
            tags = item.get("tags", {})
            qid = qid_of(tags.get("brand:wikidata"))
            if not qid:
                dropped["no QID"] += 1
                continue
            facts = wikidata.get(qid, {})
            if facts.get("dissolutions"):
                dropped["dissolved"] += 1
                continue
            include = [str(c).lower() for c in (item.get("locationSet") or {}).get("include", [])]
            countries = [c for c in include if re.fullmatch(r"[a-z]{2}", c)]
            if "001" not in include and not countries:
                dropped["only local (sub-national) areas"] += 1
                continue
            if qid in seen:
                seen[qid]["_names"] += [item.get("displayName"), tags.get("brand"), tags.get("brand:en"), tags.get("name:en")]
                if "001" in include:
                    seen[qid].update({"_worldwide": True, "prior": prior.fmt(prior.brand_reach(True, 0))})
                continue
            label = facts.get("label", "")
            names = [clean(n) for n in [label, tags.get("brand:en"), item.get("displayName"), tags.get("brand")] if n]
            category = CATEGORY.get(f"{key}/{value}", "brand")
            only = countries[0].upper() if len(countries) == 1 and "001" not in include else ""
            row = {"id": entity_id("brand", names[0] if names else qid, qid), "type": "organisation", "category": category,
                   "_worldwide": "001" in include, "prior": prior.fmt(prior.brand_reach("001" in include, len(countries))),
                   "_names": names, "within": f"country:{only}" if f"country:{only}" in country_ids else "",
                   "description": clean(facts.get("description") or f"Brand ({value.replace('_', ' ')})"),
                   "xref:nsi": item["id"], "xref:wikidata": qid}
            seen[qid] = row
    for qid, row in seen.items():
        names = [n for n in unique(clean(n) for n in row.pop("_names") if n)
                 if is_latin_name(n) and len(n) > 2 and not any(c.isdigit() for c in n)]
        # One word in capitals is an acronym ("IKEA", "BMW"): matched in capitals, and in Title
        # case from four letters; several words in capitals also get a Title-case variant.
        def person_or_people(word):
            """A name ("Alex", "ALEX"), a family ("Clintons") or a people ("Swiss"). The
            dictionary's proper nouns hold names and places but also the best-known brands
            themselves ("Volkswagen", "Nike", "Samsung"): a brand sold worldwide is kept
            unless the word also names a place ("Columbia", "Springfield") or is as short as a
            syllable ("Ora", which the tagger also finds in "d'Ora")."""
            title = word[:1] + word[1:].lower() if word.isupper() else word
            proper = title in common.proper and (not row["_worldwide"] or word.casefold() in place_names or len(word) < 4)
            return (proper or people_names.given[title] >= 2 or people_names.surnames[title] >= 2
                    or people_names.surnames[title.removesuffix("s")] >= 2 or word.casefold() in demonyms)

        acronyms = [n for n in names if n.isupper() and " " not in n and n.casefold() not in common
                    and not person_or_people(n)]
        names = [n for n in names if not (n.isupper() and " " not in n)]
        row["acronyms"] = "|".join(acronyms)
        if not names and acronyms:
            names = [acronyms[0]]
        # One-word brands that are English words ("Next", "Gap", "Shell") keep the name but are
        # matched only with evidence (the common-word rule); one-word brands of one country
        # whose name is a common word are too risky to keep at all.
        # A one-word brand that the dictionary lists as a name ("Alex", "Adam", "April") is a
        # person's name or a month far more often than the brand, unless the brand is global.
        # A one-word brand that is a name in the dictionary or among the politicians' given names
        # and surnames ("Alex", "Dennis", "Coles") is a person far more often than the brand;
        # a brand made of common words ("Stadium", "The Big", "House") is kept only when it
        # is used worldwide (Shell, Gap), and then needs evidence at sentence starts.
        names = [n for n in names if not (len(n.split()) == 1 and person_or_people(n))]
        names = [n for n in names if not (common.all_common(n.removeprefix("The ")) and not row["_worldwide"])]
        if not names:
            dropped["no usable Latin name"] += 1
            continue
        row["name"] = names[0]
        row["case"] = caps_case(names)
        names += [f for f in (ascii_fold(n) for n in names) if f]
        row["aliases"] = "|".join(unique(names[1:], exclude=[names[0]]))
        row["id"] = entity_id("brand", names[0], qid)
        owner = owners.get(qid)
        if registry.has_qid(qid) and owner is not None and owner.get("type") == "organisation":
            # The brand is a row another source made ("Google Research" from ROR, with a
            # research registry's display name and no reach): the row takes the brand's names
            # and its reach, so "Google" and "Volkswagen" link to it.
            owner["aliases"] = "|".join(unique(split(owner.get("aliases", "")) + names, exclude=[owner["name"]]))
            owner["acronyms"] = "|".join(unique(split(owner.get("acronyms", "")) + acronyms))
            owner["prior"] = prior.fmt(max(float(owner.get("prior") or 0), float(row["prior"])))
            merged += 1
            continue
        registry.keep(row, rows, dropped)
    log(f"brands (NSI): {len(rows)} rows, {merged} merged into other sources' rows; dropped {dropped}")
    return rows
