"""Detector speed (issue 17): CPU time per character of `wenforge detect` kinds, one at a time and all together.

    python bench/detect_speed.py [--n 300] [--repeats 3] [--baseline-posseg] [--profile] [--json OUT]

Texts: `dev` rows of 500-2,000 characters, half UHGEval news (newsBeginning + newsRemainder; the beginning is
the hallucination detector's source) and half modern LLM writing (its prompt is the source). Every kind runs
through `wenforge.eval.kinds.run_detector`, as `wenforge detect` does. CPU time (process_time), median of
`--repeats` runs; the part-of-speech cache (`text.postag.pos_spans`) is emptied before every timed run, so each
kind pays its own tagging, and "all" runs every kind on one text before the next (they share the tagging, as in
`wenforge eval`).

`--baseline-posseg` times the same runs with `jieba.posseg.lcut` itself as the tagger (what
`text.segment.pos_words` called before; it now gives the same pairs faster, see its docstring), the two taking
turns within every repeat; `--profile` prints the cProfile functions with the most cumulative time in one "all"
run of each tagger and the shares of that time inside the tagger and inside jieba's dictionary route.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import pstats
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)

from wenforge.core.paths import data_folder

KINDS = ("ai", "grammar", "hallucination", "values")
MIN_CHARS, MAX_CHARS = 500, 2000  # the length band: a paragraph to a short article


def _jsonl(p: Path) -> list[dict]:
    with open(p, encoding="utf-8") as f:
        return [json.loads(x) for x in f if x.strip()]


def load_texts(data: Path, n: int) -> list[dict]:
    """`n` rows {text, source}: half news, half LLM writing, dev split, 500-2,000 characters, file order."""
    news = []
    for r in _jsonl(data / "hallucination" / "uhgeval_concise.jsonl"):
        text = (r["newsBeginning"] + r["newsRemainder"]).strip()
        if r["split"] == "dev" and MIN_CHARS <= len(text) <= MAX_CHARS:
            news.append({"text": text, "source": r["newsBeginning"].strip()})
    llm = [{"text": r["text"], "source": r["prompt"]} for r in _jsonl(data / "ai_text" / "modern_llm_writing.jsonl")
           if r["split"] == "dev" and MIN_CHARS <= len(r["text"]) <= MAX_CHARS]
    half = n // 2
    return news[:half] + llm[: n - half]


def posseg_words(text: str) -> list[tuple[str, str]]:
    """The reference tagger: jieba.posseg with its HMM, whitespace words dropped."""
    import jieba.posseg as pseg

    return [(p.word, p.flag) for p in pseg.lcut(text) if p.word.strip()]


# modules that bound `pos_words` by name at import: the tagger swap must reach them all
_POS_WORDS_USERS = ("wenforge.text.segment", "wenforge.text.postag", "wenforge.eval.detectors.grammar",
                    "wenforge.eval.detectors.hallucination")


@contextlib.contextmanager
def tagger(fn: Callable[[str], list[tuple[str, str]]] | None) -> Iterator[None]:
    """Run with `fn` in place of `text.segment.pos_words` everywhere (None: leave the shipped tagger)."""
    import importlib

    if fn is None:
        yield
        return
    mods = [importlib.import_module(m) for m in _POS_WORDS_USERS]
    old = [m.pos_words for m in mods]
    for m in mods:
        m.pos_words = fn
    _clear_caches()
    try:
        yield
    finally:
        for m, o in zip(mods, old):
            m.pos_words = o
        _clear_caches()


def _clear_caches() -> None:
    """Empty every cache that a repeat over the same texts would otherwise find full (per-text and per-block
    segmentation, tagging and HMM decodes), so each timed run pays its own."""
    from wenforge.eval.detectors import hallucination
    from wenforge.text import postag, segment

    for cached in (postag.pos_spans, postag._bounds, hallucination._pos, segment._hmm_route, segment._route,
                   segment._finalseg):
        cached.cache_clear()


def _run(kinds: tuple[str, ...], items: list[dict]) -> float:
    """CPU seconds to run `kinds` over `items`, text by text, from empty tagging caches (the HMM's included: a
    repeat over the same texts would otherwise find every unknown word decoded)."""
    from wenforge.eval.kinds import run_detector

    _clear_caches()
    t0 = time.process_time()
    for x in items:
        for k in kinds:
            run_detector(k, x)
    return time.process_time() - t0


def measure(items: list[dict], repeats: int, variants: dict[str, Callable | None]) -> dict:
    """Characters per CPU-second, median of `repeats`, for each kind alone and all kinds together, per tagger
    variant; the variants take turns within every repeat, so a drift in machine load reaches them alike."""
    from wenforge.eval.kinds import run_detector

    for k in KINDS:  # load models, dictionaries and jieba outside the timing
        run_detector(k, items[0])
    chars = sum(len(x["text"]) for x in items)
    sets = [*((k, (k,)) for k in KINDS), ("all", KINDS)]
    secs: dict[str, dict[str, list[float]]] = {v: {name: [] for name, _ in sets} for v in variants}
    for _ in range(repeats):
        for v, fn in variants.items():
            with tagger(fn):
                for name, kinds in sets:
                    secs[v][name].append(_run(kinds, items))
    out: dict = {}
    for v, by in secs.items():
        out[v] = {}
        for name, ss in by.items():
            med = sorted(ss)[len(ss) // 2]
            out[v][name] = {"chars_per_cpu_second": round(chars / med), "cpu_seconds_median": round(med, 2),
                            "cpu_seconds_each": [round(x, 2) for x in ss]}
    return out


def profile(items: list[dict], top: int = 25) -> dict:
    """One "all" run under cProfile: the share of its time inside the tagger, and the costliest functions."""
    _clear_caches()
    prof = cProfile.Profile()
    prof.enable()
    _run(KINDS, items)
    prof.disable()
    st = pstats.Stats(prof)
    total = max(st.total_tt, 1e-9)
    shares = {}
    for label, (file_part, func) in {"tagger: jieba.posseg.lcut": ("posseg/__init__.py", "lcut"),
                                     "tagger: text.segment.pos_words": ("wenforge/text/segment.py", "pos_words"),
                                     "HMM decode: jieba.posseg viterbi": ("posseg/viterbi.py", "viterbi"),
                                     "HMM decode: text.segment._PosHMM": ("wenforge/text/segment.py", "decode"),
                                     "dictionary route: jieba get_DAG": ("jieba/__init__.py", "get_DAG"),
                                     "dictionary route: jieba calc": ("jieba/__init__.py", "calc"),
                                     "jieba.lcut (words)": ("jieba/__init__.py", "lcut")}.items():
        cum = sum(v[3] for (f, _, fn), v in st.stats.items() if f.endswith(file_part) and fn == func)
        shares[label] = round(cum / total, 3)
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    return {"profiled_seconds": round(total, 2), "cumulative_share": shares, "top": buf.getvalue()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--baseline-posseg", action="store_true", help="also time jieba.posseg (HMM) as the tagger")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    items = load_texts(data_folder(), a.n)
    res: dict = {"texts": len(items), "chars": sum(len(x["text"]) for x in items), "repeats": a.repeats}
    variants = {"shipped": None, **({"posseg_baseline": posseg_words} if a.baseline_posseg else {})}
    res.update(measure(items, a.repeats, variants))
    for name in variants:
        print(f"== {name}", json.dumps(res[name], ensure_ascii=False), flush=True)
    if a.profile:
        for name, fn in variants.items():
            with tagger(fn):
                p = profile(items)
            print(f"== profile ({name})\n{p.pop('top')}", flush=True)
            res[name]["profile"] = p
            print(f"== profile ({name})", json.dumps(p), flush=True)
    if a.baseline_posseg:
        res["speedup"] = {k: round(res["shipped"][k]["chars_per_cpu_second"]
                                   / res["posseg_baseline"][k]["chars_per_cpu_second"], 2) for k in res["shipped"]}
    print(json.dumps({k: v for k, v in res.items() if k not in variants}, ensure_ascii=False))
    if a.json:
        a.json.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
