"""Evaluation benchmark (issue 7): every detector against its baselines, in one run.

    python bench/eval_bench.py [--only ai,grammar,hallucination,halluqa,facts,speed] [--retrain] [--json OUT]

The AI-likeness part compares the shipped model with the previous HC3-only model, taken from git at
bench/baseline.py's BASELINE_REV in the same run.

Models are fitted on `split == "dev"` rows only (the shipped assets were built that way by
`wenforge detect-train`; --retrain rebuilds them into a temporary folder first) and every figure is on
`split == "test"` rows. Baselines run in the same command.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)
import numpy as np

from wenforge.core.paths import data_folder


def _auc(y, s):
    from sklearn.metrics import roc_auc_score

    return round(float(roc_auc_score(y, s)), 4)


def _jsonl(p: Path) -> list[dict]:
    with open(p, encoding="utf-8") as f:
        return [json.loads(x) for x in f if x.strip()]


# ---- AI-likeness -----------------------------------------------------------------------------------------


def bench_ai(data: Path, *, lofo: bool = True, ablations: bool = True) -> dict:
    """Machine flavour (issue 12): the shipped model, the old HC3 model, a char n-gram baseline and in-run
    refits (leave-one-generator-family-out, block ablations), all on test rows."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from wenforge.eval.detectors import ai
    from wenforge.eval.detectors.ai_data import (
        eval_windows,
        family,
        load_samples,
        sample_weights,
        training_windows,
    )
    from wenforge.eval.detectors.linear import contributions, counts_of, load_linear, probability
    from wenforge.text.chars import canonical_surface
    from wenforge.text.segment import _jieba

    def auc_of(neg, pos):
        return _auc([0] * len(neg) + [1] * len(pos), np.r_[neg, pos]) if len(neg) and len(pos) else None

    dev = training_windows(load_samples(data, "dev"), 0)
    test = load_samples(data, "test")
    machine = [s for s in test if s.source == "machine:modern_llm"]
    human_texts = [s for s in test if s.label == 0 and s.source not in ("human:hc3", "human:ruozhiba")]
    pool = eval_windows(machine, per_text=1) + eval_windows(human_texts, per_text=3) + eval_windows(
        [s for s in test if s.source in ("human:hc3", "human:ruozhiba")], per_text=1)
    prefixes = eval_windows(machine + human_texts, length=100)
    hc3 = [s for s in test if s.source in ("human:hc3", "machine:hc3_chatgpt")]
    rz = [s for s in test if s.source in ("human:ruozhiba", "machine:ruozhiba")]
    rz_human = {s.group: s.text for s in rz if s.label == 0}
    rz_matched = [s for s in rz if s.label == 0] + [
        type(s)(s.text[:len(rz_human.get(s.group, s.text))], 1, s.source, s.generator, s.group)
        for s in rz if s.label == 1]

    # scorers: the shipped model (per text, as `wenforge detect ai` runs it), the old model, a char baseline
    from baseline import BASELINE_REV, baseline_files, stored

    old_path = stored(baseline_files(["src/wenforge/eval/assets/ai.npz"])) / "ai.npz"
    old = load_linear(old_path, f"git show {BASELINE_REV}:src/wenforge/eval/assets/ai.npz")

    def old_score(texts):
        def grams(t):
            toks = _jieba().lcut(t)
            return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]
        return np.array([probability(old, contributions(old, counts_of(old, grams(t)))) for t in texts])

    ydev, wdev = np.array([s.label for s in dev]), np.array(sample_weights(dev))
    cv = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=3)
    cm = LogisticRegression(C=10, max_iter=3000).fit(cv.fit_transform([canonical_surface(s.text) for s in dev]), ydev,
                                                     sample_weight=wdev)
    scorers = {"shipped": lambda ts: np.array([ai.ai_score(t) for t in ts]),
               "char_ngram_baseline": lambda ts: cm.predict_proba(cv.transform([canonical_surface(t) for t in ts]))[:, 1]}
    scorers["old_hc3_model"] = old_score
    thr = {"shipped": ai.flag_threshold(), "char_ngram_baseline": 0.5, "old_hc3_model": 0.5}

    def views(score):
        p = {id(s): v for s, v in zip(pool, score([s.text for s in pool]))}
        hum = np.array([p[id(s)] for s in pool if s.label == 0])
        gens = sorted({s.generator for s in pool if s.label == 1})
        by_gen = {g: np.array([p[id(s)] for s in pool if s.generator == g]) for g in gens}
        mach = np.concatenate(list(by_gen.values()))
        srcs = sorted({s.source for s in pool if s.label == 0})
        by_src = {src: np.array([p[id(s)] for s in pool if s.source == src]) for src in srcs}
        pre = score([s.text for s in prefixes])
        ph, pm = pre[[s.label == 0 for s in prefixes]], pre[[s.label == 1 for s in prefixes]]
        h3 = score([s.text for s in hc3])
        h3_100 = score([s.text[:100] for s in hc3])
        y3 = [s.label for s in hc3]
        rzs = {k: score([s.text for s in v]) for k, v in (("full", rz), ("length_matched", rz_matched))}
        return hum, by_gen, mach, by_src, ph, pm, h3, h3_100, y3, rzs

    out: dict = {"n_windows": {"dev_train": len(dev), "test_pool_human": sum(s.label == 0 for s in pool),
                               "test_pool_machine": sum(s.label for s in pool), "test_prefixes": len(prefixes)}}
    for name, score in scorers.items():
        t0 = time.time()
        hum, by_gen, mach, by_src, ph, pm, h3, h3_100, y3, rzs = views(score)
        t = thr[name]
        aucs = {g: auc_of(hum, v) for g, v in by_gen.items()}
        out[name] = {
            "auc_per_generator_900": aucs, "auc_min_generator": min(aucs.values()),
            "auc_per_human_source_900": {src: auc_of(v, mach) for src, v in by_src.items()},
            "auc_100_char_prefixes": auc_of(ph, pm),
            "hc3_full_auc": _auc(y3, h3), "hc3_first_100_auc": _auc(y3, h3_100),
            "ruozhiba_auc": {k: _auc([s.label for s in (rz if k == "full" else rz_matched)], v) for k, v in rzs.items()},
            "threshold": round(t, 4), "flagged_human": round(float((hum >= t).mean()), 4),
            "flagged_machine": round(float((mach >= t).mean()), 4),
            "flagged_human_by_source": {src: round(float((v >= t).mean()), 4) for src, v in by_src.items()},
            "flagged_machine_by_generator": {g: round(float((v >= t).mean()), 4) for g, v in by_gen.items()},
            "seconds": round(time.time() - t0, 1)}
    out["real_web"] = _bench_ai_real(scorers, thr)

    # in-run refits on precomputed features: leave one generator family out, and block ablations
    if lofo or ablations:
        fdev = ai.featurize([s.text for s in dev])
        fpool = ai.featurize([s.text for s in pool])
        groups, sources = [s.group for s in dev], [s.source for s in dev]
        hum_idx = [i for i, s in enumerate(pool) if s.label == 0]

        def refit(keep, blocks=ai.BLOCKS, zero=()):
            idx = [i for i in range(len(dev)) if keep(dev[i])]
            f = fdev.take(idx)
            cols = [j for j, n in enumerate(ai.feature_names()) if n.startswith(zero)] if zero else []
            f.dense[:, cols] = 0.0
            det = ai.fit_detector(f, ydev[idx], np.array(sample_weights([dev[i] for i in idx])),
                                  [groups[i] for i in idx], [sources[i] for i in idx], blocks=blocks, folds=3)
            fp = fpool.take(list(range(len(pool))))
            fp.dense[:, cols] = 0.0
            return det, det.predict(fp)

        if lofo:
            out["leave_one_family_out"] = {}
            for fam in sorted({family(s.generator) for s in machine}):
                det, p = refit(lambda s, fam=fam: family(s.generator) != fam)
                held = [i for i, s in enumerate(pool) if s.label == 1 and family(s.generator) == fam]
                out["leave_one_family_out"][fam] = {
                    "generators": sorted({pool[i].generator for i in held}),
                    "auc_unseen": auc_of(p[hum_idx], p[held]),
                    "flagged_unseen": round(float((p[held] >= det.style.threshold).mean()), 4)}
                print(f"   lofo {fam}: {out['leave_one_family_out'][fam]}", flush=True)
        if ablations:
            out["ablations"] = {}
            style_cols = ("pat:", "closer", "parallel", "tech", "no_", "first", "punct:", "sent", "clause", "para",
                          "commas", "fw:")
            for name, kw in {"all blocks": {}, "style features only": {"blocks": ()},
                             "masked n-grams only": {"blocks": ("masked_ngram",), "zero": style_cols},
                             "lexical only": {"blocks": ("lexical",), "zero": style_cols},
                             "no layout (markdown, paragraphs)": {"zero": ("pat:markdown", "pat:bold", "pat:list",
                                                                           "pat:separator", "para", "one_sentence")},
                             "no function-word rates": {"zero": ("fw:",)}}.items():
                det, p = refit(lambda s: True, **kw)
                gens = sorted({s.generator for s in pool if s.label == 1})
                a = {g: auc_of(p[hum_idx], p[[i for i, s in enumerate(pool) if s.generator == g]]) for g in gens}
                out["ablations"][name] = {"auc_min_generator": min(a.values()),
                                          "auc_mean_generator": round(float(np.mean(list(a.values()))), 4),
                                          "flagged_human": round(float((p[hum_idx] >= det.style.threshold).mean()), 4)}
                print(f"   ablation {name}: {out['ablations'][name]}", flush=True)
    return out


REAL_PAGES = Path(__file__).parent / "real"  # git-ignored real-page development set (bench/real/SPEC.md)
REAL_PASSAGES = Path(__file__).parent / "real_text" / "passages.jsonl"  # real web passages with a `machine` label


def _bench_ai_real(scorers: dict, thr: dict) -> dict:
    """Development figures on git-ignored real web text, where present: content-farm pages (mostly LLM-written)
    vs clean pages, and labelled real passages."""
    out: dict = {}
    sets = {}
    if REAL_PAGES.is_dir():
        rows = [r for p in sorted(REAL_PAGES.glob("*.jsonl")) for r in _jsonl(p) if r.get("family") in ("farm", "clean")]
        sets["pages: content farm vs clean (dev proxy)"] = [(r["text"], int(r["family"] == "farm")) for r in rows]
    if REAL_PASSAGES.exists():
        rows = [r for r in _jsonl(REAL_PASSAGES) if r.get("machine") is not None]
        sets["real passages: machine vs human"] = [(r["text"], int(bool(r["machine"]))) for r in rows]
    for name, items in sets.items():
        y = [lab for _, lab in items]
        if len(set(y)) < 2:
            continue
        out[name] = {"n": len(items), "n_machine": sum(y)}
        for sname, score in scorers.items():
            p = score([t for t, _ in items])
            out[name][sname] = {"auc": _auc(y, p),
                                "flagged_human": round(float(np.mean([v >= thr[sname] for v, lab in zip(p, y) if not lab])), 4),
                                "flagged_machine": round(float(np.mean([v >= thr[sname] for v, lab in zip(p, y) if lab])), 4)}
    return out


# ---- grammar ---------------------------------------------------------------------------------------------


def bench_grammar(data: Path) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from wenforge.eval.detectors import grammar as G
    from wenforge.text.segment import split_sentences

    fc = _jsonl(data / "grammar" / "fcgec_valid.jsonl")
    dev = [r for r in fc if r["split"] == "dev"]
    test = [r for r in fc if r["split"] == "test"]
    y = np.array([r["error_flag"] for r in test])
    # FCGEC is an exam set (54% wrong on dev): the exam-tuned threshold, prior=None
    pred = np.array([G.grammar_check(r["sentence"], prior=None)["grammar_error"] for r in test])
    pred_default = np.array([G.grammar_check(r["sentence"])["grammar_error"] for r in test])
    rules = np.array([any(h["code"] not in G.WEAK_RULES for h in G.rule_hits(r["sentence"])) for r in test])
    v = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
    m = LogisticRegression(C=1, max_iter=3000).fit(v.fit_transform([r["sentence"] for r in dev]),
                                                   [r["error_flag"] for r in dev])
    char_pred = m.predict(v.transform([r["sentence"] for r in test]))
    maj = int(np.mean([r["error_flag"] for r in dev]) >= 0.5)

    def prf(p):
        tp = int((p & (y == 1)).sum())
        return {"accuracy": round(float((p == y).mean()), 4),
                "precision": round(tp / max(int(p.sum()), 1), 4), "recall": round(tp / max(int(y.sum()), 1), 4),
                "f1": round(2 * tp / max(int(p.sum()) + int(y.sum()), 1), 4)}

    out = {"fcgec_test": {"n": len(test), "ours": prf(pred), f"ours_at_default_prior_{G.DEFAULT_PRIOR}": prf(pred_default),
                          "baseline_majority": prf(np.full(len(y), maj)),
                          "baseline_char_ngram_lr": prf(np.asarray(char_pred)),
                          "rules_only": {**prf(rules), "hits": int(rules.sum())}}}
    mu = [r for r in _jsonl(data / "grammar" / "mucgec_dev.jsonl")
          if r["split"] == "test" and not r.get("unannotatable") and r.get("targets")]
    src = [r["source"] for r in mu]
    tgt = [r["targets"][0] for r in mu if r["targets"][0] != r["source"]]
    ps = np.array([G.grammar_check(s, prior=None)["grammar_error"] for s in src])
    pt = np.array([G.grammar_check(s, prior=None)["grammar_error"] for s in tgt])
    cs = m.predict(v.transform(src))
    ct = m.predict(v.transform(tgt))
    out["mucgec_test"] = {
        "n_sources": len(src), "n_corrections": len(tgt),
        "ours": {"recall_on_sources": round(float(ps.mean()), 4), "flag_rate_on_corrections": round(float(pt.mean()), 4),
                 "balanced_accuracy": round(float((ps.mean() + (1 - pt.mean())) / 2), 4)},
        "baseline_char_ngram_lr": {"recall_on_sources": round(float(cs.mean()), 4),
                                   "flag_rate_on_corrections": round(float(ct.mean()), 4),
                                   "balanced_accuracy": round(float((cs.mean() + (1 - ct.mean())) / 2), 4)},
        "baseline_flag_all": {"balanced_accuracy": 0.5},
    }
    # false alarms on edited text: sentences of the real Xinhua continuations (UHGEval test rows)
    news = [s for r in _jsonl(data / "hallucination" / "uhgeval_concise.jsonl") if r["split"] == "test"
            for s in split_sentences(r["realContinuation"]) if len(s) >= 8]
    out["news_sentences_flagged"] = {"n": len(news), **{
        f"prior_{prior}": round(float(np.mean([G.grammar_check(s, prior=prior)["grammar_error"] for s in news])), 4)
        for prior in (None, G.DEFAULT_PRIOR)}}
    return out


# ---- hallucination (UHGEval keyword level) ---------------------------------------------------------------


def bench_hallucination(data: Path) -> dict:
    from wenforge.eval.detectors import hallucination as H

    rows = [r for r in _jsonl(data / "hallucination" / "uhgeval_concise.jsonl") if r["split"] == "test"]

    def f1(y, p):
        y, p = np.asarray(y, bool), np.asarray(p, bool)
        tp = int((y & p).sum())
        return {"f1": round(2 * tp / max(int(y.sum() + p.sum()), 1), 4),
                "precision": round(tp / max(int(p.sum()), 1), 4), "recall": round(tp / max(int(y.sum()), 1), 4)}

    out = {}
    for name, with_ref in (("source = news beginning", False), ("source + reference (continuation + rest)", True)):
        ys, ps, bs = [], [], []
        for r in rows:
            ref = H.uhgeval_reference(r) if with_ref else None
            kws = H.parse_uhgeval(r)
            v = H.keyword_verdicts(r["hallucinatedContinuation"], r["newsBeginning"], [k for k, _ in kws], ref)
            for k, lab in kws:
                ys.append(lab)
                ps.append(v[k])
                bs.append(k not in r["newsBeginning"] and (ref is None or k not in ref))
        ours, base = f1(ys, ps), f1(ys, bs)
        out[name] = {"n_keywords": len(ys), "positives": int(sum(ys)), "ours": ours,
                     "baseline_keyword_absent": base, "gain_f1": round(ours["f1"] - base["f1"], 4),
                     "baseline_all_positive": f1(ys, [True] * len(ys))}
    return out


# ---- HalluQA ---------------------------------------------------------------------------------------------


def bench_halluqa(data: Path) -> dict:
    from wenforge.eval import halluqa as Q

    qs, ans = Q.load_halluqa(data)
    dev = [a for a in ans if a["split"] == "dev"]
    test = [a for a in ans if a["split"] == "test"]
    y = np.array([a["is_hallucination"] for a in test])
    p = np.array([Q.judge(a["response"], qs[int(a["question_id"])])["hallucinated"] for a in test])
    rule = np.array([Q.overlap_rule(a["response"], qs[int(a["question_id"])]) for a in test])
    maj = np.mean([a["is_hallucination"] for a in dev]) >= 0.5
    by_cat = {}
    for c in Q.CATEGORIES:
        idx = np.array([a["category"] == c for a in test])
        if idx.any():
            by_cat[c] = {"n": int(idx.sum()), "ours": round(float((p[idx] == y[idx]).mean()), 4),
                         "baseline_overlap_rule": round(float((rule[idx] == y[idx]).mean()), 4)}
    return {"n_test": len(test), "agreement": round(float((p == y).mean()), 4),
            "baseline_majority": round(float((y == maj).mean()), 4),
            "baseline_bigram_overlap_rule": round(float((rule == y).mean()), 4), "by_category": by_cat}


# ---- facts (synthetic) -----------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = ["明", "芳", "伟", "静", "磊", "婷", "军", "洋", "艳", "勇", "杰", "娟", "涛", "敏", "超", "霞"]
UNIS = ["清华大学", "北京大学", "复旦大学", "浙江大学", "南京大学", "武汉大学", "中山大学", "四川大学"]
FIRMS = ["华为", "腾讯", "阿里巴巴", "中国银行", "新华社", "小米公司", "百度公司", "人民医院"]
CITIES = ["北京", "上海", "广州", "成都", "杭州", "西安", "武汉", "南京"]
CN = "零一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n - 10] if n > 10 else "")
    return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")


def _when(year: int, ref: int, rng: random.Random) -> str:
    d = ref - year
    style = rng.random()
    if d == 1 and style < 0.5:
        return "去年"
    if d == 2 and style < 0.5:
        return "前年"
    if 0 < d <= 40 and style < 0.7:
        return f"{_cn(d) if rng.random() < 0.5 else d}年前"
    return f"{year}年"


def make_fact_cases(n_people: int = 60, seed: int = 7) -> list[dict]:
    """People with sheets, and sentences labelled consistent (0) or contradicting (1)."""
    rng = random.Random(seed)
    cases = []
    for i in range(n_people):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else "")
        ref = rng.choice([2020, 2022, 2024])
        born = rng.randint(1960, 1995)
        s0 = born + 18
        s1 = s0 + rng.choice([4, 4, 7])
        uni, other_uni = rng.sample(UNIS, 2)
        firm, other_firm = rng.sample(FIRMS, 2)
        city = rng.choice(CITIES)
        sheet = {"reference_date": f"{ref}-06-01", "subject": name, "aliases": {name: ["我"]},
                 "facts": [{"subject": name, "relation": "born", "start": born},
                           {"subject": name, "relation": "studied_at", "object": uni, "start": s0, "end": s1},
                           {"subject": name, "relation": "worked_at", "object": firm, "start": s1},
                           {"subject": name, "relation": "lived_in", "object": city, "start": s1}]}
        y_in = rng.randint(s0, s1)
        y_out = rng.choice([rng.randint(s1 + 2, ref), rng.randint(max(born + 1, s0 - 6), s0 - 2)])
        y_work = rng.randint(s1, ref)
        y_before = rng.randint(s0 - 6, s1 - 1) if s0 - 6 < s1 - 1 else s1 - 1
        short = uni[:2] if rng.random() < 0.3 else uni
        templates = [
            (0, f"{_when(y_in, ref, rng)}，我在{short}读书，常常在图书馆待到深夜。"),
            (0, f"{_when(y_in, ref, rng)}，我还是{uni}的学生，宿舍窗外是一排梧桐。"),
            (0, f"{_when(y_work, ref, rng)}，我在{firm}工作，每天加班到很晚。"),
            (0, f"我{born}年出生在一个小镇上。"),
            (0, f"{s1}年我从{uni}毕业，随后加入了{firm}。"),
            (0, "我至今还记得那年冬天的第一场雪。"),
            (1, f"{_when(y_out, ref, rng)}，我还在大学的实验室里熬夜做实验。"),
            (1, f"{_when(y_in, ref, rng)}，我在{other_uni}读书。"),
            (1, f"{_when(y_out, ref, rng)}，我在{uni}的实验室里第一次见到导师。"),
            (1, f"我{born + rng.choice([-3, -2, 2, 3])}年出生。"),
            (1, f"{s1 + rng.choice([-2, -1, 1, 2])}年我从{uni}毕业。"),
            (1, f"{_when(y_before, ref, rng)}，我在{other_firm}工作。" if y_before >= s0 else f"{born - 2}年我在读书。"),
        ]
        for label, text in templates:
            cases.append({"sheet": sheet, "text": text, "label": label, "person": i})
    return cases


def bench_facts() -> dict:
    from wenforge.eval.detectors.facts import check_facts, load_facts

    cases = make_fact_cases()
    sheets: dict[int, object] = {}
    y, p, base_time = [], [], []
    errors = []
    for c in cases:
        sh = sheets.setdefault(c["person"], load_facts(c["sheet"]))
        out = check_facts(c["text"], sh)
        y.append(c["label"])
        p.append(bool(out["contradictions"]))
        base_time.append(bool(out["times"]))
        if bool(out["contradictions"]) != bool(c["label"]) and len(errors) < 8:
            errors.append({"text": c["text"], "label": c["label"], "found": [x["reason"] for x in out["contradictions"]]})
    y, p, b = np.array(y, bool), np.array(p, bool), np.array(base_time, bool)

    def m(pred):
        tp = int((pred & y).sum())
        return {"accuracy": round(float((pred == y).mean()), 4), "precision": round(tp / max(int(pred.sum()), 1), 4),
                "recall": round(tp / max(int(y.sum()), 1), 4), "f1": round(2 * tp / max(int(pred.sum() + y.sum()), 1), 4)}

    return {"n_cases": len(cases), "contradicting": int(y.sum()), "ours": m(p),
            "baseline_flag_any_time_expression": m(b), "baseline_never_flag": m(np.zeros_like(y)),
            "sample_errors": errors, "handwritten": bench_facts_handwritten()}


def bench_facts_handwritten(path: Path = Path(__file__).parent / "data" / "facts_handwritten.yaml") -> dict:
    """The hand-written cases (other people, relations and phrasings than the generated set), every miss listed."""
    import yaml

    from wenforge.eval.detectors.facts import check_facts, load_facts

    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    sheets = {k: load_facts(v) for k, v in spec["sheets"].items()}
    y, p, b, misses = [], [], [], []
    for c in spec["cases"]:
        out = check_facts(c["text"], sheets[c["sheet"]])
        y.append(bool(c["label"]))
        p.append(bool(out["contradictions"]))
        b.append(bool(out["times"]))
        if p[-1] != y[-1]:
            misses.append({"text": c["text"], "label": c["label"], "found": [x["reason"] for x in out["contradictions"]]})
    y, p, b = np.array(y), np.array(p), np.array(b)
    acc = lambda pred: round(float((pred == y).mean()), 4)
    return {"n_cases": len(y), "contradicting": int(y.sum()), "accuracy_ours": acc(p),
            "accuracy_flag_any_time_expression": acc(b), "accuracy_never_flag": acc(np.zeros_like(y)),
            "misses": misses}


# ---- speed -----------------------------------------------------------------------------------------------


def bench_speed(data: Path, n: int = 120, repeats: int = 5) -> dict:
    from wenforge.eval.detectors.facts import load_facts
    from wenforge.eval.kinds import DETECTORS, run_detector

    rows = [r for r in _jsonl(data / "hallucination" / "uhgeval_concise.jsonl") if r["split"] == "test"][:n]
    sheet = load_facts(make_fact_cases(1)[0]["sheet"])
    items = [{"text": (r["hallucinatedContinuation"] + r["realContinuation"]).strip(), "source": r["newsBeginning"]}
             for r in rows]
    for k in DETECTORS:  # warm up models and jieba
        run_detector(k, items[0], facts=sheet)
    from wenforge.text.postag import pos_spans

    chars = sum(len(x["text"]) for x in items)
    runs = []
    for _ in range(repeats):
        pos_spans.cache_clear()  # every repeat segments from scratch
        per, total = {}, 0.0
        for k in DETECTORS:
            t0 = time.process_time()
            for x in items:
                run_detector(k, x, facts=sheet)
            dt = time.process_time() - t0
            total += dt
            per[k] = round(chars / dt)
        runs.append((round(chars / total), per))
    runs.sort(key=lambda r: r[0])
    med = runs[len(runs) // 2]
    return {"texts": len(items), "chars": chars, "repeats": repeats,
            "chars_per_cpu_second_all_detectors_median": med[0],
            "all_detectors_each_repeat": [r[0] for r in runs], "by_detector_in_median_run": med[1]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="ai,grammar,hallucination,halluqa,facts,speed")
    ap.add_argument("--retrain", action="store_true", help="rebuild grammar/hallucination/halluqa models from dev rows first")
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    data = data_folder()
    parts = [p.strip() for p in a.only.split(",") if p.strip()]
    if a.retrain:
        import importlib

        tmp = Path(tempfile.mkdtemp(prefix="wenforge-eval-bench-"))
        from wenforge.eval import halluqa as Q
        from wenforge.eval.detectors import grammar as G
        from wenforge.eval.detectors import hallucination as H

        G.ASSET, H.ASSET, Q.ASSET = tmp / "grammar.npz", tmp / "hallucination.npz", tmp / "halluqa.npz"
        G.train(data)
        H.train([r for r in _jsonl(data / "hallucination" / "uhgeval_concise.jsonl") if r["split"] == "dev"])
        qs, ans = Q.load_halluqa(data)
        Q.train(qs, [x for x in ans if x["split"] == "dev"])
        importlib.invalidate_caches()
    fns = {"ai": lambda: bench_ai(data), "grammar": lambda: bench_grammar(data),
           "hallucination": lambda: bench_hallucination(data), "halluqa": lambda: bench_halluqa(data),
           "facts": bench_facts, "speed": lambda: bench_speed(data)}
    results = {}
    for p in parts:
        t0 = time.time()
        results[p] = fns[p]()
        results[p]["seconds"] = round(time.time() - t0, 1)
        print(f"== {p}", json.dumps(results[p], ensure_ascii=False, indent=1), flush=True)
    if a.json:
        a.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
