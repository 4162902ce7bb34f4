"""`wenforge demo`: the example corpus through every capability that is installed, into one folder."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console


def examples_dir() -> Path:
    """examples/ of the source checkout (next to src/), or ./examples."""
    here = Path(__file__).resolve().parents[2] / "examples"
    for cand in (here, Path.cwd() / "examples"):
        if (cand / "demo.yaml").exists():
            return cand
    raise FileNotFoundError("examples/demo.yaml not found: run `wenforge demo` from a wenforge source checkout")


def _available(module: str) -> bool:
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def run_demo(output: Path, *, workers: int = 2) -> Path:
    from wenforge.pipeline.commands import run_with_progress
    from wenforge.pipeline.config import load_config

    console = Console(file=sys.stderr)
    ex = examples_dir()
    overrides = {
        "clean.enabled": _available("wenforge.clean.step"),
        "style.enabled": _available("wenforge.style.step"),
    }
    cfg = load_config(ex / "demo.yaml", overrides=overrides)
    console.print(f"[bold]wenforge demo[/bold]: {ex / 'corpus'} → {output.resolve()}")
    for slot, on in overrides.items():
        if not on:
            console.print(f"  ({slot.split('.')[0]} step not installed in this build: skipped)")
    result = run_with_progress(cfg, executor="local", workers=workers, out_dir=output, verbose=False)
    Console().print(f"\n[bold green]report:[/bold green] {(result.out_dir / 'report.html').resolve()}")
    return result.out_dir
