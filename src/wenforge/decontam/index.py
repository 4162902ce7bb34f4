"""An index of benchmark items (hashed token n-grams) and the test of one document against it.

What: `build_index(files)` reads benchmark rows (JSONL or Parquet), takes each row's item text (`field`, or the
first of `DEFAULT_FIELDS`), and indexes the distinct n-grams of its folded tokens (`fold.tokens`: character
n-grams for Chinese, word n-grams for English). `BenchmarkIndex.match(text)` returns every item that shares at
least `threshold` of its n-grams with the text, each with its benchmark, id, share and where in the ORIGINAL
text the shared n-grams lie. `save`/`load` keep an index as one `core.store` file (numpy arrays and JSON, no
pickle).

Why: an item counts as seen when most of it is in the document, whatever else the document holds, so the
share is of the item's n-grams, not the document's (or a count of them, for long passages cut across
documents); items shorter than `min_tokens` are not indexed, because a few common tokens would match them
everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from wenforge.core.rows import InputError, read_rows
from wenforge.core.store import load_model, save_model
from wenforge.decontam.fold import FOLD_VERSION, ngram_hashes, tokens

# Defaults chosen by `python bench/decontam_bench.py --sweep` (n 8/13/20 x threshold 0.3/0.5/0.8 x min_tokens
# 12/16/20, on dev rows: 150 items planted per way into 7,169 news, Wikipedia, abstract, modern-prose and
# exam-like documents). Every n caught the four issue ways at >= 0.98; what told them apart was items with one
# Han character in 15 replaced (OCR-like): n=8 caught 0.84 at threshold 0.5, n=13 0.59, n=20 0.38. n=8 flagged
# two exam-like clean documents at threshold 0.3 and none at 0.5 or 0.8; 0.8 lost a fifth of the edited items.
DEFAULT_N = 8
DEFAULT_THRESHOLD = 0.5
# An item needs this many tokens to be indexed (n=8 gives it 5+ n-grams): min_tokens 20 left 1-2% of items
# (short CMATH and GSM8K questions) uncaught, 12 none, and no clean document was flagged at any of the three.
MIN_ITEM_TOKENS = 12
# ... or shares at least this many of its n-grams: 50 distinct 8-grams are 57+ tokens copied, and a document
# holding a third of a 2,000-character reading passage (GAOKAO's Lu Xun and Lin Huiyin texts in the modern prose
# set) holds the passage, though not half of it.
MIN_SHARED = 50
DEFAULT_FIELDS = ("question", "problem", "prompt", "input", "text")  # where benchmark sets keep the item
# An edited character loses the n windows over it: hit runs of one item further apart than this many n are two
# places (the item twice), nearer runs are one place with edits (one OCR error in 15 characters is a gap of n).
SPAN_GAP_NS = 4
MAX_MATCHES = 20  # items listed per document (a page with a whole exam paper matches dozens)
# Prefilter: one byte per 2^-24 of the hash space (16 MiB, a gather per n-gram); with the 1.1 million n-grams of
# 10k items about 6% of a document's n-grams pass it to the exact test (a binary search, ten times dearer).
PREFILTER_BITS = 24
INDEX_KIND = "decontam-index"
REBUILD = "wenforge decontaminate --against FILE... --save-index PATH"


@dataclass(frozen=True)
class Match:
    """One benchmark item found in a document: `share` of its n-grams, the densest run at text[start:end]."""

    benchmark: str
    item: str
    share: float
    start: int
    end: int

    def record(self) -> dict[str, Any]:
        return {"benchmark": self.benchmark, "item": self.item, "start": self.start, "end": self.end,
                "share": round(self.share, 3)}


@dataclass(frozen=True)
class BuildReport:
    """What building read: items indexed per benchmark, items too short, rows without the item field."""

    indexed: dict[str, int]
    too_short: int
    no_field: int


def item_text(row: dict, field: str | None) -> str | None:
    """The row's item text: `field`, or the first string among DEFAULT_FIELDS."""
    for f in (field,) if field else DEFAULT_FIELDS:
        v = row.get(f)
        if isinstance(v, str) and v.strip():
            return v
    return None


def read_items(path: str | Path, field: str | None = None) -> Iterable[tuple[str, str, str | None]]:
    """(benchmark, item id, text or None) per row of a benchmark file; a malformed line raises InputError.

    benchmark: the row's `benchmark`, else the file's stem; id: the row's `id`, else FILE:LINE."""
    name = PurePosixPath(str(path))  # a local path or a remote URL
    for line in read_rows(path):
        if line.row is None:
            raise InputError(line.error)
        row = line.row
        bench = row.get("benchmark") if isinstance(row.get("benchmark"), str) else name.stem
        rid = row.get("id")
        item = str(rid) if isinstance(rid, (str, int)) and not isinstance(rid, bool) else f"{name.name}:{line.lineno}"
        yield bench, item, item_text(row, field)


class BenchmarkIndex:
    """Sorted distinct n-gram hashes with, for each, the items that hold it (CSR postings)."""

    def __init__(self, n: int, items: list[tuple[str, str]], item_grams: np.ndarray, keys: np.ndarray,
                 offsets: np.ndarray, postings: np.ndarray, min_tokens: int = MIN_ITEM_TOKENS):
        self.n, self.items, self.min_tokens = n, items, min_tokens
        self.item_grams, self.keys, self.offsets, self.postings = item_grams, keys, offsets, postings
        self._seen = np.zeros(1 << PREFILTER_BITS, dtype=bool)
        self._seen[keys >> np.uint64(64 - PREFILTER_BITS)] = True

    @classmethod
    def from_texts(cls, texts: Iterable[tuple[str, str, str]], *, n: int = DEFAULT_N,
                   min_tokens: int = MIN_ITEM_TOKENS) -> BenchmarkIndex:
        """An index of (benchmark, item id, text) triples; texts under `min_tokens` tokens are left out."""
        return cls._build(((b, i, t) for b, i, t in texts), n, min_tokens)[0]

    @classmethod
    def _build(cls, triples: Iterable[tuple[str, str, str | None]], n: int,
               min_tokens: int) -> tuple[BenchmarkIndex, BuildReport]:
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        min_tokens = max(min_tokens, n)
        items: list[tuple[str, str]] = []
        grams: list[np.ndarray] = []
        counts: dict[str, int] = {}
        too_short = no_field = 0
        for bench, item, text in triples:
            if text is None:
                no_field += 1
                continue
            h = tokens(text).hashes
            if h.size < min_tokens:
                too_short += 1
                continue
            grams.append(np.unique(ngram_hashes(h, n)))
            items.append((bench, item))
            counts[bench] = counts.get(bench, 0) + 1
        item_grams = np.array([g.size for g in grams], dtype=np.int32)
        flat = np.concatenate(grams) if grams else np.zeros(0, np.uint64)
        owner = np.repeat(np.arange(len(grams), dtype=np.int32), item_grams)
        order = np.argsort(flat, kind="stable")
        flat, owner = flat[order], owner[order]
        keys, first = np.unique(flat, return_index=True)
        offsets = np.append(first, flat.size).astype(np.int64)
        index = cls(n, items, item_grams, keys, offsets, owner, min_tokens)
        return index, BuildReport(counts, too_short, no_field)

    def __len__(self) -> int:
        return len(self.items)

    def _hits(self, grams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions in `grams`, key indexes) of the n-grams that are in the index."""
        cand = np.flatnonzero(self._seen[grams >> np.uint64(64 - PREFILTER_BITS)])
        if cand.size == 0 or self.keys.size == 0:
            return cand, cand
        k = np.minimum(np.searchsorted(self.keys, grams[cand]), self.keys.size - 1)
        ok = self.keys[k] == grams[cand]
        return cand[ok], k[ok]

    def match(self, text: str, threshold: float = DEFAULT_THRESHOLD, limit: int = MAX_MATCHES,
              min_shared: int = MIN_SHARED) -> list[Match]:
        """The items sharing at least `threshold` of their n-grams (or `min_shared` of them) with `text`, best share
        first (at most `limit`)."""
        toks = tokens(text)
        pos, key = self._hits(ngram_hashes(toks.hashes, self.n))
        if pos.size == 0:
            return []
        lo, hi = self.offsets[key], self.offsets[key + 1]
        lengths = hi - lo
        if int(lengths.max()) == 1:  # the usual case: every n-gram hit belongs to one item
            at, keys_rep, owners = pos, key, self.postings[lo]
        else:  # postings of each hit key: lo, lo+1, ..., hi-1, for every hit, in one vector
            at, keys_rep = np.repeat(pos, lengths), np.repeat(key, lengths)
            steps = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            owners = self.postings[np.repeat(lo, lengths) + steps]
        # distinct (item, n-gram) pairs, sorted by item: n-grams of each candidate item found in the text
        pairs = np.sort(owners.astype(np.int64) << 32 | keys_rep.astype(np.int64))
        pairs = pairs[np.append(True, pairs[1:] != pairs[:-1])]
        item_of = pairs >> 32
        first = np.flatnonzero(np.append(True, item_of[1:] != item_of[:-1]))
        cands, found = item_of[first], np.diff(np.append(first, item_of.size))
        share = found / np.maximum(self.item_grams[cands], 1)
        ok = (share >= threshold) | (found >= min_shared)
        if not ok.any():
            return []
        cands, share = cands[ok], share[ok]
        order = np.lexsort((cands, -share))[:limit]
        out = []
        for w, sh in zip(cands[order].tolist(), share[order].tolist(), strict=True):
            start, end = self._span(at[owners == w], toks)  # sorted, one entry per position
            bench, item = self.items[w]
            out.append(Match(bench, item, float(sh), start, end))
        return out

    def _span(self, positions: np.ndarray, toks) -> tuple[int, int]:
        """Original-text span of the densest run of hit n-grams (a gap of more than SPAN_GAP_NS * n tokens starts a
        new run)."""
        bounds = np.concatenate(([0], np.flatnonzero(np.diff(positions) > SPAN_GAP_NS * self.n) + 1, [positions.size]))
        best = int(np.argmax(np.diff(bounds)))  # the first of the longest runs
        first, last = positions[bounds[best]], positions[bounds[best + 1] - 1]
        return int(toks.starts[first]), int(toks.ends[last + self.n - 1])

    def save(self, path: str | Path, sources: Sequence[str] = ()) -> Path:
        """Write the index as a `core.store` model file (arrays + JSON meta; never pickle)."""
        meta = {"n": self.n, "min_tokens": self.min_tokens, "fold_version": FOLD_VERSION,
                "items": [list(x) for x in self.items], "sources": list(sources)}
        arrays = {"item_grams": self.item_grams, "keys": self.keys, "offsets": self.offsets, "postings": self.postings}
        return save_model(path, INDEX_KIND, arrays, meta)

    @classmethod
    def load(cls, path: str | Path) -> BenchmarkIndex:
        """Read an index written by `save`; one of another folding version is refused (ModelFileError)."""
        from wenforge.core.store import ModelFileError

        m = load_model(path, INDEX_KIND, REBUILD)
        if m.meta.get("fold_version") != FOLD_VERSION:
            raise ModelFileError(f"{path}: built with folding version {m.meta.get('fold_version')}, this wenforge "
                                 f"folds with {FOLD_VERSION}; rebuild it with `{REBUILD}`")
        a = m.arrays
        return cls(int(m.meta["n"]), [tuple(x) for x in m.meta["items"]], a["item_grams"], a["keys"],
                   a["offsets"], a["postings"], int(m.meta.get("min_tokens", MIN_ITEM_TOKENS)))


def build_index(files: Sequence[str | Path], *, field: str | None = None, n: int = DEFAULT_N,
                min_tokens: int = MIN_ITEM_TOKENS) -> tuple[BenchmarkIndex, BuildReport]:
    """An index of every item of `files` with the report of what was read; InputError when a file is unreadable,
    holds a malformed line, or has no row with the item field."""
    def triples():
        for f in files:
            seen = False
            for bench, item, text in read_items(f, field):
                seen = seen or text is not None
                yield bench, item, text
            if not seen:
                wanted = repr(field) if field else " or ".join(map(repr, DEFAULT_FIELDS))
                raise InputError(f"{f}: no row has a text field {wanted}; name it with --field")

    return BenchmarkIndex._build(triples(), n, min_tokens)
