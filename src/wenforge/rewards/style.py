"""Style reward: the style system's ``style_match`` against a profile, its ``literary_score``, its ornament net of
slop (``ornateness * (1 - overwrought)``), or its expert-fitted ``quality``.

``wenforge.style`` is imported when the reward is first called, so this module stays importable on its own.
"""

from __future__ import annotations

from typing import Any

from wenforge.text.think import split_think

STYLE_MODES = ("match", "literary", "ornate", "quality")


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


def style_reward(completion: str, profile: Any = None, mode: str = "match", prompt: str | None = None) -> float:
    """Style score of the answer part (outside ``<think>``), by ``mode``:
    ``match``: ``style_match(text, profile)``; ``literary``: ``literary_score(text)``; ``ornate``: ornateness
    times (1 - overwrought), which pays for ornament and not for slop; ``quality``: the expert-fitted quality,
    reading ``prompt`` (a dataset column mapped to it) for prompt adherence. An unclosed think block scores 0."""
    if mode not in STYLE_MODES:
        raise ValueError(f"unknown style mode {mode!r}: expected one of {', '.join(STYLE_MODES)}")
    text = split_think(completion).answer
    if not text:
        return 0.0
    if mode == "literary":
        from wenforge.style import literary_score

        return _as_float(literary_score(text))
    if mode in ("ornate", "quality"):
        from wenforge.style import score_style

        r = score_style(text, prompt=prompt if isinstance(prompt, str) else None)
        return r.quality if mode == "quality" else r.ornateness * (1.0 - r.overwrought)
    if profile is None:
        raise ValueError("style_reward(mode='match') needs a style profile (profile=...)")
    from wenforge.style import style_match

    return _as_float(style_match(text, profile))
