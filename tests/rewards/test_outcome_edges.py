from __future__ import annotations

import threading

import pytest

from wenforge.rewards import extract_final_answer, outcome_reward
from wenforge.rewards.outcome import outcome_detail


@pytest.mark.parametrize(
    ("pred", "gold"),
    [
        ("18", "18"),
        ("18.0", "18"),
        ("18.00", "18"),
        ("$18", "18"),
        ("\\$18", "18"),
        ("$18$", "18"),
        ("1,000", "1000"),
        ("1000", "1,000"),
        ("50\\%", "50"),
        ("50\\%", "0.5"),
        ("50%", "50%"),
        ("0.25", "25%"),
        ("\\frac{1}{2}", "0.5"),
        ("0.5", "\\frac{1}{2}"),
        ("\\dfrac12", "0.5"),
        ("1/3", "2/6"),
        ("-\\frac{1}{2}", "-0.5"),
        ("x = 18", "18"),
        ("18元", "18"),
        ("18 \\text{ dollars}", "18"),
        ("\\text{18}", "18"),
        ("{18}", "18"),
        ("\\sqrt{2}/2", "\\frac{\\sqrt{2}}{2}"),
        ("2x^2-8", "2(x+2)(x-2)"),
        ("3.84 \\times 10^{5}", "384000"),
        ("第一象限", "第一象限"),
    ],
)
def test_equivalent(pred, gold):
    assert outcome_reward(f"\\boxed{{{pred}}}", gold) == 1.0


@pytest.mark.parametrize(
    ("pred", "gold"),
    [
        ("19", "18"),
        ("1800", "18"),
        ("0.5", "50"),
        ("1450001", "1450000"),
        ("-18", "18"),
        ("abc", "18"),
        ("\\frac{1}{3}", "0.5"),
    ],
)
def test_wrong(pred, gold):
    assert outcome_reward(f"\\boxed{{{pred}}}", gold) == -0.5


@pytest.mark.parametrize(
    "completion",
    [
        "<think>so it is \\boxed{18}",  # unclosed think
        "<think>x</think> \\boxed{}",  # empty box
        "<think>x</think> \\boxed{  }",
        "<think>\\boxed{18}</think> the answer is 18",  # only inside think
        "the answer is 18",
        "\\boxed{18",  # unclosed box
        "\\boxed{17} and finally \\boxed{18",  # the last box is truncated
        "",
    ],
)
def test_missing(completion):
    assert outcome_reward(completion, "18") == -1.0


def test_nested_and_multiple_boxes():
    assert extract_final_answer("\\boxed{\\frac{1}{2}}") == "\\frac{1}{2}"
    assert extract_final_answer("\\boxed{\\boxed{7}}") == "7"
    assert extract_final_answer("\\boxed{a_{1}+\\{b\\}}") == "a_{1}+\\{b\\}"
    assert outcome_reward("\\boxed{17} no wait \\boxed{18}", "18") == 1.0
    assert outcome_reward("\\boxed{18} no wait \\boxed{17}", "18") == -0.5
    assert outcome_reward("<think>\\boxed{17}</think>\\boxed{18}", "18") == 1.0
    assert outcome_reward("<think>\\boxed{18}</think>\\boxed{17}", "18") == -0.5
    assert outcome_reward("\\fbox{18}", "18") == 1.0


def test_think_handling():  # the parser itself: tests/text/test_think.py
    # the prompt opened the block: a stray closing tag makes everything before it reasoning
    assert outcome_reward("reasoning \\boxed{18}</think> final \\boxed{18}", "18") == 1.0
    assert outcome_reward("reasoning \\boxed{18}</think> done", "18") == -1.0
    assert outcome_reward("<THINK>x</THINK>\\boxed{18}", "18") == 1.0


def test_zh_answer_lines():
    f = "zh_answer_line"
    assert outcome_reward("解：99-90=9（页）\n答案：9页。", "9", fmt=f) == 1.0
    assert outcome_reward("答案: 9", "9", fmt=f) == 1.0
    assert outcome_reward("最终答案是 **9**", "9", fmt=f) == 1.0
    assert outcome_reward("答：还剩9页", "9", fmt=f) == -0.5  # "还剩9页" is not a bare number
    assert outcome_reward("答：9", "9", fmt=f) == 1.0
    assert outcome_reward("答案：\\boxed{9}", "9", fmt=f) == 1.0
    assert outcome_reward("答案：8\n再想想\n答案：9", "9", fmt=f) == 1.0
    assert outcome_reward("<think>答案：9</think>", "9", fmt=f) == -1.0
    assert outcome_reward("答案：", "9", fmt=f) == -1.0
    assert outcome_reward("回答：9", "9", fmt=f) == -1.0


def test_answer_tag_and_any():
    assert outcome_reward("<think>x</think><answer> 42 </answer>", "42", fmt="answer_tag") == 1.0
    assert outcome_reward("<answer>\\boxed{42}</answer>", "42", fmt="answer_tag") == 1.0
    assert outcome_reward("<answer>42", "42", fmt="answer_tag") == -1.0
    assert outcome_reward("<answer></answer>", "42", fmt="answer_tag") == -1.0
    assert outcome_reward("<answer>41</answer>", "42", fmt="answer_tag") == -0.5
    assert outcome_reward("答案：42", "42", fmt="any") == 1.0
    with pytest.raises(ValueError, match="unknown answer format"):
        outcome_reward("x", "1", fmt="latex")


def test_rewards_are_exact_values_and_detail_has_span():
    d = outcome_detail("so \\boxed{18}.", "18")
    assert d["reward"] == 1.0 and d["pred"] == "18"
    assert "so \\boxed{18}."[d["start"] : d["end"]] == "18"
    assert outcome_detail("x", "18")["verdict"] == "missing"
    assert outcome_detail("\\boxed{19}", "18")["verdict"] == "wrong"


def test_works_outside_main_thread():
    out = []
    t = threading.Thread(target=lambda: out.append(outcome_reward("\\boxed{\\sqrt{4}}", "2")))
    t.start()
    t.join()
    assert out == [1.0]


def test_pathological_answers_get_a_defined_reward_quickly():
    """Issue 14: a 4,400-digit answer raised ValueError and 1,200 nested boxes raised RecursionError."""
    import time

    from wenforge.rewards import outcome_reward

    huge = "9" * 4400
    cases = [
        (f"答案是 \\boxed{{{huge}}}", huge, 1.0),
        (f"答案是 \\boxed{{{huge}}}", "8" + huge[1:], -0.5),
        ("\\boxed{" * 1200 + "1" + "}" * 1200, "1", -0.5),
        ("\\boxed{\\boxed{7}}", "7", 1.0),
        ("没有答案" * 100_000, "3", -1.0),
    ]
    for completion, answer, expected in cases:
        t0 = time.process_time()
        assert outcome_reward(completion, answer) == expected
        assert time.process_time() - t0 < 2.0
