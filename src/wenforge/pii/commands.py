"""CLI: `wenforge pii IN.jsonl -o OUT.jsonl [--mode placeholder|hash] [--field text] [--types ...]`.

Thin wrapper: every row keeps its fields, gains `pii` ([{type, start, end}] over the input text) and has its
text field replaced; a malformed line or a row without a string text is written with `error` and `reason`,
never dropped. The salt of hash mode comes from --salt or $WENFORGE_PII_SALT and is never printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wenforge.core.storage import path_or_url
from wenforge.pii.replace import SALT_ENV
from wenforge.report.console import print_problems


def register(app: typer.Typer) -> None:
    app.command("pii")(pii_cmd)


def _row_problem(row: dict, field: str) -> tuple[str, str] | None:
    """(reason code, message) when `row` has no string in `field`, else None."""
    from wenforge.core import reasons as R

    if row.get(field) is None:
        return R.MISSING_TEXT, f"no `{field}` field"
    if not isinstance(row[field], str):
        return R.WRONG_FIELD_TYPE, f"`{field}` is a {type(row[field]).__name__}, expected a string"
    return None


def pii_cmd(
    input: Annotated[Path, typer.Argument(parser=path_or_url, help="JSONL rows with a text field")],
    output: Annotated[Path, typer.Option("-o", "--output", parser=path_or_url, help="output JSONL (one line per input line)")],
    mode: Annotated[str, typer.Option("--mode", help="placeholder (<PHONE>) or hash (<PHONE:3f9a...>, salted)")] = "placeholder",
    field: Annotated[str, typer.Option("--field", help="the field holding the text")] = "text",
    types: Annotated[str | None, typer.Option("--types", help="comma-separated types to redact (default: all)")] = None,
    salt: Annotated[str | None, typer.Option("--salt", envvar=SALT_ENV, show_envvar=True, show_default=False,
                                             help="hash mode's salt (prefer the environment variable)")] = None,
) -> None:
    """Find and replace personal data (phones, ID and bank card numbers, emails, IPs, QQ/WeChat IDs, plates)."""
    import time

    import orjson
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from wenforge.core import reasons as R
    from wenforge.core.rows import InputError, check_text_file, read_jsonl
    from wenforge.core.runs import OutputError, atomic_output, refuse_overwrite
    from wenforge.pii.detect import PII_TYPES
    from wenforge.pii.replace import PIIError, check_types, redact

    console = Console(stderr=True)

    def fail(msg: str) -> None:
        console.print(f"[red]error:[/red] {escape(msg)}", highlight=False)
        raise typer.Exit(2)

    try:
        wanted = check_types([t.strip() for t in types.split(",") if t.strip()] if types else None)
        redact("", mode, salt=salt, types=wanted)  # refuses an unknown mode or hash mode without a salt up front
        check_text_file(input)
        refuse_overwrite(output, input)
    except (PIIError, InputError, OutputError) as e:
        fail(str(e))
    counts = dict.fromkeys(PII_TYPES, 0)
    n_rows = n_with = n_bad = chars = 0
    problems: list[str] = []
    t0 = time.process_time()
    try:
        with atomic_output(output) as out:
            for line in read_jsonl(input):
                row = line.row
                problem = (R.MALFORMED_JSON, line.reason) if row is None else _row_problem(row, field)
                if problem:
                    n_bad += 1
                    msg = f"{input}:{line.lineno}: {problem[1]}"
                    problems.append(msg)
                    rec = {"id": None} if row is None else dict(row)
                    out.write(orjson.dumps({**rec, "line": line.lineno, "error": msg, "reason": problem[0]}) + b"\n")
                    continue
                new_text, spans = redact(row[field], mode, salt=salt, types=wanted)
                n_rows += 1
                n_with += bool(spans)
                chars += len(row[field])
                for s in spans:
                    counts[s["type"]] += 1
                out.write(orjson.dumps({**row, field: new_text, "pii": spans}) + b"\n")
    except InputError as e:
        fail(str(e))
    seconds = time.process_time() - t0
    table = Table(title=f"wenforge pii ({mode})", show_header=False)
    table.add_row("input", escape(str(input)))
    table.add_row("rows", str(n_rows))
    table.add_row("rows with personal data", f"{n_with} ({n_with / max(n_rows, 1):.1%})")
    for t, n in counts.items():
        if n:
            table.add_row(f"  {t}", str(n))
    table.add_row("malformed / rejected lines (written with a reason)", str(n_bad))
    table.add_row("speed", f"{chars / max(seconds, 1e-9):,.0f} chars per CPU-second")
    table.add_row("output", escape(str(output)))
    console.print(table)
    print_problems(console, problems, output)
