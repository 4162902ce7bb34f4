"""Training mixtures from labelled shards: target shares by label, a character or token budget,
deterministic seeded sampling, a repeat cap, streaming passes, a report of achieved vs target shares."""

from wenforge.mix.mixture import MixError, MixResult, build_mixture

__all__ = ["MixError", "MixResult", "build_mixture"]
