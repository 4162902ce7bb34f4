"""The dose-response mechanism of wenforge.forge.dose on a corpus built here: exact mixture shares at
one character budget, one tokenizer, a minuscule model pretrained per share, and the result rows' fields."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from wenforge.forge import dose

HEAVY = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "trl", "datasets"))

LITERARY = ["月光洒在窗前，她轻轻叹了一口气，想起故乡的小河。", "他走过长长的小巷，风吹落了满地的桂花。",
            "夜深了，我独自坐在灯下，听雨一滴一滴落在屋檐上。"]
NEWS = ["新华社北京3月12日电 记者从国家统计局获悉，今年前两个月全国工业增加值同比增长7.1%。",
        "本报讯 昨日，市政府召开新闻发布会，通报2023年城市建设进展情况，共完成项目126个。",
        "据报道，该公司第三季度营业收入达到45.6亿元，同比增长12.3%，净利润3.2亿元。"]


def corpus_rows() -> list[dict]:
    """Literature, news and a little qa: enough documents for shares of 0.1 to be met within the tolerance."""
    rows = [{"id": f"lit{i}", "text": LITERARY[i % 3] * 3, "l1": "literature"} for i in range(40)]
    rows += [{"id": f"news{i}", "text": NEWS[i % 3] * 2, "l1": "news"} for i in range(40)]
    rows += [{"id": f"qa{i}", "text": "问：今天星期几？答：今天星期三，明天星期四。" * 2, "l1": "qa"} for i in range(10)]
    return rows


def test_mixture_shares_put_literature_at_the_share_and_the_rest_by_availability():
    shares = dose.mixture_shares({"literature": 500, "news": 300, "qa": 100}, 0.2)
    assert shares == pytest.approx({"literature": 0.2, "news": 0.6, "qa": 0.2})
    assert "literature" not in dose.mixture_shares({"literature": 500, "news": 300}, 0.0)


@pytest.mark.parametrize("share", [0.0, 0.1, 0.4, 0.6])
def test_mixtures_meet_the_share_at_one_budget(share):
    rows = corpus_rows()
    mixed = dose.make_mixture(rows, share, 2400, seed=1)
    got = mixed.stats["labels"].get("literature", {}).get("achieved_share", 0.0)
    assert got == pytest.approx(share, abs=0.02)
    assert mixed.stats["total_achieved"] == pytest.approx(2400, rel=0.03)
    assert {r["id"] for r in mixed.rows} <= {r["id"] for r in rows}


def test_windows_and_distinct_2():
    assert dose.windows(["abcdefg", "xy"], 3) == ["abc", "def"]  # whole windows only
    assert dose.distinct_2(["aaaa"]) == pytest.approx(1 / 3, abs=1e-4)
    assert dose.distinct_2(["ab", "ab"]) == 0.5
    assert dose.distinct_2([""]) == 0.0


@pytest.mark.skipif(not HEAVY, reason="needs the train extra (torch, transformers, trl)")
def test_dose_response_trains_one_model_per_share(tmp_path):
    corpus = tmp_path / "corpus" / "data"
    corpus.mkdir(parents=True)
    (corpus / "rows.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in corpus_rows()), encoding="utf-8"
    )
    settings = dose.DoseSettings(
        vocab_size=300, hidden_size=16, num_layers=1, num_heads=2, num_kv_heads=1, intermediate_size=32,
        window_chars=20, max_length=16, steps=6, batch_size=8, learning_rate=5e-2, warmup_steps=1,
        budget_chars=2400, samples_per_prompt=2, max_new_tokens=8, scored_train_windows=10,
        prompts=("今天", "他说"), workers=1,
    )
    out = tmp_path / "out"
    rows = dose.dose_response(tmp_path / "corpus", out, shares=(0.0, 0.6), seeds=(3, 4), quick=True,
                              settings=settings)
    assert [(r["literary_share"], r["seed"]) for r in rows] == [(0.0, 3), (0.6, 3)]  # quick: the first seed
    for r in rows:
        assert r["train_literary_share_achieved"] == pytest.approx(r["literary_share"], abs=0.02)
        assert r["train_chars"] == pytest.approx(2400, rel=0.03)
        assert r["n_outputs"] == 4
        for key in ("output_literary_share", "ornateness", "literary_score", "distinct_2",
                    "train_literary_share_by_classifier", "train_literary_share_windows",
                    "bigram_control_literary_share", "bigram_control_ornateness"):
            assert 0.0 <= r[key] <= 1.0, key
        assert sum(r["output_l1_shares"].values()) == 4 and r["seconds"] > 0
    assert rows[0]["train_literary_share_windows"] == 0.0 < rows[1]["train_literary_share_windows"]

    record = json.loads((out / "dose.json").read_text(encoding="utf-8"))
    assert record["rows"] == rows and record["seeds"] == [3]
    samples = [json.loads(x) for x in (out / "dose_samples.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(samples) == 16 and {s["prompt"] for s in samples} == {"今天", "他说"}
    assert Counter(s["source"] for s in samples) == {"model": 8, "bigram_control": 8}
    assert all(isinstance(s["text"], str) and s["l1"] for s in samples)
    model_texts = {r: [s["text"] for s in samples if s["source"] == "model" and s["literary_share"] == r]
                   for r in (0.0, 0.6)}
    assert model_texts[0.0] != model_texts[0.6]

    # the same random init, trained on different mixtures: different weights, one tokenizer
    from safetensors.torch import load_file

    work = out / "work" / "seed3"
    a, b = (load_file(str(work / f"share{s}" / "sft" / "final" / "model.safetensors")) for s in ("0", "0.6"))
    assert any(not (a[k] == b[k]).all() for k in a)
    def vocab(folder: Path) -> tuple:
        model = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))["model"]
        return model["vocab"], model["merges"]

    for s in ("0", "0.6"):
        assert vocab(work / f"share{s}" / "sft" / "final") == vocab(work / "base")


def test_bigram_control_continues_with_the_texts_characters():
    texts = ["今天下雨了。", "今天天晴。"]
    out = dose.bigram_control(texts, ["今天", "他说"], 12, seed=0)
    assert [len(t) for t in out] == [12, 12]
    assert set("".join(out)) <= set("".join(texts))
    assert out == dose.bigram_control(texts, ["今天", "他说"], 12, seed=0)  # seeded
    assert out[0][0] in {"下", "天", "晴"}  # what follows 天, the prompt's last character


def test_a_differing_tokenizer_is_refused(tmp_path):
    (tmp_path / "tokenizer.json").write_text("{}", encoding="utf-8")
    assert dose.check_same_tokenizer(tmp_path, None) == b"{}"
    with pytest.raises(RuntimeError, match="tokenizer differs"):
        dose.check_same_tokenizer(tmp_path, b'{"x": 1}')


def test_the_gpu_recipe_trains_and_samples_on_the_device(tmp_path, monkeypatch):
    """GPU_DOSE (bench/style_control_gpu.sh) asks the trainer for the device and loads the model there; the CPU
    settings keep use_cpu. Checked without a GPU by capturing what the trainer and the loader are given."""
    import wenforge.lm.generate as gen
    import wenforge.train.run as run

    seen: dict = {}

    class Done:
        final_dir = tmp_path / "final"

    def fake_sft(recipe, rows):
        seen["use_cpu"] = recipe.use_cpu
        return Done()

    monkeypatch.setattr(run, "run_sft", fake_sft)
    for settings, cpu in ((dose.DoseSettings(), True), (dose.GPU_DOSE, False)):
        dose.pretrain(tmp_path / "base", ["甲乙丙"], tmp_path / f"run{cpu}", settings, 0)
        assert seen["use_cpu"] is cpu
    monkeypatch.setattr(gen, "load_model", lambda path, device="cpu": seen.setdefault("device", device))
    monkeypatch.setattr(gen, "generate", lambda lm, prompts, **kw: ["" for _ in prompts])
    dose.sample(tmp_path, dose.GPU_DOSE, 0)
    assert seen["device"] == "cuda"


def test_a_real_base_model_is_used_as_is_and_a_wrong_folder_is_named(tmp_path):
    base = tmp_path / "qwen"
    base.mkdir()
    (base / "config.json").write_text("{}", encoding="utf-8")
    settings = dose.DoseSettings(base_model=str(base))
    assert dose.build_base(tmp_path / "unused", ["甲"], settings, 0) == base
    assert not (tmp_path / "unused").exists()
    with pytest.raises(FileNotFoundError, match="no config.json"):
        dose.build_base(tmp_path / "x", ["甲"], dose.DoseSettings(base_model=str(tmp_path / "none")), 0)
