"""Graded ornateness (how much ornament a text carries, 0-1, length-independent) and `overwrought` (ornament
that outruns content: stacked imagery, stock phrases of modern LLM prose, cosmic-tech pairings, moralising
closers), computed on top of the style vector's device spans and prepared Doc.

Scale of `score` (anchors fitted on dev texts by `python bench/style_ornate.py --fit`, stored in `ASSET_PATH`):
  0.1 plain instructions, news, encyclopedia;  0.3 plain narrative;  0.5 moderately figurative essay;
  0.7 rich literary prose;  0.9 dense lyrical prose stacking imagery in every clause.
Every signal is a density (per 100 characters or per clause), so a longer text of the same manner gets the
same score. The style vector's feature names are not touched: extra signals are computed here.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from wenforge.style.devices import DeviceResult
from wenforge.style.doc import Doc
from wenforge.style.lexicon import word_set

ASSET_PATH = Path(__file__).with_name("assets") / "ornate.json"

# Abstract nouns that stock lyrical prose pairs with a concrete image (时间的褶皱, 记忆的星图, 灵魂的涟漪).
ABSTRACT = ["时间", "时光", "岁月", "光阴", "流年", "记忆", "回忆", "灵魂", "心灵", "内心", "心底", "命运", "青春", "梦想", "梦境", "生命", "人生", "历史", "思念", "孤独", "沉默", "寂静", "希望", "未来", "过去", "时代", "文明", "人性", "情感", "思想", "意识", "自由", "宿命", "存在", "爱情", "思绪", "情绪", "信念", "乡愁", "永恒", "语言", "文字", "故事", "世界", "往事", "童年", "理想", "信仰", "爱", "心事", "心跳", "呼吸", "温柔", "悲伤", "喜悦", "痛苦", "欲望", "真理", "智慧", "知识", "意义", "灵感", "想象"]
# Cosmic / technical imagery that 2024-2025 model prose reaches for in abstract-plus-image pairs.
COSMIC = ["褶皱", "维度", "星图", "量子", "涟漪", "光谱", "频率", "坐标", "经纬", "星河", "星辰", "星空", "银河", "宇宙", "轨迹", "轨道", "共振", "回响", "碎片", "年轮", "纹理", "纹路", "脉络", "肌理", "拓扑", "奇点", "黑洞", "光年", "熵", "引力", "磁场", "代码", "算法", "像素", "二进制", "波长", "频谱", "底色", "琴弦", "胶片", "裂缝", "缝隙", "刻度", "星尘", "尘埃", "潮汐", "光晕", "棱镜", "切片", "算力", "数据", "信号", "方程", "公式", "粒子", "旋律", "注脚", "密码", "基因", "容器", "镜像", "分形", "矩阵"]
# Concrete images (nature, light, objects) that also make an abstract-concrete pairing in human prose.
IMAGE = ["河", "河流", "长河", "海", "大海", "海洋", "花", "花朵", "树", "森林", "雪", "雨", "风", "月光", "阳光", "星光", "种子", "根", "翅膀", "羽毛", "火焰", "灯", "灯火", "窗", "门", "桥", "路", "画卷", "诗篇", "诗", "歌", "乐章", "交响", "海浪", "浪花", "湖", "泉", "溪", "山", "云", "烟", "雾", "光", "影子", "影", "颜色", "温度", "重量", "味道", "气息", "声音", "形状", "伤口", "伤痕", "伞", "船", "帆", "岸", "港湾", "灯塔", "钥匙", "锁", "镜子", "尘", "灰烬", "烙印", "印记", "痕迹", "土壤", "枝头", "枝桠", "果实", "花园"]

_PAIR_RE = re.compile(
    "(?:" + "|".join(sorted(set(ABSTRACT), key=len, reverse=True)) + ")的(?:[\u4e00-\u9fff]{0,2}的)?"
    "(?P<img>" + "|".join(sorted(set(COSMIC) | set(IMAGE), key=len, reverse=True)) + ")"
)
_COSMIC_SET = frozenset(COSMIC)
_COSMIC_RE = re.compile("|".join(sorted(set(COSMIC), key=len, reverse=True)))

# Stock frames of modern LLM prose.
_SLOP_FRAMES = {
    "not_x_but_y": re.compile(r"(?:不是|并非|不再是|不只是|不仅仅是|不仅是)[^。！？\n]{1,24}?[，,—]{0,2}\s*(?:而是|更是|却是)"),
    "when_x_meets_y": re.compile(r"当[^，,。！？\n]{1,16}?(?:遇见|遇上|邂逅|碰撞|相遇|撞上|拥抱)"),
    "rather_than": re.compile(r"与其说[^。！？\n]{1,24}?不如说"),
}
# Stock clichés of 2024-2025 model prose (from dev rows of ai_text/modern_llm_writing.jsonl against public-domain
# literary prose; topic words such as 数据/手机 were left out so that a modern topic is not read as slop).
_STOCK_RE = re.compile(
    "小心翼翼|闪过一丝|带着一丝|弥漫着|深吸一口气|内心深处|心底深处|眼中闪烁|眸中闪烁|如潮水般|潮水般|悄无声息|"
    "微微颤抖|喃喃自语|终于明白|承载着|蕴含着|散发着|交织成|交织在一起|编织成|诉说着|低语着|那一刻|在这一刻|"
    "仿佛整个世界|整个世界都|时间仿佛|空气仿佛|仿佛凝固|从来不是|更是一种|前所未有|属于自己的|无声地"
)
_CLOSER_RE = re.compile(r"或许|也许|原来|终将|终究会|才是|这就是|真正的|的意义|让我们|愿你|愿我们|永远不会|值得")

# Bare reduplicated descriptives (悄悄, 轻轻, 静静, 缓缓); kinship terms and frequency adverbs are not ornament.
_AA_RE = re.compile(r"([\u4e00-\u9fff])\1")
_AA_BAN = frozenset(
    ["常常", "往往", "渐渐", "刚刚", "仅仅", "稍稍", "明明", "偏偏", "谢谢", "妈妈", "爸爸", "哥哥", "姐姐", "弟弟", "妹妹", "爷爷", "奶奶", "姥姥", "宝宝", "人人", "天天", "个个", "年年", "月月", "星星", "猩猩", "舅舅", "叔叔", "婶婶", "伯伯", "公公", "婆婆", "太太", "娃娃", "处处", "事事", "时时", "样样", "家家", "户户", "步步", "句句", "声声", "一一", "二二", "三三", "万万", "千千", "看看", "想想", "试试", "说说", "等等", "走走", "听听", "问问", "写写", "找找", "聊聊", "算算", "尝尝", "歇歇", "坐坐", "白白", "多多", "好好", "大大", "久久", "早早", "哈哈", "呵呵", "嘿嘿", "嘻嘻", "啦啦", "咯咯", "嗯嗯", "哦哦", "些些", "区区", "连连", "频频", "屡屡", "统统", "通通", "恰恰", "欣欣", "落落", "彬彬", "楚楚", "姗姗"]
)

_NUM_RE = re.compile(r"[0-9０-９]+(?:[.．][0-9]+)?|[零〇一二两三四五六七八九十百千万亿]{2,}")
_ATTR_DE = re.compile(r"的(?=[\u4e00-\u9fff])")


@dataclass
class Ornateness:
    score: float  # 0-1, graded ornament density (anchors in the module docstring)
    overwrought: float  # 0-1, ornament outrunning content (stock phrases, stacked imagery, cosmic pairings)
    signals: dict[str, float] = field(default_factory=dict)  # the raw densities behind both scores
    evidence: list[dict] = field(default_factory=list)  # [{signal, text, start, end}]

    def to_dict(self) -> dict:
        return asdict(self)


def _transform(name: str, value: float) -> float:
    """log1p for densities (heavy-tailed), identity for shares and the closer flag and log clause length."""
    return value if name in _LINEAR else math.log1p(value)


_LINEAR = frozenset({"rhythm", "ornate_clauses", "stacked_clauses", "closer", "clause_len"})
MIN_CJK_RATIO = 0.3  # below this the text is not Chinese enough to grade (same rule as style/score.py)


@lru_cache(maxsize=1)
def load_asset() -> dict:
    """The fitted weights: {"ornateness": {"terms": {name: w}, "intercept": b}, "overwrought": {...}}."""
    return json.loads(ASSET_PATH.read_text(encoding="utf-8"))


def _linear(model: dict, sig: dict[str, float]) -> float:
    return model["intercept"] + sum(w * _transform(n, sig[n]) for n, w in model["terms"].items())


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def score_signals(sig: dict[str, float], asset: dict | None = None) -> tuple[float, float]:
    """(ornateness, overwrought) from raw signals: a logistic squash of each fitted linear index; overwrought is
    the slop probability above its value at zero slop, so a text with no stock phrase or pairing gets 0."""
    asset = asset or load_asset()
    orn = _sigmoid(_linear(asset["ornateness"], sig))
    ow_model = asset["overwrought"]
    p, p0 = _sigmoid(_linear(ow_model, sig)), _sigmoid(ow_model["intercept"])
    return orn, max(0.0, (p - p0) / (1.0 - p0))


def ornateness_of(features: dict[str, float], devices: dict[str, DeviceResult], doc: Doc) -> Ornateness:
    """Ornateness and overwrought of a text already run through `style.vector.compute`, with evidence spans."""
    if doc.n_chars == 0 or doc.n_cjk / max(doc.n_chars, 1) < MIN_CJK_RATIO:
        return Ornateness(0.0, 0.0, {}, [])
    sig, hits = signals(features, devices, doc)
    orn, ow = score_signals(sig)
    evidence = [{"signal": k, "text": doc.raw[s:e], "start": s, "end": e} for k, s, e in sorted(hits, key=lambda h: h[1])]
    return Ornateness(round(orn, 4), round(ow, 4), {k: round(v, 4) for k, v in sig.items()}, evidence[:MAX_EVIDENCE])


def ornateness(text: str) -> dict:
    """`ornateness_of` on a raw text, as a plain dict (score, overwrought, signals, evidence)."""
    from wenforge.style.vector import compute

    return ornateness_of(*compute(text)).to_dict()


MAX_EVIDENCE = 40  # evidence spans returned per text (the signals count all of them)


def _hits(regex: re.Pattern, text: str, signal: str) -> list[tuple[str, int, int]]:
    return [(signal, m.start(), m.end()) for m in regex.finditer(text)]


@lru_cache(maxsize=1)
def _lyrical_words() -> frozenset[str]:
    return word_set("lyrical") | word_set("emotion")


def _ornament_hits(devices: dict[str, DeviceResult], doc: Doc) -> list[tuple[str, int, int]]:
    """Every ornament occurrence as (signal, start, end): device spans, lyrical words, reduplication, pairings."""
    hits = []
    for name in ("metaphor", "personification", "hyperbole", "imagery"):
        r = devices.get(name)
        if r is not None:
            hits += [(name, s.start, s.end) for s in r.spans]
    lyr = _lyrical_words()
    hits += [("lyrical", s, e) for w, s, e in doc.words if w in lyr]
    hits += [("redup", m.start(), m.end()) for m in _AA_RE.finditer(doc.text) if m.group() not in _AA_BAN]
    hits += [("pairing", m.start(), m.end()) for m in _PAIR_RE.finditer(doc.text)]
    return hits


def signals(features: dict[str, float], devices: dict[str, DeviceResult], doc: Doc) -> tuple[dict[str, float], list]:
    """Raw ornament and slop densities of one prepared text, and the hits (signal, start, end) behind them."""
    p, t = doc.per100, doc.text
    orn = _ornament_hits(devices, doc)
    counts = {name: devices[name].count for name in ("metaphor", "personification", "hyperbole", "imagery") if name in devices}
    for sig, _s, _e in orn:
        if sig in ("lyrical", "redup", "pairing"):
            counts[sig] = counts.get(sig, 0) + 1
    clauses = _complete_prefix(doc, devices)
    n_cl = max(len(clauses), 1)
    prefix_p = max(sum(len(c.text) for c in clauses), 50) / 100.0
    per_clause = _per_clause_counts(sorted(s for _sig, s, _e in orn), clauses)
    rhythm_cov = sum(s.end - s.start for k in ("parallelism", "antithesis") if k in devices for s in devices[k].spans)
    slop = [h for name, rx in _SLOP_FRAMES.items() for h in _hits(rx, t, name)]
    ornate_cl = [c for c, n in zip(clauses, per_clause) if n >= 1]
    cosmic = [("cosmic_image", c.start + m.start(), c.start + m.end()) for c in ornate_cl for m in _COSMIC_RE.finditer(c.text)]
    cosmic_pairs = [("cosmic_pairing", s, e) for sig, s, e in orn if sig == "pairing" and _PAIR_RE.match(t, s).group("img") in _COSMIC_SET]
    stock = _hits(_STOCK_RE, t, "stock_phrase")
    closer = _closer(doc)
    sig = {
        "figure": (counts.get("metaphor", 0) + counts.get("personification", 0) + counts.get("hyperbole", 0)) / p,
        "imagery": counts.get("imagery", 0) / p,
        "lyrical": counts.get("lyrical", 0) / p,
        "redup": counts.get("redup", 0) / p,
        "pairing": counts.get("pairing", 0) / p,
        "attr_de": len(_ATTR_DE.findall(t)) / p,
        "idiom": features.get("idiom_density", 0.0),
        "rhythm": min(rhythm_cov / max(doc.n_chars, 1), 1.0),
        "ornate_clauses": len(ornate_cl) / n_cl,
        "stacked_clauses": sum(1 for n in per_clause if n >= 2) / n_cl,
        "numbers": len(_NUM_RE.findall(t)) / p,
        "clause_len": math.log1p(features.get("clause_len_mean", 0.0)),
        "mattr_char": features.get("mattr_char", 0.0),
        "written": features.get("written_density", 0.0),
        "slop_frames": len(slop) / p,
        "stock": len(stock) / p,
        "cosmic_image": len(cosmic) / prefix_p,
        "cosmic_pairs": len(cosmic_pairs) / p,
        "closer": float(closer is not None),
    }
    evidence = orn + slop + stock + cosmic + cosmic_pairs + ([closer] if closer else [])
    return sig, evidence


def _complete_prefix(doc: Doc, devices: dict[str, DeviceResult]) -> list:
    """Clauses inside the stretch where every device's evidence is complete (spans are capped at MAX_SPANS)."""
    limit = len(doc.text)
    for r in devices.values():
        if r.count > len(r.spans) and r.spans:
            limit = min(limit, r.spans[-1].end)
    return [c for c in doc.clauses if c.end <= limit] or doc.clauses[:1]


def _per_clause_counts(starts: list[int], clauses) -> list[int]:
    out, i = [], 0
    for c in clauses:
        n = 0
        while i < len(starts) and starts[i] < c.start:
            i += 1
        j = i
        while j < len(starts) and starts[j] < c.end:
            n += 1
            j += 1
        out.append(n)
        i = j
    return out


def _closer(doc: Doc) -> tuple[str, int, int] | None:
    """A moralising last sentence (或许，这就是……的意义): the closer span, or None."""
    if not doc.sentences:
        return None
    last = doc.sentences[-1]
    return ("closer", last.start, last.end) if _CLOSER_RE.search(last.text) else None
