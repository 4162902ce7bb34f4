"""Forge rounds: train -> evaluate on held-out prompts -> re-weight the next round's data (more of what fails).

This package's import pulls in nothing heavy; training happens in ``wenforge.forge.rounds`` via ``wenforge.train``.
"""
