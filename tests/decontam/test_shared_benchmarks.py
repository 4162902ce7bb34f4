"""On the licensed benchmark sets (skipped without the shared data): real items planted in traditional characters
inside real news are caught with their own id, and real Wikipedia paragraphs are not flagged."""

import json
import random

import pytest

from wenforge.core.paths import data_folder
from wenforge.decontam.index import build_index
from wenforge.text.chars import cjk_ratio, to_traditional


def _data():
    try:
        folder = data_folder()
    except FileNotFoundError:
        pytest.skip("shared data folder not found")
    files = [folder / "benchmarks" / "gaokao_bench.jsonl", folder / "benchmarks" / "cmath_dev.jsonl"]
    if not all(f.is_file() for f in files) or not (folder / "expository" / "cmrc2018_wiki_paragraphs.jsonl").is_file():
        pytest.skip("benchmark or Wikipedia files missing from the shared data")
    return folder, files


def _jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(x) for x in f]


def test_real_items_in_traditional_inside_news_are_caught_and_wikipedia_is_clean():
    folder, files = _data()
    index, report = build_index(files)
    assert report.indexed["GAOKAO-Bench"] > 2700 and report.indexed["CMATH"] > 550
    rng = random.Random(0)
    items = [r for f in files for r in _jsonl(f) if cjk_ratio(r["question"]) > 0.5 and len(r["question"]) > 40]
    wiki = [r["text"] for r in _jsonl(folder / "expository" / "cmrc2018_wiki_paragraphs.jsonl")][:300]
    for item in rng.sample(items, 30):
        host = rng.choice(wiki)
        doc = host + "\n" + to_traditional(item["question"]) + "\n" + host
        assert item["id"] in {m.item for m in index.match(doc)}, item["id"]
    assert [t[:40] for t in wiki if index.match(t)] == []
