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
from itertools import repeat
from operator import mul
from pathlib import Path

from wenforge.clean.detectors.common import Finding, Line
from wenforge.core import reasons as R
from wenforge.core.paths import require_asset

COMMON_BIGRAMS_FILE = Path(__file__).resolve().parent.parent / "assets" / "common_bigrams.txt"
DATELINE_RE = re.compile(
    r"(?:新华社|中新社|中新网|本报|人民网|央视网|新华网|光明网|央广网|记者)[^，。\n]{0,12}?\d{1,2}月\d{1,2}日(?:电|讯|消息)"
)
_HAN = re.compile(r"[\u4e00-\u9fff]{2,}")
STITCHED_WEIGHT = 0.3  # a foreign paragraph; the page decision never reads it (stitched lines go on spam pages only)
STRICT_CONTAINMENT = 0.25  # in a template's hot zone (after its hot list) a paragraph must share this much ...
STRICT_UNIGRAM = 0.45  # ... or this character-profile cosine with the article to stay
DATELINE_CONTAINMENT = 0.3  # a datelined paragraph right before the article's own dateline: another story
EDGES_TESTED = 3  # lines peeled from each edge of the main article at most
JUDGE_MIN_CJK = 12  # a shorter paragraph is too short to judge ...
SHORT_BODY_JUDGE_CJK = 40  # ... and under a short-lined body (verse) this short
BODY_MIN_CJK = 40  # an article shorter than this gives nothing to compare with


@lru_cache(maxsize=1)
def common_bigrams() -> frozenset[str]:
    """The bigrams most paragraphs of genuine text share (shipped; topic words are what remains)."""
    return frozenset(require_asset(COMMON_BIGRAMS_FILE, "python -m wenforge.clean.build_assets DATA_DIR").read_text(encoding="utf-8").split())


_HAN_BIGRAM_RE = re.compile(r"(?=([\u4e00-\u9fff]{2}))")  # overlapping Han bigrams, found in C
_HAN_RUN_RE = re.compile(r"[\u4e00-\u9fff]+")


def content_bigrams(text: str) -> set[str]:
    """Han bigrams of ``text`` outside the most common ones of genuine Chinese."""
    return set(_HAN_BIGRAM_RE.findall(text)) - common_bigrams()


def containment(a: set[str], b: set[str] | Counter) -> float:
    """Share of ``a``'s content bigrams found in ``b``."""
    if not a:
        return 1.0
    return sum(map(b.__contains__, a)) / len(a)


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
    return Counter("".join(_HAN_RUN_RE.findall(text)))


def _sumsq(c: Counter) -> int:
    v = c.values()
    return sum(map(mul, v, v))


def cosine(a: Counter, b: Counter, b_sumsq: int | None = None) -> float:
    """Cosine of two count vectors; ``b_sumsq`` (the squared norm of ``b``) when the caller caches it."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
        b_sumsq = None
    dot = sum(map(mul, a.values(), map(b.get, a, repeat(0))))
    if not dot:
        return 0.0
    a_sq = _sumsq(a)
    return dot / math.sqrt(a_sq * (b_sumsq if b_sumsq is not None else _sumsq(b)))


def _cosine_without(a: Counter, total: Counter, total_sumsq: int) -> float:
    """``cosine(a, total - a)`` for ``a`` contained in ``total``, without building ``total - a``."""
    if not a:
        return 0.0
    dot = 0
    rest_sq = total_sumsq
    for k, v in a.items():
        t = total.get(k, 0)
        r = t - v
        if r > 0:
            dot += v * r
            rest_sq -= t * t - r * r
        else:  # the rest has none of it
            rest_sq -= t * t
    if not dot or rest_sq <= 0:
        return 0.0
    return dot / math.sqrt(_sumsq(a) * rest_sq)


def detect(
    lines: list[Line],
    flagged: set[int],
    *,
    hot_lines: set[int] | None = None,
    ignore: set[int] | None = None,
    max_containment: float,
    max_unigram: float,
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
    gram_cache: dict[int, set[str]] = {}
    char_cache: dict[int, Counter] = {}

    def grams(ln: Line) -> set[str]:
        g = gram_cache.get(ln.index)
        if g is None:
            g = gram_cache[ln.index] = content_bigrams(ln.text)
        return g

    def chars(ln: Line) -> Counter:
        c = char_cache.get(ln.index)
        if c is None:
            c = char_cache[ln.index] = char_counts(ln.text)
        return c

    body = list(main)
    # occurrences of every Han bigram and character in the body, each counted in one pass over the body;
    # a line's bigram is in the rest of the body when the body has more of it than the line
    body_text = "\n".join(ln.text for ln in body)
    counts = Counter(_HAN_BIGRAM_RE.findall(body_text))
    body_han = "".join(_HAN_RUN_RE.findall(body_text))
    # character counts of the body: built the first time a line gets as far as the character test
    uc: list = []  # [Counter, its squared norm]

    def body_chars() -> tuple[Counter, int]:
        if not uc:
            c = Counter(body_han)
            for ln in removed_lines:
                for k, v in chars(ln).items():
                    left = c.get(k, 0) - v
                    if left > 0:
                        c[k] = left
                    else:
                        c.pop(k, None)
            uc[:] = [c, _sumsq(c)]
        return uc[0], uc[1]

    out: list[Finding] = []
    removed_lines: list[Line] = []
    short_body = sorted(ln.n_cjk for ln in body)[len(body) // 2] < 30
    body_cjk = len(body_han) or 1
    classical = sum(body_han.count(c) for c in MODERN_CHARS) / body_cjk < 0.006 and _classical_style(body)

    def unrelated(ln: Line, rest_lines: list[Line], strict: bool, next_lines: list[Line] = (),
                  edge_occ: Counter | None = None) -> bool:
        """Is ``ln`` foreign to the body? ``edge_occ`` (its bigram occurrences) when ``ln`` is an edge of the
        body itself: it is then compared with the body without it (without copying the body's counts)."""

        def contain() -> float:
            g = grams(ln)
            if edge_occ is None:
                return containment(g, counts)
            return sum(1 for x in g if counts.get(x, 0) > edge_occ[x]) / len(g) if g else 1.0

        if ln.text.strip("《》“”\"' ") in keep_names:
            return False
        if classical and strict:
            return contain() < STRICT_CONTAINMENT
        if classical and ln.n_cjk >= 10:
            # verse / classical prose: a modern paragraph is foreign, a classical one belongs
            return modern_rate(chars(ln)) > 0.015
        if not strict and (ln.n_cjk < JUDGE_MIN_CJK or (short_body and ln.n_cjk < SHORT_BODY_JUDGE_CJK)):
            return False  # too short to judge; verse lines share little by nature
        if (body_n_cjk if rest_lines is body else sum(x.n_cjk for x in rest_lines)) < BODY_MIN_CJK:
            return False
        c = contain()
        if next_lines and DATELINE_RE.search(ln.text[:60]) and any(DATELINE_RE.search(x.text[:60]) for x in next_lines):
            return c < DATELINE_CONTAINMENT
        if c >= (STRICT_CONTAINMENT if strict else max_containment):
            return False  # shares enough bigrams: related whatever its character profile
        ucounts, u_sumsq = body_chars()
        u = cosine(chars(ln), ucounts, u_sumsq) if edge_occ is None else \
            _cosine_without(chars(ln), ucounts, u_sumsq)
        if strict:
            return u < STRICT_UNIGRAM
        return u < max_unigram

    removed_idx: set[int] = set()
    for side in (0, -1):
        order = body if side == 0 else body[::-1]
        tested = 0
        for edge in order:
            if tested >= EDGES_TESTED or len(body) - len(removed_idx) < 2:
                break
            if edge.n_cjk < 10:
                continue
            tested += 1
            if edge.index in removed_idx:
                break  # every line after it went or is too short to test
            e_occ = Counter(_HAN_BIGRAM_RE.findall(edge.text))
            if edge.index not in gram_cache:
                gram_cache[edge.index] = set(e_occ) - common_bigrams()
            rest_lines = [x for x in body if x.index != edge.index and x.index not in removed_idx]
            nxt = [x for x in rest_lines if x.index > edge.index][:2] if side == 0 else []
            if unrelated(edge, rest_lines, False, nxt, edge_occ=e_occ):
                out.append(Finding(edge.start, edge.end, R.STITCHED, STITCHED_WEIGHT, edge.index, whole_line=True,
                                   detail="edge of main article"))
                removed_idx.add(edge.index)
                removed_lines.append(edge)
                subs = [(counts, e_occ)] + ([(uc[0], chars(edge))] if uc else [])
                for c, sub in subs:
                    for k, v in sub.items():  # keep only positive counts: tests below ask for presence
                        left = c.get(k, 0) - v
                        if left > 0:
                            c[k] = left
                        else:
                            c.pop(k, None)
                if uc:
                    uc[1] = _sumsq(uc[0])
            else:
                break
    body = [x for x in body if x.index not in removed_idx]
    body_n_cjk = sum(x.n_cjk for x in body)
    first, last = body[0].index, body[-1].index
    hot_after = min((i for i in hot_lines if i > last), default=None)
    for r in runs:
        if r is main:
            continue
        for ln in r:
            in_hot = hot_after is not None and ln.index > hot_after
            if unrelated(ln, body, in_hot):
                out.append(Finding(ln.start, ln.end, R.STITCHED, STITCHED_WEIGHT, ln.index, whole_line=True,
                                   detail="outside main article"))
    return out, (first, last)


def rebuild_common_bigrams(out: Path = COMMON_BIGRAMS_FILE, top: int = 1500, data_dir: Path | None = None) -> int:
    """The ``top`` bigrams that occur in the most paragraphs of genuine `dev` text (all sources)."""
    from wenforge.text.sources import load_sources

    src = load_sources(data_dir, split="dev")
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
