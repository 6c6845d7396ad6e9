"""FB15k-237 entities with Wikidata ids (villmow/datasets_knowledge_embedding, MIT; labels,
aliases and descriptions from Wikidata, CC0): Freebase's most linked entities, the only new
source with aliases and descriptions. The valid and test triples are a random sample of the
same graph, so an entity's count there estimates its degree."""

import json
from collections import Counter

from .common import qid_of
from .knowledge import Knowledge

# valid + test hold 38,001 of FB15k-237's 310,116 triples: a count there times this estimates
# the entity's degree in the whole graph.
SAMPLE_SCALE = 310_116 / 38_001


def load(sources, knowledge: Knowledge):
    folder = sources / "kb-sources/fb15k"
    entities = json.load((folder / "entity2wikidata.json").open(encoding="utf-8"))
    qid_by_mid = {}
    for mid, e in entities.items():
        qid = qid_of(e.get("wikidata_id"))
        if not qid or not e.get("label"):
            continue
        qid_by_mid[mid] = qid
        knowledge.add_label(qid, e["label"], "fb15k")
        for alias in e.get("alternatives") or []:
            knowledge.aliases[qid].append(alias)
        if e.get("description"):
            knowledge.descriptions.setdefault(qid, e["description"])
        title = (e.get("wikipedia") or "").rsplit("/wiki/", 1)[-1]
        if title:
            knowledge.add_title(qid, title)
    degree = Counter()
    for name in ("fb15k-237-valid.txt", "fb15k-237-test.txt"):
        for line in (folder / name).open(encoding="utf-8"):
            head, relation, tail = line.rstrip("\n").split("\t")
            for mid in (head, tail):
                if mid in qid_by_mid:
                    degree[qid_by_mid[mid]] += 1
            # The graph's roles type what no description does.
            if relation.startswith("/sports/sports_team/roster") and head in qid_by_mid:
                knowledge.roles[qid_by_mid[head]].add("team")
            if relation.startswith("/people/person/") and head in qid_by_mid:
                knowledge.roles[qid_by_mid[head]].add("person")
    knowledge.add_degree("fb15k", {q: n * SAMPLE_SCALE for q, n in degree.items()})
    return len(qid_by_mid)
