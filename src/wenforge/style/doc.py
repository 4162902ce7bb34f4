"""A text prepared once for every feature family: simplified characters, sentences, clauses, words, offsets.

Offsets in every span refer to the text as given: the features read `canonical_surface(text)` (full-width
punctuation beside Han characters, simplified characters), which keeps the length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wenforge.text.chars import canonical_surface
from wenforge.text.wordspans import word_spans

_SENT_RE = re.compile(r"[^。！？!?；;…\n]+(?:[。！？!?；;…]+[”’」』）)]*|\n|$)")
_CLAUSE_RE = re.compile(r"[^，,。！？!?；;：:\n…—“”「」『』（）()《》]+")
_LINE_RE = re.compile(r"[^\n]+")
_SPACE_RE = re.compile(r"\s")
CJK_RE = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0002ebef]")


@dataclass
class Seg:
    text: str
    start: int
    end: int


@dataclass
class Doc:
    raw: str
    text: str  # simplified, same length as raw
    n_chars: int  # non-space characters
    n_cjk: int
    sentences: list[Seg] = field(default_factory=list)
    clauses: list[Seg] = field(default_factory=list)
    lines: list[Seg] = field(default_factory=list)
    words: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def per100(self) -> float:
        """Divide a count by this to get occurrences per 100 characters (floor of 50 chars for tiny texts)."""
        return max(self.n_chars, 50) / 100.0


def _segs(regex: re.Pattern, text: str) -> list[Seg]:
    out = []
    for m in regex.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Seg(text[s:e], s, e))
    return out


def prepare(text: str) -> Doc:
    simp = canonical_surface(text)
    n_chars = len(simp) - len(_SPACE_RE.findall(simp))
    n_cjk = len(CJK_RE.findall(simp))
    return Doc(
        raw=text,
        text=simp,
        n_chars=n_chars,
        n_cjk=n_cjk,
        sentences=_segs(_SENT_RE, simp),
        clauses=_segs(_CLAUSE_RE, simp),
        lines=_segs(_LINE_RE, simp),
        words=word_spans(simp, hmm=False),
    )
