"""The one popularity prior every generated row carries (the `prior` column), on one scale for
every source so that entities of different files sharing a form compare fairly:

    prior = degree + vital + office + population / 10,000 + reach

- degree: how many Wikidata facts the entity takes part in, estimated from the knowledge-graph
  samples (FB15k-237 valid+test × 8.2, CoDEx-L valid+test × 10, CoDEx-M train × 1.1, WD50K ×
  1, YAGO-WIKI20K × 1), the largest estimate; plus 20 for being among FB15k's most linked
  Freebase entities;
- vital: Wikipedia's Vital Articles level of a person (level 3 or meta-wiki's list: 1,000; level
  4: 300; level 5: 60);
- office: head of state or government 300; member of the US Congress 30; any other politician 5
  per position held, 20 more while in office, 10 more with an English Wikipedia article;
- population / 10,000 for a place (a region's population counts a third: news names a region
  less often per inhabitant than a city);
- reach: a brand used worldwide 40, else 5 per country (at most 40); a political party 10; a
  newspaper 5; a research organisation 2.

The resolver compares priors as ratios (docs/GAZETTEERS.md), so only the relative sizes matter."""

VITAL = {3: 1000, 4: 300, 5: 60}
FB15K_MEMBER = 20
POPULATION_UNIT = 10_000
REGION_SHARE = 1 / 3
HEAD_OF_STATE = 300
LEGISLATOR = 30
RESEARCH_ORGANISATION = 2
PARTY = 10
NEWSPAPER = 5


def politician_office(positions, current, article):
    return 5 * positions + (20 if current else 0) + (10 if article else 0)


def brand_reach(worldwide, countries):
    return 40 if worldwide else min(40, 5 * max(1, countries))


def popularity(degree=0.0, vital=None, office=0.0, population=0.0, region=False, reach=0.0):
    value = degree + VITAL.get(vital, 0) + office + reach
    if population:
        value += float(population) / POPULATION_UNIT * (REGION_SHARE if region else 1)
    return value


def fmt(value):
    """As written in the `prior` column: '' for none, two decimals below 10, else an integer."""
    if not value or value <= 0:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value < 10 else str(int(round(value)))
