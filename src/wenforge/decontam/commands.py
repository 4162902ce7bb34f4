"""CLI: `wenforge decontaminate IN.jsonl -o OUT.jsonl --against FILE...`.

A thin wrapper: build (or load) the benchmark index, test every row, write every row back with `contaminated`
and `matches`; malformed lines and rows without text are written with an `error` reason, never dropped.
"""

from __future__ import annotations

import json
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from wenforge.core.storage import path_or_url
from wenforge.decontam.index import DEFAULT_N, DEFAULT_THRESHOLD, MIN_ITEM_TOKENS
from wenforge.report.console import print_problems


def register(app: typer.Typer) -> None:
    # extra arguments are the rest of `--against A B C` (click gives an option one value; the others arrive here)
    app.command("decontaminate", context_settings={"allow_extra_args": True})(decontaminate)


def _fail(msg: str) -> None:
    from rich.console import Console

    Console(stderr=True, soft_wrap=True).print(f"[red]error:[/red] {escape(msg)}", highlight=False)
    raise typer.Exit(2)


def decontaminate(
    ctx: typer.Context,
    input: Annotated[Path, typer.Argument(parser=path_or_url, help="JSONL rows with a text field")],
    output: Annotated[Path, typer.Option("-o", "--output", parser=path_or_url, help="output JSONL (one line per input line)")],
    against: Annotated[list[Path] | None, typer.Option(
        "--against", parser=path_or_url, help="benchmark JSONL/Parquet files: --against A.jsonl B.jsonl (after IN), or repeated")] = None,
    field: Annotated[str | None, typer.Option(
        "--field", help="benchmark field holding the item (default: question, problem, prompt, input or text)")] = None,
    text_field: Annotated[str, typer.Option("--text-field", help="field of IN's rows to test")] = "text",
    n: Annotated[int, typer.Option("--n", min=1, help="tokens per n-gram (a Han character or a word is one)")] = DEFAULT_N,
    threshold: Annotated[float, typer.Option(
        "--threshold", min=0.0, max=1.0, help="share of an item's n-grams a row must contain")] = DEFAULT_THRESHOLD,
    min_tokens: Annotated[int, typer.Option("--min-tokens", min=1, help="items with fewer tokens are not indexed")] = MIN_ITEM_TOKENS,
    exclude: Annotated[bool, typer.Option("--exclude", help="leave contaminated rows out of OUT")] = False,
    excluded: Annotated[Path | None, typer.Option(
        "--excluded", parser=path_or_url, help="with --exclude: write the contaminated rows (with their matches) here")] = None,
    index_path: Annotated[Path | None, typer.Option("--index", parser=path_or_url, help="a saved index to use instead of --against")] = None,
    save_index: Annotated[Path | None, typer.Option("--save-index", parser=path_or_url, help="also save the index built from --against")] = None,
) -> None:
    """Flag (or with --exclude, leave out) rows that hold a benchmark item; each row gains `contaminated` and
    `matches` [{benchmark, item, start, end, share}], offsets into its text."""
    from rich.console import Console
    from rich.table import Table

    from wenforge.core import reasons as R
    from wenforge.core.rows import InputError, check_text_file, read_jsonl
    from wenforge.core.runs import OutputError, atomic_output, refuse_overwrite
    from wenforge.core.store import ModelFileError
    from wenforge.decontam.index import BenchmarkIndex, build_index

    console = Console()
    if ctx.args:
        if not against:
            _fail(f"unexpected arguments {' '.join(ctx.args)}: benchmark files go after --against")
        against = [*against, *map(path_or_url, ctx.args)]
    if bool(against) == bool(index_path):
        _fail("give the benchmark files with --against FILE... or a saved index with --index PATH (one of them)")
    if excluded and not exclude:
        _fail("--excluded names where --exclude writes the rows it leaves out; add --exclude")
    try:
        check_text_file(input)
        refuse_overwrite(output, input, *(against or ()))
        if excluded:
            refuse_overwrite(excluded, input, output)
    except (InputError, OutputError) as e:
        _fail(str(e))
    t0 = time.perf_counter()
    try:
        if index_path:
            index = BenchmarkIndex.load(index_path)
            report = None
        else:
            index, report = build_index(against, field=field, n=n, min_tokens=min_tokens)
            if save_index:
                index.save(save_index, sources=[str(p) for p in against])
    except (InputError, ModelFileError, FileNotFoundError) as e:
        _fail(str(e))
    if not len(index):
        _fail(f"no benchmark item has {min_tokens} tokens or more; nothing to decontaminate against")
    build_s = time.perf_counter() - t0
    n_rows = n_err = n_hit = 0
    nbytes = 0
    per_bench: dict[str, int] = {}
    errors: list[str] = []
    t1 = time.process_time()
    try:
        with atomic_output(output, "w") as out, (atomic_output(excluded, "w") if excluded else nullcontext()) as ex:
            for line in read_jsonl(input):
                if line.row is None:
                    n_err += 1
                    errors.append(line.error)
                    out.write(json.dumps({"line": line.lineno, "error": line.error, "reason": R.MALFORMED_JSON},
                                         ensure_ascii=False) + "\n")
                    continue
                row = line.row
                text = row.get(text_field)
                if not isinstance(text, str):
                    n_err += 1
                    msg = f"{input}:{line.lineno}: no string in field {text_field!r}"
                    errors.append(msg)
                    out.write(json.dumps({**row, "error": msg, "reason": R.MISSING_TEXT}, ensure_ascii=False) + "\n")
                    continue
                n_rows += 1
                nbytes += len(text.encode("utf-8", "surrogatepass"))
                matches = index.match(text, threshold)
                rec = {**row, "contaminated": bool(matches), "matches": [m.record() for m in matches]}
                if matches:
                    n_hit += 1
                    for b in {m.benchmark for m in matches}:
                        per_bench[b] = per_bench.get(b, 0) + 1
                    if exclude:
                        if ex is not None:
                            ex.write(json.dumps({**rec, "reason": R.BENCHMARK_CONTAMINATION}, ensure_ascii=False) + "\n")
                        continue
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    except InputError as e:
        _fail(str(e))
    cpu = time.process_time() - t1
    t = Table(title="wenforge decontaminate", show_header=False)
    t.add_row("input", escape(str(input)))
    t.add_row("index", f"{len(index)} items, n={index.n}" + (f", {report.too_short} too short to index" if report else "")
              + f" ({build_s:.1f} s)")
    t.add_row("rows tested", str(n_rows))
    t.add_row("contaminated", f"{n_hit} ({n_hit / max(n_rows, 1):.2%})" + (" excluded" if exclude else " flagged"))
    for b, c in sorted(per_bench.items(), key=lambda x: -x[1]):
        t.add_row(f"  {escape(b)}", str(c))
    t.add_row("malformed / rejected lines", str(n_err))
    t.add_row("speed", f"{nbytes / 1e6 / max(cpu, 1e-9):.1f} MB per CPU-second")
    t.add_row("output", escape(str(output)))
    console.print(t)
    print_problems(console, errors, output)

