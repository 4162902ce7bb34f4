"""Distillation and style transfer from teacher models (extra `distill`).

Prompts in, teacher samples from any OpenAI-compatible endpoint, filtered by wenforge's own verifiers,
out as an SFT dataset in chat `messages` format. See docs/distill.md.
"""

from wenforge.distill.checks import CHECKS, CheckContext, CheckResult, Sample, run_checks
from wenforge.distill.config import DistillConfig, load_config
from wenforge.distill.preserve import check_preservation, extract_facts

__all__ = [
    "CHECKS",
    "CheckContext",
    "CheckResult",
    "DistillConfig",
    "Sample",
    "check_preservation",
    "extract_facts",
    "load_config",
    "run_checks",
    "run_distill",
]


def run_distill(cfg: DistillConfig, **kw):
    """Run one distillation (see wenforge.distill.run)."""
    from wenforge.distill.run import run_distill as _run

    return _run(cfg, **kw)
