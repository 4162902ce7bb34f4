"""`wenforge serve MODEL_DIR --port P` and `wenforge serve-tiny OUT_DIR` (a tiny test model)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

HEAVY_MODULES = ("torch", "transformers")  # what loading and running a model needs (extra `train`)


def serve(
    model_dir: str = typer.Argument(..., help="a local model folder (config.json, weights, tokenizer)"),
    port: int = typer.Option(8000, "--port", "-p", min=0, max=65535, help="TCP port (0: any free port)"),
    host: str = typer.Option("127.0.0.1", "--host", help="bind address (127.0.0.1: this machine only)"),
    device: str = typer.Option("cpu", "--device", help="torch device: cpu, cuda, cuda:1, mps"),
    threads: int = typer.Option(0, "--threads", help="torch CPU threads (0: torch's default)"),
    max_tokens: int = typer.Option(256, "--max-tokens", help="default max_tokens when a request gives none"),
    max_tokens_cap: int = typer.Option(2048, "--max-tokens-cap", help="largest max_tokens a request may ask"),
    name: str = typer.Option(None, "--name", help="model id reported by /v1/models (default: folder name)"),
    reasoning_parser: bool = typer.Option(False, "--reasoning-parser", help="move <think> blocks to reasoning_content"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="log every request"),
) -> None:
    """Serve MODEL_DIR as an OpenAI-compatible /v1/chat/completions (for scale, use vLLM: docs/distill.md)."""
    from rich.console import Console

    console = Console(stderr=True)
    if missing := [m for m in HEAVY_MODULES if importlib.util.find_spec(m) is None]:
        console.print(f"[red]wenforge serve needs {', '.join(missing)}[/red] (pip install 'wenforge\\[train]')")
        raise typer.Exit(2)
    from wenforge.serve.server import ChatModel, make_server

    try:
        model = ChatModel(model_dir, device=device, threads=threads or None, reasoning_parser=reasoning_parser,
                          name=name)
    except (OSError, ValueError) as e:
        console.print(f"[red]cannot load model from {escape(model_dir)}:[/red] {escape(str(e))}")
        raise typer.Exit(2) from None
    try:
        server = make_server(model, host, port, default_max_tokens=max_tokens, max_tokens_cap=max_tokens_cap,
                             quiet=not verbose)
    except OSError as e:
        console.print(f"[red]cannot listen on {escape(host)}:{port}:[/red] {escape(str(e))}")
        raise typer.Exit(2) from None
    console.print(f"serving [bold]{model.name}[/bold] at http://{host}:{server.server_address[1]}/v1 (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def serve_tiny(out_dir: Annotated[Path, typer.Argument(help="folder to write the tiny model into")]) -> None:
    """Build a tiny random Qwen2 + BPE tokenizer with a chat template (offline) for tests and demos."""
    from wenforge.lm.tiny import build_tiny_model

    path = build_tiny_model(out_dir)
    typer.echo(f"tiny model written to {path}")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("serve-tiny")(serve_tiny)
