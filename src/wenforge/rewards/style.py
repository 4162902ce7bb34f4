"""Style reward: the style system's ``style_match`` against a profile, or its ``literary_score``.

``wenforge.style`` is imported when the reward is first called, so this module stays importable on its own.
"""

from __future__ import annotations

from typing import Any

from wenforge.rewards.outcome import split_think

STYLE_MODES = ("match", "literary")


def _as_float(result: Any) -> float:
    """Scores may come back as a float or as a result object with a ``score``."""
    if isinstance(result, (int, float)):
        return float(result)
    for attr in ("score", "value", "similarity"):
        if hasattr(result, attr):
            return float(getattr(result, attr))
    if isinstance(result, dict) and "score" in result:
        return float(result["score"])
    raise TypeError(
        f"style scorer returned {type(result).__name__}, expected a float or an object with .score"
    )


def style_reward(completion: str, profile: Any = None, mode: str = "match") -> float:
    """Style score of the answer part (outside ``<think>``): ``style_match(text, profile)`` or
    ``literary_score(text)`` from ``wenforge.style``. An unclosed think block scores 0."""
    if mode not in STYLE_MODES:
        raise ValueError(f"unknown style mode {mode!r}: expected one of {', '.join(STYLE_MODES)}")
    outside, _ = split_think(completion)
    if outside is None or not outside.strip():
        return 0.0
    if mode == "literary":
        from wenforge.style import literary_score

        return _as_float(literary_score(outside.strip()))
    if profile is None:
        raise ValueError("style_reward(mode='match') needs a style profile (profile=...)")
    from wenforge.style import style_match

    return _as_float(style_match(outside.strip(), profile))
