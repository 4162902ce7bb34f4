"""CLI: `wenforge run CONFIG.yaml`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from wenforge.core import storage


def _summary(result, console) -> None:
    from rich.table import Table

    if result.slurm_jobs:
        for stage, job in result.slurm_jobs:
            console.print(f"{stage}: " + ("all tasks already done" if job == "-1" else f"Slurm job {job}"), markup=False)
        console.print(f"submitted to Slurm; when the jobs end, the same command with --executor local skips the "
                      f"finished tasks and writes {storage.join(result.out_dir, 'stats.json')} and report.html",
                      markup=False)
        return

    t = Table(title=f"wenforge run → {result.out_dir}", show_lines=False)
    t.add_column("step")
    t.add_column("reason")
    t.add_column("documents", justify="right")
    for step, reasons in result.by_step.items():
        for reason, n in sorted(reasons.items(), key=lambda x: -x[1]):
            t.add_row(step, reason, str(n))
    console.print(t)
    if result.problems:
        console.print("[yellow]input problems[/yellow] (excluded, see excluded/read/):")
        for p in result.problems:
            console.print(f"  {p}", markup=False, highlight=False)
    ok = "[green]ok[/green]" if result.conserved else "[red]MISMATCH[/red]"
    console.print(
        f"read [bold]{result.read}[/bold] = kept [bold]{result.kept}[/bold] + excluded [bold]{result.excluded}[/bold]"
        f" ({ok}) in {result.seconds:.1f} s"
    )
    where = {name: storage.join(result.out_dir, name) for name in ("data", "stats.json", "report.html")}
    console.print(f"data: {where['data']}  stats: {where['stats.json']}  report: {where['report.html']}", markup=False)


def run_with_progress(cfg, *, executor: str, workers: int | None, out_dir: str | Path | None, verbose: bool):
    """Run the pipeline with a rich progress bar over its stages."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from wenforge.pipeline.run import run_pipeline

    console = Console(file=sys.stderr)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} stages"), TimeElapsedColumn(), console=console, transient=False) as progress:
        task = progress.add_task("pipeline", total=None)

        def on_stage(name: str, i: int, n: int) -> None:
            progress.update(task, description=name, completed=i, total=n)

        result = run_pipeline(cfg, executor=executor, workers=workers, out_dir=out_dir, verbose=verbose, on_stage=on_stage)
    _summary(result, Console())
    return result


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run(
        config: Path = typer.Argument(..., help="pipeline YAML (see examples/demo.yaml)"),
        executor: str = typer.Option("local", "--executor", "-e", help="local, ray or slurm (config `slurm:`)"),
        workers: int | None = typer.Option(None, "--workers", "-w", help="parallel workers (default: config)"),
        output: str | None = typer.Option(None, "--output", "-o",
                                          help="run folder, local or an fsspec URL such as s3://bucket/run (default: config output.dir)"),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="show datatrove's logs"),
    ) -> None:
        """Run a corpus pipeline: read, decode, extract, normalize, language ID, quality, clean, style, values, dedup, write."""
        from wenforge.core.config import ConfigError
        from wenforge.pipeline.config import load_config
        from wenforge.pipeline.readers import InputError

        if executor not in ("local", "ray", "slurm"):
            typer.echo(f"error: --executor must be local, ray or slurm, not {executor!r}", err=True)
            raise typer.Exit(2)
        try:
            cfg = load_config(config)
            run_with_progress(cfg, executor=executor, workers=workers, out_dir=output, verbose=verbose)
        except (ConfigError, InputError) as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(2) from None
