"""Reflection phrases ("aha moment" markers): wait / 等等 / 重新检查 / 验证 ... in the reasoning."""

from __future__ import annotations

import re

from wenforge.text.think import split_think

REFLECTION_PHRASES: tuple[str, ...] = (
    "wait",
    "let me check",
    "let me verify",
    "double-check",
    "re-check",
    "recheck",
    "let me reconsider",
    "on second thought",
    "等等",
    "等一下",
    "重新检查",
    "检查一下",
    "验证",
    "再算一遍",
    "重新计算",
    "不对",
)
_RE = re.compile(
    "|".join(rf"\b{re.escape(p)}\b" if p.isascii() else re.escape(p) for p in REFLECTION_PHRASES),
    re.IGNORECASE,
)


def reflection_reward(completion: str) -> float:
    """1.0 when the reasoning (the think block, else the whole text) contains a reflection phrase, else 0.0.

    Meant as a tracked metric (weight 0 in a composite), the rate R1 watched rise during RL.
    """
    think, _ = split_think(completion)
    text = think if think else completion
    return 1.0 if _RE.search(text) else 0.0
