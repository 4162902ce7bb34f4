"""The bare TRL baseline for the GRPO overhead comparison: TRL's GRPOTrainer with nothing of wenforge's training
code, only the same reward function (``wenforge.rewards.outcome_reward``, the light rule) in a minimal TRL
callable. Same model, data, prompt and GRPOConfig as ``wenforge train grpo``; prints per-step wall and CPU
seconds as JSON.

Run on its own:  python bench/grpo_bare_trl.py MODEL_DIR TRAIN.jsonl OUT_DIR CONFIG.json
(``bench/grpo_overhead_bench.py`` builds the inputs and interleaves this with the wenforge run.)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)

# the same chat instruction wenforge's recipes use by default (wenforge.train.config.CHAT_INSTRUCTION)
INSTRUCTION = "{question}\n请一步步推理，把推理过程写在 <think></think> 中，最终答案写在 \\boxed{{}} 中。"


class StepTimer:
    """Wall and process-CPU seconds of every optimizer step (generation, rewards, loss, backward, update)."""

    def __init__(self):
        from transformers import TrainerCallback

        timer = self

        class _CB(TrainerCallback):
            def on_step_begin(self, args, state, control, **kwargs):
                timer._t = (time.perf_counter(), time.process_time())

            def on_step_end(self, args, state, control, **kwargs):
                w, c = timer._t
                timer.wall.append(time.perf_counter() - w)
                timer.cpu.append(time.process_time() - c)

        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.callback = _CB()


def main(model_dir: str, train_file: str, out_dir: str, config_json: str) -> dict:
    import torch
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig, GRPOTrainer

    from wenforge.rewards import outcome_reward

    keys = json.loads(Path(config_json).read_text(encoding="utf-8"))
    torch.set_num_threads(int(keys.pop("threads", 1)))
    rows = [json.loads(x) for x in Path(train_file).read_text(encoding="utf-8").splitlines() if x.strip()]
    ds = Dataset.from_list(
        [
            {
                "prompt": [{"role": "user", "content": INSTRUCTION.format(question=r["question"])}],
                "answer": str(r["answer"]),
            }
            for r in rows
        ]
    )

    def outcome(prompts=None, completions=(), answer=(), **kwargs):
        texts = [c[-1]["content"] if isinstance(c, list) else c for c in completions]
        return [outcome_reward(t, a) for t, a in zip(texts, answer, strict=True)]

    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    timer = StepTimer()
    args = GRPOConfig(output_dir=out_dir, **keys)
    trainer = GRPOTrainer(
        model=model,
        reward_funcs=[outcome],
        args=args,
        train_dataset=ds,
        processing_class=tok,
        callbacks=[timer.callback],
    )
    trainer.train()
    hist = [r for r in trainer.state.log_history if "rewards/outcome/mean" in r]
    return {
        "wall": timer.wall,
        "cpu": timer.cpu,
        "reward": [r["rewards/outcome/mean"] for r in hist],
        "mean_length": [r["completions/mean_length"] for r in hist],
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:5])))
