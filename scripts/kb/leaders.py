"""Heads of state and government (world-leaders-2021, Wikidata CC0) with the name variants and
additions of curation/people.tsv. Curated people without an id get one only where a source
here names them exactly (the US executive list: Donald Trump)."""

import re
from collections import defaultdict

from .common import ascii_fold, log, read_tsv, slug, split, unique
from . import prior


def build(curation, leader_rows, qid_by_person_name):
    by_qid = defaultdict(list)
    for r in leader_rows:
        by_qid[r["officeholder"]].append(r)
    extra = {r["wikidata"]: r for r in read_tsv(curation / "people.tsv") if r["wikidata"]}
    rows, ids = [], set()
    for qid, held in by_qid.items():
        name = held[0]["officeholderLabel"]
        if re.fullmatch(r"Q\d+", name):
            continue  # Wikidata had no English label: nothing to match
        offices = []
        for r in sorted(held, key=lambda r: (r["start_year"], r["positionLabel"])):
            years = f"{r['start_year']}–{r['end_year']}" if r["end_year"] else f"{r['start_year']}–"
            offices.append(f"{r['positionLabel']} ({years})")
        over = extra.get(qid, {})
        aliases = split(over.get("aliases", ""))
        aliases += [f for f in (ascii_fold(a) for a in [name] + aliases) if f]
        person_id = f"person:{slug(name)}"
        if person_id in ids:
            person_id = f"person:{slug(name)}-{qid.lower()}"
        ids.add(person_id)
        rows.append({
            "id": person_id, "type": "person", "category": "head-of-state-or-government", "name": name,
            "aliases": "|".join(unique(aliases, exclude=[name])), "prior": prior.fmt(prior.HEAD_OF_STATE),
            "topics": "medtop:20000593", "description": "; ".join(offices), "xref:wikidata": qid,
        })
    for r in read_tsv(curation / "people.tsv"):
        if not r["wikidata"]:
            qid = qid_by_person_name.get(r["name"], "")
            rows.append({"id": r["id"], "type": "person", "category": "head-of-state-or-government", "name": r["name"],
                         "aliases": r["aliases"], "prior": prior.fmt(prior.HEAD_OF_STATE), "topics": "medtop:20000593",
                         "description": r["description"], "xref:wikidata": qid})
    log(f"people (leaders): {len(rows)} rows")
    return rows
