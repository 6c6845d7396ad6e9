#!/usr/bin/env python3
"""Reliability of `confidence`: predicted confidence in five bins against the precision measured
on an entity-linking benchmark (ELEVANT IGNORED mode, named mentions).

    python3 ../shared/tools/elbench/run_newstag.py target/release/newstag aida-conll-dev --out /tmp/el
    python3 scripts/eval/reliability.py target/release/newstag aida-conll-dev /tmp/el

The first command scores every prediction (TP or FP) into `newstag.<benchmark>.cases.jsonl`;
this one tags the same texts the same way to read each mention's confidence, joins the two on
article and span, and prints the table. Standard library only; reads ../shared/data/elbench."""

import argparse
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BINS = [(0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.0)]


def confidences(binary, benchmark):
    path = ROOT.parent / "shared/data/elbench/benchmarks" / f"{benchmark}.benchmark.jsonl"
    articles = [json.loads(line) for line in path.open(encoding="utf-8")]
    stdin = "".join(json.dumps({"id": str(a["id"]), "title": "", "body": a["text"]}) + "\n" for a in articles)
    proc = subprocess.run([binary, "tag", "--jsonl", "--quiet", "--offsets", "codepoint"], input=stdin.encode(),
                          capture_output=True, check=True)
    out = {}
    for line in proc.stdout.decode().splitlines():
        response = json.loads(line)
        article = response.get("articleId") or response.get("id")
        for entity in response.get("entities", []):
            for mention in entity.get("mentions", []):
                out[(article, mention.get("start", 0), mention["end"])] = mention.get("confidence", 0.0)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("benchmark")
    parser.add_argument("scored", type=Path, help="the --out directory of run_newstag.py")
    args = parser.parse_args()
    confidence = confidences(args.binary, args.benchmark)
    counts = [[0, 0, 0.0] for _ in BINS]  # TP, FP, sum of confidence
    missing = 0
    for line in (args.scored / f"newstag.{args.benchmark}.cases.jsonl").open(encoding="utf-8"):
        case = json.loads(line)
        labels = case["eval"]["IGNORED"]
        if "pred" not in case or not ({"TP", "FP"} & set(labels)):
            continue
        start, end = case["pred"]["span"]
        value = confidence.get((case["article"], start, end))
        if value is None:
            missing += 1
            continue
        index = next((i for i, (lo, hi) in enumerate(BINS) if lo <= value < hi or (i == len(BINS) - 1 and value >= hi)), 0)
        counts[index][0 if "TP" in labels else 1] += 1
        counts[index][2] += value
    print(f"reliability of confidence on {args.benchmark} (ELEVANT IGNORED, named; predictions with a QID)")
    print("| confidence | predictions | mean confidence | measured precision |")
    print("|---|---:|---:|---:|")
    for (lo, hi), (tp, fp, total) in zip(BINS, counts):
        n = tp + fp
        print(f"| {lo:.1f}–{hi:.1f} | {n} | {total / n:.3f} | {100 * tp / n:.1f} % |" if n else f"| {lo:.1f}–{hi:.1f} | 0 | – | – |")
    if missing:
        print(f"({missing} scored predictions had no mention at the same span)")


if __name__ == "__main__":
    main()
