"""Benchmarks run from the checkout: the data folder defaults to ../shared/data beside it (WENFORGE_DATA wins).
Imported first by every benchmark; the package itself never looks for the folder."""

import os
from pathlib import Path

os.environ.setdefault("WENFORGE_DATA", str(Path(__file__).resolve().parents[2] / "shared" / "data"))
