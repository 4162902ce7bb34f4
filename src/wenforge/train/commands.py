"""CLI: `wenforge train sft CONFIG.yaml`, `wenforge train grpo CONFIG.yaml`, `wenforge train tiny OUT`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

_SET_HELP = "override a recipe key, e.g. --set max_steps=5 (value parsed as YAML); repeatable"


def parse_overrides(items: list[str] | None) -> dict:
    import yaml

    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"--set {item!r}: expected KEY=VALUE")
        out[key.strip()] = yaml.safe_load(value)
    return out


def _need_train_extra(console) -> None:
    import importlib.util

    missing = [m for m in ("torch", "transformers", "trl", "peft") if importlib.util.find_spec(m) is None]
    if missing:
        console.print(
            f"[red]missing {', '.join(missing)}: install the train extra: "
            "pip install 'wenforge[train]' (torch==2.13.0 first or in the same command)[/red]"
        )
        raise typer.Exit(2)


def _train(kind: str, config: Path, overrides: list[str] | None) -> None:
    from rich.console import Console

    console = Console()
    _need_train_extra(console)
    from wenforge.core.config import ConfigError
    from wenforge.train.config import RecipeError, load_recipe
    from wenforge.train.run import run_grpo, run_sft

    try:
        cfg = load_recipe(config, kind, parse_overrides(overrides))
        res = (run_sft if kind == "sft" else run_grpo)(cfg)
    except (ConfigError, RecipeError) as e:
        console.print(f"[red]{escape(str(e))}[/red]")
        raise typer.Exit(2) from None
    keys = ("loss", "reward", "rewards/outcome/mean", "rewards/format/mean", "completions/mean_length")
    fmt = lambda r: "  ".join(f"{k}={r[k]:.3g}" for k in keys if k in r)
    console.print(
        f"{kind}: {res.steps} steps in {res.seconds:.1f} s"
        + (f" (resumed from {res.resumed_from})" if res.resumed_from else "")
    )
    console.print(f"first: {fmt(res.first)}\nlast:  {fmt(res.last)}")
    console.print(f"model: {res.final_dir}  report: {res.run_dir / 'report.html'}", markup=False)


def register(app: typer.Typer) -> None:
    train_app = typer.Typer(
        help="Train with TRL: SFT, GRPO (R1-Zero with zero: true), tiny offline models.", no_args_is_help=True
    )
    app.add_typer(train_app, name="train")

    @train_app.command("sft")
    def sft(
        config: Annotated[Path, typer.Argument(help="YAML recipe (keys: TRL SFTConfig fields + wenforge's)")],
        set_: Annotated[list[str] | None, typer.Option("--set", help=_SET_HELP)] = None,
    ) -> None:
        """Supervised fine-tuning (TRL SFTTrainer), LoRA optional, resumes from the last checkpoint."""
        _train("sft", config, set_)

    @train_app.command("grpo")
    def grpo(
        config: Annotated[
            Path, typer.Argument(help="YAML recipe (keys: TRL GRPOConfig fields + wenforge's)")
        ],
        set_: Annotated[list[str] | None, typer.Option("--set", help=_SET_HELP)] = None,
    ) -> None:
        """GRPO with wenforge's rule-based rewards (TRL GRPOTrainer); `zero: true` is R1-Zero mode."""
        _train("grpo", config, set_)

    @train_app.command("tiny")
    def tiny(
        out: Annotated[Path, typer.Argument(help="folder for the model and tokenizer")],
        corpus: Annotated[
            Path, typer.Option("--corpus", help="JSONL or text file to train the tokenizer on")
        ],
        arch: Annotated[str, typer.Option("--arch", help="qwen2 or gpt2")] = "qwen2",
        hidden_size: Annotated[int, typer.Option("--hidden-size")] = 64,
        layers: Annotated[int, typer.Option("--layers")] = 2,
        vocab_size: Annotated[int, typer.Option("--vocab-size")] = 1024,
    ) -> None:
        """Build a tiny random-init causal LM and a locally trained tokenizer (offline tests and demos)."""

        from rich.console import Console

        console = Console()
        _need_train_extra(console)
        from wenforge.core.rows import InputError, data_rows
        from wenforge.lm.tiny import TinySpec, build_tiny_model

        if not corpus.is_file():
            console.print(f"[red]no such corpus file: {escape(str(corpus))}[/red]")
            raise typer.Exit(2)
        try:
            if corpus.suffix == ".jsonl":
                texts = [v for r in data_rows(corpus) for v in r.values() if isinstance(v, str)]
            else:
                texts = [line for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
        except (InputError, UnicodeDecodeError) as e:
            console.print(f"[red]{escape(str(e))}[/red]")
            raise typer.Exit(2) from None
        spec = TinySpec(arch=arch, hidden_size=hidden_size, num_layers=layers, vocab_size=vocab_size)
        path = build_tiny_model(out, texts, spec)
        console.print(f"tiny {arch} model and tokenizer written to {path}", markup=False)
