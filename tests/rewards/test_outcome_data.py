"""Every GSM8K and CMATH row: a correct boxed completion scores 1.0, a wrong one -0.5, a missing one -1.0."""

from __future__ import annotations

import json

import pytest

from wenforge.core.paths import data_folder
from wenforge.rewards import outcome_reward
from wenforge.rewards.outcome import fast_number


def _rows(name: str, key: str) -> list[tuple[str, str]]:
    try:
        path = data_folder() / "math" / name
    except FileNotFoundError:
        pytest.skip("shared data not found")
    if not path.exists():
        pytest.skip(f"{path} missing")
    return [
        (json.loads(line)["question"], str(json.loads(line)[key])) for line in path.open(encoding="utf-8")
    ]


def _wrong(gold: str) -> str:
    n = fast_number(gold)
    assert n is not None, f"gold answer {gold!r} is not a plain number"
    return str(n.value + 1) + ("%" if n.percent else "")


@pytest.mark.parametrize(
    ("name", "key"), [("gsm8k_test.jsonl", "final_answer"), ("cmath_test.jsonl", "answer")]
)
def test_every_row(name, key):
    rows = _rows(name, key)
    assert len(rows) >= 600
    failures = []
    for question, gold in rows:
        zh = "cmath" in name
        think = (
            "<think>\n先算一算……等等，重新检查。\n</think>\n"
            if zh
            else "<think>\nLet me compute. Wait, check.\n</think>\n"
        )
        got = (
            outcome_reward(f"{think}所以答案是 \\boxed{{{gold}}}。", gold),
            outcome_reward(f"{think}\\boxed{{{_wrong(gold)}}}", gold),
            outcome_reward(f"{think}The answer is {gold}.", gold),
            # the gold inside the reasoning only is still no final answer
            outcome_reward(f"<think>\\boxed{{{gold}}}</think>\n{gold}", gold),
        )
        if got != (1.0, -0.5, -1.0, -1.0):
            failures.append((question[:40], gold, got))
    assert not failures, failures[:10]


def test_cmath_answer_lines():
    rows = _rows("cmath_test.jsonl", "answer")
    for _, gold in rows:
        assert outcome_reward(f"解：……\n答案：{gold}", gold, fmt="zh_answer_line") == 1.0
        assert outcome_reward(f"<answer>{gold}</answer>", gold, fmt="answer_tag") == 1.0
        assert outcome_reward(f"答案：{_wrong(gold)}", gold, fmt="zh_answer_line") == -0.5
        assert outcome_reward(f"结果是{gold}", gold, fmt="zh_answer_line") == -1.0
