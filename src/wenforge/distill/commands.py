"""`wenforge distill [CONFIG.yaml] [--key value ...]`: every config key is also a flag.

The flags are generated from `DistillConfig`'s fields, so the YAML keys and the flags can never drift.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any, Optional

import typer
from rich.markup import escape

_SCALAR = {str: str, int: int, float: float, bool: bool, Path: Path}


def _flag_type(annotation: Any) -> type:
    """The type typer parses a field's flag as: scalars as themselves, lists/dicts/literals as strings."""
    import typing

    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if annotation in _SCALAR:
        return _SCALAR[annotation]
    if origin is typing.Literal:
        return str
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)) and len(args) == 1:
        return _flag_type(args[0])
    return str


def _build_command():
    from wenforge.distill.config import DistillConfig

    params = [
        inspect.Parameter(
            "config",
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=typer.Argument(None, help="YAML config (optional: every key is also a flag)", show_default=False),
            annotation=Optional[Path],  # noqa: UP045
        )
    ]
    annotations: dict[str, Any] = {"config": Optional[Path]}  # noqa: UP045
    for name, f in DistillConfig.model_fields.items():
        t = _flag_type(f.annotation)
        help_text = f.description or ""
        if t is str and f.annotation is not str:
            help_text += " [comma list]" if "list" in str(f.annotation) else ""
            help_text += " [JSON object]" if "dict" in str(f.annotation) else ""
        flag = "--" + name.replace("_", "-")
        opt = typer.Option(None, f"{flag}/--no-{name.replace('_', '-')}" if t is bool else flag,
                           help=help_text, show_default=False)
        params.append(
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=opt, annotation=Optional[t])  # noqa: UP045
        )
        annotations[name] = Optional[t]  # noqa: UP045
    params.append(
        inspect.Parameter("quiet", inspect.Parameter.KEYWORD_ONLY, annotation=bool,
                          default=typer.Option(False, "--quiet", "-q", help="no progress bar"))
    )
    annotations["quiet"] = bool

    def distill(**kwargs: Any) -> None:
        """Distil a teacher: prompts -> OpenAI-compatible endpoint -> verified samples -> SFT rows."""
        _run(kwargs)

    distill.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    distill.__annotations__ = annotations
    return distill


def _run(kwargs: dict[str, Any]) -> None:
    from rich.console import Console

    from wenforge.core.config import ConfigError
    from wenforge.distill.config import load_config
    from wenforge.distill.templates import TemplateError

    console = Console(stderr=True)
    config_path = kwargs.pop("config", None)
    quiet = kwargs.pop("quiet", False)
    overrides = {k: v for k, v in kwargs.items() if v is not None}
    try:
        cfg = load_config(config_path, overrides)
    except ConfigError as e:
        console.print(f"[red]config error[/red]\n{escape(str(e))}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    if config_path is None and ("input" not in overrides or "output" not in overrides):
        console.print("[red]give a CONFIG.yaml or at least --input and --output[/red]")
        raise typer.Exit(2)

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from wenforge.distill.run import Distiller

    progress = Progress(TextColumn("distill"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("ok {task.fields[ok]} · excluded {task.fields[bad]}"), TimeElapsedColumn(),
                        console=console, disable=quiet)
    task_id = None

    def on_progress(event: str, info: dict[str, Any]) -> None:
        nonlocal task_id
        if event == "start":
            task_id = progress.add_task("distill", total=info.get("total"), ok=0, bad=0)
        elif event == "advance" and task_id is not None:
            t = progress.tasks[task_id]
            progress.update(task_id, advance=1, ok=t.fields["ok"] + int(info["ok"]),
                            bad=t.fields["bad"] + int(not info["ok"]))

    def warn(msg: str) -> None:
        console.print(f"[yellow]warning:[/yellow] {escape(msg)}", highlight=False, markup=True)

    try:
        with progress:
            summary = Distiller(cfg, progress=on_progress, warn=warn).run()
    except (ConfigError, TemplateError) as e:
        console.print(f"[red]error:[/red] {escape(str(e))}", highlight=False)
        raise typer.Exit(2) from None
    print_summary(summary.stats, summary.output, summary.run_dir)


def print_summary(stats: dict[str, Any], output: Path, run_dir: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    c = stats["counts"]
    t = Table(title="distill", show_header=False)
    t.add_row("prompts", str(c.get("prompts", 0)))
    t.add_row("with output / excluded", f"{c.get('prompts_with_output', 0)} / {c.get('prompts_excluded', 0)}")
    t.add_row("samples passed / total", f"{c.get('samples_passed', 0)} / {c.get('samples', 0)}")
    t.add_row("rows written", str(c.get("rows_written", 0)))
    t.add_row("requests sent / cache hits", f"{c.get('requests_sent', 0)} / {c.get('cache_hits', 0)}")
    cl = stats["client"]
    t.add_row("retries", json.dumps(cl["retries"]) if cl["retries"] else "0")
    for k, v in sorted(stats["excluded"].items(), key=lambda kv: -kv[1]):
        t.add_row(f"  excluded: {k}", str(v))
    for k, v in sorted(stats["samples_rejected_by_reason"].items(), key=lambda kv: -kv[1]):
        t.add_row(f"  rejected sample: {k}", str(v))
    t.add_row("wall", f"{stats['seconds']:.1f} s")
    t.add_row("output", str(output))
    t.add_row("report", str(run_dir / "report.html"))
    console.print(t)


def register(app: typer.Typer) -> None:
    app.command("distill", help="Distil a teacher model into an SFT dataset (see docs/distill.md).")(_build_command())
