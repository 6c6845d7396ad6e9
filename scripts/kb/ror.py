"""Universities, agencies, companies and non-profits from the Research Organization Registry
(CC0). Active records with a Wikidata id only; facilities, archives and "other" are left out
(observatories, labs and collections are rarely what news names)."""

import json
import re

from collections import Counter

from .common import ascii_fold, caps_case, spelling_variants, clean, entity_id, is_latin_name, log, qid_of, unique
from . import prior

CATEGORY = {"education": "university", "government": "agency", "company": "company", "nonprofit": "non-profit",
            "healthcare": "hospital", "funder": "funder"}
ENGLISH_SPEAKING = {"US", "GB", "IE", "CA", "AU", "NZ", "IN", "ZA", "SG"}
SUFFIX = re.compile(r"\s*\([^()]*\)$")
ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{2,7}")


def names_of(record, schema):
    if isinstance(record.get("names"), list) or isinstance(record.get("external_ids"), list):
        names = record.get("names", [])
        display = next((n["value"] for n in names if "ror_display" in n["types"]), "")
        labels = [n["value"] for n in names if "label" in n["types"] and n.get("lang") in (None, "en")]
        aliases = [n["value"] for n in names if "alias" in n["types"]]
        acronyms = [n["value"] for n in names if "acronym" in n["types"]]
        qids = next((e.get("all") for e in record.get("external_ids", []) if e.get("type") == "wikidata"), [])
        country = next((l["geonames_details"].get("country_code") for l in record.get("locations", []) if l.get("geonames_details")), "")
        types = [t.lower() for t in record.get("types", [])]
    else:
        display = record.get("name", "")
        labels = [l["label"] for l in record.get("labels", []) if l.get("iso639") == "en"]
        aliases = record.get("aliases", [])
        acronyms = record.get("acronyms", [])
        qids = ((record.get("external_ids") or {}).get("Wikidata") or {}).get("all", [])
        country = (record.get("country") or {}).get("country_code", "")
        types = [t.lower() for t in record.get("types", [])]
    if isinstance(qids, str):
        qids = [qids]
    return display, labels, aliases, acronyms, qids, country, types


def build(sources, registry, common, country_ids):
    rows, dropped = [], Counter()


    for line in (sources / "kb-sources/ror/ror.jsonl").open(encoding="utf-8"):
        entry = json.loads(line)
        record = entry["record"]
        if record.get("status") != "active":
            dropped["inactive or withdrawn"] += 1
            continue
        display, labels, aliases, acronyms, qids, country, types = names_of(record, entry["schema_version"])
        qids = [q for q in (qid_of(q) for q in qids) if q]
        if len(qids) != 1:
            dropped["no single QID"] += 1
            continue
        category = next((CATEGORY[t] for t in types if t in CATEGORY), None)
        if category is None:
            dropped["facility, archive or other"] += 1
            continue
        names = [clean(SUFFIX.sub("", n)) for n in [display] + labels + aliases]
        names = [n for n in unique(names) if n and is_latin_name(n) and len(n) > 3 and not (len(n.split()) == 1 and n.casefold() in common)]
        if not names:
            dropped["no usable Latin name"] += 1
            continue
        name = names[0]
        # Acronyms only where English news uses them: organisations of English-speaking
        # countries, and never a dictionary word ("SEPT") or a name ("MARC").
        acronyms = [a for a in acronyms if ACRONYM.fullmatch(a) and a.casefold() not in common
                    and a.capitalize() not in common.proper and country in ENGLISH_SPEAKING]
        names += [f for f in (ascii_fold(n) for n in names) if f]
        names += [v for n in names if " " in n for v in spelling_variants(n)]
        row = {"id": entity_id("org", name, qids[0]), "type": "organisation", "category": category, "name": name, "prior": prior.fmt(prior.RESEARCH_ORGANISATION),
               "case": caps_case(names),
               "aliases": "|".join(unique(names[1:], exclude=[name])), "acronyms": "|".join(unique(acronyms)),
               "within": f"country:{country}" if f"country:{country}" in country_ids else "",
               "description": f"{category.capitalize()} ({country})" if country else category.capitalize(),
               "xref:ror": record["id"].rsplit("/", 1)[-1], "xref:wikidata": qids[0]}
        registry.keep(row, rows, dropped)
    log(f"organisations (ROR): {len(rows)} rows; dropped {dropped}")
    return rows
