"""Rhythm: sentence and clause length (mean, variation), balance of adjacent clauses, punctuation
profile, line shape, and for verse the tonal pattern (平仄 alternation and rhyme) via pypinyin."""

from __future__ import annotations

import itertools
import re
import statistics
from functools import lru_cache

from wenforge.style.doc import Doc

PUNCT_GROUPS = {
    "comma": "，,",
    "period": "。",
    "exclaim": "！!",
    "question": "？?",
    "semicolon": "；;",
    "colon": "：:",
    "enum_comma": "、",
    "quote": "“”「」『』\"",
    "ellipsis": "…",
    "dash": "—",
}
_PUNCT_OF = {c: k for k, cs in PUNCT_GROUPS.items() for c in cs}
# a clause of Han characters only (the ranges of text.chars.is_cjk), matched in one call
_ALL_HAN_RE = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002ebef\uf900-\ufaff]+")


def _mean_cv(xs: list[int]) -> tuple[float, float]:
    if not xs:
        return 0.0, 0.0
    m = statistics.fmean(xs)
    if len(xs) < 2 or m == 0:
        return m, 0.0
    return m, statistics.pstdev(xs) / m


@lru_cache(maxsize=20000)
def _tone(ch: str) -> int:
    """1 for 平 (tones 1, 2), 2 for 仄 (3, 4), 0 unknown; modern readings (entering tone is lost)."""
    from pypinyin import Style, pinyin

    p = pinyin(ch, style=Style.TONE3, heteronym=False, errors="ignore")
    if not p or not p[0]:
        return 0
    t = p[0][0][-1:]
    return 1 if t in "12" else 2 if t in "34" else 0


@lru_cache(maxsize=20000)
def _final(ch: str) -> str:
    from pypinyin import Style, pinyin

    p = pinyin(ch, style=Style.FINALS, heteronym=False, errors="ignore")
    return p[0][0][-2:] if p and p[0] else ""


def tonal_features(doc: Doc) -> dict[str, float]:
    """For verse-like texts (most clauses of 4, 5 or 7 Han characters): share of lines whose 2nd and
    4th characters alternate 平/仄, share of couplets whose lines end 仄 then 平, and rhyme share of
    couplet endings. Zero for prose (computed only when the text looks like verse)."""
    cl = [c.text for c in doc.clauses if _ALL_HAN_RE.fullmatch(c.text)]
    verse = [c for c in cl if len(c) in (4, 5, 7)]
    if len(cl) < 4 or len(verse) < 0.7 * len(cl):
        return {"verse_shape": len(verse) / max(len(cl), 1), "tonal_alternation": 0.0, "tonal_couplet": 0.0, "rhyme": 0.0}
    alt = sum(1 for c in verse if len(c) >= 5 and _tone(c[1]) and _tone(c[3]) and _tone(c[1]) != _tone(c[3]))
    n5 = sum(1 for c in verse if len(c) >= 5) or 1
    pairs = list(zip(verse[0::2], verse[1::2]))
    couplet = sum(1 for a, b in pairs if _tone(a[-1]) == 2 and _tone(b[-1]) == 1)
    ends = [b[-1] for _, b in pairs]
    finals = [_final(c) for c in ends]
    top = max((finals.count(f) for f in set(finals) if f), default=0)
    return {
        "verse_shape": len(verse) / len(cl),
        "tonal_alternation": alt / n5,
        "tonal_couplet": couplet / max(len(pairs), 1),
        "rhyme": top / max(len(ends), 1),
    }


def rhythm_features(doc: Doc) -> dict[str, float]:
    sent_m, sent_cv = _mean_cv([len(s.text) for s in doc.sentences])
    cl_lens = [len(c.text) for c in doc.clauses]
    cl_m, cl_cv = _mean_cv(cl_lens)
    pairs = list(itertools.pairwise(cl_lens))
    balance = sum(1 for a, b in pairs if a == b and a >= 3) / max(len(pairs), 1)
    line_m, line_cv = _mean_cv([len(x.text) for x in doc.lines])
    counts = dict.fromkeys(PUNCT_GROUPS, 0)
    for ch in doc.text:
        k = _PUNCT_OF.get(ch)
        if k:
            counts[k] += 1
    p = doc.per100
    out = {
        "sent_len_mean": sent_m,
        "sent_len_cv": sent_cv,
        "clause_len_mean": cl_m,
        "clause_len_cv": cl_cv,
        "clause_balance": balance,
        "line_len_mean": line_m,
        "line_len_cv": line_cv,
    }
    out.update({f"punct_{k}": v / p for k, v in counts.items()})
    out.update(tonal_features(doc))
    return out
