"""``clean_page``: run the detectors, decide whether the page is injected, and salvage the genuine text.

The page decision is a noisy-OR of detector evidence (title injection, gibberish, hot-list templates,
weighted bait, several datelines); no single short lexicon hit can reach the threshold. Salvage is
conservative on clean pages (only HTML residue and long repeated paragraphs go, boilerplate by config)
and adversarial on spam pages (injected lines, stitched paragraphs outside the main article, alien tokens
and bait inside kept lines).

The steps, each a function here: ``gather`` (every detector over the page), ``decide`` (evidence per kind, the
page score, spam), ``salvage`` (the lines that go whole and the spans cut inside the others), ``assemble``
(the salvaged text and the removed spans) and ``page_reasons``. The weights a user may tune are ``CleanConfig``
fields, read here from the config; the module constants below are how the evidence is read.

Offsets in ``removed`` index the input text, or for an HTML document the text extracted from it
(``CleanResult.source_text``).
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

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
    machine,
    mirror,
    residue,
    seams,
    stitched,
    stuffing,
    title_injection,
)
from wenforge.clean.detectors.bait import BaitDetector
from wenforge.clean.detectors.common import Finding, Line, cjk_count, split_lines
from wenforge.core import reasons as R


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
    """What ``clean_page`` made of a page: the salvaged text, the decision, and why."""

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


HTML_SNIFF_CHARS = 20000  # a document shows its block tags early; scanning further only costs time
HTML_MIN_TAGS = 3  # text that mentions a tag or two is not markup; a document has many


def looks_like_html(text: str) -> bool:
    """Whether the input is an HTML document (block tags near its start), not text quoting a tag."""
    return len(_HTML_DOC_RE.findall(text[:HTML_SNIFF_CHARS])) >= HTML_MIN_TAGS


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
TRADITIONAL_SNIFF_CHARS = 5000  # the page's opening shows its script


def _is_traditional(work: str) -> bool:
    """Whether the page is written in traditional characters (a few in a simplified page are names)."""
    return len(_traditional_re().findall(work, 0, TRADITIONAL_SNIFF_CHARS)) >= TRADITIONAL_MIN


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


# --------------------------------------------------------------------------------------------- constants
# (the weights a user may tune are ``CleanConfig`` fields; these are how the evidence is read)

EVIDENCE_CAP = 0.9  # no kind of evidence reaches certainty alone, however many findings it has
ALIEN_MIN = 0.5  # an alien score this high is an injected token (a model number or a unit scores lower)
GIB_TOKEN_SHARE = 0.3  # an alien token inside a kept line is weak evidence: a page may quote one code
GIB_TOKEN_MAX = 4  # only the strongest tokens count: one noisy line must not flag a page alone
HOTLIST_MAX_LINES = 3  # a hot list longer than three lines is no more certain than three
HOTLIST_BAIT_MIN = 0.4  # bait on a numbered headline at which the headline is a hot-list line
TOPICAL_LINE_CHARS = 40  # a sentence line this long is the article's prose
DATELINE_HINTS = ("日电", "日讯", "日消息")  # a page with none of these has no dateline (one cheap scan)
DATELINE_PREFIX_CHARS = 80  # a dateline opens its story's first line
TWO_STORIES = 2  # datelines of distinct stories on one page: a stitched page, or a digest
BRAND_STRONG = 0.5  # a shape this strong counts without a trade (a handle glued after the title: |xyxy777)
BRAND_LINE_REST = 6  # a title line with fewer Han characters than this beside its brand shapes goes whole
BAIT_LINE_SHORT = 100  # a bait line up to this long is a headline or a lure list, not an article paragraph
BAIT_LINE_HEAVY = 1.5  # bait this heavy on one line: the line goes whatever its length or punctuation
ALIEN_LINE_SHORT = 80  # an unpunctuated line this short with an alien token is a hot headline or a title copy
TITLE_ZONE_PARTS = 3  # the first third of the page is where title copies stand; below it hot lists
RESPACED_REPAIR_WEIGHT = 0.5  # the weight of a re-spaced mark's repair (no evidence: the score reads respaced_weight)
TOPICAL_PAIRS_MIN = 2  # a lure needs two character pairs before a partial match with the prose says anything
TOPICAL_PAIR_SHARE = 0.5  # of the lure's pairs the prose uses for the article to be about it (赌场 … 博彩业)
SIGNAL_EXAMPLES = 5  # examples of a page-level signal shown by --explain
_HOT_LINE_CODES = (R.HOTLIST, R.BAIT, R.GIBBERISH)  # removed lines that mark where a template's hot zone starts
_SEP_HEAD_RE = re.compile(r"^[\s\-_|｜:：,，、·>]+")
_SEP_TAIL_RE = re.compile(r"[\s\-_|｜:：,，、·>]+$")
_FULLWIDTH_MARK = {",": "，", ".": "。", ":": "：", ";": "；", "?": "？", "!": "！"}

Drops = dict[int, tuple[str, Finding | None]]  # line index -> (reason, the finding) for the lines that go whole


# --------------------------------------------------------------------------------------------- detectors


@lru_cache(maxsize=8)
def _bait_detector(use_shared: bool, categories: tuple[str, ...]) -> BaitDetector:
    """The bait detector for a lexicon choice (built once per process and choice)."""
    return BaitDetector.default(use_shared, categories)


def _noisy_or(values) -> float:
    """1 - prod(1 - v): independent pieces of evidence, each clipped to [0, 1]."""
    p = 1.0
    for v in values:
        p *= 1.0 - max(0.0, min(1.0, v))
    return 1.0 - p


def _strength(findings, cap: float = EVIDENCE_CAP) -> float:
    """Noisy-OR of finding weights, capped: many weak findings add up, none reaches certainty alone."""
    return min(cap, _noisy_or(f.weight for f in findings))


@dataclass
class Found:
    """What the detectors found on one page (read through the detection view), split the way the decision uses it."""

    residue: list[Finding]
    boilerplate: list[Finding]
    duplicates: list[Finding]
    gibberish: list[Finding]
    titles: list[Finding]
    hotlist: list[Finding]
    bait: list[Finding]
    brand: list[Finding]
    artifacts: list[Finding]
    respaced: int  # re-spaced ASCII marks on the page
    stuffing: list[Finding]
    headline: list[Finding]  # headline injection, without the spliced lures
    spliced: list[Finding]  # lures spliced into the headline
    separators: list[Finding]
    stray: list[Finding]
    mirror: mirror.MirrorEvidence
    farm: farm.FarmEvidence
    jammer: list[Finding] = field(init=False)  # forum jammer lines
    gib_lines: list[Finding] = field(init=False)  # whole gibberish lines (jammers apart)
    explicit_hot: list[Finding] = field(init=False)  # TOP1热点 …
    numbered: list[Finding] = field(init=False)  # numbered headline candidates
    bait_by_line: dict[int, float] = field(init=False)  # summed bait weight per line
    alien_lines: set[int] = field(init=False)  # lines with a strong alien token
    baity_numbered: list[Finding] = field(init=False)  # numbered headlines carrying bait or alien tokens

    def __post_init__(self) -> None:
        self.jammer = [f for f in self.gibberish if f.detail == "jammer"]
        self.gib_lines = [f for f in self.gibberish if f.whole_line and f.detail != "jammer"]
        self.explicit_hot = [f for f in self.hotlist if f.detail == "explicit"]
        self.numbered = [f for f in self.hotlist if f.detail == "numbered"]
        self.bait_by_line = {}
        for f in self.bait:
            self.bait_by_line[f.line] = self.bait_by_line.get(f.line, 0.0) + f.weight
        self.alien_lines = {f.line for f in self.gibberish if f.weight >= ALIEN_MIN}
        self.baity_numbered = [f for f in self.numbered if self.bait_by_line.get(f.line, 0) >= HOTLIST_BAIT_MIN
                               or f.line in self.alien_lines]


def gather(lines: list[Line], view: str, work: str, cfg: CleanConfig) -> Found:
    """Run every detector over the page's lines (``view``: what they read; ``work``: the page as written)."""
    f_res = residue.detect(lines) if cfg.drop_html_residue else []
    f_boil = boilerplate.detect(lines)
    f_dup = duplicates.detect(lines, min_chars=min(cfg.duplicate_min_chars_spam, cfg.duplicate_min_chars_clean))
    f_gib = gibberish.detect(lines)
    f_title = title_injection.detect(lines)
    f_hot = hotlist.detect(lines, explicit_weight=cfg.hotlist_line_weight)
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
    if cfg.machine_prose and not ev_farm.sourced:
        prose = machine.read(view, cfg.machine_prose_threshold)
        if prose is not None:
            ev_farm.machine_prose, ev_farm.machine_grams = prose.probability, prose.grams
            ev_farm.machine_fired = prose.probability >= cfg.machine_prose_threshold
    return Found(residue=f_res, boilerplate=f_boil, duplicates=f_dup, gibberish=f_gib, titles=f_title, hotlist=f_hot,
                 bait=f_bait, brand=f_brand, artifacts=f_art, respaced=respaced, stuffing=f_stuff,
                 headline=[f for f in f_head if f.detail != "spliced"],
                 spliced=[f for f in f_head if f.detail == "spliced"], separators=f_sep, stray=f_stray,
                 mirror=ev_mirror, farm=ev_farm)


# --------------------------------------------------------------------------------------------- decision


def evidence(found: Found, lines: list[Line], view: str, cfg: CleanConfig) -> dict[str, float]:
    """The page's evidence per injection kind, each in [0, 1]; the page score is their noisy-OR."""
    m = found.mirror
    out = {
        R.TITLE_INJECTION: min(EVIDENCE_CAP, sum(f.weight for f in found.titles + found.headline)),
        R.GIBBERISH: _gibberish_evidence(found, cfg),
        R.BAIT: _noisy_or([_bait_evidence(found, lines, view, cfg), _strength(found.spliced)]),
        R.HOTLIST: _hotlist_evidence(found, cfg),
        R.STITCHED: _stitched_evidence(found, lines, view, cfg),
        R.BOILERPLATE: max((f.weight for f in found.boilerplate), default=0.0),
        R.BRAND_INJECTION: _brand_evidence(found, cfg),
        R.TEMPLATE_ARTIFACT: _noisy_or([_strength(found.artifacts),
                                        cfg.respaced_weight if found.respaced >= artifacts.RESPACED_MIN else 0.0]),
        R.KEYWORD_STUFFING: _strength(found.stuffing),
        R.MIRROR_REPAIRED: max(m.gloss_weight, m.variant_weight, m.leftover_weight),
        R.SPUN_TEXT: m.spun_weight,
        R.CONTENT_FARM: found.farm.weight,
    }
    # machine-written prose marks a farm only where nothing was injected: an injected page carries an article
    # (maybe a model's, but someone's) that salvage keeps
    injected = max(v for k, v in out.items() if k in R.INJECTION_CODES and k != R.CONTENT_FARM)
    if found.farm.machine_fired and injected < cfg.reason_min_evidence:
        out[R.CONTENT_FARM] = max(out[R.CONTENT_FARM], farm.MACHINE_WEIGHT)
    return out


def decide(found: Found, lines: list[Line], view: str, cfg: CleanConfig) -> tuple[dict[str, float], float, bool]:
    """(evidence per kind, page score, spam); a page with only one kind of weak evidence stays below the threshold
    by construction."""
    ev = evidence(found, lines, view, cfg)
    score = _noisy_or(ev.values())
    return ev, score, score >= cfg.spam_threshold


def _gibberish_evidence(found: Found, cfg: CleanConfig) -> float:
    """Whole gibberish lines, the strongest alien tokens inside lines (weakly), and jammer lines (capped)."""
    tokens = sorted((f.weight for f in found.gibberish if not f.whole_line), reverse=True)
    return _noisy_or([f.weight for f in found.gib_lines]
                     + [GIB_TOKEN_SHARE * w for w in tokens[:GIB_TOKEN_MAX] if w >= ALIEN_MIN]
                     + [_strength(found.jammer, cap=cfg.jammer_cap)])


def _bait_evidence(found: Found, lines: list[Line], view: str, cfg: CleanConfig) -> float:
    """Each distinct lure counts once (its strongest context): a news story that repeats 外挂 five times is about
    cheats, an injected page carries many different lures; a lure the article itself discusses in its
    sentences (澳门赌场 in casino news) weighs little. The first ``bait_allowance`` is free."""
    prose = "\n".join(ln.text for ln in lines if ln.sentence_like and ln.length >= TOPICAL_LINE_CHARS)
    terms: dict[str, float] = {}
    for f in found.bait:
        w = f.weight * (cfg.topical_bait_discount if _topical(view[f.start : f.end], prose) else 1.0)
        terms[f.detail] = max(terms.get(f.detail, 0.0), w)
    total = sum(terms.values())
    return 1.0 - math.exp(-max(0.0, total - cfg.bait_allowance) / cfg.bait_saturation)


def _hotlist_evidence(found: Found, cfg: CleanConfig) -> float:
    """Explicit hot-list lines, and numbered headlines that carry bait or alien tokens (the first few of each)."""
    return _noisy_or([f.weight for f in found.explicit_hot[:HOTLIST_MAX_LINES]]
                     + [cfg.hotlist_bait_line_weight] * min(HOTLIST_MAX_LINES, len(found.baity_numbered)))


def _datelines(lines: list[Line], view: str) -> set[str]:
    """The distinct datelines (新华社北京5月10日电) opening the page's lines."""
    if not any(h in view for h in DATELINE_HINTS):
        return set()
    return {m.group() for ln in lines for m in [stitched.DATELINE_RE.search(ln.text[:DATELINE_PREFIX_CHARS])] if m}


def _stitched_evidence(found: Found, lines: list[Line], view: str, cfg: CleanConfig) -> float:
    """Two datelined stories, separator runs (strong between two stories) and fragments glued above a news lead."""
    two_stories = len(_datelines(lines, view)) >= TWO_STORIES
    return _noisy_or([cfg.two_stories_weight if two_stories else 0.0,
                      cfg.separator_dateline_weight if found.separators and two_stories else 0.0,
                      _strength(found.separators, cap=cfg.separator_cap), _strength(found.stray)])


def _brand_evidence(found: Found, cfg: CleanConfig) -> float:
    """Brand shapes (each distinct one once); shapes without a grey trade (立即注册本站会员, 分享网址:) are site
    chrome as often as injection, so they are capped."""
    shapes = {f.detail: f for f in found.brand}.values()
    grey = [f for f in shapes if brand.GREY_RE.search(f.detail) or f.weight >= BRAND_STRONG]
    return max(_strength(grey), _strength([f for f in shapes if f not in grey], cap=cfg.brand_plain_cap))


def page_exclusion(ev: dict[str, float], spam: bool, cfg: CleanConfig) -> str:
    """The reason when nothing on a spam page is genuine (a generated or spun page), else ``""``."""
    if spam and ev[R.CONTENT_FARM] >= cfg.content_farm_exclude:
        return R.CONTENT_FARM
    if spam and ev[R.SPUN_TEXT] >= cfg.spun_text_exclude and cfg.spun_text == "exclude":
        return R.SPUN_TEXT
    return ""


# --------------------------------------------------------------------------------------------- salvage


def _mark(drops: Drops, f: Finding, reason: str | None = None) -> None:
    """The finding's line goes whole (the first reason given for a line stays)."""
    if f.line is not None and f.line not in drops:
        drops[f.line] = (reason or f.reason, f)


def salvage(found: Found, lines: list[Line], spam: bool, cfg: CleanConfig) -> tuple[Drops, list[Finding]]:
    """The lines that go whole and the spans cut from the lines that stay: on any page HTML residue, jammer
    lines, repeated lines (long ones on clean pages) and boilerplate by config; on spam pages the injection."""
    drops: Drops = {}
    min_chars = cfg.duplicate_min_chars_spam if spam else cfg.duplicate_min_chars_clean
    for f in found.duplicates:
        if f.end - f.start >= min_chars:
            _mark(drops, f)
    for f in found.jammer:  # noise on any page, like HTML residue
        _mark(drops, f)
    if cfg.boilerplate == "drop" or (cfg.boilerplate == "drop_on_spam" and spam):
        for f in found.boilerplate:
            _mark(drops, f)
    inline = list(found.residue)
    if spam:
        echoes = _echoes(found, lines, cfg)
        _drop_injected_lines(found, lines, drops, cfg, echoes)
        _drop_stitched(found, lines, drops, cfg)
        inline += _inline_cuts(found, lines, cfg, echoes)
    return drops, inline


def _echoes(found: Found, lines: list[Line], cfg: CleanConfig) -> list[Finding]:
    """Other places of the names of the page's confirmed grey brand shapes (spam pages only: salvage)."""
    confirmed = [f for f in found.brand if f.weight >= cfg.brand_cut
                 and (brand.GREY_RE.search(f.detail) or f.weight >= BRAND_STRONG)]
    return brand.echoes(lines, confirmed) if confirmed else []


def _drop_injected_lines(found: Found, lines: list[Line], drops: Drops, cfg: CleanConfig,
                         echoes: list[Finding]) -> None:
    """On a spam page: title copies, gibberish and hot-list lines, stuffing, seams, artifact and brand lines, and
    lines that are mostly lures or alien tokens (``echoes``: the other places of confirmed brands' names). A
    title copy decorated only by brand shapes keeps its headline: the shapes are cut from it."""
    shapes = found.brand + echoes
    brand_lines = _brand_lines(lines, shapes) if shapes else []
    kept_titles = {f.line for f in shapes if f.weight >= cfg.brand_cut} - {f.line for f in brand_lines}
    for f in found.titles:
        if f.line not in kept_titles:
            _mark(drops, f)
    for f in found.gib_lines + found.explicit_hot:
        _mark(drops, f)
    for f in found.baity_numbered:
        _mark(drops, f, R.HOTLIST)
    for f in found.stuffing + [f for f in found.stray + found.separators if f.whole_line]:
        _mark(drops, f)
    for f in found.artifacts:
        if f.whole_line:
            _mark(drops, f)
    for f in brand_lines:
        _mark(drops, f)
    baits_of, brands_of = _by_line(found.bait), _by_line(shapes)
    for ln in lines:
        if ln.index in drops or (ln.index in kept_titles and _inside(baits_of.get(ln.index, ()),
                                                                     brands_of.get(ln.index, ()))):
            continue
        reason = _lure_line_reason(ln, found, len(lines), cfg)
        if reason:
            drops[ln.index] = (reason, None)


def _lure_line_reason(ln: Line, found: Found, n_lines: int, cfg: CleanConfig) -> str:
    """Why a line no detector removed whole goes on a spam page (``""``: it stays): a short or headline-like line
    with bait, or a line with an alien token and no Chinese, or short and unpunctuated (a title copy near the top,
    a hot headline below)."""
    b = found.bait_by_line.get(ln.index, 0.0)
    if (b >= cfg.bait_cut and (ln.length <= BAIT_LINE_SHORT or not ln.sentence_like)) or b >= BAIT_LINE_HEAVY:
        return R.BAIT
    if ln.index in found.alien_lines and ln.n_cjk == 0:
        return R.GIBBERISH
    if ln.index in found.alien_lines and ln.length <= ALIEN_LINE_SHORT and not ln.sentence_like:
        return R.HOTLIST if ln.index > n_lines // TITLE_ZONE_PARTS else R.TITLE_INJECTION
    return ""


def _drop_stitched(found: Found, lines: list[Line], drops: Drops, cfg: CleanConfig) -> None:
    """Paragraphs outside the main article that are about something else, and numbered headlines between removed
    hot-list lines (part of the list)."""
    hot_idx = {i for i, (code, _) in drops.items() if code in _HOT_LINE_CODES}
    injected = {i for i, (code, _) in drops.items() if code in R.INJECTION_CODES}
    f_st, main = stitched.detect(lines, injected, hot_lines=hot_idx, ignore=set(drops) - injected,
                                 max_containment=cfg.stitched_containment, max_unigram=cfg.stitched_unigram,
                                 keep_names={f.detail for f in found.titles if f.detail != "single"})
    for f in f_st:
        _mark(drops, f)
    for f in found.numbered:
        if f.line not in drops and (f.line - 1 in drops or f.line + 1 in drops) and \
                main is not None and not (main[0] <= f.line <= main[1]):
            _mark(drops, f, R.HOTLIST)


def _inline_cuts(found: Found, lines: list[Line], cfg: CleanConfig, echoes: list[Finding]) -> list[Finding]:
    """Spans cut (or repaired) inside the lines that stay on a spam page."""
    m = found.mirror
    return ([f for f in found.gibberish if not f.whole_line and f.weight >= ALIEN_MIN]
            + [f for f in found.bait if f.weight >= cfg.bait_cut]
            + [f for f in found.brand + echoes if f.weight >= cfg.brand_cut]
            + [f for f in found.artifacts if not f.whole_line]
            + [f for f in found.separators + found.stray if not f.whole_line]
            + found.headline + found.spliced + m.glosses + m.variants
            + (_respaced(lines) if found.respaced >= artifacts.RESPACED_MIN else []))


# --------------------------------------------------------------------------------------------- assemble


def assemble(lines: list[Line], work: str, drops: Drops, inline: list[Finding]) -> tuple[str, list[RemovedSpan]]:
    """The salvaged text (lines that stay, with their spans cut or repaired) and every removed span, in page order."""
    removed: list[RemovedSpan] = []
    kept: list[str] = []
    by_line = _by_line([f for f in inline if f.line is not None and f.line not in drops])
    for ln in lines:
        if ln.index in drops:
            removed.append(RemovedSpan(ln.start, ln.end, drops[ln.index][0], work[ln.start : ln.end]))
            continue
        spans = by_line.get(ln.index)
        if not spans:
            kept.append(work[ln.start : ln.end])
            continue
        t = _cut_line(ln, sorted(spans, key=lambda f: (f.start, -f.end)), work, removed)
        if t:
            kept.append(t)
    removed.sort(key=lambda r: r.start)
    return "\n".join(kept), removed


def _cut_line(ln: Line, spans: list[Finding], work: str, removed: list[RemovedSpan]) -> str:
    """The line with its spans cut or replaced (recorded in ``removed``); the separators that tied a cut shape to
    the line go with it, at the end where it was cut."""
    pos = ln.start
    buf = []
    for f in spans:
        if f.start < pos:
            continue
        buf.append(work[pos : f.start])
        repl = _replacement(f)
        buf.append(repl)
        removed.append(RemovedSpan(f.start, f.end, f.reason, work[f.start : f.end], repl))
        pos = f.end
    buf.append(work[pos : ln.end])
    t = "".join(buf).strip()
    cuts = [f for f in spans if not _replacement(f)]
    if any(f.start == ln.start for f in cuts):
        t = _SEP_HEAD_RE.sub("", t)
    if any(f.end == ln.end for f in cuts):
        t = _SEP_TAIL_RE.sub("", t)
    return t


def page_reasons(out_text: str, removed: list[RemovedSpan], ev: dict[str, float], spam: bool, exclude: str,
                 cfg: CleanConfig) -> tuple[str, list[str]]:
    """The final text and reason codes: what was removed (registry order), the page exclusion first, no_content
    when too little genuine text is left, and on spam pages the injection kinds whose evidence fired."""
    reasons = sorted({r.reason for r in removed}, key=list(R.REASONS).index)
    if exclude:
        out_text = ""
        reasons = [exclude, *(r for r in reasons if r != exclude)]
    n_genuine = len("".join(out_text.split()))
    if n_genuine < cfg.min_salvage_chars and (spam or not out_text.strip()):
        out_text = ""
        reasons.append(R.NO_CONTENT)
    if spam:
        reasons += [code for code, v in ev.items()
                    if v >= cfg.reason_min_evidence and code in R.INJECTION_CODES and code not in reasons]
    return out_text, reasons


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
    found = gather(lines, view, work, cfg)
    ev, score, spam = decide(found, lines, view, cfg)
    drops, inline = salvage(found, lines, spam, cfg)
    out_text, removed = assemble(lines, work, drops, inline)
    out_text, reasons = page_reasons(out_text, removed, ev, spam, page_exclusion(ev, spam, cfg), cfg)
    return CleanResult(out_text, spam, round(score, 4), reasons, removed, work, ev,
                       _signals(found.farm, found.mirror, found.respaced))


# --------------------------------------------------------------------------------------------- helpers


def _signals(ev_farm: farm.FarmEvidence, ev_mirror: mirror.MirrorEvidence, respaced: int) -> list[dict]:
    """The page-level signals that have no span of their own: which template or mirror evidence fired."""
    out: list[dict] = []

    def add(reason: str, signal: str, detail) -> None:
        out.append({"reason": reason, "signal": signal, "detail": detail})

    if ev_farm.stub:
        add(R.CONTENT_FARM, "stub", "the page is one label or question phrase")
    if ev_farm.placeholders:
        add(R.CONTENT_FARM, "placeholders", [t for _, _, t in ev_farm.placeholders[:SIGNAL_EXAMPLES]])
    if ev_farm.leftovers:
        add(R.CONTENT_FARM, "model_leftovers", [t for _, _, t in ev_farm.leftovers[:SIGNAL_EXAMPLES]])
    if ev_farm.stock_phrases:
        add(R.CONTENT_FARM, "stock_phrases", {"distinct": ev_farm.stock_phrases, "sourced": ev_farm.sourced})
    if ev_farm.outline:
        add(R.CONTENT_FARM, "undated_outline", "headings over paragraphs, no date, source or first person")
    if ev_farm.machine_fired:
        add(R.CONTENT_FARM, "machine_prose", {"probability": round(ev_farm.machine_prose, 4),
                                              "masked_ngrams": ev_farm.machine_grams})
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
    return len(pairs) >= TOPICAL_PAIRS_MIN and sum(p in prose for p in pairs) >= TOPICAL_PAIR_SHARE * len(pairs)


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
    return [Finding(ln.start + m.start(), ln.start + m.end(), R.TEMPLATE_ARTIFACT, RESPACED_REPAIR_WEIGHT, ln.index,
                    detail=_FULLWIDTH_MARK[m.group().strip()])
            for ln in lines if " " in ln.text for m in artifacts.RESPACED_RE.finditer(ln.text)]


def _replacement(f: Finding) -> str:
    """What a repaired span becomes: a variant character its standard form (in the page's script), a
    re-spaced mark its full-width form; everything else is cut."""
    if f.reason == R.MIRROR_REPAIRED and f.end - f.start == 1:
        return f.detail
    if f.reason == R.TEMPLATE_ARTIFACT and f.detail in _FULLWIDTH_MARK.values():
        return f.detail
    return ""
