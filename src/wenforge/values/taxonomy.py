"""The values taxonomy: TC260-003 risk areas (L1) and categories (L2), wenforge's L3 behaviours with cue
patterns, loaded from `taxonomy.yaml` and extensible by a user file merged over it.

Validated with pydantic through `core.config.parse_config`, so a wrong key or a cue that is not a regular
expression is an error naming the file, the line and the key.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from wenforge.core.config import ConfigError, parse_config, problem_at, read_mapping

TAXONOMY_PATH = Path(__file__).with_name("taxonomy.yaml")
ENV = "WENFORGE_VALUES_TAXONOMY"
MAX_CUE_CHARS = 1000  # one pattern, long alternations of objects included; longer is a pasted list, not a cue


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(_Strict):
    """An L2 category: its TC260 id (A.n.m)."""

    id: str


class Area(_Strict):
    """An L1 risk area: its TC260 id (A.n), an English gloss and its categories by name."""

    id: str
    en: str = ""
    l2: dict[str, Category] = Field(default_factory=dict)


class Behaviour(_Strict):
    """An L3 behaviour: its category, names, and the cue patterns whose matches are evidence for it."""

    l2: str
    zh: str
    description: str = ""
    cues: list[str] = Field(default_factory=list)

    @field_validator("cues")
    @classmethod
    def _compiles(cls, cues: list[str]) -> list[str]:
        for i, c in enumerate(cues):
            if len(c) > MAX_CUE_CHARS:
                raise ValueError(f"cue {i} is longer than {MAX_CUE_CHARS} characters")
            try:
                re.compile(c)
            except re.error as e:
                raise ValueError(f"cue {i} {c!r} is not a regular expression: {e}") from None
        return cues


class ValuesTaxonomy(_Strict):
    """The three levels; L3 behaviours must name an existing L2 category."""

    _cues: list | None = PrivateAttr(default=None)
    _areas: dict | None = PrivateAttr(default=None)
    version: int = 1
    l1: dict[str, Area]
    l3: dict[str, Behaviour] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _parents_exist(self) -> ValuesTaxonomy:
        names = {c for a in self.l1.values() for c in a.l2}
        for key, b in self.l3.items():
            if b.l2 not in names:
                raise problem_at(("l3", key, "l2"), f"unknown L2 category {b.l2!r}")
        return self

    @property
    def l1_labels(self) -> list[str]:
        return list(self.l1)

    @property
    def l2_labels(self) -> list[str]:
        return [c for a in self.l1.values() for c in a.l2]

    def area_of(self, l2: str) -> str:
        """The L1 area holding category `l2`; KeyError for an unknown name."""
        if self._areas is None:
            object.__setattr__(self, "_areas", {c: name for name, a in self.l1.items() for c in a.l2})
        try:
            return self._areas[l2]
        except KeyError:
            raise KeyError(f"unknown L2 category {l2!r}") from None

    def behaviours_of(self, l2: str) -> list[str]:
        return [k for k, b in self.l3.items() if b.l2 == l2]

    def compiled_cues(self) -> list[tuple[str, re.Pattern]]:
        """(L3 id, compiled cue) for every cue, in file order; compiled once per taxonomy."""
        if self._cues is None:
            object.__setattr__(self, "_cues", [(k, re.compile(c)) for k, b in self.l3.items() for c in b.cues])
        return self._cues


def _merge(base: dict, user: dict) -> dict:
    """`user` over `base`: new areas, categories and behaviours are added; a behaviour of the same id replaces."""
    out = {"version": base.get("version", 1), "l1": {k: {**v, "l2": dict(v.get("l2") or {})}
                                                    for k, v in (base.get("l1") or {}).items()},
           "l3": dict(base.get("l3") or {})}
    for k, v in (user.get("l1") or {}).items():
        if not isinstance(v, dict):
            out["l1"][k] = v  # validation reports it with its key
            continue
        cur = out["l1"].setdefault(k, {"l2": {}})
        cur.update({kk: vv for kk, vv in v.items() if kk != "l2"})
        cur["l2"].update(v.get("l2") or {})
    out["l3"].update(user.get("l3") or {})
    return out


def load_taxonomy(path: str | Path | None = None) -> ValuesTaxonomy:
    """The shipped taxonomy with a user file (argument, else $WENFORGE_VALUES_TAXONOMY) merged over it."""
    extra = path or os.environ.get(ENV)
    return _load(str(extra) if extra else None)


@lru_cache(maxsize=4)
def _load(extra: str | None) -> ValuesTaxonomy:
    base, text = read_mapping(TAXONOMY_PATH)
    if not extra:
        return parse_config(base, ValuesTaxonomy, source=str(TAXONOMY_PATH), text=text)
    user, user_text = read_mapping(extra)
    unknown = set(user) - {"version", "l1", "l3"}
    if unknown:
        raise ConfigError(f"{extra}: unknown top-level key(s) {', '.join(sorted(unknown))}; keys: version, l1, l3")
    # errors are reported against the user's file: its keys are the ones that can be wrong
    return parse_config(_merge(base, user), ValuesTaxonomy, source=str(extra), text=user_text)
