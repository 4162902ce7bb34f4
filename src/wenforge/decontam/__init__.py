"""Decontamination: find benchmark test items inside training documents (index, CLI, datatrove step)."""
