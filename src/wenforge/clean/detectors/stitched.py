"""Stitched unrelated paragraphs: topical coherence of each paragraph with the main article.

The main article is the longest run of lines that no other detector flagged; its edges are peeled while
they share too few *content* bigrams with the rest (bigrams outside the most common ones of genuine
Chinese, ``assets/common_bigrams.txt``), or carry a second dateline (新华社X月X日电). Runs outside the main
article are kept only when they are about the same thing. Only used on pages already judged spam: digests
of unrelated news are legitimate on their own.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from wenforge.clean import reasons as R
from wenforge.clean.detectors.common import Finding, Line

COMMON_BIGRAMS_FILE = Path(__file__).resolve().parent.parent / "assets" / "common_bigrams.txt"
DATELINE_RE = re.compile(
    r"(?:新华社|中新社|中新网|本报|人民网|央视网|新华网|光明网|央广网|记者)[^，。\n]{0,12}?\d{1,2}月\d{1,2}日(?:电|讯|消息)"
)
_HAN = re.compile(r"[\u4e00-\u9fff]{2,}")


@lru_cache(maxsize=1)
def common_bigrams() -> frozenset[str]:
    if COMMON_BIGRAMS_FILE.exists():
        return frozenset(COMMON_BIGRAMS_FILE.read_text(encoding="utf-8").split())
    return frozenset()


def content_bigrams(text: str) -> set[str]:
    stop = common_bigrams()
    out: set[str] = set()
    for run in _HAN.findall(text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out - stop


def containment(a: set[str], b: set[str] | Counter) -> float:
    """Share of ``a``'s content bigrams found in ``b``."""
    if not a:
        return 1.0
    return sum(1 for g in a if g in b) / len(a)


def _runs(lines: list[Line], flagged: set[int], ignore: set[int]) -> list[list[Line]]:
    runs: list[list[Line]] = []
    cur: list[Line] = []
    for ln in lines:
        if ln.index in ignore:
            continue
        if ln.index in flagged:
            if cur:
                runs.append(cur)
                cur = []
            continue
        cur.append(ln)
    if cur:
        runs.append(cur)
    return runs


MODERN_CHARS = "的了们这那吗呢么她您啊吧"


def modern_rate(chars: Counter) -> float:
    """Share of modern-Chinese function characters (near 0 in classical verse and prose)."""
    n = sum(chars.values())
    return sum(chars.get(c, 0) for c in MODERN_CHARS) / n if n else 0.0


CLASSICAL_CHARS = "之其而也兮乎矣焉哉曰於兮"
_CLAUSE_RE = re.compile(r"[，。！？；、：,.!?;]")


def _classical_style(lines: list[Line]) -> bool:
    """Classical verse / prose: classical particles, or short clauses and no digits (terse news has both)."""
    text = "".join(ln.text for ln in lines)
    n = max(1, sum(ln.n_cjk for ln in lines))
    if sum(text.count(c) for c in CLASSICAL_CHARS) / n > 0.01:
        return True
    if any(c.isdigit() for c in text):
        return False
    clauses = [c for c in _CLAUSE_RE.split(text) if c.strip()]
    return bool(clauses) and n / len(clauses) <= 9


def char_counts(text: str) -> Counter:
    """Counts of Han characters (the register of a paragraph: classical, literary, news, Q&A)."""
    c = Counter(text)
    return Counter({k: v for k, v in c.items() if "\u4e00" <= k <= "\u9fff"})


def cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    if not dot:
        return 0.0
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def detect(
    lines: list[Line],
    flagged: set[int],
    *,
    hot_lines: set[int] | None = None,
    ignore: set[int] | None = None,
    max_containment: float = 0.08,
    max_unigram: float = 0.3,
    keep_names: set[str] | None = None,
) -> tuple[list[Finding], tuple[int, int] | None]:
    """Findings for unrelated lines, and the (first, last) line index of the main article (or None).

    ``flagged`` lines (injected) split the page into runs; ``ignore`` lines (boilerplate, duplicates) are
    skipped without splitting. A paragraph is unrelated when it shares fewer than ``max_containment`` of
    its content bigrams with the article AND its character profile has cosine below ``max_unigram``
    (tuned on `dev`: 3.5% of genuine paragraphs vs 97% of stitched ones when tested against the whole
    article; only edges and runs outside the article are ever tested). ``keep_names``: short lines known
    to be genuine (the bare title)."""
    hot_lines = hot_lines or set()
    keep_names = keep_names or set()
    runs = _runs(lines, flagged, ignore or set())
    if not runs:
        return [], None
    # the article is the longest run; runs after the first hot-list / bait / gibberish line count half
    # (templates put the hot list after the article; snippets there can outweigh a short poem)
    first_marker = min(hot_lines, default=None)

    def weight(r: list[Line]) -> float:
        w = sum(ln.n_cjk for ln in r) + 0.5 * sum(ln.length for ln in r)
        return w * 0.5 if first_marker is not None and r[0].index > first_marker else w

    main = max(runs, key=weight)
    grams = {ln.index: content_bigrams(ln.text) for r in runs for ln in r}
    chars = {ln.index: char_counts(ln.text) for r in runs for ln in r}
    body = list(main)
    counts: Counter = Counter()
    ucounts: Counter = Counter()
    for ln in body:
        counts.update(grams[ln.index])
        ucounts.update(chars[ln.index])
    out: list[Finding] = []
    short_body = sorted(ln.n_cjk for ln in body)[len(body) // 2] < 30
    body_cjk = sum(ucounts.values()) or 1
    classical = sum(ucounts.get(c, 0) for c in MODERN_CHARS) / body_cjk < 0.006 and _classical_style(body)

    def unrelated(ln: Line, rest: Counter, urest: Counter, rest_lines: list[Line], strict: bool,
                  next_lines: list[Line] = ()) -> bool:
        if ln.text.strip("《》“”\"' ") in keep_names:
            return False
        if classical and strict:
            return containment(grams[ln.index], rest) < 0.25
        if classical and ln.n_cjk >= 10:
            # verse / classical prose: a modern paragraph is foreign, a classical one belongs
            return modern_rate(chars[ln.index]) > 0.015
        if not strict and (ln.n_cjk < 12 or (short_body and ln.n_cjk < 40)):
            return False  # too short to judge; verse lines share little by nature
        if sum(x.n_cjk for x in rest_lines) < 40:
            return False
        c = containment(grams[ln.index], rest)
        if next_lines and DATELINE_RE.search(ln.text[:60]) and any(DATELINE_RE.search(x.text[:60]) for x in next_lines):
            return c < 0.3  # a dateline right before the article's own dateline
        u = cosine(chars[ln.index], urest)
        if strict:
            return not (c >= 0.25 or u >= 0.45)
        return c < max_containment and u < max_unigram

    removed_idx: set[int] = set()
    for side in (0, -1):
        order = body if side == 0 else body[::-1]
        tested = 0
        for edge in order:
            if tested >= 3 or len(body) - len(removed_idx) < 2:
                break
            if edge.n_cjk < 10:
                continue
            tested += 1
            rest = counts.copy()
            rest.subtract(grams[edge.index])
            urest = ucounts.copy()
            urest.subtract(chars[edge.index])
            rest_lines = [x for x in body if x.index != edge.index and x.index not in removed_idx]
            nxt = [x for x in rest_lines if x.index > edge.index][:2] if side == 0 else []
            if unrelated(edge, +rest, +urest, rest_lines, False, nxt):
                out.append(Finding(edge.start, edge.end, R.STITCHED, 0.3, edge.index, whole_line=True,
                                   detail="edge of main article"))
                removed_idx.add(edge.index)
                counts, ucounts = +rest, +urest
            else:
                break
    body = [x for x in body if x.index not in removed_idx]
    first, last = body[0].index, body[-1].index
    hot_after = min((i for i in hot_lines if i > last), default=None)
    for r in runs:
        if r is main:
            continue
        for ln in r:
            in_hot = hot_after is not None and ln.index > hot_after
            if unrelated(ln, counts, ucounts, body, in_hot):
                out.append(Finding(ln.start, ln.end, R.STITCHED, 0.3, ln.index, whole_line=True,
                                   detail="outside main article"))
    return out, (first, last)


def rebuild_common_bigrams(out: Path = COMMON_BIGRAMS_FILE, top: int = 1500) -> int:
    """The ``top`` bigrams that occur in the most paragraphs of genuine `dev` text (all sources)."""
    from wenforge.synth.seopage import load_sources

    src = load_sources(split="dev")
    df: Counter = Counter()
    paras = [p for a in src.articles for p in a.text.split("\n")] + src.headlines + src.snippets
    for p in paras:
        g = set()
        for run in _HAN.findall(p):
            g.update(run[i : i + 2] for i in range(len(run) - 1))
        df.update(g)
    words = [g for g, _ in df.most_common(top)]
    out.write_text("\n".join(words) + "\n", encoding="utf-8")
    return len(words)
