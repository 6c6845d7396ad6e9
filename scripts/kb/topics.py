"""IPTC Media Topics (CC BY 4.0) with the keywords of curation/topic-keywords.tsv."""

import csv
import sys

from .common import log, read_tsv


def build(sources, curation):
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
    log(f"topics: {len(rows)} IPTC topics, {len(keywords)} with keywords")
    return rows


SPORT = "medtop:15000000"


def other_fields_words(rows):
    """The keywords (lower case, singular as written) of every topic outside sport: a team
    nickname that is one of them ("Hurricanes", "Bills", "Stars") reads as that word."""
    parent = {r["id"]: r["parent"] for r in rows}

    def in_sport(qcode):
        while qcode:
            if qcode == SPORT:
                return True
            qcode = parent.get(qcode, "")
        return False

    words = set()
    for r in rows:
        if in_sport(r["id"]):
            continue
        for keyword in filter(None, r["keywords"].split("|")):
            words.add(keyword.lstrip("~").split("^")[0].casefold())
    return words
