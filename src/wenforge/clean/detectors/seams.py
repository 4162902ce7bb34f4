"""Seams of stitched pages: separator runs between unrelated stories, and a fragment glued above a news lead.

- `******` / `------` lines, or a headline ending in `******`, mark where a generator joined articles;
  with two or more datelines on the page (two stories) they are strong evidence, alone weak (some sites
  draw dividers);
- a news article starts with its title and then its lead (`某某社某地3月2日电`); a complete sentence, or a
  fragment opening with a closing quote or comma (`”该公司负责人表示。`), above the lead belongs
  to another text.
"""

from __future__ import annotations

import re

from wenforge.clean.detectors.common import Finding, Line
from wenforge.core import reasons as R

# a news lead: any outlet (…社, …网, …报, …台) or 本报, a place, a date, 电/讯
LEAD_RE = re.compile(r"(?:[\u4e00-\u9fff]{1,5}(?:社|网|报|台)|本报)[\u4e00-\u9fff]{0,8}?\d{1,2}月\d{1,2}日(?:电|讯)")
SEPARATOR_RE = re.compile(r"^[*＊\-—=~#_·]{5,}$|[*＊]{5,}$")
_SEPARATOR_CHARS = "*＊-—=~#_·"
LEAD_LINES = 4  # the lead of an article starts within its first lines
LEAD_PREFIX_CHARS = 60  # a fragment glued in front of the lead on its own line is short
_FRAGMENT_START_RE = re.compile(r"^[”」』）)，,。、；;：:]")
_SENTENCE_END_RE = re.compile(r"。”?$")  # a statement; headlines end in ？ or ！ or nothing
_NOT_STRAY_RE = re.compile(r"^(?:摘要|导语|核心提示|编者按|【|\[|（|\(|\d{1,2}[.、])")  # an abstract or a bracketed note
STRAY_MIN_CHARS = 12  # a shorter line above the lead is a kicker or a caption, not another text's sentence
SEPARATOR_WEIGHT = 0.3  # dividers are a generator's seam, but some sites draw them (capped on the page)
STRAY_WEIGHT = 0.5  # another text's sentence above a news lead: a news article opens with its lead


def separators(lines: list[Line]) -> list[Finding]:
    """Separator lines (whole-line) and headline-ending separator runs (inline)."""
    out = []
    for ln in lines:
        if ln.text[0] not in _SEPARATOR_CHARS and ln.text[-1] not in "*＊":
            continue
        m = SEPARATOR_RE.search(ln.text)
        if m:
            whole = m.start() == 0
            out.append(Finding(ln.start + m.start(), ln.start + m.end(), R.STITCHED, SEPARATOR_WEIGHT, ln.index,
                               whole_line=whole, detail="separator"))
    return out


def stray_before_lead(lines: list[Line]) -> list[Finding]:
    """Lines above a news lead that are another text's sentence or fragment."""
    lead, start = None, 0
    for ln in lines[:LEAD_LINES]:
        m = LEAD_RE.search(ln.text[:LEAD_PREFIX_CHARS])
        if m:
            lead, start = ln, m.start()
            break
    if lead is None:
        return []
    out = []
    if start > 2 and _FRAGMENT_START_RE.match(lead.text):  # ”这是我们村几代人的心愿。华闻社兰州5月9日电…
        out.append(Finding(lead.start, lead.start + start, R.STITCHED, STRAY_WEIGHT, lead.index, detail="stray_lead"))
    lead = lead.index
    for ln in lines[:lead]:
        fragment = _FRAGMENT_START_RE.match(ln.text) is not None
        sentence = ln.length >= STRAY_MIN_CHARS and _SENTENCE_END_RE.search(ln.text) is not None \
            and not _NOT_STRAY_RE.match(ln.text)
        if fragment or sentence:
            out.append(Finding(ln.start, ln.end, R.STITCHED, STRAY_WEIGHT, ln.index, whole_line=True,
                               detail="stray_lead"))
    return out
