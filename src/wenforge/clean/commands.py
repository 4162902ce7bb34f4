"""``wenforge clean IN.jsonl -o OUT.jsonl [--explain]``: the CLI face of ``clean_page``."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Annotated

import typer

from wenforge.core.storage import path_or_url


def register(app: typer.Typer) -> None:
    app.command("clean")(clean_cmd)


def clean_cmd(
    input: Annotated[Path, typer.Argument(parser=path_or_url, help="JSONL with `id` and `text` per line")],
    output: Annotated[Path, typer.Option("-o", "--output", parser=path_or_url, help="output JSONL (one line per input line)")],
    explain: Annotated[bool, typer.Option("--explain", help="add removed spans with reason codes")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="YAML with CleanConfig keys")] = None,
) -> None:
    """Adversarial cleaning of black-hat SEO pages: salvage the genuine text, flag spam, say why."""
    from collections import Counter

    import orjson
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from wenforge.clean.config import CleanConfig, load_clean_config
    from wenforge.clean.page import clean_page
    from wenforge.core import reasons as R
    from wenforge.core.config import ConfigError
    from wenforge.core.rows import InputError, check_text_file, count_rows, read_jsonl
    from wenforge.core.runs import OutputError, atomic_output, refuse_overwrite

    console = Console(stderr=True)

    def fail(msg: str) -> None:
        console.print(f"[red]error:[/red] {escape(msg)}")
        raise typer.Exit(2)

    try:
        check_text_file(input)
        refuse_overwrite(output, input)
        in_name = PurePosixPath(str(input)).name  # a local path or a remote URL
    except (InputError, OutputError) as e:
        fail(str(e))
    cfg = CleanConfig()
    if config is not None:
        try:
            cfg = load_clean_config(config)
        except ConfigError as e:
            fail(str(e))

    counts: Counter = Counter()
    n_in = n_spam = n_salvaged = n_empty = n_bad = 0
    chars_in = chars_out = 0
    try:
        with atomic_output(output) as out, Progress(
            TextColumn("cleaning"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
            console=console, transient=True,
        ) as progress:
            task = progress.add_task("clean", total=count_rows(input))
            for line in read_jsonl(input):
                progress.advance(task)
                n_in += 1
                row, reason, code = line.row, line.reason, R.MALFORMED_JSON
                if row is not None and not isinstance(row.get("text"), str):
                    reason, code = "expected a JSON object with a string `text`", R.MISSING_TEXT
                if reason:
                    n_bad += 1
                    counts[code] += 1
                    console.print(f"{escape(str(input))}:{line.lineno}: malformed input line ({escape(reason)}); "
                                  f"written with reason {code}", style="yellow")
                    rid = row.get("id") if row is not None else None
                    rec = {"id": rid if rid is not None else f"{in_name}:{line.lineno}", "text": "", "spam": False,
                           "spam_score": 0.0, "reasons": [code], "line": line.lineno}
                    if explain:
                        rec["raw"] = (line.raw or orjson.dumps(row)).decode("utf-8", "replace")[:2000]
                    out.write(orjson.dumps(rec) + b"\n")
                    continue
                res = clean_page(row["text"], cfg)
                rec = {"id": row.get("id", f"{in_name}:{line.lineno}"), **res.to_dict(explain)}
                out.write(orjson.dumps(rec) + b"\n")
                counts.update(res.reasons)
                chars_in += len(row["text"])
                chars_out += len(res.text)
                n_spam += res.spam
                n_salvaged += bool(res.spam and res.text)
                n_empty += not res.text
    except OSError as e:
        fail(f"{output}: cannot write the output: {e.strerror or e}")

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
