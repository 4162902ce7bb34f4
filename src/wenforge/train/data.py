"""Training rows from wenforge outputs (distill's chat `messages`, prompt/completion pairs, math rows with a gold
answer) as TRL datasets. Heavy: imports datasets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wenforge.core.rows import InputError, data_files, data_rows
from wenforge.train.config import RecipeError


def read_rows(source: str | Path, split: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Rows of a JSONL/JSON/Parquet file, or of every such file under a run folder's ``data/``.

    Rows whose ``split`` differs from ``split`` are skipped (rows without the column are kept)."""
    rows: list[dict[str, Any]] = []
    try:
        for f in data_files(source, (".jsonl", ".parquet", ".json")):
            if f.suffix == ".json":
                new = json.loads(f.read_text(encoding="utf-8"))
                if not isinstance(new, list):
                    raise RecipeError(f"{f}: a .json data file must hold a list of rows")
            else:
                new = data_rows(f)
            for r in new:
                if split is None or "split" not in r or r["split"] == split:
                    rows.append(r)
                if limit is not None and len(rows) >= limit:
                    return rows
    except InputError as e:
        raise RecipeError(str(e)) from None
    return rows


def _require(rows: list[dict], key: str, source: Any, what: str) -> None:
    for i, r in enumerate(rows):
        if key not in r or r[key] is None:
            raise RecipeError(f"{source}: row {i} has no {key!r} ({what}); columns: {sorted(r)}")


def sft_dataset(cfg, rows: list[dict] | None = None):
    """A TRL SFT dataset: ``messages`` (chat), else ``prompt``/``completion`` chat pairs, else ``text``."""
    from datasets import Dataset

    rows = rows if rows is not None else read_rows(cfg.train_file, cfg.split, cfg.limit)
    if not rows:
        raise RecipeError(f"{cfg.train_file}: no training rows (split={cfg.split!r})")
    first = rows[0]
    if cfg.messages_field in first:
        _require(rows, cfg.messages_field, cfg.train_file, "chat messages")
        return Dataset.from_list([{"messages": r[cfg.messages_field]} for r in rows])
    if cfg.prompt_field in first and cfg.completion_field in first:
        _require(rows, cfg.prompt_field, cfg.train_file, "prompt")
        _require(rows, cfg.completion_field, cfg.train_file, "completion")
        return Dataset.from_list(
            [
                {
                    "prompt": _chat_prompt(cfg, r[cfg.prompt_field]),
                    "completion": [{"role": "assistant", "content": str(r[cfg.completion_field])}],
                }
                for r in rows
            ]
        )
    if cfg.dataset_text_field in first:
        return Dataset.from_list([{"text": str(r[cfg.dataset_text_field])} for r in rows])
    raise RecipeError(
        f"{cfg.train_file}: SFT rows need {cfg.messages_field!r}, or {cfg.prompt_field!r} + "
        f"{cfg.completion_field!r}, or {cfg.dataset_text_field!r}; got columns {sorted(first)}"
    )


def _chat_prompt(cfg, question: Any) -> list[dict]:
    msgs = [{"role": "system", "content": cfg.system_prompt}] if cfg.system_prompt else []
    msgs.append({"role": "user", "content": cfg.prompt_template.format(question=question)})
    return msgs


def grpo_prompt(cfg, question: Any):
    """The prompt for one question: a plain-text template in zero mode, else chat messages."""
    if getattr(cfg, "zero", False):
        return cfg.zero_template.format(question=question)
    return _chat_prompt(cfg, question)


def grpo_dataset(cfg, rows: list[dict] | None = None):
    """A TRL GRPO dataset: ``prompt`` plus the gold ``answer`` and any other columns, passed to the rewards."""
    from datasets import Dataset

    rows = rows if rows is not None else read_rows(cfg.train_file, cfg.split, cfg.limit)
    if not rows:
        raise RecipeError(f"{cfg.train_file}: no training rows (split={cfg.split!r})")
    _require(rows, cfg.prompt_field, cfg.train_file, "the question")
    needs_answer = any(n == "outcome" for n in cfg.rewards)
    if needs_answer:
        _require(rows, cfg.answer_field, cfg.train_file, "the gold answer for the outcome reward")
    out = []
    for r in rows:
        row = {k: v for k, v in r.items() if isinstance(v, (str, int, float, bool)) and k not in ("prompt",)}
        row["prompt"] = grpo_prompt(cfg, r[cfg.prompt_field])
        if cfg.answer_field in r:
            row["answer"] = str(r[cfg.answer_field])
        out.append(row)
    return Dataset.from_list(out)
