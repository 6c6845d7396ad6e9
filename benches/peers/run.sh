#!/usr/bin/env bash
# Peers side by side, in one run: newstag's engine against pyahocorasick, FlashText and spaCy's
# PhraseMatcher on the same gazetteer patterns and the same corpus.
#
#   NEWSTAG_BENCH_CORPUS=../shared/data/reuters21578/train.jsonl bash benches/peers/run.sh
#
# The peers go into their own virtualenv (target/peers-venv unless NEWSTAG_PEERS_VENV is set);
# nothing is installed system-wide. Without NEWSTAG_BENCH_CORPUS the engine bench's
# deterministic synthetic corpus is used.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv="${NEWSTAG_PEERS_VENV:-$root/target/peers-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
export_dir=$(mktemp -d)
trap 'rm -rf "$export_dir"' EXIT
(cd "$root" && NEWSTAG_BENCH_EXPORT="$export_dir" cargo bench --quiet --bench engine) | tee "$export_dir/engine.txt"
"$venv/bin/python" "$here/peers.py" "$export_dir"
