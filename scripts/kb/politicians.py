"""Politicians and officeholders: the US Congress and recent US executive
(unitedstates/congress-legislators, CC0) and EveryPolitician's Wikidata query results (CC0).

Which people are safe to match (measured on CoNLL-2003 dev and the ELEVANT dev benchmarks): a
full name of at least two words in Latin script, not made only of common English words
("Rose Hill"), held by nobody else in the sources. From EveryPolitician only people with an
English Wikipedia article or a position with no end date are kept; the bare surname is
matched only after the full name (the engine's surname rule)."""

import gzip
import json
import re
from collections import Counter

from .common import ascii_fold, clean, entity_id, is_latin_name, log, qid_of, unique
from . import prior

NAME = re.compile(r"^[^\W\d_][\w.'’\- ]*[^\W\d_.]$")


def safe_name(name, common):
    words = name.split()
    return (len(words) >= 2 and is_latin_name(name) and NAME.match(name) is not None
            and not common.all_common(name) and not name.isupper() and "," not in name)


def congress(sources, registry, common, state_region):
    rows = []
    for line in (sources / "kb-sources/us-congress/legislators-current.jsonl").open(encoding="utf-8"):
        p = json.loads(line)
        qid = qid_of(p["id"].get("wikidata"))
        if not qid:
            continue
        n = p["name"]
        name = n.get("official_full") or f"{n['first']} {n['last']}"
        term = p["terms"][-1]
        aliases = [f"{n['first']} {n['last']}"] + ([f"{n['nickname']} {n['last']}"] if n.get("nickname") else [])
        aliases += [f for f in (ascii_fold(a) for a in [name] + aliases) if f]
        office = "U.S. Senator" if term["type"] == "sen" else "U.S. Representative"
        row = {"id": entity_id("person", name, qid), "type": "person", "category": "legislator", "name": name,
               "aliases": "|".join(a for a in unique(aliases, exclude=[name]) if safe_name(a, common)),
               "prior": prior.fmt(prior.LEGISLATOR), "within": state_region.get(term["state"], "country:US"), "_country": "country:US", "topics": "medtop:20000593",
               "description": f"{office} from {term['state']} ({term.get('party', '')}, since {p['terms'][0]['start'][:4]})",
               "xref:bioguide": p["id"]["bioguide"], "xref:wikidata": qid}
        if safe_name(name, common) and registry.claim(row):
            rows.append(row)
    for line in (sources / "kb-sources/us-congress/executive.jsonl").open(encoding="utf-8"):
        p = json.loads(line)
        qid = qid_of(p["id"].get("wikidata"))
        if not qid:
            continue
        n = p["name"]
        name = f"{n['first']} {n['last']}"
        terms = ", ".join(f"{'President' if t['type'] == 'prez' else 'Vice President'} {t['start'][:4]}–{t['end'][:4]}" for t in p["terms"])
        row = {"id": entity_id("person", name, qid), "type": "person", "category": "head-of-state-or-government" if any(t["type"] == "prez" for t in p["terms"]) else "politician",
               "name": name, "prior": prior.fmt(prior.HEAD_OF_STATE), "within": "country:US", "topics": "medtop:20000593",
               "description": f"United States: {terms}", "xref:bioguide": p["id"].get("bioguide", ""), "xref:wikidata": qid}
        if registry.claim(row):
            rows.append(row)
    log(f"politicians (US Congress and executive): {len(rows)} rows")
    return rows


def executive_names(sources):
    """Full name -> QID of the US executive (presidents, vice-presidents) that have one."""
    out = {}
    for line in (sources / "kb-sources/us-congress/executive.jsonl").open(encoding="utf-8"):
        p = json.loads(line)
        qid = qid_of(p["id"].get("wikidata"))
        if qid:
            out[f"{p['name']['first']} {p['name']['last']}"] = qid
    return out


def everypolitician(sources, registry, common, country_ids, head_positions=frozenset()):
    """EveryPolitician's office holders. One who held an office in `head_positions` (the
    heads of state and government of world-leaders-2021, by position QID) is
    head-of-state-or-government: "President Clinton" means the Clinton who was president."""
    people = [json.loads(l) for l in gzip.open(sources / "kb-sources/everypolitician/people.jsonl.gz", "rt", encoding="utf-8")]
    name_count = Counter(p["name"] for p in people)
    rows, dropped = [], Counter()
    for p in people:
        qid = qid_of(p["qid"])
        name = clean(p["name"])
        current = any(not pos.get("end") for pos in p["positions"]) and not p.get("dod")
        if not qid or not name:
            dropped["no QID or name"] += 1
            continue
        if not (p.get("enwiki") or current):
            dropped["no English Wikipedia article and no current position"] += 1
            continue
        if not safe_name(name, common):
            dropped["name unsafe (one word, non-Latin, only common words)"] += 1
            continue
        if name_count[name] > 1:
            dropped["name shared by several people"] += 1
            continue
        positions = sorted(p["positions"], key=lambda pos: pos.get("start") or "")
        latest = positions[-1] if positions else {}
        years = f"{(latest.get('start') or '')[:4]}–{(latest.get('end') or '')[:4]}"
        country = f"country:{latest.get('country')}" if f"country:{latest.get('country')}" in country_ids else ""
        aliases = [clean(a) for a in p.get("aliases", []) if safe_name(clean(a), common)]
        aliases += [f for f in (ascii_fold(a) for a in [name] + aliases) if f]
        # More positions, a current one and an article: more likely the one the news means.
        popularity = prior.politician_office(len(positions), current, p.get("enwiki"))
        head = any(qid_of(pos.get("position_qid")) in head_positions for pos in positions)
        row = {"id": entity_id("person", name, qid), "type": "person",
               "category": "head-of-state-or-government" if head else "politician", "name": name,
               "aliases": "|".join(unique(aliases, exclude=[name])[:8]), "prior": prior.fmt(popularity), "within": country,
               "topics": "medtop:20000593",
               "description": clean(f"{latest.get('position', 'Politician')}" + (f" ({latest.get('country')}, {years})" if latest else "")),
               "xref:wikidata": qid}
        registry.keep(row, rows, dropped)
    log(f"politicians (EveryPolitician): {len(rows)} rows; dropped {dict(dropped)}")
    return rows
