"""Adversarial cleaning of Chinese web pages: find what was injected, keep what is genuine, say why.

``clean_page(text) -> CleanResult`` is the one implementation; ``AdversarialClean`` (datatrove step) and
``wenforge clean`` (CLI) call it. Its reason codes are `wenforge.core.reasons`.
"""

from __future__ import annotations

__all__ = ["AdversarialClean", "CleanConfig", "CleanResult", "LexiconMatcher", "RemovedSpan", "clean_page"]


def __getattr__(name: str):
    if name in ("clean_page", "CleanResult", "RemovedSpan"):
        from wenforge.clean import page

        return getattr(page, name)
    if name == "CleanConfig":
        from wenforge.clean.config import CleanConfig

        return CleanConfig
    if name == "LexiconMatcher":
        from wenforge.clean.lexicon import LexiconMatcher

        return LexiconMatcher
    if name == "AdversarialClean":
        from wenforge.clean.step import AdversarialClean

        return AdversarialClean
    raise AttributeError(name)
