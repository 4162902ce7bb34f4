"""CLI: `wenforge detect KIND IN.jsonl -o OUT.jsonl`, `wenforge detect-train KIND`, `wenforge eval CONFIG.yaml`.

Thin wrappers: parse, call wenforge.eval, print a one-screen summary. Heavy work is imported inside the
command functions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from wenforge.core.storage import path_or_url
from wenforge.eval.kinds import DEFAULT_GRAMMAR_PRIOR, DEFAULT_PROFILE

TRAINABLE = ("ai", "grammar", "hallucination", "halluqa")


def register(app: typer.Typer) -> None:
    app.command("detect")(detect)
    app.command("detect-train")(detect_train)
    app.command("eval")(eval_command)


def _fail(msg: str) -> None:
    from rich.console import Console

    Console(stderr=True).print(f"[red]error:[/red] {escape(msg)}", highlight=False, markup=True)
    raise typer.Exit(2)


def detect(
    kind: Annotated[str, typer.Argument(help="detector kind: ai, grammar, hallucination, facts, values, response")],
    input: Annotated[Path, typer.Argument(parser=path_or_url, help="JSONL with `id`, `text` (kind response: `prompt` and `response`) "
                                               "and the fields the kind reads")],
    output: Annotated[Path, typer.Option("-o", "--output", parser=path_or_url, help="output JSONL (one line per input line)")],
    facts: Annotated[Path | None, typer.Option("--facts", help="fact sheet YAML (for kind facts)")] = None,
    grammar_prior: Annotated[float, typer.Option(
        "--grammar-prior", min=0.001, max=0.999,
        help="expected share of ungrammatical sentences (kind grammar; FCGEC-like exam sets: 0.54)")] = DEFAULT_GRAMMAR_PRIOR,
    profile: Annotated[str, typer.Option(
        "--profile", help="values profile (kinds values and response): core, or a deployment profile")] = DEFAULT_PROFILE,
) -> None:
    """Run one detector over a JSONL file; malformed lines are written with an `error` reason, never dropped."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from wenforge.core.rows import InputError, check_text_file, count_rows, read_jsonl
    from wenforge.core.runs import OutputError, atomic_output, refuse_overwrite
    from wenforge.eval.kinds import DetectorError, get_kind, run_detector

    console = Console()
    try:
        k = get_kind(kind)
    except DetectorError as e:
        _fail(str(e))
    sheet = None
    if k.needs_facts:
        if facts is None:
            _fail(f"detector {kind!r} needs --facts FACTS.yaml")
        from wenforge.eval.detectors.facts import FactSheetError, load_facts

        try:
            sheet = load_facts(facts)
        except FactSheetError as e:
            _fail(str(e))
    if kind in ("values", "response"):
        from wenforge.core.config import ConfigError
        from wenforge.values.profile import load_policy

        try:
            policy = load_policy()
        except ConfigError as e:
            _fail(str(e))
        if profile not in policy.profiles:
            _fail(f"unknown values profile {profile!r}; profiles in {policy.source}: {', '.join(policy.profiles)}")
    try:
        check_text_file(input)
        refuse_overwrite(output, input)
    except (InputError, OutputError) as e:
        _fail(str(e))
    try:
        total = count_rows(input)
        lines = read_jsonl(input)
        n_ok, n_err, n_fail, chars = 0, 0, 0, 0
        errors: list[str] = []
        verdicts: dict[str, int] = {}
        with atomic_output(output, "w") as out, Progress(
            TextColumn(f"detect {kind}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=True,
        ) as prog:
            task = prog.add_task("rows", total=total or None)
            for line in lines:
                prog.advance(task)
                if line.row is None:
                    n_err += 1
                    errors.append(line.error)
                    out.write(json.dumps({"id": None, "line": line.lineno, "error": line.error}, ensure_ascii=False) + "\n")
                    continue
                rid = line.row.get("id")
                try:
                    res = run_detector(kind, line.row, facts=sheet, grammar_prior=grammar_prior, profile=profile)
                except DetectorError as e:
                    n_err += 1
                    msg = f"{input}:{line.lineno}: {e}"
                    errors.append(msg)
                    out.write(json.dumps({"id": rid, "line": line.lineno, "error": msg}, ensure_ascii=False) + "\n")
                    continue
                n_ok += 1
                chars += len(line.row[k.text_field])
                n_fail += bool(res.get(k.fail_field))
                if "verdict" in res:
                    verdicts[res["verdict"]] = verdicts.get(res["verdict"], 0) + 1
                out.write(json.dumps({"id": rid, **res}, ensure_ascii=False) + "\n")
            elapsed = prog.tasks[0].elapsed or 0.0
    except InputError as e:
        _fail(str(e))
    except FileNotFoundError as e:
        _fail(str(e))
    t = Table(title=f"wenforge detect {kind}", show_header=False)
    t.add_row("input", str(input))
    t.add_row("rows scored", str(n_ok))
    t.add_row(f"flagged ({k.fail_field})", f"{n_fail} ({n_fail / max(n_ok, 1):.1%})")
    if verdicts:
        t.add_row("verdicts", ", ".join(f"{v} {n}" for v, n in sorted(verdicts.items())))
    t.add_row("malformed / rejected lines", str(n_err))
    t.add_row("speed", f"{chars / max(elapsed, 1e-9):,.0f} chars/s")
    t.add_row("output", str(output))
    console.print(t)
    for msg in errors[:10]:
        console.print(f"[yellow]skipped with reason:[/yellow] {escape(msg)}", highlight=False)
    if len(errors) > 10:
        console.print(f"... and {len(errors) - 10} more (see `error` lines in {output})", markup=False)


def detect_train(
    kind: Annotated[str, typer.Argument(help="ai, grammar, hallucination, halluqa, or all")] = "all",
    out_dir: Annotated[Path | None, typer.Option("--out-dir", parser=path_or_url, help="write assets here, not the package assets")] = None,
    data_dir: Annotated[Path | None, typer.Option("--data", parser=path_or_url, help="data folder (shared layout; default $WENFORGE_DATA)")] = None,
) -> None:
    """Rebuild the shipped detector models from the `dev` rows of the data folder."""
    from rich.console import Console

    from wenforge.core.paths import data_folder

    console = Console()
    kinds = TRAINABLE if kind == "all" else (kind,)
    if any(k not in TRAINABLE for k in kinds):
        _fail(f"cannot train {kind!r}; trainable: {', '.join(TRAINABLE)}, all")
    try:
        data = data_folder(data_dir)
    except FileNotFoundError as e:
        _fail(str(e))
    for k in kinds:
        with console.status(f"training {k} on dev rows"):
            if k == "ai":
                from wenforge.eval.detectors import ai

                info = ai.train(data, out_dir)
            elif k == "grammar":
                from wenforge.eval.detectors import grammar

                info = grammar.train(data, out_dir / "grammar.npz" if out_dir else None)
            elif k == "hallucination":
                from wenforge.eval.detectors import hallucination as h

                with open(data / "hallucination" / "uhgeval_concise.jsonl", encoding="utf-8") as f:
                    rows = [json.loads(x) for x in f]
                m = h.train([r for r in rows if r["split"] == "dev"], out_dir / "hallucination.npz" if out_dir else None)
                info = {key: {"threshold": v["threshold"], "cv_f1_dev": v["cv_f1_dev"]}
                        for key, v in m.items() if isinstance(v, dict) and "threshold" in v}
            else:
                from wenforge.eval import halluqa

                qs, ans = halluqa.load_halluqa(data)
                info = halluqa.train(qs, [a for a in ans if a["split"] == "dev"], out_dir / "halluqa.npz" if out_dir else None)
        console.print(f"[green]{k}[/green]: {info}", highlight=False)


def eval_command(config: Annotated[Path, typer.Argument(parser=path_or_url, help="evaluation config YAML")]) -> None:
    """Score outputs (or generate them) on accuracy, style, every detector and HalluQA; write eval.json,
    feedback.json and report.html into the run folder."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from wenforge.core.config import ConfigError
    from wenforge.core.rows import InputError
    from wenforge.eval.detectors.facts import FactSheetError
    from wenforge.eval.evaluate import load_config, run_eval

    console = Console()
    try:
        cfg = load_config(config)
    except ConfigError as e:
        _fail(str(e))
    try:
        with Progress(TextColumn("eval"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=True) as prog:
            task = prog.add_task("rows", total=None)
            res = run_eval(cfg, progress=lambda i, n: prog.update(task, completed=i, total=n))
    except (InputError, FactSheetError, FileNotFoundError, ConfigError) as e:
        _fail(str(e))
    ev, fb = res["eval"], res["feedback"]
    t = Table(title="wenforge eval", show_header=False)
    for k, v in ev["overall"].items():
        t.add_row(k, f"{v:.4g}" if isinstance(v, float) else str(v))
    t.add_row("excluded lines", str(ev["n_excluded"]))
    console.print(t)
    if safety := ev.get("safety"):
        o = safety["overall"]
        shares = ", ".join(f"{k} {o[k]:.3f}" for k in ("flagged", "refused", "unsafe") if k in o)
        console.print(f"safety ({escape(safety['profile'])}, {o['n']} rows): {shares}; worst categories: "
                      + escape(", ".join(_worst_categories(safety["l2"]))), highlight=False)
    for g, ws in fb.get("next_weights", {}).items():
        console.print(f"next weights by {g}: " + ", ".join(f"{k} {v:.3f}" for k, v in ws.items()), highlight=False)
    console.print(f"distil more for {len(fb['distill'])} failing prompts")
    for note in ev.get("notes", []):
        console.print(f"[yellow]note:[/yellow] {escape(note)}", highlight=False)
    for e in res["excluded"][:5]:
        console.print(f"[yellow]excluded ({e['reason']}):[/yellow] {escape(e['detail'])}", highlight=False)
    console.print(f"report: {Path(res['out_dir']) / 'report.html'}", markup=False)


WORST_SHOWN = 3  # categories named on the console; the report lists them all


def _worst_categories(l2: dict[str, dict]) -> list[str]:
    """The categories with the highest unsafe (else flagged) share, worst first, those above zero only."""
    rate = {k: max(v.get("unsafe") or 0.0, v.get("flagged") or 0.0) for k, v in l2.items()}
    return [k for k in sorted(rate, key=rate.get, reverse=True) if rate[k] > 0][:WORST_SHOWN] or ["none"]
