#!/usr/bin/env bash
# The learning recipe at a larger size on one CUDA device (target: under 8 minutes); prints the reward curve
# summary. tokens/s: completions/mean_length * generations per step / step_time, from metrics.jsonl.
set -euo pipefail
OUT=${OUT:-runs/gpu_check}
python -c "import torch; assert torch.cuda.is_available(), 'no CUDA device'; print(torch.cuda.get_device_name(0))"
timeout 480 python bench/learn_bench.py --device cuda --seeds 0 --hidden 256 --layers 4 --sft-steps 600 \
  --grpo-steps 100 --out "$OUT"
python - "$OUT" <<'PY'
import json, sys
from pathlib import Path
from wenforge.train.metrics import read_metrics
recs = [r for r in read_metrics(Path(sys.argv[1]) / "seed0" / "grpo" / "metrics.jsonl") if "step_time" in r]
tps = [r["completions/mean_length"] * 16 / r["step_time"] for r in recs if r.get("step_time")]
print("generated tokens/s (median):", sorted(tps)[len(tps) // 2] if tps else None)
print("outcome reward curve:", [round(r["rewards/outcome/mean"], 3) for r in recs])
PY
