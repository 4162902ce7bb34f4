"""A task a tiny model can learn on CPU: one- and two-digit arithmetic as CMATH-style Chinese word problems,
answers in ``\\boxed{}``. Rows carry a ``category`` (add, sub, mul) so rounds can re-weight what fails."""

from __future__ import annotations

import random

CATEGORIES = ("add", "sub", "mul")
_NAMES = ["小明", "小红", "小刚", "妈妈", "爷爷", "小丽", "老师", "小勇"]
_THINGS = [("苹果", "个"), ("铅笔", "支"), ("书", "本"), ("糖", "块"), ("花", "朵"), ("球", "个")]


def arithmetic_row(rng: random.Random, category: str, max_value: int = 20) -> dict:
    name = rng.choice(_NAMES)
    thing, unit = rng.choice(_THINGS)
    if category == "add":
        a, b = rng.randint(1, max_value), rng.randint(1, max_value)
        q, c, op = f"{name}有{a}{unit}{thing}，又买了{b}{unit}，现在一共有多少{unit}？", a + b, "+"
    elif category == "sub":
        a = rng.randint(2, max_value)
        b = rng.randint(1, a - 1)
        q, c, op = f"{name}有{a}{unit}{thing}，送给别人{b}{unit}，还剩多少{unit}？", a - b, "-"
    elif category == "mul":
        a, b = rng.randint(1, 9), rng.randint(1, 9)
        q, c, op = f"每盒有{a}{unit}{thing}，{name}买了{b}盒，一共有多少{unit}？", a * b, "×"
    else:
        raise ValueError(f"unknown category {category!r}: expected one of {', '.join(CATEGORIES)}")
    return {
        "question": q,
        "answer": str(c),
        "completion": f"<think>{a}{op}{b}={c}</think>\n\\boxed{{{c}}}",
        "category": category,
    }


def arithmetic_rows(
    n: int, seed: int = 0, weights: dict[str, float] | None = None, split: str = "dev", max_value: int = 20
) -> list[dict]:
    """``n`` rows, categories drawn with ``weights`` (default uniform)."""
    rng = random.Random(seed)
    w = weights or dict.fromkeys(CATEGORIES, 1.0)
    cats, ws = list(w), [max(0.0, float(x)) for x in w.values()]
    if not any(ws):
        raise ValueError("all category weights are zero")
    rows = []
    for _ in range(n):
        row = arithmetic_row(rng, rng.choices(cats, ws)[0], max_value)
        row["split"] = split
        rows.append(row)
    return rows
