"""`build_mixture`: a training mixture from labelled shards, streamed in three passes.

1. count: per label, documents and units (characters or tokens); malformed rows are recorded with file:line.
2. select: per label, the documents with the lowest seeded hash priority until the label's target is met
   (a bounded heap: memory grows with the selection, not the corpus). A label with less text than its
   target is repeated whole up to `max_repeat` times, the remainder again by priority.
3. write: stream the shards again and emit each selected document (repeats included) through a seeded
   shuffle buffer to JSONL or Parquet, as `text` or chat `messages`.

With `fit="shares"` (default) the total shrinks when a label cannot reach its share even with repeats, so
achieved shares match the targets; with `fit="budget"` the budget is filled and short labels fall short.
"""

from __future__ import annotations

import heapq
import json
import math
import os
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xxhash

from wenforge.core.rows import InputError, read_jsonl
from wenforge.core.runs import OutputError, atomic_output, refuse_overwrite

MALFORMED = "malformed_input"
NO_TEXT = "text_not_a_string"
NO_LABEL = "label_missing"
NOT_IN_MIX = "label_not_in_mix"
_TOKEN_RE = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]|[A-Za-z]+|\d+|[^\sA-Za-z\d\u4e00-\u9fff\u3400-\u4dbf]")


class MixError(ValueError):
    """Bad mixture configuration or unreadable input; the message names the file, line or key."""


@dataclass
class MixResult:
    stats: dict
    output: Path | None = None
    report: Path | None = None
    rows: list[dict] = field(default_factory=list)  # only when no output path is given


def _check_granularity(shares: dict[str, float], units: Counter, tolerance: float) -> None:
    """Refuse a plan whose shares miss their targets by more than `tolerance` (documents too large to cut)."""
    total = sum(units.values())
    if not total:
        return
    worst = max(shares, key=lambda k: abs(units[k] / total - shares[k]))
    got = units[worst] / total
    if abs(got - shares[worst]) > tolerance:
        raise MixError(
            f"the shares cannot be met within {tolerance:.0%}: label {worst!r} would be {got:.1%} of the mixture "
            f"(target {shares[worst]:.1%}) because its documents are large next to the budget; raise the budget, "
            f"split long documents, set a larger share_tolerance, or use fit='budget'"
        )


# ----------------------------------------------------------------------------------------- reading
def _files(inputs) -> list[Path]:
    out: list[Path] = []
    for p in [inputs] if isinstance(inputs, (str, Path)) else inputs:
        p = Path(p)
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and q.suffix in (".jsonl", ".parquet", ".json"))
        elif p.is_file():
            out.append(p)
        else:
            raise MixError(f"{p}: no such file or folder")
    if not out:
        raise MixError(f"no .jsonl or .parquet shards found in {inputs}")
    return out


def _label_of(row: dict, by: str) -> Any:
    if row.get(by) is not None:
        return row[by]
    for nest in ("taxonomy", "metadata"):
        v = row.get(nest)
        if isinstance(v, str) and v.startswith("{"):
            try:
                v = json.loads(v)
            except json.JSONDecodeError:
                v = None
        if isinstance(v, dict):
            if v.get(by) is not None:
                return v[by]
            if isinstance(v.get("taxonomy"), dict) and v["taxonomy"].get(by) is not None:
                return v["taxonomy"][by]
    return None


def iter_shard(path: Path) -> Iterator[tuple[int, dict | None, str | None]]:
    """(row number, row, None) or (row number, None, reason) for each record of a JSONL or Parquet shard."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(path)
        except Exception as e:  # pyarrow raises several types for bad files
            raise MixError(f"{path}: not a readable Parquet file ({e})") from e
        n = 0
        for batch in pf.iter_batches(batch_size=2048):
            for row in batch.to_pylist():
                n += 1
                yield n, row, None
        return
    try:
        for line in read_jsonl(path, allow_empty=True):
            if line.row is None:
                yield line.lineno, None, f"{MALFORMED}: {line.reason}"
            else:
                yield line.lineno, line.row, None
    except InputError as e:
        raise MixError(str(e)) from None


def _labelled_rows(files: list[Path], by: str, shares: dict[str, float], progress=None, stage: str = ""):
    """(file index, row number, row, label) for every readable row whose label is in the mixture."""
    for fi, path in enumerate(files):
        for rn, row, err in iter_shard(path):
            if progress:
                progress(stage, path, rn)
            if err or not isinstance(row.get("text"), str):
                continue
            label = _label_of(row, by)
            if label is None or str(label) not in shares:
                continue
            yield fi, rn, row, str(label)


class _Measure:
    """Length of a text in characters (non-space) or tokens (a local tokenizer.json, else an estimate:
    one token per Han character, Latin word, number or punctuation mark)."""

    def __init__(self, unit: str, tokenizer: str | None = None):
        if unit not in ("chars", "tokens"):
            raise MixError(f"unit must be 'chars' or 'tokens', not {unit!r}")
        self.unit, self.tok = unit, None
        if unit == "tokens" and tokenizer:
            from tokenizers import Tokenizer

            try:
                self.tok = Tokenizer.from_file(str(tokenizer))
            except Exception as e:
                raise MixError(f"{tokenizer}: cannot load tokenizer.json ({e})") from e

    def __call__(self, text: str) -> int:
        if self.unit == "chars":
            return len(text) - text.count(" ") - text.count("\n")
        if self.tok is not None:
            return len(self.tok.encode(text, add_special_tokens=False).ids)
        return len(_TOKEN_RE.findall(text))


def _priority(seed: int, key: str) -> int:
    return xxhash.xxh64_intdigest(key, seed=seed)


# ------------------------------------------------------------------------------------------ config
def parse_shares(shares: dict[str, float] | list[str] | None) -> dict[str, float]:
    """{label: share} from a dict or `label=share` strings; shares are normalised to sum to 1."""
    if not shares:
        raise MixError("no target shares: give --share LABEL=SHARE (repeatable) or a YAML config with `shares`")
    out: dict[str, float] = {}
    items = shares.items() if isinstance(shares, dict) else [s.split("=", 1) if "=" in s else (s, None) for s in shares]
    for k, v in items:
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise MixError(f"share for {k!r} must be a number (got {v!r}); use LABEL=SHARE") from None
        if not math.isfinite(f) or f < 0:
            raise MixError(f"share for {k!r} must be a finite number >= 0 (got {v!r})")
        out[str(k).strip()] = f
    total = sum(out.values())
    if total <= 0:
        raise MixError("target shares sum to 0")
    return {k: v / total for k, v in out.items() if v > 0}


def load_config(path: str | Path) -> dict:
    from wenforge.core.config import YamlConfigError, load_yaml

    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), str(path)) or {}
    except (OSError, UnicodeDecodeError, YamlConfigError) as e:
        raise MixError(f"{path}: cannot read mixture config: {e}") from e
    if not isinstance(data, dict):
        raise MixError(f"{path}: a mixture config is a YAML mapping (shares, budget, unit, seed, max_repeat, by)")
    allowed = {"shares", "budget", "unit", "seed", "max_repeat", "by", "fit", "format", "chat", "tokenizer",
               "shuffle_buffer", "share_tolerance"}
    unknown = set(data) - allowed
    if unknown:
        raise MixError(f"{path}: unknown keys {sorted(unknown)}; allowed: {sorted(allowed)}")
    return data


# -------------------------------------------------------------------------------------------- build
def build_mixture(
    inputs,
    shares: dict[str, float] | list[str],
    budget: float | None = None,
    *,
    unit: str = "chars",
    by: str = "l1",
    seed: int = 0,
    max_repeat: int = 1,
    fit: str = "shares",
    output: str | Path | None = None,
    fmt: str | None = None,
    chat: bool = False,
    tokenizer: str | None = None,
    shuffle_buffer: int = 10000,
    report: bool = True,
    progress=None,
    share_tolerance: float = 0.02,
) -> MixResult:
    """Build a mixture. `output` is a run folder (data/mixture.{jsonl,parquet}, stats.json, report.html,
    excluded/malformed.jsonl); without it the rows are returned in `MixResult.rows`."""
    t0 = time.perf_counter()
    shares = parse_shares(shares)
    if max_repeat < 1:
        raise MixError(f"max_repeat must be >= 1 (got {max_repeat})")
    if fit not in ("shares", "budget"):
        raise MixError(f"fit must be 'shares' or 'budget', not {fit!r}")
    if budget is not None and budget <= 0:
        raise MixError(f"budget must be > 0 (got {budget})")
    if not 0 < share_tolerance < 1:
        raise MixError(f"share_tolerance must be between 0 and 1 (got {share_tolerance})")
    measure = _Measure(unit, tokenizer)
    files = _files(inputs)
    if output is not None:
        try:
            refuse_overwrite(Path(output), *([inputs] if isinstance(inputs, (str, Path)) else inputs), *files)
        except OutputError as e:
            raise MixError(str(e)) from None
    fmt = fmt or "jsonl"
    if fmt not in ("jsonl", "parquet"):
        raise MixError(f"format must be 'jsonl' or 'parquet', not {fmt!r}")

    # pass 1: count per label
    avail_units: Counter = Counter()
    avail_docs: Counter = Counter()
    excluded: Counter = Counter()
    bad_rows: list[dict] = []
    for fi, path in enumerate(files):
        for rn, row, err in iter_shard(path):
            if progress:
                progress("count", path, rn)
            reason = err
            if row is not None and not isinstance(row.get("text"), str):
                reason = f"{NO_TEXT}: missing or non-string `text`"
            if reason:
                excluded[reason.split(":")[0]] += 1
                bad_rows.append({"file": str(path), "line": rn, "reason": reason})
                continue
            label = _label_of(row, by)
            if label is None:
                excluded[NO_LABEL] += 1
                bad_rows.append({"file": str(path), "line": rn, "reason": f"{NO_LABEL}: no `{by}` column or taxonomy key"})
                continue
            label = str(label)
            if label not in shares:
                excluded[NOT_IN_MIX] += 1
                continue
            avail_units[label] += measure(row["text"])
            avail_docs[label] += 1

    empty = [k for k, s in shares.items() if s > 0 and not avail_units[k]]
    if empty and fit == "shares":
        have = ", ".join(f"{k}={avail_docs[k]}" for k in shares if avail_docs[k]) or "none"
        raise MixError(
            f"no documents labelled {', '.join(empty)} (by `{by}`) in the inputs, so the target shares cannot be met"
            f" (documents per requested label: {have}); drop those labels or use fit='budget'"
        )

    # targets
    total_avail = sum(avail_units.values())
    budget_eff = float(budget) if budget else float(total_avail)
    cap = {k: avail_units[k] * max_repeat for k in shares}
    if fit == "shares":
        fit_total = min((cap[k] / s for k, s in shares.items()), default=0.0)
        total = min(budget_eff, fit_total)
    else:
        total = budget_eff
    target = {k: total * s for k, s in shares.items()}
    planned = {k: min(target[k], cap[k]) for k in shares}

    # pass 2: select by priority (bounded max-heap per label on -priority)
    full_repeats = {k: int(planned[k] // avail_units[k]) if avail_units[k] else 0 for k in shares}
    remainder = {k: planned[k] - full_repeats[k] * avail_units[k] for k in shares}
    heaps: dict[str, list] = defaultdict(list)
    heap_units: Counter = Counter()
    for fi, rn, row, label in _labelled_rows(files, by, shares):
        if full_repeats[label] >= max_repeat or remainder[label] <= 0:
            continue
        n = measure(row["text"])
        key = str(row.get("id") if row.get("id") is not None else f"{files[fi].name}:{rn}")
        pr = _priority(seed, key)
        h = heaps[label]
        heapq.heappush(h, (-pr, fi, rn, n))
        heap_units[label] += n
        # drop the highest-priority docs while the rest still cover the remainder
        while h and heap_units[label] - h[0][3] >= remainder[label]:
            heap_units[label] -= heapq.heappop(h)[3]
    extra: dict[tuple[int, int], int] = {}
    chosen_units: Counter = Counter({k: full_repeats[k] * avail_units[k] for k in shares})
    for label, h in heaps.items():
        # lowest priorities first; stop at the doc that crosses the remainder when it overshoots by more than half
        acc = 0.0
        for negp, fi, rn, n in sorted(h, key=lambda t: -t[0]):
            if acc >= remainder[label] or (acc > 0 and acc + n / 2 > remainder[label]):
                break
            extra[(fi, rn)] = 1
            acc += n
        chosen_units[label] += acc
    if fit == "shares":
        _check_granularity(shares, chosen_units, share_tolerance)

    # pass 3: write
    rng = random.Random(seed)
    out_dir = Path(output) if output else None
    writer = _Writer(out_dir, fmt) if out_dir else None
    rows: list[dict] = []
    buf: list[dict] = []
    got_units: Counter = Counter()
    got_docs: Counter = Counter()
    copies_hist: Counter = Counter()

    def flush(final: bool = False):
        rng.shuffle(buf)
        if writer:
            writer.write(buf)
        else:
            rows.extend(buf)
        buf.clear()

    for fi, rn, row, label in _labelled_rows(files, by, shares, progress, "write"):
        copies = min(full_repeats[label], max_repeat) + extra.get((fi, rn), 0)
        if copies <= 0:
            continue
        copies = min(copies, max_repeat)
        n = measure(row["text"])
        copies_hist[copies] += 1
        for c in range(copies):
            got_units[label] += n
            got_docs[label] += 1
            buf.append(_record(row, label, by, c, chat, files[fi]))
            if len(buf) >= shuffle_buffer:
                flush()
    flush(final=True)
    if writer:
        writer.close()

    achieved_total = sum(got_units.values())
    stats = {
        "inputs": [str(f) for f in files],
        "by": by, "unit": unit, "seed": seed, "max_repeat": max_repeat, "fit": fit,
        "budget": budget, "total_target": round(total, 1), "total_achieved": achieved_total,
        "labels": {
            k: {
                "target_share": round(shares[k], 6),
                "achieved_share": round(got_units[k] / achieved_total, 6) if achieved_total else 0.0,
                "target_units": round(target[k], 1), "achieved_units": got_units[k],
                "available_units": avail_units[k], "available_docs": avail_docs[k], "docs_written": got_docs[k],
                "short_by_units": round(max(0.0, target[k] - got_units[k]), 1),
            }
            for k in shares
        },
        "max_abs_share_error": round(max((abs(got_units[k] / achieved_total - shares[k]) for k in shares), default=0.0), 6)
        if achieved_total else None,
        "copies_per_selected_doc": {str(k): v for k, v in sorted(copies_hist.items())},
        "excluded": dict(excluded),
        "malformed_examples": bad_rows[:50],
        "seconds": round(time.perf_counter() - t0, 2),
        "format": "messages" if chat else "text", "file_format": fmt,
    }
    res = MixResult(stats, rows=rows)
    if out_dir:
        res.output = writer.path
        with atomic_output(out_dir / "stats.json", "w") as f:
            f.write(json.dumps(stats, ensure_ascii=False, indent=1))
        if bad_rows:
            ex = out_dir / "excluded"
            ex.mkdir(parents=True, exist_ok=True)
            with open(ex / "malformed.jsonl", "w", encoding="utf-8") as f:
                f.writelines(json.dumps(b, ensure_ascii=False) + "\n" for b in bad_rows)
        if report:
            res.report = write_report(stats, out_dir / "report.html")
    return res


def _record(row: dict, label: str, by: str, copy: int, chat: bool, path: Path) -> dict:
    rec: dict[str, Any] = {"id": str(row.get("id")) if row.get("id") is not None else None, "label": label}
    if chat:
        msgs = []
        prompt = row.get("prompt") or row.get("question")
        if isinstance(prompt, str) and prompt.strip():
            msgs.append({"role": "user", "content": prompt})
        msgs.append({"role": "assistant", "content": row["text"]})
        rec["messages"] = msgs
    else:
        rec["text"] = row["text"]
    for k in ("l1", "l2"):
        v = _label_of(row, k)
        rec[k] = None if v is None else str(v)
    ls = row.get("literary_score")
    rec["literary_score"] = float(ls) if isinstance(ls, (int, float)) else None
    rec["copy"] = copy
    rec["source_file"] = path.name
    return rec


class _Writer:
    """Writes the mixture to a temporary file renamed into place by `close()`: a killed run leaves the previous
    mixture (and its stats.json) as they were, never an empty file beside a stats.json claiming completion."""

    def __init__(self, out_dir: Path, fmt: str):
        (out_dir / "data").mkdir(parents=True, exist_ok=True)
        self.fmt = fmt
        self.path = out_dir / "data" / f"mixture.{fmt}"
        self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        if fmt == "jsonl":
            self.f = open(self.tmp, "wb")  # noqa: SIM115 (closed in close())
        else:
            self.pw = None

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        if self.fmt == "jsonl":
            import orjson

            for r in rows:
                self.f.write(orjson.dumps(r) + b"\n")
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(rows)
        if self.pw is None:
            self.schema = table.schema
            self.pw = pq.ParquetWriter(self.tmp, self.schema)
        self.pw.write_table(table.cast(self.schema))

    def close(self) -> None:
        if self.fmt == "jsonl":
            self.f.close()
        elif self.pw is not None:
            self.pw.close()
        else:  # nothing selected: still write a valid empty file
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table({"id": pa.array([], pa.string()), "text": pa.array([], pa.string())}), self.tmp)
        os.replace(self.tmp, self.path)


def write_report(stats: dict, path: Path) -> Path:
    from wenforge.report import Page

    page = Page("wenforge mix: achieved vs target shares")
    page.paragraph(
        f"by {stats['by']}, unit {stats['unit']}, seed {stats['seed']}, max_repeat {stats['max_repeat']}, "
        f"fit {stats['fit']}; total {stats['total_achieved']} of target {stats['total_target']} "
        f"(budget {stats['budget']}); max share error {stats['max_abs_share_error']}."
    )
    labels = stats["labels"]
    page.bar_chart("target share", {k: v["target_share"] for k, v in labels.items()}, color="#bab0ac")
    page.bar_chart("achieved share", {k: v["achieved_share"] for k, v in labels.items()})
    page.table([{"label": k, **v} for k, v in labels.items()])
    page.heading("Copies per selected document")
    page.table([{"copies": k, "documents": v} for k, v in stats["copies_per_selected_doc"].items()])
    page.heading("Excluded rows")
    page.table([{"reason": k, "rows": v} for k, v in stats["excluded"].items()])
    page.table(stats["malformed_examples"][:20])
    return page.write(path)
