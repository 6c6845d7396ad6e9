"""WD50K (migalkin/StarE; repo MIT, data CC BY 4.0: attribute WD50K/StarE): Wikidata facts,
instance-of among them, over 47,155 entities; the whole graph is here, so counts are degrees."""

from collections import Counter

from .knowledge import Knowledge


def load(sources, knowledge: Knowledge):
    degree = Counter()
    for name in ("triples-train.txt", "triples-valid.txt", "triples-test.txt"):
        for line in (sources / "kb-sources/wd50k" / name).open(encoding="utf-8"):
            parts = line.strip().split(",")
            if len(parts) < 3:
                continue
            head, relation, tail = parts[:3]
            degree[head] += 1
            degree[tail] += 1
            if relation == "P31":
                knowledge.instance_of[head].add(tail)
            knowledge.fact(head, relation, tail)
    knowledge.add_degree("wd50k", degree)
    return len(degree)
