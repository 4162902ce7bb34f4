"""Shared forge test fixture: a forge run with training stubbed and generation given by the test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def stubbed_forge(monkeypatch):
    """`run(cfg, answer) -> (state, seen)`: runs the forge of `cfg` with SFT/GRPO recorded instead of trained and
    `answer(model_dir, prompts, **kw)` as the model's generation; `seen` holds each part's calls (`mix`: (spec,
    result), `sft`/`grpo`: (config, rows), `eval`: configs, `generate`: {model, prompts, **kw})."""

    def run(cfg, answer):
        from wenforge.eval import evaluate as ev
        from wenforge.forge import rounds
        from wenforge.lm import generate as lm_generate
        from wenforge.train import run as train_run

        seen: dict[str, list] = {"mix": [], "sft": [], "grpo": [], "eval": [], "generate": []}
        real_mix, real_eval = rounds.mix_rows, ev.run_eval

        def mix_spy(rows, spec, **kw):
            res = real_mix(rows, spec, **kw)
            seen["mix"].append((spec, res))
            return res

        def fake_train(kind):
            def train(tcfg, rows=None, callbacks=None):
                seen[kind].append((tcfg, rows))
                final = Path(tcfg.output_dir) / "final"
                return train_run.TrainResult(kind, Path(tcfg.output_dir), final, steps=1, seconds=0.0)

            return train

        def fake_generate(model_dir, prompts, **kw):
            seen["generate"].append({"model": model_dir, "prompts": list(prompts), **kw})
            return answer(model_dir, prompts, **kw)

        def eval_spy(ecfg, progress=None):
            seen["eval"].append(ecfg)
            return real_eval(ecfg, progress)

        monkeypatch.setattr(rounds, "mix_rows", mix_spy)
        monkeypatch.setattr(train_run, "run_sft", fake_train("sft"))
        monkeypatch.setattr(train_run, "run_grpo", fake_train("grpo"))
        monkeypatch.setattr(lm_generate, "generate", fake_generate)
        monkeypatch.setattr(ev, "run_eval", eval_spy)
        return rounds.run_forge(cfg, log=lambda *a: None), seen

    return run
