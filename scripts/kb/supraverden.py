"""International organisations (supraverden, CC BY-SA 4.0, (c) Confirmordeny) with the overrides
and additions of curation/organisations.tsv."""

import re
from collections import defaultdict

from .common import ascii_fold, log, read_tsv, slug, spelling_variants, split, unique


def parse(path):
    """The two-level YAML of supraverden's general_list.yaml, read line by line."""
    orgs, current = [], None
    for line in path.open(encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            current = {"Key": line.rstrip().rstrip(":")}
            orgs.append(current)
        elif current is not None and line.startswith("  ") and not line.startswith("   ") and ":" in line:
            key, _, value = line.strip().partition(":")
            value = value.strip().strip("'\"")
            if value not in ("", "null", "None", "~"):
                current[key] = value
    return orgs


def build(sources, curation, qid_by_org_name):
    orgs = parse(sources / "gazetteer-sources/supraverden/general_list.yaml")
    family_topics = {r["family"]: r["topics"] for r in read_tsv(curation / "org-family-topics.tsv")}
    overrides = {r["wikidata"]: r for r in read_tsv(curation / "organisations.tsv") if r["wikidata"]}
    abbreviations = defaultdict(int)
    for org in orgs:
        abbreviations[org.get("Abbreviation_en", "")] += 1
    rows, ids = [], set()
    for org in orgs:
        qid = org.get("Wikidata_code", "")
        qid = qid if re.fullmatch(r"Q\d+", qid) else ""
        over = overrides.get(qid, {}) if qid else {}
        name = org.get("Name_en") or org["Key"]
        alias_fields = ["Name_other_en", "Name_other_1_en", "Name_other_2_en", "Name_other_3_en", "Name_other_4_en", "Name_former_en"]
        acronym_fields = ["Abbreviation_en", "Abbreviation_other_en", "Abbreviation_other_2_en", "Abbreviation_former_en"]
        removed = set(split(over.get("remove", "")))
        aliases = [org[f] for f in alias_fields if org.get(f) and "[No" not in org[f]] + split(over.get("aliases", ""))
        aliases += [f for f in (ascii_fold(a) for a in [name] + aliases) if f]
        acronyms = [org[f] for f in acronym_fields if org.get(f) and "[No" not in org[f]] + split(over.get("acronyms", ""))
        # Abbreviations with spaces or lower case are names, not acronyms.
        aliases += [a for a in acronyms if not re.fullmatch(r"[A-Z0-9&.\-]+", a)]
        acronyms = [a for a in acronyms if re.fullmatch(r"[A-Z0-9&.\-]+", a) and a not in removed]
        aliases += [v for a in [name] + aliases for v in spelling_variants(a)]
        aliases = [a for a in unique(aliases, exclude=[name]) if a not in removed]
        abbreviation = org.get("Abbreviation_en", "")
        base = over.get("id") or ("org:" + slug(abbreviation) if abbreviation and abbreviations[abbreviation] == 1 and re.fullmatch(r"[A-Z0-9&.\-]+", abbreviation) else "org:" + slug(name))
        org_id = base if base not in ids else f"{base}-{(qid or slug(org['Key'])).lower()}"
        ids.add(org_id)
        family = org.get("Org_family", "")
        rows.append({
            "id": org_id, "type": "organisation", "category": "igo", "name": name, "aliases": "|".join(aliases),
            "acronyms": "|".join(unique(acronyms)), "priority": "1", "topics": over.get("topics") or family_topics.get(family, ""),
            "description": over.get("description") or (f"International organisation ({family})" if family and family != "none" else "International organisation"),
            "xref:wikidata": qid,
        })
    for r in read_tsv(curation / "organisations.tsv"):
        if not r["wikidata"]:
            rows.append({"id": r["id"], "type": "organisation", "category": r.get("category") or "igo", "name": r["name"],
                         "aliases": r["aliases"], "acronyms": r["acronyms"], "priority": "1", "topics": r["topics"],
                         "within": r.get("within", ""),
                         "description": r["description"], "xref:wikidata": qid_by_org_name.get(r["name"], "")})
    log(f"organisations (supraverden): {len(rows)} rows")
    return rows
