"""Values and safety: the three-level TC260 taxonomy with a shared core and deployment profiles, classifiers
for prompts, responses and documents that return their evidence, and the safety test of each round.

Light to import: models and YAML load on first use.
"""
