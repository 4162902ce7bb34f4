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
from collections.abc import Callable, Iterator
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
    sample: Sample
    verdict: Verdict


@dataclass
class PromptResult:
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
    if cfg.reasoning_format == "think_tags" and s.reasoning:
        return {"role": "assistant", "content": f"<think>\n{s.reasoning}\n</think>\n\n{s.content}"}
    msg = {"role": "assistant", "content": s.content}
    if cfg.reasoning_format == "field" and s.reasoning:
        msg["reasoning_content"] = s.reasoning
    return msg


@dataclass
class RunSummary:
    output: Path
    run_dir: Path
    stats: dict[str, Any]


ProgressFn = Callable[[str, dict[str, Any]], None]


class Distiller:
    def __init__(self, cfg: DistillConfig, *, progress: ProgressFn | None = None, warn: Callable[[str], None] | None = None):
        self.cfg = cfg
        self.progress = progress or (lambda event, info: None)
        self.warn = warn or (lambda msg: print(f"warning: {msg}", file=sys.stderr))
        self.shared: dict[str, Any] = {}
        self.checks: list[str] = list(cfg.checks or [])  # validated against the registry and the config
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="distill-checks")

    def api_key(self) -> str:
        key = os.environ.get(self.cfg.api_key_env)
        if not key:
            self.warn(f"env var {self.cfg.api_key_env} is not set: sending a placeholder key (fine for local servers)")
            return "EMPTY"
        return key

    # -- one prompt ---------------------------------------------------------------------------
    async def _one_request(self, client: TeacherClient, cache: ResponseCache, body: dict, salt, res: PromptResult):
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
            reason, detail = res.request_failures[0] if res.request_failures else ("empty_output", "no choices")
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
            res.failure = ("no_sample_passed", ", ".join(f"{k}×{v}" for k, v in codes.most_common()))
        return res

    # -- the run ------------------------------------------------------------------------------
    async def arun(self) -> RunSummary:
        cfg = self.cfg
        t0 = time.perf_counter()
        template = load_template(cfg.template or ("style_transfer" if cfg.task == "style_transfer" else "generate"))
        run_dir = cfg.resolved_run_dir
        (run_dir / "excluded").mkdir(parents=True, exist_ok=True)
        cfg.output.parent.mkdir(parents=True, exist_ok=True)
        total = progress_total(cfg.input, cfg.limit)
        self.progress("start", {"total": total})

        counts: Counter = Counter()
        excluded: Counter = Counter()
        rejected: Counter = Counter()
        examples_ok: list[dict] = []
        examples_bad: list[dict] = []
        cache = ResponseCache(cfg.resolved_cache_dir)
        cached_before = len(cache)
        tmp_out = cfg.output.with_name(cfg.output.name + ".partial")
        files = _open_writers([tmp_out, run_dir / "excluded" / "prompts.jsonl.partial",
                               run_dir / "excluded" / "samples.jsonl.partial"])
        f_out, f_prompts, f_samples = files.handles
        reasoning_chars: list[int] = []

        def emit(r: PromptResult) -> None:
            counts["prompts"] += 1
            counts["requests_sent"] += r.requests_sent
            counts["cache_hits"] += r.cache_hits
            counts["samples"] += r.samples
            counts["samples_passed"] += r.passing
            for reason, _ in r.request_failures:
                counts["request_failures"] += 1
            for j in r.rejected:
                counts["samples_rejected"] += 1
                for code in j.verdict.reasons:
                    rejected[code] += 1
                rec = {
                    "id": r.job.id,
                    "sample": j.sample.index,
                    "reasons": j.verdict.reasons,
                    "details": j.verdict.details,
                    "answer": j.sample.content[:2000],
                    "reasoning_chars": len(j.sample.reasoning),
                }
                f_samples.write(json.dumps(rec, ensure_ascii=False) + "\n")
                if len(examples_bad) < 12:
                    examples_bad.append(rec)
            if r.failure:
                counts["prompts_excluded"] += 1
                excluded[r.failure[0]] += 1
                f_prompts.write(
                    json.dumps(
                        {"id": r.job.id, "index": r.job.index, "reason": r.failure[0], "detail": r.failure[1]},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
            else:
                counts["prompts_with_output"] += 1
            for j in r.kept:
                counts["rows_written"] += 1
                reasoning_chars.append(len(j.sample.reasoning))
                row = {
                    "id": r.job.id,
                    "messages": r.job.messages + [assistant_message(cfg, j.sample)],
                    "meta": {
                        "teacher": cfg.model,
                        "task": cfg.task,
                        "sample": j.sample.index,
                        "score": round(j.verdict.score, 4),
                        "checks": j.verdict.details,
                        "reasoning_chars": len(j.sample.reasoning),
                    },
                }
                f_out.write(json.dumps(row, ensure_ascii=False) + "\n")
                if len(examples_ok) < 8:
                    examples_ok.append(row)
            self.progress("advance", {"id": r.job.id, "ok": not r.failure})

        # bounded window, results written in input order
        client = TeacherClient(
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
        pending: dict[int, PromptResult] = {}
        next_index = 0
        window = asyncio.Semaphore(max(cfg.concurrency * 4, 64))
        tasks: set[asyncio.Task] = set()

        def flush_ready() -> None:
            nonlocal next_index
            while next_index in pending:
                emit(pending.pop(next_index))
                next_index += 1

        async def worker(job: PromptJob) -> None:
            try:
                r = await self.process(job, client, cache)
            finally:
                window.release()
            pending[job.index] = r
            flush_ready()

        errors: list[BaseException] = []

        def done_cb(t: asyncio.Task) -> None:
            tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                errors.append(t.exception())

        try:
            async with client:
                for job in build_jobs(cfg, template, self.shared):
                    if errors:
                        raise errors[0]
                    await window.acquire()
                    t = asyncio.create_task(worker(job))
                    tasks.add(t)
                    t.add_done_callback(done_cb)
                while tasks:
                    await asyncio.wait(set(tasks))
                if errors:
                    raise errors[0]
                flush_ready()
        finally:
            for t in tasks:
                t.cancel()
            cache.close()
            self._executor.shutdown(wait=True)
            files.close()
        os.replace(tmp_out, cfg.output)
        os.replace(run_dir / "excluded" / "prompts.jsonl.partial", run_dir / "excluded" / "prompts.jsonl")
        os.replace(run_dir / "excluded" / "samples.jsonl.partial", run_dir / "excluded" / "samples.jsonl")

        wall = time.perf_counter() - t0
        stats = run_stats(
            "distill", read=counts["prompts"], kept=counts["prompts_with_output"], excluded=dict(excluded),
            seconds=wall, config=cfg.public_dict(), packages=("openai",),
            counts=dict(counts),
            samples_rejected_by_reason=dict(rejected),
            rejection_reasons={k: describe(k) for k in sorted(rejected)},
            checks=self.checks,
            client=client.stats.as_dict(),
            cache={"entries_before": cached_before, "entries_after": cached_before + cache.writes,
                   "commits": cache.commits},
            reasoning_chars_median=sorted(reasoning_chars)[len(reasoning_chars) // 2] if reasoning_chars else 0,
        )
        if "profile_error" in self.shared:
            stats["style_profile_error"] = self.shared["profile_error"]
        write_stats(run_dir, stats)
        write_report(run_dir / "report.html", stats, examples_ok, examples_bad)
        self.progress("done", stats)
        return RunSummary(cfg.output, run_dir, stats)

    def run(self) -> RunSummary:
        return asyncio.run(self.arun())


@dataclass
class _Writers:
    stack: contextlib.ExitStack
    handles: list[Any]

    def close(self) -> None:
        self.stack.close()


def _open_writers(paths: list[Path]) -> _Writers:
    stack = contextlib.ExitStack()
    return _Writers(stack, [stack.enter_context(open(p, "w", encoding="utf-8")) for p in paths])


def write_report(path: Path, stats: dict[str, Any], ok: list[dict], bad: list[dict]) -> Path:
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
    return Distiller(cfg, **kw).run()
