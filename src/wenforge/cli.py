"""The `wenforge` command: thin wrappers that parse arguments, call the library and print a summary."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="wenforge",
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
        try:
            module = __import__(f"wenforge.{name}.commands", fromlist=["register"])
        except ModuleNotFoundError as e:
            if e.name and e.name.startswith("wenforge."):
                continue  # capability not present in this build
            raise
        module.register(app)


_register()

if __name__ == "__main__":
    app()
