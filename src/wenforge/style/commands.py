"""`wenforge style`: label JSONL with the style system, retrain its models, learn style profiles.

    wenforge style IN.jsonl -o OUT.jsonl          (same as `wenforge style label ...`)
    wenforge style train [--out DIR]
    wenforge style profile EXEMPLARS.jsonl -o PROFILE.json
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Annotated

import typer
from typer.core import TyperGroup

from wenforge.core import reasons as R
from wenforge.core import storage
from wenforge.core.storage import path_or_url

DOC_TOO_LONG = "document_too_long"
# A style reading of a document's first 200k characters (about 2 s) is stable; longer documents (a 17M-character
# dump took minutes and gigabytes) are read that far and say so in `truncated`.
MAX_DOC_CHARS = 200_000


class _LabelByDefault(TyperGroup):
    """`wenforge style IN -o OUT` runs the `label` subcommand."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["label", *args]
        return super().parse_args(ctx, args)


def register(app: typer.Typer) -> None:
    style = typer.Typer(
        name="style", cls=_LabelByDefault, no_args_is_help=True, add_completion=False,
        help="Style system: literary score, L1/L2/L3 taxonomy, device evidence, profiles. "
        "`wenforge style IN.jsonl -o OUT.jsonl` labels a file.",
    )
    style.command("label")(label_cmd)
    style.command("train")(train_cmd)
    style.command("profile")(profile_cmd)
    app.add_typer(style, name="style")


def _console():
    from rich.console import Console

    return Console(stderr=True)


def _fail(console, msg: str) -> None:
    from rich.markup import escape

    console.print(f"[red]error:[/red] {escape(msg)}")
    raise typer.Exit(2)


def checked_rows(path: Path, console) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line number, row, None) for good lines, (line number, partial row or None, reason) for bad ones,
    streamed; a missing, empty, binary or non-UTF-8 file is a clear error before anything is written."""
    from wenforge.core.rows import InputError, check_text_file

    try:
        check_text_file(path)
    except InputError as e:
        _fail(console, str(e))
    return _rows(path)


def _rows(path: Path) -> Iterator[tuple[int, dict | None, str | None]]:
    from wenforge.core.rows import read_jsonl

    for line in read_jsonl(path):
        if line.row is None:
            yield line.lineno, None, f"{R.MALFORMED_JSON}: {line.reason}"
        elif not isinstance(line.row.get("text"), str):
            yield line.lineno, line.row, f"{R.MISSING_TEXT}: missing or non-string `text`"
        else:
            yield line.lineno, line.row, None


def _progress(console, label: str):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                    transient=True)


def label_cmd(
    input: Annotated[Path, typer.Argument(parser=path_or_url, help="JSONL with `text` (and `id`) per line")],
    output: Annotated[Path, typer.Option("-o", "--output", parser=path_or_url, help="output JSONL, one line per input line")],
    features: Annotated[bool, typer.Option("--features/--no-features", help="include the style features")] = True,
    max_evidence: Annotated[int, typer.Option("--max-evidence", help="evidence spans kept per line")] = 30,
    report: Annotated[Path | None, typer.Option("--report", parser=path_or_url, help="HTML report (default: OUT with .html)")] = None,
    prompt_field: Annotated[str, typer.Option("--prompt-field", help="column holding the prompt a text answers "
                                              "(quality then checks prompt adherence)")] = "prompt",
) -> None:
    """Label each text: literary_score, ornateness, overwrought, quality, taxonomy {l1, l2, l3}, features,
    evidence [{device, span, start, end}], explain {quality, ornament}."""
    import time
    from collections import Counter

    import orjson
    from rich.table import Table

    from wenforge.core.rows import count_rows
    from wenforge.core.runs import OutputError, atomic_output, refuse_overwrite
    from wenforge.style.score import score_style

    console = _console()
    rows = checked_rows(input, console)
    try:
        refuse_overwrite(output, input)
        refuse_overwrite(report or storage.with_suffix(output, ".html"), input)
    except OutputError as e:
        _fail(console, str(e))
    l1c: Counter = Counter()
    l2c: Counter = Counter()
    l3c: Counter = Counter()
    bad: Counter = Counter()
    scores: list[float] = []
    ornate: list[float] = []
    quality: list[float] = []
    examples: list[dict] = []
    n = chars = 0
    t0 = time.perf_counter()
    with atomic_output(output) as out, _progress(console, "style") as progress:
        task = progress.add_task("style", total=count_rows(input))
        for lineno, row, err in rows:
            progress.advance(task)
            rid = (row or {}).get("id", f"{PurePosixPath(str(input)).name}:{lineno}")
            if err:
                bad[err.split(":")[0]] += 1
                console.print(f"{input}:{lineno}: {err}; written with `error`", style="yellow", markup=False)
                out.write(orjson.dumps({"id": rid, "line": lineno, "error": err}) + b"\n")
                continue
            text = row["text"]
            prompt = row.get(prompt_field)
            r = score_style(text[:MAX_DOC_CHARS], prompt=prompt if isinstance(prompt, str) else None)
            rec = {"id": rid, "literary_score": r.literary_score, "ornateness": r.ornateness,
                   "overwrought": r.overwrought, "quality": r.quality, "taxonomy": r.taxonomy}
            if len(text) > MAX_DOC_CHARS:
                rec["truncated"] = {"reason": DOC_TOO_LONG, "chars": len(text), "scored_chars": MAX_DOC_CHARS}
            if features:
                rec["features"] = {k: round(v, 5) for k, v in r.features.items()}
            rec["evidence"] = r.evidence[:max_evidence]
            rec["explain"] = {"quality": r.explain.get("quality", []), "ornament": r.explain.get("ornament", [])[:max_evidence]}
            out.write(orjson.dumps(rec) + b"\n")
            n += 1
            chars += len(row["text"])
            l1c[r.l1] += 1
            l2c[r.l2] += 1
            l3c.update(r.l3)
            scores.append(r.literary_score)
            ornate.append(r.ornateness)
            quality.append(r.quality)
            if len(examples) < 12 and r.evidence:
                examples.append({"text": row["text"][:600], "id": rid, "literary_score": round(r.literary_score, 3),
                                 "l1": r.l1, "l2": r.l2, "evidence": r.evidence[:8]})
    dt = time.perf_counter() - t0
    report = report or storage.with_suffix(output, ".html")
    _label_report(report, input, n, {"literary_score": scores, "ornateness": ornate, "quality": quality}, l1c, l2c,
                  l3c, bad, examples)

    table = Table(title=f"wenforge style: {input} -> {output}", show_header=False)
    table.add_row("documents labelled", f"{n} ({n / max(dt, 1e-9):.0f} docs/s, {chars / max(dt, 1e-9):,.0f} chars/s)")
    table.add_row("malformed lines (written with `error`)", str(sum(bad.values())))
    table.add_row("literary (score >= 0.5)", f"{sum(s >= 0.5 for s in scores)} ({sum(s >= 0.5 for s in scores) / max(n, 1):.0%})")
    if n:
        table.add_row("ornateness / quality (means)", f"{sum(ornate) / n:.3f} / {sum(quality) / n:.3f}")
    table.add_row("L1", ", ".join(f"{k} {v}" for k, v in l1c.most_common()))
    table.add_row("L2", ", ".join(f"{k} {v}" for k, v in l2c.most_common(8)))
    table.add_row("L3 devices", ", ".join(f"{k} {v}" for k, v in l3c.most_common()))
    table.add_row("report", str(report))
    console.print(table)


def _label_report(path, input, n, scores: dict[str, list[float]], l1c, l2c, l3c, bad, examples) -> None:
    from wenforge.report import Page

    page = Page(f"wenforge style: {PurePosixPath(str(input)).name}")
    page.paragraph(f"{n} documents labelled; {sum(bad.values())} malformed lines written with an `error` field.")
    page.heading("Style-label mix")
    page.bar_chart("L1 (domain)", dict(l1c.most_common()))
    page.bar_chart("L2 (genre)", dict(l2c.most_common()))
    page.bar_chart("L3 devices (documents)", dict(l3c.most_common()))
    for name, values in scores.items():
        page.histogram(name, values, bins=10)
    if bad:
        page.table([{"reason": k, "lines": v} for k, v in bad.items()])
    page.examples("Device evidence (first documents with evidence)", examples)
    page.write(path)


def train_cmd(
    out: Annotated[Path | None, typer.Option("--out", help="asset folder (default: the package's assets)")] = None,
    data: Annotated[Path | None, typer.Option("--data", help="the shared data folder (licensed sources; dev rows train)")] = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
) -> None:
    """Rebuild the literary model and L1/L2 classifiers from the `dev` rows of the shared data folder."""
    from rich.table import Table

    from wenforge.style.models import train_models

    console = _console()
    try:
        with _progress(console, "style features") as progress:
            task = progress.add_task("train", total=None)
            stats = train_models(out, data_dir=data, seed=seed, progress=lambda i, total: progress.update(task, completed=i, total=total))
    except FileNotFoundError as e:
        _fail(console, f"training data not found: {e}")
    table = Table(title="wenforge style train", show_header=False)
    for k, v in stats.items():
        table.add_row(k, str(v))
    console.print(table)


def profile_cmd(
    exemplars: Annotated[Path, typer.Argument(help="JSONL with `text` per line: the target style")],
    output: Annotated[Path, typer.Option("-o", "--output", help="profile JSON")],
    name: Annotated[str, typer.Option("--name", help="profile name")] = "",
) -> None:
    """Learn a style profile from exemplars (use it with `style_match`)."""
    from rich.table import Table

    from wenforge.style.profile import build_profile, save_profile

    console = _console()
    texts = []
    n_bad = 0
    for lineno, row, err in checked_rows(exemplars, console):
        if err:
            n_bad += 1
            console.print(f"{exemplars}:{lineno}: {err}; skipped for the profile", style="yellow", markup=False)
        elif row["text"].strip():
            texts.append(row["text"])
    if not texts:
        _fail(console, f"{exemplars}: no usable exemplar texts")
    with _progress(console, "profile") as progress:
        progress.add_task("profile", total=None)
        prof = build_profile(texts, name=name or exemplars.stem)
    save_profile(prof, output)
    table = Table(title=f"wenforge style profile: {exemplars} -> {output}", show_header=False)
    table.add_row("exemplars", f"{prof.n} ({n_bad} malformed lines skipped)")
    table.add_row("literary score", f"{prof.literary_mean:.3f} ± {prof.literary_std:.3f}")
    table.add_row("L1", ", ".join(f"{k} {v:.0%}" for k, v in prof.l1.items()))
    table.add_row("L2", ", ".join(f"{k} {v:.0%}" for k, v in prof.l2.items()))
    table.add_row("devices (share of exemplars)", ", ".join(f"{k} {v:.0%}" for k, v in prof.device_rate.items() if v))
    console.print(table)
