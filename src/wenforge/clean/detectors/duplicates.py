"""Repeated lines and paragraphs (compared without spaces and edge punctuation); later copies are findings."""

from __future__ import annotations

from wenforge.clean.detectors.common import Finding, Line
from wenforge.core import reasons as R

DUPLICATE_WEIGHT = 0.0  # genuine pages repeat a paragraph too: repetition is removed, never evidence of injection


def detect(lines: list[Line], min_chars: int) -> list[Finding]:
    """Later copies of lines of at least ``min_chars`` characters (compared without spaces and edge marks)."""
    seen: dict[str, int] = {}
    out = []
    for ln in lines:
        # without whitespace (str.split's whitespace is the regex's \s, U+3000 included)
        key = "".join(ln.text.split()).strip("。，、；：！？.,;:!?-—_|")
        if len(key) < min_chars:
            continue
        if key in seen:
            out.append(Finding(ln.start, ln.end, R.DUPLICATE, DUPLICATE_WEIGHT, ln.index, whole_line=True,
                               detail=f"copy of line {seen[key]}"))
        else:
            seen[key] = ln.index
    return out
