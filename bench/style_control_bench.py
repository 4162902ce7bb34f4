"""Does the forge forge style? What you mix, reward and feed back, measured on what small models write (issue 15).

    python bench/style_control_bench.py [--quick] [--seeds 0 1 2] [--only dose,reward,rounds] --json OUT.json --out DIR

Three experiments on CPU, with models trained here from scratch or from one tiny base:
1. dose-response: the same small LM pretrained on `wenforge mix` mixtures at literary shares 0-0.6 of the
   pipeline's labelled example corpus; its continuations of neutral prompts scored by `wenforge style`
   (wenforge.forge.dose);
2. style reward: GRPO from one base with the outcome reward alone, outcome + the ornateness style reward, and
   outcome + the adversarial style reward (bench/style_control/reward.py);
3. rounds toward a target voice: `wenforge forge` with a style target against a fixed-mixture control at the same
   compute (wenforge.forge.voice).
The labelled corpus is the pipeline's output of examples/demo.yaml (built under OUT/corpus unless
`--corpus DIR` names one). `--quick` runs the first seed only. Writes the JSON (`dose_response`, `style_reward`,
`rounds`, `goals`, `seconds`) and OUT/report.html with the plots.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import devdata  # noqa: F401  (sets WENFORGE_DATA for the benchmarks)

PARTS = ("dose", "reward", "rounds")


def labelled_corpus(out: Path) -> Path:
    """The pipeline's labelled output of the example corpus (built once; a finished run is reused)."""
    if not list((out / "data").glob("*.parquet")):
        subprocess.run([sys.executable, "-m", "wenforge.cli", "run", str(ROOT / "examples" / "demo.yaml"), "-o",
                        str(out)], check=True)
    return out


DOSE_TOLERANCE = 0.10  # the goal: output literary share within this of the training share, every level


def dose_goals(rows: list[dict]) -> dict:
    """Monotone output literary share on every seed, and within DOSE_TOLERANCE of the training share everywhere."""
    mono = True
    for seed in sorted({r["seed"] for r in rows}):
        got = [r["output_literary_share"] for r in sorted((r for r in rows if r["seed"] == seed),
                                                           key=lambda r: r["literary_share"])]
        mono = mono and all(b >= a for a, b in itertools.pairwise(got))
    worst = max((abs(r["output_literary_share"] - r["literary_share"]) for r in rows), default=None)
    return {"monotone on every seed": mono, "within 0.10 at every level": worst is not None and worst <= DOSE_TOLERANCE,
            "largest gap": None if worst is None else round(worst, 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="the first seed only")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--only", default=",".join(PARTS), help="comma-separated: dose, reward, rounds")
    ap.add_argument("--corpus", type=Path, help="a pipeline run folder with labelled data/*.parquet")
    ap.add_argument("--out", type=Path, default=Path("runs/style_control"))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--scale", choices=("cpu", "gpu"), default="cpu",
                    help="gpu: the dose-response and the rounds larger, on one CUDA device (GPU_DOSE, GPU_ROUNDS); "
                         "the style-reward part stays on the CPU recipe")
    a = ap.parse_args()
    parts = [p.strip() for p in a.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise SystemExit(f"--only: unknown part(s) {', '.join(sorted(unknown))}; expected {', '.join(PARTS)}")
    t0 = time.perf_counter()
    a.out.mkdir(parents=True, exist_ok=True)
    corpus = a.corpus or labelled_corpus(a.out / "corpus")
    result: dict = {"scale": a.scale, "quick": a.quick, "seeds": a.seeds[:1] if a.quick else a.seeds, "seconds": {}, "goals": {}}
    if "dose" in parts:
        from wenforge.forge.dose import dose_response

        t = time.perf_counter()
        from wenforge.forge.dose import GPU_DOSE

        result["dose_response"] = dose_response(corpus, a.out / "dose", seeds=a.seeds, quick=a.quick,
                                                settings=GPU_DOSE if a.scale == "gpu" else None)
        result["seconds"]["dose"] = round(time.perf_counter() - t, 1)
        result["goals"].update({f"dose: {k}": v for k, v in dose_goals(result["dose_response"]).items()})
    if "reward" in parts:
        from style_control.reward import style_reward_runs

        t = time.perf_counter()
        sr = style_reward_runs(a.out / "reward", seeds=a.seeds[:1] if a.quick else a.seeds, quick=a.quick)
        result["style_reward"] = {k: v for k, v in sr.items() if k not in ("goals",)}
        result["goals"].update({f"reward: {k}": v for k, v in (sr.get("goals") or {}).items()})
        result["seconds"]["reward"] = round(time.perf_counter() - t, 1)
    if "rounds" in parts:
        from wenforge.forge.voice import style_rounds

        t = time.perf_counter()
        from wenforge.forge.voice import GPU_ROUND_COUNT, GPU_ROUNDS

        gpu = a.scale == "gpu"
        result["rounds"] = style_rounds(corpus, a.out / "rounds", seeds=a.seeds, quick=a.quick,
                                        rounds=GPU_ROUND_COUNT if gpu else 3, settings=GPU_ROUNDS if gpu else None)
        rec = json.loads((a.out / "rounds" / "rounds.json").read_text(encoding="utf-8"))
        result["goals"].update({f"rounds: {k}": v for k, v in (rec.get("goals") or {}).items()})
        result["seconds"]["rounds"] = round(time.perf_counter() - t, 1)
    result["seconds"]["total"] = round(time.perf_counter() - t0, 1)
    from wenforge.forge.style_demo import style_control_report

    result["report"] = str(style_control_report(result, a.out))
    text = json.dumps(result, ensure_ascii=False, indent=2, default=str)
    if a.json:
        a.json.write_text(text + "\n", encoding="utf-8")
    print(json.dumps({"goals": result["goals"], "seconds": result["seconds"]}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
