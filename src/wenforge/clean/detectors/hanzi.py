"""Character statistics of genuine modern Chinese: how often each Han character and character pair occurs.

Mirror damage and character gibberish show up against these counts: random characters form pairs that
genuine text never has, deleted or spun characters leave pairs that are rare, and a variant form that
replaced a common character everywhere stands where the common one is expected. The counts are built
from `dev` rows of news (UHGEval), public-domain modern prose (民国 literature, Lu Xun) and academic
abstracts (CSL) by ``python -m wenforge.clean.build_assets DATA_DIR`` during development and shipped with
the package (``assets/hanzi_bigrams.txt.gz``: counts only, no text); at run time only the asset is read.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from wenforge.core.paths import require_asset

HANZI_FILE = Path(__file__).resolve().parent.parent / "assets" / "hanzi_bigrams.txt.gz"
# sources of the counts, relative to the data folder: permissive or public-domain licences (its README)
SOURCES = ("hallucination/uhgeval_concise.jsonl", "literary/modern_pd_prose.jsonl",
           "academic/csl_abstracts.jsonl", "literary/luxun_works.jsonl")
MIN_BIGRAM_COUNT = 3  # pairs seen fewer times are noise (names, typos) and would bloat the asset
_HAN_RUN_RE = re.compile(r"[\u4e00-\u9fff]{2,}")
_HAN_PAIR_RE = re.compile(r"(?=([\u4e00-\u9fff]{2}))")


def han_pairs(text: str) -> list[str]:
    """Overlapping Han character pairs inside Han runs (punctuation and Latin break a run)."""
    return _HAN_PAIR_RE.findall(text)


class HanziStats:
    """Unigram ranks and known pairs; ``known_share`` is the share of a text's pairs seen in genuine text."""

    def __init__(self, unigrams: dict[str, int], bigrams: dict[str, int]):
        self.unigrams = unigrams
        self.bigrams = bigrams
        self.rank = {c: i for i, (c, _) in enumerate(sorted(unigrams.items(), key=lambda kv: -kv[1]))}

    def known_share(self, text: str) -> tuple[float, int]:
        """(share of the text's Han pairs seen at least ``MIN_BIGRAM_COUNT`` times in genuine text, pairs)."""
        pairs = han_pairs(text)
        if not pairs:
            return 1.0, 0
        return sum(map(self.bigrams.__contains__, pairs)) / len(pairs), len(pairs)


@lru_cache(maxsize=1)
def stats() -> HanziStats:
    """The shipped counts (read once per process); a missing asset is an error."""
    with gzip.open(require_asset(HANZI_FILE, "python -m wenforge.clean.build_assets DATA_DIR"), "rt", encoding="utf-8") as fh:
        head = json.loads(fh.readline())
        bigrams = {}
        for line in fh:
            pair, _, count = line.rstrip("\n").partition("\t")
            bigrams[pair] = int(count)
    return HanziStats(head["unigrams"], bigrams)


def rebuild(data_dir: Path, out: Path = HANZI_FILE) -> tuple[int, int]:
    """Count characters and pairs in `dev` rows of ``SOURCES`` under ``data_dir``; write the asset."""
    from wenforge.core.rows import read_jsonl

    uni: Counter = Counter()
    bi: Counter = Counter()
    for name in SOURCES:
        for rec in read_jsonl(data_dir / name):
            row = rec.row
            if row is None or row.get("split") != "dev":
                continue
            for value in dict.fromkeys(v for v in row.values() if isinstance(v, str) and len(v) >= 20):
                for run in _HAN_RUN_RE.findall(value):
                    uni.update(run)
                    bi.update(run[i : i + 2] for i in range(len(run) - 1))
    kept = sorted(((p, c) for p, c in bi.items() if c >= MIN_BIGRAM_COUNT), key=lambda pc: (-pc[1], pc[0]))
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write(json.dumps({"unigrams": dict(uni.most_common())}, ensure_ascii=False) + "\n")
        fh.writelines(f"{p}\t{c}\n" for p, c in kept)
    return len(uni), len(kept)
