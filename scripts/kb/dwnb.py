"""DW-NB's DBpedia to Wikidata mapping (ruizhang-ai/EA_for_KG, MIT; DBpedia titles CC BY-SA,
Wikidata CC0): English Wikipedia titles for 25,000 more QIDs, many of them works."""

import re
from urllib.parse import unquote

from .common import qid_of
from .knowledge import Knowledge

LINE = re.compile(r"<http://dbpedia\.org/resource/([^>]+)> <http://same_as> <http://www\.wikidata\.org/entity/(Q\d+)>")


def load(sources, knowledge: Knowledge):
    count = 0
    for line in (sources / "kb-sources/dw-nb/mapping_wd.ttl").open(encoding="utf-8"):
        match = LINE.match(line)
        if match and qid_of(match.group(2)):
            knowledge.add_title(match.group(2), unquote(match.group(1)))
            count += 1
    return count
