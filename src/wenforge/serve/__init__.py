"""`wenforge serve`: an OpenAI-compatible chat endpoint over a local transformers model (extra `train`).

Heavy imports (torch, transformers) happen only when a model is loaded. See docs/distill.md.
"""
