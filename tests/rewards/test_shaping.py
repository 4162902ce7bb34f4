from __future__ import annotations

import subprocess
import sys
import types

import pytest

from wenforge.rewards import (
    REWARDS,
    composite,
    format_reward,
    get_reward,
    language_consistency_reward,
    overlong_penalty,
    reflection_reward,
    repetition_penalty,
    style_reward,
)
from wenforge.rewards.repetition import repetition_spans


def test_light_import():
    code = "import sys, wenforge.rewards, wenforge.rewards.adapters, wenforge.rewards.adversarial, wenforge.rewards.commands;"
    code += "bad=[m for m in sys.modules if m.split('.')[0] in ('torch','transformers','trl')]; assert not bad, bad"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_format_reward():
    assert format_reward("<think>3+4=7</think>\n\\boxed{7}") == 1.0
    assert format_reward("3+4=7</think>\n\\boxed{7}") == 1.0  # prompt opened the block
    assert format_reward("\\boxed{7}") == 0.0
    assert format_reward("\\boxed{7}", require_think=False) == 1.0
    assert format_reward("<think></think>\\boxed{7}") == 0.0
    assert format_reward("<think>3+4=7\\boxed{7}") == 0.0
    assert format_reward("<think>a</think><think>b</think>\\boxed{7}") == 0.0
    assert format_reward("<think>a</think>答案：7", fmt="zh_answer_line") == 1.0


def test_language_consistency():
    assert language_consistency_reward("<think>先算加法，再算减法</think>\\boxed{1}") == 1.0
    assert language_consistency_reward("<think>first add then subtract</think>", lang="en") == 1.0
    mixed = language_consistency_reward("<think>先算 first 再算 then</think>")
    assert 0.5 < mixed < 1.0  # 4 Han characters, 2 English words
    # formulas and variables do not count against Chinese
    assert language_consistency_reward("<think>设 $x+y=\\frac{a}{b}$，所以 x = 3</think>") == 1.0
    assert language_consistency_reward("<think>12+3=15</think>") == 1.0
    with pytest.raises(ValueError):
        language_consistency_reward("x", lang="fr")


def test_repetition():
    assert repetition_penalty("今天天气很好，我们去公园散步吧。") == 0.0
    loop = "我想想。" * 30
    assert repetition_penalty(loop) < -0.8
    assert -1.0 <= repetition_penalty("the cat sat on the mat the cat sat on the mat") < 0
    spans = repetition_spans("a b c d a b c d", n=4)
    assert spans and spans[0] == (8, 15)


def test_overlong():
    assert overlong_penalty("x" * 10, max_length=100, buffer=20) == 0.0
    assert overlong_penalty("x" * 90, max_length=100, buffer=20) == pytest.approx(-0.5)
    assert overlong_penalty("x" * 200, max_length=100, buffer=20) == -1.0
    assert overlong_penalty("", max_length=100, buffer=20, length=95) == pytest.approx(-0.75)
    with pytest.raises(ValueError):
        overlong_penalty("x", max_length=10, buffer=20)


def test_reflection():
    assert reflection_reward("<think>3+4=8. Wait, 3+4=7.</think>\\boxed{7}") == 1.0
    assert reflection_reward("<think>3+4=8，等等，重新检查：3+4=7</think>") == 1.0
    assert reflection_reward("<think>3+4=7</think> wait") == 0.0  # only the reasoning counts
    assert reflection_reward("awaiting") == 0.0


def _stub_style(monkeypatch, match=0.8, literary=0.3):
    calls = []
    mod = types.ModuleType("wenforge.style")

    def style_match(text, profile):
        calls.append(("match", text, profile))
        return types.SimpleNamespace(score=match)

    def literary_score(text):
        calls.append(("literary", text))
        return literary

    mod.style_match, mod.literary_score = style_match, literary_score
    monkeypatch.setitem(sys.modules, "wenforge.style", mod)
    return calls


def test_style_reward_with_stub(monkeypatch):
    calls = _stub_style(monkeypatch)
    profile = object()
    assert style_reward("<think>reasoning</think>春眠不觉晓", profile=profile) == 0.8
    assert calls[-1] == ("match", "春眠不觉晓", profile)  # the reasoning is not scored
    assert style_reward("春眠不觉晓", mode="literary") == 0.3
    assert style_reward("<think>unclosed", profile=profile) == 0.0
    with pytest.raises(ValueError, match="profile"):
        style_reward("text")
    c = composite({"style": 1.0, "outcome": 1.0}, options={"style": {"profile": profile}})
    assert c("春眠\\boxed{1}", answer="1") == pytest.approx(1.8)


def test_style_reward_real_module():
    style = pytest.importorskip("wenforge.style")
    if not hasattr(style, "literary_score"):
        pytest.skip("wenforge.style has no literary_score yet")
    v = style_reward("床前明月光，疑是地上霜。举头望明月，低头思故乡。", mode="literary")
    assert isinstance(v, float)


def test_registry_and_composite():
    assert set(REWARDS) >= {"outcome", "format", "language", "style", "repetition", "overlong", "adversarial"}
    f = get_reward("outcome", fmt="zh_answer_line")
    assert f("答案：5", answer="5") == 1.0
    with pytest.raises(KeyError, match="unknown reward"):
        get_reward("nope")
    with pytest.raises(TypeError, match="no option"):
        get_reward("outcome", lang="zh")
    c = composite(
        {"outcome": 1.0, "format": 0.5, "repetition": 1.0, "overlong": 1.0},
        options={"overlong": {"max_length": 50, "buffer": 10}},
    )
    good = "<think>3+4=7</think>\\boxed{7}"
    assert c.breakdown(good, answer="7") == {
        "outcome": 1.0,
        "format": 1.0,
        "repetition": 0.0,
        "overlong": 0.0,
    }
    assert c(good, answer="7") == 1.5
    assert c(good, answer="8") == -0.5 + 0.5
    # kwargs only reach rewards that take them
    assert c(good, answer="7", length=45) == pytest.approx(1.5 - 0.5)
    with pytest.raises(KeyError):
        composite({"outcome": 1.0}, options={"format": {}})
