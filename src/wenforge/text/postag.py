"""Part-of-speech tokens with character offsets, cached per text, so that several detectors reading the
same text (grammar, claims) tag it (still their costliest step) once."""

from __future__ import annotations

from functools import lru_cache

from wenforge.text.segment import pos_words


@lru_cache(maxsize=512)
def pos_spans(text: str) -> tuple[tuple[str, str, int, int], ...]:
    """(word, flag, start, end) for the `pos_words` of `text` (jieba.posseg's pairs, whitespace dropped)."""
    out = []
    pos = 0
    for w, f in pos_words(text):
        i = text.find(w, pos)
        if i < 0:
            continue
        out.append((w, f, i, i + len(w)))
        pos = i + len(w)
    return tuple(out)
