"""The style taxonomy (L1 domain, L2 genre, L3 devices), loaded from `taxonomy.yaml` and extensible by users."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from wenforge.core.config import ConfigError, load_yaml

TAXONOMY_PATH = Path(__file__).with_name("taxonomy.yaml")


class TaxonomyError(ValueError):
    """A taxonomy file that is missing keys or malformed; the message names the file and key."""


@dataclass(frozen=True)
class Taxonomy:
    """L1 -> its L2 labels, L3 device names, and descriptions, as one vocabulary."""

    l1: dict[str, dict] = field(default_factory=dict)
    l3: dict[str, dict] = field(default_factory=dict)

    @property
    def l1_labels(self) -> list[str]:
        return list(self.l1)

    @property
    def l2_labels(self) -> list[str]:
        return [l2 for v in self.l1.values() for l2 in v.get("l2", {})]

    @property
    def l3_labels(self) -> list[str]:
        return list(self.l3)

    def l2_of(self, l1: str) -> list[str]:
        return list(self.l1.get(l1, {}).get("l2", {}))

    def parent(self, l2: str) -> str:
        for k, v in self.l1.items():
            if l2 in v.get("l2", {}):
                return k
        raise KeyError(f"unknown L2 label {l2!r}")


def _read(path: Path) -> dict:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), str(path)) or {}
    except (OSError, UnicodeDecodeError, ConfigError) as e:
        raise TaxonomyError(f"{path}: cannot read taxonomy: {e}") from e
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path}: top level must be a mapping with keys l1, l3")
    for key in ("l1", "l3"):
        if key in data and not isinstance(data[key], dict):
            raise TaxonomyError(f"{path}: key {key!r} must be a mapping")
    for name, v in (data.get("l1") or {}).items():
        if not isinstance(v, dict) or not isinstance(v.get("l2", {}), dict):
            raise TaxonomyError(f"{path}: l1.{name} must be a mapping with an l2 mapping")
    return data


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The shipped taxonomy, with a user file (argument or $WENFORGE_TAXONOMY) merged over it."""
    extra = path or os.environ.get("WENFORGE_TAXONOMY")
    return _load(str(extra) if extra else None)


@lru_cache(maxsize=4)
def _load(extra: str | None) -> Taxonomy:
    base = _read(TAXONOMY_PATH)
    l1 = {k: {**v, "l2": dict(v.get("l2") or {})} for k, v in base["l1"].items()}
    l3 = dict(base["l3"])
    if extra:
        user = _read(Path(extra))
        for k, v in (user.get("l1") or {}).items():
            cur = l1.setdefault(k, {"l2": {}})
            cur.update({kk: vv for kk, vv in v.items() if kk != "l2"})
            cur["l2"].update(v.get("l2") or {})
        l3.update(user.get("l3") or {})
    return Taxonomy(l1=l1, l3=l3)
