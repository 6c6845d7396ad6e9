#!/usr/bin/env python3
"""Rebuild the generated files in gazetteers/ from the sources in ../shared/data plus the
hand-curated files in curation/, so that curation survives regeneration.

    python3 scripts/build_gazetteers.py [--sources ../shared/data] [--out gazetteers]

Writes countries.tsv, organisations.tsv, people.tsv and media-topics.topics. Hand-curated
gazetteer files (stop-phrases.stop, SOURCES.md) are not touched. Standard library only.
Every row is traceable: each generated file says which sources and curation files made it.
"""

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_tsv(path):
    """Rows of a curation TSV (comments and blank lines skipped) as dicts."""
    lines = [l.rstrip("\n") for l in path.open(encoding="utf-8") if l.strip() and not l.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        values = line.split("\t")
        values += [""] * (len(header) - len(values))
        rows.append({k: v.strip() for k, v in zip(header, values)})
    return rows


def split(value):
    return [v.strip() for v in value.split("|") if v.strip()] if value else []


def ascii_fold(text):
    """'Erdoğan' -> 'Erdogan': news wires often drop diacritics."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = folded.replace("ı", "i").replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    return folded if folded != text and folded.isascii() else None


def slug(text):
    folded = ascii_fold(text) or text
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def unique(items, exclude=()):
    seen = {e.casefold() for e in exclude}
    out = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def plural_demonyms(demonym):
    """'Russian' -> 'Russians'; 'Chinese', 'British', 'French', 'Swiss' have no plural."""
    if re.search(r"(ese|ish|ch|ss|s|x|z)$", demonym) or " " in demonym:
        return []
    return [demonym + "s"]


def is_latin_name(text):
    return all(unicodedata.name(c, "").startswith(("LATIN", "SPACE", "HYPHEN", "APOSTROPHE", "FULL STOP", "COMMA", "DIGIT", "LEFT", "RIGHT", "AMPERSAND")) or c in " -'’.()," for c in text)


def write_tsv(path, header_comment, columns, rows):
    with path.open("w", encoding="utf-8", newline="") as out:
        for line in header_comment.strip().splitlines():
            out.write(f"# {line}\n")
        out.write("\t".join(columns) + "\n")
        for row in rows:
            out.write("\t".join(row.get(c, "").replace("\t", " ") for c in columns) + "\n")


def leaders(sources):
    rows = list(csv.DictReader((sources / "gazetteer-sources/world-leaders-2021/wikidata.csv").open(encoding="utf-8")))
    country_qid = {r["country"]: r["countryid"] for r in rows}
    return rows, country_qid


def build_countries(sources, curation, country_qid):
    iso = json.load((sources / "gazetteer-sources/pycountry/iso3166-1.json").open(encoding="utf-8"))["3166-1"]
    info = {}
    for path in (sources / "gazetteer-sources/countryinfo/data").glob("*.json"):
        data = json.load(path.open(encoding="utf-8"))
        alpha2 = (data.get("ISO") or {}).get("alpha2")
        if alpha2:
            info[alpha2] = data
    overrides = {r["iso"]: r for r in read_tsv(curation / "countries.tsv")}
    qid_by_label = {label.casefold().removeprefix("the "): qid for label, qid in country_qid.items()}
    rows, unmatched = [], []
    for entry in iso:
        code = entry["alpha_2"]
        over = overrides.get(code, {})
        names = [entry.get("common_name", ""), entry["name"], entry.get("official_name", "")]
        display = over.get("name") or entry.get("common_name") or entry["name"]
        if "," in display or "(" in display:
            print(f"warning: {code} {display!r} needs a display name in curation/countries.tsv", file=sys.stderr)
        # Single-word alternate spellings are mostly native names ("Dominique", "Sverige") that
        # collide with English words and people's names; keep the multi-word official forms.
        alt = [a for a in (info.get(code, {}).get("altSpellings") or []) if " " in a and not a.isupper() and is_latin_name(a)]
        removed = set(split(over.get("remove", "")))
        aliases = [n for n in names + alt + split(over.get("aliases", "")) if n and "," not in n and n not in removed]
        aliases += [f for f in (ascii_fold(a) for a in [display] + aliases) if f]
        aliases = unique(aliases, exclude=[display])
        demonyms = split(over.get("demonyms", "")) or [d for d in [info.get(code, {}).get("demonym", "")] if d]
        demonyms = unique(demonyms + [p for d in demonyms for p in plural_demonyms(d)])
        label = (over.get("leaders_label") or "").casefold().removeprefix("the ")
        qid = qid_by_label.get(label) or next((qid_by_label[n.casefold().removeprefix("the ")] for n in [display] + names if n and n.casefold().removeprefix("the ") in qid_by_label), "")
        if not qid:
            unmatched.append(code)
        rows.append({
            "id": f"country:{code}", "type": "country", "name": display,
            "aliases": "|".join(aliases), "acronyms": "|".join(split(over.get("acronyms", ""))),
            "demonyms": "|".join(demonyms), "priority": over.get("priority", ""), "topics": over.get("topics", ""),
            "description": f"Country ({entry['name']})" if entry["name"] != display else "Country",
            "xref:iso3166": code, "xref:wikidata": qid,
        })
    for extra in read_tsv(curation / "countries-extra.tsv"):
        rows.append({
            "id": extra["id"], "type": "country", "name": extra["name"], "aliases": extra["aliases"],
            "demonyms": extra["demonyms"], "description": "Country (not in ISO 3166-1)",
            "xref:iso3166": extra["iso3166"], "xref:wikidata": country_qid.get(extra["leaders_label"], ""),
        })
    former_iso = {e["alpha_4"]: e for e in json.load((sources / "gazetteer-sources/pycountry/iso3166-3.json").open(encoding="utf-8"))["3166-3"]}
    for former in read_tsv(curation / "former-countries.tsv"):
        code = former["alpha_4"]
        if code != "-" and code not in former_iso:
            sys.exit(f"curation/former-countries.tsv: {code} is not in ISO 3166-3")
        aliases = [a for a in split(former["aliases"]) if "," not in a]
        rows.append({
            "id": former["id"], "type": "country", "name": former["name"], "aliases": "|".join(aliases),
            "acronyms": former["acronyms"], "demonyms": former["demonyms"], "description": former["description"],
            "xref:iso3166": code if code != "-" else "",
        })
    # A demonym shared with a sovereign country (one with a head of state in the sources) belongs
    # to it: "French" is France's, not Martinique's; "Congolese" stays shared by two states.
    owners = defaultdict(list)
    for row in rows:
        for demonym in split(row.get("demonyms", "")):
            owners[demonym].append(row)
    for demonym, sharing in owners.items():
        sovereign = [r for r in sharing if r.get("xref:wikidata")]
        if len(sharing) > 1 and sovereign:
            for row in sharing:
                if not row.get("xref:wikidata"):
                    row["demonyms"] = "|".join(d for d in split(row["demonyms"]) if d != demonym)
    print(f"countries: {len(rows)} rows; no Wikidata id in world-leaders-2021 for {len(unmatched)}: {' '.join(unmatched)}", file=sys.stderr)
    return rows


def build_people(sources, curation, leader_rows):
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
            "id": person_id, "type": "person", "name": name, "aliases": "|".join(unique(aliases, exclude=[name])),
            "topics": "medtop:20000593", "description": "; ".join(offices), "xref:wikidata": qid,
        })
    for r in read_tsv(curation / "people.tsv"):
        if not r["wikidata"]:
            rows.append({"id": r["id"], "type": "person", "name": r["name"], "aliases": r["aliases"], "topics": "medtop:20000593", "description": r["description"]})
    print(f"people: {len(rows)} rows", file=sys.stderr)
    return rows


def parse_supraverden(path):
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


def build_organisations(sources, curation):
    orgs = parse_supraverden(sources / "gazetteer-sources/supraverden/general_list.yaml")
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
        aliases = [a for a in unique(aliases, exclude=[name]) if a not in removed]
        abbreviation = org.get("Abbreviation_en", "")
        base = over.get("id") or ("org:" + slug(abbreviation) if abbreviation and abbreviations[abbreviation] == 1 and re.fullmatch(r"[A-Z0-9&.\-]+", abbreviation) else "org:" + slug(name))
        org_id = base if base not in ids else f"{base}-{(qid or slug(org['Key'])).lower()}"
        ids.add(org_id)
        family = org.get("Org_family", "")
        rows.append({
            "id": org_id, "type": "organisation", "name": name, "aliases": "|".join(aliases),
            "acronyms": "|".join(unique(acronyms)), "topics": over.get("topics") or family_topics.get(family, ""),
            "description": over.get("description") or (f"International organisation ({family})" if family and family != "none" else "International organisation"),
            "xref:wikidata": qid,
        })
    for r in read_tsv(curation / "organisations.tsv"):
        if not r["wikidata"]:
            rows.append({"id": r["id"], "type": "organisation", "name": r["name"], "aliases": r["aliases"], "acronyms": r["acronyms"], "topics": r["topics"], "description": r["description"]})
    print(f"organisations: {len(rows)} rows", file=sys.stderr)
    return rows


def build_topics(sources, curation):
    iptc = list(csv.DictReader((sources / "iptc/mediatopic_active_en-US_2023-03-31.tsv").open(encoding="utf-8"), delimiter="\t"))
    keywords = {r["id"]: r["keywords"] for r in read_tsv(curation / "topic-keywords.tsv")}
    known = {r["qcode"] for r in iptc}
    for qcode in keywords:
        if qcode not in known:
            sys.exit(f"curation/topic-keywords.tsv: {qcode} is not an active IPTC Media Topic")
    rows = []
    for r in iptc:
        label = r["prefLabel_en_US"] or r["qcode"]
        rows.append({"id": r["qcode"], "label": label, "parent": r["parent_qcode"] if r["parent_qcode"] in known else "", "keywords": keywords.get(r["qcode"], "")})
    # Parents before children is not required by the format, but reads better.
    print(f"topics: {len(rows)} IPTC topics, {len(keywords)} with keywords", file=sys.stderr)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=Path, default=ROOT.parent / "shared/data")
    parser.add_argument("--curation", type=Path, default=ROOT / "curation")
    parser.add_argument("--out", type=Path, default=ROOT / "gazetteers")
    args = parser.parse_args()
    leader_rows, country_qid = leaders(args.sources)

    entity_columns = ["id", "type", "name", "aliases", "acronyms", "demonyms", "priority", "topics", "description"]
    write_tsv(
        args.out / "countries.tsv",
        "GENERATED by scripts/build_gazetteers.py: edit curation/countries*.tsv and rerun.\n"
        "Sources: ISO 3166-1/3166-3 names and codes (pycountry, LGPL-2.1 data); demonyms and alternate\n"
        "spellings (countryinfo, MIT); Wikidata ids (world-leaders-2021, CC0); curation/*.tsv.",
        entity_columns + ["xref:iso3166", "xref:wikidata"],
        build_countries(args.sources, args.curation, country_qid),
    )
    write_tsv(
        args.out / "people.tsv",
        "GENERATED by scripts/build_gazetteers.py: edit curation/people.tsv and rerun.\n"
        "Sources: heads of state and government with Wikidata ids (world-leaders-2021, Wikidata, CC0);\n"
        "name variants and additions from curation/people.tsv.",
        entity_columns + ["xref:wikidata"],
        build_people(args.sources, args.curation, leader_rows),
    )
    write_tsv(
        args.out / "organisations.tsv",
        "GENERATED by scripts/build_gazetteers.py: edit curation/organisations.tsv and rerun.\n"
        "Sources: international organisations (supraverden, CC BY-SA 4.0, (c) Confirmordeny; this file is\n"
        "shared under the same licence); additions from curation/organisations.tsv.",
        entity_columns + ["xref:wikidata"],
        build_organisations(args.sources, args.curation),
    )
    write_tsv(
        args.out / "media-topics.topics",
        "GENERATED by scripts/build_gazetteers.py: edit curation/topic-keywords.tsv and rerun.\n"
        "IPTC Media Topics (active concepts, release 2023-03-31), (c) IPTC, CC BY 4.0,\n"
        "https://iptc.org/standards/media-topics/ . Keywords: curation/topic-keywords.tsv.",
        ["id", "label", "parent", "keywords"],
        build_topics(args.sources, args.curation),
    )


if __name__ == "__main__":
    main()
