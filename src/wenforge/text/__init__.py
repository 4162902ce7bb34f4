"""Shared text helpers (characters, segmentation, n-grams, lexicons) used by clean, style, eval and pipeline."""

from wenforge.text.chars import cjk_ratio, is_cjk, normalize_text, to_simplified
from wenforge.text.ngrams import char_ngrams, cosine_counts
from wenforge.text.segment import split_sentences, words

__all__ = [
    "char_ngrams",
    "cjk_ratio",
    "cosine_counts",
    "is_cjk",
    "normalize_text",
    "split_sentences",
    "to_simplified",
    "words",
]
