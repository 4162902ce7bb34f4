"""Style profiles: learn a target style from exemplars, then say how close a text is (`style_match`).

A profile keeps, over the exemplars, the mean and spread of the normalised style vector, the literary
score, the L1/L2 mix and how often each L3 device occurs. `style_match(text, profile)` in [0, 1] is

    0.6 * mean over features of exp(-0.5 * ((z - mean) / spread)^2)    # style-vector closeness
  + 0.2 * (1 - |literary_score - profile mean|)                         # literariness closeness
  + 0.2 * cosine(device densities, profile device densities)            # same rhetorical toolkit

Content words play no part: two texts on different subjects in one voice match.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from wenforge.style.devices import DETECTORS
from wenforge.style.models import load_models
from wenforge.style.vector import compute, feature_names, raw_vector

PROFILE_VERSION = 1
MIN_SPREAD = 0.35  # floor on per-feature spread (z-units), so a handful of exemplars do not over-fit
W_VECTOR, W_LITERARY, W_DEVICES = 0.6, 0.2, 0.2


class ProfileError(ValueError):
    """A profile that cannot be built or read; the message names the file or the problem."""


@dataclass
class StyleProfile:
    n: int
    feature_names: list[str]
    mean: list[float]
    spread: list[float]
    literary_mean: float
    literary_std: float
    device_density: dict[str, float]
    device_rate: dict[str, float]
    l1: dict[str, float] = field(default_factory=dict)
    l2: dict[str, float] = field(default_factory=dict)
    name: str = ""
    version: int = PROFILE_VERSION

    def to_dict(self) -> dict:
        return asdict(self)


def _norm():
    m = load_models().l1
    return m.feat_mean, np.where(m.feat_std > 1e-9, m.feat_std, 1.0)


def _zvec(features: dict[str, float]) -> np.ndarray:
    mean, std = _norm()
    return np.clip((raw_vector(features) - mean) / std, -8, 8)


def build_profile(texts: Iterable[str], name: str = "") -> StyleProfile:
    """A profile from exemplar texts (at least one non-empty text)."""
    from wenforge.style.score import score_style

    texts = [t for t in texts if isinstance(t, str) and t.strip()]
    if not texts:
        raise ProfileError("build_profile needs at least one non-empty exemplar text")
    zs, lits, dens, pres = [], [], [], []
    l1: dict[str, float] = {}
    l2: dict[str, float] = {}
    for t in texts:
        r = score_style(t)
        zs.append(_zvec(r.features))
        lits.append(r.literary_score)
        dens.append([r.features[f"dev_{d}"] for d in DETECTORS])
        pres.append([d in r.l3 for d in DETECTORS])
        l1[r.l1] = l1.get(r.l1, 0) + 1 / len(texts)
        l2[r.l2] = l2.get(r.l2, 0) + 1 / len(texts)
    Z = np.array(zs)
    spread = np.maximum(Z.std(0), MIN_SPREAD) if len(texts) > 1 else np.full(Z.shape[1], 1.0)
    D, P = np.array(dens), np.array(pres, dtype=float)
    return StyleProfile(
        n=len(texts), feature_names=feature_names(), mean=Z.mean(0).round(5).tolist(),
        spread=spread.round(5).tolist(), literary_mean=float(np.mean(lits)), literary_std=float(np.std(lits)),
        device_density=dict(zip(DETECTORS, D.mean(0).round(5).tolist())),
        device_rate=dict(zip(DETECTORS, P.mean(0).round(4).tolist())),
        l1=dict(sorted(l1.items(), key=lambda kv: -kv[1])), l2=dict(sorted(l2.items(), key=lambda kv: -kv[1])),
        name=name,
    )


def save_profile(profile: StyleProfile, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(profile.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def load_profile(path: str | Path) -> StyleProfile:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ProfileError(f"{path}: cannot read style profile: {e}") from e
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a style profile is a JSON object")
    missing = [k for k in ("n", "feature_names", "mean", "spread", "literary_mean", "device_density") if k not in data]
    if missing:
        raise ProfileError(f"{path}: not a style profile (missing keys: {', '.join(missing)})")
    if data["feature_names"] != feature_names():
        raise ProfileError(f"{path}: built with other style features; rebuild it with `wenforge style profile`")
    known = StyleProfile.__dataclass_fields__
    return StyleProfile(**{k: v for k, v in data.items() if k in known})


def style_match(text: str, profile: StyleProfile) -> float:
    """How close `text` is to the profile's style, in [0, 1] (1: indistinguishable from the exemplars)."""
    feats, _devices, doc = compute(text)
    if doc.n_chars == 0:
        return 0.0
    z = _zvec(feats)
    mu, sp = np.asarray(profile.mean), np.asarray(profile.spread)
    vec = float(np.mean(np.exp(-0.5 * ((z - mu) / sp) ** 2)))
    lit = load_models().literary.score(feats, doc.n_chars)
    lit_close = 1.0 - abs(lit - profile.literary_mean)
    a = np.array([feats[f"dev_{d}"] for d in DETECTORS])
    b = np.array([profile.device_density.get(d, 0.0) for d in DETECTORS])
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    dev = float(a @ b / (na * nb)) if na > 0 and nb > 0 else (1.0 if na == nb == 0 else 0.0)
    s = W_VECTOR * vec + W_LITERARY * lit_close + W_DEVICES * dev
    return float(min(1.0, max(0.0, s))) if math.isfinite(s) else 0.0
