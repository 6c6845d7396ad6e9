#!/usr/bin/env python3
"""Rebuild the generated gazetteers: `python3 scripts/build_gazetteers.py [--sources DIR] [--out DIR]`.
The generator is the package scripts/kb (one module per source); see its __main__.py."""

import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
runpy.run_module("kb", run_name="__main__")
