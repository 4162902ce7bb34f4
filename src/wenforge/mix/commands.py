"""`wenforge mix SHARDS... -o RUN_DIR --share literature=0.4 --share news=0.2 ... --budget 1e6`."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Annotated

import typer

from wenforge.core.storage import path_or_url


def register(app: typer.Typer) -> None:
    app.command("mix")(mix_cmd)


def mix_cmd(
    inputs: Annotated[list[Path], typer.Argument(
        parser=path_or_url, help="labelled shards (JSONL/Parquet files or folders, local or fsspec URLs)")],
    output: Annotated[Path, typer.Option("-o", "--output", parser=path_or_url,
                                         help="run folder (local or an fsspec URL): data/, stats.json, report.html")],
    share: Annotated[list[str] | None, typer.Option("--share", help="LABEL=SHARE, repeatable")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="YAML: shares, budget, unit, seed, max_repeat, by, fit, risk")] = None,
    budget: Annotated[float | None, typer.Option("--budget", help="total characters or tokens")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="chars | tokens | rows")] = None,
    by: Annotated[str | None, typer.Option("--by", help="label column: l1 | l2 | any column")] = None,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    max_repeat: Annotated[int | None, typer.Option("--max-repeat", help="most copies of any document")] = None,
    fit: Annotated[str | None, typer.Option("--fit", help="shares (exact shares) | budget (fill budget)")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="jsonl | parquet")] = None,
    chat: Annotated[bool, typer.Option("--chat", help="write chat `messages` instead of `text`")] = False,
    tokenizer: Annotated[Path | None, typer.Option("--tokenizer", help="local tokenizer.json for --unit tokens")] = None,
) -> None:
    """Build a training mixture with target shares by label, a budget, a seed and a repeat cap."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from wenforge.core.config import ConfigError, load_config, parse_config
    from wenforge.mix.mixture import MixConfig, MixError, build_mixture, share_flags

    console = Console(stderr=True)
    flags = {"budget": budget, "unit": unit, "by": by, "seed": seed, "max_repeat": max_repeat, "fit": fit,
             "format": fmt, "chat": chat or None, "tokenizer": str(tokenizer) if tokenizer else None}
    flags = {k: v for k, v in flags.items() if v is not None}
    try:
        if share:
            flags["shares"] = share_flags(share)
        if config:
            cfg = load_config(config, MixConfig, overrides=flags)
        else:
            cfg = parse_config({}, MixConfig, source="command line", overrides=flags)
        done = {"n": 0}

        def prog(stage, path, rn):
            done["n"] += 1
            if done["n"] % 20000 == 0:
                console.print(f"{stage}: {PurePosixPath(str(path)).name}:{rn}", style="dim", markup=False)

        with console.status("mixing (count, select, write)"):
            res = build_mixture(inputs, cfg, output, progress=prog)
    except (ConfigError, MixError) as e:
        console.print(f"[red]error:[/red] {escape(str(e))}")
        raise typer.Exit(2) from None
    s = res.stats
    for b in s["malformed_examples"][:10]:
        console.print(f"{b['file']}:{b['line']}: {b['reason']} (excluded, see excluded/malformed.jsonl)", style="yellow",
                      markup=False)
    table = Table(title=f"wenforge mix -> {res.output}")
    for c in ("label", "target", "achieved", "units", "available", "docs"):
        table.add_column(c)
    for k, v in s["labels"].items():
        table.add_row(k, f"{v['target_share']:.3f}", f"{v['achieved_share']:.3f}", str(v["achieved_units"]),
                      str(v["available_units"]), str(v["docs_written"]))
    console.print(table)
    console.print(f"total {s['total_achieved']} {s['unit']} (target {s['total_target']}); max share error "
                  f"{s['max_abs_share_error']}; copies/doc {s['copies_per_selected_doc']}; excluded {s['excluded']}; "
                  f"report {res.report}", markup=False)
    if s["risk"]:
        rk = s["risk"]
        console.print(f"risk labels: {rk['before']['any_share']:.1%} of the input's {s['unit']}, "
                      f"{rk['after']['any_share']:.1%} of the mixture's; excluded by the risk rules "
                      f"{rk['excluded'] or 'none'}" + (" (see excluded/risk.jsonl)" if rk["excluded"] else ""),
                      markup=False)
