"""Rewards by name, and a weighted composite of them. The names here are the one vocabulary for rewards:
configs, TRL logs (``rewards/<name>/mean``), stats and reports all use them."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from wenforge.rewards.format import format_reward
from wenforge.rewards.language import language_consistency_reward
from wenforge.rewards.length import overlong_penalty
from wenforge.rewards.outcome import outcome_reward
from wenforge.rewards.reflection import reflection_reward
from wenforge.rewards.repetition import repetition_penalty
from wenforge.rewards.style import style_reward


def adversarial_reward(completion: str, discriminator: Any) -> float:
    """The discriminator's probability that ``completion`` is a human exemplar of the target style."""
    return float(discriminator.prob_human([completion])[0])


@dataclass(frozen=True)
class RewardSpec:
    name: str
    fn: Callable[..., float]
    description: str
    low: float
    high: float

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(inspect.signature(self.fn).parameters)[1:]

    @property
    def required(self) -> tuple[str, ...]:
        sig = inspect.signature(self.fn).parameters
        return tuple(k for k in list(sig)[1:] if sig[k].default is inspect.Parameter.empty)


REWARDS: dict[str, RewardSpec] = {
    s.name: s
    for s in (
        RewardSpec(
            "outcome", outcome_reward, "R1 rule: +1 correct, -0.5 wrong, -1 no final answer", -1.0, 1.0
        ),
        RewardSpec("format", format_reward, "closed <think> block followed by a final answer", 0.0, 1.0),
        RewardSpec(
            "language", language_consistency_reward, "share of target-language units in reasoning", 0.0, 1.0
        ),
        RewardSpec("style", style_reward, "style_match against a profile, literary_score, ornament net of slop, or quality",
                   0.0, 1.0),
        RewardSpec("repetition", repetition_penalty, "minus the share of repeated n-grams", -1.0, 0.0),
        RewardSpec("overlong", overlong_penalty, "DAPO soft overlong punishment", -1.0, 0.0),
        RewardSpec(
            "reflection", reflection_reward, "reflection phrase in the reasoning (tracked metric)", 0.0, 1.0
        ),
        RewardSpec("adversarial", adversarial_reward, "discriminator's P(human exemplar)", 0.0, 1.0),
    )
}


def get_spec(name: str) -> RewardSpec:
    try:
        return REWARDS[name]
    except KeyError:
        raise KeyError(f"unknown reward {name!r}: known rewards are {', '.join(REWARDS)}") from None


def get_reward(name: str, **options: Any) -> Callable[..., float]:
    """The reward function ``name``; with ``options`` bound (e.g. ``get_reward("outcome", fmt="zh_answer_line")``)."""
    spec = get_spec(name)
    bad = [k for k in options if k not in spec.params]
    if bad:
        raise TypeError(f"reward {name!r} has no option {bad[0]!r}; its options: {', '.join(spec.params)}")
    if not options:
        return spec.fn

    def bound(completion: str, **kwargs: Any) -> float:
        return spec.fn(completion, **{**options, **kwargs})

    bound.__name__ = name
    return bound


class Composite:
    """Weighted sum of named rewards. Call it like a reward: ``composite(completion, answer=..., ...)``;
    per-call kwargs are routed to the rewards that take them (``answer`` to outcome, ``length`` to overlong)."""

    def __init__(
        self,
        weights: Mapping[str, float],
        options: Mapping[str, Mapping[str, Any]] | None = None,
        extra: Mapping[str, Callable[..., float]] | None = None,
    ):
        options = dict(options or {})
        extra = dict(extra or {})
        self.weights = {str(k): float(v) for k, v in weights.items()}
        if not self.weights:
            raise ValueError("a composite reward needs at least one weighted reward")
        for key in options:
            if key not in self.weights:
                raise KeyError(f"options given for reward {key!r}, which has no weight in the composite")
        self._fns: dict[str, Callable[..., float]] = {}
        self._params: dict[str, tuple[str, ...] | None] = {}
        for name in self.weights:
            if name in extra:
                fn = extra[name]
                if options.get(name):
                    raise ValueError(f"bind options of the extra reward {name!r} yourself")
            else:
                fn = get_reward(name, **options.get(name, {}))
            self._fns[name] = fn
            self._params[name] = _accepted(fn if name in extra else get_spec(name).fn)

    def breakdown(self, completion: str, **kwargs: Any) -> dict[str, float]:
        """Each component's unweighted value."""
        out = {}
        for name, fn in self._fns.items():
            params = self._params[name]
            kw = kwargs if params is None else {k: v for k, v in kwargs.items() if k in params}
            out[name] = float(fn(completion, **kw))
        return out

    def __call__(self, completion: str, **kwargs: Any) -> float:
        parts = self.breakdown(completion, **kwargs)
        return sum(self.weights[k] * v for k, v in parts.items())

    def __repr__(self) -> str:
        return f"Composite({self.weights})"


def _accepted(fn: Callable[..., Any]) -> tuple[str, ...] | None:
    """Keyword names ``fn`` accepts; None if it takes ``**kwargs``."""
    params = inspect.signature(fn).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    return tuple(p.name for p in params)


def composite(
    weights: Mapping[str, float],
    options: Mapping[str, Mapping[str, Any]] | None = None,
    extra: Mapping[str, Callable[..., float]] | None = None,
) -> Composite:
    """A weighted composite: ``composite({"outcome": 1.0, "format": 0.2}, options={"outcome": {"fmt": "boxed"}})``."""
    return Composite(weights, options, extra)
