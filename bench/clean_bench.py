"""Adversarial cleaning benchmark (issue 3): accuracy and speed of ``clean_page`` against baselines.

    python bench/clean_bench.py                      # report on `test`-split sources (the figures)
    python bench/clean_bench.py --split dev          # tune on `dev`
    python bench/clean_bench.py --n 2000 --speed-runs 5 --json out.json

The labelled set: synthetic black-hat SEO pages and hard negatives built by ``wenforge.synth`` from
`--split` rows of ../shared/data (UHGEval full news, Lu Xun, classical poetry, HC3 human answers;
THUCNews headlines; unrelated news snippets), 15% as HTML, plus the hand-written pages in
``tests/clean/data/handwritten_pages.jsonl``. Methods in the same run:
  - keep_all: keeps every page whole (the "do nothing" baseline);
  - datatrove: trafilatura extraction of HTML pages (the pipeline's extract step), then
    Gopher repetition + Gopher quality + C4 quality (line rules, modify the text) + FineWeb
    quality with Chinese settings: FineWeb-2 `cmn_Hani` for Gopher and FineWeb, built by the pipeline's
    own ``chinese_filters`` (offline jieba tokenizer), C4 with Chinese sentence marks and without its
    English-only rules (see ``datatrove_zh_filters``); a dropped page counts as flagged spam with
    nothing kept;
  - datatrove_en (only with --methods): the earlier baseline with English-default C4 rules;
  - wenforge: ``wenforge.clean.clean_page`` with the default config.
Metrics: page precision/recall/F1 (spam = positive), false-positive rate on clean pages (overall and per
hard-negative kind), share of genuine paragraphs kept on spam pages, share of injected strings removed,
share of text kept on clean pages, character-level F1 of salvaged text vs the genuine article, speed
(pages and MB of UTF-8 input per second of this process's CPU time, i.e. per core, and per second of
wall time; median of several runs).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)

ROOT = Path(__file__).resolve().parent.parent
HANDWRITTEN = ROOT / "tests" / "clean" / "data" / "handwritten_pages.jsonl"
_WS = re.compile(r"\s+")
_TAG = re.compile(r"<[^<>]{0,300}>|&(?:[a-zA-Z]{2,8}|#\d{2,6});")


def norm(s: str) -> str:
    return _WS.sub("", _TAG.sub("", s))


# ------------------------------------------------------------------------------------------- labelled set


def build_set(split: str, n: int, seed: int) -> list[dict]:
    from wenforge.synth import build_corpus, load_sources

    src = load_sources(split=split)
    pages = build_corpus(src, n, seed=seed, spam_ratio=0.5, html_ratio=0.15)
    items = []
    for i, p in enumerate(pages):
        items.append({
            "id": f"syn{i}",
            "text": p.text,
            "spam": p.spam,
            "paragraphs": p.article_paragraphs,
            "article": p.article,
            "injected": [p.text[s:e] for s, e, r in p.spam_spans if r in ("title_injection", "bait", "gibberish",
                                                                          "hotlist", "stitched")],
            "kind": "spam" if p.spam else f"clean:{p.kind}:{p.source}",
        })
    if HANDWRITTEN.exists():
        for line in HANDWRITTEN.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                items.append({
                    "id": r["id"], "text": r["text"], "spam": r["spam"],
                    "paragraphs": r.get("genuine", []), "article": "\n".join(r.get("genuine", [])),
                    "injected": r.get("injected", []),
                    "kind": "spam" if r["spam"] else f"clean:{r.get('kind', 'handwritten')}:handwritten",
                })
    return items


# ------------------------------------------------------------------------------------------- methods


def method_keep_all():
    def run(text: str) -> tuple[bool, str]:
        return False, text
    return run


# C4's line rule keeps lines ending in terminal punctuation; datatrove's C4QualityFilter hardcodes the
# English marks (. ? ! " '), which no Chinese line ends with. The same rule with Chinese marks:
ZH_TERMINAL = ("。", "！", "？", "!", "?", ".", "”", "」", "』", "\"", "'", "）")
ZH_ELLIPSIS = ("……", "...", "…")


def _zh_terminal_punct_filter():
    from datatrove.pipeline.filters.base_filter import BaseFilter

    class C4ZhTerminalPunct(BaseFilter):
        """C4's `filter_no_terminal_punct` line rule with Chinese sentence marks (modifies the text)."""

        name = "⛰ C4 terminal punctuation (zh marks)"

        def filter(self, doc):
            kept = [ln.strip() for ln in doc.text.splitlines()
                    if ln.strip().endswith(ZH_TERMINAL) and not ln.strip().endswith(ZH_ELLIPSIS)]
            doc.text = "\n".join(kept)
            return True

    return C4ZhTerminalPunct()


def _extract_html_filter():
    from datatrove.pipeline.filters.base_filter import BaseFilter

    from wenforge.clean.page import looks_like_html
    from wenforge.pipeline.steps.extract import extract_main_text

    class ExtractHtml(BaseFilter):
        """The pipeline's trafilatura extraction (``extract_main_text``) on the pages that ``clean_page``
        also reads as HTML (the pipeline's own step also treats a plain page with one stray ``<span>`` as
        HTML, and trafilatura then finds nothing in it); a page with no main text is dropped."""

        name = "🛢 extract HTML (trafilatura)"

        def filter(self, doc):
            if looks_like_html(doc.text):
                doc.text = extract_main_text(doc.text)
                if not doc.text.strip():
                    return False, "no_main_text"
            return True

    return ExtractHtml()


def datatrove_zh_filters() -> list:
    """datatrove filters with Chinese settings, in FineWeb's order (Gopher repetition, Gopher quality, C4,
    FineWeb quality), after trafilatura extraction of HTML pages as in the pipeline (plain text passes). Gopher and FineWeb: FineWeb-2 `cmn_Hani` thresholds and stopwords with the offline
    jieba tokenizer, exactly as the pipeline's quality step builds them
    (``wenforge.pipeline.steps.quality.chinese_filters``). C4 (``C4QualityFilter``), settings for Chinese:
    lines split on newlines, citations removed, a page with ``{`` dropped, at least 5 sentences per page
    (sentences from the same jieba tokenizer's Chinese-aware splitter), the terminal-punctuation line rule
    with Chinese marks (above); off because they assume space-separated English: words-per-line (a
    whitespace "word" is a whole Chinese line), max word length (same reason: long paragraphs would go),
    ``lorem ipsum``, ``javascript`` and the English cookie/terms-of-use phrases. ``C4BadWordsFilter`` is
    off: its zh list is downloaded at run time (the bench is offline), and a page-level drop on one bad
    word would only add page drops."""
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )

    from wenforge.pipeline.config import QualityConfig
    from wenforge.pipeline.steps.quality import chinese_filters

    zh = {type(f): f for f in chinese_filters(QualityConfig().zh)}
    tok = zh[GopherQualityFilter].language
    c4 = C4QualityFilter(split_paragraph=True, remove_citations=True, filter_no_terminal_punct=False,
                         min_num_sentences=5, min_words_per_line=-1, max_word_length=-1, filter_lorem_ipsum=False,
                         filter_javascript=False, filter_curly_bracket=True, filter_policy=False, language=tok)
    return [_extract_html_filter(), zh[GopherRepetitionFilter], zh[GopherQualityFilter], _zh_terminal_punct_filter(), c4,
            zh[FineWebQualityFilter]]


def datatrove_en_filters() -> list:
    """The earlier baseline: English-default C4 rules and hand-set thresholds (kept for comparison)."""
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )

    from wenforge.text.tokenizers import JiebaWordTokenizer

    tok = JiebaWordTokenizer()
    stop = ["的", "了", "是", "在", "和", "有", "我", "他", "这", "也", "就", "不", "人", "都", "一"]
    return [
        GopherRepetitionFilter(language=tok, dup_para_frac=0, dup_line_char_frac=0, dup_para_char_frac=0),
        GopherQualityFilter(language=tok, min_doc_words=50, min_avg_word_length=1, max_avg_word_length=6,
                            stop_words=stop, min_stop_words=2, max_non_alpha_words_ratio=0.6),
        C4QualityFilter(language=tok, filter_no_terminal_punct=False, min_num_sentences=0, min_words_per_line=3),
        FineWebQualityFilter(language=tok, short_line_thr=999, line_punct_thr=0.12, char_duplicates_ratio=0.1,
                             new_line_ratio=0.3, stop_chars=(".", "'", '"', "!", "?", "。", "！", "？", "”", "…")),
    ]


def _method_filters(build):
    def make():
        from datatrove.data import Document
        from datatrove.pipeline.filters.base_filter import get_filter_result

        filters = build()

        def run(text: str) -> tuple[bool, str]:
            doc = Document(text=text, id="x")
            for f in filters:
                keep, _ = get_filter_result(f.filter(doc))
                if not keep:
                    return True, ""
            return False, doc.text

        return run

    return make


method_datatrove = _method_filters(datatrove_zh_filters)
method_datatrove_en = _method_filters(datatrove_en_filters)


def method_wenforge():
    from wenforge.clean import clean_page

    def run(text: str) -> tuple[bool, str]:
        r = clean_page(text)
        return r.spam, r.text

    return run


METHODS = {"keep_all": method_keep_all, "datatrove": method_datatrove, "datatrove_en": method_datatrove_en,
           "wenforge": method_wenforge}


# ------------------------------------------------------------------------------------------- metrics


def char_f1(pred: str, gold: str) -> float:
    a, b = Counter(norm(pred)), Counter(norm(gold))
    if not a and not b:
        return 1.0
    inter = sum((a & b).values())
    if inter == 0:
        return 0.0
    p, r = inter / sum(a.values()), inter / sum(b.values())
    return 2 * p * r / (p + r)


def evaluate(items: list[dict], run) -> dict:
    tp = fp = fn = tn = 0
    para_total = para_kept = inj_total = inj_removed = 0
    clean_kept: list[float] = []
    f1s: list[float] = []
    fp_by_kind: Counter = Counter()
    n_by_kind: Counter = Counter()
    for it in items:
        flagged, out = run(it["text"])
        o = norm(out)
        if it["spam"]:
            tp += flagged
            fn += not flagged
            for p in it["paragraphs"]:
                pn = norm(p)
                if pn:
                    para_total += 1
                    para_kept += pn in o
            for s in it["injected"]:
                sn = norm(s)
                if len(sn) >= 4:
                    inj_total += 1
                    inj_removed += sn not in o
            f1s.append(char_f1(out, it["article"]))
        else:
            kind = it["kind"].split(":")[1]
            n_by_kind[kind] += 1
            fp += flagged
            tn += not flagged
            fp_by_kind[kind] += flagged
            src = norm(it["text"])
            clean_kept.append(min(1.0, len(o) / len(src)) if src else 1.0)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {
        "pages": len(items),
        "spam_pages": tp + fn,
        "clean_pages": fp + tn,
        "precision": prec,
        "recall": rec,
        "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        "fpr_clean": fp / (fp + tn) if fp + tn else 0.0,
        "fpr_by_kind": {k: fp_by_kind[k] / n for k, n in sorted(n_by_kind.items())},
        "genuine_paragraphs_kept": para_kept / para_total if para_total else 0.0,
        "injected_strings_removed": inj_removed / inj_total if inj_total else 0.0,
        "clean_text_kept": statistics.fmean(clean_kept) if clean_kept else 0.0,
        "salvage_char_f1": statistics.fmean(f1s) if f1s else 0.0,
    }


def misses(items: list[dict]):
    """(item, clean_page result, genuine paragraphs lost, injected strings left) for every page."""
    from wenforge.clean import clean_page

    for it in items:
        r = clean_page(it["text"])
        o = norm(r.text)
        lost = [p for p in it["paragraphs"] if norm(p) and norm(p) not in o]
        left = [s for s in it["injected"] if len(norm(s)) >= 4 and norm(s) in o]
        yield it, r, lost, left


def print_miss(it: dict, r, lost: list[str], left: list[str], label: str) -> None:
    """One wrong page for tuning: its decision and evidence, its text when the decision is wrong, what was
    lost and what was left."""
    ev = {k: round(v, 3) for k, v in r.evidence.items() if v}
    print("=" * 80, it["id"], label, "pred", r.spam, r.spam_score, ev, r.reasons)
    if r.spam != it["spam"]:
        print(it["text"][:1000])
    for p in lost[:3]:
        print("  LOST:", p[:100])
    for s in left[:5]:
        print("  LEFT:", s[:100])


def speed(items: list[dict], run, runs: int) -> dict:
    """Throughput on the 2-5 KB pages, median of ``runs`` passes: MB/s of CPU time of this process
    (``time.process_time``: what one core does, whatever else the machine runs) and of wall time."""
    texts = [it["text"] for it in items if 2000 <= len(it["text"].encode("utf-8")) <= 5000]
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    run(texts[0])  # warm caches (lexicons)
    cpu, wall = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        for t in texts:
            run(t)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    c, w = statistics.median(cpu), statistics.median(wall)
    return {"pages": len(texts), "pages_per_cpu_s": len(texts) / c, "mb_per_cpu_s": nbytes / c / 1e6,
            "mb_per_wall_s": nbytes / w / 1e6, "cpu_s_runs": [round(x, 3) for x in cpu],
            "wall_s_runs": [round(x, 3) for x in wall], "mean_kb": nbytes / len(texts) / 1e3, "runs": runs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="test", choices=["dev", "test"])
    ap.add_argument("--n", type=int, default=2000, help="synthetic pages (half spam)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--speed-runs", type=int, default=5)
    ap.add_argument("--methods", default="keep_all,datatrove,wenforge")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--show-errors", type=int, default=0, help="print this many wenforge errors (dev only)")
    a = ap.parse_args(argv)
    items = build_set(a.split, a.n, a.seed)
    results = {}
    for name in a.methods.split(","):
        run = METHODS[name]()
        res = evaluate(items, run)
        if name == "wenforge":
            res["speed"] = speed(items, run, a.speed_runs)
        elif name.startswith("datatrove"):
            res["speed"] = speed(items, run, 1)
        results[name] = res
    cols = ["precision", "recall", "f1", "fpr_clean", "genuine_paragraphs_kept", "injected_strings_removed",
            "clean_text_kept", "salvage_char_f1"]
    print(f"split={a.split} pages={len(items)} (spam {results[next(iter(results))]['spam_pages']})")
    print(f"{'method':12s} " + " ".join(f"{c[:12]:>12s}" for c in cols)
          + "  pages/cpu-s  MB/cpu-s  MB/wall-s")
    for name, r in results.items():
        sp = r.get("speed", {})
        print(f"{name:12s} " + " ".join(f"{r[c]:12.3f}" for c in cols)
              + (f"  {sp['pages_per_cpu_s']:11.0f} {sp['mb_per_cpu_s']:9.2f} {sp['mb_per_wall_s']:10.2f}" if sp else ""))
    for name, r in results.items():
        if "speed" in r:
            sp = r["speed"]
            print(f"{name} speed on {sp['pages']} pages of 2-5 KB (mean {sp['mean_kb']:.1f} KB), median of {sp['runs']}:"
                  f" {sp['mb_per_cpu_s']:.2f} MB/s of CPU time (runs {sp['cpu_s_runs']} s),"
                  f" {sp['mb_per_wall_s']:.2f} MB/s wall (runs {sp['wall_s_runs']} s)")
    for name, r in results.items():
        print(f"{name} false-positive rate by hard-negative kind:", {k: round(v, 3) for k, v in r["fpr_by_kind"].items()})
    if a.show_errors and a.split == "dev":
        shown = 0
        for it, r, lost, left in misses(items):
            if r.spam != it["spam"] or lost or left:
                shown += 1
                print_miss(it, r, lost, left, it["kind"])
                if shown >= a.show_errors:
                    break
    if a.json:
        a.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
