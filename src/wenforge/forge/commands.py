"""CLI: `wenforge forge CONFIG.yaml` (rounds of mix -> train -> evaluate -> adjust, each with a safety test) and
`wenforge forge --demo`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape


def register(app: typer.Typer) -> None:
    @app.command("forge")
    def forge(
        config: Annotated[
            Path | None, typer.Argument(help="forge YAML (see examples/recipes/forge_demo.yaml)")
        ] = None,
        demo: Annotated[bool, typer.Option("--demo", help="the built-in minutes-long tiny forge")] = False,
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="run folder (overrides output_dir)")
        ] = None,
    ) -> None:
        """Rounds of GRPO training, held-out evaluation and re-weighting (more of what fails), or with `style_target`
        rounds of SFT toward a voice; resumes after a kill."""
        from rich.console import Console

        console = Console()
        from wenforge.train.commands import _need_train_extra

        _need_train_extra(console)
        from wenforge.core.config import ConfigError
        from wenforge.forge.rounds import ForgeError, load_forge_config, run_forge

        try:
            if demo:
                from wenforge.forge.demo import demo_config

                cfg = demo_config(str(output or Path("runs/forge-demo")))
            elif config is None:
                console.print("[red]give a forge CONFIG.yaml or --demo[/red]")
                raise typer.Exit(2)
            else:
                cfg = load_forge_config(config, {"output_dir": str(output.resolve())} if output else None)
            state = run_forge(cfg, log=console.print)
        except (ConfigError, ForgeError) as e:
            console.print(f"[red]{escape(str(e))}[/red]")
            raise typer.Exit(2) from None
        for r in state["rounds"]:
            o = r["eval"]["overall"]
            if "style_distance" in r:
                console.print(f"round {r['round']}: style distance {r['style_distance']:.4f}  targets -> "
                              f"{r['next_weights']}")
                continue
            console.print(
                f"round {r['round']}: accuracy {o.get('accuracy', 0.0):.3f}  mean reward "
                f"{o.get('mean_reward', 0.0):.3f}  fail rate {o['fail_rate']:.3f}  targets -> {r['next_weights']}"
            )
        for r in state["rounds"]:
            if sf := r.get("safety"):
                console.print(f"round {r['round']} safety test: unsafe {sf['unsafe_share']}  over-refusal "
                              f"{sf['over_refusal_share']}  failing {escape(', '.join(sf['failing']) or '-')}  "
                              f"{sf['next_rows']['rows']} safety rows next", highlight=False)
        console.print(f"report: {Path(cfg.output_dir) / 'report.html'}", markup=False)
