"""People on Wikipedia's Vital Articles lists (yaronkoren/wp-vital-articles-analysis, MIT;
names and QIDs from Wikipedia and Wikidata): every one a person, and the level is a popularity
signal (3: the 100 most essential people, 4: about 2,000, 5: about 15,000; `every*`: meta-wiki's
list of articles every Wikipedia should have). Level 5 is kept in its order, which is by field:
it types the people no fact types (`Knowledge.vital_field`)."""

import csv

from .common import qid_of
from .knowledge import Knowledge

FILES = [("vital3.csv", 3), ("every.csv", 3), ("vital4.csv", 4), ("every-expanded.csv", 4), ("vital5.csv", 5)]


def load(sources, knowledge: Knowledge):
    folder = sources / "kb-sources/vital-people"
    count = 0
    for name, level in FILES:
        with (folder / name).open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f, delimiter="\t"):
                if len(row) < 2 or not qid_of(row[1]):
                    continue
                qid, title = row[1], row[0].strip()
                # `every.csv` writes "Beauvoir, Simone de": the article title is "Simone de Beauvoir"
                # ("King, Martin Luther, Jr." is "Martin Luther King Jr."). The other files write
                # titles, where a comma comes before an epithet: "Diana, Princess of Wales".
                if ", " in title and name == "every.csv":
                    family, given = title.split(", ", 1)
                    given, suffix = (given[:-5], " Jr.") if given.endswith(", Jr.") else (given, "")
                    title = f"{given} {family}{suffix}"
                knowledge.add_title(qid, title.replace(" ", "_"))
                knowledge.roles[qid].add("person")
                knowledge.vital[qid] = min(knowledge.vital.get(qid, 9), level)
                if name == "vital5.csv":
                    knowledge.vital_order.append(qid)
                count += 1
    return count
