"""Part-of-speech tokens with character offsets, cached per text, so that several detectors reading the
same text (grammar, claims, hallucination) tag it (still their costliest step) once."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
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


@lru_cache(maxsize=512)
def _bounds(text: str) -> tuple[list[int], list[int]]:
    """The starts and the ends of the `pos_spans` of `text`: both strictly increase (each word is found after
    the previous one's end), so the words inside a range are one run of them."""
    spans = pos_spans(text)
    return [s[2] for s in spans], [s[3] for s in spans]


def pos_within(text: str, start: int, end: int) -> tuple[tuple[str, str, int, int], ...]:
    """The `pos_spans` of `text` lying inside [start, end), in order, found by bisection (a sentence's or a
    claim's words; a scan of every word per sentence was quadratic in the text's length)."""
    starts, ends = _bounds(text)
    lo, hi = bisect_left(starts, start), bisect_right(ends, end)
    return pos_spans(text)[lo:hi] if hi > lo else ()
