"""Topic-independent signals of machine-written Chinese, each with the evidence that fired.

Two blocks feed the AI-likeness model (`detectors.ai`):

* `style_features(doc)`: a dense stylometric vector. Stock templates and slop patterns of 2023-2025 LLMs
  (不是X而是Y, 既…又…, 当X遇见Y, three parallel openings, cosmic-tech vocabulary beside sensory words,
  summary and moralising closers, markdown layout, em-dashes and colons), the human tells whose
  *absence* is machine-like (particles 吧/呢/啊, net slang and dialect, ellipses, doubled marks, digits and
  dates, first-person anecdote), punctuation and function-word rates, sentence and paragraph rhythm.
  Every value is a rate or a ratio (never a raw count), so the length of a text is not itself a signal.
* `masked_tokens(doc)`: jieba words with content words replaced by their dictionary part-of-speech class
  ("不是 v 而是 n"), so the n-gram block sees templates and function-word habits, not topics.

Era markers of Republican-period prose (么, 罢, 底, 之, 其 …) are deliberately left out of both blocks: the
human side of the training data is partly 1920s-40s fiction, and a detector must not learn
"modern wording = machine".
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from wenforge.style.devices import detect_parallelism, detect_tech_lyrical
from wenforge.style.doc import Doc
from wenforge.text.segment import _jieba

_CLAUSE_BODY = r"[^。！？；\n]"  # inside one sentence


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern
    describe: str


def _p(name: str, regex: str, describe: str, flags: int = 0) -> Pattern:
    return Pattern(name, re.compile(regex, flags), describe)


# Templates and stock phrases; each is a feature (matches per 1000 characters) and an evidence span.
PATTERNS: tuple[Pattern, ...] = (
    _p("not_x_but_y", rf"(?:不是|并非|并不是|不再是|绝非|从来不是|不只是){_CLAUSE_BODY}{{1,30}}?(?:而是|而在于|而恰恰是)",
       "不是X而是Y"),
    _p("not_only_but", rf"不仅(?:仅)?(?:是)?{_CLAUSE_BODY}{{1,30}}?(?:更是|更|还|也|而且)", "不仅X更Y"),
    _p("both_and", r"既[^。！？；，\n]{1,15}?[，,]?(?:又|也)", "既…又…"),
    _p("when_x_meets_y", r"当[^。！？；，\n]{1,16}?(?:遇见|遇上|邂逅|相遇|碰撞|交汇|撞上)", "当X遇见Y"),
    _p("era_opener", r"在(?:这个|当今|如今|这样一个|这样的|今天这个)[^。！？；，\n]{0,14}?(?:时代|世界|社会|年代)",
       "在这个…的时代"),
    _p("summary_closer", r"总之|总而言之|综上所述|总的来说|归根结底|由此可见|简而言之|总结来说|一言以蔽之", "总之"),
    _p("moral_closer", r"让我们|愿我们|愿你|愿每一|这或许就是|或许这就是|这就是[^。！？\n]{0,12}意义|终将|值得我们",
       "让我们…"),
    _p("hedge_note", r"值得注意的是|需要注意的是|需要指出的是|值得一提的是|不可否认|毋庸置疑|显而易见|不难发现|可以说", "值得注意的是"),
    _p("enumeration", r"首先|其次|再次|最后[，,]|第[一二三四][，,、]|一方面|另一方面", "首先/其次"),
    _p("cosmic_tech", r"褶皱|维度|星图|量子|涟漪|频率|共振|坐标|光谱|熵|拓扑|算法|数据流|代码|像素|矩阵|引力|光年|星河|宇宙|"
       r"纹理|肌理|回响|刻度|经纬|底色|注脚|切片|镜像|容器|粒子|星尘|银河|黑洞|轨迹|隐喻|叙事", "褶皱/维度/量子"),
    _p("ornate_stock", r"交织|织就|编织|见证|承载|沉淀|诉说|低语|呢喃|流淌|氤氲|斑驳|璀璨|熠熠|深邃|静谧|悄然|缓缓|治愈|"
       r"守护|蜕变|绽放|灵魂|永恒|微光|烟火气|仪式感|共鸣|张力|韧性|密码|浸润|馈赠|赋能|破茧|生生不息|"
       r"娓娓|淬炼|温润|厚重|镌刻|铭刻|勾勒|晕染|凝结|跃动|绵延", "交织/见证/承载"),
    _p("triple_place", r"(?:在[^，。！？；\n]{1,14}[，、]){2,}在", "在…，在…，在…"),
    _p("markdown_heading", r"^\s*#{1,6}\s*\S[^\n]*|^\s*\*\*[^*\n]{1,40}\*\*[：:]?\s*$", "## 标题", re.MULTILINE),
    _p("bold", r"\*\*[^*\n]{1,40}\*\*", "**加粗**"),
    _p("list_item", r"^\s*(?:[-*•·]|\d{1,2}[.、)）]|[（(]\d{1,2}[)）]|[一二三四五六七八九十][、.])\s*\S", "列表", re.MULTILINE),
    _p("separator", r"^\s*(?:-{3,}|\*{3,}|—{3,}|={3,}|_{3,})\s*$", "---", re.MULTILINE),
    _p("em_dash", r"——|—", "破折号"),
    # human tells: their presence pulls the score down, their absence up
    _p("particle", r"[吧呢啊嘛呗呀啦哈哦噢嗯喔咯哎唉哇]", "吧/呢/啊"),
    _p("net_slang", r"哈哈|hhh*|233+|yyds|666|卧槽|我靠|绝绝子|笑死|emm+|awsl|xswl|无语|牛逼|nb|老铁|真香|离谱|破防|"
       r"整挺好|得劲|啥|咋|俺|贼[好多快]|忒|甭|木有|肿么|神马|酱紫|滴说", "哈哈/咋/俺", re.IGNORECASE),
    _p("ellipsis", r"……|\.{3,}|。{2,}|…", "……"),
    _p("doubled_mark", r"[！？!?]{2,}|[，,]{2,}", "！！"),
    _p("digits", r"\d+(?:\.\d+)?", "数字"),
    _p("date", r"\d{2,4}年|\d{1,2}月\d{1,2}[日号]|[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}[日号]|\d{1,2}[:：]\d{2}",
       "日期时间"),
    _p("latin", r"[A-Za-z]+", "Latin"),
    _p("space_in_han", r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "汉字间空格"),
    _p("emoji", r"[\U0001F300-\U0001FAFF\u2600-\u27BF]", "emoji"),
)

# Punctuation rates per 1000 characters; the full-width forms (the text is canonical_surface'd).
PUNCT = {"comma": "，", "period": "。", "enum_comma": "、", "semicolon": "；", "colon": "：", "question": "？",
         "exclaim": "！", "quote": "“", "corner_quote": "「", "book_title": "《", "paren": "（"}

# Function words whose rates differ between people and models in every genre; era markers left out (module doc).
FUNCTION_WORDS = (
    "的", "了", "是", "在", "和", "与", "及", "并", "而", "但", "但是", "却", "就", "也", "都", "又", "还", "更", "很",
    "非常", "十分", "最", "被", "把", "让", "使", "给", "对", "从", "向", "以", "为", "着", "过", "地", "得", "所",
    "这", "那", "这些", "那些", "这种", "一种", "一个", "一些", "每", "我", "我们", "你", "你们", "他", "她", "它",
    "他们", "自己", "人们", "什么", "怎么", "为什么", "如何", "如果", "因为", "所以", "因此", "然而", "虽然", "可是",
    "不过", "于是", "然后", "就是", "只是", "其实", "可能", "可以", "能", "会", "要", "需要", "应该", "没有", "不",
    "没", "已经", "正在", "仍然", "依然", "一直", "总是", "往往", "通常", "一般", "似乎", "仿佛", "如同", "宛如", "犹如",
    "像", "一样", "真正", "更加", "不断", "逐渐", "深深", "静静", "轻轻", "慢慢", "终于", "突然", "刚", "才", "挺",
    "有点", "觉得", "感觉", "反正", "好像",
)
_FW_INDEX = {w: i for i, w in enumerate(FUNCTION_WORDS)}

RATE_SCALE = 1000.0  # rates are per 1000 non-space characters
MIN_CHARS = 50  # floor of the rate denominator, so one hit in a 10-character text is not a huge rate
SHORT_SENTENCE = 8  # characters: a clipped sentence
LONG_SENTENCE = 60  # characters: a run-on sentence
CLOSING_SHARE = 0.2  # the last fifth of a text is where closers sit


def _log_rate(count: float, n: int) -> float:
    return math.log1p(RATE_SCALE * count / max(n, MIN_CHARS))


def _cv(xs: list[int]) -> float:
    """Coefficient of variation (burstiness); 0 for fewer than two values."""
    if len(xs) < 2:
        return 0.0
    m = sum(xs) / len(xs)
    if m <= 0:
        return 0.0
    return math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs)) / m


# Sign constraints of the interpretable features (the stacker may not flip them: with no human net-speak in
# the training data, an unconstrained fit would learn "哈哈 = machine" from the models' imitations).
MACHINE_LEANING = frozenset({f"pat:{n}" for n in (
    "not_x_but_y", "not_only_but", "both_and", "when_x_meets_y", "era_opener", "summary_closer", "moral_closer",
    "hedge_note", "enumeration", "cosmic_tech", "ornate_stock", "triple_place", "markdown_heading", "bold",
    "list_item", "separator", "em_dash")} | {"closer_at_end", "parallel_run", "tech_lyrical", "no_particle", "no_digit"})
HUMAN_LEANING = frozenset({f"pat:{n}" for n in (
    "particle", "net_slang", "ellipsis", "doubled_mark", "digits", "date", "space_in_han", "emoji")})


def feature_names() -> list[str]:
    """Names of the dense block, in vector order."""
    names = [f"pat:{p.name}" for p in PATTERNS]
    names += ["closer_at_end", "parallel_run", "tech_lyrical", "no_particle", "no_digit", "first_person_share"]
    names += [f"punct:{k}" for k in PUNCT]
    names += ["sent_len_log", "sent_len_cv", "sent_short_share", "sent_long_share", "clause_len_log", "clause_len_cv",
              "para_per_1k", "para_len_cv", "one_sentence_para_share", "commas_per_sentence"]
    names += [f"fw:{w}" for w in FUNCTION_WORDS]
    return names


def _pattern_hits(text: str) -> dict[str, list[tuple[int, int]]]:
    return {p.name: [(m.start(), m.end()) for m in p.regex.finditer(text)] for p in PATTERNS}


def style_features(doc: Doc) -> tuple[list[float], dict[str, list[tuple[int, int]]]]:
    """The dense vector (order of `feature_names()`) and, per signal, the (start, end) spans that fired."""
    text, n = doc.text, doc.n_chars
    hits = _pattern_hits(text)
    vec = [_log_rate(len(hits[p.name]), n) for p in PATTERNS]
    tail = int(len(text) * (1 - CLOSING_SHARE))
    closers = [s for name in ("summary_closer", "moral_closer") for s in hits[name] if s[0] >= tail]
    par = [(s.start, s.end) for s in detect_parallelism(doc).spans]
    tl = [(s.start, s.end) for s in detect_tech_lyrical(doc).spans]
    hits.update(closer_at_end=closers, parallel_run=par, tech_lyrical=tl)
    word_counts = [0] * len(FUNCTION_WORDS)
    for w, _, _ in doc.words:
        i = _FW_INDEX.get(w)
        if i is not None:
            word_counts[i] += 1
    wo, we = word_counts[_FW_INDEX["我"]], word_counts[_FW_INDEX["我们"]]
    vec += [_log_rate(len(closers), n), _log_rate(len(par), n), _log_rate(len(tl), n),
            float(not hits["particle"]), float(not hits["digits"]), wo / (wo + we) if wo + we else 0.5]
    vec += [_log_rate(text.count(c), n) for c in PUNCT.values()]
    sents = [len(s.text) for s in doc.sentences if len(s.text) > 1]
    clauses = [len(c.text) for c in doc.clauses if len(c.text) > 1]
    paras = [ln for ln in doc.lines if len(ln.text) > 1]
    sent_per_para = [sum(1 for s in doc.sentences if p.start <= s.start < p.end) for p in paras]
    ns = max(len(sents), 1)
    vec += [math.log1p(sum(sents) / ns), _cv(sents), sum(x < SHORT_SENTENCE for x in sents) / ns,
            sum(x > LONG_SENTENCE for x in sents) / ns, math.log1p(sum(clauses) / max(len(clauses), 1)),
            _cv(clauses), _log_rate(len(paras), n), _cv([len(p.text) for p in paras]),
            sum(k <= 1 for k in sent_per_para) / max(len(paras), 1), text.count("，") / ns]
    vec += [_log_rate(c, n) for c in word_counts]
    return vec, hits


# --- masked tokens for the n-gram block ------------------------------------------------------------

# jieba dictionary tags kept as words (closed classes: conjunctions, prepositions, particles, adverbs,
# pronouns, modal particles, interjections, onomatopoeia, localisers, measure words)
KEEP_TAGS = frozenset({"c", "p", "u", "uj", "ul", "uz", "ud", "ug", "uv", "d", "df", "r", "rr", "rz", "y", "e", "o",
                       "f", "q"})
KEEP_MIN_FREQ = 200  # rarer closed-class entries are mostly noise in jieba's dictionary
KEEP_VERB_FREQ = 20000  # the few hundred commonest verbs/adjectives (是, 有, 进行, 需要) are style, not topic
# template words jieba files under open classes (当 is a time word, 说实话 an idiom) that carry style, not topic
KEEP_EXTRA = ("当", "遇见", "而是", "不是", "并非", "不仅", "更是", "仿佛", "或许", "也许", "说实话", "总之", "总而言之",
              "综上所述", "让我们", "值得注意", "需要注意", "首先", "其次", "最后", "然而", "此外", "同时", "以及")
ERA_MARKERS = frozenset("么罢底之其乃亦则此哩呐")  # Republican-era / classical markers (module doc)
_NUM_RE = re.compile(r"^[\d.%]+$")
_LATIN_RE = re.compile(r"^[A-Za-z]+$")


@lru_cache(maxsize=1)
def _dictionary_tags() -> tuple[dict[str, str], frozenset[str]]:
    """(word -> jieba tag, words kept verbatim) read once from jieba's bundled dictionary."""
    path = os.path.join(os.path.dirname(_jieba().__file__), "dict.txt")
    tags: dict[str, str] = {}
    keep = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3:
                continue
            w, freq, tag = parts[0], int(parts[1]), parts[2]
            tags[w] = tag
            if w in ERA_MARKERS:
                continue
            if (tag in KEEP_TAGS and freq >= KEEP_MIN_FREQ) or (tag[:1] in "va" and freq >= KEEP_VERB_FREQ):
                keep.add(w)
    keep.update(FUNCTION_WORDS)
    keep.update(KEEP_EXTRA)
    return tags, frozenset(keep)


def _token_class(w: str, tags: dict[str, str], keep: frozenset[str]) -> str:
    if w in keep or not any("\u4e00" <= c <= "\u9fff" for c in w) and not w.isalnum():
        return w  # kept word, or punctuation
    if _NUM_RE.match(w):
        return "<num>"
    if _LATIN_RE.match(w):
        return "<lat>"
    tag = tags.get(w, "x")
    if tag in ("nr", "nrfg", "nrt", "ns", "nt", "nz", "t", "i", "l", "m"):
        return f"<{tag}>"  # names, places, times, idioms, numerals: concrete detail and set phrases
    return f"<{tag[:1]}>"


# Distinct words whose masked class is remembered: a corpus's common words, the class costs a few lookups each.
TOKEN_CLASS_CACHE = 1 << 16


@lru_cache(maxsize=TOKEN_CLASS_CACHE)
def _class_of(w: str) -> str:
    """`_token_class` of one word with jieba's dictionary tags, remembered."""
    return _token_class(w, *_dictionary_tags())


def masked_tokens(doc: Doc) -> list[tuple[str, int, int]]:
    """(token, start, end): kept function words and punctuation as they are, other words as <pos class>."""
    return [(_class_of(w), s, e) for w, s, e in doc.words]
