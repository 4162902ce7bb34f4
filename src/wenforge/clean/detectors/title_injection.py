"""Keyword-injected title lines: one title repeated with alien tokens, site names or bait glued on.

Lines near the top that share a long Chinese core are grouped; a copy decorated with alien Latin/digit
tokens, site suffixes (网/新闻/官网/手机版), separators or a domain is injected. A copy equal to the bare
core is the genuine title and is not flagged.
"""

from __future__ import annotations

import re

from wenforge.clean.detectors.common import Finding, Line, alien_score, is_url
from wenforge.core import reasons as R

_CJK_RUN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff，、：“”《》·]{2,}")
_CJK_BIGRAM_RE = re.compile(r"(?=([\u3400-\u9fff\uf900-\ufaff，、：“”《》·]{2}))")  # the bigrams of those runs
# (号 only as a platform account, 百家号 / 公众号: 信号, 编号 and 口号 end ordinary titles)
_SITE_RE = re.compile(r"(网|新闻|资讯|官网|手机版|头条|快报|首页|门户|在线|热线|视窗|(?:公众|头条|百家|企鹅|大鱼|搜狐|网易|一点|抖音|"
                      r"快手|视频|微信|官方)号)\s*$|(网|新闻|资讯|官网|手机版)[_|\-]"
                      r"|[a-z0-9-]+\.(com|cn|net|cc|top|xyz|org)\b", re.IGNORECASE)
_SEP_RE = re.compile(r"[_|｜]|\s-\s|-\"|\"-|【|】|\[|\]")
_LAYOUT_RE = re.compile(r"[\s_|｜\-【】\[\]()（）→•·:：]+")
_DIGIT_RE = re.compile(r"\d")
_TABLE_ROW_RE = re.compile(r"[|｜]\s*$")
CORE_MIN = 4  # a headline shared by its copies is longer than a word
TOP_LINES = 15  # title copies stand above the article
MAX_LEN = 160  # a longer line is a paragraph, not a title copy
GROUP_MIN_SHARED = 2  # bigrams two lines must share to be copies of one title ...
GROUP_SHARE = 0.6  # ... and this share of the shorter line's bigrams
ALIEN_COPY = 0.5  # alien score of a token that makes a title copy injected
ALIEN_COPY_WEIGHT = 0.55  # a title copy with a random token glued on: a template's keyword slot
DECORATED_WEIGHT = 0.25  # a copy with a site suffix or separators: also how sites print their own titles
DECORATION_CHARS = (2, 12)  # characters of decoration beside the title (fewer: layout; more: a subtitle)
SINGLE_LINES = 5  # a lone decorated title is one of the first lines
SINGLE_MAX_LEN = 80
SINGLE_STRONG = 0.6  # one token this alien decorates a lone title ...
SINGLE_WEAK = 0.4  # ... or two of at least this score,
SINGLE_WEAK_SUM = 0.9  # ... summing to this
SINGLE_WEIGHT = 0.35  # a lone title with alien tokens: no copy to compare with, so weaker than a copy


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
            if inter >= GROUP_MIN_SHARED and inter >= GROUP_SHARE * min(len(grams[a.index]), len(gb)):
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
            decorated = bool(_SITE_RE.search(rest)) or (bool(_SEP_RE.search(rest))
                                                         and DECORATION_CHARS[0] <= len(extra) <= DECORATION_CHARS[1]
                                                         and not _DIGIT_RE.search(extra))  # a table row has figures
            if alien >= ALIEN_COPY:
                w = ALIEN_COPY_WEIGHT
            elif decorated:
                w = DECORATED_WEIGHT
            else:
                continue
            out.append(Finding(ln.start, ln.end, R.TITLE_INJECTION, w, ln.index, whole_line=True,
                               detail=core))
    # a single decorated title with an alien token in the first lines
    for ln in cand[:SINGLE_LINES]:
        if ln.index in used or ln.sentence_like or ln.length > SINGLE_MAX_LEN or ln.n_cjk < 2:
            continue
        scores = _token_scores(ln)
        strong = max(scores, default=0.0) >= SINGLE_STRONG
        if strong or (sum(1 for x in scores if x >= SINGLE_WEAK) >= 2 and sum(scores) >= SINGLE_WEAK_SUM):
            out.append(Finding(ln.start, ln.end, R.TITLE_INJECTION, SINGLE_WEIGHT, ln.index, whole_line=True,
                               detail="single"))
    return out
