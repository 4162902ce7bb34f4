"""Rebuild the cleaner's small data assets from `dev` rows: ``python -m wenforge.clean.build_assets``."""

from __future__ import annotations


def main() -> None:
    from wenforge.clean.detectors.stitched import COMMON_BIGRAMS_FILE, rebuild_common_bigrams
    from wenforge.clean.lexicon import COMMON_FILE, rebuild_common

    n = len(rebuild_common())
    print(f"wrote {COMMON_FILE} ({n} lexicon terms seen in genuine dev text)")
    n = rebuild_common_bigrams()
    print(f"wrote {COMMON_BIGRAMS_FILE} ({n} common bigrams)")
    from wenforge.clean.detectors.hanzi import HANZI_FILE, rebuild
    from wenforge.paths import shared_data_dir

    n_uni, n_bi = rebuild(shared_data_dir())
    print(f"wrote {HANZI_FILE} ({n_uni} characters, {n_bi} character pairs)")


if __name__ == "__main__":
    main()
