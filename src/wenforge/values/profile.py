"""Decoupled alignment: one shared core policy plus deployment profiles that tighten or loosen categories.

`load_policy()` reads `profiles.yaml` (and a user file merged over it); `Policy.rule(profile, l2)` says which
refuse_at a verdict used and where it came from, so every verdict names its profile and category. Locked core
categories can be tightened by a profile but never loosened: that is a config error naming the key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from wenforge.core.config import ConfigError, parse_config, problem_at, read_mapping

PROFILES_PATH = Path(__file__).with_name("profiles.yaml")
ENV = "WENFORGE_VALUES_PROFILES"
CORE = "core"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CategoryRule(_Strict):
    refuse_at: float = Field(ge=0.0, le=1.0)


class Layer(_Strict):
    """The core or one profile: a default refuse_at and per-category ones."""

    description: str = ""
    refuse_at: float | None = Field(default=None, ge=0.0, le=1.0)
    categories: dict[str, CategoryRule] = Field(default_factory=dict)


class CoreLayer(Layer):
    refuse_at: float = Field(default=0.5, ge=0.0, le=1.0)
    locked: list[str] = Field(default_factory=list)


class PolicyFile(_Strict):
    core: CoreLayer
    profiles: dict[str, Layer] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _locked_not_loosened(self) -> PolicyFile:
        for name, p in self.profiles.items():
            if name == CORE:
                raise problem_at(("profiles", name), "'core' is the shared core, not a profile name")
            for cat in self.core.locked:
                core_at = self.core.categories.get(cat, CategoryRule(refuse_at=self.core.refuse_at)).refuse_at
                mine = p.categories.get(cat)
                if mine is not None and mine.refuse_at > core_at:
                    raise problem_at(("profiles", name, "categories", cat, "refuse_at"),
                                     f"{cat!r} is locked by the core at refuse_at {core_at}: a profile may only "
                                     "tighten it")
        return self


@dataclass(frozen=True)
class Rule:
    """The threshold a verdict used: profile, category, refuse_at, and which layer set it."""

    profile: str
    category: str | None
    refuse_at: float
    source: str  # "core", "core.categories", "profile", "profile.categories", "locked"

    def as_dict(self) -> dict:
        return {"profile": self.profile, "category": self.category, "refuse_at": self.refuse_at,
                "source": self.source}


@dataclass(frozen=True)
class Policy:
    file: PolicyFile
    source: str

    @property
    def profiles(self) -> list[str]:
        return [CORE, *self.file.profiles]

    def rule(self, profile: str, l2: str | None) -> Rule:
        """The refuse_at for category `l2` under `profile`; ValueError for an unknown profile."""
        core = self.file.core
        if profile != CORE and profile not in self.file.profiles:
            raise ValueError(f"unknown values profile {profile!r}; profiles in {self.source}: "
                             f"{', '.join(self.profiles)}")
        at, src = core.refuse_at, "core"
        if l2 is not None and l2 in core.categories:
            at, src = core.categories[l2].refuse_at, "core.categories"
        if profile != CORE:
            p = self.file.profiles[profile]
            if p.refuse_at is not None and not (l2 in core.locked and p.refuse_at > at):
                at, src = p.refuse_at, "profile"
            if l2 is not None and l2 in p.categories:
                at, src = p.categories[l2].refuse_at, "profile.categories"
        if l2 in core.locked and src in ("core", "core.categories"):
            src = "locked"
        return Rule(profile, l2, at, src)


def load_policy(path: str | Path | None = None) -> Policy:
    """The shipped core and profiles, with a user file (argument, else $WENFORGE_VALUES_PROFILES) merged over."""
    extra = path or os.environ.get(ENV)
    return _load(str(extra) if extra else None)


@lru_cache(maxsize=4)
def _load(extra: str | None) -> Policy:
    base, text = read_mapping(PROFILES_PATH)
    if not extra:
        return Policy(parse_config(base, PolicyFile, source=str(PROFILES_PATH), text=text), str(PROFILES_PATH))
    user, user_text = read_mapping(extra)
    unknown = set(user) - {"core", "profiles"}
    if unknown:
        raise ConfigError(f"{extra}: unknown top-level key(s) {', '.join(sorted(unknown))}; keys: core, profiles")
    merged = {"core": {**base["core"], **(user.get("core") or {})},
              "profiles": {**(base.get("profiles") or {}), **(user.get("profiles") or {})}}
    merged["core"]["locked"] = sorted(set(base["core"].get("locked") or []) | set((user.get("core") or {}).get("locked") or []))
    return Policy(parse_config(merged, PolicyFile, source=str(extra), text=user_text), str(extra))
