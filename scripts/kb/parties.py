"""Political parties (Party Facts, MIT: Copyright (c) 2022 Party Facts authors): the
Wikidata-linked parties joined to the core file for English names, abbreviations and years.
Parties that ended before 1990 are left out."""

import re

from collections import Counter

from .common import ascii_fold, clean, entity_id, is_latin_name, log, qid_of, read_csv, unique
from . import prior

ACRONYM = re.compile(r"[A-Z][A-Z0-9&\-]{2,7}")


def build(sources, registry, common, iso3_to_id, demonyms):
    core = {r["partyfacts_id"]: r for r in read_csv(sources / "kb-sources/partyfacts/partyfacts-core-parties.csv")}
    rows, dropped = [], Counter()


    for r in read_csv(sources / "kb-sources/partyfacts/wikidata.csv"):
        qid = qid_of(r["wikidata_id"])
        c = core.get(r["partyfacts_id"], {})
        if not qid or c.get("technical"):
            dropped["no QID or technical"] += 1
            continue
        last = (c.get("year_last") or "").strip()
        if last and last.isdigit() and int(last) < 1990:
            dropped["ended before 1990"] += 1
            continue
        short = (c.get("name_short") or r.get("name_short") or "").strip()
        # An alliance ("CDU/CSU": Christian Democratic Union / Christian Social Union) is named
        # as a whole; its parts are parties of their own, and would make each acronym ambiguous.
        alliance = bool(re.fullmatch(r"[A-Z][A-Za-z0-9&\-]*(?:/[A-Z][A-Za-z0-9&\-]*)+", short))
        english = [clean(c.get("name_english"))] if alliance and c.get("name_english") else [clean(n) for n in (c.get("name_english") or "").split("/") if clean(n)]
        names = [n for n in english + [clean(r["name"])] + [clean(r["name_native"])] if n and is_latin_name(n) and not any(ch.isdigit() for ch in n)]
        # "The Iraqis", "Greens": a demonym or a common word names people, not the party.
        names = [n for n in unique(names) if not (len(n.split()) == 1 and n.casefold() in common)
                 and n.removeprefix("The ").casefold() not in demonyms]
        if not names:
            dropped["no Latin name"] += 1
            continue
        name = names[0]
        if alliance:
            names = [short] + names
        shorts = [] if alliance else [s.strip() for s in re.split(r"[/,;]", short) if s.strip()]
        acronyms = [s for s in shorts if ACRONYM.fullmatch(s) and s.casefold() not in common]
        names += [f for f in (ascii_fold(n) for n in names) if f]
        country = iso3_to_id.get(r["country"], "")
        row = {"id": entity_id("party", name, qid), "type": "organisation", "category": "party", "name": name, "prior": prior.fmt(prior.PARTY),
               "aliases": "|".join(unique(names[1:], exclude=[name])), "acronyms": "|".join(unique(acronyms)),
               "within": country, "topics": "medtop:20000593",
               "description": f"Political party ({r['country']}{', ' + c['year_first'] if c.get('year_first') else ''}{'–' + last if last else ''})",
               "xref:partyfacts": r["partyfacts_id"], "xref:wikidata": qid}
        registry.keep(row, rows, dropped)
    log(f"parties (Party Facts): {len(rows)} rows; dropped {dropped}")
    return rows
