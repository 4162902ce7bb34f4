"""datatrove WordTokenizers that work offline: jieba words for Chinese, characters for MinHash shingles.

datatrove's defaults for zh/en load spaCy (and NLTK data for some languages); these keep the same
interface so datatrove's filters and MinHash stages accept them as ``language=``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from datatrove.utils.word_tokenizers import WordTokenizer

from wenforge.text.segment import split_sentences, words

_LATIN_WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)


def _spans(text: str, parts: list[str]) -> list[tuple[int, int]]:
    out, start = [], 0
    for p in parts:
        i = text.find(p, start)
        if i < 0:
            continue
        out.append((i, i + len(p)))
        start = i + len(p)
    return out


@lru_cache(maxsize=8)
def _cached_words(text: str) -> tuple[str, ...]:
    return tuple(words(text))


class JiebaWordTokenizer(WordTokenizer):
    """Chinese words with jieba; Latin runs stay whole words. The last few texts are memoised, since
    FineWeb-2's three filters each split the same document into words."""

    def __init__(self):
        super().__init__("zh")

    def word_tokenize(self, text: str) -> list[str]:
        return list(_cached_words(text))

    def sent_tokenize(self, text: str) -> list[str]:
        return split_sentences(text)

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        return _spans(text, self.sent_tokenize(text))


class LatinWordTokenizer(WordTokenizer):
    """Regex words and punctuation for English and other space-delimited languages."""

    def __init__(self, language: str = "en"):
        super().__init__(language)

    def word_tokenize(self, text: str) -> list[str]:
        return _LATIN_WORD_RE.findall(text)

    def sent_tokenize(self, text: str) -> list[str]:
        return split_sentences(text)

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        return _spans(text, self.sent_tokenize(text))


class CharTokenizer(WordTokenizer):
    """Every non-space character is a token, so MinHash n_grams=5 gives character 5-gram shingles."""

    def __init__(self):
        super().__init__("zh")

    def word_tokenize(self, text: str) -> list[str]:
        return [c for c in text if not c.isspace()]

    def sent_tokenize(self, text: str) -> list[str]:
        return split_sentences(text)

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        return _spans(text, self.sent_tokenize(text))
