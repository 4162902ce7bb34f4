"""Content farms: pages written by a template or a language model, with no genuine article to salvage.

Template evidence, strongest first:
- unfilled slots: `[主队名]`, `(开头段落)`, `[城市名]`, `摘要结束。` — a bracketed role name where a value belongs;
- model leftovers pasted with the text: `以下是…`, `希望对您有所帮助`, `作为AI`, markdown `**bold**` and `## ` headings;
- a stub: the whole page is a short label or question (`xx是什么意思`, `园林植物的三种分类`) with nothing under it;
- stock model phrasing (`你知道吗`, `今天就让我带你`, `某当红小花旦`, `引发网友热议`), with a `【爆料】` / `揭秘`
  headline counting as one, and no dateline, outlet or named source;
- an unanchored outline: three or more headings over three or more paragraphs and not one date on the page
  (a model's explainer or match report; genuine reports and encyclopedias date what they tell);
- machine-written prose on a long page with no dateline, outlet or named source (`detectors.machine`: the
  function-character habits of model text), for the farms that carry no template leftover at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wenforge.clean.detectors.common import Line
from wenforge.text.guard import guarded

_ROLE = (r"名|名称|名字|段落|标题|内容|正文|关键词|关键字|时间|日期|地点|城市|省份|地区|数字|数据|链接|图片|描述|摘要|简介|"
         r"人物|球队|主队|客队|比分|年份|作者|品牌|产品|公司|机构|姓名|职位|金额|电话|网址|主题|结尾|开头|要点|分数")
# square brackets hold any role ([主队名], [城市名称]); round or 【】 brackets only a name or paragraph slot,
# since （地区）, （作者）, 【图片】 are ordinary notes
# a template's unfilled blanks: XXXX年XX月XX日, XX公司 (two or more make a placeholder page)
BLANK_RE = re.compile(r"[XxＸ]{2,}(?:年|月|日|公司|市|省|县|单位|部门|学校|医院)")
PLACEHOLDER_RE = re.compile(rf"[\[［{{]\s*(?:[\u4e00-\u9fff]{{0,6}}(?:{_ROLE})|此处[\u4e00-\u9fff]{{1,8}}|插入[\u4e00-\u9fff]{{1,8}})\s*[\]］}}]|"
                            rf"[【(（〔]\s*(?:[\u4e00-\u9fff]{{0,6}}(?:名称|姓名|名字|段落)|开头段落|结尾段落|此处[\u4e00-\u9fff]{{1,8}}|"
                            rf"插入[\u4e00-\u9fff]{{1,8}})\s*[】)）〕]")
# model leftovers: a reply's opening or closing pasted into the page
LEFTOVER_RE = guarded(r"摘要结束|正文结束|以下是(?:一篇|为您|具体的|对[^。\n]{1,30}的(?:总结|分析|解读|梳理)|关于[^。\n]{1,30}的(?:文章|详细介绍|全面解析))|希望(?:这篇文章|以上内容|本文|这些信息)[\u4e00-\u9fff]{0,6}"
                         r"对(?:您|你)有(?:所)?帮助|希望(?:这篇|以上|本文)?[^。！!\n]{0,10}(?:符合|满足)(?:您|你)的(?:需求|要求)|"
                         r"如果(?:您|你)?还有(?:其他|任何)(?:问题|需要|疑问)|请随时(?:告诉我|联系我|提问)|作为(?:一个)?(?:AI|人工智能)(?:语言模型|助手)?|好的[，,]\s*(?:以下|下面|这是)|"
                         r"字数[:：]\s*\d+")
# a prompt's field pasted above the text (标题:…), once, near the top; a digest lists many 标题: lines
PROMPT_FIELD_RE = re.compile(r"(?<![^\n])(?:标题|正文|文章标题)[:：](?=[^\n\s])")
# markdown pasted with a model's answer; some sites decorate their own headings so, so it weighs less
MARKDOWN_RE = re.compile(r"\*\*[^*\n]{2,30}\*\*|(?:^|\n)#{2,4} ")
GOSSIP_HEAD_RE = re.compile(r"^【(?:爆料|独家|重磅|劲爆|吃瓜|揭秘|热议|曝光)】|^(?:揭秘|震惊|曝光|惊爆|突发)[!！:：]?|"
                            r"^[^\n]{0,20}(?:黑料|内幕|真相曝光|惊人真相)")
# stock phrasing of machine-written articles: chatty openings addressed to the reader, anonymous actors
# (某当红小花旦, 明星K, 小A), the reply's own signposts; genuine reporting names people and uses few of these.
# The signposts (需要注意的是, 至关重要, 不可或缺, 简单来说, 在日常生活中 ...) were kept where model text in
# the project's public data sets (HC3 ChatGPT answers, 2025 creative writing) uses them several times as often
# as human text (HC3 human answers, news, prose, abstracts), per 100k characters; measured once, not read here
STOCK_RE = guarded(r"你知道吗|(?:今天我们|我们)(?:就)?来(?:探讨|聊聊|揭秘|看看|了解)|下面我们将|让我们(?:来)?(?:谈谈|一起)|简单来说|"
                   r"需要注意的是|至关重要|不可或缺|在日常生活中|在现代社会|了解一下|亲爱的(?:读者|朋友|网友)|(?:今天|下面|接下来)[,，]?\s*(?:就)?(?:让我们?|我(?:就)?(?:要)?)(?:带(?:你|大家)|"
                      r"一起|来(?:给你|聊聊))|一探究竟|吃瓜群众|瞠目结舌|炸开了锅|层出不穷|拭目以待|引发(?:了)?(?:无数|广大)?"
                      r"(?:网友|网民)(?:的)?(?:热议|关注|猜测)|据知情人士透露|话说那天|令人(?:唏嘘|咋舌|浮想联翩)|事件(?:持续|迅速)"
                      r"发酵|不禁让人|值得一提的是|总的来说|综上所述|本文将(?:深入)?(?:探讨|介绍|揭秘|解析|为您|为你|带领|带你)|(?:咱们|我们)(?:就)?来(?:聊聊|探讨|揭秘|看看)|准备好了吗|引发了?不少(?:热议|关注)|备受(?:关注|瞩目)|在(?:娱乐圈|这个)[\u4e00-\u9fff]{0,8}的世界里|小编(?:给大家|为大家)?(?:带来|整理|分享)|(?<![^\n])(?:一、引言|一、前言|引言|前言)(?=\n)|究竟(?:是什么|隐藏着)|"
                      r"某(?:位)?(?:当红|知名|顶级|顶流|神秘|一线|流量)(?:明星|男星|女星|小花旦?|艺人|人物|人士|歌手|演员|网红)|"
                   r"一位(?:知名|著名|当红|风靡一时的|神秘的?)(?:男|女)?(?:演员|歌手|明星|艺人|女星|男星)|神秘(?:女子|男子|人物)|"
                   r"感谢(?:您|你)(?:的)?阅读|据知情人士?(?:爆料|称)|引发了?(?:粉丝|公众|网友)(?:和媒体)?的?(?:热议|关注|猜测)|"
                      r"(?<![A-Za-z])(?:明星|艺人|男星|女星)[A-Z](?![A-Za-z])|(?<![\u4e00-\u9fff])小[A-Z](?![A-Za-z])|"
                      r"#[X×]{2,}[\u4e00-\u9fff]*#|随着[\u4e00-\u9fff]{2,8}的(?:发展|深入|推进|普及|加快)|在这个[\u4e00-\u9fff]{2,6}的时代")
# a dateline, an outlet or a named source: what genuine reporting has and generated gossip lacks
SOURCED_RE = guarded(r"[0-9]{1,2}月[0-9]{1,2}日(?:电|讯)|(?:记者|通讯员)\s?[\u4e00-\u9fff]{2,3}(?:[\s）)/]|报道|摄|$)|(?:来源|来自|據|据)[:：]?\s*"
                        r"[\u4e00-\u9fff]{2,8}(?:报|网|社|台|新闻)|新华社|中新社|美联社|路透社|法新社|本报讯|"
                        r"(?<![^\n])(?:文|图|撰文|摄影)[:：/]\s*[\u4e00-\u9fff]{2,4}(?:\s|$)", re.MULTILINE)
BLANK_MIN = 2
PROMPT_FIELD_LINES = 6
MARKDOWN_WEIGHT = 0.3  # markdown pasted with a model's answer; some sites decorate their own headings so
STUB_MAX_CHARS = 60  # a stub page holds a label or a question, not a paragraph
# a person's reply: clause breaks, words spaced apart (one gap is a label's suffix: … 有驾, 展开 …), or the
# speaker and listener (你, 我, 吧, 啊 ...)
_CLAUSE_BREAK_RE = re.compile(r"[，,、；;.。!?！？～~（(]|[\u4e00-\u9fff][\s\u3000]+[\u4e00-\u9fff].*[\s\u3000]|[你我吧啊嘛哦呀]")
STUB_MAX_LINES = 2  # a quatrain is four short lines with no sentence mark: a stub has one or two


STOCK_MIN = 3  # distinct stock phrases (a gossip headline counts as one) before a page reads as generated
STOCK_SOURCED_MIN = 5  # a sourced report quoting a chatty post has a few; a generated page many
# an unanchored outline: a model's article has headings over paragraphs and no date, figure of record or source
HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}[.、]\s?|第[一二三四五六七八九十]+[章步节][:：]?)[\u4e00-\u9fff]"
                        r"[^。！？!?\n]{1,20}$|^[\u4e00-\u9fff]{2,10}[:：，,][\u4e00-\u9fff，,]{2,14}$|^[\u4e00-\u9fff]{2,10}[:：]$|^[\u4e00-\u9fff][^。！？!?\n]{3,22}[?？]$")
DATE_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十廿卅]{1,3}日|\d{1,2}\s?月|\d{1,2}\s?日|\[\d{1,3}\]|维基百科|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|"
                     r"[一二]〇[一二三四五六七八九〇]{2}年|星期[一二三四五六日天]|周[一二三四五六日]|"
                     r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (?:19|20)\d{2}\b")
_SPEAKER_RE = re.compile(r"^(?:记者|主持人|问|答|[QA]|网友|市民|村民|观众|嘉宾)[:：]")  # an interview's turns, not headings
OUTLINE_MIN_HEADINGS = 3
OUTLINE_MIN_PARAGRAPHS = 3
OUTLINE_HEADING_SHARE = 0.2  # of the lines: an outline is mostly headings and paragraphs, prose mostly prose
PARAGRAPH_CHARS = 60
# a person writing about their own life says 我; a model's explainer does not (its chatty gossip is caught above)
_FIRST_PERSON_RE = re.compile(r"我(?!们|國|国)")
FIRST_PERSON_MAX = 2  # this many 我 (not 我们): a personal page
PLACEHOLDER_WEIGHT = 0.45  # one unfilled slot: a template page (a page quoting a template has one too) ...
LEFTOVER_WEIGHT = 0.5  # one chatbot leftover: a model's reply pasted as the page ...
REPEAT_BONUS = (0.2, 0.15)  # ... each further slot / leftover (up to two more) adds this much
STUB_WEIGHT = 0.6  # a page that is one label or question has nothing genuine on it
STOCK_WEIGHT = 0.5  # stock model phrasing at STOCK_MIN distinct phrases ...
STOCK_BONUS = 0.1  # ... each further one (up to four) adds this much
OUTLINE_WEIGHT = 0.5  # an undated, unsourced outline: a model's explainer, or an undated listicle
MACHINE_WEIGHT = 0.5  # unsourced prose that reads as machine-written on a page with nothing injected: enough alone
FARM_CAP = 0.9  # template evidence is never certainty


@dataclass
class FarmEvidence:
    """Template evidence found on one page, with a page weight."""

    placeholders: list[tuple[int, int, str]] = field(default_factory=list)  # page offsets and the text
    leftovers: list[tuple[int, int, str]] = field(default_factory=list)
    markdown: int = 0
    stub: bool = False
    gossip_head: bool = False
    stock_phrases: int = 0  # distinct stock phrases
    outline: bool = False  # headings over paragraphs with no date anywhere
    sourced: bool = False
    machine_prose: float | None = None  # machine-prose probability (None: not read: short, sourced or turned off)
    machine_grams: list[tuple[str, float]] = field(default_factory=list)  # the masked n-grams behind it
    machine_fired: bool = False  # the probability reached the configured threshold

    @property
    def weight(self) -> float:
        w = 0.0
        if self.placeholders:
            w = max(w, PLACEHOLDER_WEIGHT + REPEAT_BONUS[0] * min(2, len(self.placeholders) - 1))
        if self.leftovers:
            w = max(w, LEFTOVER_WEIGHT + REPEAT_BONUS[1] * min(2, len(self.leftovers) - 1))
        if self.markdown:
            w = max(w, MARKDOWN_WEIGHT)
        if self.stub:
            w = max(w, STUB_WEIGHT)
        n = self.stock_phrases + self.gossip_head
        if n >= STOCK_MIN and (not self.sourced or n >= STOCK_SOURCED_MIN):
            w = max(w, STOCK_WEIGHT + STOCK_BONUS * min(4, n - STOCK_MIN))
        if self.outline and not self.sourced:
            w = max(w, OUTLINE_WEIGHT)
        return min(FARM_CAP, w)


def detect(lines: list[Line], text: str) -> FarmEvidence:
    """Template evidence over the page (``text`` is the view the lines were cut from)."""
    ev = FarmEvidence()
    if not lines:
        return ev
    for m in PLACEHOLDER_RE.finditer(text):
        # a heading label at the start of a line followed by its value (【拼音】dà xué) is no slot
        line_end = text.find("\n", m.end())
        if (m.start() == 0 or text[m.start() - 1] == "\n") and (len(text) if line_end < 0 else line_end) > m.end() + 2:
            continue
        ev.placeholders.append((m.start(), m.end(), m.group()))
    ev.leftovers = [(m.start(), m.end(), m.group().strip()) for m in LEFTOVER_RE.finditer(text)]
    fields = list(PROMPT_FIELD_RE.finditer(text))
    if len(fields) == 1 and fields[0].start() < lines[min(len(lines), PROMPT_FIELD_LINES) - 1].end:
        ev.leftovers.append((fields[0].start(), fields[0].end(), fields[0].group()))
    blanks = [(m.start(), m.end(), m.group()) for m in BLANK_RE.finditer(text)] if "X" in text or "Ｘ" in text else []
    if len(blanks) >= BLANK_MIN:
        ev.placeholders += blanks
    ev.markdown = len(MARKDOWN_RE.findall(text)) if ("**" in text or "#" in text) else 0
    n_chars = sum(ln.length for ln in lines)
    # the whole page is a label or a question with nothing under it
    # (one label or question phrase, not a person's short reply)
    ev.stub = len(lines) <= STUB_MAX_LINES and n_chars <= STUB_MAX_CHARS and not any(ln.sentence_like for ln in lines) \
        and not any(_CLAUSE_BREAK_RE.search(ln.text) for ln in lines)
    ev.gossip_head = any(GOSSIP_HEAD_RE.search(ln.text) for ln in lines[:3])
    ev.stock_phrases = len({m.group() for m in STOCK_RE.finditer(text)})
    ev.sourced = SOURCED_RE.search(text) is not None
    headings = sum(1 for ln in lines if ln.length <= 26 and HEADING_RE.match(ln.text) and not _SPEAKER_RE.match(ln.text))
    paragraphs = sum(1 for ln in lines if ln.length >= PARAGRAPH_CHARS and ln.sentence_like)
    first_person = len(_FIRST_PERSON_RE.findall(text))
    ev.outline = headings >= max(OUTLINE_MIN_HEADINGS, OUTLINE_HEADING_SHARE * len(lines)) \
        and first_person < FIRST_PERSON_MAX \
        and paragraphs >= OUTLINE_MIN_PARAGRAPHS \
        and DATE_RE.search(text) is None
    return ev
