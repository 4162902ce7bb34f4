"""Labelled training/evaluation text built from `shared/data` (dev rows to train, test rows to report).

Mapping to the taxonomy (L1/L2):
- literary/classical_poetry.jsonl: 唐诗, 诗经 -> literature/classical_poetry; 宋词 -> literature/ci;
  古文 (古文观止) -> literature/classical_prose (traditional characters are converted for features).
- literary/luxun_works.jsonl: 小说, 小说(历史) -> modern_fiction; 散文(回忆), 杂文 -> modern_essay;
  散文诗 -> prose_poetry (tables of contents, 简介 and translator prefaces are skipped; notes removed).
- hallucination/uhgeval_concise.jsonl: newsBeginning + newsRemainder (real Xinhua text) -> news/news_report.
- news/thucnews_titles.jsonl: headlines -> news/news_headline (classifiers only).
- ai_text/hc3_chinese_sample.jsonl: baike, nlpcc_dbqa -> expository/encyclopedia; medicine, law, finance,
  psychology -> qa/expert_answer; open_qa -> qa/community_answer.
- math/cmath_test.jsonl, cn_middle_school_test.jsonl: problems -> expository/exercise.
- official, commercial and how-to texts have no public source here: `seeds.py` writes a small,
  template-built seed set (clearly synthetic), split dev/test by a hash like the shared data.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wenforge.paths import shared_data_dir

POETRY_L2 = {"唐诗": "classical_poetry", "诗经": "classical_poetry", "宋词": "ci", "古文": "classical_prose"}
LUXUN_L2 = {
    "小说": "modern_fiction",
    "小说(历史)": "modern_fiction",
    "散文(回忆)": "modern_essay",
    "杂文": "modern_essay",
    "散文诗": "prose_poetry",
}
HC3_L2 = {
    "baike": ("expository", "encyclopedia"),
    "nlpcc_dbqa": ("expository", "encyclopedia"),
    "medicine": ("qa", "expert_answer"),
    "law": ("qa", "expert_answer"),
    "finance": ("qa", "expert_answer"),
    "psychology": ("qa", "expert_answer"),
    "open_qa": ("qa", "community_answer"),
}


@dataclass
class Item:
    text: str
    l1: str
    l2: str
    source: str  # poetry | luxun | uhgeval | thucnews | hc3_human | hc3_chatgpt | cmath | seed
    split: str
    group: str = ""  # key of the original row (windows of one row share it)

    @property
    def literary(self) -> int:
        return int(self.l1 == "literature")


def _rows(rel: str) -> Iterator[dict]:
    path = shared_data_dir() / rel
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


_NOTE_MARK = re.compile(r"[⑴-⒇]|〔\d+〕|\[\d+\]")
_NOTES_START = re.compile(r"\n\s*(?:□注释|〔1〕|⑴)")


def clean_luxun(text: str) -> str:
    """Strip markdown fences, headers, notes and note markers; join hard-wrapped lines."""
    text = text.replace("```", "")
    m = _NOTES_START.search(text, len(text) // 3)
    if m:
        text = text[: m.start()]
    paras, cur = [], []
    started = False
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" \u3000"))
        if (2 <= indent <= 8 and line.strip()) or (started and not line.strip()):
            started = True
            if cur:
                paras.append("".join(cur))
            cur = [line.strip(" \u3000")] if line.strip() else []
        elif started and line.strip():
            cur.append(line.strip(" \u3000"))
    if cur:
        paras.append("".join(cur))
    text = "\n".join(p for p in paras if p)
    text = re.sub(r"〖[^〗]{0,6}〗", "", text)
    return _NOTE_MARK.sub("", text).strip()


def load_items(split: str | None = None, *, seeds: bool = True) -> list[Item]:
    """Every labelled text of the shared data (optionally one split)."""
    items: list[Item] = []
    for i, r in enumerate(_rows("literary/classical_poetry.jsonl")):
        l2 = POETRY_L2.get(r["genre"])
        if l2:
            items.append(Item(r["text"], "literature", l2, "poetry", r["split"], f"poetry:{i}"))
    for i, r in enumerate(_rows("literary/luxun_works.jsonl")):
        l2 = LUXUN_L2.get(r["genre"])
        if not l2 or any(k in r["title"] for k in ("目录", "简介", "英文译本序")):
            continue
        t = clean_luxun(r["text"])
        if len(t) >= 200:
            items.append(Item(t, "literature", l2, "luxun", r["split"], f"luxun:{i}"))
    for r in _rows("hallucination/uhgeval_concise.jsonl"):
        t = (r["newsBeginning"] + r["newsRemainder"]).strip()
        items.append(Item(re.sub(r"\n\s+", "\n", t), "news", "news_report", "uhgeval", r["split"], r["id"]))
    for i, r in enumerate(_rows("news/thucnews_titles.jsonl")):
        items.append(Item(r["text"], "news", "news_headline", "thucnews", r["split"], f"thuc:{i}"))
    for i, r in enumerate(_rows("ai_text/hc3_chinese_sample.jsonl")):
        l1, l2 = HC3_L2[r["domain"]]
        t = (r.get("text") or "").strip()
        if len(t) >= 20:
            items.append(Item(t, l1, l2, f"hc3_{r['label']}", r["split"], f"hc3:{i}"))
    for rel in ("math/cmath_test.jsonl", "math/cn_middle_school_test.jsonl"):
        for i, r in enumerate(_rows(rel)):
            items.append(Item(r["question"], "expository", "exercise", "cmath", r["split"], f"{rel}:{i}"))
    if seeds:
        from wenforge.style.seeds import seed_items

        items.extend(seed_items())
    if split:
        items = [x for x in items if x.split == split]
    return items


_SENT_END = re.compile(r"[。！？!?；;\n]")


def cut_windows(text: str, size: int, *, max_windows: int = 0) -> list[str]:
    """Consecutive windows of about `size` characters, cut after a sentence end when one is near."""
    out, pos, n = [], 0, len(text)
    while pos < n:
        end = min(n, pos + size)
        if end < n:
            m = None
            for m in _SENT_END.finditer(text, pos + int(size * 0.7), min(n, pos + int(size * 1.3))):
                if m.end() >= end:
                    break
            if m:
                end = m.end()
        chunk = text[pos:end].strip()
        if len(chunk) >= size * 0.5 or (not out and chunk):
            out.append(chunk)
        pos = end
        if max_windows and len(out) >= max_windows:
            break
    return out


def windows(items: list[Item], size: int = 500, *, per_group: int = 3, seed: int = 0) -> list[Item]:
    """Windows of about `size` characters: long texts are cut (at most `per_group` windows each, spread
    over the text), short ones of the same source and label are joined with newlines until long enough."""
    rng = random.Random(seed)
    out: list[Item] = []
    buckets: dict[tuple, list[Item]] = {}
    for it in items:
        if len(it.text) >= size * 0.8:
            ws = cut_windows(it.text, size)
            if len(ws) > per_group:
                ws = [ws[i] for i in sorted(rng.sample(range(len(ws)), per_group))]
            out.extend(Item(w, it.l1, it.l2, it.source, it.split, it.group) for w in ws)
        else:
            buckets.setdefault((it.source, it.l2, it.split), []).append(it)
    for (source, l2, split), its in buckets.items():
        buf: list[str] = []
        groups: list[str] = []
        for it in its:
            buf.append(it.text.strip())
            groups.append(it.group)
            if sum(len(b) for b in buf) >= size * 0.8:
                out.append(Item("\n".join(buf)[: int(size * 1.3)], its[0].l1, l2, source, split, groups[0]))
                buf, groups = [], []
    return out


def load_jsonl_texts(path: str | Path) -> list[str]:
    """Texts of a JSONL file (field `text`), for profiles and quick experiments."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line)["text"])
    return out
