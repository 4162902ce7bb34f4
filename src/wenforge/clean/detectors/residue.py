"""HTML residue: leftover tags (known tag names only) and character entities inside text lines."""

from __future__ import annotations

import re

from wenforge.clean.detectors.common import Finding, Line
from wenforge.core import reasons as R

_TAGS = (
    "a|abbr|b|big|blockquote|body|br|center|code|dd|del|div|dl|dt|em|font|h[1-6]|head|hr|html|i|img|input|ins|"
    "label|li|link|meta|nav|ol|p|pre|s|script|section|small|span|strike|strong|style|sub|sup|table|tbody|td|"
    "th|thead|title|tr|tt|u|ul|article|aside|footer|header|iframe|form|button|select|option|noscript|wbr"
)
TAG_RE = re.compile(rf"</?(?:{_TAGS})(?:\s[^<>]{{0,300}})?/?>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
ENTITY_RE = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
RESIDUE_WEIGHT = 0.05  # leftover markup is a scraper's noise, not injection: removed on every page, no evidence


def detect(lines: list[Line]) -> list[Finding]:
    out: list[Finding] = []
    for ln in lines:
        t = ln.text
        if "<" not in t and "&" not in t:
            continue
        for rx in (TAG_RE, ENTITY_RE):
            for m in rx.finditer(t):
                out.append(Finding(ln.start + m.start(), ln.start + m.end(), R.HTML_RESIDUE, RESIDUE_WEIGHT, ln.index))
    out.sort(key=lambda f: f.start)
    return out
