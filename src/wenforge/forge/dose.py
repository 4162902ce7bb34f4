"""Dose-response of the literary share: does the share of literature in a pretraining mixture set the style of
what a model writes?

Per seed and per literary share, `wenforge.mix.mixture.mix_rows` draws a mixture from the labelled corpus (by
`l1`: literature at the share, the other labels sharing the rest in proportion to what the corpus holds, the
same character budget every time). The documents are cut into character windows and the same tiny language
model (same architecture, same tokenizer trained once on the whole corpus, same random init per seed) is
pretrained on them from scratch by `wenforge.train.run.run_sft` for the same number of steps (the same token
budget). Each model then continues the same neutral openings ("今天", "我们", ...) by sampling at temperature 1
with a fixed seed, and `wenforge.style.score_style` scores every continuation.

A row per (seed, share): the share of continuations the classifier labels literature, mean ornateness and
literary score, distinct character bigrams, and two references that separate the classifier's behaviour from
the model's: the same measures on the model's own training windows (cut to the outputs' length: real text of
the mixture), and on continuations of the same prompts by a count-based character bigram model of those
windows (`bigram_control_*`: text of about the tiny model's quality drawn from the same mixture, so what the
classifier makes of word salad at that share).
"""

from __future__ import annotations

import json
import multiprocessing
import random
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path

from wenforge.core.rows import data_files, data_rows
from wenforge.core.runs import atomic_output

LITERATURE = "literature"
SHARES = (0.0, 0.1, 0.2, 0.4, 0.6)
# Openings that favour no genre: pronouns, time words and connectives that start news, stories, answers and
# explanations alike.
PROMPTS = ("今天", "我们", "在这个", "他说", "这是", "当时", "有一天", "因为", "如果", "大家", "这个", "现在")


@dataclass
class DoseSettings:
    """Model, training and sampling settings shared by every (seed, share): only the mixture changes.

    Sized for about 80 CPU-seconds per model, two models at a time (quick: 5 models in ~4 minutes on two idle
    cores); the shape and learning rate were chosen by held-out loss on a 0.4 mixture at a fixed CPU budget,
    never by the style figures. At this size the model ends near the loss of a count-based bigram model of the
    same windows (~6.0 nats per token; unigram ~6.9): it writes word salad in the mixture's vocabulary."""

    # ~1 character per token on this corpus at 2048 (byte-level BPE; 1024 splits most Han characters in two)
    vocab_size: int = 2048
    hidden_size: int = 64
    num_layers: int = 2
    num_heads: int = 4
    num_kv_heads: int = 2
    intermediate_size: int = 256
    # windows a little longer than max_length tokens: truncation then drops the EOS that TRL appends to every
    # text, so the model learns running text (no stop after each window) and every example is full length
    window_chars: int = 80
    max_length: int = 64
    steps: int = 500
    batch_size: int = 16
    learning_rate: float = 1e-2
    warmup_steps: int = 30
    # characters per mixture (~7,000 windows: about 1.1 passes at steps x batch); the largest budget the
    # corpus meets at every share with no document repeated (non-literature holds ~640k characters)
    budget_chars: int = 600_000
    # x 12 prompts = 192 continuations per model: a label share's binomial standard error ~0.035 (0.05 at 96,
    # half the goal's 0.10 tolerance)
    samples_per_prompt: int = 16
    max_new_tokens: int = 64  # a training window's length: outputs and windows are scored at one length
    temperature: float = 1.0
    scored_train_windows: int = 150  # training windows scored for the classifier's own label share
    threads: int = 1  # torch threads per model: 1 is fastest on a shared 2-core box (bench/learn_bench.py)
    workers: int = 2  # models trained at once, one process each (1: in this process)
    device: str = "cpu"  # "cuda" trains and samples on the GPU (the larger recipe: GPU_DOSE)
    # a local model folder to continue pretraining from (a real base model; every share starts from it) instead
    # of a tiny model built from scratch; the size keys above then do not apply
    base_model: str | None = None
    prompts: tuple[str, ...] = field(default=PROMPTS)

    def tiny_spec(self, seed: int) -> dict:
        """The TinySpec keys of the model for `seed`."""
        return {"vocab_size": self.vocab_size, "hidden_size": self.hidden_size, "num_layers": self.num_layers,
                "num_heads": self.num_heads, "num_kv_heads": self.num_kv_heads,
                "intermediate_size": self.intermediate_size, "max_positions": max(512, self.max_length * 2),
                "seed": seed}


# The same experiment larger, on one GPU (`python bench/style_control_bench.py --scale gpu`): a 4-layer model of
# hidden 256 (~4 M parameters), 4,000 steps of 32 windows of 128 tokens (~16 M tokens, ~10 passes over the
# budget) on the whole corpus budget, one model at a time. Not run yet: no task so far was lent a GPU.
GPU_DOSE = DoseSettings(hidden_size=256, num_layers=4, num_heads=8, num_kv_heads=4, intermediate_size=1024,
                        window_chars=160, max_length=128, steps=4000, batch_size=32, learning_rate=1e-3,
                        warmup_steps=200, max_new_tokens=128, workers=1, device="cuda")


def load_corpus(corpus_dir: Path) -> list[dict]:
    """The labelled rows (`text`, `l1`) of a pipeline run folder (its `data/`) or a folder of shards."""
    rows: list[dict] = []
    for f in data_files(corpus_dir, (".parquet", ".jsonl")):
        rows.extend({"id": r.get("id"), "text": r["text"], "l1": r["l1"]} for r in data_rows(f)
                    if isinstance(r.get("text"), str) and r.get("l1"))
    return rows


def mixture_shares(available: dict[str, int], literary_share: float) -> dict[str, float]:
    """Literature at `literary_share`; each other label a part of the rest in proportion to what it has."""
    others = {k: v for k, v in available.items() if k != LITERATURE and v > 0}
    rest = sum(others.values())
    shares = {k: (1 - literary_share) * v / rest for k, v in others.items()}
    if literary_share > 0:
        shares[LITERATURE] = literary_share
    return shares


def available_chars(rows: Sequence[dict]) -> dict[str, int]:
    """Characters per `l1` label (what the other labels' parts are proportional to)."""
    out: Counter = Counter()
    for r in rows:
        out[r["l1"]] += len(r["text"])
    return dict(out)


def make_mixture(rows: Sequence[dict], literary_share: float, budget_chars: int, seed: int):
    """`mix_rows` by `l1` at exact shares within the fixed character budget (MixResult)."""
    from wenforge.mix.mixture import MixConfig, mix_rows

    spec = MixConfig(shares=mixture_shares(available_chars(rows), literary_share), budget=budget_chars,
                     unit="chars", seed=seed, by="l1", fit="shares")
    return mix_rows(list(rows), spec)


def windows(texts: Sequence[str], size: int) -> list[str]:
    """Each text cut into consecutive whole `size`-character windows (the shorter tail is dropped)."""
    return [t[i : i + size] for t in texts for i in range(0, len(t) - size + 1, size)]


def distinct_2(texts: Sequence[str]) -> float:
    """Distinct character bigrams over all character bigrams (within each text, pooled over texts)."""
    grams = [t[i : i + 2] for t in texts for i in range(len(t) - 1)]
    return round(len(set(grams)) / len(grams), 4) if grams else 0.0


def build_base(out_dir: Path, corpus_texts: Sequence[str], settings: DoseSettings, seed: int) -> Path:
    """The random-init tiny model of `seed` (kept when `out_dir` has one), its tokenizer trained on the whole
    corpus: byte-level BPE training is deterministic, so every seed gets the same tokenizer (checked). With
    `settings.base_model`, that folder (every seed and share continues from the same weights)."""
    from wenforge.lm.tiny import TinySpec, build_tiny_model

    if settings.base_model:
        base = Path(settings.base_model)
        if not (base / "config.json").is_file():
            raise FileNotFoundError(f"{base}: base_model is not a model folder (no config.json)")
        return base
    if not (out_dir / "config.json").exists():
        build_tiny_model(out_dir, corpus_texts, TinySpec(**settings.tiny_spec(seed)))
    return out_dir


def check_same_tokenizer(base: Path, reference: bytes | None) -> bytes:
    """`base`'s tokenizer.json; RuntimeError when it differs from `reference` (all seeds share one)."""
    got = (base / "tokenizer.json").read_bytes()
    if reference is not None and got != reference:
        raise RuntimeError(f"{base}: tokenizer differs from the first seed's: the models cannot compare")
    return got


def pretrain(base: Path, texts: Sequence[str], run_dir: Path, settings: DoseSettings, seed: int) -> Path:
    """Next-token training of `base` from scratch on `texts` with `run_sft`; the final model folder."""
    from wenforge.train.config import recipe_from
    from wenforge.train.run import run_sft

    rows = [{"text": t} for t in texts]
    train_file = run_dir / "train.jsonl"
    train_file.parent.mkdir(parents=True, exist_ok=True)
    train_file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    keys = {
        "model": str(base), "train_file": str(train_file), "output_dir": str(run_dir / "sft"), "split": None,
        "max_steps": settings.steps, "per_device_train_batch_size": settings.batch_size,
        "learning_rate": settings.learning_rate, "warmup_steps": settings.warmup_steps,
        "lr_scheduler_type": "cosine", "max_length": settings.max_length, "logging_steps": 10,
        "save_strategy": "no", "disable_tqdm": True, "resume": False, "use_cpu": settings.device == "cpu",
        "seed": seed, "gradient_checkpointing": settings.device != "cpu",  # on CPU: same weights, ~10% less time
    }
    return run_sft(recipe_from(keys, "sft", source="style_control dose settings"), rows=rows).final_dir


def sample(model_dir: Path, settings: DoseSettings, seed: int) -> list[tuple[str, str]]:
    """(prompt, continuation) for every neutral prompt, `samples_per_prompt` times, sampled with `seed` from
    the model's whole distribution at `temperature` (`generate` applies no top-k cut)."""
    from wenforge.lm.generate import generate, load_model

    lm = load_model(model_dir, device=settings.device)
    prompts = [p for p in settings.prompts for _ in range(settings.samples_per_prompt)]
    outs = generate(lm, prompts, max_new_tokens=settings.max_new_tokens, batch_size=len(prompts),
                    temperature=settings.temperature, seed=seed)
    return list(zip(prompts, outs, strict=True))


def score(texts: Sequence[str]) -> list[dict]:
    """score_style's l1, l2, literary score and ornateness of each text."""
    from wenforge.style import score_style

    out = []
    for t in texts:
        r = score_style(t)
        out.append({"l1": r.l1, "l2": r.l2, "literary_score": r.literary_score, "ornateness": r.ornateness})
    return out


def bigram_control(texts: Sequence[str], prompts: Sequence[str], n_chars: int, seed: int) -> list[str]:
    """Continuations (`n_chars` each) of `prompts` by a character bigram model counted on `texts`, sampled in
    proportion to the counts (temperature 1); a character never followed in `texts` continues by unigram."""
    follow: dict[str, Counter] = defaultdict(Counter)
    for t in texts:
        for a, b in pairwise(t):
            follow[a][b] += 1
    unigram = Counter(ch for t in texts for ch in t)
    tables: dict[str, tuple[list[str], list[int]]] = {}

    def table(ch: str) -> tuple[list[str], list[int]]:
        if ch not in tables:
            counts = follow.get(ch) or unigram
            keys = list(counts)
            cum, acc = [], 0
            for k in keys:
                acc += counts[k]
                cum.append(acc)
            tables[ch] = (keys, cum)
        return tables[ch]

    rng = random.Random(seed)
    out = []
    for p in prompts:
        cur, chars = p[-1], []
        for _ in range(n_chars):
            keys, cum = table(cur)
            cur = rng.choices(keys, cum_weights=cum)[0]
            chars.append(cur)
        out.append("".join(chars))
    return out


def _mean(xs: Sequence[float]) -> float:
    return round(sum(xs) / len(xs), 4) if xs else 0.0


def _share(scored: Sequence[dict], label: str) -> float:
    return round(sum(s["l1"] == label for s in scored) / len(scored), 4) if scored else 0.0


def run_one(rows: Sequence[dict], base: Path, literary_share: float, seed: int, work: Path,
            settings: DoseSettings) -> tuple[dict, list[dict]]:
    """Mix, pretrain `base`, sample and score one (seed, share): its result row and its scored samples."""
    t0 = time.perf_counter()
    mixed = make_mixture(rows, literary_share, settings.budget_chars, seed)
    wins = windows([r["text"] for r in mixed.rows], settings.window_chars)
    lit_wins = windows([r["text"] for r in mixed.rows if r["l1"] == LITERATURE], settings.window_chars)
    final = pretrain(base, wins, work / f"seed{seed}" / f"share{literary_share:g}", settings, seed)
    pairs = sample(final, settings, seed)
    outputs = [c for _p, c in pairs]
    scored = score(outputs)
    # the training windows as the classifier sees the outputs: cut to the outputs' mean length
    cut = max(1, round(sum(map(len, outputs)) / len(outputs))) if outputs else settings.window_chars
    picked = random.Random(seed).sample(wins, min(settings.scored_train_windows, len(wins)))
    train_sample = [w[:cut] for w in picked]
    train_scored = score(train_sample)
    prompts = [p for p, _c in pairs]
    control = bigram_control(wins, prompts, cut, seed)
    control_scored = score(control)
    labels = mixed.stats["labels"]
    row = {
        "literary_share": literary_share, "seed": seed,
        "output_literary_share": _share(scored, LITERATURE),
        "ornateness": _mean([s["ornateness"] for s in scored]),
        "literary_score": _mean([s["literary_score"] for s in scored]),
        "distinct_2": distinct_2(outputs),
        "n_outputs": len(scored),
        "train_chars": mixed.stats["total_achieved"],
        "train_windows": len(wins),
        "train_literary_share_achieved": labels.get(LITERATURE, {}).get("achieved_share", 0.0),
        "train_literary_share_windows": round(len(lit_wins) / len(wins), 4) if wins else 0.0,
        "train_literary_share_by_classifier": _share(train_scored, LITERATURE),
        "train_ornateness": _mean([s["ornateness"] for s in train_scored]),
        "train_literary_score": _mean([s["literary_score"] for s in train_scored]),
        "train_distinct_2": distinct_2(train_sample[: len(outputs)]),
        "bigram_control_literary_share": _share(control_scored, LITERATURE),
        "bigram_control_ornateness": _mean([s["ornateness"] for s in control_scored]),
        "bigram_control_literary_score": _mean([s["literary_score"] for s in control_scored]),
        "output_l1_shares": dict(Counter(s["l1"] for s in scored).most_common()),
        "output_mean_chars": _mean([len(c) for c in outputs]),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    sources = (("model", outputs, scored), ("bigram_control", control, control_scored))
    samples = [{"literary_share": literary_share, "seed": seed, "source": source, "prompt": p, "text": c, **s}
               for source, texts, got in sources for p, c, s in zip(prompts, texts, got, strict=True)]
    return row, samples


def _run_job(job: tuple) -> tuple[dict, list[dict]]:
    """`run_one` in a worker process, with the settings' torch threads."""
    import torch

    torch.set_num_threads(job[-1].threads)
    return run_one(*job)


def run_jobs(jobs: list[tuple], workers: int) -> list[tuple[dict, list[dict]]]:
    """`run_one` for every job, in order: in this process, or `workers` at a time in spawned processes."""
    if workers <= 1:
        return [_report(_run_job(j)) for j in jobs]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_run_job, j) for j in jobs]
        return [_report(f.result()) for f in futures]


def _report(done: tuple[dict, list[dict]]) -> tuple[dict, list[dict]]:
    """Print a finished job's row (progress on stdout) and pass it on."""
    print(json.dumps(done[0], ensure_ascii=False), flush=True)
    return done


def dose_response(corpus_dir: Path, out: Path, *, shares: Sequence[float] = SHARES,
                  seeds: Sequence[int] = (0,), quick: bool = False,
                  settings: DoseSettings | None = None) -> list[dict]:
    """Rows {literary_share, seed, output_literary_share, ornateness, literary_score, distinct_2, n_outputs,
    train_chars, train_literary_share_by_classifier, seconds, ...} per seed and share; writes `out/dose.json`
    and every scored continuation to `out/dose_samples.jsonl`. `quick`: the first seed only (same settings,
    so quick figures are the full run's first seed). With `settings.workers` > 1 the models train in spawned
    processes: a script calling this needs the `if __name__ == "__main__":` guard."""
    settings = settings or DoseSettings()
    seeds = list(seeds)[:1] if quick else list(seeds)
    t0 = time.perf_counter()
    work = Path(out) / "work"
    rows = load_corpus(Path(corpus_dir))
    corpus_texts = [r["text"] for r in rows]
    base_seconds: dict[str, float] = {}
    tokenizer: bytes | None = None
    jobs = []
    for seed in seeds:
        tb = time.perf_counter()
        base = build_base(work / f"seed{seed}" / "base", corpus_texts, settings, seed)
        base_seconds[str(seed)] = round(time.perf_counter() - tb, 1)
        tokenizer = check_same_tokenizer(base, tokenizer)
        jobs += [(rows, base, float(share), seed, work, settings) for share in shares]
    done = run_jobs(jobs, settings.workers)
    results = [row for row, _got in done]
    samples = [s for _row, got in done for s in got]
    record = {"settings": asdict(settings), "seeds": seeds, "shares": [float(s) for s in shares],
              "corpus": str(corpus_dir), "base_seconds": base_seconds,
              "seconds": round(time.perf_counter() - t0, 1), "rows": results}
    with atomic_output(Path(out) / "dose.json", "w") as f:
        f.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    with atomic_output(Path(out) / "dose_samples.jsonl", "w") as f:
        f.writelines(json.dumps(s, ensure_ascii=False) + "\n" for s in samples)
    return results
