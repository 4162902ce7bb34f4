"""Rebuild the cleaner's small data assets from `dev` rows: ``python -m wenforge.clean.build_assets``."""

from __future__ import annotations


def main() -> None:
    from wenforge.clean.detectors.stitched import COMMON_BIGRAMS_FILE, rebuild_common_bigrams
    from wenforge.clean.lexicon import COMMON_FILE, rebuild_common

    n = len(rebuild_common())
    print(f"wrote {COMMON_FILE} ({n} lexicon terms seen in genuine dev text)")
    n = rebuild_common_bigrams()
    print(f"wrote {COMMON_BIGRAMS_FILE} ({n} common bigrams)")


if __name__ == "__main__":
    main()
