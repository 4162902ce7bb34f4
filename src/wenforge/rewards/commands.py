"""CLI: `wenforge rewards list` and `wenforge rewards score IN.jsonl`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape


def register(app: typer.Typer) -> None:
    rewards_app = typer.Typer(
        help="Rule-based rewards: list them, score completions with them.", no_args_is_help=True
    )
    app.add_typer(rewards_app, name="rewards")

    @rewards_app.command("list")
    def list_rewards() -> None:
        """The rewards by name, with their range and options."""
        from rich.console import Console
        from rich.table import Table

        from wenforge.rewards import REWARDS

        t = Table(title="wenforge rewards")
        for c in ("name", "range", "options", "what"):
            t.add_column(c)
        for s in REWARDS.values():
            t.add_row(s.name, f"[{s.low:g}, {s.high:g}]", ", ".join(s.params), s.description)
        Console().print(t)

    @rewards_app.command("score")
    def score(
        input: Annotated[Path, typer.Argument(help="JSONL with a completion and a gold answer per row")],
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="run folder (default: <input stem>.rewards/)")
        ] = None,
        weights: Annotated[
            str, typer.Option("--weights", "-w", help="e.g. outcome=1,format=0.2,repetition=0.5")
        ] = "outcome=1",
        fmt: Annotated[
            str, typer.Option("--fmt", help="answer format: boxed, answer_tag, zh_answer_line, any")
        ] = "boxed",
        completion_key: Annotated[str, typer.Option("--completion-key")] = "completion",
        answer_key: Annotated[str, typer.Option("--answer-key")] = "answer",
        lang: Annotated[str, typer.Option("--lang", help="language reward's target: zh or en")] = "zh",
    ) -> None:
        """Score every completion; writes data/scored.jsonl, excluded/, stats.json and report.html."""
        from rich.console import Console

        from wenforge.rewards.outcome import ANSWER_FORMATS
        from wenforge.rewards.scoring import parse_weights, score_jsonl

        console = Console()
        if not input.is_file():
            console.print(f"[red]no such file: {escape(str(input))}[/red]")
            raise typer.Exit(2)
        if fmt not in ANSWER_FORMATS:
            console.print(f"[red]--fmt {escape(repr(fmt))}: expected one of {', '.join(ANSWER_FORMATS)}[/red]")
            raise typer.Exit(2)
        try:
            w = parse_weights(weights)
        except (KeyError, ValueError) as e:
            console.print(f"[red]--weights: {escape(str(e))}[/red]")
            raise typer.Exit(2) from None
        out = output or input.with_suffix(".rewards")
        res = score_jsonl(
            input, out, w, fmt=fmt, completion_key=completion_key, answer_key=answer_key, lang=lang
        )
        means = "  ".join(f"{k}={v:.3f}" for k, v in res.means.items())
        console.print(
            f"read {res.read}, scored {res.scored}, excluded {sum(res.excluded.values())} "
            f"{dict(res.excluded) or ''} in {res.seconds:.2f} s"
        )
        console.print(f"means: {means}  verdicts: {dict(res.verdicts)}")
        console.print(f"run folder: {out}", markup=False)
