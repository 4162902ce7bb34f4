"""Hot-list templates: ``TOPn热点``, ``热榜n``, ``【热门】`` and numbered headline lines.

Explicit hot-list prefixes are evidence on their own; plain numbered headlines (``1.``, ``2、``) are only
candidates (weight 0): legitimate digests and lists use them too. The page decision turns candidates into
hot-list lines when they carry bait or alien tokens, or sit in the hot zone of a spam page.
"""

from __future__ import annotations

import re

from wenforge.clean import reasons as R
from wenforge.clean.detectors.common import Finding, Line

EXPLICIT_RE = re.compile(
    r"^\s*(?:(?:TOP|Top|top)\s*\d{1,3}\s*(?:热点|热搜|热门|热榜|热闻|推荐|排行)?|"
    r"(?:热榜|热搜|热点|热门|热闻|爆料|今日热点|实时热点)\s*(?:TOP|榜)?\s*\d{1,3}|"
    r"[【\[](?:热门|热点|热搜|热榜|推荐|精选|爆)\s*\d{0,3}[】\]]|NO\.\s*\d{1,3}\s|第\s*\d{1,3}\s*名)"
)
NUMBERED_RE = re.compile(r"^\s*(?:\d{1,2}\s*[.、．)）]|[(（]\d{1,2}[)）]|\[\d{1,2}\]|[①-⑳]|[◆●■▲★☆·•]\s*)")
_HEADLINE_MAX = 90


def detect(lines: list[Line]) -> list[Finding]:
    out = []
    for ln in lines:
        if ln.length > 200:
            continue
        if EXPLICIT_RE.match(ln.text):
            out.append(Finding(ln.start, ln.end, R.HOTLIST, 0.4, ln.index, whole_line=True, detail="explicit"))
        elif ln.length <= _HEADLINE_MAX and NUMBERED_RE.match(ln.text) and not ln.text.rstrip().endswith("。"):
            out.append(Finding(ln.start, ln.end, R.HOTLIST, 0.0, ln.index, whole_line=True, detail="numbered"))
    return out
