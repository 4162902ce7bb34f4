"""Training (heavy side, extra `train`): SFT and GRPO over TRL, LoRA via PEFT, tiny offline models.

Import submodules explicitly (``wenforge.train.run``); this package's import pulls in nothing heavy.
"""
