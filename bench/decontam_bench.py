"""Decontamination: planted benchmark items caught, clean documents flagged, and speed, beside two baselines.

The index holds every item of the licensed benchmark sets in $WENFORGE_DATA (GAOKAO-Bench, AGIEval Chinese,
CMATH dev, CMATH test, GSM8K test), padded to `INDEX_ITEMS` with HC3-Chinese answers (a set no clean document
below is drawn from), so speed is measured at the issue's index size. Benchmark items are planted into clean
documents (Xinhua news, Chinese Wikipedia paragraphs, CSL abstracts, public-domain modern prose) four ways:
verbatim, with punctuation and whitespace changed, in traditional characters, embedded in other text; plus all
three changes at once. Reported: the share caught per way (goal >= 0.98), the share where the planted item itself
is named and its span covers the planted text, the share of clean documents flagged (goal <= 0.001), and MB of
UTF-8 text per CPU-second on clean documents, the corpus case (goal >= 5), and on the planted ones.

Baselines in the same run: exact substring of the folded item (punctuation, spacing, width and script removed,
as this index folds them), and open-r1/GPT-3 style word 13-gram overlap (lower case, ASCII punctuation removed,
whitespace words, any shared 13-gram flags).

    python bench/decontam_bench.py              # figures on test rows, defaults of wenforge.decontam.index
    python bench/decontam_bench.py --sweep      # n x threshold x min_tokens on dev rows (how the defaults were chosen)
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
import sys
import time
from difflib import SequenceMatcher

from wenforge.core.paths import data_folder
from wenforge.decontam.fold import BMP, fold_table, tokens
from wenforge.decontam.index import (
    DEFAULT_N,
    DEFAULT_THRESHOLD,
    MIN_ITEM_TOKENS,
    BenchmarkIndex,
    read_items,
)
from wenforge.text.chars import ascii_punctuation, cjk_ratio, to_traditional

BENCHMARKS = ("benchmarks/gaokao_bench.jsonl", "benchmarks/agieval_zh.jsonl", "benchmarks/cmath_dev.jsonl",
              "math/cmath_test.jsonl", "math/gsm8k_test.jsonl")
INDEX_ITEMS = 10_000  # the index size for the speed goal
PADDING = "hc3_padding"  # the padding items' benchmark name: their matches are not counted
PLANTED_PER_WAY = 600  # planted documents per way: a 0.98 share is then known to about +-0.006
CHUNK_CHARS = 2000  # modern prose chapters are cut into documents of about this many characters
BASELINE_DOCS = 300  # the substring baseline tests every item against every document: timed on this many
WAYS = ("verbatim", "punctuation_whitespace", "traditional", "embedded", "all_changes")
# Not a goal: a harder way that tells n apart (every n-gram over an edited character is lost): one Han character
# in EDIT_EVERY replaced by another, as OCR and spinning do.
HARD_WAYS = ("ocr_edits",)
EDIT_EVERY = 15
SPAN_COVER = 0.9  # a reported span must cover this share of the planted item's text to count as placed right
# A flagged clean document is a true find, not a false positive, when it and the matched item share this many
# consecutive folded characters (the clean sets hold Lu Xun and Lin Huiyin texts that GAOKAO reading items quote).
VERIFIED_CHARS = 50


def _rows(rel: str):
    with open(data_folder() / rel, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def clean_documents(split: str) -> list[tuple[str, str]]:
    """(source, text) of clean documents of one split: news, Wikipedia paragraphs, abstracts, modern prose chunks."""
    docs = []
    for r in _rows("hallucination/uhgeval_concise.jsonl"):
        if r["split"] == split:
            docs.append(("news", (r["newsBeginning"] + r["newsRemainder"]).strip()))
    for r in _rows("expository/cmrc2018_wiki_paragraphs.jsonl"):
        if r["split"] == split:
            docs.append(("wikipedia", r["text"]))
    for r in _rows("academic/csl_abstracts.jsonl"):
        if r["split"] == split:
            docs.append(("abstract", r["title"] + "\n" + r["abstract"]))
    for r in _rows("literary/modern_pd_prose.jsonl"):
        if r["split"] != split:
            continue
        buf = ""
        for para in r["text"].split("\n"):
            buf = f"{buf}\n{para}" if buf else para
            if len(buf) >= CHUNK_CHARS:
                docs.append(("modern_prose", buf))
                buf = ""
        if len(buf) > CHUNK_CHARS // 4:
            docs.append(("modern_prose", buf))
    # exam questions of sets the index does not hold: the text most like a benchmark item that is not one
    for r in _rows("math/cn_middle_school_test.jsonl"):
        if r["split"] == split:
            docs.append(("exam_like", r["question"]))
    for r in _rows("safety/safetybench_zh.jsonl"):
        if r["split"] == split:
            docs.append(("exam_like", r["question"] + "\n" + "\n".join(r["options"])))
    return docs


def benchmark_items() -> list[dict]:
    """Every item of the benchmark files: benchmark, item id, text, split (from the row; dev when it has none)."""
    out = []
    for rel in BENCHMARKS:
        path = data_folder() / rel
        splits = [r.get("split", "dev") for r in _rows(rel)]
        for (bench, item, text), split in zip(read_items(path, "question"), splits, strict=True):
            out.append({"benchmark": bench, "item": item, "text": text, "split": split})
    return out


def padding(n: int) -> list[tuple[str, str, str]]:
    """`n` indexable HC3-Chinese answers as extra items (the index at its target size; never planted or clean)."""
    out = []
    for i, r in enumerate(_rows("ai_text/hc3_chinese_sample.jsonl")):
        if len(out) >= n:
            break
        text = r.get("text")
        if isinstance(text, str) and tokens(text).hashes.size >= MIN_ITEM_TOKENS:
            out.append((PADDING, f"hc3-{i}", text))
    return out


_SPACE_CHOICES = (" ", "  ", "\n", "\t", "\u3000")
_ZH_PUNCT = "，。！？；：、“”‘’（）《》【】…—"


def _latin(c: str) -> bool:
    return c.isascii() and c.isalnum()


def change_punctuation_whitespace(text: str, rng: random.Random) -> str:
    """Punctuation as ASCII, swapped or dropped; whitespace runs replaced by other whitespace; spaces inserted
    beside Chinese characters (as PDF and OCR text has them). Spaces between two Latin words stay spaces, and
    no space splits a word: both would change the words themselves, not their spacing."""
    text = ascii_punctuation(text, full_stop=rng.random() < 0.5)
    out: list[str] = []
    for i, c in enumerate(text):
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if c in string.punctuation or c in _ZH_PUNCT:
            r = rng.random()
            if r < 0.3:  # dropped; between two Latin runs a space keeps them apart
                ahead = next((x for x in text[i + 1 :] if x not in string.punctuation and x not in _ZH_PUNCT), "")
                c = " " if out and _latin(out[-1]) and _latin(ahead) else ""
            elif r < 0.4:
                c = rng.choice("，。,.;；、")
        elif c.isspace():
            c = rng.choice(_SPACE_CHOICES)
        out.append(c)
        if rng.random() < 0.05 and not (_latin(c) and _latin(nxt)):
            out.append(rng.choice(_SPACE_CHOICES))
    return "".join(out)


def embed(item: str, host: str, rng: random.Random) -> tuple[str, int, int]:
    """`item` placed at a paragraph or sentence boundary of `host`: (document, start, end of the item)."""
    cuts = [m.end() for m in re.finditer(r"[。！？\n]", host)] or [len(host) // 2]
    cut = rng.choice(cuts)
    before, after = host[:cut], host[cut:]
    doc = f"{before}\n{item}\n{after}"
    return doc, len(before) + 1, len(before) + 1 + len(item)


def ocr_edits(text: str, rng: random.Random) -> str:
    """One Han character in EDIT_EVERY (on average) replaced by another Han character, length unchanged."""
    return "".join(chr(rng.randrange(0x4E00, 0x9FA6)) if "\u4e00" <= c <= "\u9fff" and rng.random() < 1 / EDIT_EVERY
                   else c for c in text)


def plant(way: str, item: str, host: str, rng: random.Random) -> tuple[str, int, int]:
    """The planted document for one way, with where the (changed) item text lies in it."""
    if way == "verbatim":
        return item, 0, len(item)
    if way == "punctuation_whitespace":
        t = change_punctuation_whitespace(item, rng)
        return t, 0, len(t)
    if way == "traditional":
        t = to_traditional(item)
        return t, 0, len(t)
    if way == "embedded":
        return embed(item, host, rng)
    if way == "ocr_edits":
        t = ocr_edits(item, rng)
        return t, 0, len(t)
    return embed(change_punctuation_whitespace(to_traditional(item), rng), host, rng)


def planted_sets(items: list[dict], hosts: list[tuple[str, str]], split: str, per_way: int,
                 seed: int = 0) -> dict[str, list[tuple[str, dict, int, int]]]:
    """Per way: (document, item, start, end) for `per_way` items of `split` (traditional: Chinese items only)."""
    rng = random.Random(seed)
    pool = [it for it in items if it["split"] == split]
    zh = [it for it in pool if cjk_ratio(it["text"]) >= 0.3]
    out = {}
    for way in WAYS + HARD_WAYS:
        chosen = rng.sample(zh if way in ("traditional", "all_changes", "ocr_edits") else pool, per_way)
        out[way] = []
        for it in chosen:
            doc, start, end = plant(way, it["text"], rng.choice(hosts)[1], rng)
            out[way].append((doc, it, start, end))
    return out


# ------------------------------------------------------------------------------------------- baselines
def _folded_string(text: str) -> str:
    """The text's folded characters with every dropped character removed (the substring baseline's form)."""
    t = tokens(text)
    table, _ = fold_table()
    return "".join("".join(chr(table[ord(c)]) if ord(c) < BMP else c for c in text[s:e])
                   for s, e in zip(t.starts.tolist(), t.ends.tolist(), strict=True))


class SubstringBaseline:
    """Contaminated when the folded item is a substring of the folded document."""

    def __init__(self, texts: list[tuple[str, str, str]], min_chars: int = MIN_ITEM_TOKENS):
        self.items = [(b, i, f) for b, i, t in texts if len(f := _folded_string(t)) >= min_chars]

    def flagged(self, text: str) -> bool:
        doc = _folded_string(text)
        return any(f in doc for _, _, f in self.items)


_PUNCT_TABLE = str.maketrans("", "", string.punctuation)


class WordNgramBaseline:
    """open-r1 / GPT-3 style: lower case, ASCII punctuation removed, whitespace words, any shared 13-gram flags."""

    def __init__(self, texts: list[tuple[str, str, str]], n: int = 13):
        self.n = n
        self.grams = set()
        for _, _, t in texts:
            self.grams.update(self._grams(t))

    def _grams(self, text: str):
        w = text.lower().translate(_PUNCT_TABLE).split()
        return {tuple(w[i : i + self.n]) for i in range(len(w) - self.n + 1)}

    def flagged(self, text: str) -> bool:
        return not self._grams(text).isdisjoint(self.grams)


# ------------------------------------------------------------------------------------------- measuring
def _covers(m, start: int, end: int) -> bool:
    inter = max(0, min(m.end, end) - max(m.start, start))
    return inter >= SPAN_COVER * (end - start)


def _common_chars(a: str, b: str) -> int:
    """Length of the longest common stretch of the two texts' folded characters."""
    fa, fb = _folded_string(a), _folded_string(b)
    return SequenceMatcher(None, fa, fb, autojunk=False).find_longest_match(0, len(fa), 0, len(fb)).size


def score_index(index: BenchmarkIndex, planted: dict, clean: list[tuple[str, str]], threshold: float,
                texts: dict[tuple[str, str], str]) -> dict:
    """Caught share per way, item-and-span share, clean documents flagged (with examples), MB per CPU-second."""
    out: dict = {"ways": {}}
    nbytes, cpu = 0, 0.0
    clean_bytes, clean_cpu = 0, 0.0
    for way, docs in planted.items():
        caught = right = 0
        for doc, it, s, e in docs:
            c0 = time.process_time()
            ms = index.match(doc, threshold)
            cpu += time.process_time() - c0
            nbytes += len(doc.encode("utf-8"))
            caught += bool(ms)
            right += any(m.item == it["item"] and _covers(m, s, e) for m in ms)
        out["ways"][way] = {"documents": len(docs), "caught": round(caught / len(docs), 4),
                            "item_and_span": round(right / len(docs), 4)}
    flagged, found = [], []
    for source, text in clean:
        c0 = time.process_time()
        ms = [m for m in index.match(text, threshold) if m.benchmark != PADDING]
        clean_cpu += time.process_time() - c0
        clean_bytes += len(text.encode("utf-8"))
        if ms:
            m = ms[0]
            common = _common_chars(text, texts[(m.benchmark, m.item)])
            rec = {"source": source, "benchmark": m.benchmark, "item": m.item, "share": round(m.share, 3),
                   "common_chars": common, "text": text[m.start : m.end][:80]}
            (found if common >= VERIFIED_CHARS else flagged).append(rec)
    # flagged: no long common stretch with the item (false positives); found: the clean set really holds the item
    out["clean"] = {"documents": len(clean), "flagged": len(flagged),
                    "flagged_share": round(len(flagged) / max(len(clean), 1), 5), "examples": flagged[:10],
                    "true_contamination_found": found}
    # the corpus case (clean documents, 1.5-2 KB on average) and planted documents (short, each a match to place:
    # per-document numpy overhead dominates them, and a real corpus holds few of them)
    out["speed_mb_per_cpu_s"] = {"clean": round(clean_bytes / 1e6 / max(clean_cpu, 1e-9), 2),
                                 "planted": round(nbytes / 1e6 / max(cpu, 1e-9), 2)}
    return out


def score_baseline(base, planted: dict, clean: list[tuple[str, str]], limit: int | None = None) -> dict:
    """Caught share per way, clean flagged share and speed of a baseline (on the first `limit` documents of each)."""
    out: dict = {"ways": {}}
    nbytes, cpu = 0, 0.0
    for way, docs in planted.items():
        docs = docs[:limit]
        c0 = time.process_time()
        caught = sum(base.flagged(d) for d, *_ in docs)
        cpu += time.process_time() - c0
        nbytes += sum(len(d.encode("utf-8")) for d, *_ in docs)
        out["ways"][way] = {"documents": len(docs), "caught": round(caught / len(docs), 4)}
    sample = clean[:limit] if limit else clean
    c0 = time.process_time()
    flagged = sum(base.flagged(t) for _, t in sample)
    cpu += time.process_time() - c0
    nbytes += sum(len(t.encode("utf-8")) for _, t in sample)
    out["clean"] = {"documents": len(sample), "flagged": flagged, "flagged_share": round(flagged / len(sample), 5)}
    out["speed_mb_per_cpu_s"] = round(nbytes / 1e6 / max(cpu, 1e-9), 3)
    return out


def _index_texts(items: list[dict]) -> list[tuple[str, str, str]]:
    """The benchmark items plus enough padding that INDEX_ITEMS of them are long enough to be indexed."""
    texts = [(it["benchmark"], it["item"], it["text"]) for it in items]
    indexable = sum(1 for it in items if tokens(it["text"]).hashes.size >= MIN_ITEM_TOKENS)
    return texts + padding(max(0, INDEX_ITEMS - indexable))


def sweep(items: list[dict]) -> dict:
    """n x threshold x min_tokens on dev rows: the measurement behind the defaults."""
    texts = _index_texts(items)
    clean = clean_documents("dev")
    planted = planted_sets(items, clean, "dev", PLANTED_PER_WAY // 2)
    rows = []
    by_id = {(b, i): t for b, i, t in texts}
    for n in (8, 13, 20):
        for min_tokens in (12, 16, 20):
            index = BenchmarkIndex.from_texts(texts, n=n, min_tokens=min_tokens)
            for threshold in (0.3, 0.5, 0.8):
                r = score_index(index, planted, clean, threshold, by_id)
                rows.append({"n": n, "min_tokens": min_tokens, "threshold": threshold,
                             "min_caught": min(r["ways"][w]["caught"] for w in WAYS),
                             **{w: v["caught"] for w, v in r["ways"].items()},
                             "clean_flagged": r["clean"]["flagged"], "clean_documents": r["clean"]["documents"],
                             "true_found": len(r["clean"]["true_contamination_found"]),
                             "speed": r["speed_mb_per_cpu_s"]["clean"]})
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return {"split": "dev", "rows": rows}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sweep", action="store_true", help="n x threshold x min_tokens on dev rows")
    ap.add_argument("--per-way", type=int, default=PLANTED_PER_WAY)
    args = ap.parse_args(argv)
    items = benchmark_items()
    if args.sweep:
        summary = sweep(items)
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return summary
    texts = _index_texts(items)
    t0 = time.process_time()
    index = BenchmarkIndex.from_texts(texts, n=DEFAULT_N, min_tokens=MIN_ITEM_TOKENS)
    build_s = time.process_time() - t0
    clean = clean_documents("test")
    planted = planted_sets(items, clean, "test", args.per_way)
    too_short = sum(1 for it in items if tokens(it["text"]).hashes.size < MIN_ITEM_TOKENS)
    summary = {
        "split": "test",
        "index": {"items": len(index), "benchmark_items": len(items), "too_short_not_indexed": too_short,
                  "ngrams": int(index.keys.size), "n": DEFAULT_N, "threshold": DEFAULT_THRESHOLD,
                  "min_tokens": MIN_ITEM_TOKENS, "build_cpu_s": round(build_s, 2)},
        "wenforge": score_index(index, planted, clean, DEFAULT_THRESHOLD, {(b, i): t for b, i, t in texts}),
        "baseline_word13_any": score_baseline(WordNgramBaseline(texts), planted, clean),
        "baseline_folded_substring": score_baseline(SubstringBaseline(texts), planted, clean, BASELINE_DOCS),
        "goals": {"caught": 0.98, "clean_flagged_share": 0.001, "speed_mb_per_cpu_s": 5},
    }
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return summary


if __name__ == "__main__":
    main()
