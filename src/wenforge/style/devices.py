"""L3 device detectors: each returns a `DeviceResult` with a count, a density and the evidence spans.

Every detector is a cheap heuristic over a prepared `Doc` (regexes, word lists, jieba word offsets);
`DETECTORS` is the registry, keyed by the L3 names in `taxonomy.yaml`. A device is *present* in a
document when its count and density reach the thresholds in `PRESENCE`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from wenforge.style.doc import Doc, Seg, prepare
from wenforge.style.lexicon import alternation, patterns, word_set
from wenforge.text.chars import is_cjk
from wenforge.text.wordspans import jieba_dict_words


@dataclass
class Span:
    device: str
    span: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"device": self.device, "span": self.span, "start": self.start, "end": self.end}


@dataclass
class DeviceResult:
    device: str
    count: int
    value: float  # occurrences per 100 characters
    spans: list[Span] = field(default_factory=list)

    @property
    def present(self) -> bool:
        min_count, min_density = PRESENCE.get(self.device, (1, 0.0))
        return self.count >= min_count and self.value >= min_density


# (minimum count, minimum occurrences per 100 characters) for a device to enter the document's L3 set
PRESENCE: dict[str, tuple[int, float]] = {
    "metaphor": (1, 0.0),
    "parallelism": (1, 0.0),
    "antithesis": (1, 0.0),
    "personification": (1, 0.0),
    "rhetorical_question": (1, 0.0),
    "allusion": (1, 0.0),
    "hyperbole": (1, 0.0),
    "idiom": (2, 0.5),
    "imagery": (2, 0.8),
    "classical_diction": (3, 1.5),
    "tech_lyrical": (1, 0.0),
}

MAX_SPANS = 20  # evidence kept per device and document


def _result(doc: Doc, device: str, spans: list[tuple[int, int]]) -> DeviceResult:
    spans = sorted(set(spans))
    ev = [Span(device, doc.raw[s:e], s, e) for s, e in spans[:MAX_SPANS]]
    return DeviceResult(device, len(spans), len(spans) / doc.per100, ev)


def _clause_end(text: str, pos: int, limit: int = 30) -> int:
    m = re.compile(r"[，,。！？!?；;\n]").search(text, pos, min(len(text), pos + limit))
    return m.start() if m else min(len(text), pos + limit)


# --- metaphor (比喻) --------------------------------------------------------------------------
_LIKE_FRAME = re.compile(r"(?:好|就|正|活|恰)?像(?P<body>[^，,。！？!?；;\n]{1,20}?)(?:一样|一般|似的|般)")
_NOT_METAPHOR = re.compile(r"往常|平时|平常|以前|过去|原来|之前|以往|上次|往年|上面|下面|前面|这样|那样|别人|其他")
_NOUN_BAN = re.compile(r"[\u4e00-\u9fff]{1,4}般(?:的|地)")
_QUANT = "个只条座片层匹支颗朵面把群道张串束团汪轮弯缕盏艘叶粒首幅"
_LIKE_A = re.compile(rf"(?:就|好|恰|活)?像(?:是)?一[{_QUANT}]|(?<![例比譬假诸正])[如似]一[{_QUANT}]")
_RU_DE = re.compile(r"(?<=[\u4e00-\u9fff])(?<![例比譬假诸正有])如(?![下此果何今实期同意愿常数约前上今])[\u4e00-\u9fff]{1,5}(?:的[\u4e00-\u9fff]{1,3}|般)")


def detect_metaphor(doc: Doc) -> DeviceResult:
    """Similes and metaphor markers: 仿佛/宛如/犹如…, 像……一样/似的, X般的."""
    t, spans = doc.text, []
    for m in alternation("metaphor_strong").finditer(t):
        spans.append((m.start(), _clause_end(t, m.end())))
    for m in _LIKE_FRAME.finditer(t):
        if not _NOT_METAPHOR.search(m.group("body")):
            spans.append((m.start(), m.end()))
    for rx in (_LIKE_A, _RU_DE):
        for m in rx.finditer(t):
            spans.append((m.start(), _clause_end(t, m.end(), 16)))
    for m in _NOUN_BAN.finditer(t):
        word = m.group(0)
        if not word.endswith(("一般的", "一般地", "这般的", "那般的", "这般地", "那般地", "百般的", "百般地")):
            spans.append((m.start(), m.end()))
    return _result(doc, "metaphor", _dedupe(spans))


def _dedupe(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop spans that start inside an earlier kept span."""
    out, last_end = [], -1
    for s, e in sorted(spans):
        if s >= last_end:
            out.append((s, e))
            last_end = e
    return out


# --- parallelism (排比) -----------------------------------------------------------------------
def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _frame_match(a: Seg, b: Seg) -> bool:
    x, y = a.text, b.text
    if len(x) < 3 or len(y) < 3:
        return False
    p = _common_prefix(x, y)
    if p >= 2 and is_cjk(x[0]) and x != y:
        return True
    if p >= 1 and is_cjk(x[0]) and len(x) == len(y) and len(x) >= 4 and x != y:
        return True
    s = _common_prefix(x[::-1], y[::-1])
    return s >= 2 and is_cjk(x[-1]) and x != y and abs(len(x) - len(y)) <= 4


def _runs(doc: Doc, cl: list[Seg], match, min_run: int) -> list[tuple[int, int]]:
    spans, i = [], 0
    while i < len(cl) - 1:
        j = i
        while j + 1 < len(cl) and match(cl[j], cl[j + 1]) and "\n\n" not in doc.text[cl[j].end : cl[j + 1].start]:
            j += 1
        if j - i + 1 >= min_run:
            spans.append((cl[i].start, cl[j].end))
            i = j + 1
        else:
            i += 1
    return spans


def detect_parallelism(doc: Doc) -> DeviceResult:
    """Three or more consecutive clauses sharing an opening or closing frame (有的……，有的……，有的……)."""
    spans = _runs(doc, doc.clauses, _frame_match, 3)
    units = [Seg(u.text.rstrip("。！？!?；;…”’」』）)"), u.start, u.end) for u in doc.sentences]
    spans += [sp for sp in _runs(doc, units, _frame_match, 3) if not any(s <= sp[0] < e for s, e in spans)]
    return _result(doc, "parallelism", spans)


# --- antithesis (对偶) ------------------------------------------------------------------------
def detect_antithesis(doc: Doc) -> DeviceResult:
    """Adjacent clauses in one sentence, equal length (4-11 Han characters), with the same word-length
    pattern (海内/存/知己，天涯/若/比邻) or aligned shared characters, and not a mere repetition."""
    t, cl, spans = doc.text, doc.clauses, []
    wi = 0
    words = doc.words
    for a, b in itertools.pairwise(cl):
        n = len(a.text)
        if n != len(b.text) or not 4 <= n <= 11 or a.text == b.text:
            continue
        sep = t[a.end : b.start]
        if sep.strip() not in ("，", ",", "；", ";", "、") and not (sep == "\n" and n in (5, 7)):
            continue
        if not all(is_cjk(c) for c in a.text + b.text):
            continue
        same = sum(1 for x, y in zip(a.text, b.text) if x == y)
        if same > n // 2:
            continue
        while wi < len(words) and words[wi][2] <= a.start:
            wi += 1
        pa = tuple(e - s for w, s, e in words[wi : wi + 12] if s >= a.start and e <= a.end)
        pb = tuple(e - s for w, s, e in words[wi : wi + 24] if s >= b.start and e <= b.end)
        if (pa == pb and (n >= 5 or (same >= 1 and len(pa) >= 2))) or (same >= 1 and n >= 5 and len(pa) >= 2):
            spans.append((a.start, b.end))
    return _result(doc, "antithesis", spans)


# --- personification (拟人) -------------------------------------------------------------------
def detect_personification(doc: Doc) -> DeviceResult:
    """A nature/object word followed within four words of the same clause by a human action or feeling."""
    subj, verb, spans = word_set("personify_subject"), word_set("personify_verb"), []
    ws, t = doc.words, doc.text
    for i, (w, s, e) in enumerate(ws):
        if w not in subj:
            continue
        for w2, s2, e2 in ws[i + 1 : i + 5]:
            if any(c in "，,。！？!?；;\n" for c in t[e:s2]):
                break
            if w2 in verb:
                spans.append((s, e2))
                break
    return _result(doc, "personification", spans)


# --- rhetorical question (设问/反问) -----------------------------------------------------------
def detect_rhetorical_question(doc: Doc) -> DeviceResult:
    """反问: a question with 难道/岂/何尝/怎能…; 设问: a short question answered by the next sentence."""
    markers, spans = alternation("rhetorical_markers"), []
    sents = doc.sentences
    for i, s in enumerate(sents):
        if not s.text.rstrip("”’」』）)").endswith(("？", "?")):
            continue
        if markers.search(s.text):
            spans.append((s.start, s.end))
        elif (
            len(s.text) <= 25
            and i + 1 < len(sents)
            and "\n" not in doc.text[s.end : sents[i + 1].start]
            and not sents[i + 1].text.rstrip("”’」』）)").endswith(("？", "?"))
            and len(sents[i + 1].text) >= 6
        ):
            spans.append((s.start, sents[i + 1].end))
    return _result(doc, "rhetorical_question", spans)


# --- allusion (用典/引用) ----------------------------------------------------------------------
_QUOTE = re.compile(r"[“「『]([^”」』]{4,40})[”」』]")


def detect_allusion(doc: Doc) -> DeviceResult:
    """Quoting or citing the classics: 古人云, 正如……所说, 《诗经》中写道, quoted classical text."""
    t, spans = doc.text, []
    for m in patterns("allusion").finditer(t):
        spans.append((m.start(), _clause_end(t, m.end(), 40)))
    strong = word_set("classical_function_strong")
    for m in _QUOTE.finditer(t):
        q = m.group(1)
        if sum(1 for c in q if c in strong) >= 2 and re.search(r"(?:说|道|云|曰|言|讲)[:：，,]?$", t[max(0, m.start() - 6) : m.start()]):
            spans.append((m.start(), m.end()))
    return _result(doc, "allusion", _dedupe(spans))


# --- hyperbole (夸张) -------------------------------------------------------------------------
_LITERAL_AFTER = re.compile(r"[元吨米公克瓦户家名位台辆股手亩平个件份万亿]|美元|人民币")


def detect_hyperbole(doc: Doc) -> DeviceResult:
    """Deliberate exaggeration: 千百遍, 一万次, 惊天动地, 累死了; numbers with units stay literal."""
    t, spans = doc.text, []
    for m in patterns("hyperbole").finditer(t):
        before = t[max(0, m.start() - 1) : m.start()]
        if before and (before.isdigit() or before in "〇零一二三四五六七八九十百两几数多近约上第每"):
            continue
        if _LITERAL_AFTER.match(t, m.end()):
            continue
        spans.append((m.start(), m.end()))
    return _result(doc, "hyperbole", _dedupe(spans))


# --- idiom (成语/四字格) -----------------------------------------------------------------------
def detect_idiom(doc: Doc) -> DeviceResult:
    """Words that jieba's dictionary tags `i` (idiom), found over plain segmentation (no POS tagging)."""
    idioms = jieba_dict_words(("i",), 3)
    return _result(doc, "idiom", [(s, e) for w, s, e in doc.words if w in idioms])


# --- imagery (意象) ---------------------------------------------------------------------------
_REDUP = re.compile(r"([\u4e00-\u9fff])\1(?:([\u4e00-\u9fff])\2|[的地])")
_REDUP_BAN = re.compile(r"^(?:常常|往往|渐渐|刚刚|仅仅|稍稍|明明|偏偏|谢谢|妈妈|爸爸|哥哥|姐姐|弟弟|妹妹|爷爷|奶奶|人人|天天|个个)")


def detect_imagery(doc: Doc) -> DeviceResult:
    """Sensory words (colour, light, sound, scent, touch) and reduplicated descriptives (静静地, 绿油油的)."""
    t, spans = doc.text, []
    sensory = word_set("sensory")
    zwords = jieba_dict_words(("z",), 2)
    for w, s, e in doc.words:
        if w in sensory or (w in zwords and len(w) >= 3):
            spans.append((s, e))
    for m in _REDUP.finditer(t):
        if not _REDUP_BAN.match(m.group(0)):
            spans.append((m.start(), m.end()))
    return _result(doc, "imagery", _dedupe(spans))


# --- classical diction (文言虚词) --------------------------------------------------------------
def detect_classical_diction(doc: Doc) -> DeviceResult:
    """Classical function words (之乎者也矣焉哉兮曰吾汝…) standing as words of their own."""
    strong = word_set("classical_function_strong")
    return _result(doc, "classical_diction", [(s, e) for w, s, e in doc.words if w in strong])


# --- technical lyricism (科技抒情) -------------------------------------------------------------
def detect_tech_lyrical(doc: Doc) -> DeviceResult:
    """A sentence with technical vocabulary and lyrical vocabulary or a simile (数据在深夜低语, 像星河一样)."""
    tech, lyr, meta = alternation("tech"), alternation("lyrical"), alternation("metaphor_strong")
    spans = []
    for s in doc.sentences:
        if tech.search(s.text) and (lyr.search(s.text) or meta.search(s.text) or _LIKE_FRAME.search(s.text)):
            spans.append((s.start, s.end))
    return _result(doc, "tech_lyrical", spans)


DETECTORS = {
    "metaphor": detect_metaphor,
    "parallelism": detect_parallelism,
    "antithesis": detect_antithesis,
    "personification": detect_personification,
    "rhetorical_question": detect_rhetorical_question,
    "allusion": detect_allusion,
    "hyperbole": detect_hyperbole,
    "idiom": detect_idiom,
    "imagery": detect_imagery,
    "classical_diction": detect_classical_diction,
    "tech_lyrical": detect_tech_lyrical,
}


def detect_devices(text_or_doc: str | Doc) -> dict[str, DeviceResult]:
    """Run every L3 detector; keys follow `DETECTORS` (the taxonomy's L3 names)."""
    doc = prepare(text_or_doc) if isinstance(text_or_doc, str) else text_or_doc
    return {name: fn(doc) for name, fn in DETECTORS.items()}
