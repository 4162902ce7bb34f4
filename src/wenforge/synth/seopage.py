"""Synthetic Chinese black-hat SEO pages: a genuine article wrapped in injected spam, with labelled spans.

The pattern follows pages seen on the Chinese web (issue 3): the title repeated with site names and
alien tokens, an unrelated news paragraph before the article, the genuine article (sometimes one huge
paragraph), a line of random letters/digits then an editor line, a hot list of trending headlines glued
to bait phrases, each followed by snippets stitched from unrelated news (some wrapped in leftover
``<font>``/``<span>`` tags), and a ``发布于:<county>`` footer.

Everything varies (copies, token shapes, bait, list formats and lengths, residue, paragraph splitting,
order of blocks) so a detector cannot learn one template. ``generate_page`` is deterministic given its
``rng`` and fast (plain string building, no parsing).

Offsets in ``spam_spans`` index ``SyntheticPage.text``; reason codes come from
``wenforge.core.reasons``. In HTML mode the spans cover the text content of the injected elements.
"""

from __future__ import annotations

import html as _html
import random
import re
import string
from dataclasses import dataclass, field

from wenforge.core import reasons as R

# ---------------------------------------------------------------------------------------------------------
# vocabularies of the generator (deliberately NOT the cleaner's curated patterns: the cleaner must generalise)

SITE_NAMES = [
    "东方资讯", "环球快报", "中华热点网", "今日头条号", "新浪看点", "腾讯快报", "凤凰资讯", "网易号", "搜狐号",
    "北方网", "南方快讯", "大众生活网", "百姓热线", "掌上新闻", "天天快报", "华夏视窗", "城市在线", "东南网讯",
    "西部门户", "爱看资讯", "趣头条", "一点资讯", "新闻晨报网", "九州新闻", "齐鲁热线",
]
SITE_DOMAINS = ["www.{w}.com", "m.{w}.cn", "{w}.net", "wap.{w}.cc", "{w}.top", "{w}.xyz"]
_PINYIN = [
    "dongfang", "huanqiu", "zixun", "kuaibao", "redian", "xinwen", "toutiao", "kankan", "shipin", "tiyu",
    "caipiao", "yule", "jinri", "baidu", "sohu", "qq", "sina", "feng", "huaxia", "jiu", "bei", "nan",
]
BAIT_ADULT = [
    "成人视频在线观看", "午夜福利免费看", "国产精品无码专区", "一级毛片免费播放", "日韩AV高清", "美女主播福利",
    "夜间私密直播", "两性私房视频", "宅男福利网", "深夜影院免费", "成人影片下载", "偷拍自拍视频",
]
BAIT_GAMBLING = [
    "澳门新葡京官网", "太阳城娱乐注册", "网上真人百家乐", "时时彩计划群", "北京赛车PK10", "皇冠体育投注",
    "金沙娱乐开户", "威尼斯人线上", "棋牌游戏送彩金", "六合彩开奖结果", "足球竞彩代购", "捕鱼游戏提现",
    "彩票网投平台", "赌球网站推荐", "老虎机技巧", "快三大小单双",
]
BAIT_CHEAT = [
    "和平精英外挂免费", "吃鸡透视辅助", "王者荣耀科技卡盟", "CF穿越火线外挂", "绝地求生自瞄", "LOL脚本辅助",
    "原神破解版下载", "传奇私服发布网", "游戏刷钻软件", "手游内购破解",
]
BAIT_OTHER = [
    "代开发票加微信", "无抵押贷款秒到", "办证刻章联系", "信用卡套现", "黑户贷款口子", "私家侦探调查",
    "加V看更多", "扣扣群免费领", "点击领取红包", "刷单兼职日结",
]
BAIT_ALL = BAIT_ADULT + BAIT_GAMBLING + BAIT_CHEAT + BAIT_OTHER
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
COUNTIES = [
    "河北省邢台市临城县", "山东省菏泽市曹县", "河南省周口市郸城县", "湖南省邵阳市隆回县", "四川省南充市营山县",
    "安徽省阜阳市临泉县", "江西省赣州市于都县", "广西玉林市博白县", "贵州省毕节市威宁县", "云南省曲靖市宣威市",
    "甘肃省天水市秦安县", "山西省运城市临猗县", "浙江省金华市浦江县", "福建省泉州市安溪县", "辽宁省朝阳市建平县",
    "黑龙江省绥化市海伦市", "吉林省四平市梨树县", "陕西省渭南市蒲城县", "广东省揭阳市普宁市", "湖北省黄冈市蕲春县",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海波宁晨阳光辉鹏飞雪梅文斌"
PROVINCES = ["河北", "山西", "辽宁", "吉林", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北",
             "湖南", "广东", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "海南"]
CITIES = ["石家庄", "太原", "沈阳", "长春", "南京", "杭州", "合肥", "福州", "南昌", "济南", "郑州", "武汉",
          "长沙", "广州", "成都", "贵阳", "昆明", "西安", "兰州", "西宁", "海口", "保定", "洛阳", "温州"]

_ALNUM = string.ascii_letters + string.digits
_UPPER_DIGITS = string.ascii_uppercase + string.digits
_LOWER_DIGITS = string.ascii_lowercase + string.digits
_B64 = string.ascii_letters + string.digits + "+/"


@dataclass
class SyntheticPage:
    """One generated page: ``text`` (plain or HTML), the genuine ``article`` and labelled spam spans."""

    text: str
    article: str
    spam_spans: list[tuple[int, int, str]] = field(default_factory=list)
    kind: str = "spam"  # "spam", or the hard-negative kind of a clean page
    source: str = ""  # where the genuine text came from (news / prose / poetry / qa / digest)

    @property
    def spam(self) -> bool:
        return bool(self.spam_spans)

    @property
    def article_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.article.split("\n") if p.strip()]

    def injected_strings(self) -> list[str]:
        return [self.text[s:e] for s, e, _ in self.spam_spans]


# ---------------------------------------------------------------------------------------------------------
# tokens and snippets


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def random_token(rng: random.Random) -> str:
    """An injected alien token in one of many shapes."""
    shape = rng.randrange(9)
    if shape == 0:
        return "".join(rng.choice(_LOWER_DIGITS) for _ in range(rng.randint(4, 10)))
    if shape == 1:
        return "".join(rng.choice(_UPPER_DIGITS) for _ in range(rng.randint(5, 12)))
    if shape == 2:  # ABCDE123_jan07
        return (
            "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(3, 6)))
            + str(rng.randint(10, 999))
            + "_"
            + rng.choice(MONTHS)
            + f"{rng.randint(1, 28):02d}"
        )
    if shape == 3:  # base64-like
        return "".join(rng.choice(_B64) for _ in range(rng.randint(8, 20))) + rng.choice(["", "=", "=="])
    if shape == 4:  # hex
        return "".join(rng.choice("0123456789abcdef") for _ in range(rng.randint(8, 16)))
    if shape == 5:  # pinyin + digits
        return rng.choice(_PINYIN) + rng.choice(_PINYIN) + str(rng.randint(1, 9999))
    if shape == 6:  # date-ish
        return f"{rng.randint(2019, 2025)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" + "".join(
            rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 5))
        )
    if shape == 7:  # mixed case
        return "".join(rng.choice(_ALNUM) for _ in range(rng.randint(6, 14)))
    return rng.choice(["v", "m", "n", "p"]) + str(rng.randint(100000, 99999999))


def gibberish_line(rng: random.Random) -> str:
    alphabet = rng.choice([_ALNUM + "+", _ALNUM + "+/=", _UPPER_DIGITS + "+", _LOWER_DIGITS])
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(28, 44)))


def bait_phrase(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.2:
        return random_token(rng)
    phrase = rng.choice(BAIT_ALL)
    if rng.random() < 0.3:
        phrase += rng.choice(["", "-", "_", " "]) + random_token(rng)
    if rng.random() < 0.15:
        phrase = rng.choice(["【", "(", "「"]) + phrase + rng.choice(["】", ")", "」"])
    return phrase


def templated_snippet(rng: random.Random) -> str:
    """A short news-like snippet (epidemic counts, weather, an official's career, a court notice, housing)."""
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    prov, city = rng.choice(PROVINCES), rng.choice(CITIES)
    k = rng.randrange(6)
    if k == 0:
        return (
            f"据{prov}省卫生健康委员会通报，{m}月{d}日0—24时，全省新增本土确诊病例{rng.randint(1, 300)}例、"
            f"本土无症状感染者{rng.randint(1, 900)}例，均在{city}市，治愈出院{rng.randint(1, 50)}例。"
        )
    if k == 1:
        color = rng.choice(["蓝", "黄", "橙"])
        return (
            f"中央气象台{m}月{d}日{rng.randint(6, 18)}时继续发布暴雨{color}色预警，预计{d}日{rng.randint(8, 20)}时至"
            f"次日{rng.randint(8, 20)}时，{prov}、{rng.choice(PROVINCES)}等地部分地区有大到暴雨，局地大暴雨。"
        )
    if k == 2:
        n = _name(rng)
        return (
            f"{n}，{rng.choice(['男', '女'])}，汉族，{rng.randint(1960, 1980)}年{m}月生，{prov}{city}人，"
            f"{rng.randint(1980, 2000)}年{rng.randint(1, 12)}月参加工作，曾任{city}市副市长、市委常委、"
            f"{rng.choice(['秘书长', '统战部部长', '政法委书记'])}，现任{rng.choice(PROVINCES)}省人大常委会副主任。"
        )
    if k == 3:
        return (
            f"{city}市{rng.choice(['中级', '西城区', '高新区', '经济开发区'])}人民法院公告：{_name(rng)}：本院受理原告"
            f"{city}{rng.choice(['建设', '商贸', '置业', '农商'])}有限公司诉你买卖合同纠纷一案，现依法向你公告送达起诉状副本、"
            f"应诉通知书及开庭传票，自公告之日起经过{rng.choice([30, 60])}日即视为送达。"
        )
    if k == 4:
        return (
            f"{city}市住房和城乡建设局近日发布通知，首套住房商业性个人住房贷款最低首付款比例调整为"
            f"{rng.choice([15, 20, 25])}%，二套住房调整为{rng.choice([25, 30, 40])}%，"
            f"公积金贷款最高额度提高至{rng.choice([60, 80, 100, 120])}万元，自{m}月{d}日起执行。"
        )
    return (
        f"记者从{prov}省交通运输厅获悉，{m}月{d}日起，{city}至{rng.choice(CITIES)}高速公路"
        f"{rng.choice(['改扩建工程', '新建路段', '跨江大桥'])}正式通车，全长{rng.randint(20, 300)}公里，"
        f"设计时速{rng.choice([80, 100, 120])}公里。"
    )


# ---------------------------------------------------------------------------------------------------------
# page pieces


def _title_of(article: str) -> str:
    first = article.strip().split("\n", 1)[0]
    first = re.sub(r"^(新华社|本报|中新社)[^电]{0,20}电(（[^）]*）)?", "", first)
    m = re.search(r"[。！？；，]", first)
    t = first[: m.start()] if m else first
    return t[:28] or "无题"


def _title_copy(rng: random.Random, title: str, site: str, kw: str) -> str:
    tok = random_token(rng)
    tok2 = random_token(rng)
    f = rng.randrange(10)
    if f == 0:
        return f'{site}-"{kw}{tok}"-{title}_{tok2.upper()}{site}新闻'
    if f == 1:
        return f"{title}_{tok}_{site}"
    if f == 2:
        return f"【{kw}】{title}-{tok}-{site}"
    if f == 3:
        return f"{title}({tok2}) - {site}官网"
    if f == 4:
        return f"{kw}{tok} {title} {site}"
    if f == 5:
        return f"{site}|{title}|{kw}|{tok}"
    if f == 6:
        return f"{title}-{rng.choice(SITE_DOMAINS).format(w=rng.choice(_PINYIN) + rng.choice(_PINYIN))}"
    if f == 7:
        return f"“{title}”{tok}{kw}_{site}手机版"
    if f == 8:
        return f"{tok2}{title}{tok}"
    return f"{site}:{title}[{tok}]"


def _hot_prefix(rng: random.Random, style: int, i: int) -> str:
    return [
        f"TOP{i}热点:",
        f"TOP{i}热点：",
        f"热榜{i}：",
        f"{i}.",
        f"{i}、",
        f"NO.{i} ",
        f"【热门{i}】",
        f"第{i}名:",
        f"热搜{i} ",
        "",
        f"[{i}]",
    ][style]


def _wrap_residue(rng: random.Random, text: str) -> str:
    r = rng.randrange(5)
    if r == 0:
        return f'<font color="#{rng.randrange(0xFFFFFF):06x}">{text}</font>'
    if r == 1:
        return f'<span style="font-size:{rng.randint(10, 18)}px">{text}</span>'
    if r == 2:
        return f"&nbsp;&nbsp;{text}<br/>"
    if r == 3:
        return f'<span class="s{rng.randint(1, 99)}">{text}'
    return f"<font>{text}</font>&nbsp;"


def _split_article(rng: random.Random, paragraphs: list[str]) -> list[str]:
    r = rng.random()
    if r < 0.25 and len(paragraphs) > 1:
        return ["".join(paragraphs)]  # one huge paragraph
    if r < 0.35 and len(paragraphs) > 3:  # re-group
        out, buf = [], []
        for p in paragraphs:
            buf.append(p)
            if rng.random() < 0.4:
                out.append("".join(buf))
                buf = []
        if buf:
            out.append("".join(buf))
        return out
    return paragraphs


class _Builder:
    """Joins blocks into a page, tracking spans; text or HTML."""

    def __init__(self, rng: random.Random, as_html: bool):
        self.rng = rng
        self.as_html = as_html
        self.parts: list[str] = []
        self.pos = 0
        self.spans: list[tuple[int, int, str]] = []
        self.sep = "\n\n" if rng.random() < 0.35 else "\n"

    def _add(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def block(self, text: str, reason: str | None, tag: str = "p") -> None:
        if self.parts:
            self._add(self.sep if not self.as_html else "\n")
        if self.as_html:
            self._add(f"<{tag}>")
            text = _html.escape(text, quote=False) if "<" not in text else text
        start = self.pos
        self._add(text)
        if reason:
            self.spans.append((start, self.pos, R.check(reason)))
        if self.as_html:
            self._add(f"</{tag}>")

    def inline(self, text: str, reason: str | None) -> None:
        start = self.pos
        self._add(text)
        if reason:
            self.spans.append((start, self.pos, R.check(reason)))

    def text(self) -> str:
        body = "".join(self.parts)
        if self.as_html:
            return f"<html><head><meta charset=\"utf-8\"></head><body>\n{body}\n</body></html>"
        return body

    def offset(self) -> int:
        return len("<html><head><meta charset=\"utf-8\"></head><body>\n") if self.as_html else 0


def generate_page(
    article: str,
    *,
    rng: random.Random,
    headlines: list[str],
    snippets: list[str],
    site_names: list[str] | None = None,
    as_html: bool = False,
    title: str | None = None,
) -> SyntheticPage:
    """Wrap a genuine ``article`` (paragraphs separated by newlines) into a black-hat SEO page."""
    sites = site_names or SITE_NAMES
    paragraphs = [p.strip() for p in article.split("\n") if p.strip()]
    title = (title or _title_of(article)).strip()
    b = _Builder(rng, as_html)
    site = rng.choice(sites)
    kw = bait_phrase(rng)

    # 1. title copies (sometimes none, the page then relies on other evidence)
    n_titles = rng.choice((0, 1, 2, 3, 3, 4, 4, 5)) if rng.random() < 0.9 else 0
    for _ in range(n_titles):
        b.block(_title_copy(rng, title, site if rng.random() < 0.8 else rng.choice(sites), kw), R.TITLE_INJECTION,
                tag="h1")
    if n_titles and rng.random() < 0.3:  # the bare real title once, as on the real page (genuine)
        b.block(title, None, tag="h2")
        article_out = [title]
    else:
        article_out = []

    # 2. unrelated paragraph(s) before the article
    for _ in range(rng.choice((0, 1, 1, 1, 2))):
        b.block(rng.choice(snippets) if snippets and rng.random() < 0.6 else templated_snippet(rng), R.STITCHED)

    # 3. the article, with occasional residue or an inline alien token
    for p in _split_article(rng, paragraphs):
        r = rng.random()
        if r < 0.06 and len(p) > 40:
            cut = rng.randrange(10, len(p) - 10)
            cut = p.find("。", cut) + 1 or cut
            if b.parts:
                b._add(b.sep if not as_html else "\n")
            if as_html:
                b._add("<p>")
            b.inline(p[:cut], None)
            b.inline(random_token(rng), R.GIBBERISH)
            b.inline(p[cut:], None)
            if as_html:
                b._add("</p>")
        elif r < 0.12 and not as_html:
            if b.parts:
                b._add(b.sep)
            b.inline("&nbsp;&nbsp;", R.HTML_RESIDUE)
            b.inline(p, None)
        else:
            b.block(p, None)
        article_out.append(p)

    # 4. gibberish line, then editor
    if rng.random() < 0.85:
        b.block(gibberish_line(rng), R.GIBBERISH)
    if rng.random() < 0.7:
        ed = rng.choice(["编辑:", "编辑：", "责任编辑：", "责编:", "(编辑:", "小编:"]) + _name(rng)
        b.block(ed + (")" if ed.startswith("(") else ""), R.BOILERPLATE)

    # 5. hot list
    n_hot = rng.choice((0, 2, 3, 4, 5, 6, 8, 10)) if rng.random() < 0.92 else 0
    style = rng.randrange(11)
    tagged = rng.random() < 0.5
    for i in range(1, n_hot + 1):
        hl = rng.choice(headlines) if headlines else templated_snippet(rng)[:20]
        bait = bait_phrase(rng) if rng.random() < 0.85 else ""
        line = _hot_prefix(rng, style, i) + (hl + bait if rng.random() < 0.8 else bait + hl)
        b.block(line, R.HOTLIST, tag="li")
        for _ in range(rng.choice((0, 1, 1, 2))):
            s = rng.choice(snippets) if snippets and rng.random() < 0.5 else templated_snippet(rng)
            if len(s) > 160 and rng.random() < 0.6:
                s = s[: rng.randint(60, 160)]
            if tagged and rng.random() < 0.6:
                s = _wrap_residue(rng, s)
            b.block(s, R.STITCHED)

    # 6. footer
    if rng.random() < 0.8:
        b.block(rng.choice(["发布于:", "发布于：", "发布于 ", "IP属地：", "来源：本站 发布于"]) + rng.choice(COUNTIES),
                R.BOILERPLATE)

    text = b.text()
    off = b.offset()
    spans = [(s + off, e + off, r) for s, e, r in b.spans]
    if not any(r in R.INJECTION_CODES for _, _, r in spans):
        # guarantee the page carries injection evidence: append a bait hot line
        extra = _hot_prefix(rng, 0, 1) + (rng.choice(headlines) if headlines else "") + rng.choice(BAIT_ALL)
        sep = "\n"
        start = len(text) if not as_html else len(text) - len("\n</body></html>")
        text = text[:start] + sep + extra + text[start:]
        spans.append((start + len(sep), start + len(sep) + len(extra), R.HOTLIST))
    return SyntheticPage(text=text, article="\n".join(article_out), spam_spans=spans, kind="spam")


# ---------------------------------------------------------------------------------------------------------
# clean pages (hard negatives)

CLEAN_KINDS = ("plain", "news_boilerplate", "digest", "numbered_list", "qa", "poetry")


def generate_clean_page(
    article: str,
    *,
    rng: random.Random,
    headlines: list[str],
    snippets: list[str],
    kind: str | None = None,
    title: str | None = None,
    as_html: bool = False,
) -> SyntheticPage:
    """A legitimate page of one hard-negative kind; everything on it is genuine (``spam_spans`` empty)."""
    kind = kind or rng.choice(("plain", "plain", "news_boilerplate", "digest", "numbered_list"))
    paragraphs = [p.strip() for p in article.split("\n") if p.strip()]
    lines: list[str] = []
    if kind == "news_boilerplate":
        if title and rng.random() < 0.7:
            lines.append(title)
        lines += paragraphs
        lines.append(rng.choice(["（责任编辑：", "责任编辑：", "编辑："]) + _name(rng) + ("）" if rng.random() < 0.5 else ""))
        if rng.random() < 0.5:
            lines.append(rng.choice(["来源：新华社", "来源：人民网", "来源：新华网"]))
    elif kind == "digest":
        lines.append(rng.choice(["新闻早知道", "今日要闻", "一周要闻回顾", "晚间新闻速览", "【早读】今日要闻"]))
        for i in range(1, rng.randint(3, 8) + 1):
            pref = rng.choice((f"{i}.", f"{i}、", f"【{i}】", "◆", ""))
            lines.append(pref + (rng.choice(headlines) if headlines else ""))
            lines.append(rng.choice(snippets) if snippets and rng.random() < 0.6 else templated_snippet(rng))
    elif kind == "numbered_list":
        if title:
            lines.append(title)
        for i, p in enumerate(paragraphs, 1):
            lines.append(rng.choice((f"{i}. ", f"{i}、", f"（{i}）", f"第{i}，")) + p if rng.random() < 0.8 else p)
    else:
        if title and rng.random() < 0.5:
            lines.append(title)
        lines += paragraphs
    sep = "\n\n" if rng.random() < 0.35 else "\n"
    text = sep.join(lines)
    if as_html:
        text = "<html><body>\n" + "\n".join(f"<p>{_html.escape(x, quote=False)}</p>" for x in lines) + "\n</body></html>"
    return SyntheticPage(text=text, article="\n".join(lines), spam_spans=[], kind=kind)


# ---------------------------------------------------------------------------------------------------------
# sources
