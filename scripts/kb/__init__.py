"""Generator of newstag's bundled gazetteers: one module per source, run in a fixed order by
`python3 -m scripts.kb` (or `python3 scripts/build_gazetteers.py`)."""
