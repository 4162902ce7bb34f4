#!/usr/bin/env bash
# The style-control experiment larger, on one CUDA device (issue 15): the dose-response of the literary share and
# the rounds toward a voice with the GPU settings (wenforge.forge.dose.GPU_DOSE, wenforge.forge.voice.GPU_ROUNDS),
# one seed, under 9 minutes on an H200-class device; prints the goals and writes OUT/report.html.
set -euo pipefail
OUT=${OUT:-runs/style_control_gpu}
python -c "import torch; assert torch.cuda.is_available(), 'no CUDA device'; print(torch.cuda.get_device_name(0))"
timeout 540 python bench/style_control_bench.py --scale gpu --quick --only dose,rounds --out "$OUT" --json "$OUT/result.json"
