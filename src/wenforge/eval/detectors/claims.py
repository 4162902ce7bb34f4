"""Checkable claims in Chinese text: numbers, dates, names, places, organisations, quoted terms.

Shared by the hallucination and facts detectors. Every claim carries its character offsets so
detectors can report evidence spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wenforge.text.postag import pos_spans

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_CN_VAL = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}

# a number (Arabic with separators/decimals, or Chinese numerals) followed by an optional unit word
NUMBER_RE = re.compile(
    r"(?:\d+(?:[,，]\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]{1,12})"
    r"(?:\s*(?:%|％|余|多)?\s*(?:[年月日号时分秒岁名人位次个家所座项件台辆元美元万亿千百公里米吨斤倍届周天期轮])?)"
)
DATE_RE = re.compile(
    r"(?:(?:\d{2,4}|[零〇一二三四五六七八九]{2,4})年)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})[日号])?"
    r"|(?:\d{4}|[零〇一二三四五六七八九]{4})年"
)
QUOTE_RE = re.compile(r"[“「《]([^”」》]{2,30})[”」》]")
ENTITY_TAGS = {"nr": "person", "nrfg": "person", "nrt": "person", "ns": "place", "nt": "organisation", "nz": "name"}


@dataclass(frozen=True)
class Claim:
    start: int
    end: int
    text: str
    kind: str  # number | date | person | place | organisation | name | quote

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "kind": self.kind}


def cn_to_int(s: str) -> int | None:
    """Chinese numeral (一千二百三十四, 十二, 二〇一五) to an int; None if it is not one."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if all(c in _CN_VAL for c in s) and len(s) > 1:  # digit-by-digit: 二〇一五
        return int("".join(str(_CN_VAL[c]) for c in s))
    total, section, num = 0, 0, 0
    seen = False
    for c in s:
        if c in _CN_VAL:
            num = _CN_VAL[c]
            seen = True
        elif c in _CN_UNIT:
            section += (num or 1) * _CN_UNIT[c]
            num = 0
            seen = True
        elif c in _CN_BIG:
            total += (section + num) * _CN_BIG[c]
            section, num = 0, 0
            seen = True
        else:
            return None
    return total + section + num if seen else None


def number_values(text: str) -> set[str]:
    """Normalised numeric values mentioned in a text (as strings: '2013', '15', '0.5')."""
    out: set[str] = set()
    for m in re.finditer(r"\d+(?:[,，]\d{3})*(?:\.\d+)?", text):
        out.add(_norm_num(m.group(0)))
    for m in re.finditer(r"[零〇一二两三四五六七八九十百千万亿]{1,12}", text):
        v = cn_to_int(m.group(0))
        if v is not None and not (len(m.group(0)) == 1 and m.group(0) in "万亿千百十"):
            out.add(str(v))
    return out


def _norm_num(s: str) -> str:
    s = s.replace(",", "").replace("，", "")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s.lstrip("0") or "0"


def extract_claims(text: str) -> list[Claim]:
    """Numbers, dates, named entities and quoted terms, with offsets, sorted, non-overlapping."""
    found: list[Claim] = []
    for m in DATE_RE.finditer(text):
        found.append(Claim(m.start(), m.end(), m.group(0), "date"))
    for m in NUMBER_RE.finditer(text):
        tok = m.group(0).strip()
        if not tok or (len(tok) == 1 and tok in "一两十百千万亿零〇"):
            continue  # a lone 一 is mostly a measure word, not a quantity
        if re.fullmatch(r"[一两][个位次种些点件]?", tok):
            continue
        found.append(Claim(m.start(), m.end(), m.group(0), "number"))
    for m in QUOTE_RE.finditer(text):
        found.append(Claim(m.start(1), m.end(1), m.group(1), "quote"))
    for w, flag, i, _ in pos_spans(text):
        kind = ENTITY_TAGS.get(flag)
        if kind and len(w) >= 2:
            found.append(Claim(i, i + len(w), w, kind))
    # keep the earliest-longest claim where they overlap (dates win over bare numbers by length)
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Claim] = []
    for c in found:
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out
