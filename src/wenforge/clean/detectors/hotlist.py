"""Hot-list templates: ``TOPn热点``, ``热榜n``, ``【热门】`` and numbered headline lines.

Explicit hot-list prefixes are evidence on their own; plain numbered headlines (``1.``, ``2、``) are only
candidates (weight 0): legitimate digests and lists use them too. The page decision turns candidates into
hot-list lines when they carry bait or alien tokens, or sit in the hot zone of a spam page.
"""

from __future__ import annotations

import re

from wenforge.clean.detectors.common import Finding, Line
from wenforge.core import reasons as R

EXPLICIT_RE = re.compile(
    r"^\s*(?:(?:TOP|Top|top)\s*\d{1,3}\s*(?:热点|热搜|热门|热榜|热闻|推荐|排行)?|"
    r"(?:热榜|热搜|热点|热门|热闻|爆料|今日热点|实时热点)\s*(?:TOP|榜)?\s*\d{1,3}|"
    r"[【\[](?:热门|热点|热搜|热榜|推荐|精选|爆)\s*\d{0,3}[】\]]|NO\.\s*\d{1,3}\s|第\s*\d{1,3}\s*名)"
)
NUMBERED_RE = re.compile(r"^\s*(?:\d{1,2}\s*[.、．)）]|[(（]\d{1,2}[)）]|\[\d{1,2}\]|[①-⑳]|[◆●■▲★☆·•]\s*)")
HEADLINE_MAX = 90  # a numbered line longer than this is a list item of prose, not a headline
LINE_MAX = 200  # a hot-list line is a headline with a prefix; a longer line is an article paragraph
CANDIDATE_WEIGHT = 0.0  # numbered headlines are candidates only: digests and lists number theirs too


def detect(lines: list[Line], *, explicit_weight: float) -> list[Finding]:
    """Whole-line findings: explicit hot-list lines (weight ``explicit_weight``, ``CleanConfig.hotlist_line_weight``)
    and numbered headline candidates (weight 0)."""
    out = []
    for ln in lines:
        if ln.length > LINE_MAX:
            continue
        if EXPLICIT_RE.match(ln.text):
            out.append(Finding(ln.start, ln.end, R.HOTLIST, explicit_weight, ln.index, whole_line=True,
                               detail="explicit"))
        elif ln.length <= HEADLINE_MAX and NUMBERED_RE.match(ln.text) and not ln.text.rstrip().endswith("。"):
            out.append(Finding(ln.start, ln.end, R.HOTLIST, CANDIDATE_WEIGHT, ln.index, whole_line=True,
                               detail="numbered"))
    return out
