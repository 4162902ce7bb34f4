"""Segmentation: sentences (Chinese and Latin punctuation) and jieba words."""

from __future__ import annotations

import logging
import math
import re
from functools import lru_cache

_SENT_RE = re.compile(r"[^。！？!?；;…\n]+(?:[。！？!?；;…]+[”’」』）)]*|\n|$)")


def split_sentences(text: str) -> list[str]:
    """Sentences ending in Chinese or Latin terminal punctuation (closing quotes stay attached)."""
    return [s.strip() for s in _SENT_RE.findall(text) if s.strip()]


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def dictionary_frequencies() -> tuple[dict[str, int], float]:
    """jieba's dictionary word counts and the log of their total: how rare a word is in general Chinese."""
    dt = _jieba().dt
    return dt.FREQ, math.log(max(dt.total, 1))


def words(text: str) -> list[str]:
    """jieba words, whitespace tokens dropped."""
    return [w for w in _jieba().lcut(text) if w.strip()]


def pos_words(text: str) -> list[tuple[str, str]]:
    """(word, part-of-speech) pairs from jieba.posseg."""
    _jieba()
    import jieba.posseg as pseg

    return [(p.word, p.flag) for p in pseg.lcut(text) if p.word.strip()]
