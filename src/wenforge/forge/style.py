"""Style rounds: forge toward a target voice (a style profile built from exemplars by ``wenforge.style``).

With ``style_target`` set, a forge round trains (continued pretraining: SFT on plain text) on a mixture of the
labelled corpus by taxonomy label, continues fixed neutral prompts, and ``wenforge eval`` scores the
continuations once against the target (``style_match`` per row; ``style_distance`` = 1 - mean style_match in
``eval.json``). The feedback then moves the mixture toward the labels whose own texts are closer to the target:

1. closeness c_l: the mean ``style_match`` to the target of up to CLOSENESS_ROWS seeded training texts of label
   l (their first CLOSENESS_CHARS characters), measured once from the data;
2. the current mixture's closeness c = sum_l w_l c_l, and the spread s = max_l c_l - min_l c_l;
3. w_l <- w_l * clip(1 + gain * d * (c_l - c) / s, 1 - max_step, 1 + max_step), with d the round's style
   distance: the farther the outputs are from the target, the larger the step, and no step once they are on it;
4. renormalised to shares, floored at ``min_weight``, renormalised again.

Light: imports only ``wenforge.style`` (no torch); the round's generation and evaluation live in
``wenforge.forge.rounds``.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from wenforge.eval.feedback import FeedbackConfig

# Openings that favour no genre (pronouns, time words, connectives that start news, stories, answers and
# explanations alike): what the model continues each round, so only its training moves the style.
STYLE_PROMPTS = (
    "今天", "我们", "在这个", "他说", "这是", "当时", "有一天", "因为", "如果", "大家", "这个", "现在",
    "后来", "那时候", "人们", "我记得", "关于", "每一个", "早上", "他们",
)
# Texts per label whose style_match gives its closeness: style_match spreads about 0.05-0.1 across the texts of
# one label, so 32 put the mean's standard error under 0.02, well below the gaps between labels.
CLOSENESS_ROWS = 32
# Characters of each text scored for closeness: style_match costs about 2 ms on this much, and a round's model
# continues prompts for about as long.
CLOSENESS_CHARS = 400


def label_closeness(
    rows: Sequence[dict], label_field: str, text_field: str, profile, *, seed: int = 0
) -> dict[str, float]:
    """Per label, the mean style_match to `profile` of up to CLOSENESS_ROWS seeded texts (first CLOSENESS_CHARS
    characters) among `rows` with that label."""
    from wenforge.style import style_match

    by_label: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if isinstance(r.get(text_field), str) and r[text_field].strip():
            by_label[str(r[label_field])].append(r[text_field])
    out = {}
    for label, texts in sorted(by_label.items()):
        pick = random.Random(f"{seed}:{label}").sample(texts, min(CLOSENESS_ROWS, len(texts)))
        out[label] = round(sum(style_match(t[:CLOSENESS_CHARS], profile) for t in pick) / len(pick), 4)
    return out


def style_feedback(
    weights: dict[str, float], closeness: dict[str, float], distance: float, cfg: FeedbackConfig
) -> dict:
    """The next round's shares by the module's rule (gain, max_step, min_weight from `cfg`), with the evidence:
    each label's closeness, the mixture's closeness, the distance and each label's factor."""
    total = sum(weights.values()) or 1.0
    w = {k: v / total for k, v in weights.items()}
    c = {k: float(closeness[k]) for k in w}
    mix_c = sum(w[k] * c[k] for k in w)
    spread = max(c.values()) - min(c.values())
    factor = {
        k: min(1 + cfg.max_step, max(1 - cfg.max_step, 1 + cfg.gain * distance * (c[k] - mix_c) / spread))
        if spread > 0 else 1.0
        for k in w
    }
    raw = {k: w[k] * factor[k] for k in w}
    s = sum(raw.values()) or 1.0
    floored = {k: max(cfg.min_weight, v / s) for k, v in raw.items()}
    s = sum(floored.values())
    return {
        "rule": "w_l <- w_l * clip(1 + gain*distance*(closeness_l - mixture closeness)/spread, 1-max_step, "
                "1+max_step), renormalised, floored",
        "distance": round(distance, 4),
        "closeness": {k: round(c[k], 4) for k in sorted(c)},
        "mixture_closeness": round(mix_c, 4),
        "factor": {k: round(v, 4) for k, v in sorted(factor.items())},
        "next_weights": {k: round(v / s, 4) for k, v in sorted(floored.items())},
    }
