"""The `decode` step: raw page bytes to text, detecting GBK/GB18030/Big5/UTF-8 with charset-normalizer."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from datatrove.data import Document

from wenforge.core import reasons as R
from wenforge.pipeline.steps.base import WenforgeFilter, apply_size_limit

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
# superset codecs: pages labelled gb2312/gbk routinely contain GB18030-only characters
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "ascii": "utf-8", "iso-8859-1": "cp1252"}


@dataclass
class Decoded:
    text: str
    encoding: str
    confidence: float  # 1.0 for a strict decode, charset-normalizer's coherence otherwise
    binary: bool = False


def _canonical(name: str) -> str | None:
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def decode_bytes(raw: bytes, declared: str | None = None) -> Decoded:
    """Decode page bytes: strict UTF-8, then the declared/meta charset, then charset-normalizer; never raises."""
    if raw.startswith(codecs.BOM_UTF8):
        return Decoded(raw[3:].decode("utf-8", "replace"), "utf-8-sig", 1.0)
    head = raw[:4096]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded("", "binary", 0.0, binary=True)
    try:
        return Decoded(raw.decode("utf-8"), "utf-8", 1.0)
    except UnicodeDecodeError:
        pass
    candidates = []
    if declared:
        candidates.append(declared)
    m = _META_CHARSET.search(raw[:4096])
    if m:
        candidates.append(m.group(1).decode("ascii", "ignore"))
    for name in candidates:
        enc = _canonical(name)
        if enc and enc != "utf-8":
            try:
                return Decoded(raw.decode(enc), enc, 1.0)
            except UnicodeDecodeError:
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        return Decoded(raw.decode("utf-8", "replace"), "utf-8-replace", 0.0, binary=_mostly_control(raw))
    enc = _canonical(best.encoding) or best.encoding
    try:
        text = raw.decode(enc)
    except (UnicodeDecodeError, LookupError):
        text = str(best)
    return Decoded(text, enc, round(1.0 - float(best.chaos), 3))


def _mostly_control(raw: bytes) -> bool:
    head = raw[:4096]
    return bool(head) and sum(1 for b in head if b < 9 or 13 < b < 32) / len(head) > 0.1


class Decode(WenforgeFilter):
    """Turns `_raw` bytes (HTML/TXT files, WARC records) into text; text documents pass untouched."""

    name = "🔤 decode"
    step = "decode"

    def __init__(self, exclusion_writer=None, detect: bool = True, max_chars: int = 1_000_000, oversize: str = "truncate"):
        super().__init__(exclusion_writer)
        self.detect = detect
        self.max_chars = max_chars
        self.oversize = oversize

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        raw = doc.metadata.pop("_raw", None)
        declared = doc.metadata.pop("_declared_charset", None)
        if raw is None:
            return True
        if self.detect:
            dec = decode_bytes(raw, declared)
        else:
            dec = Decoded(raw.decode("utf-8", "replace"), "utf-8-replace", 0.0)
        if dec.binary:
            return self.drop(doc, R.BINARY)
        doc.text = dec.text
        doc.metadata["encoding"] = dec.encoding
        if not doc.text.strip():
            return self.drop(doc, R.EMPTY_TEXT)
        reason = apply_size_limit(doc, self.max_chars, self.oversize)
        return self.drop(doc, reason) if reason else True
