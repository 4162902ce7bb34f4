from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wenforge.rewards import composite
from wenforge.rewards.adapters import completion_text, compute_score, reward_func, trl_reward, trl_rewards

GOOD = "<think>3+4=7</think>\\boxed{7}"


def test_trl_reward_plain_and_chat():
    f = trl_reward("outcome")
    assert f.__name__ == "outcome"
    out = f(
        prompts=["p", "p", "p"],
        completions=[GOOD, "\\boxed{8}", "no"],
        answer=["7", "7", "7"],
        trainer_state=None,
        completion_ids=[[1], [2], [3]],
    )
    assert out == [1.0, -0.5, -1.0]
    chat = [[{"role": "assistant", "content": GOOD}], [{"role": "assistant", "content": "\\boxed{8}"}]]
    assert f(prompts=[[{"role": "user", "content": "q"}]] * 2, completions=chat, answer=["7", "7"]) == [
        1.0,
        -0.5,
    ]


def test_trl_reward_columns_options_and_lengths():
    f = trl_reward("outcome", fmt="zh_answer_line", columns={"answer": "final_answer"})
    assert f(prompts=["p"], completions=["答案：7"], final_answer=["7"]) == [1.0]
    with pytest.raises(KeyError, match="final_answer"):
        f(prompts=["p"], completions=["答案：7"], answer=["7"])
    g = trl_reward("overlong", max_length=10, buffer=4)
    assert g(prompts=["p", "p"], completions=["x", "x"], completion_ids=[[0] * 3, [0] * 8]) == [0.0, -0.5]
    funcs, weights = trl_rewards({"outcome": 1.0, "format": 0.1})
    assert [fn.__name__ for fn in funcs] == ["outcome", "format"] and weights == [1.0, 0.1]
    c = trl_reward(composite({"outcome": 1.0, "format": 0.5}), name="mix")
    assert c.__name__ == "mix" and c(prompts=["p"], completions=[GOOD], answer=["7"]) == [1.5]


def test_completion_text():
    assert completion_text([{"role": "assistant", "content": [{"type": "text", "text": "hi"}]}]) == "hi"
    with pytest.raises(TypeError):
        completion_text(3)


def test_verl_compute_score():
    assert compute_score("gsm8k", GOOD, "7")["score"] == 1.0
    assert compute_score("gsm8k", "\\boxed{8}", "7")["score"] == -0.5
    r = compute_score(
        "cmath",
        "<think>想</think>答案：7",
        "7",
        {"fmt": "zh_answer_line", "weights": {"outcome": 1.0, "format": 0.5, "language": 0.1}},
    )
    assert r["score"] == pytest.approx(1.0 + 0.5 + 0.1) and r["outcome"] == 1.0


def test_verl_loads_module_by_path():
    """verl imports the file by path (custom_reward_function.path): it must work standalone."""
    import wenforge.rewards.adapters as a

    spec = importlib.util.spec_from_file_location("custom_module", a.__file__)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.compute_score("x", "\\boxed{7}", 7)["score"] == 1.0


def test_openrlhf_reward_func():
    pytest.importorskip("torch")
    out = reward_func(["Q: 3+4? \\boxed{7}", "Q: 3+4? \\boxed{8}"], ["Q: 3+4?", "Q: 3+4?"], ["7", "7"])
    assert out["rewards"].tolist() == [1.0, -0.5]
    assert out["scores"].tolist() == [1.0, 0.25]
    # the prompt is cut off: a boxed answer in the prompt does not count
    out = reward_func(["Example \\boxed{7}. Now:"], ["Example \\boxed{7}."], ["7"])
    assert out["rewards"].tolist() == [-1.0]


def test_cli_score(tmp_path: Path):
    from wenforge.cli import app

    src = tmp_path / "in.jsonl"
    rows = [
        {"completion": GOOD, "answer": "7"},
        {"completion": "\\boxed{1}", "answer": "7"},
        {"completion": "x"},
    ]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    res = CliRunner().invoke(
        app, ["rewards", "score", str(src), "-o", str(tmp_path / "run"), "-w", "outcome=1,format=0.5"]
    )
    assert res.exit_code == 0, res.output
    stats = json.loads((tmp_path / "run" / "stats.json").read_text())
    assert stats["rows"] == {"read": 4, "kept": 2, "excluded": 2} and stats["conserved"]
    assert stats["excluded"] == {"no_gold_answer": 1, "malformed_json": 1} and stats["schema"] == "wenforge.stats/1"
    assert stats["means"]["outcome"] == pytest.approx(0.25)
    scored = [json.loads(x) for x in (tmp_path / "run" / "data" / "scored.jsonl").read_text().splitlines()]
    assert scored[0]["reward"] == 1.5 and scored[0]["outcome_evidence"]["pred"] == "7"
    assert (tmp_path / "run" / "report.html").exists()
    bad = CliRunner().invoke(app, ["rewards", "score", str(src), "-w", "nope=1"])
    assert bad.exit_code == 2 and "unknown reward" in bad.output
