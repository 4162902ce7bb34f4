"""What every detector shares: lines with offsets, findings, and cheap per-line features."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_TERMINAL_RE = re.compile(r"[。！？!?…”」』]\s*$|[。！？；]")
_LATIN_TOKEN_RE = re.compile(r"[A-Za-z0-9+/=_]+(?:[-.][A-Za-z0-9+/=_]+)*")
_HAS_LATIN_RE = re.compile(r"[A-Za-z0-9+/=_]")
_span = re.Match.span
TOKEN_MIN_CHARS = 5  # Latin/digit tokens shorter than this are never alien


class Line:
    """A non-blank line of the page; ``start``/``end`` index the page text (stripped of edge spaces)."""

    __slots__ = ("_tokens", "end", "index", "length", "n_cjk", "sentence_like", "start", "text")

    def __init__(self, index: int, start: int, end: int, text: str, n_cjk: int = 0, sentence_like: bool = False):
        self.index = index
        self.start = start
        self.end = end
        self.text = text
        self.n_cjk = n_cjk
        self.sentence_like = sentence_like  # has sentence punctuation (。！？；)
        self.length = end - start
        self._tokens: list[tuple[int, int, str]] | None = None

    def __repr__(self) -> str:
        return f"Line({self.index}, {self.start}, {self.end}, {self.text[:30]!r})"

    def latin_tokens(self) -> list[tuple[int, int, str]]:
        """(start, end, token) of the Latin/digit runs of at least ``TOKEN_MIN_CHARS`` characters (shorter
        ones never look injected: ``alien_score`` is 0), offsets in page coordinates."""
        if self._tokens is None:
            st = self.start
            t = self.text
            self._tokens = [(st + a, st + b, t[a:b]) for a, b in map(_span, _LATIN_TOKEN_RE.finditer(t))
                            if b - a >= TOKEN_MIN_CHARS] if _HAS_LATIN_RE.search(t) else []
        return self._tokens


@dataclass(slots=True)
class Finding:
    """Evidence: a span of the page, its reason code, a strength in [0, 1] and whether it covers the line."""

    start: int
    end: int
    reason: str
    weight: float
    line: int | None = None  # index of the line it belongs to
    whole_line: bool = False
    detail: str = ""


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with page offsets."""
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        s = raw.strip()
        if s:
            start = pos + (len(raw) - len(raw.lstrip()))
            n_cjk = sum(map(len, _CJK_RUN_RE.findall(s)))
            out.append(Line(len(out), start, start + len(s), s, n_cjk, _TERMINAL_RE.search(s) is not None))
        pos += len(raw) + 1
    return out


def cjk_count(s: str) -> int:
    return sum(map(len, _CJK_RUN_RE.findall(s)))


def _classes(tok: str) -> tuple[int, int, int, int, int]:
    up = lo = dg = sy = trans = 0
    prev = -1
    for c in tok:
        if "A" <= c <= "Z":
            k = 0
            up += 1
        elif "a" <= c <= "z":
            k = 1
            lo += 1
        elif "0" <= c <= "9":
            k = 2
            dg += 1
        else:
            k = 3
            sy += 1
        if prev >= 0 and k != prev:
            trans += 1
        prev = k
    return up, lo, dg, sy, trans


_VOWELS = set("aeiouAEIOU")
_WORD_RE = re.compile(r"^[A-Za-z][a-z]*[A-Z]?[a-z]*$|^[A-Z]{2,5}$")
_UNIT_RE = re.compile(r"^\d+(?:\.\d+)?[A-Za-zμ]{1,4}\d?(?:/\d*(?:\.\d+)?[A-Za-zμ]{1,4}\d?)+$")
_ID_RE = re.compile(r"^[A-Za-z]{2,12}[-_]\d{4,}(?:\.[a-z]{2,5})?$|^[A-Za-z0-9_-]{1,40}\.(?:jpe?g|png|gif|webp|bmp|pdf|s?html?|"
                    r"docx?|xlsx?)$", re.IGNORECASE)  # photo-2024…, page_12345.html, 17000000001.jpg
_JOINER_RE = re.compile(r"[-+/]")
_NUMBERING_RE = re.compile(r"^\d{1,2}\.(?=[A-Za-z])")
_CONSONANT_RUN_RE = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")
KEYBOARD_MASH_CHARS = 12
# initials and names joined by dots or hyphens: Th.Lipps, J.S.Bach, Jean-Paul, U.S.A
_NAME_PARTS_RE = re.compile(r"^(?:\d{1,2}\.)?(?:[A-Z][a-z]{0,12}(?:[A-Z][a-z]{1,12})?|[A-Z]{1,4})"
                            r"(?:[.-](?:[A-Z][a-z]{0,12}(?:[A-Z][a-z]{1,12})?|[A-Z]{1,4}))+\.?$")
# product names: iPhone15Pro, Mate60Pro, Galaxy24Ultra
_PRODUCT_RE = re.compile(r"^[a-z]?[A-Z][a-z]+\d{1,3}(?:Pro|Max|Plus|Ultra|Mini|Air|SE|[A-Z][a-z]+)?$")
# legitimate letter+digit tokens: models, standards, units, versions (PM2.5, COVID-19, MH370, iPhone15, 5G)
_LEGIT_RE = re.compile(
    r"^(?:[A-Za-z]{1,6}-?\d{1,4}(?:\.\d+)?[A-Za-z]{0,3}|\d{1,4}[A-Za-z]{1,3}|[A-Z]?[a-z]+\d{1,2}(?:Pro|Max|Plus)?"
    r"|(?:19|20)\d\d(?:-\d\d){0,2}|v?\d+(?:\.\d+){1,3}|[A-Z]{2,6}|[A-Za-z][a-z]+|[a-z]?[A-Z][a-z]+[A-Z]*[a-z]*\d{0,2}|\d+"
    r"|\d+(?:\.\d+)?[A-Za-z]{1,5})$"
)


@lru_cache(maxsize=1 << 16)
def alien_score(tok: str) -> float:
    """How much a Latin/digit token looks injected (random, base64, hex, SEO id): 0 = ordinary, 1 = sure."""
    n = len(tok)
    if n < TOKEN_MIN_CHARS:
        return 0.0
    core = tok.strip("=")
    if _UNIT_RE.match(core) or _ID_RE.match(core):
        return 0.0  # 1500.5kg/667m2: a measurement; photo-20240101120000: a file or record id
    if _JOINER_RE.search(core.strip("+-/")):
        parts = [p for p in _JOINER_RE.split(_NUMBERING_RE.sub("", core)) if p]
        if len(parts) >= 2 and all(alien_score(p) == 0.0 for p in parts):
            return 0.0  # K100-K120, debian12+win11: ordinary parts joined
    if "/" in core and all(_WORD_RE.match(part) for part in core.split("/")):
        return 0.0  # iPhone/iPad/Android: words joined by slashes
    if n >= KEYBOARD_MASH_CHARS and core.isalpha() and _CONSONANT_RUN_RE.search(core.lower()):
        return 0.8  # sdkjfhwqpzxcvbnm: a keyboard mash (pinyin and English words have no 5-consonant runs)
    up, lo, dg, sy, trans = _classes(core)
    if (trans <= 3 and _LEGIT_RE.match(tok)) or _PRODUCT_RE.match(tok) or _NAME_PARTS_RE.match(tok):
        return 0.0
    letters = up + lo
    if letters == 0:  # digits and symbols only: phone numbers, ids
        return 0.3 if n >= 9 and sy and "+" in tok else 0.0
    s = 0.0
    if letters and dg:
        s += 0.35 + min(0.4, 0.07 * trans)
        if n >= 10:
            s += 0.15
    elif trans >= 3:  # mixed case without digits: kGTkSx
        s += 0.2 + min(0.5, 0.08 * trans)
    elif lo >= 9 and not up:  # long lowercase run: pinyin domains, or English words glued (weak)
        vowels = sum(1 for c in core if c in _VOWELS)
        s += 0.45 if vowels / n < 0.2 else 0.15
    if sy and ("+" in core or "/" in core or "_" in core):
        s += 0.2
    if tok.endswith("="):
        s += 0.2
    if n >= 16:
        s += 0.15
    return min(1.0, s)


_URL_SUFFIX_RE = re.compile(r"\.(com|cn|net|org|gov|edu|html?)\b")


def is_url(tok: str) -> bool:
    return tok.lower().startswith(("http", "www.")) or ("." in tok and _URL_SUFFIX_RE.search(tok) is not None)
