"""The `wenforge` command: thin wrappers that parse arguments, call the library and print a summary."""

from __future__ import annotations

import typer
from typer.core import TyperGroup


class _Group(TyperGroup):
    """Every command's operating-system errors (a read-only output, a folder given as a file, a port out of
    range, a full disk) end as one clear line and exit code 2, not a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (OSError, OverflowError) as e:  # OverflowError: e.g. a number beyond a socket's range
            from rich.console import Console
            from rich.markup import escape

            where = f"{e.filename}: " if getattr(e, "filename", None) else ""
            reason = getattr(e, "strerror", None) or str(e)
            Console(stderr=True).print(f"[red]error:[/red] {escape(where + reason)}")
            raise typer.Exit(2) from None


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
    from wenforge.pipeline import commands as pipeline_commands

    pipeline_commands.register(app)
    for name in ("clean", "style", "mix", "rewards", "train", "forge", "distill", "serve", "eval"):
        __import__(f"wenforge.{name}.commands", fromlist=["register"]).register(app)


_register()

if __name__ == "__main__":
    app()
