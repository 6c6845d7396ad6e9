"""YAGO-WIKI50K and 20K entity alignments (ZJU-DAILY/DualMatch, Apache-2.0; YAGO CC BY 4.0,
Wikidata CC0): English Wikipedia titles aligned to QIDs, sports-heavy. The 20K set's triples
(`playsFor`, `isCitizenOf`…) give roles and a degree."""

from collections import Counter

from .common import qid_of
from .knowledge import Knowledge

# YAGO relations whose subject is a person, and whose object is a team.
PERSON_RELATIONS = {"<actedIn>", "<directed>", "<diedIn>", "<graduatedFrom>", "<hasAcademicAdvisor>", "<hasChild>",
                    "<hasWonPrize>", "<isCitizenOf>", "<isMarriedTo>", "<isPoliticianOf>", "<livesIn>", "<playsFor>",
                    "<wasBornIn>", "<worksAt>", "<wroteMusicFor>", "<isLeaderOf>"}


def read_ids(path):
    out = {}
    for line in path.open(encoding="utf-8"):
        number, _, value = line.rstrip("\n").partition("\t")
        out[number] = value
    return out


def load(sources, knowledge: Knowledge):
    count = 0
    for folder in ("YAGO-WIKI50K", "YAGO-WIKI20K"):
        base = sources / "kb-sources/yago-wiki" / folder
        titles, qids = read_ids(base / "ent_ids_1"), read_ids(base / "ent_ids_2")
        pairs = {}
        for name in ("ref_pairs", "sup_pairs"):
            for line in (base / name).open(encoding="utf-8"):
                yago, wikidata = line.split()
                qid = qid_of(qids.get(wikidata, ""))
                title = titles.get(yago, "").strip("<>")
                if qid and title:
                    pairs[yago] = qid
                    knowledge.add_title(qid, title)
                    count += 1
        triples = base / "triples_1"
        if not triples.exists():
            continue
        relations = read_ids(base / "rel_ids_1")
        degree = Counter()
        for line in triples.open(encoding="utf-8"):
            head, relation, tail = line.split("\t")[:3]
            name = relations.get(relation, "")
            for node in (head, tail):
                if node in pairs:
                    degree[pairs[node]] += 1
            if head in pairs and name in PERSON_RELATIONS:
                knowledge.roles[pairs[head]].add("person")
            if tail in pairs and name == "<playsFor>":
                knowledge.roles[pairs[tail]].add("team")
        knowledge.add_degree("yago", degree)
    return count
