"""Lexical richness: moving-average type-token ratio (MATTR) over characters and over jieba words."""

from __future__ import annotations

import numpy as np

from wenforge.style.doc import CJK_RE, Doc


def mattr(tokens: list[str], window: int = 50) -> float:
    """Mean type/token ratio over every window of `window` tokens (plain TTR when shorter).

    Counted without sliding a window: a token opens a new type in every window that holds it but not its
    previous occurrence, so the sum of the windows' type counts is a sum over tokens (integers, exact)."""
    n = len(tokens)
    if n == 0:
        return 0.0
    if n <= window:
        return len(set(tokens)) / n
    last: dict[str, int] = {}
    prev_l = []
    for i, t in enumerate(tokens):
        prev_l.append(last.get(t, -1))
        last[t] = i
    prev = np.array(prev_l, dtype=np.int64)
    i = np.arange(n)
    first = np.maximum(np.maximum(i - window + 1, prev + 1), 0)  # the first window start that counts token i
    total = int(np.maximum(np.minimum(i, n - window) - first + 1, 0).sum())
    return total / (n - window + 1) / window


def richness_features(doc: Doc) -> dict[str, float]:
    chars = CJK_RE.findall(doc.text)
    ws = [w for w, _, _ in doc.words if CJK_RE.match(w)]
    return {"mattr_char": mattr(chars, 100), "mattr_word": mattr(ws, 50)}
