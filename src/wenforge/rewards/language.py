"""Language consistency (DeepSeek-R1): the share of target-language units in the reasoning.

Units: each Han character is one unit, each run of Latin letters (a word) one unit. LaTeX commands,
math spans and single-letter variables are ignored, so formulas do not count against Chinese reasoning.
"""

from __future__ import annotations

import re

from wenforge.text.chars import is_cjk
from wenforge.text.think import split_think

LANGUAGES = ("zh", "en")
_MATH_RE = re.compile(r"\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]|\\[A-Za-z]+", re.DOTALL)
_UNIT_RE = re.compile(r"[A-Za-z]{2,}|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")


def language_units(text: str) -> tuple[int, int]:
    """(Han characters, Latin words of 2+ letters) outside math."""
    text = _MATH_RE.sub(" ", text)
    zh = en = 0
    for m in _UNIT_RE.finditer(text):
        if is_cjk(m.group(0)[0]):
            zh += 1
        else:
            en += 1
    return zh, en


def language_consistency_reward(completion: str, lang: str = "zh", part: str = "think") -> float:
    """Share in [0, 1] of ``lang`` units in the reasoning (``part="think"``; the whole text if no think block)
    or in the whole completion (``part="all"``). A text with no language units at all scores 1.0."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    if part not in ("think", "all"):
        raise ValueError(f"unknown part {part!r}: expected 'think' or 'all'")
    text = completion
    if part == "think":
        think, _ = split_think(completion)
        text = think or completion
    zh, en = language_units(text)
    total = zh + en
    if total == 0:
        return 1.0
    return (zh if lang == "zh" else en) / total
