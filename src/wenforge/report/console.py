"""The terminal side of a command's report: what every row-by-row command prints about the lines it wrote with
a reason instead of a result (malformed JSON, a missing field), so each prints it the same way."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

SHOWN_PROBLEMS = 10  # lines listed on the terminal; the output file holds them all


def print_problems(console: Any, problems: Sequence[str], output: str | Path) -> None:
    """The first SHOWN_PROBLEMS `problems` (escaped) and how many more are in `output`."""
    from rich.markup import escape

    for msg in problems[:SHOWN_PROBLEMS]:
        console.print(f"[yellow]written with reason:[/yellow] {escape(msg)}", highlight=False)
    if len(problems) > SHOWN_PROBLEMS:
        console.print(f"... and {len(problems) - SHOWN_PROBLEMS} more (see `error` lines in {escape(str(output))})",
                      highlight=False)
