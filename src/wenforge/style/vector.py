"""The style vector: every feature family on one prepared document, in a fixed order, and its
normalised form (signed log, then z-scores with the training statistics stored in the model asset)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from wenforge.style.devices import DETECTORS, DeviceResult
from wenforge.style.diction import diction_features
from wenforge.style.doc import Doc, prepare
from wenforge.style.register import register_features
from wenforge.style.rhythm import rhythm_features
from wenforge.style.richness import richness_features

FAMILIES = {
    "diction": diction_features,
    "rhythm": rhythm_features,
    "richness": richness_features,
    "register": register_features,
}

def feature_names() -> list[str]:
    """The style vector's coordinates, in order: device densities, then each family's features."""
    return list(_feature_names())


@lru_cache(maxsize=1)
def _feature_names() -> tuple[str, ...]:
    empty = prepare("示例。")
    names = [f"dev_{d}" for d in DETECTORS]
    for fn in FAMILIES.values():
        names.extend(fn(empty))
    return tuple(names)


def compute(text_or_doc: str | Doc) -> tuple[dict[str, float], dict[str, DeviceResult], Doc]:
    """(features by name, device results by L3 name, the prepared doc)."""
    doc = prepare(text_or_doc) if isinstance(text_or_doc, str) else text_or_doc
    devices = {name: fn(doc) for name, fn in DETECTORS.items()}
    feats: dict[str, float] = {f"dev_{k}": v.value for k, v in devices.items()}
    for fn in FAMILIES.values():
        feats.update(fn(doc))
    return feats, devices, doc


def style_features(text: str) -> dict[str, float]:
    """Every style feature of a text, by name (raw values: densities per 100 characters, shares, means)."""
    return compute(text)[0]


def raw_vector(features: dict[str, float], names: list[str] | None = None) -> np.ndarray:
    """Features in vector order, signed-log compressed (heavy-tailed densities and lengths)."""
    names = names or _feature_names()
    x = np.array([float(features.get(n, 0.0)) for n in names], dtype=np.float64)
    return np.sign(x) * np.log1p(np.abs(x))


def style_vector(features: dict[str, float], mean: np.ndarray | None = None, std: np.ndarray | None = None) -> np.ndarray:
    """The normalised style vector: signed log, then z-scores (training statistics when given)."""
    x = raw_vector(features)
    if mean is not None and std is not None:
        x = (x - mean) / np.where(std > 1e-9, std, 1.0)
    return x
