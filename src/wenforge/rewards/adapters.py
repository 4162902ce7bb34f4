"""The same rewards on three RL engines, as thin wrappers:

- TRL: ``trl_reward("outcome", fmt="boxed")`` is a reward function for ``GRPOTrainer(reward_funcs=[...])``:
  it takes ``prompts``, ``completions`` (plain strings or chat messages) and the dataset's columns as kwargs,
  and returns one float per completion; TRL logs it as ``rewards/<name>/mean``.
- verl: this file is a verl custom reward module: ``custom_reward_function.path=<this file>``,
  ``custom_reward_function.name=compute_score``. ``extra_info`` may carry ``fmt``, ``weights`` and ``options``.
- OpenRLHF (0.11): ``--reward.remote_url <this file> --data.label_key answer`` calls ``reward_func(queries, prompts, labels)``.

No torch import here except inside ``reward_func`` (OpenRLHF expects tensors and always has torch).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from wenforge.rewards.registry import REWARDS, Composite, _accepted, composite, get_spec

# TRL's own kwargs; never dataset columns.
_TRL_INTERNAL = {"trainer_state", "log_extra", "log_metric", "environments", "completion_ids"}


def completion_text(completion: Any) -> str:
    """Text of one completion: a string, a chat message list (assistant contents joined), or one message."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, Mapping):
        return _content(completion.get("content", ""))
    if isinstance(completion, Sequence):
        parts = [m for m in completion if isinstance(m, Mapping)]
        assistant = [m for m in parts if m.get("role", "assistant") == "assistant"]
        return "".join(_content(m.get("content", "")) for m in (assistant or parts))
    raise TypeError(
        f"cannot read a completion of type {type(completion).__name__}: expected str or chat messages"
    )


def _content(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # multimodal content blocks: keep the text ones
        return "".join(b.get("text", "") for b in content if isinstance(b, Mapping))
    return str(content)


class TRLReward:
    """A TRL reward function over a named reward (or a Composite, or any ``fn(completion, **kw) -> float``).

    ``columns`` maps the reward's keyword to a dataset column, e.g. ``{"answer": "final_answer"}``.
    ``length`` for ``overlong`` comes from TRL's ``completion_ids`` (tokens).
    """

    def __init__(
        self,
        reward: str | Composite | Callable[..., float],
        name: str | None = None,
        columns: Mapping[str, str] | None = None,
        **options: Any,
    ):
        if isinstance(reward, str):
            spec = get_spec(reward)
            bad = [k for k in options if k not in spec.params]
            if bad:
                raise TypeError(
                    f"reward {reward!r} has no option {bad[0]!r}; its options: {', '.join(spec.params)}"
                )
            self._fn: Callable[..., float] = spec.fn
            self._accepts = _accepted(spec.fn)
            self.__name__ = name or reward
        else:
            if options:
                raise TypeError("options apply to a named reward only; bind them into your callable")
            self._fn = reward
            self._accepts = None if isinstance(reward, Composite) else _accepted(reward)
            self.__name__ = name or getattr(reward, "__name__", "composite")
        self.options = options
        self.columns = dict(columns or {})

    def __call__(self, prompts: Sequence[Any] | None = None, completions: Sequence[Any] = (), **kwargs: Any):
        n = len(completions)
        ids = kwargs.get("completion_ids")
        cols = {k: v for k, v in kwargs.items() if k not in _TRL_INTERNAL}
        for kw, col in self.columns.items():
            if col not in cols:
                raise KeyError(
                    f"reward {self.__name__!r} needs dataset column {col!r} (for {kw!r}); got {sorted(cols)}"
                )
            cols[kw] = cols.pop(col) if col != kw else cols[col]
        out = []
        for i in range(n):
            kw = {k: v[i] for k, v in cols.items() if isinstance(v, (list, tuple)) and len(v) == n}
            if ids is not None and (self._accepts is None or "length" in self._accepts):
                kw.setdefault("length", len(ids[i]))
            if self._accepts is not None:
                kw = {k: v for k, v in kw.items() if k in self._accepts}
            out.append(float(self._fn(completion_text(completions[i]), **{**kw, **self.options})))
        return out


def trl_reward(
    reward: str | Composite | Callable[..., float], name: str | None = None, **options: Any
) -> TRLReward:
    """Shorthand for ``TRLReward``: ``GRPOTrainer(reward_funcs=[trl_reward("outcome"), trl_reward("format")])``."""
    columns = options.pop("columns", None)
    return TRLReward(reward, name=name, columns=columns, **options)


def trl_rewards(weights: Mapping[str, float], options: Mapping[str, Mapping[str, Any]] | None = None):
    """(reward functions, weights) for ``GRPOTrainer(reward_funcs=...)`` and ``GRPOConfig(reward_weights=...)``:
    one TRL function per named reward, so TRL logs each one and weights them itself."""
    options = dict(options or {})
    funcs = [trl_reward(name, **dict(options.get(name, {}))) for name in weights]
    return funcs, [float(w) for w in weights.values()]


# ---------------------------------------------------------------- verl
def compute_score(data_source: str, solution_str: str, ground_truth: Any, extra_info: Mapping | None = None):
    """verl's custom reward entry point. Default: the outcome reward in ``boxed`` format.

    ``extra_info`` keys (all optional): ``fmt`` (answer format), ``weights`` (a composite by reward name,
    e.g. ``{"outcome": 1.0, "format": 0.1}``), ``options`` (per-reward options), ``lang``.
    Returns a dict with ``score`` and each component, which verl logs.
    """
    info = dict(extra_info or {})
    fmt = info.get("fmt") or ("zh_answer_line" if str(data_source).endswith(":zh_answer_line") else "boxed")
    weights = info.get("weights")
    if not weights:
        score = REWARDS["outcome"].fn(solution_str, str(ground_truth), fmt=fmt)
        return {"score": score, "acc": float(score == 1.0)}
    options = {k: dict(v) for k, v in dict(info.get("options") or {}).items()}
    for name in weights:  # the answer format applies to every reward that reads the final answer
        if "fmt" in get_spec(name).params:
            options.setdefault(name, {}).setdefault("fmt", fmt)
    comp = composite(weights, options)
    kw: dict[str, Any] = {"answer": str(ground_truth)}
    if "lang" in info:
        kw["lang"] = info["lang"]
    parts = comp.breakdown(solution_str, **kw)
    score = sum(comp.weights[k] * v for k, v in parts.items())
    return {"score": score, **parts}


# ---------------------------------------------------------------- OpenRLHF
def reward_func(queries: Sequence[str], prompts: Sequence[str], labels: Sequence[str], **kwargs: Any):
    """OpenRLHF's remote reward function: ``queries`` are prompt + response, ``labels`` the gold answers
    (``--data.label_key``). Returns rewards, scores (rescaled to [0, 1] for dynamic filtering) and extra logs."""
    import torch

    fmt = kwargs.get("fmt", "boxed")
    rewards = []
    for q, p, label in zip(queries, prompts, labels):
        response = q.removeprefix(p)
        rewards.append(REWARDS["outcome"].fn(response, str(label), fmt=fmt))
    t = torch.tensor(rewards, dtype=torch.float32)
    return {"rewards": t, "scores": (t + 1.0) / 2.0, "extra_logs": {"outcome_acc": (t == 1.0).float()}}
