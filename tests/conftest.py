"""The test suite runs from the checkout, with the project's licensed data sets in ../shared/data beside it
(the package itself never looks for them; training and development code take the folder explicitly)."""

import os
from pathlib import Path

os.environ.setdefault("WENFORGE_DATA", str(Path(__file__).resolve().parents[2] / "shared" / "data"))
