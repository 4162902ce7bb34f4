"""Gibberish: random alphanumeric / base64-like strings (whole lines or tokens inside Chinese text), forum
jammer lines, and lines of random Chinese characters."""

from __future__ import annotations

import re
from collections import Counter

from wenforge.clean.detectors.common import Finding, Line, alien_score, is_url
from wenforge.core import reasons as R

LINE_MIN_CHARS = 16  # alien characters a whole gibberish line needs (shorter runs are codes and ids)
LONG_LINE_CHARS = 24  # a run this long of random tokens is no code anyone types
LINE_WEIGHT = 0.6  # a line of random tokens: strong, but a page may print one hash or key
LONG_LINE_WEIGHT = 0.8  # a longer run of random tokens is no hash a page would print
LINE_ALIEN_SHARE = 0.6  # of the line's characters that are alien tokens, for the line to go whole
LINE_MAX_CJK = 2  # a gibberish line has (almost) no Chinese; a sentence with a token keeps its text
TOKEN_STRONG = 0.5  # alien score of the tokens whose characters count toward a gibberish line
JAMMER_MIN_CHARS = 12  # a jammer line is a row of many short groups
JAMMER_MIN_SYMBOLS = 3  # ... with symbols among them (plain words and numbers are not jammers)
HAN_LINE_WEIGHT = 0.6  # a line of random Chinese characters on a modern page: as strong as a token line
JAMMER_WEIGHT = 0.15  # forums add jammer lines to their own posts: removed always, weak evidence of spam
# addresses and markup a page prints, never random tokens: URLs of any scheme (https://, s3://), data URIs of
# inline images, e-mail addresses, HTML comments (<!-- /8962/web_cntv/… -->, their < sometimes mis-decoded) and
# DOIs (10.3969/j.issn.1033-8221.2017.11.025)
_URL_RE = re.compile(r"(?:[a-z][a-z0-9+.-]{1,10}://|www\.|data:[a-z]+/)[^\s\u3000-\u9fff，。]+|[\w.+-]+@[\w-]+\.[\w.]+|"
                     r"!--[^\n]*?--(?:>|$)|(?<![\w.])10\.\d{4,9}/[-._;:()/A-Za-z0-9]+", re.IGNORECASE)  # and DOIs
_URL_HINTS = ("://", "www.", "@", "data:", "!--", "10.")


# anti-copy jammer lines (Discuz and similar forums): short letter/digit/symbol groups, no Chinese
_JAMMER_RE = re.compile(r"^(?:[!-~]{1,3}\s+){4,}[!-~]{1,3}$")
_SYMBOLS_RE = re.compile(r"[!-/:-@\[-`{-~]")


# a quotation, a sentence in dialect or a headline with figures is punctuated or carries digits and Latin;
# a line of random characters has neither
_PROSE_MARK_RE = re.compile(r"[，。、：；「」“”,:;0-9A-Za-z]")
NAME_LIST_SHARE = 0.12  # random characters rarely repeat one this often
HAN_LINE_MIN = 24  # Han characters a line needs before its character pairs say anything (headlines are shorter)
HAN_GIBBERISH_SHARE = 0.3  # known pairs in a line of random characters (dev: 0.27; modern prose 0.8-0.9)
HAN_PAGE_SHARE = 0.6  # the page's other lines must read as modern prose (classical poetry is 0.3 throughout)


def _name_list(text: str) -> bool:
    """A run of names sharing a suffix (翠竹苑金桂苑海棠苑…): one character makes a large share of the line."""
    top = max(Counter(text).values())
    return top >= NAME_LIST_SHARE * len(text)


def han_gibberish(lines: list[Line]) -> list[Finding]:
    """Lines of random Chinese characters: almost none of their character pairs occur in genuine text,
    on a page whose other lines read as ordinary modern prose."""
    from wenforge.clean.detectors.hanzi import stats

    long_lines = [ln for ln in lines if ln.n_cjk >= HAN_LINE_MIN]
    candidates = [ln for ln in long_lines if not _PROSE_MARK_RE.search(ln.text)]
    if not candidates:
        return []
    hz = stats()
    low = [ln for ln in candidates if hz.known_share(ln.text)[0] < HAN_GIBBERISH_SHARE and not _name_list(ln.text)]
    if not low:
        return []
    rest = sorted(sh for ln in long_lines if ln not in low and (sh := hz.known_share(ln.text)[0]) >= HAN_GIBBERISH_SHARE)
    if not rest or rest[len(rest) // 2] < HAN_PAGE_SHARE:
        return []
    return [Finding(ln.start, ln.end, R.GIBBERISH, HAN_LINE_WEIGHT, ln.index, whole_line=True, detail="han")
            for ln in low]


def detect(lines: list[Line]) -> list[Finding]:
    """Whole-line findings (``LINE_WEIGHT``-``LONG_LINE_WEIGHT``) for lines made of alien tokens; inline findings
    (weight = alien score) for alien tokens inside other lines."""
    out: list[Finding] = han_gibberish(lines)
    for ln in lines:
        if ln.n_cjk == 0 and ln.length >= JAMMER_MIN_CHARS and _JAMMER_RE.match(ln.text) and \
                len(_SYMBOLS_RE.findall(ln.text)) >= JAMMER_MIN_SYMBOLS:
            out.append(Finding(ln.start, ln.end, R.GIBBERISH, JAMMER_WEIGHT, ln.index, whole_line=True,
                               detail="jammer"))
            continue
        toks = ln.latin_tokens()
        if not toks:
            continue
        urls = [(ln.start + m.start(), ln.start + m.end()) for m in _URL_RE.finditer(ln.text)] \
            if any(h in ln.text for h in _URL_HINTS) else []
        # score first (cached, and most tokens score 0); then drop URLs, e-mails and tokens inside them
        alien = [(s, e, t, sc) for s, e, t in toks if (sc := alien_score(t)) > 0]
        alien = [a for a in alien if "@" not in a[2] and not is_url(a[2])
                 and not any(u <= a[0] < v for u, v in urls)]
        if not alien:
            continue
        alien_chars = sum(e - s for s, e, _, sc in alien if sc >= TOKEN_STRONG)
        if ln.n_cjk <= LINE_MAX_CJK and alien_chars >= LINE_MIN_CHARS and alien_chars >= LINE_ALIEN_SHARE * ln.length:
            w = LONG_LINE_WEIGHT if alien_chars >= LONG_LINE_CHARS else LINE_WEIGHT
            out.append(Finding(ln.start, ln.end, R.GIBBERISH, w, ln.index, whole_line=True))
            continue
        for s, e, t, sc in alien:
            out.append(Finding(s, e, R.GIBBERISH, sc, ln.index, detail=t))
    return out
