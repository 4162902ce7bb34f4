"""jieba words with their character offsets, and jieba's own dictionary looked up by part-of-speech tag.

Tagging every word (`text.segment.pos_words`, jieba.posseg's output) costs about 1.6x `jieba.lcut`; for idioms
and set phrases it is enough to segment with `lcut` and look each word up in the set of dictionary words tagged
`i`/`l`.
"""

from __future__ import annotations

import os
from functools import lru_cache

from wenforge.text.segment import _jieba, jieba_cut


def word_spans(text: str, *, hmm: bool = True) -> list[tuple[str, int, int]]:
    """(word, start, end) for every non-space jieba word; offsets index into `text`."""
    out, pos = [], 0
    for w in jieba_cut(text, hmm):
        end = pos + len(w)
        if w.strip():
            out.append((w, pos, end))
        pos = end
    return out


@lru_cache(maxsize=8)
def jieba_dict_words(tags: tuple[str, ...] = ("i", "l"), min_len: int = 1) -> frozenset[str]:
    """Words in jieba's bundled dictionary whose part-of-speech tag is in `tags`."""
    jieba = _jieba()
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    wanted = set(tags)
    out = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] in wanted and len(parts[0]) >= min_len:
                out.add(parts[0])
    return frozenset(out)
