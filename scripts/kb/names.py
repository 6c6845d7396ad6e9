"""Name cues for the names no gazetteer row holds (`gazetteers/*.cues`): given names and
surnames that type an unlinked capitalised name as a person, and the lower-case English words
that a capitalised sentence-initial word ("However", "Analysts") is not a name for.

- Given names and surnames: the US Census 1990 name files (public domain, a work of the US
  government) as shipped in PyPI `names` 0.3.0 (MIT, Copyright (c) 2013 Trey Hunner), fetched
  with `pip download` into target/kb-cache and checked against its sha256; plus the given names
  and surnames that five or more politicians of EveryPolitician (CC0) share, which adds the
  world's names to the US lists ("Vladimir", "Wasim", "Nkosazana").
- Common words: SCOWL's lower-case american-english entries (Debian `wamerican`).

The hand-written cues (honorifics, roles, organisation and place words) stay in
`curation/name-cues.cues` and are copied through unchanged.
"""

import hashlib
import subprocess
import sys
import tarfile
from pathlib import Path

from .common import ROOT, log

NAMES_SDIST = "names-0.3.0.tar.gz"
NAMES_SHA256 = "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671"
# Census names rarer than this cumulative share are mostly one-family names ("Bank", "Street").
SURNAME_RANK = 20000


def census_files():
    cache = ROOT / "target/kb-cache"
    sdist = cache / NAMES_SDIST
    if not sdist.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                        "-d", str(cache), "names==0.3.0"], check=True)
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != NAMES_SHA256:
        raise SystemExit(f"{sdist}: sha256 {digest}, expected {NAMES_SHA256}")
    with tarfile.open(sdist) as tar:
        def lines(member):
            return tar.extractfile(f"names-0.3.0/names/{member}").read().decode("ascii").splitlines()
        return lines("dist.male.first") + lines("dist.female.first"), lines("dist.all.last")


def title(word):
    """"MCDONALD" -> "Mcdonald": the engine compares cues case-insensitively."""
    return word[:1].upper() + word[1:].lower()


def build(people_names, common):
    first_lines, last_lines = census_files()
    given = {title(line.split()[0]) for line in first_lines if line.strip()}
    surnames = {title(line.split()[0]) for line in last_lines[:SURNAME_RANK] if line.strip()}
    census_given, census_surnames = len(given), len(surnames)
    latin = lambda w: w.isalpha() and w[:1].isupper() and len(w) > 1
    given |= {w for w, n in people_names.given.items() if n >= 5 and latin(w)}
    surnames |= {w for w, n in people_names.surnames.items() if n >= 5 and latin(w)}
    log(f"name cues: {len(given)} given names ({census_given} census), {len(surnames)} surnames ({census_surnames} census), "
        f"{len(common.words)} common words")
    return sorted(given), sorted(surnames), sorted(common.words)


def write(path, header, rows):
    with path.open("w", encoding="utf-8") as out:
        for line in header.strip().splitlines():
            out.write(f"# {line}\n")
        out.write("".join(f"{cue}\t{word}\n" for cue, word in rows))
