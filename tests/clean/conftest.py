import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def handwritten():
    return [json.loads(x) for x in (DATA / "handwritten_pages.jsonl").read_text(encoding="utf-8").splitlines() if x]
