"""``wenforge clean IN.jsonl -o OUT.jsonl [--explain]``: the CLI face of ``clean_page``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("clean")(clean_cmd)


def clean_cmd(
    input: Annotated[Path, typer.Argument(help="JSONL with `id` and `text` per line")],
    output: Annotated[Path, typer.Option("-o", "--output", help="output JSONL (one line per input line)")],
    explain: Annotated[bool, typer.Option("--explain", help="add removed spans with reason codes")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="YAML with CleanConfig keys")] = None,
) -> None:
    """Adversarial cleaning of black-hat SEO pages: salvage the genuine text, flag spam, say why."""
    from collections import Counter

    import orjson
    import yaml
    from pydantic import ValidationError
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from wenforge.clean import reasons as R
    from wenforge.clean.config import CleanConfig
    from wenforge.clean.page import clean_page
    from wenforge.jsonl import InputError, parse_line, read_lines

    console = Console(stderr=True)

    def fail(msg: str) -> None:
        console.print(f"[red]error:[/red] {msg}")
        raise typer.Exit(2)

    try:
        lines = read_lines(input)
    except InputError as e:
        fail(str(e))
    cfg = CleanConfig()
    if config is not None:
        try:
            cfg = CleanConfig(**(yaml.safe_load(config.read_text(encoding="utf-8")) or {}))
        except (OSError, yaml.YAMLError, ValidationError, TypeError) as e:
            fail(f"{config}: invalid clean config: {e}")

    counts: Counter = Counter()
    n_in = n_spam = n_salvaged = n_empty = n_bad = 0
    chars_in = chars_out = 0
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as out, Progress(
        TextColumn("cleaning"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
        console=console, transient=True,
    ) as progress:
        task = progress.add_task("clean", total=len(lines))
        for lineno, line in enumerate(lines, 1):
            progress.advance(task)
            if not line.strip():
                continue
            n_in += 1
            row, reason = parse_line(line)
            if row is not None and not isinstance(row.get("text"), str):
                reason = "expected a JSON object with a string `text`"
            if reason:
                n_bad += 1
                counts[R.MALFORMED_INPUT] += 1
                console.print(f"[yellow]{input}:{lineno}: malformed input line ({reason}); written with reason "
                              f"{R.MALFORMED_INPUT}[/yellow]")
                rid = row.get("id") if row is not None else None
                rec = {"id": rid if rid is not None else f"{input.name}:{lineno}", "text": "", "spam": False,
                       "spam_score": 0.0, "reasons": [R.MALFORMED_INPUT], "line": lineno}
                if explain:
                    rec["raw"] = line[:2000]
                out.write(orjson.dumps(rec) + b"\n")
                continue
            res = clean_page(row["text"], cfg)
            rec = {"id": row.get("id", f"{input.name}:{lineno}"), **res.to_dict(explain)}
            out.write(orjson.dumps(rec) + b"\n")
            counts.update(res.reasons)
            chars_in += len(row["text"])
            chars_out += len(res.text)
            n_spam += res.spam
            n_salvaged += bool(res.spam and res.text)
            n_empty += not res.text

    table = Table(title=f"wenforge clean: {input} -> {output}", show_header=False)
    table.add_row("pages", str(n_in))
    table.add_row("spam pages", str(n_spam))
    table.add_row("spam pages salvaged (genuine text kept)", str(n_salvaged))
    table.add_row("pages with nothing genuine left", str(n_empty))
    table.add_row("malformed input lines", str(n_bad))
    table.add_row("characters kept", f"{chars_out}/{chars_in} ({chars_out / max(1, chars_in):.1%})")
    for code, n in counts.most_common():
        table.add_row(f"  reason {code}", str(n))
    console.print(table)
