"""Character n-grams and similarity: the language-agnostic way to compare Chinese texts without segmentation."""

from __future__ import annotations

import math
from collections import Counter


def char_ngrams(text: str, n: int = 2, *, skip_space: bool = True) -> Counter:
    """Counts of character n-grams (whitespace removed first when skip_space)."""
    if skip_space:
        text = "".join(text.split())
    if len(text) < n:
        return Counter([text]) if text else Counter()
    return Counter(text[i : i + n] for i in range(len(text) - n + 1))


def cosine_counts(a: Counter, b: Counter) -> float:
    """Cosine similarity of two count vectors, 0 when either is empty."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    if dot == 0:
        return 0.0
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)
