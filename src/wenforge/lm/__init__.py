"""Local causal LMs: loading a model folder, prompts through the chat template, batched generation
(`wenforge.lm.generate`), and the tiny offline test model (`wenforge.lm.tiny`).

Light to import: torch and transformers are imported inside the functions that need them (extra `train`).
"""
