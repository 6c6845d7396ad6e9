"""Runs the peers on the patterns and corpus the engine benchmark exported, and prints MB/s
and newstag's ratio to each. Called by run.sh; reads <dir>/patterns.txt, <dir>/corpus.jsonl
and the engine's own figure from <dir>/engine.txt (measured in the same run).

Each peer does the nearest equivalent of newstag's matching: case-insensitive, longest
non-overlapping whole-word matches of every gazetteer form. Lower-casing the text is counted
in the peer's time, as normalisation is counted in newstag's.
"""

import json
import re
import sys
import time
from pathlib import Path

TARGETS = {"pyahocorasick": 10, "FlashText": 50, "spaCy PhraseMatcher (ORTH)": 100,
           "spaCy PhraseMatcher (LOWER)": 100}


def best_of(runs, fn):
    best = None
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def word_boundary(text, start, end):
    before = start == 0 or not text[start - 1].isalnum()
    after = end == len(text) or not text[end].isalnum()
    return before and after


def main():
    directory = Path(sys.argv[1])
    patterns = [p for p in (directory / "patterns.txt").read_text(encoding="utf-8").split("\n") if p]
    texts = [json.loads(line) for line in (directory / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    engine = re.search(r"engine \(tag_article\)\s*:\s*([0-9.]+) MB/s",
                       (directory / "engine.txt").read_text(encoding="utf-8"))
    newstag = float(engine.group(1))
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"\npeers on {len(patterns)} patterns, {len(texts)} texts, {size:.1f} MB")
    results = []

    import ahocorasick
    automaton = ahocorasick.Automaton()
    for index, pattern in enumerate(patterns):
        automaton.add_word(pattern, index)
    automaton.make_automaton()

    def run_pyahocorasick():
        count = 0
        for text in texts:
            lowered = text.lower()
            for end, _ in automaton.iter_long(lowered):
                count += 1
        return count

    seconds, count = best_of(3, run_pyahocorasick)
    results.append(("pyahocorasick", seconds, count, "iter_long (leftmost-longest) over lower-cased text"))

    def run_pyahocorasick_words():
        count = 0
        for text in texts:
            lowered = text.lower()
            for end, index in automaton.iter_long(lowered):
                start = end - len(patterns[index]) + 1
                if word_boundary(lowered, start, end + 1):
                    count += 1
        return count

    seconds, count = best_of(3, run_pyahocorasick_words)
    results.append(("pyahocorasick + word boundaries", seconds, count, "plus a whole-word check per match"))

    from flashtext import KeywordProcessor
    processor = KeywordProcessor(case_sensitive=False)
    for pattern in patterns:
        processor.add_keyword(pattern)
    seconds, count = best_of(3, lambda: sum(len(processor.extract_keywords(t, span_info=True)) for t in texts))
    results.append(("FlashText", seconds, count, "extract_keywords, case-insensitive, whole words"))

    import spacy
    from spacy.matcher import PhraseMatcher
    nlp = spacy.blank("en")
    for attr, lower in (("ORTH", True), ("LOWER", False)):
        matcher = PhraseMatcher(nlp.vocab, attr=attr)
        matcher.add("G", list(nlp.tokenizer.pipe(patterns)))

        def run_spacy():
            count = 0
            prepared = (t.lower() for t in texts) if lower else iter(texts)
            for doc in nlp.tokenizer.pipe(prepared):
                count += len(matcher(doc, as_spans=False))
            return count

        seconds, count = best_of(1, run_spacy)
        how = "on lower-cased text" if lower else "attr=LOWER on the original text"
        results.append((f"spaCy PhraseMatcher ({attr})", seconds, count, f"blank English tokenizer, {how}"))

    print(f"\n| matcher | MB/s | matches | newstag ÷ matcher | target | how |")
    print("|---|---:|---:|---:|---:|---|")
    print(f"| newstag engine (full tagging) | {newstag:.1f} | | 1 | | measured in the same run |")
    for name, seconds, count, how in results:
        mbps = size / seconds
        target = TARGETS.get(name)
        ratio = newstag / mbps
        verdict = "" if target is None else f"≥ {target} {'✔' if ratio >= target else '✘'}"
        print(f"| {name} | {mbps:.2f} | {count} | {ratio:.1f} | {verdict} | {how} |")


if __name__ == "__main__":
    main()
