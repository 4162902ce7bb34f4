"""``clean_page``: run the detectors, decide whether the page is injected, and salvage the genuine text.

The page decision is a noisy-OR of detector evidence (title injection, gibberish, hot-list templates,
weighted bait, several datelines); no single short lexicon hit can reach the threshold. Salvage is
conservative on clean pages (only HTML residue and long repeated paragraphs go, boilerplate by config)
and adversarial on spam pages (injected lines, stitched paragraphs outside the main article, alien tokens
and bait inside kept lines).

Offsets in ``removed`` index the input text, or for an HTML document the text extracted from it
(``CleanResult.source_text``).
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from wenforge.clean import reasons as R
from wenforge.clean.config import CleanConfig
from wenforge.clean.detectors import (
    artifacts,
    boilerplate,
    brand,
    duplicates,
    farm,
    gibberish,
    headline,
    hotlist,
    mirror,
    residue,
    seams,
    stitched,
    stuffing,
    title_injection,
)
from wenforge.clean.detectors.bait import BaitDetector
from wenforge.clean.detectors.common import Finding, Line, cjk_count, split_lines


@dataclass
class RemovedSpan:
    """A span cut from the page (or, with ``replacement``, repaired: the span is replaced by it)."""

    start: int
    end: int
    reason: str
    text: str
    replacement: str = ""


@dataclass
class CleanResult:
    text: str
    spam: bool
    spam_score: float
    reasons: list[str] = field(default_factory=list)
    removed: list[RemovedSpan] = field(default_factory=list)
    source_text: str = ""  # the text the offsets refer to
    evidence: dict[str, float] = field(default_factory=dict)
    signals: list[dict] = field(default_factory=list)  # page-level signals behind the evidence (for --explain)

    def to_dict(self, explain: bool = False) -> dict:
        d = {"text": self.text, "spam": self.spam, "spam_score": round(self.spam_score, 4),
             "reasons": list(self.reasons)}
        if explain:
            d["removed"] = [{"start": r.start, "end": r.end, "reason": r.reason, "text": r.text,
                             **({"replacement": r.replacement} if r.replacement else {})}
                            for r in self.removed]
            d["evidence"] = {k: round(v, 4) for k, v in self.evidence.items()}
            d["signals"] = list(self.signals)
        return d


# --------------------------------------------------------------------------------------------------- HTML

_HTML_DOC_RE = re.compile(r"<(?:html|body|head|div|p|br|li|h[1-6]|table|tr|td)\b[^>]*>", re.IGNORECASE)
_DROP_BLOCK_RE = re.compile(r"<(script|style|noscript|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG_RE = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|header|footer|title|"
                           r"blockquote|dd|dt|body|html)\b[^>]*>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    return len(_HTML_DOC_RE.findall(text[:20000])) >= 3


def html_to_text(text: str) -> str:
    """Block tags to newlines; inline tags stay (residue detection removes and reports them)."""
    text = _DROP_BLOCK_RE.sub("\n", text)
    text = _BLOCK_TAG_RE.sub("\n", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    if "&lt;" in text or "&gt;" in text or "&amp;" in text:
        text = html.unescape(text)
    return re.sub(r"\n[ \t\u3000]*(?=\n)", "\n", text)


# ------------------------------------------------------------------------------------- detection view

# full-width letters, digits and the token symbols ＿．＋／＝ read as ASCII (ｑＷ８ｅＲ２ → qW8eR2); the
# Chinese full-width punctuation (，：（）！？；) stays as it is
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B),
                                          0xFF3F, 0xFF0E, 0xFF0B, 0xFF0F, 0xFF1D]}
_FULLWIDTH_ALNUM_RE = re.compile(r"[０-９Ａ-Ｚａ-ｚ]")


def _changed_by(convert) -> re.Pattern:
    """A class of the Han characters that ``convert`` (an OpenCC conversion) maps to another single one."""
    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    conv = convert("\n".join(chars)).split("\n")
    changed = [a for a, b in zip(chars, conv, strict=False) if len(b) == 1 and a != b] if len(conv) == len(chars) else []
    return re.compile("[" + "".join(changed) + "]") if changed else re.compile(r"(?!)")


@lru_cache(maxsize=1)
def _traditional_re() -> re.Pattern:
    """Han characters that OpenCC's t2s changes (traditional-only forms), built once per process."""
    from wenforge.text.chars import to_simplified

    return _changed_by(to_simplified)


@lru_cache(maxsize=1)
def _simplified_re() -> re.Pattern:
    """Han characters that OpenCC's s2t changes (simplified-only forms), built once per process."""
    import opencc

    return _changed_by(opencc.OpenCC("s2t").convert)


@lru_cache(maxsize=1)
def _convertible_re() -> re.Pattern:
    """Either kind of character the view converts (one scan for the pages that have neither)."""
    trad = _traditional_re().pattern
    return re.compile("[" + (trad[1:-1] if trad.startswith("[") else "") + "０-９Ａ-Ｚａ-ｚ]")


TRADITIONAL_MIN = 10  # traditional-only characters on a page written in traditional script


def _is_traditional(work: str) -> bool:
    """Whether the page is written in traditional characters (a few in a simplified page are names)."""
    return len(_traditional_re().findall(work, 0, 5000)) >= TRADITIONAL_MIN


def detection_view(work: str) -> str:
    """What the detectors read, offset for offset the same as ``work``: traditional characters as
    simplified (the lexicons and patterns are simplified) and full-width letters and digits as ASCII.
    Only pages that have either are converted; a line whose conversion would change its length stays."""
    view = work
    if not _convertible_re().search(work):
        return view
    if _traditional_re().search(work):
        from wenforge.text.chars import to_simplified

        conv = to_simplified(work)
        if len(conv) != len(work):
            conv = "\n".join(c if len(c) == len(ln) else ln
                             for ln, c in ((ln, to_simplified(ln)) for ln in work.split("\n")))
        view = conv
    if _FULLWIDTH_ALNUM_RE.search(view):
        view = view.translate(_FULLWIDTH)
    return view


# --------------------------------------------------------------------------------------------- detectors


@lru_cache(maxsize=8)
def _bait_detector(use_shared: bool, categories: tuple[str, ...]) -> BaitDetector:
    return BaitDetector.default(use_shared, categories)


def _noisy_or(values) -> float:
    p = 1.0
    for v in values:
        p *= 1.0 - max(0.0, min(1.0, v))
    return 1.0 - p


def _strength(findings, cap: float = 0.9) -> float:
    """Noisy-OR of finding weights, capped: many weak findings add up, none reaches certainty alone."""
    return min(cap, _noisy_or(f.weight for f in findings))


def clean_page(text: str, config: CleanConfig | None = None) -> CleanResult:
    """Find what was injected into a page, keep what is genuine, and say why."""
    cfg = config or CleanConfig()
    if not isinstance(text, str):
        raise TypeError(f"clean_page expects str, got {type(text).__name__}")
    work = html_to_text(text) if "<" in text and looks_like_html(text) else text
    view = detection_view(work)
    lines = split_lines(view)  # detectors read the view; what is kept or removed is cut from ``work``
    if not lines:
        return CleanResult("", False, 0.0, [R.NO_CONTENT], [], work)

    f_res = residue.detect(lines) if cfg.drop_html_residue else []
    f_boil = boilerplate.detect(lines)
    f_dup = duplicates.detect(lines, min_chars=min(cfg.duplicate_min_chars_spam, cfg.duplicate_min_chars_clean))
    f_gib = gibberish.detect(lines)
    f_title = title_injection.detect(lines)
    f_hot = hotlist.detect(lines)
    f_bait = _bait_detector(cfg.use_shared_lexicons, tuple(cfg.lexicon_categories)).detect(lines)
    f_brand = brand.detect(lines)
    f_art, respaced = artifacts.detect(lines)
    f_stuff = stuffing.detect(lines)
    f_head = headline.detect(lines)
    f_sep = seams.separators(lines)
    f_stray = seams.stray_before_lead(lines)
    traditional = view is not work and _is_traditional(work)
    ev_mirror = mirror.detect(lines, traditional=traditional, original=work)
    if view is not work and not traditional:
        ev_mirror.variants += mirror.sprinkled(lines, work, _traditional_re(), _simplified_re(), view)
    ev_farm = farm.detect(lines, view)

    # ------------------------------------------------------------------ evidence per kind
    ev: dict[str, float] = {}
    f_splice = [f for f in f_head if f.detail == "spliced"]
    f_head = [f for f in f_head if f.detail != "spliced"]
    ev[R.TITLE_INJECTION] = min(0.9, sum(f.weight for f in f_title + f_head))
    jammer = [f for f in f_gib if f.detail == "jammer"]
    gib_lines = [f for f in f_gib if f.whole_line and f.detail != "jammer"]
    gib_tokens = sorted((f.weight for f in f_gib if not f.whole_line), reverse=True)
    ev[R.GIBBERISH] = _noisy_or([f.weight for f in gib_lines] + [0.3 * w for w in gib_tokens[:4] if w >= 0.5]
                                + [_strength(jammer, cap=JAMMER_CAP)])
    bait_by_line: dict[int, float] = {}
    for f in f_bait:
        bait_by_line[f.line] = bait_by_line.get(f.line, 0.0) + f.weight
    # page evidence counts each distinct lure once (its strongest context): a news story that repeats
    # 外挂 five times is about cheats; an injected page carries many different lures
    # and a lure the article itself discusses in its sentences (澳门赌场 in casino news) weighs little
    prose = "\n".join(ln.text for ln in lines if ln.sentence_like and ln.length >= TOPICAL_LINE_CHARS)
    bait_terms: dict[str, float] = {}
    for f in f_bait:
        w = f.weight * (TOPICAL_DISCOUNT if _topical(view[f.start : f.end], prose) else 1.0)
        bait_terms[f.detail] = max(bait_terms.get(f.detail, 0.0), w)
    bait_total = sum(bait_terms.values())
    ev[R.BAIT] = _noisy_or([1.0 - math.exp(-max(0.0, bait_total - 0.4) / 1.2), _strength(f_splice)])
    explicit_hot = [f for f in f_hot if f.detail == "explicit"]
    numbered = [f for f in f_hot if f.detail == "numbered"]
    alien_lines = {f.line for f in f_gib if f.weight >= 0.5}
    baity_numbered = [f for f in numbered if bait_by_line.get(f.line, 0) >= 0.4 or f.line in alien_lines]
    ev[R.HOTLIST] = _noisy_or([0.4] * min(3, len(explicit_hot)) + [0.2] * min(3, len(baity_numbered)))
    datelines = {m.group() for ln in lines for m in [stitched.DATELINE_RE.search(ln.text[:80])] if m} \
        if ("日电" in view or "日讯" in view or "日消息" in view) else set()
    two_stories = len(datelines) >= 2
    ev[R.STITCHED] = _noisy_or([0.2 if two_stories else 0.0, SEAM_WITH_DATELINES if f_sep and two_stories else 0.0,
                                _strength(f_sep, cap=SEAM_ALONE), _strength(f_stray)])
    ev[R.BOILERPLATE] = max((f.weight for f in f_boil), default=0.0)
    shapes = {f.detail: f for f in f_brand}.values()
    grey = [f for f in shapes if brand.GREY_RE.search(f.detail) or f.weight >= BRAND_STRONG]
    # shapes without a grey trade (立即注册本站会员, 分享网址:) are site chrome as often as injection
    ev[R.BRAND_INJECTION] = max(_strength(grey), _strength([f for f in shapes if f not in grey], cap=BRAND_PLAIN_CAP))
    ev[R.TEMPLATE_ARTIFACT] = _noisy_or([_strength(f_art), ARTIFACT_RESPACED if respaced >= artifacts.RESPACED_MIN
                                         else 0.0])
    ev[R.KEYWORD_STUFFING] = _strength(f_stuff)
    ev[R.MIRROR_REPAIRED] = max(ev_mirror.gloss_weight, ev_mirror.variant_weight, ev_mirror.leftover_weight)
    ev[R.SPUN_TEXT] = ev_mirror.spun_weight
    ev[R.CONTENT_FARM] = ev_farm.weight
    score = _noisy_or(ev.values())
    # a page with only one kind of weak evidence stays below the threshold by construction
    spam = score >= cfg.spam_threshold

    # ------------------------------------------------------------------ salvage
    drop_line: dict[int, tuple[str, Finding | None]] = {}
    inline: list[Finding] = list(f_res)

    def mark(f: Finding, reason: str | None = None) -> None:
        if f.line is not None and f.line not in drop_line:
            drop_line[f.line] = (reason or f.reason, f)

    for f in f_dup:
        min_chars = cfg.duplicate_min_chars_spam if spam else cfg.duplicate_min_chars_clean
        if f.end - f.start >= min_chars:
            mark(f)
    for f in jammer:  # noise on any page, like HTML residue
        mark(f)
    if cfg.boilerplate == "drop" or (cfg.boilerplate == "drop_on_spam" and spam):
        for f in f_boil:
            mark(f)
    exclude_page = ""  # a reason when nothing on the page is genuine
    if spam and ev[R.CONTENT_FARM] >= FARM_EXCLUDE:
        exclude_page = R.CONTENT_FARM
    elif spam and ev[R.SPUN_TEXT] >= SPUN_EXCLUDE and cfg.spun_text == "exclude":
        exclude_page = R.SPUN_TEXT
    if spam:
        # a title copy decorated only by brand shapes keeps its headline: the shapes are cut
        brand_lines = _brand_lines(lines, f_brand) if f_brand else []
        kept_titles = {f.line for f in f_brand if f.weight >= BRAND_CUT} - {f.line for f in brand_lines}
        for f in f_title:
            if f.line not in kept_titles:
                mark(f)
        for f in gib_lines:
            mark(f)
        for f in explicit_hot:
            mark(f)
        for f in baity_numbered:
            mark(f, R.HOTLIST)
        for f in f_stuff + [f for f in f_stray + f_sep if f.whole_line]:
            mark(f)
        for f in f_art:
            if f.whole_line:
                mark(f)
        for f in brand_lines:
            mark(f)
        baits_of, brands_of = _by_line(f_bait), _by_line(f_brand)
        for ln in lines:
            b = bait_by_line.get(ln.index, 0.0)
            if ln.index in drop_line or (ln.index in kept_titles and _inside(baits_of.get(ln.index, ()),
                                                                             brands_of.get(ln.index, ()))):
                continue
            if (b >= 0.5 and (ln.length <= 100 or not ln.sentence_like)) or b >= 1.5:
                drop_line[ln.index] = (R.BAIT, None)
            elif ln.index in alien_lines and ln.n_cjk == 0:
                drop_line[ln.index] = (R.GIBBERISH, None)
            elif ln.index in alien_lines and ln.length <= 80 and not ln.sentence_like:
                drop_line[ln.index] = (R.HOTLIST if ln.index > len(lines) // 3 else R.TITLE_INJECTION, None)
        hot_idx = {i for i, (code, _) in drop_line.items() if code in (R.HOTLIST, R.BAIT, R.GIBBERISH)}
        injected = {i for i, (code, _) in drop_line.items() if code in R.INJECTION_CODES}
        f_st, _main = stitched.detect(lines, injected, hot_lines=hot_idx, ignore=set(drop_line) - injected,
                                      max_containment=cfg.stitched_containment,
                                      max_unigram=cfg.stitched_unigram,
                                      keep_names={f.detail for f in f_title if f.detail != "single"})
        for f in f_st:
            mark(f)
        # numbered headline candidates between removed hot-list lines are part of the list
        for f in numbered:
            if f.line not in drop_line and (f.line - 1 in drop_line or f.line + 1 in drop_line) and \
                    _main is not None and not (_main[0] <= f.line <= _main[1]):
                mark(f, R.HOTLIST)
        inline += [f for f in f_gib if not f.whole_line and f.weight >= 0.5]
        inline += [f for f in f_bait if f.weight >= 0.5]
        inline += [f for f in f_brand if f.weight >= BRAND_CUT]
        inline += [f for f in f_art if not f.whole_line]
        inline += [f for f in f_sep + f_stray if not f.whole_line]
        inline += f_head + f_splice
        inline += ev_mirror.glosses
        inline += ev_mirror.variants
        if respaced >= artifacts.RESPACED_MIN:
            inline += _respaced(lines)

    # ------------------------------------------------------------------ assemble
    removed: list[RemovedSpan] = []
    kept_parts: list[str] = []
    by_line = _by_line([f for f in inline if f.line is not None and f.line not in drop_line])
    for ln in lines:
        if ln.index in drop_line:
            reason = drop_line[ln.index][0]
            removed.append(RemovedSpan(ln.start, ln.end, reason, work[ln.start : ln.end]))
            continue
        spans = sorted(by_line.get(ln.index, ()), key=lambda f: (f.start, -f.end))
        if not spans:
            kept_parts.append(work[ln.start : ln.end])
            continue
        pos = ln.start
        buf = []
        for f in spans:
            if f.start < pos:
                continue
            buf.append(work[pos : f.start])
            repl = _replacement(f, work)
            buf.append(repl)
            removed.append(RemovedSpan(f.start, f.end, f.reason, work[f.start : f.end], repl))
            pos = f.end
        buf.append(work[pos : ln.end])
        t = "".join(buf).strip()
        cuts = [f for f in spans if not _replacement(f, work)]
        # the separators that tied a cut shape to the line go with it, at the end where it was cut
        if any(f.start == ln.start for f in cuts):
            t = _SEP_HEAD_RE.sub("", t)
        if any(f.end == ln.end for f in cuts):
            t = _SEP_TAIL_RE.sub("", t)
        if t:
            kept_parts.append(t)
    out_text = "\n".join(kept_parts)
    reasons = sorted({r.reason for r in removed}, key=list(R.REASONS).index)
    if exclude_page:
        out_text = ""
        reasons = [exclude_page, *(r for r in reasons if r != exclude_page)]
    n_genuine = len("".join(out_text.split()))
    if n_genuine < cfg.min_salvage_chars and (spam or not out_text.strip()):
        out_text = ""
        reasons.append(R.NO_CONTENT)
    if spam:
        for code, v in ev.items():
            if v >= 0.2 and code in R.INJECTION_CODES and code not in reasons:
                reasons.append(code)
    removed.sort(key=lambda r: r.start)
    return CleanResult(out_text, spam, round(score, 4), reasons, removed, work, ev,
                       _signals(ev_farm, ev_mirror, respaced))


SEAM_WITH_DATELINES = 0.5  # separator runs between two datelined stories: a stitched page
SEAM_ALONE = 0.3  # a divider alone: some sites draw them
JAMMER_CAP = 0.3  # forum jammer lines alone never make a page spam
TOPICAL_LINE_CHARS = 40  # a sentence line this long is the article's prose
TOPICAL_DISCOUNT = 0.3
ARTIFACT_RESPACED = 0.3  # re-spaced marks: a scraper's copy, or a careless typist; needs a second sign
FARM_EXCLUDE = 0.45  # template evidence this strong: the page is generated, nothing on it is an article
SPUN_EXCLUDE = 0.5
BRAND_PLAIN_CAP = 0.3
BRAND_STRONG = 0.5  # a shape this strong counts without a trade (a handle glued after the title: |xyxy777)
BRAND_CUT = 0.3  # brand shapes at least this strong are cut from the lines that stay
BRAND_LINE_REST = 6  # a title line with fewer Han characters than this beside its brand shapes goes whole
_SEP_HEAD_RE = re.compile(r"^[\s\-_|｜:：,，、·>]+")
_SEP_TAIL_RE = re.compile(r"[\s\-_|｜:：,，、·>]+$")
_FULLWIDTH_MARK = {",": "，", ".": "。", ":": "：", ";": "；", "?": "？", "!": "！"}


def _signals(ev_farm: farm.FarmEvidence, ev_mirror: mirror.MirrorEvidence, respaced: int) -> list[dict]:
    """The page-level signals that have no span of their own: which template or mirror evidence fired."""
    out: list[dict] = []

    def add(reason: str, signal: str, detail) -> None:
        out.append({"reason": reason, "signal": signal, "detail": detail})

    if ev_farm.stub:
        add(R.CONTENT_FARM, "stub", "the page is one label or question phrase")
    if ev_farm.placeholders:
        add(R.CONTENT_FARM, "placeholders", [t for _, _, t in ev_farm.placeholders[:5]])
    if ev_farm.leftovers:
        add(R.CONTENT_FARM, "model_leftovers", [t for _, _, t in ev_farm.leftovers[:5]])
    if ev_farm.stock_phrases:
        add(R.CONTENT_FARM, "stock_phrases", {"distinct": ev_farm.stock_phrases, "sourced": ev_farm.sourced})
    if ev_farm.outline:
        add(R.CONTENT_FARM, "undated_outline", "headings over paragraphs, no date, source or first person")
    if ev_mirror.glosses:
        add(R.MIRROR_REPAIRED, "pinyin_glosses", {"count": len(ev_mirror.glosses), "traditional": ev_mirror.traditional})
    if ev_mirror.variants:
        add(R.MIRROR_REPAIRED, "variants", sorted({f.detail for f in ev_mirror.variants}))
    if ev_mirror.leftover_weight:
        add(R.MIRROR_REPAIRED, "converter_leftovers", ev_mirror.leftovers)
    if ev_mirror.spun:
        add(R.SPUN_TEXT, "spinner_outputs", dict(ev_mirror.spun))
    if respaced:
        add(R.TEMPLATE_ARTIFACT, "respaced_marks", respaced)
    return out


def _topical(term: str, prose: str) -> bool:
    """Whether the article's own sentences use the term or most of its character pairs (赌场 … 博彩业)."""
    if term in prose:
        return True
    pairs = {term[i : i + 2] for i in range(len(term) - 1)}
    return len(pairs) >= 2 and sum(p in prose for p in pairs) * 2 >= len(pairs)


def _brand_lines(lines: list[Line], f_brand: list[Finding]) -> list[Finding]:
    """Lines that are brand shapes and separators with (almost) nothing else: they go whole."""
    by_line = _by_line(f_brand)
    out = []
    for ln in lines:
        fs = by_line.get(ln.index)
        if not fs:
            continue
        covered = {i for f in fs for i in range(f.start - ln.start, f.end - ln.start)}
        rest = "".join(c for i, c in enumerate(ln.text) if i not in covered)
        if cjk_count(rest) < BRAND_LINE_REST:
            out.append(Finding(ln.start, ln.end, R.BRAND_INJECTION, max(f.weight for f in fs), ln.index,
                               whole_line=True))
    return out


def _by_line(findings: list[Finding]) -> dict[int, list[Finding]]:
    """Findings grouped by the line they belong to."""
    out: dict[int, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.line, []).append(f)
    return out


def _inside(baits, shapes) -> bool:
    """Whether every lure of a line lies inside one of the line's brand shapes."""
    return all(any(s.start <= b.start and b.end <= s.end for s in shapes) for b in baits)


def _respaced(lines: list[Line]) -> list[Finding]:
    """Repairs for re-spaced ASCII marks: ` , ` between Chinese characters becomes `，`."""
    return [Finding(ln.start + m.start(), ln.start + m.end(), R.TEMPLATE_ARTIFACT, 0.5, ln.index,
                    detail=_FULLWIDTH_MARK[m.group().strip()])
            for ln in lines if " " in ln.text for m in artifacts.RESPACED_RE.finditer(ln.text)]


def _replacement(f: Finding, work: str) -> str:
    """What a repaired span becomes: a variant character its standard form (in the page's script), a
    re-spaced mark its full-width form; everything else is cut."""
    if f.reason == R.MIRROR_REPAIRED and f.end - f.start == 1:
        return f.detail
    if f.reason == R.TEMPLATE_ARTIFACT and f.detail in _FULLWIDTH_MARK.values():
        return f.detail
    return ""
