"""Repetition penalty: the share of repeated n-grams (Han characters and Latin words as units)."""

from __future__ import annotations

import re

_UNIT_RE = re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]")


def units(text: str) -> list[str]:
    """Han characters and punctuation one by one, Latin words and numbers whole."""
    return _UNIT_RE.findall(text.lower())


def repetition_spans(completion: str, n: int = 4) -> list[tuple[int, int]]:
    """(start, end) character offsets of n-grams that repeat an earlier one (evidence for the penalty)."""
    ms = list(_UNIT_RE.finditer(completion.lower()))
    seen: set[tuple[str, ...]] = set()
    spans = []
    for i in range(len(ms) - n + 1):
        g = tuple(m.group(0) for m in ms[i : i + n])
        if g in seen:
            spans.append((ms[i].start(), ms[i + n - 1].end()))
        seen.add(g)
    return spans


def repetition_penalty(completion: str, n: int = 4, max_penalty: float = 1.0) -> float:
    """``-max_penalty * (1 - distinct n-grams / n-grams)``: 0 for text with no repeated n-gram, near -1 for a loop."""
    u = units(completion)
    total = len(u) - n + 1
    if total <= 1:
        return 0.0
    distinct = len({tuple(u[i : i + n]) for i in range(total)})
    return -max_penalty * (1.0 - distinct / total)
