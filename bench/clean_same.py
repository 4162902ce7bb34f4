"""Whether a change to the cleaner keeps its results byte-identical: the full explained output of ``clean_page``
on a few thousand varied pages, written once before the change and compared after it (issue 17).

    python bench/clean_same.py --out /tmp/clean_before.jsonl                 # write the reference
    python bench/clean_same.py --out /tmp/clean_after.jsonl --compare /tmp/clean_before.jsonl
    python bench/clean_same.py --compare A.jsonl B.jsonl                      # compare two files

Pages: the example corpus (news, literature, Q&A, reposts, web, HTML pages, the mixed file of bad/), the
real-page development set under bench/real (git-ignored; used when present), the test fixtures of
tests/clean/data and the synthetic pages of bench/clean_bench.py (`--split`, `--n`, `--seed`). One JSON line a
page: its id and ``clean_page(text).to_dict(explain=True)``. The comparison prints how many pages differ and
the first few ids; the exit status is 1 when any differs or the two files hold different pages.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
REAL = ROOT / "bench" / "real"
FIXTURES = ROOT / "tests" / "clean" / "data"
SHOW_DIFFS = 5  # ids of differing pages printed


def _jsonl_pages(path: Path, tag: str) -> Iterator[tuple[str, str]]:
    """(id, text) of the rows of a JSONL file (.gz/.zst read decompressed) that have a string ``text``."""
    from wenforge.core.rows import read_jsonl

    for line in read_jsonl(path, allow_empty=True):
        row = line.row
        if row is not None and isinstance(row.get("text"), str):
            yield f"{tag}:{row.get('id', line.lineno)}", row["text"]


def pages(split: str, n: int, seed: int) -> Iterator[tuple[str, str]]:
    """Every page of the comparison set, in a fixed order."""
    for path in sorted(CORPUS.glob("*.jsonl.*")) + [CORPUS / "bad" / "mixed.jsonl"]:
        yield from _jsonl_pages(path, path.name)
    for path in sorted((CORPUS / "html").glob("*.html")):
        yield f"html:{path.name}", path.read_text(encoding="utf-8", errors="replace")
    for path in sorted(REAL.glob("*.jsonl")) + sorted(FIXTURES.glob("*.jsonl")):
        yield from _jsonl_pages(path, path.name)
    if n:
        from clean_bench import build_set

        for it in build_set(split, n, seed):
            yield f"synth:{it['id']}", it["text"]


def write(out: Path, split: str, n: int, seed: int) -> int:
    """Write the explained output of every page to ``out``; the number of pages."""
    from wenforge.clean import clean_page

    count = 0
    with out.open("w", encoding="utf-8") as f:
        for pid, text in pages(split, n, seed):
            rec = {"id": pid, **clean_page(text).to_dict(explain=True)}
            f.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count


def compare(a: Path, b: Path) -> int:
    """Print how many pages differ between two outputs; 0 when they are identical, else 1."""
    la = a.read_text(encoding="utf-8").splitlines()
    lb = b.read_text(encoding="utf-8").splitlines()
    diff = [json.loads(x)["id"] for x, y in zip(la, lb, strict=False) if x != y]
    print(f"compared {min(len(la), len(lb))} pages: {len(diff)} differ"
          + (f" (first: {', '.join(diff[:SHOW_DIFFS])})" if diff else "")
          + (f"; page counts differ: {len(la)} vs {len(lb)}" if len(la) != len(lb) else ""))
    return 1 if diff or len(la) != len(lb) else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=None, help="write the explained output here")
    ap.add_argument("--compare", type=Path, nargs="+", default=None,
                    help="reference file (with --out), or two files to compare")
    ap.add_argument("--split", default="test", choices=["dev", "test"])
    ap.add_argument("--n", type=int, default=1000, help="synthetic pages (0: none)")
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args(argv)
    if a.out is None and (a.compare is None or len(a.compare) != 2):
        ap.error("give --out, or --compare with two files")
    if a.out is not None:
        print(f"wrote {write(a.out, a.split, a.n, a.seed)} pages to {a.out}")
        if not a.compare:
            return 0
        return compare(a.compare[0], a.out)
    return compare(a.compare[0], a.compare[1])


if __name__ == "__main__":
    sys.exit(main())
