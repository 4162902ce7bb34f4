"""Boilerplate lines: editor, source, published-at, IP location, share/scan prompts, disclaimers."""

from __future__ import annotations

import re

from wenforge.clean import reasons as R
from wenforge.clean.detectors.common import Finding, Line

BOILERPLATE_RE = re.compile(
    r"^[（(\[【]?\s*(?:(?:责任编辑|责编|编辑|小编|主编|编审|审核|校对|作者|撰文|记者|通讯员|来源|稿源|出处|"
    r"发布时间|发表时间|更新时间|原标题|本文来源|文章来源|免责声明|版权声明)\s*[:：丨|]"
    r"|(?:发布于|发表于|IP属地|ip属地|扫一扫|分享到|点击查看|阅读原文|相关阅读|相关新闻|热门推荐|猜你喜欢|上一篇|下一篇|"
    r"(?:相关搜索|热门搜索|大家都在搜|友情链接)\s*(?:[:：]|$)|"
    r"返回首页|来源：|(?:相关|热门|推荐|延伸|精彩|热点)(?:推荐|阅读|文章|新闻|资讯)\s*[:：]?\s*$))"
)
_MAX_LEN = 60


def detect(lines: list[Line]) -> list[Finding]:
    out = []
    for ln in lines:
        if ln.length <= _MAX_LEN and BOILERPLATE_RE.match(ln.text):
            w = 0.1 if ln.text.lstrip("（(【[ ").startswith(("发布于", "IP属地", "ip属地")) else 0.0
            out.append(Finding(ln.start, ln.end, R.BOILERPLATE, w, ln.index, whole_line=True))
    return out
