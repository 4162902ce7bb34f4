"""Boilerplate lines: editor, source, published-at, IP location, share/scan prompts, disclaimers."""

from __future__ import annotations

import re

from wenforge.clean.detectors.common import Finding, Line
from wenforge.core import reasons as R

BOILERPLATE_RE = re.compile(
    r"^[（(\[【]?\s*(?:(?:责任编辑|责编|编辑|小编|主编|编审|审核|校对|作者|撰文|记者|通讯员|来源|稿源|出处|"
    r"发布时间|发表时间|更新时间|原标题|本文来源|文章来源|免责声明|版权声明)\s*[:：丨|]"
    r"|(?:发布于|发表于|IP属地|ip属地|扫一扫|分享到|点击查看|阅读原文|相关阅读|相关新闻|热门推荐|猜你喜欢|上一篇|下一篇|"
    r"(?:相关搜索|热门搜索|大家都在搜|友情链接)\s*(?:[:：]|$)|"
    r"返回首页|来源：|(?:相关|热门|推荐|延伸|精彩|热点)(?:推荐|阅读|文章|新闻|资讯)\s*[:：]?\s*$))"
)
MAX_LEN = 60  # a boilerplate line is short; a longer one opening with 来源 is an article sentence
FOOTER_WEIGHT = 0.1  # a social post's 发布于 / IP属地 footer on a page is a faint trace of a copied template
LINE_WEIGHT = 0.0  # editor, source and share lines are how genuine sites sign articles: no evidence


def detect(lines: list[Line]) -> list[Finding]:
    out = []
    for ln in lines:
        if ln.length <= MAX_LEN and BOILERPLATE_RE.match(ln.text):
            w = FOOTER_WEIGHT if ln.text.lstrip("（(【[ ").startswith(("发布于", "IP属地", "ip属地")) else LINE_WEIGHT
            out.append(Finding(ln.start, ln.end, R.BOILERPLATE, w, ln.index, whole_line=True))
    return out
