"""The surface-independent token stream decontamination compares: folded characters, hashed tokens, hashed n-grams.

What: every character is mapped once, by a table, to its folded form (NFKC full-width to half-width, lower case,
traditional to simplified one character for one) or dropped (punctuation, whitespace, symbols, controls). A Han,
kana, hangul or bopomofo character is one token; a run of other letters, digits and marks is one word token, so
Chinese is compared in character n-grams and English in word n-grams within one stream. `tokens(text)` returns
the 64-bit hash of each token with its start and end in the ORIGINAL text; `ngram_hashes` combines `n` of them.

Why: a benchmark question copied into a page keeps its characters but rarely its punctuation, spacing, width or
script; folding one code point to one code point keeps every token's offsets in the text as given, and numpy
arrays keep the whole pass at tens of MB/s (a Python loop per character would be ten times slower).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from wenforge.text.chars import opencc_converter

# character classes: dropped, a token by itself, part of a word of letters (and marks), part of a number
DROP, SINGLE, WORD, DIGIT = 0, 1, 2, 3
BMP = 0x10000
# Supplementary-plane Han (extensions B-H) is a token by itself; other supplementary characters (emoji, ...) drop.
SUPPLEMENTARY_HAN = (0x20000, 0x323B0)
FOLD_VERSION = 2  # raise when the table or the hashing changes: saved indexes of another version are refused
# Positions within one word that get their own weight; longer words reuse the last (still a sound hash).
MAX_WORD_WEIGHTS = 4096
_M64 = (1 << 64) - 1
_BASE = 0x9E3779B97F4A7C15  # odd, so its powers never vanish modulo 2^64


def _single_class(cp: int) -> bool:
    """Scripts written without spaces, one syllable or morpheme per character: Han, kana, hangul, bopomofo."""
    return (
        0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF
        or 0x3040 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF
        or 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F
        or 0x3100 <= cp <= 0x312F or 0x3005 <= cp <= 0x3007
    )


def _fold_char(ch: str) -> str:
    """NFKC and lower case, each kept only when it gives one character (offsets stay one for one)."""
    if 0xD800 <= ord(ch) <= 0xDFFF:
        return ch
    f = unicodedata.normalize("NFKC", ch)
    if len(f) != 1:
        f = ch
    low = f.lower()
    return low if len(low) == 1 else f


@lru_cache(maxsize=1)
def fold_table() -> tuple[np.ndarray, np.ndarray]:
    """(folded code point, class) for every BMP code point: built once per process (a fraction of a second)."""
    folded = [_fold_char(chr(cp)) for cp in range(BMP)]
    han = [cp for cp in range(BMP) if _single_class(ord(folded[cp]))]
    converted = opencc_converter("t2s").convert("\n".join(folded[cp] for cp in han)).split("\n")
    if len(converted) == len(han):
        for cp, s in zip(han, converted, strict=True):
            if len(s) == 1:
                folded[cp] = s
    codes = np.fromiter((ord(c) for c in folded), dtype=np.uint32, count=BMP)
    classes = np.zeros(BMP, dtype=np.uint8)
    for cp in range(BMP):
        c = folded[cp]
        if _single_class(ord(c)):
            classes[cp] = SINGLE
        elif unicodedata.category(c)[0] in "LM":
            classes[cp] = WORD
        elif unicodedata.category(c)[0] == "N":
            classes[cp] = DIGIT
    return codes, classes


@lru_cache(maxsize=1)
def _mixed_table() -> np.ndarray:
    """The 64-bit hash of every BMP code point's folded form (one gather per character instead of a hash)."""
    codes, _ = fold_table()
    return _mix(codes.astype(np.uint64) + np.uint64(1))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, elementwise: spreads every input bit over the 64 output bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@lru_cache(maxsize=1)
def _weights() -> np.ndarray:
    """_BASE^i modulo 2^64 for i < MAX_WORD_WEIGHTS (the position weights inside a word)."""
    out, w = [], 1
    for _ in range(MAX_WORD_WEIGHTS):
        out.append(w)
        w = (w * _BASE) & _M64
    return np.array(out, dtype=np.uint64)


@dataclass(frozen=True)
class Tokens:
    """Hashed tokens of one text: `hashes[i]` spans text[`starts[i]`:`ends[i]`] of the original text."""

    hashes: np.ndarray  # uint64
    starts: np.ndarray  # int64, code point offsets into the original text
    ends: np.ndarray


_EMPTY = Tokens(np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0, np.int64))


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def tokens(text: str) -> Tokens:
    """The folded, hashed tokens of `text`, each with its span in `text` (code point offsets, as Python indexes)."""
    if not text:
        return _EMPTY
    cps = _code_points(text)
    _, classes = fold_table()
    if int(cps.max()) < BMP:
        cls, mixed = classes[cps], _mixed_table()[cps]
    else:
        bmp = cps < BMP
        low = np.where(bmp, cps, 0)
        han = (cps >= SUPPLEMENTARY_HAN[0]) & (cps < SUPPLEMENTARY_HAN[1])
        cls = np.where(bmp, classes[low], np.where(han, SINGLE, DROP)).astype(np.uint8)
        mixed = np.where(bmp, _mixed_table()[low], _mix(cps.astype(np.uint64) + np.uint64(1)))
    kept = np.flatnonzero(cls)
    if kept.size == 0:
        return _EMPTY
    kcls = cls[kept]
    # a word continues only over adjacent characters of the same class in the original text: a dropped space
    # ends it, and letters and digits part ("x2" is x, 2, as "x 2" and "x^2" are)
    cont = np.zeros(kept.size, dtype=bool)
    cont[1:] = (kcls[1:] >= WORD) & (kcls[1:] == kcls[:-1]) & (np.diff(kept) == 1)
    km = mixed[kept]
    if not cont.any():  # every token is one character (Chinese without Latin words): its table hash
        pos = kept.astype(np.int64)
        return Tokens(km, pos, pos + 1)
    starts = np.flatnonzero(~cont)
    lengths = np.diff(np.append(starts, kept.size))
    pos_in_token = np.arange(kept.size) - np.repeat(starts, lengths)
    weights = _weights()[np.minimum(pos_in_token, MAX_WORD_WEIGHTS - 1)]
    hashes = np.add.reduceat(km * weights, starts)
    longer = lengths > 1  # a word of several characters is mixed, so "ba" never equals the two tokens "b", "a"
    hashes[longer] = _mix(hashes[longer])
    last = starts + lengths - 1
    return Tokens(hashes, kept[starts].astype(np.int64), kept[last].astype(np.int64) + 1)


_POWERS: list[np.ndarray] = []  # [_BASE^i, _BASE^-i] for i below their length, grown by doubling


def _powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """(_BASE^i, _BASE^-i) modulo 2^64 for i < at least `size`: a prefix sum then gives any window's hash."""
    if not _POWERS or _POWERS[0].size < size:
        size = 1 << max(12, (size - 1).bit_length())
        base = np.full(size, _BASE, dtype=np.uint64)
        inv = np.full(size, pow(_BASE, -1, 1 << 64), dtype=np.uint64)
        base[0] = inv[0] = 1
        _POWERS[:] = [np.cumprod(base), np.cumprod(inv)]
    return _POWERS[0], _POWERS[1]


def ngram_hashes(hashes: np.ndarray, n: int) -> np.ndarray:
    """One 64-bit hash per run of `n` consecutive tokens (empty when there are fewer than `n`).

    The window k..k+n-1 hashes as sum(T[k+t] * B^(n-1-t)) = B^(k+n-1) * (P[k+n] - P[k]) with P the prefix sums of
    T[j] * B^-j (B odd, so invertible modulo 2^64): five array operations whatever n is. Token hashes are
    uniform 64-bit values, so their combination with odd weights is too (no final mix needed)."""
    m = hashes.size - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    pw, inv = _powers(hashes.size)
    prefix = np.zeros(hashes.size + 1, dtype=np.uint64)
    np.cumsum(hashes * inv[: hashes.size], out=prefix[1:])
    return (prefix[n:] - prefix[:m]) * pw[n - 1 : n - 1 + m]


def folded_text(text: str) -> str:
    """`text` as the index sees it, tokens joined by spaces: for explaining a match and for tests."""
    t = tokens(text)
    table, _ = fold_table()
    out = []
    for s, e in zip(t.starts.tolist(), t.ends.tolist(), strict=True):
        out.append("".join(chr(table[ord(c)]) if ord(c) < BMP else c for c in text[s:e]))
    return " ".join(out)
