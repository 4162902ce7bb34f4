"""Word lists behind the style features (`lexicons.yaml`), loaded once and compiled to regexes."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON_PATH = Path(__file__).with_name("lexicons.yaml")


@lru_cache(maxsize=1)
def lexicons() -> dict:
    return yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=64)
def word_set(name: str) -> frozenset[str]:
    """A flat list from lexicons.yaml (nested lists such as `sensory` are flattened)."""
    v = lexicons()[name]
    if isinstance(v, dict):
        return frozenset(w for ws in v.values() for w in ws)
    return frozenset(v)


@lru_cache(maxsize=64)
def alternation(name: str) -> re.Pattern:
    """One regex matching any word of a list, longest first."""
    ws = sorted(word_set(name), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ws))


@lru_cache(maxsize=16)
def patterns(name: str) -> re.Pattern:
    """A list of regex patterns from lexicons.yaml joined into one."""
    return re.compile("|".join(f"(?:{p})" for p in lexicons()[name]))
