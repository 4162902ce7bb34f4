"""The `wenforge` command: thin wrappers that parse arguments, call the library and print a summary."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.core import TyperGroup


def _fail(message: str) -> typer.Exit:
    """Print each line of `message` as `error: LINE` on stderr (never wrapped); the exit to raise (code 2)."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True, soft_wrap=True)
    for line in message.splitlines() or [""]:
        console.print(f"[red]error:[/red] {escape(line)}")
    return typer.Exit(2)


class _Group(TyperGroup):
    """Every command's config errors (`file:line: key: message`, one line per problem) and operating-system
    errors (a read-only output, a folder given as a file, a port out of range, a full disk) end as clear lines
    and exit code 2, not a traceback."""

    def invoke(self, ctx):
        from wenforge.core.config import ConfigError

        try:
            return super().invoke(ctx)
        except ConfigError as e:
            raise _fail(str(e)) from None
        except (OSError, OverflowError) as e:  # OverflowError: e.g. a number beyond a socket's range
            where = f"{e.filename}: " if getattr(e, "filename", None) else ""
            raise _fail(where + (getattr(e, "strerror", None) or str(e))) from None


app = typer.Typer(
    name="wenforge",
    cls=_Group,
    help="Forge a language model's writing style and reasoning, data first.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    """Attach each capability's commands (their modules import heavy libraries lazily)."""
    for name in ("pipeline", "clean", "style", "mix", "rewards", "train", "forge", "distill", "serve", "eval", "pii", "decontam"):
        __import__(f"wenforge.{name}.commands", fromlist=["register"]).register(app)


@app.command("demo")
def demo(
    output: Path = typer.Option(Path("wenforge-demo"), "--output", "-o", help="demo folder"),
    workers: int = typer.Option(2, "--workers", "-w"),
) -> None:
    """Run the bundled example corpus end to end into ./wenforge-demo/ and print where the report is."""
    from wenforge.demo import run_demo

    run_demo(output, workers=workers)


_register()

if __name__ == "__main__":
    app()
