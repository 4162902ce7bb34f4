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


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese with OpenCC (t2s)."""
    return _t2s().convert(text)
