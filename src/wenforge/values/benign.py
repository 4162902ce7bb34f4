"""Benign look-alikes for training the risk model: the shapes of risky prompts filled with ordinary requests
(assets/benign_frames.yaml, written for wenforge), so a request's shape alone does not make it risky.

Deterministic: each frame is filled from the product of the lists it names, shuffled with the frame as seed,
and an equal part of `count` is kept per frame; `split` is a hash of the text (one row in five is `test`).
"""

from __future__ import annotations

import hashlib
import itertools
import random
import re
from pathlib import Path

from wenforge.core.config import read_mapping

FRAMES = Path(__file__).with_name("assets") / "benign_frames.yaml"
SLOT = re.compile(r"\{(\w+)\}")
BENIGN_COUNT = 3000  # about a sixth of the training rows: every frame well covered, not the bulk
TEST_EVERY = 5


def split_of(text: str) -> str:
    """`test` for one text in TEST_EVERY (by SHA-1), else `dev`."""
    return "test" if int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % TEST_EVERY == 0 else "dev"


def benign_rows(count: int = BENIGN_COUNT, path: Path = FRAMES) -> list[dict]:
    """About `count` filled frames (an equal part per frame, drawn by a fixed shuffle of each frame's fillings)
    as rows {text, risky: False, l2: None, source: "benign_frames", split}."""
    spec = read_mapping(path)[0]
    frames = spec["frames"]
    per_frame = max(1, count // len(frames))
    out: list[dict] = []
    for frame in frames:
        slots = SLOT.findall(frame)
        missing = [s for s in slots if s not in spec]
        if missing:
            raise KeyError(f"{path}: frame {frame!r} names list(s) {', '.join(missing)} that the file lacks")
        combos = list(itertools.product(*(spec[s] for s in slots)))
        random.Random(frame).shuffle(combos)
        for combo in combos[:per_frame]:
            fill = dict(zip(slots, combo, strict=True))
            text = SLOT.sub(lambda m, f=fill: f[m.group(1)], frame)
            out.append({"text": text, "risky": False, "l2": None, "source": "benign_frames", "split": split_of(text)})
    return out
