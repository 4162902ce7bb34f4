"""Replacing found personal data: a typed placeholder (<PHONE>) or a salted short hash (<PHONE:3f9a...>).

Why the hash: curators who must keep "the same person appears twice" (dedup, conversation threads) can, without
keeping the number. The hash is keyed with a salt the user supplies (a config key or an argument, never
logged): an unsalted hash of an 11-digit phone number is reversed by trying all of them.
"""

from __future__ import annotations

import hashlib
import re

from wenforge.pii.detect import PHONE, PII_TYPES, Span, find_pii

MODES = ("placeholder", "hash")
PLACEHOLDERS: dict[str, str] = {t: f"<{t.upper()}>" for t in PII_TYPES}
# 10 hex digits = 40 bits: collisions among a corpus's distinct values stay rare (about 1 in 10^12 per pair)
# while the token stays short in training text.
HASH_HEX_CHARS = 10
_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_SEPARATORS = str.maketrans("", "", " -()（）·•")


# Where hash mode's salt is read from when no argument or config key gives one (an environment variable keeps it
# out of shell history, process lists and config files that get committed).
SALT_ENV = "WENFORGE_PII_SALT"


class Salt:
    """A salt that prints as *** (datatrove writes every step's attributes to executor.json; logs print repr)."""

    def __init__(self, value: str | bytes):
        self._value = value

    def reveal(self) -> str | bytes:
        return self._value

    def __repr__(self) -> str:
        return "Salt(***)"

    __str__ = __repr__


def resolve_salt(salt: str | bytes | None) -> str | bytes | None:
    """The salt given, else the one in $WENFORGE_PII_SALT, else None."""
    import os

    return salt or os.environ.get(SALT_ENV) or None


class PIIError(ValueError):
    """A redaction request that cannot be honoured (unknown mode or type, hash mode without a salt)."""


def check_types(types: list[str] | tuple[str, ...] | set[str] | None) -> frozenset[str]:
    """The PII types to redact (all when None); PIIError naming an unknown one and the known ones."""
    if types is None:
        return frozenset(PII_TYPES)
    unknown = sorted(set(types) - set(PII_TYPES))
    if unknown:
        raise PIIError(f"unknown PII type {', '.join(map(repr, unknown))}; known: {', '.join(PII_TYPES)}")
    return frozenset(types)


def canonical(pii_type: str, value: str) -> str:
    """The value as hashed: separators dropped, letters folded to lower case, a phone's +86/0086 dropped (one
    number, one hash however it was written)."""
    value = value.translate(_SEPARATORS).lower()
    if pii_type == PHONE:
        value = value.split("转")[0]
        national = re.sub(r"^(?:\+|00)?86(?=[1-9][0-9]{8,10}$)", "", value)
        if national != value and not _MOBILE_RE.fullmatch(national):
            national = "0" + national  # +86 10 6234 5678 is 010-6234 5678
        value = national
    return value


def hash_token(pii_type: str, value: str, salt: str | bytes) -> str:
    """`<TYPE:hex>`: the first HASH_HEX_CHARS of BLAKE2b keyed with a digest of `salt`, over the canonical value."""
    key = hashlib.sha256(salt.encode("utf-8") if isinstance(salt, str) else salt).digest()
    digest = hashlib.blake2b(f"{pii_type}\x00{canonical(pii_type, value)}".encode(), key=key, digest_size=16).hexdigest()
    return f"<{pii_type.upper()}:{digest[:HASH_HEX_CHARS]}>"


def redact(text: str, mode: str = "placeholder", *, salt: str | bytes | None = None,
           types: list[str] | tuple[str, ...] | set[str] | frozenset[str] | None = None) -> tuple[str, list[Span]]:
    """(`text` with each found span replaced, the spans) — spans are offsets into the INPUT `text`."""
    if mode not in MODES:
        raise PIIError(f"unknown mode {mode!r}; modes: {', '.join(MODES)}")
    if mode == "hash" and not salt:
        raise PIIError("hash mode needs a salt (an unsalted hash of a phone or ID number is reversible)")
    spans = find_pii(text, check_types(types))
    if not spans:
        return text, spans
    parts: list[str] = []
    pos = 0
    for s in spans:
        parts.append(text[pos:s["start"]])
        value = text[s["start"]:s["end"]]
        parts.append(PLACEHOLDERS[s["type"]] if mode == "placeholder" else hash_token(s["type"], value, salt))
        pos = s["end"]
    parts.append(text[pos:])
    return "".join(parts), spans


def count_types(spans: list[Span]) -> dict[str, int]:
    """Spans per type (types with none left out), in PII_TYPES order."""
    counts = {t: 0 for t in PII_TYPES}
    for s in spans:
        counts[s["type"]] += 1
    return {t: n for t, n in counts.items() if n}
