"""Training mixtures: target shares by label, a character, token or row budget, deterministic seeded choice, a
repeat cap, streaming passes over shards, evidence of achieved vs target shares. `mix_rows(rows, spec)` works
in memory (what `wenforge forge` uses); `build_mixture(inputs, spec, output)` streams shards (`wenforge mix`)."""

from wenforge.mix.mixture import MixConfig, MixError, MixResult, Shards, build_mixture, mix_rows

__all__ = ["MixConfig", "MixError", "MixResult", "Shards", "build_mixture", "mix_rows"]
