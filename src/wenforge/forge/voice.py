"""Rounds toward a target voice: does the forge's style feedback bring a model's writing closer to a voice than a
fixed mixture at the same compute?

Target voice: modern lyrical essays (`l2 == modern_essay` in the labelled corpus). Per seed, EXEMPLAR_DOCS of
those essays are set aside and never trained on; their character windows build the target profile
(`wenforge.style.build_profile`), and CHECK_DOCS more set-aside essays give the floor: the distance of unseen
in-voice text to the profile, the best a model can hope for. The rest of the corpus, by `l2` label (labels with
at least MIN_LABEL_DOCS documents), is cut into the same windows: the training pool.

One tiny model per seed (tokenizer trained on the pool) gets `wenforge forge` style rounds (`style_target`):
a warm-up on the round-0 mixture (uniform over labels), then per round SFT on `rows_per_round` windows drawn by
`wenforge.mix.mix_rows` at the round's shares, sampled continuations of the forge's neutral prompts scored once
by `wenforge eval` against the target (style_distance = 1 - mean style_match), and the style feedback
(`wenforge.forge.style`) re-weighting the next round toward the labels whose windows are closer to the target.
The control is the same forge with a fixed mixture (feedback gain 0: the round-0 weights every round): it
resumes from the feedback run's state after round 0 (same warm-up, same round 0, same model), so both arms
train the same steps on the same number of rows from the same start. The feedback settings below were chosen
before any run and not tuned on the distances reported.
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path

from wenforge.core.rows import data_files, data_rows
from wenforge.core.runs import atomic_output

TARGET_LABEL = "modern_essay"
LABEL_FIELD = "l2"
# Essays set aside per seed: their windows build the target profile (a few hundred windows) ...
EXEMPLAR_DOCS = 30
# ... and these others measure how far unseen in-voice text is from it (the floor).
CHECK_DOCS = 10
# Labels with fewer documents are left out of the pool: a round's share of them would be a few rows repeated.
MIN_LABEL_DOCS = 100


@dataclass
class RoundsSettings:
    """Model, training, sampling and feedback settings; both arms share all but the feedback gain."""

    vocab_size: int = 2048  # ~1 character per token on this corpus (wenforge.forge.dose)
    hidden_size: int = 64
    num_layers: int = 2
    num_heads: int = 4
    num_kv_heads: int = 2
    intermediate_size: int = 256
    window_chars: int = 96  # training windows and exemplar windows, ~ max_length tokens at ~1 char/token
    max_length: int = 96
    batch_size: int = 32
    learning_rate: float = 3e-3  # bench/learn_bench.py's LM_TRAINING: works for these tiny models
    warmup_steps: int = 10
    warmup_sft_steps: int = 100  # the warm-up on the round-0 mixture: the model learns to write first
    round_steps: int = 55  # per round: one pass over rows_per_round = round_steps x batch_size windows
    # x 20 forge prompts = 120 continuations per round: style_match spreads ~0.15 over one model's continuations,
    # so the round's mean is known to ~0.015
    samples_per_prompt: int = 6
    max_new_tokens: int = 96  # about a window
    temperature: float = 1.0
    # the style feedback: two updates in three rounds, each at most x1.75 / x0.25, no label below 2%
    gain: float = 2.0
    max_step: float = 0.75
    min_weight: float = 0.02
    tokenizer_windows: int = 4000  # pool windows the tokenizer is trained on
    threads: int = 1  # torch threads: 1 is fastest on a loaded 2-core machine (docs/rl.md)
    device: str = "cpu"  # "cuda": the SFT of every round on the GPU (sampling stays in the forge's own process)



# The larger recipe for one GPU (`--scale gpu`): a 4-layer model of hidden 256, 4x the warm-up and round steps,
# 4 rounds. Not run yet: no task so far was lent a GPU.
GPU_ROUNDS = RoundsSettings(hidden_size=256, num_layers=4, num_heads=8, num_kv_heads=4, intermediate_size=1024,
                            warmup_sft_steps=400, round_steps=220, device="cuda")
GPU_ROUND_COUNT = 4


def load_rows(corpus_dir: Path) -> list[dict]:
    """The labelled documents (`id`, `text`, `l2`) of a pipeline run folder (its `data/`) or a folder of shards."""
    rows: list[dict] = []
    for f in data_files(corpus_dir, (".parquet", ".jsonl")):
        rows.extend({"id": r.get("id"), "text": r["text"], LABEL_FIELD: r[LABEL_FIELD]} for r in data_rows(f)
                    if isinstance(r.get("text"), str) and r.get(LABEL_FIELD))
    return rows


def split_docs(rows: Sequence[dict], seed: int) -> tuple[list[dict], list[dict], list[dict]]:
    """(exemplar essays, check essays, training documents): the set-aside essays are chosen by `seed`; the
    training documents are the other rows of labels with at least MIN_LABEL_DOCS of them."""
    essays = [r for r in rows if r[LABEL_FIELD] == TARGET_LABEL]
    random.Random(seed).shuffle(essays)
    exemplars, check = essays[:EXEMPLAR_DOCS], essays[EXEMPLAR_DOCS : EXEMPLAR_DOCS + CHECK_DOCS]
    aside = {id(r) for r in exemplars + check}
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r[LABEL_FIELD]] += id(r) not in aside
    train = [r for r in rows if id(r) not in aside and counts[r[LABEL_FIELD]] >= MIN_LABEL_DOCS]
    return exemplars, check, train


def windows(texts: Sequence[str], size: int) -> list[str]:
    """Each text cut into consecutive `size`-character windows; a tail shorter than half a window is dropped, so
    a short document (a poem, a ci) is one window when it is at least that long (dose.py keeps whole windows
    only; here the short labels must stay in the pool)."""
    return [t[i : i + size] for t in texts for i in range(0, len(t), size) if len(t) - i >= size // 2]


def pool_windows(docs: Sequence[dict], size: int) -> list[dict]:
    """Each document cut into `size`-character windows, each a row with the document's label."""
    return [{"id": f"{d['id']}#{i}", "text": w, LABEL_FIELD: d[LABEL_FIELD]}
            for d in docs for i, w in enumerate(windows([d["text"]], size))]


def forge_config(work: Path, base: Path, pool: Path, target: Path, s: RoundsSettings, rounds: int, seed: int,
                 gain: float):
    """The forge config of one arm (in memory): style rounds toward `target` on `pool`, feedback `gain`."""
    from wenforge.forge.rounds import ForgeConfig

    sft = {"per_device_train_batch_size": s.batch_size, "learning_rate": s.learning_rate,
           "warmup_steps": s.warmup_steps, "lr_scheduler_type": "cosine", "max_length": s.max_length,
           "logging_steps": 10, "save_strategy": "no", "disable_tqdm": True, "resume": False,
           "use_cpu": s.device == "cpu",
           "seed": seed, "gradient_checkpointing": s.device != "cpu"}  # on CPU: same weights, ~10% less time
    return ForgeConfig(
        output_dir=str(work), rounds=rounds, seed=seed, train_file=str(pool), category_field=LABEL_FIELD,
        text_field="text", style_target=str(target), model=str(base), max_repeat=8,
        rows_per_round=s.round_steps * s.batch_size,
        warmup_sft={**sft, "max_steps": s.warmup_sft_steps}, train={**sft, "max_steps": s.round_steps},
        samples_per_prompt=s.samples_per_prompt, max_new_tokens=s.max_new_tokens, temperature=s.temperature,
        feedback={"gain": gain, "max_step": s.max_step, "min_weight": s.min_weight},
        safety=False,  # a style experiment: the safety test's SFT would train both arms on other rows
    )


def _control_state(feedback_state: dict) -> dict:
    """The control's starting state: the feedback run's warm-up and round 0, the next targets set back to round
    0's (the forge resumes from it with a fixed mixture)."""
    r0 = {**feedback_state["rounds"][0]}
    r0["next_weights"] = dict(r0["weights"])
    r0.pop("style_feedback", None)
    return {"warmup": feedback_state["warmup"], "closeness": feedback_state["closeness"], "rounds": [r0]}


def floor_distance(check: Sequence[dict], profile, size: int) -> float:
    """1 - mean style_match to the profile of the check essays' windows (unseen text in the target voice)."""
    from wenforge.style import style_match

    wins = windows([d["text"] for d in check], size)
    return round(1 - sum(style_match(w, profile) for w in wins) / len(wins), 4)


def run_seed(rows: Sequence[dict], out: Path, s: RoundsSettings, rounds: int, seed: int) -> tuple[list[dict], dict]:
    """Both arms for one seed: the per-round rows and the seed's record (floor, closeness, timings)."""
    from wenforge.forge.rounds import run_forge
    from wenforge.lm.tiny import TinySpec, build_tiny_model
    from wenforge.style import build_profile, save_profile

    t0 = time.perf_counter()
    d = out / f"seed{seed}"
    exemplars, check, docs = split_docs(rows, seed)
    profile = build_profile(windows([e["text"] for e in exemplars], s.window_chars), name=TARGET_LABEL)
    target = save_profile(profile, d / "target.json")
    pool = pool_windows(docs, s.window_chars)
    d.mkdir(parents=True, exist_ok=True)
    with atomic_output(d / "pool.jsonl", "w") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in pool)
    base = d / "base"
    if not (base / "config.json").exists():
        texts = random.Random(seed).sample([r["text"] for r in pool], min(s.tokenizer_windows, len(pool)))
        build_tiny_model(base, texts, TinySpec(vocab_size=s.vocab_size, hidden_size=s.hidden_size,
                                               num_layers=s.num_layers, num_heads=s.num_heads,
                                               num_kv_heads=s.num_kv_heads, intermediate_size=s.intermediate_size,
                                               max_positions=max(256, 2 * s.max_length), seed=seed))
    t_setup = time.perf_counter() - t0

    def log(message: str) -> None:
        print(f"[rounds seed {seed}] {message}", flush=True)

    fb = run_forge(forge_config(d / "feedback", base, d / "pool.jsonl", target, s, rounds, seed, s.gain), log=log)
    t_fb = time.perf_counter() - t0 - t_setup
    ctl_dir = d / "control"
    ctl_dir.mkdir(parents=True, exist_ok=True)
    if not (ctl_dir / "state.json").exists():
        (ctl_dir / "state.json").write_text(json.dumps(_control_state(fb), indent=2, ensure_ascii=False), "utf-8")
    ctl = run_forge(forge_config(ctl_dir, base, d / "pool.jsonl", target, s, rounds, seed, 0.0), log=log)
    t_ctl = time.perf_counter() - t0 - t_setup - t_fb
    floor = floor_distance(check, profile, s.window_chars)
    out_rows = [
        {"round": a["round"], "seed": seed, "style_distance": a["style_distance"],
         "control_style_distance": c["style_distance"], "weights": a["weights"], "control_weights": c["weights"],
         "floor_distance": floor,
         "style_match": a["eval"]["overall"]["style_match"], "control_style_match": c["eval"]["overall"]["style_match"],
         "literary_score": a["eval"]["overall"].get("literary_score"),
         "control_literary_score": c["eval"]["overall"].get("literary_score")}
        for a, c in zip(fb["rounds"], ctl["rounds"], strict=True)
    ]
    record = {"seed": seed, "floor_distance": floor, "closeness": fb["closeness"], "pool_windows": len(pool),
              "exemplar_windows": profile.n, "next_weights": fb["rounds"][-1]["next_weights"],
              "seconds": {"setup": round(t_setup, 1), "feedback_arm": round(t_fb, 1), "control_arm": round(t_ctl, 1)}}
    return out_rows, record


def goals(rows: Sequence[dict]) -> dict:
    """Per seed: distance falls every round, final <= 0.5 x round 0, final below the control's final."""
    out = {}
    for seed in sorted({r["seed"] for r in rows}):
        ds = [r["style_distance"] for r in rows if r["seed"] == seed]
        cs = [r["control_style_distance"] for r in rows if r["seed"] == seed]
        out[str(seed)] = {"falls_every_round": all(b < a for a, b in pairwise(ds)),
                          "final_le_half_round0": ds[-1] <= 0.5 * ds[0],
                          "final_below_control": ds[-1] < cs[-1],
                          "final_minus_control": round(ds[-1] - cs[-1], 4)}
    return out


def style_rounds(corpus_dir: Path, out: Path, *, rounds: int = 3, seeds: Sequence[int] = (0,), quick: bool = False,
                 settings: RoundsSettings | None = None) -> list[dict]:
    """Rows {round, seed, style_distance, control_style_distance, weights, control_weights, floor_distance, ...}
    per seed and round; writes `out/rounds.json` (settings, per-seed records, goals). `quick`: the first seed only
    (same settings, so quick figures are the full run's first seed)."""
    import torch

    s = settings or RoundsSettings()
    torch.set_num_threads(s.threads)
    seeds = list(seeds)[:1] if quick else list(seeds)
    t0 = time.perf_counter()
    rows = load_rows(Path(corpus_dir))
    results: list[dict] = []
    records = []
    for seed in seeds:
        got, rec = run_seed(rows, Path(out), s, rounds, seed)
        for r in got:
            print(json.dumps({k: v for k, v in r.items() if "weights" not in k}, ensure_ascii=False), flush=True)
        results.extend(got)
        records.append(rec)
    record = {"settings": asdict(s), "quick": quick, "rounds": rounds, "seeds": seeds, "corpus": str(corpus_dir),
              "target": TARGET_LABEL, "seconds": round(time.perf_counter() - t0, 1), "per_seed": records,
              "goals": goals(results), "rows": results}
    with atomic_output(Path(out) / "rounds.json", "w") as f:
        f.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return results
