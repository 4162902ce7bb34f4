"""Rule-based rewards (DeepSeek-R1 style) by name, a weighted composite, and adapters for TRL, verl, OpenRLHF.

Light: never imports torch, transformers or trl.
"""

from wenforge.rewards.format import format_reward
from wenforge.rewards.language import language_consistency_reward
from wenforge.rewards.length import overlong_penalty
from wenforge.rewards.outcome import (
    ANSWER_FORMATS,
    answers_match,
    extract_final_answer,
    outcome_detail,
    outcome_reward,
)
from wenforge.rewards.reflection import REFLECTION_PHRASES, reflection_reward
from wenforge.rewards.registry import REWARDS, Composite, RewardSpec, composite, get_reward
from wenforge.rewards.repetition import repetition_penalty
from wenforge.rewards.style import style_reward

__all__ = [
    "ANSWER_FORMATS",
    "REFLECTION_PHRASES",
    "REWARDS",
    "Composite",
    "RewardSpec",
    "answers_match",
    "composite",
    "extract_final_answer",
    "format_reward",
    "get_reward",
    "language_consistency_reward",
    "outcome_detail",
    "outcome_reward",
    "overlong_penalty",
    "reflection_reward",
    "repetition_penalty",
    "style_reward",
]
