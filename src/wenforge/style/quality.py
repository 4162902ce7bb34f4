"""Writing quality: an interpretable pairwise-ranking model over named features of a response (and of its
prompt, when given), fitted to expert 0-3 scores of modern LLM creative writing.

    from wenforge.style.quality import quality
    quality("……", prompt="写一篇不少于800字的议论文……")  # {"score": 0.63, "explain": [["prompt_coverage", 0.41], ...]}

The score is a logistic of a weighted sum of standardised features (weights and statistics in
`assets/quality.json`, fitted by `train_quality` on within-prompt pairs of dev responses). Every feature is
a small function of the prepared `Doc` (words, sentences, lines) or of the prompt: cohesion between
adjacent sentences and paragraphs, specificity (numbers, names, dialogue), variety (repeated openings and
n-grams), structure (paragraphs, headings, lists), prompt adherence (content-word coverage, requested
length and form, quoted elements), and penalties for meta-talk, template closers and truncation.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from wenforge.style.devices import DeviceResult
from wenforge.style.doc import CJK_RE, Doc
from wenforge.text.chars import canonical_surface
from wenforge.text.segment import dictionary_frequencies
from wenforge.text.wordspans import jieba_dict_words, word_spans

ASSET_PATH = Path(__file__).with_name("assets") / "quality.json"

# --- lexical resources (written for this module) -------------------------------------------------------

# words that carry no topic in a prompt: instructions about the task rather than its content
_INSTRUCTION_WORDS = frozenset(
    ["请", "帮", "帮我", "写", "写一篇", "一篇", "一首", "一段", "一封", "一个", "一份", "一些", "要求", "需要", "字数", "不少于", "不超过", "左右", "大约", "以内", "以上", "可以", "适当", "内容", "风格", "语言", "描写", "体现", "展现", "突出", "包括", "通过", "进行", "注意", "以及", "整体", "文章", "全文", "篇幅", "形式", "角度", "方面", "要", "能", "让", "使", "用", "我们", "你", "我", "他", "她", "它", "这", "那", "这个", "那个", "一种", "什么", "如何", "怎样", "为", "与", "和", "及", "并且", "或者", "同时", "其中", "已经", "还有", "等", "的", "了", "在", "是", "尽量", "务必", "必须", "应该", "应当", "希望", "最好", "生动", "形象", "具体", "详细", "清晰", "简洁", "合理", "主题", "结尾", "开头", "结构", "表达", "创作", "撰写", "主要", "核心", "保持", "符合", "控制", "字", "字左右", "左右的", "这篇", "本文", "给出", "呈现", "强调", "增强", "加入", "融入", "运用", "使用", "一定", "相关", "某", "每"]
)
# openers and closers that talk about the answer instead of being it (chat-assistant framing)
_META_RE = re.compile(
    r"^(?:好的|当然|没问题|以下是|下面是|这是一[篇首段封份])|"
    r"(?:希望(?:这篇|这首|这份|这段|以上|我的|这些)[^。！\n]{0,20}(?:帮助|喜欢|满意|需要|要求))|"
    r"(?:如(?:果|需)[^。\n]{0,16}(?:调整|修改|补充|告诉我|随时))|(?:字数[:：]?\s*约?\d+)|(?:（?全文(?:约|共)?\d+字）?)",
    re.MULTILINE,
)
# stock template phrases of current LLM prose (each a regex over canonical text)
_TEMPLATE_RE = re.compile(
    r"不是[^，。！？\n]{1,12}[，,]?而是|在这个[^，。\n]{1,10}的时代|让我们|总而言之|综上所述|值得一提的是|"
    r"不仅仅是|更是一种|每一个[^，。\n]{0,6}都|仿佛在诉说|见证了|交织|编织|褶皱|涟漪|低语|回响|宛如|"
    r"这一刻|那一刻|或许，|也许，"
)
# abstract nouns that fill without showing (a short list; concreteness is its complement)
_ABSTRACT_WORDS = frozenset(
    ["意义", "价值", "精神", "灵魂", "力量", "希望", "梦想", "未来", "命运", "人生", "生命", "世界", "时代", "永恒", "真谛", "本质", "信念", "信仰", "理想", "情怀", "境界", "智慧", "勇气", "温暖", "美好", "成长", "传承", "责任", "使命", "初心", "奇迹", "光芒", "心灵", "岁月", "时光", "情感", "思考", "真相", "宿命", "救赎", "自由"]
)
# requested forms in a prompt, each with a regex its response's text should show
_FORMS: dict[str, tuple[re.Pattern, re.Pattern]] = {
    "letter": (re.compile(r"[一封]信|求职信|致歉信|感谢信|公开信|致谢信"), re.compile(r"^[^\n]{1,20}[:：]\s*$|此致|敬礼|您好|亲爱的|落款|谨上|敬上", re.MULTILINE)),
    "speech": (re.compile(r"演讲稿|发言稿|致辞|辩论稿"), re.compile(r"各位|大家|同学们|朋友们|谢谢|感谢")),
    "poem": (re.compile(r"诗歌|一首诗|现代诗|诗$|写诗|作诗"), re.compile(r"^[^\n，。]{2,24}[，。！？]?$", re.MULTILINE)),
    "script": (re.compile(r"剧本|脚本|短剧|台词"), re.compile(r"^[^\n：:]{1,8}[:：]|场景|镜头|旁白|（[^）]{1,20}）", re.MULTILINE)),
    "list": (re.compile(r"\d+\s*[条个句]|几条|列出|清单|标语|宣传语|口号"), re.compile(r"^\s*(?:\d+[.、．)]|[-*•]|[一二三四五六七八九十]+[、.])", re.MULTILINE)),
}
_LEN_MIN_RE = re.compile(r"(?:不少于|不低于|至少|超过|不得少于|不能少于|不可以少于)\s*(\d{2,5})\s*字")
_LEN_MAX_RE = re.compile(r"(?:不超过|不多于|控制在|(?<!不)少于)\s*(\d{2,5})\s*字|(\d{2,5})\s*字以内")
_LEN_ABOUT_RE = re.compile(r"(\d{2,5})\s*(?:[-~～到至]\s*(\d{2,5}))?\s*字(?:左右)?")
_PER_ITEM_RE = re.compile(r"每[一]?[条句个段章节首]")  # a length per item, not for the whole text
_QUOTED_RE = re.compile(r"[“「『《\"]([^”」』》\"\n]{2,16})[”」』》\"]")
_TERMINAL = set("。！？!?…”’」』）)》~～—.")
_HEADING_RE = re.compile(r"^\s*(?:#{1,6}\s|第[一二三四五六七八九十百\d]+[章节回幕场部分]|[一二三四五六七八九十]+[、.．]|\*\*[^*]{1,30}\*\*\s*$)")
_BULLET_RE = re.compile(r"^\s*(?:[-*•·]\s|\d+[.、．)]\s*)")
_MARKDOWN_RE = re.compile(r"\*\*|__|^#{1,6}\s|^>\s|^---+$|^\|", re.MULTILINE)
_DIGIT_RUN_RE = re.compile(r"\d+(?:\.\d+)?")
_DIALOGUE_RE = re.compile(r"“[^”\n]{1,200}”|「[^」\n]{1,200}」")
_EMOJI_RE = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]")
# closing lines that moralise or sum up instead of ending the piece
_CLOSER_RE = re.compile(r"总之|总而言之|综上|这就是|让我们|终将|永远不会|这告诉我们|告诉我们|我明白了|我终于明白|才是真正的|意义所在|启示")
_TITLE_RE = re.compile(r"^\s*(?:#{1,6}\s*\S|《[^》]{1,30}》\s*$|\*\*[^*]{1,30}\*\*\s*$|[^。，！？,.!?]{1,24}$)")

TAIL_CHARS = 12  # a response whose last character is not terminal punctuation is truncated (within the tail)
SHORT_CHARS = 600  # below this length a response is short for almost any creative-writing prompt
SHORT_PARAGRAPH = 30  # characters: a paragraph this short is a one-liner (slop layout when most are)
COHESION_MIN_WORDS = 2  # content words a sentence needs to count in the adjacent-overlap mean


# --- features ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _names_lexicon() -> frozenset[str]:
    """Person, place, organisation and other proper names in jieba's dictionary (tags nr, ns, nt, nz, nrt)."""
    return jieba_dict_words(("nr", "ns", "nt", "nz", "nrt", "nrfg"), 2)


def _content_words(doc: Doc) -> list[tuple[str, int]]:
    """(word, start) of the Han words of two or more characters that are not instruction/function words."""
    return [(w, s) for w, s, _e in doc.words if len(w) >= 2 and CJK_RE.match(w) and w not in _INSTRUCTION_WORDS]


def _overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller set's words found in the other (lexical cohesion of two units)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _units(words: list[tuple[str, int]], segs: list) -> list[set[str]]:
    """Content-word sets of each segment (sentences or lines), words assigned by their start offset."""
    starts = [s.start for s in segs]
    out: list[set[str]] = [set() for _ in segs]
    for w, s in words:
        i = bisect.bisect_right(starts, s) - 1
        if i >= 0:
            out[i].add(w)
    return out


def cohesion_features(doc: Doc, words: list[tuple[str, int]]) -> dict[str, float]:
    """Lexical cohesion: content-word overlap between adjacent sentences and adjacent paragraphs (with the
    previous two sentences, so a pronoun-bridged sentence still links), and to the text's top words."""
    sents = [u for u in _units(words, doc.sentences) if len(u) >= COHESION_MIN_WORDS]
    adj = [_overlap(a, b | c) for a, b, c in zip(sents[2:], sents[1:-1], sents[:-2], strict=False)]
    paras = [u for u in _units(words, doc.lines) if u]
    padj = [_overlap(a, b) for a, b in zip(paras[1:], paras[:-1], strict=False)]
    top = {w for w, _ in Counter(w for w, _ in words).most_common(10)}
    focus = sum(1 for u in sents if u & top) / max(len(sents), 1)
    return {
        "cohesion_sentence": float(np.mean(adj)) if adj else 0.0,
        "cohesion_paragraph": float(np.mean(padj)) if padj else 0.0,
        "topic_focus": focus,
    }


def specificity_features(doc: Doc, words: list[tuple[str, int]]) -> dict[str, float]:
    """Concrete detail per 100 characters: numbers, proper names, quoted speech; abstract-noun share."""
    names = _names_lexicon()
    n_names = sum(1 for w, _ in words if w in names)
    n_abstract = sum(1 for w, _ in words if w in _ABSTRACT_WORDS)
    p = doc.per100
    dialogue = sum(len(m) for m in _DIALOGUE_RE.findall(doc.text))
    return {
        "dialogue_share": dialogue / max(doc.n_chars, 1),
        "number_density": len(_DIGIT_RUN_RE.findall(doc.text)) / p,
        "name_density": n_names / p,
        "name_variety": len({w for w, _ in words if w in names}) / p,
        "abstract_share": n_abstract / max(len(words), 1),
        "content_word_share": len(words) / max(len(doc.words), 1),
    }


def variety_features(doc: Doc) -> dict[str, float]:
    """Repetition: sentences that open like an earlier one, repeated sentences, repeated character 6-grams."""
    sents = [s.text for s in doc.sentences if len(s.text) >= 4]
    opens = Counter(s[:2] for s in sents)
    rep_open = sum(c - 1 for c in opens.values() if c > 1) / max(len(sents), 1)
    dup = sum(c - 1 for c in Counter(sents).values() if c > 1) / max(len(sents), 1)
    han = "".join(CJK_RE.findall(doc.text))
    grams = Counter(han[i : i + 6] for i in range(0, max(len(han) - 5, 0), 3))
    rep6 = sum(c - 1 for c in grams.values() if c > 1) / max(sum(grams.values()), 1)
    return {"repeated_openings": rep_open, "repeated_sentences": dup, "repeated_6grams": rep6}


def structure_features(doc: Doc) -> dict[str, float]:
    """Layout: paragraphs per 1,000 characters, headings, list items, markdown marks, truncation, meta-talk."""
    lines = [x.text for x in doc.lines]
    n = max(len(lines), 1)
    tail = doc.text.rstrip()[-TAIL_CHARS:]
    truncated = bool(tail) and tail[-1] not in _TERMINAL and not tail[-1].isdigit() and CJK_RE.match(tail[-1]) is not None
    head, last = doc.text[:80], doc.text[-160:]
    meta = len(_META_RE.findall(head)) + len(_META_RE.findall(last)) + doc.text.count("<think>") + doc.text.count("</think>")
    body = [x for x in lines if not _HEADING_RE.match(x)]
    return {
        "log_chars": math.log1p(doc.n_chars),
        "short_text": max(0.0, math.log(SHORT_CHARS / max(doc.n_chars, 1))),
        "title_line": float(bool(lines) and _TITLE_RE.match(lines[0]) is not None),
        "short_paragraph_share": sum(1 for x in body if len(x) < SHORT_PARAGRAPH) / max(len(body), 1),
        "emoji_density": len(_EMOJI_RE.findall(doc.text)) / doc.per100,
        "moral_closer": float(bool(lines) and _CLOSER_RE.search(lines[-1]) is not None),
        "paragraphs_per_1k": 1000.0 * len(lines) / max(doc.n_chars, 1),
        "heading_share": sum(1 for x in lines if _HEADING_RE.match(x)) / n,
        "list_share": sum(1 for x in lines if _BULLET_RE.match(x)) / n,
        "markdown_density": len(_MARKDOWN_RE.findall(doc.text)) / doc.per100,
        "truncated": float(truncated),
        "meta_talk": float(meta),
        "template_density": len(_TEMPLATE_RE.findall(doc.text)) / doc.per100,
    }


@dataclass(frozen=True)
class PromptSpec:
    """What a prompt asks for: its content words (with rarity weights), length bounds, form, quoted items."""

    words: tuple[tuple[str, float], ...] = ()
    min_chars: int = 0
    max_chars: int = 0
    form: str = ""
    quoted: tuple[str, ...] = ()


@lru_cache(maxsize=1024)
def parse_prompt(prompt: str) -> PromptSpec:
    """Read a prompt's requirements: rarity-weighted content words, requested length (字), form, quoted items."""
    text = canonical_surface(prompt)
    freq, log_total = dictionary_frequencies()
    seen: dict[str, float] = {}
    for w, _s, _e in word_spans(text, hmm=False):
        if len(w) >= 2 and CJK_RE.match(w) and w not in _INSTRUCTION_WORDS and w not in seen:
            seen[w] = max(log_total - math.log(freq.get(w, 0) + 1), 1.0)  # rarer words weigh more
    lo = hi = 0
    if not _PER_ITEM_RE.search(text):
        if m := _LEN_MIN_RE.search(text):
            lo = int(m.group(1))
        if m := _LEN_MAX_RE.search(text):
            hi = int(m.group(1) or m.group(2))
        if not lo and not hi and (m := _LEN_ABOUT_RE.search(text)):
            a = int(m.group(1))
            b = int(m.group(2)) if m.group(2) else a
            lo, hi = int(min(a, b) * 0.8), int(max(a, b) * 1.25)  # "about N" tolerates a fifth either way
    form = next((k for k, (ask, _show) in _FORMS.items() if ask.search(text)), "")
    quoted = tuple(dict.fromkeys(q.strip() for q in _QUOTED_RE.findall(text) if CJK_RE.search(q)))
    return PromptSpec(tuple(seen.items()), lo, hi, form, quoted)


def prompt_features(doc: Doc, prompt: str | None) -> dict[str, float]:
    """Adherence: weighted coverage of the prompt's content words, quoted items present, length outside the
    requested bounds (log ratio), requested form shown. All zero without a prompt."""
    out = {"prompt_coverage": 0.0, "prompt_quoted": 0.0, "length_short": 0.0, "length_long": 0.0, "form_shown": 0.0}
    if not prompt:
        return out
    spec = parse_prompt(prompt)
    t = doc.text
    if spec.words:
        tot = sum(wt for _w, wt in spec.words)
        out["prompt_coverage"] = sum(wt for w, wt in spec.words if w in t) / tot
    if spec.quoted:
        out["prompt_quoted"] = sum(1 for q in spec.quoted if q in t) / len(spec.quoted)
    n = max(doc.n_cjk, 1)
    if spec.min_chars:
        out["length_short"] = max(0.0, math.log(spec.min_chars / n))
    if spec.max_chars:
        out["length_long"] = max(0.0, math.log(n / spec.max_chars))
    if spec.form:
        show = _FORMS[spec.form][1]
        out["form_shown"] = min(len(show.findall(t)), 3) / 3.0
    return out


def quality_features(features: dict[str, float], doc: Doc, prompt: str | None = None) -> dict[str, float]:
    """Every named quality feature: the module's own plus the style-vector features the model reads."""
    words = _content_words(doc)
    out: dict[str, float] = {}
    out.update(cohesion_features(doc, words))
    out.update(specificity_features(doc, words))
    out.update(variety_features(doc))
    out.update(structure_features(doc))
    out.update(prompt_features(doc, prompt))
    for k in STYLE_INPUTS:
        out[k] = float(features.get(k, 0.0))
    return out


# style-vector features the quality model reads (their names are the style vector's)
STYLE_INPUTS = (
    "sent_len_mean", "sent_len_cv", "clause_len_mean", "mattr_word", "mattr_char", "idiom_density",
    "fourchar_share", "sensory_density", "emotion_density", "punct_quote", "punct_exclaim", "punct_question",
    "punct_ellipsis", "punct_dash", "latin_ratio", "digit_ratio", "first_person_density", "colloquial_ratio",
    "dev_metaphor", "dev_parallelism", "dev_personification", "dev_tech_lyrical", "le_density", "de_density",
)


# --- model ------------------------------------------------------------------------------------------------


@dataclass
class Quality:
    score: float  # 0-1: estimated probability that an expert rates the response 2 or 3 on the 0-3 scale
    explain: list[tuple[str, float]] = field(default_factory=list)  # (feature, signed contribution), largest first
    features: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class QualityModel:
    names: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    weights: np.ndarray  # weights on the z-scored features
    calibration: tuple[float, float]  # (a, b): score = logistic(a * linear + b)

    def contributions(self, qf: dict[str, float]) -> np.ndarray:
        """Each feature's signed contribution to the linear score (weight x z-score of its transformed value)."""
        x = np.array([transform(qf.get(n, 0.0)) for n in self.names])
        return self.weights * (x - self.mean) / self.std


def transform(v: float) -> float:
    """Signed log (as the style vector compresses its heavy-tailed densities and lengths)."""
    return math.copysign(math.log1p(abs(v)), v)


@lru_cache(maxsize=4)
def load_quality_model(path: Path = ASSET_PATH) -> QualityModel:
    """The fitted model from its json asset."""
    d = json.loads(Path(path).read_text(encoding="utf-8"))
    return QualityModel(
        tuple(d["names"]), np.array(d["mean"]), np.array(d["std"]), np.array(d["weights"]),
        (float(d["calibration"][0]), float(d["calibration"][1])),
    )


EXPLAIN_TOP = 5  # features named in `explain`


def quality_of(
    features: dict[str, float], devices: dict[str, DeviceResult], doc: Doc, prompt: str | None = None, *, model_path: Path = ASSET_PATH
) -> Quality:
    """Quality of one response from its style vector output (features, devices, doc) and optional prompt."""
    del devices  # the device densities the model reads are already in `features`
    qf = quality_features(features, doc, prompt)
    m = load_quality_model(model_path)
    c = m.contributions(qf)
    a, b = m.calibration
    z = a * float(c.sum()) + b
    order = np.argsort(-np.abs(c))[:EXPLAIN_TOP]
    explain = [(m.names[i], round(float(c[i]), 4)) for i in order]
    return Quality(round(1.0 / (1.0 + math.exp(-z)), 6), explain, qf)


def quality(text: str, prompt: str | None = None) -> dict:
    """Quality of a text as a dict: score 0-1 and the features that moved it most."""
    from wenforge.style.vector import compute

    q = quality_of(*compute(text), prompt=prompt)
    return {"score": q.score, "explain": [list(e) for e in q.explain]}


# --- training ---------------------------------------------------------------------------------------------

MIN_GAP = 1  # pairs of responses to one prompt whose expert scores differ by at least this are fitted
LAMBDAS = (1.0, 10.0, 100.0, 1000.0, 10000.0)  # L2 strengths (summed over pairs) tried by cross-validation
CV_FOLDS = 5  # group folds over dev prompts
GOOD_SCORE = 2  # expert score from which a response counts as good (the calibration target)
DATA_FILES = ("modern_llm_writing.jsonl", "modern_llm_writing_scores.jsonl")  # under data_dir/ai_text/


def pairs_of(groups: list[str], scores: np.ndarray, min_gap: int = MIN_GAP) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) for every pair of rows of one group whose scores differ by >= min_gap, i the better."""
    by: dict[str, list[int]] = {}
    for k, g in enumerate(groups):
        by.setdefault(g, []).append(k)
    ii, jj = [], []
    for idx in by.values():
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                i, j = idx[a], idx[b]
                d = scores[i] - scores[j]
                if abs(d) >= min_gap:
                    ii.append(i if d > 0 else j)
                    jj.append(j if d > 0 else i)
    return np.array(ii, dtype=int), np.array(jj, dtype=int)


def fit_pairwise(x: np.ndarray, i: np.ndarray, j: np.ndarray, lam: float | np.ndarray, iters: int = 30) -> np.ndarray:
    """L2-regularised logistic regression on feature differences x[i] - x[j] (the better minus the worse),
    no intercept, by Newton's method: the weights of a Bradley-Terry ranking model. `lam` may give one
    strength per coefficient."""
    d = x[i] - x[j]
    w = np.zeros(x.shape[1])
    n = max(len(d), 1)
    pen = np.broadcast_to(np.asarray(lam, dtype=float), (x.shape[1],))
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(d @ w, -30, 30)))
        grad = -(d.T @ (1.0 - p)) / n + pen * w / n
        hess = (d.T * (p * (1.0 - p))) @ d / n + np.diag(pen) / n
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


# the sign a feature's shared weight must have (the rubric's direction); a fit that contradicts it drops the
# feature and refits, so every named penalty lowers the score and every adherence feature raises it
SIGNS: dict[str, int] = {
    "cohesion_sentence": 1, "cohesion_paragraph": 1, "topic_focus": 1, "prompt_coverage": 1, "prompt_quoted": 1,
    "form_shown": 1, "repeated_openings": -1, "repeated_sentences": -1, "repeated_6grams": -1, "truncated": -1,
    "meta_talk": -1, "template_density": -1, "moral_closer": -1, "length_short": -1, "length_long": -1,
    "short_text": -1, "abstract_share": -1,
}


def fit_signed(x: np.ndarray, i: np.ndarray, j: np.ndarray, lam: float, names: list[str]) -> np.ndarray:
    """`fit_pairwise` with the SIGNS constraints: contradicting features are removed (weight 0) one at a time,
    worst first, until none contradicts."""
    keep = np.ones(x.shape[1], dtype=bool)
    pen = np.full(x.shape[1], lam)
    while True:
        w = np.zeros(x.shape[1])
        w[keep] = fit_pairwise(x[:, keep], i, j, pen[keep])
        bad = [(w[c] * SIGNS[n], c) for c, n in enumerate(names) if keep[c] and w[c] * SIGNS.get(n, 0) < 0]
        if not bad:
            return w
        keep[min(bad)[1]] = False


def pairwise_accuracy(pred: np.ndarray, i: np.ndarray, j: np.ndarray) -> float:
    """Share of pairs ordered right (ties count half)."""
    if len(i) == 0:
        return float("nan")
    d = pred[i] - pred[j]
    return float(((d > 0) + 0.5 * (d == 0)).mean())


def mean_spearman(groups: list[str], scores: np.ndarray, pred: np.ndarray) -> float:
    """Mean over groups of the Spearman correlation between prediction and score (constant groups skipped)."""
    by: dict[str, list[int]] = {}
    for k, g in enumerate(groups):
        by.setdefault(g, []).append(k)
    rs = []
    for idx in by.values():
        s, p = _ranks(scores[idx]), _ranks(pred[idx])
        if s.std() > 0 and p.std() > 0:
            rs.append(float(np.corrcoef(s, p)[0, 1]))
    return float(np.mean(rs)) if rs else float("nan")


def _ranks(v: np.ndarray) -> np.ndarray:
    """Average ranks (ties share their mean rank)."""
    order = np.argsort(v, kind="stable")
    r = np.empty(len(v))
    r[order] = np.arange(len(v), dtype=float)
    for val in np.unique(v):
        m = v == val
        r[m] = r[m].mean()
    return r


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column means and standard deviations (1 where a column is constant)."""
    mu, sd = x.mean(0), x.std(0)
    return mu, np.where(sd > 1e-9, sd, 1.0)


def cross_validate(
    x: np.ndarray, groups: list[str], scores: np.ndarray, names: list[str], folds: int = CV_FOLDS
) -> dict[float, float]:
    """Pairwise accuracy (gap >= MIN_GAP) of each L2 strength, by group folds over prompts."""
    fold_of = {g: k % folds for k, g in enumerate(sorted(set(groups)))}
    fold = np.array([fold_of[g] for g in groups])
    i, j = pairs_of(groups, scores)
    zs = []
    for f in range(folds):
        mu, sd = _standardise(x[fold != f])
        zs.append((x - mu) / sd)
    out = {}
    for lam in LAMBDAS:
        right = total = 0.0
        for f in range(folds):
            tr = fold[i] != f
            w = fit_signed(zs[f], i[tr], j[tr], lam, names)
            right += pairwise_accuracy(zs[f] @ w, i[~tr], j[~tr]) * (~tr).sum()
            total += (~tr).sum()
        out[lam] = right / max(total, 1)
    return out


def fit_calibration(lin: np.ndarray, good: np.ndarray, iters: int = 50) -> tuple[float, float]:
    """(a, b) of a one-feature logistic regression of `good` on the linear score (Newton, tiny ridge)."""
    x = np.c_[lin, np.ones_like(lin)]
    w = np.zeros(2)
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        h = (x.T * (p * (1 - p))) @ x + 1e-6 * np.eye(2)
        step = np.linalg.solve(h, x.T @ (p - good))
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return float(w[0]), float(w[1])


def load_rows(data_dir: Path) -> list[dict]:
    """Responses joined with their expert scores by id (fields of both; `score` is the expert's 0-3)."""
    from wenforge.core.rows import read_jsonl

    texts, scores = (Path(data_dir) / "ai_text" / f for f in DATA_FILES)
    by_id = {ln.row["id"]: ln.row for ln in read_jsonl(scores) if ln.row}
    return [{**ln.row, "score": by_id[ln.row["id"]]["score"], "annotator": by_id[ln.row["id"]].get("annotator")}
            for ln in read_jsonl(texts) if ln.row and ln.row["id"] in by_id]


def feature_rows(rows: list[dict]) -> list[dict[str, float]]:
    """The quality features of every row (style vector computed on its text, prompt read)."""
    from wenforge.style.vector import compute

    out = []
    for r in rows:
        feats, _devices, doc = compute(r["text"])
        out.append(quality_features(feats, doc, r.get("prompt")))
    return out


def matrix(qfs: list[dict[str, float]], names: list[str]) -> np.ndarray:
    """Transformed features in `names` order, one row per response."""
    return np.array([[transform(q.get(n, 0.0)) for n in names] for q in qfs], dtype=float)


def train_quality(data_dir: Path, out: Path, *, qfs: list[dict[str, float]] | None = None) -> dict:
    """Fit the quality model on dev rows of `data_dir`/ai_text (pairs within a prompt, gap >= 1), choose the
    L2 strength by group cross-validation over prompts, write the json asset to `out`; returns the fit summary."""
    rows = load_rows(data_dir)
    qfs = qfs if qfs is not None else feature_rows(rows)
    dev = [k for k, r in enumerate(rows) if r.get("split") == "dev"]
    names = list(qfs[0]) if qfs else []
    x = matrix([qfs[k] for k in dev], names)
    groups = [rows[k]["prompt_id"] for k in dev]
    scores = np.array([rows[k]["score"] for k in dev], dtype=float)
    cv = cross_validate(x, groups, scores, names)
    lam = max(cv, key=cv.get)
    mu, sd = _standardise(x)
    z = (x - mu) / sd
    i, j = pairs_of(groups, scores)
    w = fit_signed(z, i, j, lam, names)
    a, b = fit_calibration(z @ w, (scores >= GOOD_SCORE).astype(float))
    asset = {
        "names": names, "mean": mu.round(6).tolist(), "std": sd.round(6).tolist(), "weights": w.round(6).tolist(),
        "calibration": [round(a, 6), round(b, 6)],
        "fit": {"rows": len(dev), "prompts": len(set(groups)), "pairs": len(i), "lambda": lam,
                "cv_pairwise_accuracy": round(float(cv[lam]), 4), "cv": {f"{lm:g}": round(float(v), 4) for lm, v in cv.items()},
                "dropped_by_sign": [n for n, v in zip(names, w, strict=True) if v == 0.0 and n in SIGNS]},
    }
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(asset, ensure_ascii=False, indent=1), encoding="utf-8")
    load_quality_model.cache_clear()
    return asset["fit"]
