"""The corpus pipeline on datatrove: readers, wenforge's steps, dedup stages, writers, run orchestration."""
