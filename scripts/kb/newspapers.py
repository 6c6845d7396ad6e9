"""US newspapers with Wikidata ids, from Wikipedia's per-state lists (hearvox/wiki-media-cred,
CC0), each within its state."""

import re

from collections import Counter

from .common import clean, entity_id, is_latin_name, log, qid_of, read_csv, unique
from . import prior

DISAMBIGUATION = re.compile(r"\s*\([^()]*\)$")


def build(sources, registry, common, state_region_by_name):
    rows, dropped = [], Counter()
    for r in read_csv(sources / "kb-sources/us-newspapers/wikipedia-us-newspapers.tsv", delimiter="\t"):
        qid = qid_of(r.get("qid"))
        name = clean(DISAMBIGUATION.sub("", r["WP-title"]))
        if not qid or not name or not is_latin_name(name) or common.all_common(name.removeprefix("The ")):
            dropped["no QID or unsafe name"] += 1
            continue
        row = {"id": entity_id("newspaper", name, qid), "type": "organisation", "category": "newspaper", "name": name, "prior": prior.fmt(prior.NEWSPAPER),
               "aliases": "|".join(unique([name.removeprefix("The ")], exclude=[name])) if name.startswith("The ") and len(name.split()) > 2 else "",
               "within": state_region_by_name.get(r["state"], "country:US"), "_country": "country:US",
               "description": f"Newspaper ({r['state']}, US)", "xref:wikidata": qid}
        registry.keep(row, rows, dropped)
    log(f"newspapers: {len(rows)} rows; dropped {dropped}")
    return rows
