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

from wenforge.clean import reasons as R
from wenforge.clean.detectors.common import Finding, Line
from wenforge.clean.lexicon import LexiconMatcher, shared_matcher

PATTERNS_FILE = Path(__file__).resolve().parent.parent / "assets" / "bait_patterns.yaml"


@dataclass(frozen=True)
class BaitPattern:
    category: str
    weight: float
    regex: re.Pattern


@lru_cache(maxsize=2)
def load_patterns(path: str = str(PATTERNS_FILE)) -> tuple[BaitPattern, ...]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    out = []
    for i, p in enumerate(data.get("patterns") or []):
        try:
            out.append(BaitPattern(str(p["category"]), float(p["weight"]), re.compile(p["re"], re.IGNORECASE)))
        except (KeyError, TypeError, ValueError, re.error) as e:
            raise ValueError(f"{path}: pattern #{i + 1} is invalid: {e}") from e
    return tuple(out)


def context_factor(ln: Line) -> float:
    """Lures sit in short headline-like lines (titles, hot lists); inside full sentences a lure word is
    more often reported than used (news about a gambling crackdown)."""
    if ln.length <= 60 and not ln.sentence_like:
        return 1.4
    if ln.sentence_like:
        return 0.35 if ln.length >= 40 else 0.6
    return 1.0


def _quoted(text: str, start: int, end: int) -> bool:
    """The match sits inside “...” or 「...」 (a quoted term, not a lure)."""
    left = text.rfind("“", 0, start)
    return (left >= 0 and text.find("”", left) >= end) or ("「" in text[:start] and "」" in text[end:])


class BaitDetector:
    def __init__(self, matcher: LexiconMatcher | None = None, patterns: tuple[BaitPattern, ...] | None = None):
        self.matcher = matcher if matcher is not None else LexiconMatcher({})
        self.patterns = patterns if patterns is not None else load_patterns()
        # one alternation per pattern is fine (16 patterns); a combined quick pre-check keeps clean lines cheap
        self._any = re.compile("|".join(f"(?:{p.regex.pattern})" for p in self.patterns), re.IGNORECASE) if self.patterns \
            else None

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
            w = w * f * (0.3 if _quoted(ln.text, a - off, b - off) else 1.0)
            if w >= 0.01:
                out.append(Finding(ln.start + a - off, ln.start + b - off, R.BAIT, w, ln.index, detail=detail))

        for m in self.matcher.find(joined):
            add(m.start, m.end, m.weight, f"{m.category}:{m.term}")
        if self._any is not None and self._any.search(joined):
            for p in self.patterns:
                seen: dict[str, int] = {}
                for mm in p.regex.finditer(joined):
                    k = seen.get(mm.group(), 0)
                    if k < 2:
                        seen[mm.group()] = k + 1
                        add(mm.start(), mm.end(), p.weight, f"{p.category}:{mm.group()}")
        out.sort(key=lambda f: f.start)
        return out
