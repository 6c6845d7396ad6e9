"""The entities of CronQuestions' temporal Wikidata graph (qianxinying/TimeR4; selection MIT,
labels CC0): people who held offices, played for teams or won awards, and those teams and
organisations. A label only: the type comes from the other sources or from the name."""

from .common import qid_of
from .knowledge import Knowledge


def load(sources, knowledge: Knowledge):
    count = 0
    for line in (sources / "kb-sources/cronquestions/wd_id2entity_text.txt").open(encoding="utf-8"):
        qid, _, label = line.rstrip("\n").partition("\t")
        if qid_of(qid) and label.strip():
            knowledge.add_label(qid, label.strip(), "cronquestions")
            count += 1
    return count
