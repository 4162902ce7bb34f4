"""Bait phrases: the shared (noisy) lexicons through ``LexiconMatcher`` plus curated structural patterns.

One short hit is nearly worthless (2-character terms weigh 0.08, terms common in genuine text less);
context scales each hit: short headline-like lines (hot lists, titles) weigh more, long prose less.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from wenforge.clean.detectors.common import Finding, Line
from wenforge.clean.lexicon import LexiconMatcher, shared_matcher
from wenforge.core import reasons as R
from wenforge.text.guard import guarded

PATTERNS_FILE = Path(__file__).resolve().parent.parent / "assets" / "bait_patterns.yaml"


@dataclass(frozen=True)
class BaitPattern:
    category: str
    weight: float
    regex: re.Pattern  # case-insensitive
    lower: re.Pattern | None = None  # the same pattern for lower-cased text (faster), when it has no capitals


@lru_cache(maxsize=2)
def load_patterns(path: str = str(PATTERNS_FILE)) -> tuple[BaitPattern, ...]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    out = []
    for i, p in enumerate(data.get("patterns") or []):
        try:
            rx = str(p["re"])
            out.append(BaitPattern(str(p["category"]), float(p["weight"]), re.compile(rx, re.IGNORECASE),
                                   guarded(rx) if rx == rx.lower() else None))
        except (KeyError, TypeError, ValueError, re.error) as e:
            raise ValueError(f"{path}: pattern #{i + 1} is invalid: {e}") from e
    return tuple(out)


HEADLINE_MAX_CHARS = 60  # a line this short without sentence punctuation reads as a title or list entry
HEADLINE_FACTOR = 1.4  # lures are placed in headline-like lines (titles, hot lists): weigh them up
LONG_SENTENCE_CHARS = 40  # a sentence this long reports more than it lures
LONG_SENTENCE_FACTOR = 0.35  # inside a full sentence a lure word is more often reported than used (crackdown news)
SHORT_SENTENCE_FACTOR = 0.6  # a short sentence sits between the two
QUOTED_FACTOR = 0.3  # a term inside “...” or 「...」 is named, not advertised
MIN_HIT_WEIGHT = 0.01  # weaker hits carry no evidence and would only bloat the explanation


def context_factor(ln: Line) -> float:
    """Lures sit in short headline-like lines (titles, hot lists); inside full sentences a lure word is
    more often reported than used (news about a gambling crackdown)."""
    if ln.length <= HEADLINE_MAX_CHARS and not ln.sentence_like:
        return HEADLINE_FACTOR
    if ln.sentence_like:
        return LONG_SENTENCE_FACTOR if ln.length >= LONG_SENTENCE_CHARS else SHORT_SENTENCE_FACTOR
    return 1.0


def _quoted(text: str, start: int, end: int) -> bool:
    """The match sits inside “...” or 「...」 (a quoted term, not a lure)."""
    left = text.rfind("“", 0, start)
    return (left >= 0 and text.find("”", left) >= end) or ("「" in text[:start] and "」" in text[end:])


class BaitDetector:
    def __init__(self, matcher: LexiconMatcher | None = None, patterns: tuple[BaitPattern, ...] | None = None):
        self.matcher = matcher if matcher is not None else LexiconMatcher({})
        self.patterns = patterns if patterns is not None else load_patterns()

    @classmethod
    def default(cls, use_shared: bool = True, categories: tuple[str, ...] | None = None) -> BaitDetector:
        m = shared_matcher(tuple(categories)) if (use_shared and categories) else (
            shared_matcher() if use_shared else LexiconMatcher({}))
        return cls(m)

    def detect(self, lines: list[Line]) -> list[Finding]:
        """Scan the page once (lexicon automaton and each pattern over the joined lines), then weigh each
        hit by the context of its line."""
        if not lines:
            return []
        joined = "\n".join(ln.text for ln in lines)
        starts = []
        pos = 0
        for ln in lines:
            starts.append(pos)
            pos += len(ln.text) + 1
        factors: dict[int, float] = {}
        out: list[Finding] = []

        def add(a: int, b: int, w: float, detail: str) -> None:
            i = bisect_right(starts, a) - 1
            ln = lines[i]
            off = starts[i]
            if b > off + len(ln.text):  # crosses a line break: not one phrase
                return
            f = factors.get(i)
            if f is None:
                f = factors[i] = context_factor(ln)
            w = w * f * (QUOTED_FACTOR if _quoted(ln.text, a - off, b - off) else 1.0)
            if w >= MIN_HIT_WEIGHT:
                out.append(Finding(ln.start + a - off, ln.start + b - off, R.BAIT, w, ln.index, detail=detail))

        # one pass of the automaton and of each pattern over the lower-cased page (each pattern alone is
        # several times faster than one alternation of all of them, and than case-insensitive matching)
        low = joined.lower()
        same = len(low) == len(joined)  # lower() kept offsets (it does for CJK and ASCII)
        for m in self.matcher.find(joined, lowered=low if same else None):
            add(m.start, m.end, m.weight, f"{m.category}:{m.term}")
        for p in self.patterns:
            rx, target = (p.lower, low) if (same and p.lower is not None) else (p.regex, joined)
            seen: dict[str, int] = {}
            for mm in rx.finditer(target):
                a, b = mm.span()
                g = joined[a:b]
                k = seen.get(g, 0)
                if k < 2:
                    seen[g] = k + 1
                    add(a, b, p.weight, f"{p.category}:{g}")
        out.sort(key=lambda f: f.start)
        return out
