"""Keyword stuffing: lines that are lists of search terms or place names instead of sentences.

- spider-pool footers: many place names (…县, …区, …市, …镇) in a row;
- tag clouds: many keyword phrases of 4+ characters separated by spaces, `|`, `、` or `,` with no
  sentence mark. Site navigation (`首页 新闻 体育 财经`) has short 2-3 character entries and is left alone.
"""

from __future__ import annotations

import re

from wenforge.clean.detectors.common import Finding, Line
from wenforge.core import reasons as R

_HAN_ENTRY_RE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]*[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9]*")
_SEP_RE = re.compile(r"[\s|｜,，、/]+")
# county-level names: a spider pool lists counties across the country; an encyclopedia's list of one
# county's towns (…镇, …乡, …街道) is an article's content
_PLACE_RE = re.compile(r"^[\u4e00-\u9fff]{1,6}(?:县|区|市|旗)$")
PLACE_MIN = 6  # a dateline or an address names one or two places, a spider pool dozens
TAG_MIN = 6  # entries in a tag cloud line
TAG_MEAN_CHARS = 5.0  # navigation entries (学院概况, 招生信息) are shorter than this on average
TAG_MAX_CHARS = 14  # a longer entry is a clause of unpunctuated prose, not a search term
PLACE_SHARE = 0.6  # of a line's entries: a spider pool is almost only place names
TAG_SHARE = 0.8  # of a line's entries that hold Chinese: a tag cloud is search terms, not English prose
LINE_MIN_CHARS = 12  # a shorter line is a menu or a heading
PLACES_WEIGHT = 0.5  # county lists from across the country are never an article's content
TAGS_WEIGHT = 0.3  # tag clouds also stand on genuine sites as navigation: weaker
_ASCII_SENTENCE_RE = re.compile(r"[\u4e00-\u9fff”][.;?!](?:\s|$)")  # prose written with ASCII marks


def detect(lines: list[Line]) -> list[Finding]:
    """Whole-line findings for place-name lists and tag-cloud lines."""
    out: list[Finding] = []
    for ln in lines:
        if ln.sentence_like or ln.length < LINE_MIN_CHARS or _ASCII_SENTENCE_RE.search(ln.text):
            continue
        parts = [p for p in _SEP_RE.split(ln.text) if p]
        if len(parts) < TAG_MIN:
            continue
        places = sum(1 for p in parts if _PLACE_RE.match(p))
        han = [p for p in parts if _HAN_ENTRY_RE.fullmatch(p)]  # search terms hold Chinese (not English prose)
        mean = sum(map(len, han)) / len(han) if han else 0.0
        if places >= PLACE_MIN and places >= PLACE_SHARE * len(parts):
            out.append(Finding(ln.start, ln.end, R.KEYWORD_STUFFING, PLACES_WEIGHT, ln.index, whole_line=True,
                               detail="places"))
        elif len(han) >= TAG_MIN and len(han) >= TAG_SHARE * len(parts) and mean >= TAG_MEAN_CHARS and \
                max(map(len, han)) <= TAG_MAX_CHARS:
            out.append(Finding(ln.start, ln.end, R.KEYWORD_STUFFING, TAGS_WEIGHT, ln.index, whole_line=True,
                               detail="tags"))
    return out
