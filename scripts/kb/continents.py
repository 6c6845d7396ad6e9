"""Continents: names from GeoNames (CC BY 4.0); a Wikidata id only where the Name Suggestion
Index's Wikidata extract (CC0) has an item with exactly that English label and a description
calling it a continent (Europe, Antarctica); the others have none in these sources."""

import json

from .common import log
from . import prior


def build(sources, registry):
    continents = json.load((sources / "kb-sources/geonames/continents.json").open(encoding="utf-8"))
    wikidata = json.load((sources / "kb-sources/nsi/wikidata.json").open(encoding="utf-8"))["wikidata"]
    by_label = {}
    for qid, facts in wikidata.items():
        if "continent" in (facts.get("description") or ""):
            by_label.setdefault(facts.get("label"), qid)
    rows = []
    for code in sorted(continents):
        c = continents[code]
        name = c.get("name") or c.get("toponymName")
        row = {"id": f"continent:{code}", "type": "location", "category": "continent", "name": name,
               "priority": "3", "prior": prior.fmt(prior.popularity(population=c.get("population") or 0)), "description": "Continent",
               "xref:geonames": str(c.get("geonameId", "")), "xref:wikidata": by_label.get(name, "")}
        if registry.claim(row):
            rows.append(row)
    log(f"continents: {len(rows)} rows, {sum(1 for r in rows if r['xref:wikidata'])} with a QID")
    return rows
