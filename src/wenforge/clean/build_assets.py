"""Rebuild the cleaner's small data assets from `dev` rows of the public data sets, a development step:
``python -m wenforge.clean.build_assets DATA_DIR`` (the folder holding literary/, news/, lexicons/ ...).
The installed package only reads the assets it ships."""

from __future__ import annotations

import argparse
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    from wenforge.clean.detectors.hanzi import HANZI_FILE, rebuild
    from wenforge.clean.detectors.stitched import COMMON_BIGRAMS_FILE, rebuild_common_bigrams
    from wenforge.clean.lexicon import COMMON_FILE, rebuild_common

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", type=Path, help="the data folder (dev rows are read)")
    a = ap.parse_args(argv)
    if not a.data_dir.is_dir():
        raise SystemExit(f"{a.data_dir}: no such folder")
    n = len(rebuild_common(data_dir=a.data_dir))
    print(f"wrote {COMMON_FILE} ({n} lexicon terms seen in genuine dev text)")
    n = rebuild_common_bigrams(data_dir=a.data_dir)
    print(f"wrote {COMMON_BIGRAMS_FILE} ({n} common bigrams)")
    n_uni, n_bi = rebuild(a.data_dir)
    print(f"wrote {HANZI_FILE} ({n_uni} characters, {n_bi} character pairs)")


if __name__ == "__main__":
    main()
