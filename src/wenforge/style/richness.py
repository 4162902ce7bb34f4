"""Lexical richness: moving-average type-token ratio (MATTR) over characters and over jieba words."""

from __future__ import annotations

from collections import Counter

from wenforge.style.doc import CJK_RE, Doc


def mattr(tokens: list[str], window: int = 50) -> float:
    """Mean type/token ratio over every window of `window` tokens (plain TTR when shorter)."""
    n = len(tokens)
    if n == 0:
        return 0.0
    if n <= window:
        return len(set(tokens)) / n
    counts = Counter(tokens[:window])
    types = len(counts)
    total = types
    for i in range(window, n):
        out, inn = tokens[i - window], tokens[i]
        counts[out] -= 1
        if counts[out] == 0:
            types -= 1
        if counts[inn] == 0:
            types += 1
        counts[inn] += 1
        total += types
    return total / (n - window + 1) / window


def richness_features(doc: Doc) -> dict[str, float]:
    chars = CJK_RE.findall(doc.text)
    ws = [w for w, _, _ in doc.words if CJK_RE.match(w)]
    return {"mattr_char": mattr(chars, 100), "mattr_word": mattr(ws, 50)}
