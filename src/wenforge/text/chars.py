"""Character-level helpers: CJK detection and the normalisation every corpus text goes through."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,500})?/?>")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_SPACES_RE = re.compile(r"[ \t\u3000\u00a0\u200b\u200c\u200d\ufeff]+")
_BLANK_LINES_RE = re.compile(r"\n\s*\n+")
# CJK punctuation that NFKC would turn into ASCII look-alikes; Chinese text keeps these full-width.
_KEEP_FULLWIDTH = set("，。！？；：（）「」『』《》【】、“”‘’…—～")


def is_cjk(ch: str) -> bool:
    """True for a Han character (CJK unified ideographs and extensions A-F, compatibility)."""
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2EBEF
        or 0xF900 <= cp <= 0xFAFF
    )


def cjk_ratio(text: str) -> float:
    """Share of non-space characters that are Han characters."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    return sum(1 for c in chars if is_cjk(c)) / len(chars)


def _nfkc_keep_cjk_punct(text: str) -> str:
    """NFKC (full-width ASCII to half-width) while keeping Chinese full-width punctuation."""
    if not any(c in _KEEP_FULLWIDTH for c in text):
        return unicodedata.normalize("NFKC", text)
    out, buf = [], []
    for c in text:
        if c in _KEEP_FULLWIDTH:
            if buf:
                out.append(unicodedata.normalize("NFKC", "".join(buf)))
                buf = []
            out.append(c)
        else:
            buf.append(c)
    if buf:
        out.append(unicodedata.normalize("NFKC", "".join(buf)))
    return "".join(out)


def normalize_text(text: str, *, nfkc: bool = True, strip_tags: bool = True, simplified: bool = False) -> str:
    """Unescape HTML entities, drop leftover tags, NFKC full-width ASCII, collapse whitespace.

    Paragraph breaks (blank lines) are kept as a single blank line; line breaks are kept.
    """
    if strip_tags:
        text = _COMMENT_RE.sub("", text)
        text = _TAG_RE.sub("", text)
    # twice: pages often double-escape (&amp;nbsp;)
    text = html.unescape(html.unescape(text)) if "&" in text else text
    if nfkc:
        text = _nfkc_keep_cjk_punct(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES_RE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES_RE.sub("\n\n", text).strip()
    if simplified:
        text = to_simplified(text)
    return text


@lru_cache(maxsize=8)
def opencc_converter(config: str):
    """One cached OpenCC converter per configuration (t2s, s2t, s2hk, ...): building one reads its dictionaries."""
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese with OpenCC (t2s)."""
    return opencc_converter("t2s").convert(text)


def _one_to_one(c: str) -> str:
    t = opencc_converter("s2t").convert(c)
    return t if len(t) == 1 else c


def to_traditional(text: str) -> str:
    """Simplified to traditional (OpenCC s2t), one character for one, so that ``to_simplified`` undoes it
    (up to the traditional or variant characters the original already had, which t2s simplifies too)."""
    trad = opencc_converter("s2t").convert(text)
    if len(trad) != len(text):  # a phrase converted to a different length: convert character by character
        trad = "".join(_one_to_one(c) for c in text)
    back = to_simplified(trad)
    # where t2s would not give the original back, keep the original character and its neighbours (a phrase
    # like 傢俱 is undone as a whole)
    keep = {j for i, (b, s) in enumerate(zip(back, text, strict=True)) if b != s for j in (i - 1, i, i + 1)}
    return "".join(s if i in keep else t for i, (t, s) in enumerate(zip(trad, text, strict=True)))


# Full-width marks that web pages print as ASCII (the inverse of canonical_punctuation's table, full stop aside).
ASCII_FULL_STOP_SHARE = 0.3  # pages with ASCII commas print the full stop as "." too, about a third of the time
_FULL_TO_ASCII = str.maketrans({"，": ",", "？": "?", "：": ":", "！": "!", "；": ";", "（": "(", "）": ")"})


def ascii_punctuation(text: str, *, full_stop: bool = False) -> str:
    """Full-width commas, question marks, colons, ... as ASCII, the way many scraped pages print them (the
    full stop 。 as ``.`` too when `full_stop`)."""
    text = text.translate(_FULL_TO_ASCII)
    return text.replace("。", ".") if full_stop else text


# ASCII marks that Chinese writers (and scrapers) use in place of the full-width ones; mapped back only
# next to a Han character, so decimals, URLs and English text keep theirs.
_ASCII_TO_FULL = {",": "，", "?": "？", "!": "！", ";": "；", ":": "：", "(": "（", ")": "）"}
_ASCII_PUNCT_RE = re.compile(r"[,?!;:()]|\.(?![0-9A-Za-z])|\"|'")


def _han_near(text: str | list[str], i: int) -> bool:
    """Whether a Han character (or Chinese punctuation) is the nearest non-space character on either side of i."""
    def chinese(c: str) -> bool:
        return is_cjk(c) or c in _KEEP_FULLWIDTH

    for step in (-1, 1):
        j = i + step
        if 0 <= j < len(text) and text[j] == " ":
            j += step
        if 0 <= j < len(text) and chinese(text[j]):
            return True
    return False


def canonical_punctuation(text: str) -> str:
    """ASCII punctuation beside Han characters turned full-width, one character for one (offsets unchanged).

    Real Chinese pages and model outputs alike often carry `,` `?` `:` where the writer meant `，` `？` `：`;
    scores should not move with that choice. Straight quotes alternate open/close per line.
    """
    if not _ASCII_PUNCT_RE.search(text):
        return text
    out = list(text)
    open_double = open_single = False
    for m in _ASCII_PUNCT_RE.finditer(text):
        i, c = m.start(), m.group()
        if not _han_near(out, i):
            continue
        if c == ".":
            if text[i - 1 : i] == "." or text[i + 1 : i + 2] == ".":
                continue  # an ASCII ellipsis stays as written
            out[i] = "。"
        elif c == '"':
            out[i] = "”" if open_double else "“"
            open_double = not open_double
        elif c == "'":
            out[i] = "’" if open_single else "‘"
            open_single = not open_single
        else:
            out[i] = _ASCII_TO_FULL[c]
    return "".join(out)


def canonical_surface(text: str) -> str:
    """The surface-independent form scorers read: full-width punctuation, simplified characters, same length.

    Where OpenCC's phrase conversion would change the length, the punctuation-only form is returned so
    evidence offsets still point into the text as given.
    """
    punct = canonical_punctuation(text)
    simp = to_simplified(punct)
    return simp if len(simp) == len(text) else punct
