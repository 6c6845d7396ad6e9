"""CoDEx (tsafavi/codex, MIT; Wikidata CC0): instance-of types for 77,951 entities, and facts.
CoDEx-L's valid and test triples sample its graph (61,244 of 612,437 triples) and CoDEx-M's
train split is nearly all of its graph, so counts there estimate an entity's degree."""

import json
from collections import Counter

from .knowledge import Knowledge

CODEX_L_SCALE = 612_437 / 61_244
CODEX_M_SCALE = 206_205 / 185_584


def load(sources, knowledge: Knowledge):
    folder = sources / "kb-sources/codex"
    for qid, types in json.load((folder / "entity2types.json").open(encoding="utf-8")).items():
        knowledge.instance_of[qid].update(types)
    for qid, facts in json.load((folder / "types-en.json").open(encoding="utf-8")).items():
        if facts.get("label"):
            knowledge.type_labels.setdefault(qid, facts["label"])
    for name, scale in (("codex-l-valid.txt", CODEX_L_SCALE), ("codex-l-test.txt", CODEX_L_SCALE), ("codex-m-train.txt", CODEX_M_SCALE)):
        degree = Counter()
        for line in (folder / name).open(encoding="utf-8"):
            head, relation, tail = line.split()
            degree[head] += 1
            degree[tail] += 1
            knowledge.fact(head, relation, tail)
        knowledge.add_degree("codex-m" if "codex-m" in name else "codex-l", {q: n * scale for q, n in degree.items()})
    return len(knowledge.instance_of)
