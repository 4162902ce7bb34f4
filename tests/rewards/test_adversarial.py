from __future__ import annotations

import json

import pytest

from wenforge.core.paths import data_folder
from wenforge.rewards import composite
from wenforge.rewards.adversarial import AdversarialStyleReward, Discriminator


def _poems(n=80):
    try:
        path = data_folder() / "literary" / "classical_poetry.jsonl"
    except FileNotFoundError:
        pytest.skip("shared data not found")
    rows = [json.loads(x) for x in path.open(encoding="utf-8")]
    return [
        r["text"][:200]
        for r in rows
        if r.get("split") == "dev" and str(r.get("subset", "")).startswith("全唐诗")
    ][:n]


def _policy(n=80, seed=0):
    import random

    rng = random.Random(seed)
    words = [
        "我们",
        "今天",
        "因为",
        "所以",
        "这个",
        "问题",
        "非常",
        "重要",
        "需要",
        "考虑",
        "方面",
        "进行",
        "分析",
    ]
    return ["".join(rng.choice(words) for _ in range(20)) + "。" for _ in range(n)]


def test_discriminator_separates_and_rewards(tmp_path):
    human, policy = _poems(), _policy()
    d = Discriminator().fit(human[:60], policy[:60])
    assert d.accuracy(human[60:], policy[60:]) >= 0.9
    adv = AdversarialStyleReward(human=human, log_path=tmp_path / "disc.jsonl")
    with pytest.raises(RuntimeError):
        adv("x")
    rec = adv.update(policy)
    assert rec["round"] == 0 and rec["heldout_accuracy"] >= 0.9
    assert adv(human[0]) > 0.5 > adv(policy[0])
    # round 2 on samples that imitate the exemplars better: the discriminator is retrained and logged again
    rec2 = adv.update([h[::-1] for h in human])
    assert rec2["round"] == 1 and len(adv.history) == 2
    log = [json.loads(x) for x in (tmp_path / "disc.jsonl").read_text().splitlines()]
    assert [r["round"] for r in log] == [0, 1]
    # usable inside a composite next to rule-based checks
    c = composite(
        {"outcome": 1.0, "adversarial": 0.5}, options={"adversarial": {"discriminator": adv.discriminator}}
    )
    assert c(human[0] + "\\boxed{1}", answer="1") > 1.0
