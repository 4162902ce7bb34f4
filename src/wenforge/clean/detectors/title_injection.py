"""Keyword-injected title lines: one title repeated with alien tokens, site names or bait glued on.

Lines near the top that share a long Chinese core are grouped; a copy decorated with alien Latin/digit
tokens, site suffixes (网/新闻/官网/手机版), separators or a domain is injected. A copy equal to the bare
core is the genuine title and is not flagged.
"""

from __future__ import annotations

import re

from wenforge.clean import reasons as R
from wenforge.clean.detectors.common import Finding, Line, alien_score, is_url

_CJK_RUN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff，、：“”《》·]{2,}")
_CJK_BIGRAM_RE = re.compile(r"(?=([\u3400-\u9fff\uf900-\ufaff，、：“”《》·]{2}))")  # the bigrams of those runs
_SITE_RE = re.compile(r"(网|新闻|资讯|官网|手机版|头条|快报|首页|门户|在线|热线|视窗|号)\s*$|(网|新闻|资讯|官网|手机版)[_|\-]"
                      r"|[a-z0-9-]+\.(com|cn|net|cc|top|xyz|org)\b", re.IGNORECASE)
_SEP_RE = re.compile(r"[_|｜]|\s-\s|-\"|\"-|【|】|\[|\]")
_LAYOUT_RE = re.compile(r"[\s_|｜\-【】\[\]()（）→•·:：]+")
_DIGIT_RE = re.compile(r"\d")
_TABLE_ROW_RE = re.compile(r"[|｜]\s*$")
CORE_MIN = 4  # a headline shared by its copies is longer than a word
TOP_LINES = 15
MAX_LEN = 160


def _grams(s: str) -> set[str]:
    """Bigrams inside Chinese runs (overlapping, found by the regex engine)."""
    return set(_CJK_BIGRAM_RE.findall(s))


def _core(lines: list[Line]) -> str:
    """The longest Chinese run common to the group's lines (the repeated title)."""
    runs = sorted(set(_CJK_RUN_RE.findall(lines[0].text)), key=len, reverse=True)
    for r in runs:
        if all(r in ln.text for ln in lines[1:]):
            return r
    return ""


def _token_scores(ln: Line) -> list[float]:
    """Alien scores of the line's Latin tokens; on a line with a full address (http…, www.…) the hosts are the
    site's own header, not alien (a bare domain glued on, _hk6688.com, still is)."""
    address = "http" in ln.text or "www." in ln.text
    return [alien_score(t) for _, _, t in ln.latin_tokens() if not (address and is_url(t.lstrip("/")))]


def detect(lines: list[Line]) -> list[Finding]:
    # (rows of a table, `国家 | 中华人民共和国 |`, are not title copies)
    cand = [ln for ln in lines[:TOP_LINES] if ln.length <= MAX_LEN and not _TABLE_ROW_RE.search(ln.text)]
    out: list[Finding] = []
    grams = {ln.index: _grams(ln.text) for ln in cand}
    used: set[int] = set()
    for i, a in enumerate(cand):
        if a.index in used or not grams[a.index]:
            continue
        group = [a]
        for b in cand[i + 1 :]:
            gb = grams[b.index]
            if b.index in used or not gb:
                continue
            inter = len(grams[a.index] & gb)
            if inter >= 2 and inter >= 0.6 * min(len(grams[a.index]), len(gb)):
                group.append(b)
        if len(group) < 2 or len({ln.text for ln in group}) == 1:
            continue  # one line, or a layout line repeated as it is (打开客户端 查看更多图片)
        core = _core(group)
        if 0 < len(core) < CORE_MIN:
            continue  # rows of a table sharing a word (某县 | … / • 县 | …), not copies of a headline
        for ln in group:
            used.add(ln.index)
            rest = ln.text.replace(core, " ", 1) if core else ln.text
            if core and ln.text.strip("《》“”\"' ") == core:
                continue  # the bare genuine title
            alien = max(_token_scores(ln), default=0.0)
            # separators with nothing else beside the title are layout (某某县 | |), not decoration
            extra = _LAYOUT_RE.sub("", rest)
            decorated = bool(_SITE_RE.search(rest)) or (bool(_SEP_RE.search(rest)) and 2 <= len(extra) <= 12
                                                         and not _DIGIT_RE.search(extra))  # a table row has figures
            if alien >= 0.5:
                w = 0.55
            elif decorated:
                w = 0.25
            else:
                continue
            out.append(Finding(ln.start, ln.end, R.TITLE_INJECTION, w, ln.index, whole_line=True,
                               detail=core))
    # a single decorated title with an alien token in the first lines
    for ln in cand[:5]:
        if ln.index in used or ln.sentence_like or ln.length > 80 or ln.n_cjk < 2:
            continue
        scores = _token_scores(ln)
        strong = max(scores, default=0.0) >= 0.6
        if strong or (sum(1 for x in scores if x >= 0.4) >= 2 and sum(scores) >= 0.9):
            out.append(Finding(ln.start, ln.end, R.TITLE_INJECTION, 0.35, ln.index, whole_line=True,
                               detail="single"))
    return out
