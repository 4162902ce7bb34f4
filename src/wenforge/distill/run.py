"""One distillation run: prompts in, teacher samples filtered by wenforge's verifiers, SFT rows out.

Run folder (DESIGN.md "one run, one folder"), next to the output file by default:
    OUT.jsonl                     the SFT dataset (chat `messages` rows carrying the input `id`)
    OUT.jsonl.run/stats.json      counts per step and reason, client stats, timings, versions, config
    OUT.jsonl.run/report.html     summary, reasons, accepted and rejected examples
    OUT.jsonl.run/excluded/prompts.jsonl   prompts with no output, with the reason
    OUT.jsonl.run/excluded/samples.jsonl   every rejected sample, with all its failed checks
    OUT.jsonl.run/cache/          the persistent request cache (resume never re-requests)

A rerun of the same config answers every request already paid for from the cache and rewrites the
outputs whole, so after any kill the result has no duplicate and no missing rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wenforge.core import reasons as R
from wenforge.core.config import ConfigError
from wenforge.core.reasons import describe
from wenforge.core.rows import InputError, count_rows, read_rows
from wenforge.core.runs import run_stats, write_stats
from wenforge.distill.cache import ResponseCache, request_key
from wenforge.distill.checks import CheckContext, Sample, Verdict, run_checks
from wenforge.distill.client import TeacherClient, TeacherError
from wenforge.distill.config import DistillConfig
from wenforge.distill.templates import Template, TemplateError, load_template
from wenforge.text.think import split_message

# ------------------------------------------------------------------------------------------------
# input


@dataclass
class PromptJob:
    """One input row ready to send: its id, prompt, reference answer and rendered messages."""

    index: int
    id: str
    prompt: str = ""
    answer: str | None = None
    source: str | None = None
    messages: list[dict[str, str]] = field(default_factory=list)
    error: tuple[str, str] | None = None  # (reason, detail) when the row is unusable


def iter_rows(path: Path, limit: int | None = None) -> Iterator[tuple[int, dict | None, str]]:
    """(index, row, problem) for a JSONL or Parquet file; row None and a problem naming the line if bad."""
    if not path.exists():
        raise ConfigError(f"input: file not found: {path}")
    try:
        for n, line in enumerate(read_rows(path, allow_empty=True)):
            if limit is not None and n >= limit:
                return
            yield n, line.row, line.error or ""
    except InputError as e:
        raise ConfigError(f"input: {e}") from None


def progress_total(path: Path, limit: int | None) -> int | None:
    """Rows the run will read (for the progress bar), or None when the file cannot be counted."""
    try:
        total = count_rows(path)
    except (OSError, ValueError):  # unreadable or corrupt (pyarrow's ArrowInvalid is a ValueError)
        return None
    return min(total, limit) if limit else total


def style_values(cfg: DistillConfig, shared: dict[str, Any]) -> dict[str, Any]:
    """Template values describing the target style: config first, else what the style profile says."""
    desc = cfg.style_description
    labels = list(cfg.style_labels)
    if (not desc or not labels) and cfg.style_profile:
        prof = shared.get("profile")
        if prof is None and "profile_error" not in shared:
            try:
                from wenforge.style import load_profile

                prof = shared["profile"] = load_profile(cfg.style_profile)
            except Exception as e:  # noqa: BLE001 - reported in stats
                shared["profile_error"] = f"{type(e).__name__}: {e}"
        if prof is not None:
            desc = desc or getattr(prof, "description", None) or getattr(prof, "name", None)
            labels = labels or list(getattr(prof, "labels", None) or [])
    return {"style": desc or "更有文采、更生动的文学风格", "labels": "、".join(labels) if labels else "（无）"}


def build_jobs(cfg: DistillConfig, template: Template, shared: dict[str, Any]) -> Iterator[PromptJob]:
    """One job per input row, in order: rendered messages, or the reason the row cannot be used."""
    seen: set[str] = set()
    style = style_values(cfg, shared) if cfg.task == "style_transfer" else {}
    for index, row, problem in iter_rows(cfg.input, cfg.limit):
        if row is None:
            yield PromptJob(index, f"row:{index}", error=(R.MALFORMED_JSON, problem))
            continue
        rid = row.get(cfg.id_field)
        rid = str(rid) if rid is not None and str(rid) != "" else f"row:{index}"
        if rid in seen:
            yield PromptJob(index, rid, error=(R.DUPLICATE_ID, f"id {rid!r} at row {index} seen before"))
            continue
        seen.add(rid)
        text = row.get(cfg.prompt_field)
        if not isinstance(text, str) or not text.strip():
            yield PromptJob(index, rid, error=(R.MISSING_TEXT, f"row {index}: field '{cfg.prompt_field}' missing or empty"))
            continue
        answer = row.get(cfg.answer_field) if cfg.answer_field else None
        values = {k: v for k, v in row.items() if isinstance(v, (str, int, float, list))}
        values.update(style)
        values["prompt"] = text
        values["text"] = text
        try:
            messages = template.render(values)
        except TemplateError as e:
            yield PromptJob(index, rid, error=(R.TEMPLATE_ERROR, str(e)))
            continue
        if cfg.system_prompt:
            messages = [{"role": "system", "content": cfg.system_prompt}] + [m for m in messages if m["role"] != "system"]
        yield PromptJob(
            index,
            rid,
            prompt=text,
            answer=None if answer is None else str(answer),
            source=text if cfg.task == "style_transfer" else None,
            messages=messages,
        )


# ------------------------------------------------------------------------------------------------
# results


@dataclass
class Judged:
    """One teacher sample and the checks' verdict on it."""

    sample: Sample
    verdict: Verdict


@dataclass
class PromptResult:
    """What one prompt produced: kept and rejected samples, or why it has no output, and request counts."""

    job: PromptJob
    kept: list[Judged] = field(default_factory=list)
    rejected: list[Judged] = field(default_factory=list)
    failure: tuple[str, str] | None = None  # (reason, detail): prompt ended without output
    request_failures: list[tuple[str, str]] = field(default_factory=list)
    requests_sent: int = 0
    cache_hits: int = 0
    samples: int = 0
    passing: int = 0


def request_bodies(cfg: DistillConfig, messages: list[dict[str, str]]) -> list[tuple[dict[str, Any], int | None]]:
    """(body, salt) per request: one body asking for n samples, or n single-sample bodies."""
    base: dict[str, Any] = {"model": cfg.model, "messages": messages, "temperature": cfg.temperature}
    if cfg.top_p is not None:
        base["top_p"] = cfg.top_p
    if cfg.max_tokens is not None:
        base["max_tokens"] = cfg.max_tokens
    base.update(cfg.extra_body)
    if cfg.n_per_request or cfg.n == 1:
        body = dict(base)
        if cfg.n > 1:
            body["n"] = cfg.n
        if cfg.seed is not None:
            body["seed"] = cfg.seed
        return [(body, None)]
    out = []
    for i in range(cfg.n):
        body = dict(base)
        if cfg.seed is not None:
            body["seed"] = cfg.seed + i
        out.append((body, i if cfg.seed is None else None))
    return out


def assistant_message(cfg: DistillConfig, s: Sample) -> dict[str, str]:
    """The teacher's reply as an assistant message, its reasoning kept as `reasoning_format` says."""
    if cfg.reasoning_format == "think_tags" and s.reasoning:
        return {"role": "assistant", "content": f"<think>\n{s.reasoning}\n</think>\n\n{s.content}"}
    msg = {"role": "assistant", "content": s.content}
    if cfg.reasoning_format == "field" and s.reasoning:
        msg["reasoning_content"] = s.reasoning
    return msg


@dataclass
class RunSummary:
    """Where a finished run wrote its output and run folder, and its stats.json record."""

    output: Path
    run_dir: Path
    stats: dict[str, Any]


ProgressFn = Callable[[str, dict[str, Any]], None]


class Distiller:
    """One distillation run of a config (one use: `run` or `arun` once)."""

    def __init__(self, cfg: DistillConfig, *, progress: ProgressFn | None = None, warn: Callable[[str], None] | None = None):
        self.cfg = cfg
        self.progress = progress or (lambda event, info: None)
        self.warn = warn or (lambda msg: print(f"warning: {msg}", file=sys.stderr))
        self.shared: dict[str, Any] = {}
        self.checks: list[str] = list(cfg.checks or [])  # validated against the registry and the config
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="distill-checks")

    def api_key(self) -> str:
        """The teacher's API key from the configured env var, else a placeholder (with a warning)."""
        key = os.environ.get(self.cfg.api_key_env)
        if not key:
            self.warn(f"env var {self.cfg.api_key_env} is not set: sending a placeholder key (fine for local servers)")
            return "EMPTY"
        return key

    # -- one prompt ---------------------------------------------------------------------------
    async def _one_request(self, client: TeacherClient, cache: ResponseCache, body: dict, salt, res: PromptResult):
        """The teacher's answer to one request body, from the cache when already paid for."""
        key = request_key(body, salt)
        data = cache.get(key)
        if data is not None:
            res.cache_hits += 1
            return data
        res.requests_sent += 1
        data = await client.chat(body)
        cache.put(key, body, data)
        return data

    async def process(self, job: PromptJob, client: TeacherClient, cache: ResponseCache) -> PromptResult:
        """Sample the teacher for one prompt and judge every sample with the checks."""
        res = PromptResult(job)
        if job.error:
            res.failure = job.error
            return res
        bodies = request_bodies(self.cfg, job.messages)
        outcomes = await asyncio.gather(
            *(self._one_request(client, cache, b, salt, res) for b, salt in bodies), return_exceptions=True
        )
        samples: list[Sample] = []
        for out in outcomes:
            if isinstance(out, TeacherError):
                res.request_failures.append((out.reason, out.detail))
                continue
            if isinstance(out, BaseException):
                raise out
            for ch in out["choices"]:
                reasoning, content = split_message(ch["message"])
                samples.append(Sample(content, reasoning or "", ch.get("finish_reason"), len(samples)))
        if not samples:
            reason, detail = res.request_failures[0] if res.request_failures else (R.EMPTY_OUTPUT, "no choices")
            res.failure = (reason, detail)
            return res
        ctx = CheckContext(prompt=job.prompt, answer=job.answer, source=job.source, config=self.cfg, shared=self.shared)
        loop = asyncio.get_running_loop()
        verdicts = await loop.run_in_executor(
            self._executor, lambda: [run_checks(self.checks, s, ctx) for s in samples]
        )
        judged = [Judged(s, v) for s, v in zip(samples, verdicts)]
        res.samples = len(judged)
        passing = sorted((j for j in judged if j.verdict.passed), key=lambda j: -j.verdict.score)
        res.rejected = [j for j in judged if not j.verdict.passed]
        res.passing = len(passing)
        if self.cfg.keep == "best":
            res.kept, extra = passing[:1], passing[1:]
            del extra  # passing but not best: neither output nor rejected
        else:
            res.kept = passing
        if not res.kept:
            codes = Counter(r for j in res.rejected for r in j.verdict.reasons)
            res.failure = (R.NO_SAMPLE_PASSED, ", ".join(f"{k}×{v}" for k, v in codes.most_common()))
        return res

    # -- the run ------------------------------------------------------------------------------
    def _client(self) -> TeacherClient:
        """The teacher client the config describes."""
        cfg = self.cfg
        return TeacherClient(
            base_url=cfg.base_url,
            api_key=self.api_key(),
            concurrency=cfg.concurrency,
            timeout=cfg.timeout,
            max_retries=cfg.max_retries,
            backoff_base=cfg.backoff_base,
            backoff_max=cfg.backoff_max,
            retry_after_max=cfg.retry_after_max,
            seed=cfg.seed,
            transport=cfg.transport,
        )

    def _emit(self, tally: _Tally, r: PromptResult) -> None:
        """Record one prompt's result in the output files and counters, then report progress."""
        tally.record(r)
        self.progress("advance", {"id": r.job.id, "ok": not r.failure})

    def _stats(self, tally: _Tally, client: TeacherClient, cache: ResponseCache, cached_before: int,
               seconds: float) -> dict[str, Any]:
        """The run's stats.json record."""
        stats = run_stats(
            "distill", read=tally.counts["prompts"], kept=tally.counts["prompts_with_output"],
            excluded=dict(tally.excluded), seconds=seconds, config=self.cfg.public_dict(), packages=("openai",),
            counts=dict(tally.counts),
            samples_rejected_by_reason=dict(tally.rejected),
            rejection_reasons={k: describe(k) for k in sorted(tally.rejected)},
            checks=self.checks,
            client=client.stats.as_dict(),
            cache={"entries_before": cached_before, "entries_after": cached_before + cache.writes,
                   "commits": cache.commits},
            reasoning_chars_median=upper_median(tally.reasoning_chars),
        )
        if "profile_error" in self.shared:
            stats["style_profile_error"] = self.shared["profile_error"]
        return stats

    async def arun(self) -> RunSummary:
        """Run every prompt, rename the finished outputs into place, then write stats.json and the report."""
        cfg = self.cfg
        t0 = time.perf_counter()
        template = load_template(template_name(cfg))
        run_dir = cfg.resolved_run_dir
        (run_dir / "excluded").mkdir(parents=True, exist_ok=True)
        cfg.output.parent.mkdir(parents=True, exist_ok=True)
        self.progress("start", {"total": progress_total(cfg.input, cfg.limit)})
        cache = ResponseCache(cfg.resolved_cache_dir)
        cached_before = len(cache)
        files = _open_writers(output_paths(cfg))
        tally = _Tally(cfg, *files.handles)
        client = self._client()
        window = _Window(window_size(cfg), lambda r: self._emit(tally, r))
        try:
            async with client:
                for job in build_jobs(cfg, template, self.shared):
                    await window.submit(job, lambda j: self.process(j, client, cache))
                await window.drain()
        finally:
            window.cancel()
            cache.close()
            self._executor.shutdown(wait=True)
            files.close()
        files.publish()
        stats = self._stats(tally, client, cache, cached_before, time.perf_counter() - t0)
        write_stats(run_dir, stats)
        write_report(run_dir / "report.html", stats, tally.examples_ok, tally.examples_bad)
        self.progress("done", stats)
        return RunSummary(cfg.output, run_dir, stats)

    def run(self) -> RunSummary:
        """`arun` in a fresh event loop."""
        return asyncio.run(self.arun())


# ------------------------------------------------------------------------------------------------
# the run's pieces

WINDOW_PER_CONNECTION = 4  # prompts started per teacher connection, so checks and cache work overlap requests
MIN_WINDOW = 64  # at low concurrency still read ahead enough prompts to keep the connections busy
EXAMPLES_OK = 8  # accepted rows shown in the report
EXAMPLES_BAD = 12  # rejected samples shown in the report
REJECTED_ANSWER_CHARS = 2000  # a rejected answer is kept this long in excluded/samples.jsonl


def template_name(cfg: DistillConfig) -> str:
    """The configured template, else the task's default one."""
    return cfg.template or ("style_transfer" if cfg.task == "style_transfer" else "generate")


def window_size(cfg: DistillConfig) -> int:
    """How many prompts may be in flight at once."""
    return max(cfg.concurrency * WINDOW_PER_CONNECTION, MIN_WINDOW)


def output_paths(cfg: DistillConfig) -> list[Path]:
    """The run's final output files: the SFT rows, the excluded prompts, the rejected samples."""
    excluded = cfg.resolved_run_dir / "excluded"
    return [cfg.output, excluded / "prompts.jsonl", excluded / "samples.jsonl"]


def partial_path(path: Path) -> Path:
    """Where `path` is written until the run succeeds."""
    return path.with_name(path.name + ".partial")


def upper_median(values: list[int]) -> int:
    """The middle value (the upper one of an even count), 0 for none."""
    return sorted(values)[len(values) // 2] if values else 0


def output_row(cfg: DistillConfig, job: PromptJob, j: Judged) -> dict[str, Any]:
    """The SFT row of one kept sample."""
    return {
        "id": job.id,
        "messages": job.messages + [assistant_message(cfg, j.sample)],
        "meta": {
            "teacher": cfg.model,
            "task": cfg.task,
            "sample": j.sample.index,
            "score": round(j.verdict.score, 4),
            "checks": j.verdict.details,
            "reasoning_chars": len(j.sample.reasoning),
        },
    }


def rejected_record(job: PromptJob, j: Judged) -> dict[str, Any]:
    """The excluded/samples.jsonl record of one rejected sample, with all its failed checks."""
    return {
        "id": job.id,
        "sample": j.sample.index,
        "reasons": j.verdict.reasons,
        "details": j.verdict.details,
        "answer": j.sample.content[:REJECTED_ANSWER_CHARS],
        "reasoning_chars": len(j.sample.reasoning),
    }


def excluded_record(job: PromptJob, failure: tuple[str, str]) -> dict[str, Any]:
    """The excluded/prompts.jsonl record of a prompt that ended without output."""
    return {"id": job.id, "index": job.index, "reason": failure[0], "detail": failure[1]}


def _write_line(f: Any, record: dict[str, Any]) -> None:
    """Append `record` to the open JSONL file `f`."""
    f.write(json.dumps(record, ensure_ascii=False) + "\n")


@dataclass
class _Tally:
    """What the run has written so far: the open output files, counters and the report's examples."""

    cfg: DistillConfig
    f_out: Any
    f_prompts: Any
    f_samples: Any
    counts: Counter = field(default_factory=Counter)
    excluded: Counter = field(default_factory=Counter)  # prompt reason -> prompts
    rejected: Counter = field(default_factory=Counter)  # sample reason -> samples
    examples_ok: list[dict] = field(default_factory=list)
    examples_bad: list[dict] = field(default_factory=list)
    reasoning_chars: list[int] = field(default_factory=list)

    def record(self, r: PromptResult) -> None:
        """Count one prompt's result and write its rejected samples, its exclusion or its rows."""
        self.counts["prompts"] += 1
        self.counts["requests_sent"] += r.requests_sent
        self.counts["cache_hits"] += r.cache_hits
        self.counts["samples"] += r.samples
        self.counts["samples_passed"] += r.passing
        if r.request_failures:
            self.counts["request_failures"] += len(r.request_failures)
        for j in r.rejected:
            self._reject(r.job, j)
        if r.failure:
            self._exclude(r.job, r.failure)
        else:
            self.counts["prompts_with_output"] += 1
        for j in r.kept:
            self._keep(r.job, j)

    def _reject(self, job: PromptJob, j: Judged) -> None:
        """Count and write one rejected sample."""
        self.counts["samples_rejected"] += 1
        for code in j.verdict.reasons:
            self.rejected[code] += 1
        rec = rejected_record(job, j)
        _write_line(self.f_samples, rec)
        if len(self.examples_bad) < EXAMPLES_BAD:
            self.examples_bad.append(rec)

    def _exclude(self, job: PromptJob, failure: tuple[str, str]) -> None:
        """Count and write one prompt that ended without output."""
        self.counts["prompts_excluded"] += 1
        self.excluded[failure[0]] += 1
        _write_line(self.f_prompts, excluded_record(job, failure))

    def _keep(self, job: PromptJob, j: Judged) -> None:
        """Count and write one kept sample as an SFT row."""
        self.counts["rows_written"] += 1
        self.reasoning_chars.append(len(j.sample.reasoning))
        row = output_row(self.cfg, job, j)
        _write_line(self.f_out, row)
        if len(self.examples_ok) < EXAMPLES_OK:
            self.examples_ok.append(row)


class _Window:
    """Prompts in flight: at most `size` at once, each result handed to `emit` in input order."""

    def __init__(self, size: int, emit: Callable[[PromptResult], None]):
        self._slots = asyncio.Semaphore(size)
        self._emit = emit
        self._pending: dict[int, PromptResult] = {}  # finished, waiting for an earlier prompt
        self._next_index = 0
        self._tasks: set[asyncio.Task] = set()
        self._errors: list[BaseException] = []

    async def submit(self, job: PromptJob, work: Callable[[PromptJob], Awaitable[PromptResult]]) -> None:
        """Start `work(job)` once a slot is free; raises the first error of a prompt started before."""
        self._raise_first_error()
        await self._slots.acquire()
        t = asyncio.create_task(self._run(job, work))
        self._tasks.add(t)
        t.add_done_callback(self._done)

    async def drain(self) -> None:
        """Wait for every started prompt, raise the first error, then hand over what is left."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))
        self._raise_first_error()
        self._flush()

    def cancel(self) -> None:
        """Cancel the prompts still in flight."""
        for t in self._tasks:
            t.cancel()

    async def _run(self, job: PromptJob, work: Callable[[PromptJob], Awaitable[PromptResult]]) -> None:
        """Run one prompt, free its slot, and hand over every result now in order."""
        try:
            r = await work(job)
        finally:
            self._slots.release()
        self._pending[job.index] = r
        self._flush()

    def _flush(self) -> None:
        """Emit the finished results that continue the input order."""
        while self._next_index in self._pending:
            self._emit(self._pending.pop(self._next_index))
            self._next_index += 1

    def _done(self, t: asyncio.Task) -> None:
        """Forget a finished task, keeping its error."""
        self._tasks.discard(t)
        if not t.cancelled() and t.exception() is not None:
            self._errors.append(t.exception())

    def _raise_first_error(self) -> None:
        """Raise the first error a prompt ended with, if any."""
        if self._errors:
            raise self._errors[0]


@dataclass
class _Writers:
    """The run's output files, open under their .partial names."""

    stack: contextlib.ExitStack
    paths: list[Path]  # the final names
    handles: list[Any]

    def close(self) -> None:
        """Close every file."""
        self.stack.close()

    def publish(self) -> None:
        """Rename each finished .partial file over its final name."""
        for p in self.paths:
            os.replace(partial_path(p), p)


def _open_writers(paths: list[Path]) -> _Writers:
    """Open the .partial file of each of `paths` for writing."""
    stack = contextlib.ExitStack()
    return _Writers(stack, paths, [stack.enter_context(open(partial_path(p), "w", encoding="utf-8")) for p in paths])


def write_report(path: Path, stats: dict[str, Any], ok: list[dict], bad: list[dict]) -> Path:
    """The run's report.html: counts, reasons, client stats, accepted and rejected examples."""
    from wenforge.report import Page

    c = stats["counts"]
    page = Page("wenforge distill: run report")
    page.table(
        [
            {"prompts": c.get("prompts", 0), "with output": c.get("prompts_with_output", 0),
             "excluded": c.get("prompts_excluded", 0), "samples": c.get("samples", 0),
             "samples rejected": c.get("samples_rejected", 0), "rows written": c.get("rows_written", 0),
             "requests sent": c.get("requests_sent", 0), "cache hits": c.get("cache_hits", 0),
             "wall s": stats["seconds"]}
        ]
    )
    cfgd = stats["config"]
    page.paragraph(f"teacher {cfgd['model']} at {cfgd['base_url']}; task {cfgd['task']}; "
                   f"checks: {', '.join(stats['checks']) or '(none)'}; keep {cfgd['keep']}; n {cfgd['n']}")
    page.heading("Why samples were rejected")
    page.bar_chart("rejected samples by reason", stats["samples_rejected_by_reason"])
    page.table([{"reason": k, "samples": v, "meaning": describe(k)}
                for k, v in sorted(stats["samples_rejected_by_reason"].items(), key=lambda kv: -kv[1])])
    page.heading("Why prompts ended without output")
    page.table([{"reason": k, "prompts": v, "meaning": describe(k)}
                for k, v in sorted(stats["excluded"].items(), key=lambda kv: -kv[1])])
    page.heading("Client")
    cl = stats["client"]
    page.table([{"attempts": cl["attempts"], "succeeded": cl["succeeded"], "retries": json.dumps(cl["retries"]),
                 "failed": json.dumps(cl["failed"]), "backoff s": cl["backoff_s"],
                 "completion tokens": cl["completion_tokens"]}])
    page.examples(
        "Accepted samples",
        ({"id": r["id"], "score": r["meta"]["score"], "checks": r["meta"]["checks"],
          "text": "\n\n".join(f"[{m['role']}] {m['content']}" for m in r["messages"])} for r in ok),
    )
    page.examples(
        "Rejected samples (with reasons)",
        ({"id": r["id"], "sample": r["sample"], "reasons": ", ".join(r["reasons"]), "details": r["details"],
          "text": r["answer"]} for r in bad),
    )
    return page.write(path)


def run_distill(cfg: DistillConfig, **kw: Any) -> RunSummary:
    """Run one distillation of `cfg` (keywords: `progress`, `warn`, as for `Distiller`)."""
    return Distiller(cfg, **kw).run()
