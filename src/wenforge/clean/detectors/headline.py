"""Headline injection without brands: what an SEO template glues onto a genuine headline.

- a keyword prefix: a short chunk before a space made of words the headline itself uses, but not as a
  phrase it contains (`南湖区李明华 南湖区委常委、宣传部部长李明华调研…`: the search keyword place + name);
- a foreign headline in parentheses after the real one, sharing nothing with it or the article
  (`…公交线路优化方案公布(突发!某银行行长被查!)`);
- words glued around the source's title that the page itself quotes (`原标题:…`);
- a lure spliced into the headline, even mid-word (`南州体育园主场新澳开奖结果查询表馆举行…`): the
  article below retells its headline, so a run of the headline that shares no character pair with the
  article, and names a grey trade, was put there.
"""

from __future__ import annotations

import itertools
import re

from wenforge.clean.detectors.common import Finding, Line
from wenforge.clean.detectors.hanzi import han_pairs
from wenforge.core import reasons as R

HEADLINE_LINES = 3  # the headline is one of the first lines
# lures spliced into headlines: lottery and gambling terms (the wider grey list holds words like 体育 and
# 娱乐 that headlines use of themselves)
LURE_RE = re.compile(r"开奖|特马|一肖|一码|资料大全|六合|彩票|澳彩|博彩|百家乐|真人|棋牌|赌场|赌博|网赌|娱乐城|官网|注册|配资|"
                     r"约炮|成人")
RETOLD_SHARE = 0.35  # of the headline's characters the article's pairs cover when it retells the headline
SPLICE_MIN = 5  # characters of a spliced run (one word of a headline may be missing from its article)
ARTICLE_CHARS = 2000  # the article's opening retells the headline
ARTICLE_MIN = 100
ARTICLE_LINES = 40
PREFIX_WEIGHT = 0.5  # a keyword prefix built from the headline's own words: a search template's slot
FOREIGN_WEIGHT = 0.5  # an exclaimed headline in parentheses sharing nothing with the page
FOREIGN_SHARE = 0.1  # of its character pairs the page may share (a word or two by chance)
SPLICED_WEIGHT = 0.6  # a lottery or gambling run spliced into the headline: no genuine headline has one
ORIGINAL_TITLE_WEIGHT = 0.55  # text glued around the title the page itself quotes as the original
ORIGINAL_MIN_CHARS = 6  # a shorter 原标题 is a fragment, not a title to compare with
ORIGINAL_LINES = 12  # the 原标题 note stands near the top
_PREFIX_RE = re.compile(r"^([\u4e00-\u9fff]{4,12})[ \u3000]+(?=[\u4e00-\u9fff])")
_PAREN_TAIL_RE = re.compile(r"[(（]([^()（）]{12,60})[)）]\s*$")
_EXCLAIM_RE = re.compile(r"[!！]")
_ORIGINAL_RE = re.compile(r"原标题[:：]\s*(.+?)[)）]?\s*$")
_LAYOUT_TAIL_RE = re.compile(r"[\s_|｜\-—]*(?:[\u4e00-\u9fff]{0,6}(?:网|报|台|社|新闻))?[)）]?")
_ANY_PAIR_RE = re.compile(r"(?=(..))", re.DOTALL)


def _keyword_prefix(ln: Line) -> Finding | None:
    m = _PREFIX_RE.match(ln.text)
    if not m:
        return None
    chunk, rest = m.group(1), ln.text[m.end() :]
    if chunk in rest or len(rest) < 8:
        return None  # the headline repeats itself, or there is no headline after it
    # every piece of the chunk is a word of the headline: split it where its pairs stop occurring there
    pieces, cur = [], chunk[0]
    for a, b in itertools.pairwise(chunk):
        if a + b in rest:
            cur += b
        else:
            pieces.append(cur)
            cur = b
    pieces.append(cur)
    if len(pieces) >= 2 and all(len(p) >= 2 and p in rest for p in pieces):
        return Finding(ln.start, ln.start + m.end(), R.TITLE_INJECTION, PREFIX_WEIGHT, ln.index,
                       detail="keyword_prefix")
    return None


def _foreign_parenthesis(ln: Line, body: str) -> Finding | None:
    m = _PAREN_TAIL_RE.search(ln.text)
    if not m or not _EXCLAIM_RE.search(m.group(1)):
        return None
    inner = set(han_pairs(m.group(1)))
    outside = body.replace(m.group(0), "", 1)
    if inner and sum(p in outside for p in inner) <= FOREIGN_SHARE * len(inner):
        return Finding(ln.start + m.start(), ln.start + m.end(), R.TITLE_INJECTION, FOREIGN_WEIGHT, ln.index,
                       detail="foreign_parenthesis")
    return None


def _spliced(ln: Line, article: str) -> list[Finding]:
    """Runs of the headline whose character pairs the article never uses and that name a grey trade."""
    t = ln.text
    known = set(_ANY_PAIR_RE.findall(article))
    covered = [False] * len(t)
    for i in range(len(t) - 1):
        if t[i : i + 2] in known:
            covered[i] = covered[i + 1] = True
    if sum(covered) < RETOLD_SHARE * len(t):
        return []  # the text below does not retell this headline (a digest, a list): nothing to compare
    out, start = [], None
    for i, c in enumerate([*covered, True]):
        if not c and start is None:
            start = i
        elif c and start is not None:
            run = t[start:i].strip()
            if i - start >= SPLICE_MIN and LURE_RE.search(run):
                out.append(Finding(ln.start + start, ln.start + i, R.BAIT, SPLICED_WEIGHT, ln.index,
                                       detail="spliced"))
            start = None
    return out


def _against_original_title(lines: list[Line]) -> list[Finding]:
    """A page that quotes its source's title (原标题:X) shows what was glued to its headline: the headline's
    text around X (`某某漫画12期音乐学院师生赴古城交流_某某网` over `原标题:音乐学院师生赴古城交流_某某网`)."""
    original = next((m.group(1).strip() for ln in lines[:ORIGINAL_LINES] if (m := _ORIGINAL_RE.search(ln.text))), "")
    if len(original) < ORIGINAL_MIN_CHARS:
        return []
    out = []
    for ln in lines[:HEADLINE_LINES]:
        i = ln.text.find(original)
        if i > 0 and "原标题" not in ln.text[:i]:
            out.append(Finding(ln.start, ln.start + i, R.TITLE_INJECTION, ORIGINAL_TITLE_WEIGHT, ln.index,
                               detail="original_title"))
        elif i == 0 and len(ln.text) - len(original) >= 2 and not _LAYOUT_TAIL_RE.fullmatch(ln.text[len(original):]):
            out.append(Finding(ln.start + len(original), ln.end, R.TITLE_INJECTION, ORIGINAL_TITLE_WEIGHT, ln.index,
                               detail="original_title"))
    return out


def detect(lines: list[Line]) -> list[Finding]:
    """Inline findings on the headline lines."""
    body = "\n".join(ln.text for ln in lines)
    out = _against_original_title(lines) if "原标题" in body else []
    for k, ln in enumerate(lines[:HEADLINE_LINES]):
        if ln.sentence_like and ln.length > 60:
            continue
        out += [f for f in (_keyword_prefix(ln), _foreign_parenthesis(ln, body)) if f]
        if not ln.sentence_like and LURE_RE.search(ln.text):
            article = "\n".join(x.text for x in lines[k + 1 : k + 1 + ARTICLE_LINES])[:ARTICLE_CHARS]
            if len(article) >= ARTICLE_MIN:
                out += _spliced(ln, article)
    return out
