"""The style system: literary criticism as functions (device detectors with evidence, diction, rhythm,
richness, register), a style vector, a three-level taxonomy (`taxonomy.yaml`), calibrated literary score,
L1/L2 classifiers, and style profiles.

    from wenforge.style import score_style, style_match, build_profile, load_profile, literary_score
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = [
    "StyleProfile",
    "StyleResult",
    "build_profile",
    "detect_devices",
    "literary_score",
    "load_profile",
    "load_taxonomy",
    "save_profile",
    "score_style",
    "style_features",
    "style_match",
]

_LAZY = {
    "score_style": "wenforge.style.score", "literary_score": "wenforge.style.score", "StyleResult": "wenforge.style.score",
    "style_match": "wenforge.style.profile", "build_profile": "wenforge.style.profile",
    "load_profile": "wenforge.style.profile", "save_profile": "wenforge.style.profile",
    "StyleProfile": "wenforge.style.profile", "style_features": "wenforge.style.vector",
    "detect_devices": "wenforge.style.devices", "load_taxonomy": "wenforge.style.taxonomy",
}

if TYPE_CHECKING:  # pragma: no cover
    from wenforge.style.devices import detect_devices
    from wenforge.style.profile import StyleProfile, build_profile, load_profile, save_profile, style_match
    from wenforge.style.score import StyleResult, literary_score, score_style
    from wenforge.style.taxonomy import load_taxonomy
    from wenforge.style.vector import style_features


def __getattr__(name: str):
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'wenforge.style' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(mod), name)
