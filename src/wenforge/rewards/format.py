"""Format reward: the R1 think/answer structure (reasoning in ``<think>...</think>``, then a final answer)."""

from __future__ import annotations

from wenforge.rewards.outcome import extract_final_answer
from wenforge.text.think import closing_tags, split_think


def format_reward(completion: str, fmt: str = "boxed", require_think: bool = True) -> float:
    """1.0 when a closed, non-empty ``<think>`` block is followed by a final answer in ``fmt``; else 0.0.

    A completion that starts inside the block (the prompt ended with ``<think>``) and closes it counts.
    With ``require_think=False`` only the final answer is required (for models trained without tags).
    """
    think, _ = split_think(completion)
    if require_think and (not think or closing_tags(completion) != 1):
        return 0.0
    return 1.0 if extract_final_answer(completion, fmt) is not None else 0.0
