"""Training mixtures: target shares by label, met by seeded choice in three passes over the rows.

`mix_rows(rows, spec)` is the one implementation: rows in memory (a list of dicts, as `wenforge forge` passes its
training pool) or `Shards` (JSONL/Parquet files streamed again on each pass, as `wenforge mix` reads them), and a
`MixConfig` spec (shares, label key, size and unit, seed, repeat cap, fit). `build_mixture(inputs, spec, output)`
is `mix_rows` over shards, writing a run folder.

1. count: per label, rows and units (characters, tokens or rows); malformed rows are recorded with file:line.
2. select: per label, the rows with the lowest seeded hash priority until the label's target is met
   (a bounded heap: memory grows with the selection, not the corpus). A label with less than its target is
   repeated whole up to `max_repeat` times, the remainder again by priority.
3. emit: pass over the rows again and emit each selected row (repeats included) through a seeded shuffle
   buffer: returned in memory, or written by `build_mixture` to JSONL or Parquet, as `text` or chat `messages`.

With `fit="shares"` (default) the total shrinks when a label cannot reach its share even with repeats, so
achieved shares match the targets; with `fit="budget"` the budget is filled and short labels fall short.

`risk` (`mix.risk.RiskConfig`) excludes rows by TC260 risk label or values_risk and caps risk labels' shares in
pass 1; the stats give the risk labels' shares of the input and of the mixture, and every excluded row.
"""

from __future__ import annotations

import heapq
import json
import os
import random
import re
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

import xxhash
from pydantic import BaseModel, ConfigDict, Field

from wenforge.core import reasons as R
from wenforge.core import storage
from wenforge.core.config import ConfigPath
from wenforge.core.rows import InputError, read_rows
from wenforge.core.runs import OutputError, refuse_overwrite, run_stats, write_stats
from wenforge.mix.fields import field_of
from wenforge.mix.risk import RiskConfig, RiskGate, take_within_caps

_TOKEN_RE = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]|[A-Za-z]+|\d+|[^\sA-Za-z\d\u4e00-\u9fff\u3400-\u4dbf]")


class MixError(ValueError):
    """Bad mixture configuration or unreadable input; the message names the file, line or key."""


@dataclass
class MixResult:
    """A mixture: `stats` (targets, achieved units and shares per label, exclusions) and the chosen rows."""

    stats: dict
    output: Path | str | None = None  # a remote run folder's URLs
    report: Path | str | None = None
    # mix_rows: the chosen input rows themselves; build_mixture without an output: the records it would write
    rows: list[dict] = field(default_factory=list)
    # every row the risk rules excluded: {id, file, line, reason, values_risk, risk_labels}
    risk_excluded: list[dict] = field(default_factory=list)

    @property
    def shares(self) -> dict[str, float]:
        """The achieved share of each label (its target is `stats["labels"][label]["target_share"]`)."""
        return {k: v["achieved_share"] for k, v in self.stats["labels"].items()}


@dataclass(frozen=True)
class Item:
    """One input row and where it came from: a shard's file and line, or its place in a list (no file)."""

    file: Path | None
    line: int
    row: Any
    problem: str | None = None  # why the row cannot be used (malformed), else None

    @property
    def key(self) -> str:
        """The row's priority key: its `id`, else where it came from."""
        rid = self.row.get("id")
        return str(rid if rid is not None else f"{PurePosixPath(str(self.file)).name if self.file else 'row'}:{self.line}")


@dataclass(frozen=True)
class Pick:
    """A chosen row: its label and which copy of it this is (0 the first)."""

    item: Item
    label: str
    copy: int


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
SHARD_SUFFIXES = (".jsonl", ".parquet", ".json")


def _remote_files(url: str) -> list[str]:
    """The shard files of a remote URL (a file, or a folder searched recursively)."""
    try:
        if storage.isdir(url):
            return [str(f) for f in storage.listing(url, "**/*") if str(f).endswith(SHARD_SUFFIXES)]
        if storage.isfile(url):
            return [url]
    except storage.StorageError as e:
        raise MixError(str(e)) from None
    raise MixError(f"{url}: no such file or folder")


def _files(inputs) -> list[Path | str]:
    """The shard files of `inputs` (files, or folders searched recursively; local paths or remote URLs)."""
    out: list[Path | str] = []
    for p in [inputs] if isinstance(inputs, (str, Path)) else inputs:
        if storage.is_url(p):
            out += _remote_files(str(p))
            continue
        p = Path(p)
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and q.suffix in SHARD_SUFFIXES)
        elif p.is_file():
            out.append(p)
        else:
            raise MixError(f"{p}: no such file or folder")
    if not out:
        raise MixError(f"no .jsonl or .parquet shards found in {inputs}")
    return out


def iter_shard(path: Path) -> Iterator[tuple[int, dict | None, str | None]]:
    """(row number, row, None) or (row number, None, reason) for each record of a JSONL or Parquet shard."""
    try:
        for line in read_rows(path, allow_empty=True):
            if line.row is None:
                yield line.lineno, None, f"{R.MALFORMED_JSON}: {line.reason}"
            else:
                yield line.lineno, line.row, None
    except InputError as e:
        raise MixError(str(e)) from None


class Shards:
    """The rows of JSONL/Parquet shards (files, or folders searched recursively), read again on every pass."""

    def __init__(self, inputs):
        self.inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
        self.files = _files(inputs)

    def __iter__(self) -> Iterator[Item]:
        for path in self.files:
            for rn, row, err in iter_shard(path):
                yield Item(path, rn, row, err)


def _items(rows: Shards | Sequence[dict]) -> Iterator[Item]:
    """Every input row as an `Item` (rows in a list are numbered from 1)."""
    if isinstance(rows, Shards):
        yield from rows
        return
    for i, row in enumerate(rows, 1):
        yield Item(None, i, row, None if isinstance(row, dict) else f"{R.MALFORMED_JSON}: not a mapping")


def _labelled(rows: Shards | Sequence[dict], spec: MixConfig, shares: dict[str, float], progress=None,
              stage: str = "", skip: set[int] | frozenset = frozenset()) -> Iterator[tuple[int, Item, str]]:
    """(position among all rows, item, label) for every usable row whose label is in the mixture (positions in
    `skip`, the rows the risk rules left out, excepted)."""
    for pos, it in enumerate(_items(rows)):
        if progress:
            progress(stage, it.file, it.line)
        if pos in skip or it.problem or not isinstance(it.row.get(spec.text_field), str):
            continue
        label = field_of(it.row, spec.by)
        if label is None or str(label) not in shares:
            continue
        yield pos, it, str(label)


class _Measure:
    """Size of a row: its text in characters (non-space) or tokens (a local tokenizer.json, else an estimate:
    one token per Han character, Latin word, number or punctuation mark), or 1 (unit rows)."""

    def __init__(self, unit: str, tokenizer: str | None = None):
        self.unit, self.tok = unit, None
        if unit == "tokens" and tokenizer:
            from tokenizers import Tokenizer

            try:
                self.tok = Tokenizer.from_file(str(tokenizer))
            except Exception as e:
                raise MixError(f"{tokenizer}: cannot load tokenizer.json ({e})") from e

    def __call__(self, text: str) -> int:
        if self.unit == "rows":
            return 1
        if self.unit == "chars":
            return len(text) - text.count(" ") - text.count("\n")
        if self.tok is not None:
            return len(self.tok.encode(text, add_special_tokens=False).ids)
        return len(_TOKEN_RE.findall(text))


def _priority(seed: int, key: str) -> int:
    return xxhash.xxh64_intdigest(key, seed=seed)


# ------------------------------------------------------------------------------------------ config
def share_flags(flags: list[str]) -> dict[str, float]:
    """{label: share} from `LABEL=SHARE` strings (the `--share` flag), as given: `MixConfig` checks the values."""
    out: dict[str, float] = {}
    for s in flags:
        k, _, v = s.partition("=")
        try:
            out[k.strip()] = float(v)
        except ValueError:
            raise MixError(f"share for {k.strip()!r} must be a number (got {v!r}); use LABEL=SHARE") from None
    return out


def target_shares(shares: Mapping[str, float] | None) -> dict[str, float]:
    """The spec's shares normalised to sum to 1, labels with share 0 left out."""
    if not shares:
        raise MixError("no target shares: give --share LABEL=SHARE (repeatable) or a YAML config with `shares`")
    total = sum(shares.values())
    if total <= 0:
        raise MixError("target shares sum to 0")
    return {str(k).strip(): v / total for k, v in shares.items() if v > 0}


class MixConfig(BaseModel):
    """The keys of a mixture config file (`wenforge mix --config`); the command's flags override them."""

    model_config = ConfigDict(extra="forbid")
    shares: dict[str, Annotated[float, Field(ge=0, allow_inf_nan=False)]] | None = Field(
        None, description="target share per label (normalised to sum to 1)"
    )
    budget: int | float | None = Field(None, gt=0, description="total units; default: everything the shares allow")
    unit: Literal["chars", "tokens", "rows"] = Field("chars", description="rows: every row counts 1")
    seed: int = 0
    max_repeat: int = Field(1, ge=1, description="most copies of any document")
    by: str = Field("l1", description="label column, also looked up inside `taxonomy` / `metadata`")
    text_field: str = Field("text", description="the column holding each row's text")
    fit: Literal["shares", "budget"] = "shares"
    format: Literal["jsonl", "parquet"] = "jsonl"
    chat: bool = Field(False, description="write chat `messages` instead of `text`")
    tokenizer: ConfigPath | None = Field(None, description="local tokenizer.json for unit tokens")
    shuffle_buffer: int = Field(10000, ge=1)
    share_tolerance: float = Field(0.02, gt=0, lt=1, description="largest share error fit=shares accepts")
    risk: RiskConfig | None = Field(None, description="values risk rules: exclude, cap, max_risk, profile")


# --------------------------------------------------------------------------------------------- mix
@dataclass
class _Tally:
    """Pass 1's count: rows read, usable units and documents per label, exclusions by reason, malformed rows."""

    read: int = 0
    units: Counter = field(default_factory=Counter)
    docs: Counter = field(default_factory=Counter)
    excluded: Counter = field(default_factory=Counter)
    bad_rows: list[dict] = field(default_factory=list)

    def exclude(self, it: Item, reason: str) -> None:
        """Count `it` as excluded for `reason` (its code is the part before any ':') and keep where it was."""
        self.excluded[reason.split(":")[0]] += 1
        self.bad_rows.append({"file": str(it.file) if it.file else None, "line": it.line, "reason": reason})


@dataclass(frozen=True)
class _Targets:
    """The plan: total and target units per label, and per label its whole copies and the remainder to choose."""

    total: float
    units: dict[str, float]
    full_repeats: dict[str, int]
    remainder: dict[str, float]


@dataclass
class _Emitted:
    """Pass 3's record: units and copies written per label, and how many selected documents got each copy count."""

    units: Counter = field(default_factory=Counter)
    docs: Counter = field(default_factory=Counter)
    copies_hist: Counter = field(default_factory=Counter)


class _ShuffleBuffer:
    """Picks held until `size` of them, then shuffled by a generator seeded once and handed to `sink` as a batch."""

    def __init__(self, seed: int, size: int, sink: Callable[[list[Pick]], None]):
        self.rng, self.size, self.sink = random.Random(seed), size, sink
        self.buf: list[Pick] = []

    def add(self, pick: Pick) -> None:
        """Hold `pick`; a full buffer is flushed."""
        self.buf.append(pick)
        if len(self.buf) >= self.size:
            self.flush()

    def flush(self) -> None:
        """Shuffle the held picks and hand them to the sink (an empty batch too)."""
        self.rng.shuffle(self.buf)
        self.sink(list(self.buf))
        self.buf.clear()


def _where(it: Item) -> dict:
    """Which row: its id and where it came from."""
    rid = it.row.get("id")
    return {"id": None if rid is None else str(rid), "file": str(it.file) if it.file else None, "line": it.line}


def _count(rows: Shards | Sequence[dict], spec: MixConfig, shares: dict[str, float], measure: _Measure,
           progress: Callable[[str, Path | None, int], None] | None, gate: RiskGate) -> _Tally:
    """Pass 1: rows and units per label in the mixture; unusable rows, unlabelled ones, other labels and rows
    the risk rules leave out excluded; capped rows join their label's pool while their caps allow."""
    tally = _Tally()
    for pos, it in enumerate(_items(rows)):
        tally.read += 1
        if progress:
            progress("count", it.file, it.line)
        reason = it.problem
        if reason is None and not isinstance(it.row.get(spec.text_field), str):
            reason = f"{R.MISSING_TEXT}: missing or non-string `{spec.text_field}`"
        if reason:
            tally.exclude(it, reason)
            continue
        label = field_of(it.row, spec.by)
        if label is None:
            tally.exclude(it, f"{R.LABEL_MISSING}: no `{spec.by}` column or taxonomy key")
            continue
        label = str(label)
        if label not in shares:
            tally.excluded[R.LABEL_NOT_IN_MIX] += 1
            continue
        text = it.row[spec.text_field]
        n = measure(text)
        risk = gate.of(pos, it.row, text, first=True)
        gate.before.add(risk, n)
        code = gate.rule_out(risk)
        if code:
            gate.exclude(pos, _where(it), code, risk)
            continue
        capped = gate.capped(risk)
        if capped:
            gate.candidate(label, (_priority(spec.seed, it.key), pos, n, capped), _where(it), risk)
            continue
        tally.units[label] += n
        tally.docs[label] += 1
    for label, (docs, units) in gate.admit(tally.units).items():
        tally.units[label] += units
        tally.docs[label] += docs
    tally.excluded.update(gate.excluded)
    return tally


def _refuse_empty_labels(shares: dict[str, float], tally: _Tally, by: str, gate: RiskGate) -> None:
    """Refuse shares for labels with no documents (fit=shares could only meet them with an empty mixture)."""
    empty = [k for k, s in shares.items() if s > 0 and not tally.units[k]]
    if empty:
        have = ", ".join(f"{k}={tally.docs[k]}" for k in shares if tally.docs[k]) or "none"
        risk = f"; {sum(gate.excluded.values())} rows were excluded by the risk rules" if gate.excluded else ""
        raise MixError(
            f"no documents labelled {', '.join(empty)} (by `{by}`) in the inputs, so the target shares cannot be met"
            f" (documents per requested label: {have}{risk}); drop those labels or use fit='budget'"
        )


def _targets(shares: dict[str, float], avail: Counter, spec: MixConfig) -> _Targets:
    """Target units per label from the budget (default: all units), shrunk under fit=shares to what repeats allow."""
    budget_eff = float(spec.budget) if spec.budget else float(sum(avail.values()))
    cap = {k: avail[k] * spec.max_repeat for k in shares}
    if spec.fit == "shares":
        fit_total = min((cap[k] / s for k, s in shares.items()), default=0.0)
        total = min(budget_eff, fit_total)
    else:
        total = budget_eff
    target = {k: total * s for k, s in shares.items()}
    planned = {k: min(target[k], cap[k]) for k in shares}
    full_repeats = {k: int(planned[k] // avail[k]) if avail[k] else 0 for k in shares}
    remainder = {k: planned[k] - full_repeats[k] * avail[k] for k in shares}
    return _Targets(total, target, full_repeats, remainder)


def _needs_remainder(label: str, targets: _Targets, max_repeat: int) -> bool:
    """Whether some of the label's rows are still to be chosen by priority after its whole copies."""
    return targets.full_repeats[label] < max_repeat and targets.remainder[label] > 0


def _bounded_heaps(rows: Shards | Sequence[dict], spec: MixConfig, shares: dict[str, float], measure: _Measure,
                   targets: _Targets, gate: RiskGate) -> dict[str, list[tuple[int, int, int]]]:
    """Pass 2: per label, a max-heap on -priority of (-priority, position, units) just covering its remainder
    (rows carrying a capped risk label are held by the gate, not here)."""
    heaps: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    heap_units: Counter = Counter()
    for pos, it, label in _labelled(rows, spec, shares, skip=gate.out):
        remainder = targets.remainder[label]
        if pos in gate.admitted_pos or not _needs_remainder(label, targets, spec.max_repeat):
            continue
        n = measure(it.row[spec.text_field])
        h = heaps[label]
        heapq.heappush(h, (-_priority(spec.seed, it.key), pos, n))
        heap_units[label] += n
        # drop the highest-priority rows while the rest still cover the remainder
        while h and heap_units[label] - h[0][2] >= remainder:
            heap_units[label] -= heapq.heappop(h)[2]
    return heaps


def _take_lowest(heaps: dict[str, list[tuple[int, int, int]]], targets: _Targets, gate: RiskGate, max_repeat: int
                 ) -> tuple[set[int], dict[str, float]]:
    """Per label, lowest priority first, the rows that meet the remainder (from its heap and the capped rows in its
    pool, within their caps; stopping at the row that overshoots by more than half): positions, units per label."""
    extra: set[int] = set()
    taken: dict[str, float] = {}
    for label in sorted(set(heaps) | set(gate.admitted)):
        if not _needs_remainder(label, targets, max_repeat):
            continue
        rows = [(-negp, pos, n, frozenset()) for negp, pos, n in heaps.get(label, ())] + gate.admitted.get(label, [])
        got, taken[label] = take_within_caps(rows, gate.cfg.cap, budget=targets.remainder[label])
        extra.update(got)
    return extra, taken


def _chosen_units(shares: dict[str, float], avail: Counter, targets: _Targets, taken: dict[str, float]) -> Counter:
    """Units chosen per label: its whole copies plus what was taken by priority."""
    chosen: Counter = Counter({k: targets.full_repeats[k] * avail[k] for k in shares})
    for label, acc in taken.items():
        chosen[label] += acc
    return chosen


def _emit_pass(rows: Shards | Sequence[dict], spec: MixConfig, shares: dict[str, float], measure: _Measure,
               targets: _Targets, extra: set[int], sink: Callable[[list[Pick]], None],
               progress: Callable[[str, Path | None, int], None] | None, gate: RiskGate) -> _Emitted:
    """Pass 3: every copy of each selected row, in input order, through a seeded shuffle buffer into `sink`."""
    buffer = _ShuffleBuffer(spec.seed, spec.shuffle_buffer, sink)
    out = _Emitted()
    for pos, it, label in _labelled(rows, spec, shares, progress, "write", skip=gate.out):
        copies = min(targets.full_repeats[label], spec.max_repeat) + (1 if pos in extra else 0)
        if copies <= 0:
            continue
        copies = min(copies, spec.max_repeat)
        text = it.row[spec.text_field]
        n = measure(text)
        out.copies_hist[copies] += 1
        risk = gate.of(pos, it.row, text)
        for c in range(copies):
            gate.after.add(risk, n)
            out.units[label] += n
            out.docs[label] += 1
            buffer.add(Pick(it, label, c))
    buffer.flush()
    return out


def _mix_stats(spec: MixConfig, shares: dict[str, float], tally: _Tally, targets: _Targets, got: _Emitted,
               seconds: float, gate: RiskGate) -> dict:
    """The mixture's record: rows read and selected, the plan, target and achieved units and shares per label,
    copies per document, exclusions (rows not chosen included), the first malformed rows and the risk shares
    before and after mixing (None when no row carries risk labels and no risk rule is set)."""
    achieved_total = sum(got.units.values())
    selected = sum(got.copies_hist.values())  # distinct rows written at least once
    excluded = Counter(tally.excluded)
    if tally.read - sum(excluded.values()) - selected:
        excluded[R.NOT_SELECTED] = tally.read - sum(excluded.values()) - selected
    target = targets.units
    return {
        "read": tally.read, "selected": selected,
        "by": spec.by, "unit": spec.unit, "seed": spec.seed, "max_repeat": spec.max_repeat, "fit": spec.fit,
        "budget": spec.budget, "total_target": round(targets.total, 1), "total_achieved": achieved_total,
        "labels": {
            k: {
                "target_share": round(shares[k], 6),
                "achieved_share": round(got.units[k] / achieved_total, 6) if achieved_total else 0.0,
                "target_units": round(target[k], 1), "achieved_units": got.units[k],
                "available_units": tally.units[k], "available_docs": tally.docs[k], "docs_written": got.docs[k],
                "short_by_units": round(max(0.0, target[k] - got.units[k]), 1),
            }
            for k in shares
        },
        "max_abs_share_error": round(max((abs(got.units[k] / achieved_total - shares[k]) for k in shares),
                                         default=0.0), 6)
        if achieved_total else None,
        "copies_per_selected_doc": {str(k): v for k, v in sorted(got.copies_hist.items())},
        "excluded": dict(excluded),
        "malformed_examples": tally.bad_rows[:50],
        "risk": gate.stats(),
        "seconds": round(seconds, 2),
    }


def mix_rows(
    rows: Shards | Sequence[dict],
    spec: MixConfig,
    *,
    emit: Callable[[list[Pick]], None] | None = None,
    progress: Callable[[str, Path | None, int], None] | None = None,
) -> MixResult:
    """Choose rows for `spec`'s target shares: `MixResult.rows` (repeats included, in seeded shuffled order) and
    `stats["labels"]`, the target and achieved share of each label.

    `rows`: dicts in memory, or `Shards` (streamed: three passes). With `emit`, the chosen rows go to it in
    batches of at most `spec.shuffle_buffer` instead of into `MixResult.rows` (how `build_mixture` writes)."""
    t0 = time.perf_counter()
    shares = target_shares(spec.shares)
    measure = _Measure(spec.unit, spec.tokenizer)
    gate = RiskGate(spec.risk)
    tally = _count(rows, spec, shares, measure, progress, gate)
    if spec.fit == "shares":
        _refuse_empty_labels(shares, tally, spec.by, gate)
    targets = _targets(shares, tally.units, spec)
    heaps = _bounded_heaps(rows, spec, shares, measure, targets, gate)
    extra, taken = _take_lowest(heaps, targets, gate, spec.max_repeat)
    if spec.fit == "shares":
        _check_granularity(shares, _chosen_units(shares, tally.units, targets, taken), spec.share_tolerance)
    chosen: list[dict] = []
    sink = emit or (lambda batch: chosen.extend(p.item.row for p in batch))
    got = _emit_pass(rows, spec, shares, measure, targets, extra, sink, progress, gate)
    stats = _mix_stats(spec, shares, tally, targets, got, time.perf_counter() - t0, gate)
    return MixResult(stats, rows=chosen, risk_excluded=gate.records)


# ------------------------------------------------------------------------------------------- build
def build_mixture(
    inputs,
    spec: MixConfig,
    output: str | Path | None = None,
    *,
    report: bool = True,
    progress: Callable[[str, Path | None, int], None] | None = None,
) -> MixResult:
    """`mix_rows` over shards (files or folders), streamed. `output` is a run folder (data/mixture.{jsonl,parquet},
    stats.json, report.html, excluded/malformed.jsonl), local or a remote URL (built locally, then each file
    uploaded whole, stats.json last); without it the records are returned in `MixResult.rows`."""
    shards = Shards(inputs)
    if output is not None:
        try:
            refuse_overwrite(output if storage.is_url(output) else Path(output), *shards.inputs, *shards.files)
        except OutputError as e:
            raise MixError(str(e)) from None
    if output is None or not storage.is_url(output):
        return _build(shards, spec, Path(output) if output is not None else None, report, progress)
    with tempfile.TemporaryDirectory(prefix="wenforge-mix-") as tmp:
        res = _build(shards, spec, Path(tmp), report, progress)
        for f in sorted(p for p in Path(tmp).rglob("*") if p.is_file()):  # data/, excluded/, report, stats last
            storage.write_bytes(str(storage.join(output, *f.relative_to(tmp).parts)), f.read_bytes())
    res.output = storage.join(output, "data", PurePosixPath(str(res.output)).name)
    res.report = storage.join(output, "report.html") if res.report else None
    return res


def _build(shards: Shards, spec: MixConfig, out_dir: Path | None, report: bool,
           progress: Callable[[str, Path | None, int], None] | None) -> MixResult:
    """`build_mixture` into a local run folder `out_dir` (or into memory without one)."""
    writer = _Writer(out_dir, spec.format) if out_dir else None
    records: list[dict] = []

    def write(batch: list[Pick]) -> None:
        recs = [_record(p, spec) for p in batch]
        if writer:
            writer.write(recs)
        else:
            records.extend(recs)

    mixed = mix_rows(shards, spec, emit=write, progress=progress)
    if writer:
        writer.close()
    details = {k: v for k, v in mixed.stats.items() if k not in ("read", "selected", "excluded", "seconds")}
    stats = run_stats(
        "mix", read=mixed.stats["read"], kept=mixed.stats["selected"], excluded=mixed.stats["excluded"],
        seconds=mixed.stats["seconds"], config=spec.model_dump(mode="json"),
        inputs=[str(f) for f in shards.files], **details,
        format="messages" if spec.chat else "text", file_format=spec.format,
    )
    res = MixResult(stats, rows=records, risk_excluded=mixed.risk_excluded)
    if out_dir:
        res.output = writer.path
        write_stats(out_dir, stats)
        for name, recs in (("malformed", stats["malformed_examples"]), ("risk", mixed.risk_excluded)):
            if recs:
                ex = out_dir / "excluded"
                ex.mkdir(parents=True, exist_ok=True)
                with open(ex / f"{name}.jsonl", "w", encoding="utf-8") as f:
                    f.writelines(json.dumps(b, ensure_ascii=False) + "\n" for b in recs)
        if report:
            res.report = write_report(stats, out_dir / "report.html")
    return res


def _record(p: Pick, spec: MixConfig) -> dict:
    """The row as a mixture file holds it: id, label, `text` (or chat `messages`), l1/l2, literary_score, copy."""
    row = p.item.row
    rec: dict[str, Any] = {"id": str(row.get("id")) if row.get("id") is not None else None, "label": p.label}
    text = row[spec.text_field]
    if spec.chat:
        msgs = []
        prompt = row.get("prompt") or row.get("question")
        if isinstance(prompt, str) and prompt.strip():
            msgs.append({"role": "user", "content": prompt})
        msgs.append({"role": "assistant", "content": text})
        rec["messages"] = msgs
    else:
        rec["text"] = text
    for k in ("l1", "l2"):
        v = field_of(row, k)
        rec[k] = None if v is None else str(v)
    ls = row.get("literary_score")
    rec["literary_score"] = float(ls) if isinstance(ls, (int, float)) else None
    rec["copy"] = p.copy
    rec["source_file"] = PurePosixPath(str(p.item.file)).name if p.item.file else None
    return rec


class _Writer:
    """Writes the mixture to a temporary file renamed into place by `close()`: a killed run leaves the previous
    mixture (and its stats.json) as they were, never an empty file beside a stats.json claiming completion.
    Nothing is created before the first batch (or `close()`), so a mixture refused while choosing leaves no file."""

    def __init__(self, out_dir: Path, fmt: str):
        self.fmt = fmt
        self.path = out_dir / "data" / f"mixture.{fmt}"
        self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self.f = None  # the open JSONL file or Parquet writer, from the first batch on

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.fmt == "jsonl":
            import orjson

            if self.f is None:
                self.f = open(self.tmp, "wb")  # noqa: SIM115 (closed in close())
            for r in rows:
                self.f.write(orjson.dumps(r) + b"\n")
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(rows)
        if self.f is None:
            self.schema = table.schema
            self.f = pq.ParquetWriter(self.tmp, self.schema)
        self.f.write_table(table.cast(self.schema))

    def close(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.f is not None:
            self.f.close()
        elif self.fmt == "jsonl":  # nothing selected: still write a valid empty file
            self.tmp.write_bytes(b"")
        else:
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
    if stats.get("risk"):
        _risk_section(page, stats["risk"], stats["unit"])
    return page.write(path)


def _risk_section(page, risk: dict, unit: str) -> None:
    """Risk label shares of the input and the mixture, the rules and the rows they excluded (excluded/risk.jsonl)."""
    page.heading("Values risk labels")
    b, a = risk["before"], risk["after"]
    page.paragraph(
        f"rules: {risk['rules']}; share of {unit} with any risk label: input {b['any_share']:.1%}, mixture "
        f"{a['any_share']:.1%}; rows labelled by the mixture itself: {risk['labelled_here']}; "
        f"rows without risk labels: input {b['unlabelled_rows']}, mixture {a['unlabelled_rows']}."
    )
    for level, title in (("l1", "risk area (L1)"), ("l2", "risk category (L2)")):
        names = list(dict.fromkeys([*b[level], *a[level]]))
        if names:
            page.table([{title: n, "input share": b[level].get(n, {}).get("share", 0.0),
                         "input rows": b[level].get(n, {}).get("rows", 0),
                         "mixture share": a[level].get(n, {}).get("share", 0.0),
                         "mixture rows": a[level].get(n, {}).get("rows", 0)} for n in names])
    page.table([{"reason": k, "rows": v} for k, v in risk["excluded"].items()])
    page.table([{**r, "risk_labels": ", ".join(r["risk_labels"])} for r in risk["examples"][:20]])
