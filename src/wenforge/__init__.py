"""wenforge: forge a language model's writing style and reasoning, data first."""

__version__ = "0.1.0"
