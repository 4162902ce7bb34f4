"""Labelled training/evaluation text built from a training data folder (literary/, news/, ai_text/ ...):
dev rows to train, test rows to report. Every loader takes that folder as an argument; nothing here runs when text is scored.

Mapping to the taxonomy (L2; L1 is the L2's parent in taxonomy.yaml):
- literary/classical_poetry.jsonl: 唐诗, 诗经 -> classical_poetry; 宋词 -> ci; 古文 (古文观止) -> classical_prose.
- literary/luxun_works.jsonl: 小说, 小说(历史) -> modern_fiction; 散文(回忆), 杂文 -> modern_essay;
  散文诗 -> prose_poetry (tables of contents, 简介 and translator prefaces are skipped; notes removed).
- literary/modern_pd_prose.jsonl (鲁迅 rows skipped: luxun_works holds them): novel -> modern_fiction;
  essay -> modern_essay, except criticism of one work (蔡元培's 石头记索隐, five of 徐志摩's essays on a poem,
  book or play: `PD_PROSE_CRITICISM`) -> review; the poetry rows of
  人生随感 -> prose_poetry, other poetry rows -> modern_poetry; play rows skipped (no drama label).
- literary/modern_pd_poetry.jsonl: -> modern_poetry.
- academic/csl_abstracts.jsonl: abstract (a third with its title and a 摘要 line above) -> academic.
- expository/cmrc2018_wiki_paragraphs.jsonl: -> encyclopedia.
- hallucination/uhgeval_concise.jsonl: newsBeginning + newsRemainder (real Xinhua text) -> news_report.
- news/thucnews_titles.jsonl: headlines -> news_headline (classifiers only).
- ai_text/hc3_chinese_sample.jsonl (human and ChatGPT): baike, nlpcc_dbqa -> encyclopedia; medicine, law,
  finance, psychology -> expert_answer; open_qa -> community_answer.
- ai_text/ruozhiba_qa.jsonl: question + human answer, as a 贴吧 thread -> forum_post; Kimi and Step answers
  -> community_answer (model answers are answers, not posts).
- ai_text/modern_llm_writing.jsonl (2025 models, markdown stripped), by genre tag: `LLM_L2` below
  (书评-影评-乐评, 产品评测 -> review; 学术论文摘要, 实验报告 -> academic; 诗歌 -> modern_poetry; 玄幻/仙侠/武侠/
  游戏/古装小说 -> web_fiction; other stories -> modern_fiction; 散文, 旅行游记 -> modern_essay; 议论文, 演讲稿,
  辩论稿, 公开信 -> opinion; 博客文章, 社交媒体创作 -> forum_post; 科普文章 -> encyclopedia; 教程指南,
  产品说明书 -> how_to; 广告文案, 宣传语 -> advertisement; 会议纪要 -> government; the rest unused). Model text is
  capped per label (`LLM_SHARE_MAX`) where a human source exists, so that no label means "machine-written".
- math/cmath_test.jsonl, cn_middle_school_test.jsonl: problems -> exercise.
- legal, government, advertisement, how_to, review, forum_post and student_composition also get a small
  template-built seed set (`seeds.py`, clearly synthetic), split dev/test by a hash like the data rows.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

from wenforge.core.paths import data_folder
from wenforge.core.rows import data_rows
from wenforge.style.items import Item
from wenforge.style.seeds import seed_items

POETRY_L2 = {"唐诗": "classical_poetry", "诗经": "classical_poetry", "宋词": "ci", "古文": "classical_prose"}
LUXUN_L2 = {
    "小说": "modern_fiction",
    "小说(历史)": "modern_fiction",
    "散文(回忆)": "modern_essay",
    "杂文": "modern_essay",
    "散文诗": "prose_poetry",
}
HC3_L2 = {
    "baike": "encyclopedia",
    "nlpcc_dbqa": "encyclopedia",
    "medicine": "expert_answer",
    "law": "expert_answer",
    "finance": "expert_answer",
    "psychology": "expert_answer",
    "open_qa": "community_answer",
}
PD_PROSE_L2 = {"novel": "modern_fiction", "essay": "modern_essay", "poetry": "modern_poetry"}
PD_PROSE_SKIP_AUTHORS = {"鲁迅"}  # the same texts are in luxun_works.jsonl (with their own split)
# (work, genre) whose genre field is too coarse: criticism of a novel; the prose poems among 徐志摩's essays
PD_PROSE_WORK_L2 = {("石头记索隐", "essay"): "review", ("人生随感", "poetry"): "prose_poetry"}
# 徐志摩's essays that read one book, poem or play closely: criticism, the human side of `review`
PD_PROSE_CRITICISM = {"济慈的夜莺歌", "波特莱的散文诗", "丹农雪乌", "白郎宁夫人的情诗", "一个行乞的诗人"}
LLM_L2 = {
    "书评-影评-乐评": "review", "产品评测": "review",
    "学术论文摘要": "academic", "实验报告": "academic",
    "诗歌": "modern_poetry",
    "玄幻小说": "web_fiction", "仙侠小说": "web_fiction", "武侠小说": "web_fiction", "游戏小说": "web_fiction",
    "古装小说": "web_fiction",
    "小说-故事": "modern_fiction", "悬疑-推理故事": "modern_fiction", "科幻故事": "modern_fiction",
    "情感故事": "modern_fiction", "日常故事": "modern_fiction", "历史故事": "modern_fiction",
    "童话-寓言": "modern_fiction", "体育小说": "modern_fiction", "军事小说": "modern_fiction",
    "散文": "modern_essay", "旅行游记": "modern_essay",
    "议论文": "opinion", "演讲稿": "opinion", "辩论稿": "opinion", "公开信": "opinion",
    "博客文章": "forum_post", "社交媒体创作": "forum_post",
    "科普文章": "encyclopedia", "教程指南": "how_to", "产品说明书": "how_to",
    "广告文案-营销邮件": "advertisement", "宣传语-标语": "advertisement", "会议纪要": "government",
}
LLM_SHARE_MAX = 0.4  # at most this share of a label's windows is model-written where people wrote the rest




def _rows(data_dir: Path, rel: str) -> Iterator[dict]:
    return data_rows(data_dir / rel)


_MD_HEAD = re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE)
_MD_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$\n?", re.MULTILINE)
_MD_BULLET = re.compile(r"^(\s*)[-*+]\s+", re.MULTILINE)
_MD_EMPH = re.compile(r"\*{1,3}([^*\n]+)\*{1,3}")


def strip_markdown(text: str) -> str:
    """Headings, rules, bullets and bold/italic marks removed: model outputs are markdown, web pages are not."""
    text = _MD_RULE.sub("", text)
    text = _MD_HEAD.sub("", text)
    text = _MD_BULLET.sub(r"\1", text)
    text = _MD_EMPH.sub(r"\1", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


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


def _l1_of(l2: str) -> str:
    from wenforge.style.taxonomy import load_taxonomy

    return load_taxonomy().parent(l2)


def _classical_and_luxun(d: Path) -> Iterator[tuple[str, str, str, str, str]]:
    for i, r in enumerate(_rows(d, "literary/classical_poetry.jsonl")):
        l2 = POETRY_L2.get(r["genre"])
        if l2:
            yield r["text"], l2, "poetry", r["split"], f"poetry:{i}"
    for i, r in enumerate(_rows(d, "literary/luxun_works.jsonl")):
        l2 = LUXUN_L2.get(r["genre"])
        if not l2 or any(k in r["title"] for k in ("目录", "简介", "英文译本序")):
            continue
        t = clean_luxun(r["text"])
        if len(t) >= 200:
            yield t, l2, "luxun", r["split"], f"luxun:{i}"


def _modern_human(d: Path) -> Iterator[tuple[str, str, str, str, str]]:
    for r in _rows(d, "literary/modern_pd_prose.jsonl"):
        if r["author"] in PD_PROSE_SKIP_AUTHORS or r["genre"] not in PD_PROSE_L2:
            continue
        l2 = PD_PROSE_WORK_L2.get((r["work"], r["genre"]), PD_PROSE_L2[r["genre"]])
        if r["chapter_title"] in PD_PROSE_CRITICISM:
            l2 = "review"
        yield re.sub(r"\n{2,}", "\n", r["text"]).strip(), l2, "pd_prose", r["split"], r["id"]
    for r in _rows(d, "literary/modern_pd_poetry.jsonl"):
        yield r["text"].strip(), "modern_poetry", "pd_poetry", r["split"], r["id"]
    for i, r in enumerate(_rows(d, "academic/csl_abstracts.jsonl")):
        t = r["abstract"].strip()
        if i % 3 == 0:  # as printed on a paper's first page or a journal site
            t = f"{r['title']}\n摘要：{t}"
        yield t, "academic", "csl", r["split"], r["id"]
    for r in _rows(d, "expository/cmrc2018_wiki_paragraphs.jsonl"):
        yield r["text"].strip(), "encyclopedia", "cmrc", r["split"], r["id"]


def _news_qa_math(d: Path) -> Iterator[tuple[str, str, str, str, str]]:
    for r in _rows(d, "hallucination/uhgeval_concise.jsonl"):
        t = (r["newsBeginning"] + r["newsRemainder"]).strip()
        yield re.sub(r"\n\s+", "\n", t), "news_report", "uhgeval", r["split"], r["id"]
    for i, r in enumerate(_rows(d, "news/thucnews_titles.jsonl")):
        yield r["text"], "news_headline", "thucnews", r["split"], f"thuc:{i}"
    for i, r in enumerate(_rows(d, "ai_text/hc3_chinese_sample.jsonl")):
        t = (r.get("text") or "").strip()
        if len(t) >= 20:
            yield t, HC3_L2[r["domain"]], f"hc3_{r['label']}", r["split"], f"hc3:{i}"
    for r in _rows(d, "ai_text/ruozhiba_qa.jsonl"):
        if r.get("human_answer"):
            yield f"{r['question'].strip()}\n{r['human_answer'].strip()}", "forum_post", "ruozhiba_human", r["split"], r["id"]
        for k in ("kimi_answer", "stepfun_answer"):
            if r.get(k):
                yield strip_markdown(r[k]), "community_answer", "ruozhiba_llm", r["split"], f"{r['id']}:{k}"
    for rel in ("math/cmath_test.jsonl", "math/cn_middle_school_test.jsonl"):
        for i, r in enumerate(_rows(d, rel)):
            yield r["question"], "exercise", "cmath", r["split"], f"{rel}:{i}"


def _llm_writing(d: Path) -> Iterator[tuple[str, str, str, str, str]]:
    for r in _rows(d, "ai_text/modern_llm_writing.jsonl"):
        l2 = LLM_L2.get(r["tags"][0]) if r.get("tags") else None
        if l2:
            yield strip_markdown(r["text"]), l2, "llm_writing", r["split"], r["id"]


def load_items(split: str | None = None, *, seeds: bool = True, data_dir: str | Path | None = None) -> list[Item]:
    """Every labelled text of the data folder (`data_folder(data_dir)`: the argument or $WENFORGE_DATA),
    optionally one split."""
    d = data_folder(data_dir)
    items: list[Item] = []
    for gen in (_classical_and_luxun, _modern_human, _news_qa_math, _llm_writing):
        items.extend(Item(t, _l1_of(l2), l2, src, sp, g) for t, l2, src, sp, g in gen(d))
    if seeds:
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


SURFACE_KINDS = ("ascii", "traditional")


def surface_variant(text: str, kind: str, rng: random.Random) -> str:
    """The text as the web also prints it: ASCII punctuation, or traditional characters (training variants)."""
    from wenforge.text.chars import ASCII_FULL_STOP_SHARE, ascii_punctuation, to_traditional

    if kind == "ascii":
        return ascii_punctuation(text, full_stop=rng.random() < ASCII_FULL_STOP_SHARE)
    if kind == "traditional":
        return to_traditional(text)
    raise ValueError(f"unknown surface kind {kind!r}; expected one of {SURFACE_KINDS}")
