import json
from pathlib import Path

import pytest

from wenforge.core.paths import data_folder


def news_texts(n: int = 32) -> list[str]:
    out = []
    with open(data_folder() / "hallucination" / "uhgeval_concise.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["split"] != "dev":
                continue
            out.append(r["newsBeginning"] + r["newsRemainder"])
            if len(out) >= n:
                break
    return out


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return path


def _write_config(folder: Path, body: str) -> Path:
    cfg = folder / "pipeline.yaml"
    cfg.write_text(body, encoding="utf-8")
    return cfg


@pytest.fixture
def news():
    return news_texts()


@pytest.fixture
def write_jsonl():
    return _write_jsonl


@pytest.fixture
def write_config():
    return _write_config
