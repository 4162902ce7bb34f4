"""Shapes of real Chinese spam pages that ``seopage.generate_page`` lacks, and clean pages resembling them.

Spam shapes: mirror damage (pinyin glosses, variant characters, deleted characters), spinner output,
brand-injected titles, bait spliced into a sentence, fake author/source lines, keyword stuffing, stitched
paragraphs behind ``******`` separators, scraper artifacts (unfilled CMS tags, watermarks, re-spaced
punctuation), Chinese-character gibberish and whole content-farm pages. Clean shapes are the hard negatives
a cleaner must keep: native traditional news, legitimate pinyin reading aids, unpunctuated or ASCII-punctuated
text, an article printed twice, crackdown news that names gambling and porn terms.

Every function is deterministic given its ``rng`` and returns a plain-text ``SyntheticPage`` whose ``kind``
is the shape name. Spans mark exactly what was injected; ``article`` is what a perfect cleaner keeps (the
text with the spans cut, or the original before mirror damage), ``""`` when nothing on the page is genuine.
A mirror or spinner that finds nothing to damage returns the article unchanged, with no spans.
"""

from __future__ import annotations

import random
import re
import string
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from wenforge.core import reasons as R
from wenforge.synth.seopage import (
    BAIT_ALL,
    CITIES,
    COUNTIES,
    PROVINCES,
    SITE_NAMES,
    SyntheticPage,
    _name,
    _title_of,
    templated_snippet,
)
from wenforge.text.chars import (
    ASCII_FULL_STOP_SHARE,
    ascii_punctuation,
    is_cjk,
    opencc_converter,
    to_traditional,
)
from wenforge.text.segment import words

# ---------------------------------------------------------------------------------------------------------
# vocabularies

# The most frequent modern Chinese characters, most frequent first (Jun Da's list): the pool of characters a
# broken converter glosses, of gibberish lines, and the complement of the "rare" characters readers gloss.
COMMON_CHARS = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里"
    "用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实"
    "日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政"
    "美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员"
    "解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件"
    "计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象"
    "完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改"
    "收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调"
    "深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企"
    "八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列"
    "武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供"
    "效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值"
    "仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳"
    "若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷"
    "洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈"
    "刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央"
    "户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括"
    "舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康"
    "虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅"
    "泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶"
    "玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸"
    "扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞"
    "街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残"
    "秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵硬麦蒋操耶阻订彩抽赞魔纷沿喊违妹浪汇币丰蓝殊献桌啦瓦莱援译夺汽"
    "烧距裁偏符勇触课敬哭懂墙袭召罚侠厅拜巧侧韩冒债曼融惯享戴童犹乘挂奖绍厚纵障讯涉彻刊丈爆乌役描洗玛患妙"
    "镜唱烦签仙彼弗症仿倾牌陷鸟轰咱菜闭奋庆撤泪茶疾缘播朗杜奶季丹狗尾仪偷奔珠虫驻孔宜艾桥淡翼恨繁寒伴叹旦"
    "愈潮粮缩罢聚径恰挑袋灰捕徐珍幕映裂泰隔启尖忠累炎暂估泛荒偿横拒瑞忆孤鼻闹羊呆厉衡胞零穷舍码赫婆魂灾洪"
    "腿胆津俗辩胸晓劲贫仁偶辑邦恢赖圈摸仰润堆碰艇稍迟辆废净凶署壁御奉旋冬矿抬蛋晨伏吹鸡倍糊秦盾杯租骑乏隆"
    "诊奴摄丧污渡旗甘耐凭扎抢绪粗肩梁幻菲皆碎宙叔岩荡综爬荷悉蒂返井壮薄悄扫敏碍殖详迪矛霍允幅撒剩凯颗骂赏"
    "液番箱贴漫酸郎腰舒眉忧浮辛恋餐吓挺励辞艘键伍峰尺昨黎辈贯侦滑券崇扰宪绕趋慈乔阅汗枝拖墨胁插箭腊粉泥氏"
)
_COMMON_SET = frozenset(COMMON_CHARS)
# Zipf weights over COMMON_CHARS: gibberish drawn from a frequency list looks like text at a glance.
_COMMON_CUM_WEIGHTS = tuple(accumulate(1 / (rank + 10) for rank in range(len(COMMON_CHARS))))

# Share of a page's Han characters a gloss mirror glosses (the real pages gloss a few per sentence).
GLOSS_SHARE = (0.03, 0.08)
# Reading aids gloss far fewer characters than a mirror: at most this share, and only rare ones.
READING_AID_MAX_SHARE = 0.015

# Variant forms mirror converters and HK/TW fonts substitute for a common character (not the plain
# traditional form a reader would accept: each is an odd or regional variant in mainland text).
VARIANTS: dict[str, tuple[str, ...]] = {
    "一": ("壹",),  # financial numeral form, converters that "upgrade" numerals
    "你": ("妳",),  # feminine second person, TW converters applied blindly
    "没": ("冇", "沒"),  # Cantonese 'not have' (HK converters); TW form
    "里": ("裏", "裡"),  # HK/old standard form; TW form
    "着": ("著",),  # TW standard form
    "够": ("夠",),  # TW/HK form
    "为": ("爲",),  # HK/old standard form (TW 為)
    "床": ("牀",),  # old standard form
    "吃": ("喫",),  # classical form revived by some converters
    "才": ("纔",),  # old form for 'only just'
    "线": ("綫",),  # HK form (TW 線)
    "群": ("羣",),  # old standard form
    "峰": ("峯",),  # old standard form
    "略": ("畧",),  # old variant
    "村": ("邨",),  # HK place-name form
    "污": ("汙",),  # TW form
}
# Frequent characters a deletion mirror drops everywhere (the damage seen on real mirror pages).
DELETABLE = "的了说天小是在有人我"
DELETION_POOL = 4  # drop among the page's most frequent deletable characters, so the damage shows
MAX_DELETED = 3  # real deletion mirrors drop one to three characters
# Classic spinner ("伪原创") output: a word swapped for a wrong or archaic "synonym".
SPINS: dict[str, str] = {
    "大": "年夜", "东西": "器械", "我们": "咱们", "百家乐": "人人乐", "发展": "成长", "问题": "成绩",
    "重要": "主要", "进行": "停止", "通过": "经由过程", "表示": "暗示", "包括": "包罗", "直接": "间接",
    "成功": "胜利", "技术": "手艺", "服务": "办事", "产品": "产物", "建议": "倡议", "支持": "撑持",
    "最后": "最初", "首先": "起首", "主要": "次要", "相关": "相干", "部分": "部门", "很多": "良多",
    "一直": "不断", "全部": "全数", "目前": "今朝", "所以": "是以", "非常": "很是", "现在": "此刻",
    "开始": "起头", "需要": "须要", "认为": "以为", "时候": "时辰", "特别": "出格", "生活": "糊口",
    "工作": "任务", "可能": "能够", "比较": "对照", "情况": "环境", "提供": "供给", "学生": "先生",
    "严重": "严峻", "发现": "发觉", "根据": "按照", "其实": "实在", "作用": "感化", "如果": "假如",
}
SPIN_SHARE = (0.4, 0.9)  # share of spinnable words a spinner swaps: enough that the text reads wrong
_SPIN_RE = re.compile("|".join(sorted(map(re.escape, SPINS), key=len, reverse=True)))

BRAND_PLACES = ("澳门", "新澳门", "老澳门", "香港", "新", "")
BRAND_MARKS = ("葡京", "威尼斯人", "金沙", "皇冠", "太阳城", "永利", "银河", "巴黎人", "美高梅", "新濠天地")
ADULT_MARKS = ("蜜桃", "麻豆", "草莓视频", "香蕉视频", "黄瓜视频", "糖心", "91")
BRAND_ACTIONS = ("注册", "官网", "入口", "平台", "app下载", "登录", "-注册首页", "官方网站", "娱乐场")
# What glues a brand to a title on real pages, nothing included.
TITLE_SEPARATORS = ("-", "_", ":", "：", "|", " ", "")
# The "new stock" prefix of adult-app mirror titles, e.g. 黑色正能量最新入库:XXvlog现在时间下载-
INVENTORY_TOPICS = ("黑色正能量", "夜间福利", "深夜直播", "成人抖音", "午夜剧场")
SPLICE_BAIT = ("股票配资最新报价", "配资炒股平台", "{brand}体育app官方下载", "{mark}体育官网入口", "{mark}真人开户")

ARTIFACTS = ("cms", "watermark", "headline")
# Template tags of DedeCMS, PbootCMS and scraper tools, published unfilled.
CMS_TAGS = ("[db:關鍵詞]", "[db:标题]", "{dede:field.title/}", "{dede:field.keywords/}", "[标签:标题]",
            "[标签:关键词]", "{$title}", "[!--newstext--]", "{pboot:sitetitle}")
# Spider-pool footers list districts and counties, one page per place name.
DISTRICTS = (
    "朝阳区", "海淀区", "浦东新区", "天河区", "南山区", "福田区", "江北区", "渝中区", "武侯区", "锦江区",
    "鼓楼区", "西湖区", "余杭区", "萧山区", "龙岗区", "宝安区", "历下区", "市南区", "雁塔区", "碑林区",
    "金水区", "洪山区", "江汉区", "岳麓区", "芙蓉区", "义乌市", "昆山市", "晋江市", "慈溪市", "寿光市",
) + tuple(c.split("市", 1)[1] for c in COUNTIES)  # 河北省邢台市临城县 -> 临城县
STUFF_HEADERS = ("相关搜索:", "相关搜索：", "热门标签:", "热门标签：", "Tags:", "标签：", "热门搜索:", "猜你喜欢：")
STUFF_SEPARATORS = (" ", "  ", "|", " | ", "、", ",")
SPIDER_POOL_SIZE = (10, 30)  # place names in a spider-pool footer, as on the real pages
SEPARATOR_CHARS = ("*", "-")
SEPARATOR_WIDTH = (6, 20)  # ****** … a line wide
GIBBERISH_LENGTH = (20, 60)  # characters in a gibberish line: a sentence's length, no words
RESPACE = {"，": " , ", "。": " 。 ", "；": " ; "}  # scrapers re-space punctuation with ASCII spaces

GOSSIP_OPENERS = ("【爆料】", "揭秘", "震惊！", "曝光！", "【独家】", "惊呆了！")
GOSSIP_ROLES = ("知名演员", "网红", "某富商", "前主播", "歌手", "影后", "")
GOSSIP_EVENTS = ("与神秘男子深夜同行", "离婚真相曝光", "身家过亿背后的秘密", "近况曝光令人唏嘘", "疑似隐婚生子",
                 "深夜发文引热议")
GOSSIP_SENTENCES = (
    "据知情人士透露，{n}近日的动向引起了不少人的关注。", "此事一经曝光，迅速引发网友热议。",
    "有网友表示：“真是没想到，太让人意外了。”", "对此，{n}方面暂未作出回应。",
    "事情的真相究竟如何，让我们拭目以待。", "不得不说，{n}的经历让人感慨万千。",
    "值得一提的是，这已经不是{n}第一次登上热搜。", "那么你怎么看呢？欢迎在评论区留言讨论。",
    "小编认为，无论如何，我们都应该理性看待这件事情。", "据悉，{n}早年曾有过一段不为人知的经历。",
)
PLACEHOLDER_TITLES = ("[城市名]关于开展[活动名称]的通知", "[主队名]对阵[客队名]比赛前瞻", "XX市[部门名称]工作总结",
                      "关于[事项]的情况说明")
PLACEHOLDER_LINES = (
    "(开头段落)", "各[单位名称]：", "为进一步推进相关工作，XX市决定于X月X日举办[活动名称]。",
    "北京时间X月X日，[主队名]将在主场迎战[客队名]。", "以下是本次活动的具体安排：",
    "一、活动时间：[时间]", "二、活动地点：[地点]", "三、参加人员：[人员名单]", "摘要结束。",
    "以下是关于[事项]的详细介绍。", "(此处插入正文内容)", "联系人：[姓名]，电话：[电话号码]",
)
PLACEHOLDER_CLOSINGS = ("希望对您有所帮助！", "希望对您有所帮助。", "以上就是全部内容。", "")
STUB_TEMPLATES = ("{t}是什么意思", "{t}怎么样", "{t}的拼音", "{t}怎么读", "{t}的意思和解释", "{t}是什么意思啊")
STUB_TERM_WINDOW = 300  # stub terms come from the article's opening, where its topic words are
STUB_SUFFIXES = ("", "", "_百度知道", " - 汉语词典", "-查字典", "_趣百科", "|问答网")
BAIKE_THINGS = ("民俗文化", "传统手工艺", "地方戏曲", "茶叶种植", "古建筑群", "方言体系", "节庆活动")
BAIKE_HEADINGS = ("概述", "主要类型划分", "年度特征分析", "历史意义总结")  # the fixed outline of farm baike
BAIKE_SENTENCES = (
    "{t}是一个具有重要意义的领域，涵盖多个方面的内容。", "从整体来看，{t}呈现出多元化的发展趋势。",
    "根据不同的标准，{t}可以划分为多种类型。", "每一年的{t}都具有其独特的特征和表现。",
    "总的来说，{t}在历史上发挥了不可替代的作用。", "随着时代的发展，{t}也在不断地演变和完善。",
    "{t}的研究对于理解当地社会具有重要的参考价值。",
)

# a model's smooth explainer with no template trace: no heading, date, source or stock phrase, only its register
EXPLAINER_TOPICS = ("家庭收纳", "室内绿植", "晨跑", "阅读习惯", "时间管理", "饮水", "午睡", "旧物改造")
EXPLAINER_OPENINGS = (
    "{t}不仅能够让生活变得更加有序，还能在潜移默化中提升整体的幸福感。然而，许多人在实践过程中常常忽视一些细节。",
    "在快节奏的日常中，{t}逐渐成为越来越多人关注的话题。它看似简单，却蕴含着不少值得深入了解的学问。",
)
EXPLAINER_SENTENCES = (
    "首先，需要根据自身的实际情况制定合理的计划，避免盲目跟风，从而让{t}真正发挥应有的作用。",
    "其次，坚持同样至关重要。只有循序渐进、持之以恒，才能逐步养成良好的习惯，并从中获得持久的益处。",
    "与此同时，环境的影响也不容忽视。一个舒适而整洁的空间，往往能够让人更加专注，也更容易坚持下去。",
    "此外，适当借助一些简单的工具，可以让{t}变得更加轻松高效，同时减少不必要的时间和精力消耗。",
    "值得注意的是，每个人的情况各不相同，因此在借鉴他人经验的同时，也要学会灵活调整，找到最适合自己的方式。",
    "而在这个过程中，保持积极的心态同样关键，它能够帮助我们更好地面对挑战，享受其中的乐趣。",
)
EXPLAINER_CLOSINGS = (
    "总之，只要掌握科学的方法，并给予足够的耐心，每个人都能让{t}成为生活中一道美好的风景。",
    "总而言之，{t}并没有统一的标准，关键在于结合自身需求进行综合考虑，让它真正服务于更加美好的生活。",
)

_PUNCT_RE = re.compile(r"[，。！？；：、“”‘’（）《》「」『』…—]")
_HK_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})
_SENTENCE_END_RE = re.compile(r"[。！？]")

Piece = tuple[str, str | None]  # (text, reason); reason None: genuine text


# ---------------------------------------------------------------------------------------------------------
# assembly


def _assemble(lines: Sequence[Sequence[Piece]], *, article: str, kind: str) -> SyntheticPage:
    """Join lines of pieces with newlines; every piece with a reason becomes a span."""
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for i, line in enumerate(lines):
        if i:
            parts.append("\n")
            pos += 1
        for text, reason in line:
            if reason:
                spans.append((pos, pos + len(text), R.check(reason)))
            parts.append(text)
            pos += len(text)
    return SyntheticPage(text="".join(parts), article=article, spam_spans=spans, kind=kind)


def _whole(text: str, reason: str, kind: str) -> SyntheticPage:
    """A page that is spam from end to end: one span, nothing to keep."""
    return SyntheticPage(text=text, article="", spam_spans=[(0, len(text), R.check(reason))], kind=kind)


def _unchanged(article: str, kind: str) -> SyntheticPage:
    """The article as it is: what a mirror or spinner gives when it finds nothing to damage."""
    return SyntheticPage(text=article, article=article, kind=kind)


def _paragraphs(article: str) -> list[str]:
    return [p.strip() for p in article.split("\n") if p.strip()]


def _genuine(paragraphs: Sequence[str]) -> list[list[Piece]]:
    return [[(p, None)] for p in paragraphs]


def _with_lines(paragraphs: list[str], injected: Sequence[tuple[int, str, str]], kind: str) -> SyntheticPage:
    """Genuine paragraphs with injected lines, each ``(index of the paragraph it precedes, text, reason)``."""
    lines: list[list[Piece]] = []
    for i in range(len(paragraphs) + 1):
        lines += [[(text, reason)] for at, text, reason in injected if at == i]
        if i < len(paragraphs):
            lines.append([(paragraphs[i], None)])
    return _assemble(lines, article="\n".join(paragraphs), kind=kind)


def _sentence_break(paragraph: str, rng: random.Random) -> int:
    """A random position just after a sentence end inside ``paragraph`` (its end if it has one sentence)."""
    ends = [m.end() for m in _SENTENCE_END_RE.finditer(paragraph) if m.end() < len(paragraph)]
    return rng.choice(ends) if ends else len(paragraph)


def _date(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)


def _domain(rng: random.Random) -> str:
    word = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 8)))
    return f"{rng.choice(('www.', 'm.', ''))}{word}.{rng.choice(('com', 'cn', 'net', 'cc', 'top'))}"


# ---------------------------------------------------------------------------------------------------------
# characters


def readings(text: str) -> list[str]:
    """Tone-marked pinyin of every character of ``text`` in context, ``""`` for non-Han characters."""
    from pypinyin import Style, pinyin

    return [r[0] for r in pinyin(text, style=Style.TONE, errors=lambda s: [""] * len(s))]


def common_chars(rng: random.Random, n: int) -> str:
    """``n`` characters drawn from the frequency list, frequent ones more often."""
    return "".join(rng.choices(COMMON_CHARS, cum_weights=_COMMON_CUM_WEIGHTS, k=n))


def _cjk_counts(text: str) -> Counter[str]:
    return Counter(c for c in text if is_cjk(c))


def _gloss_set(counts: Counter[str], rng: random.Random, share: float) -> set[str]:
    """Common characters whose occurrences together cover about ``share`` of the Han characters."""
    pool = sorted(c for c in counts if c in _COMMON_SET) or sorted(counts)
    target = share * sum(counts.values())
    chosen: set[str] = set()
    covered = 0
    for c in rng.sample(pool, len(pool)):
        if chosen and covered + counts[c] > target:
            continue
        chosen.add(c)
        covered += counts[c]
    return chosen


# ---------------------------------------------------------------------------------------------------------
# spam shapes


def gloss_mirror(article: str, rng: random.Random) -> SyntheticPage:
    """Traditional mirror with tone-marked pinyin glued after the characters its converter "could not map"."""
    counts = _cjk_counts(article)
    if not counts:
        return _unchanged(article, "gloss_mirror")
    chosen = _gloss_set(counts, rng, rng.uniform(*GLOSS_SHARE))
    lines = []
    for line, trad in zip(article.split("\n"), to_traditional(article).split("\n"), strict=True):
        pieces: list[Piece] = []
        start = 0
        for i, (c, reading) in enumerate(zip(line, readings(line), strict=True)):
            if c in chosen and reading:
                pieces += [(trad[start:i + 1], None), (f"({reading})", R.MIRROR_REPAIRED)]
                start = i + 1
        lines.append(pieces + [(trad[start:], None)])
    return _assemble(lines, article=article, kind="gloss_mirror")


def variant_mirror(article: str, rng: random.Random) -> SyntheticPage:
    """Mirror that swaps every occurrence of a few common characters for an odd variant form."""
    present = sorted(c for c in VARIANTS if c in article)
    if not present:
        return _unchanged(article, "variant_mirror")
    swap = {c: rng.choice(VARIANTS[c]) for c in rng.sample(present, rng.randint(1, len(present)))}
    lines = [[(swap[c], R.MIRROR_REPAIRED) if c in swap else (c, None) for c in line]
             for line in article.split("\n")]
    return _assemble(lines, article=article, kind="variant_mirror")


def deletion_mirror(article: str, rng: random.Random) -> SyntheticPage:
    """Mirror that dropped every occurrence of one to three frequent characters: unreadable, nothing kept."""
    counts = _cjk_counts(article)
    pool = sorted((c for c in DELETABLE if c in counts), key=lambda c: -counts[c])[:DELETION_POOL]
    pool = pool or [c for c, _ in counts.most_common(DELETION_POOL)]
    if not pool:
        return _unchanged(article, "deletion_mirror")
    dropped = set(rng.sample(pool, rng.randint(1, min(MAX_DELETED, len(pool)))))
    return _whole("".join(c for c in article if c not in dropped), R.SPUN_TEXT, "deletion_mirror")


def _spin(text: str, rng: random.Random, share: float) -> str:
    """Swap about ``share`` of the spinnable words (at least one) for their spinner "synonym"."""
    matches = list(_SPIN_RE.finditer(text))
    picked = {i for i in range(len(matches)) if rng.random() < share} or {rng.randrange(len(matches))}
    out, last = [], 0
    for i, m in enumerate(matches):
        if i in picked:
            out += [text[last:m.start()], SPINS[m.group()]]
            last = m.end()
    return "".join(out) + text[last:]


def synonym_spin(article: str, rng: random.Random) -> SyntheticPage:
    """Spinner output: a share of words replaced by the classic wrong synonyms; nothing kept."""
    if not _SPIN_RE.search(article):
        return _unchanged(article, "synonym_spin")
    return _whole(_spin(article, rng, rng.uniform(*SPIN_SHARE)), R.SPUN_TEXT, "synonym_spin")


def brand_name(rng: random.Random) -> str:
    """A gambling or adult brand built from morphemes, with digits and/or an action (注册, 官网, app下载 …)."""
    if rng.random() < 0.25:
        base = rng.choice(ADULT_MARKS) + rng.choice(("视频", "直播", "", "传媒"))
    else:
        base = rng.choice(BRAND_PLACES) + rng.choice(BRAND_MARKS)
    n_digits = rng.choice((0, 3, 4))  # 澳门金沙3983, 新葡京8455 …, or none
    digits = "".join(rng.choice(string.digits) for _ in range(n_digits))
    action = rng.choice(BRAND_ACTIONS) if not digits or rng.random() < 0.6 else ""
    return base + digits + action


def _inventory_prefix(rng: random.Random) -> str:
    """The adult-app mirror prefix: ``黑色正能量最新入库:XXvlog现在时间下载-``."""
    who = rng.choice(("".join(rng.choice(string.ascii_uppercase) for _ in range(2)), rng.choice(ADULT_MARKS)))
    return f"{rng.choice(INVENTORY_TOPICS)}最新入库{rng.choice((':', '：'))}{who}vlog现在时间下载-"


def brand_title(article: str, rng: random.Random, *, title: str | None = None) -> SyntheticPage:
    """The genuine headline with a brand glued before, after or into it, above the article."""
    title = (title or _title_of(article)).strip()
    sep = rng.choice(TITLE_SEPARATORS)
    where = rng.randrange(4)
    if where == 0:
        head = [(brand_name(rng) + sep, R.BRAND_INJECTION), (title, None)]
    elif where == 1:
        head = [(title, None), (sep + brand_name(rng), R.BRAND_INJECTION)]
    elif where == 2 and len(title) > 3:
        k = rng.randrange(2, len(title) - 1)
        head = [(title[:k], None), (sep + brand_name(rng) + sep, R.BRAND_INJECTION), (title[k:], None)]
    else:
        head = [(_inventory_prefix(rng), R.BRAND_INJECTION), (title, None)]
    paragraphs = _paragraphs(article)
    article_out = "\n".join([title, *paragraphs])
    return _assemble([head, *_genuine(paragraphs)], article=article_out, kind="brand_title")


def bait_splice(article: str, rng: random.Random) -> SyntheticPage:
    """A bait phrase inserted mid-sentence into the first paragraph."""
    paragraphs = _paragraphs(article)
    first = paragraphs[0]
    end = (m.start() if (m := _SENTENCE_END_RE.search(first)) else len(first))
    k = rng.randrange(2, end) if end > 3 else end
    if rng.random() < 0.5:
        bait = rng.choice(SPLICE_BAIT).format(brand=brand_name(rng), mark=rng.choice(BRAND_MARKS))
    else:
        bait = rng.choice(BAIT_ALL)
    lines = [[(first[:k], None), (bait, R.BAIT), (first[k:], None)], *_genuine(paragraphs[1:])]
    return _assemble(lines, article="\n".join(paragraphs), kind="bait_splice")


def _source_token(rng: random.Random, date: tuple[int, int, int]) -> str:
    y, m, d = date
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(2)) + f"{y}{m:02d}{d:02d}"


def _source_line(rng: random.Random) -> str:
    """``作者:an888``, ``来源: sp20241116`` or ``发布时间:2024-11-16 19:12:16 来源: xx20241116``."""
    colon = rng.choice((":", "：", ": ", "： "))
    date = _date(rng)
    k = rng.randrange(3)
    if k == 0:
        handle = "".join(rng.choice(string.ascii_lowercase) for _ in range(2)) + str(rng.randint(100, 999))
        return f"作者{colon}{handle}"
    if k == 1:
        return f"来源{colon}{_source_token(rng, date)}"
    y, m, d = date
    clock = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    return f"发布时间{colon}{y}-{m:02d}-{d:02d} {clock} 来源{colon}{_source_token(rng, date)}"


def source_lines(article: str, rng: random.Random) -> SyntheticPage:
    """Fake author / source / timestamp lines above or below the article."""
    paragraphs = _paragraphs(article)
    injected = [(rng.choice((0, 0, len(paragraphs))), _source_line(rng), R.TEMPLATE_ARTIFACT)
                for _ in range(rng.randint(1, 3))]
    return _with_lines(paragraphs, injected, "source_lines")


def _fragments(rng: random.Random, headlines: Sequence[str], n: int) -> list[str]:
    """Short keyword fragments: pieces of headlines and bait phrases."""
    out = []
    for _ in range(n):
        hl = rng.choice(headlines) if headlines and rng.random() < 0.7 else rng.choice(BAIT_ALL)
        k = rng.randint(2, min(6, len(hl))) if len(hl) > 2 else len(hl)
        i = rng.randrange(len(hl) - k + 1)
        out.append(hl[i:i + k])
    return out


def _stuffing_block(rng: random.Random, headlines: Sequence[str]) -> str:
    """A related-search / tag block, or a spider-pool footer of place names."""
    sep = rng.choice(STUFF_SEPARATORS)
    if rng.random() < 0.4:
        return sep.join(rng.sample(DISTRICTS, rng.randint(*SPIDER_POOL_SIZE)))
    return rng.choice(STUFF_HEADERS) + sep.join(_fragments(rng, headlines, rng.randint(6, 15)))


def keyword_stuffing(article: str, rng: random.Random, *, headlines: Sequence[str] = ()) -> SyntheticPage:
    """The article followed (sometimes preceded) by tag clouds, related searches or place-name footers."""
    paragraphs = _paragraphs(article)
    injected = [(0 if rng.random() < 0.25 else len(paragraphs), _stuffing_block(rng, headlines),
                 R.KEYWORD_STUFFING) for _ in range(rng.randint(1, 2))]
    return _with_lines(paragraphs, injected, "keyword_stuffing")


def _separator_line(rng: random.Random) -> str:
    return rng.choice(SEPARATOR_CHARS) * rng.randint(*SEPARATOR_WIDTH)


def stitched_separators(article: str, rng: random.Random, *, snippets: Sequence[str] = ()) -> SyntheticPage:
    """Unrelated paragraphs stitched to the article behind ``******`` or ``------`` separator lines."""
    paragraphs = _paragraphs(article)
    injected = []
    if rng.random() < 0.3:
        injected += [(0, rng.choice(snippets) if snippets else templated_snippet(rng), R.STITCHED),
                     (0, _separator_line(rng), R.STITCHED)]
    for _ in range(rng.randint(1, 3)):
        injected += [(len(paragraphs), _separator_line(rng), R.STITCHED),
                     (len(paragraphs), rng.choice(snippets) if snippets and rng.random() < 0.6
                      else templated_snippet(rng), R.STITCHED)]
    return _with_lines(paragraphs, injected, "stitched_separators")


def _watermark(rng: random.Random, title: str) -> str:
    """``----标题//----某某网 http://www.xx.com //``."""
    return f"----{title}//----{rng.choice(SITE_NAMES)} http://{_domain(rng)} //"


def _artifact(kind: str, rng: random.Random, title: str) -> str:
    if kind == "watermark":
        return _watermark(rng, title)
    if kind == "headline":
        return f"【{title}】"
    return rng.choice(CMS_TAGS)


def scraper_artifacts(article: str, rng: random.Random, *, title: str | None = None) -> SyntheticPage:
    """Unfilled CMS tags, a watermark line and the headline re-inserted in 【】 mid-article."""
    title = (title or _title_of(article)).strip()
    paragraphs = _paragraphs(article)
    lines = _genuine(paragraphs)
    for kind in rng.sample(ARTIFACTS, rng.randint(1, len(ARTIFACTS))):
        text = _artifact(kind, rng, title)
        untouched = [i for i, line in enumerate(lines) if len(line) == 1 and line[0][1] is None]
        if kind == "watermark" or not untouched or rng.random() < 0.4:  # a line of its own
            lines.insert(rng.randint(0, len(lines)), [(text, R.TEMPLATE_ARTIFACT)])
        else:  # inline, after a sentence of a paragraph
            i = rng.choice(untouched)
            para = lines[i][0][0]
            cut = _sentence_break(para, rng)
            lines[i] = [(para[:cut], None), (text, R.TEMPLATE_ARTIFACT), (para[cut:], None)]
    return _assemble(lines, article="\n".join(paragraphs), kind="scraper_artifacts")


def _respace(paragraph: str) -> str:
    return "".join(RESPACE.get(c, c) for c in paragraph).strip()


def respaced_scrape(article: str, rng: random.Random, *, title: str | None = None) -> SyntheticPage:
    """Scraped copy: ASCII-spaced punctuation (kept, unlabelled, the kind marks it) under a watermark."""
    title = (title or _title_of(article)).strip()
    paragraphs = [_respace(p) for p in _paragraphs(article)]
    at = rng.choice((0, len(paragraphs)))
    return _with_lines(paragraphs, [(at, _watermark(rng, title), R.TEMPLATE_ARTIFACT)], "respaced_scrape")


def _cjk_gibberish_line(rng: random.Random) -> str:
    chars = list(common_chars(rng, rng.randint(*GIBBERISH_LENGTH)))
    if rng.random() < 0.5:
        for i in sorted(rng.sample(range(1, len(chars)), rng.randint(1, 5)), reverse=True):
            chars.insert(i, rng.choice("，。、！？"))
    return "".join(chars)


def cjk_gibberish(article: str, rng: random.Random) -> SyntheticPage:
    """Lines of random frequent Chinese characters with no words, among the article's paragraphs."""
    paragraphs = _paragraphs(article)
    injected = sorted((rng.randint(1, len(paragraphs)), _cjk_gibberish_line(rng), R.GIBBERISH)
                      for _ in range(rng.randint(1, 2)))
    return _with_lines(paragraphs, injected, "cjk_gibberish")


def farm_gossip(rng: random.Random) -> SyntheticPage:
    """Gossip-farm page: a 【爆料】/揭秘/震惊！ headline about an invented person and stock sentences."""
    person = _name(rng)
    head = rng.choice(GOSSIP_OPENERS) + rng.choice(GOSSIP_ROLES) + person + rng.choice(GOSSIP_EVENTS)
    body = [s.format(n=person) for s in rng.sample(GOSSIP_SENTENCES, rng.randint(4, 8))]
    cut = rng.randint(1, len(body))
    paragraphs = ["".join(body[:cut]), "".join(body[cut:])]
    return _whole("\n".join([head, *filter(None, paragraphs)]), R.CONTENT_FARM, "farm_gossip")


def farm_placeholder(rng: random.Random) -> SyntheticPage:
    """Template notice published with its slots unfilled (``[主队名]``, ``XX市``, ``(开头段落)``, 摘要结束。)."""
    lines = [rng.choice(PLACEHOLDER_TITLES), *rng.sample(PLACEHOLDER_LINES, rng.randint(3, 7))]
    closing = rng.choice(PLACEHOLDER_CLOSINGS)
    return _whole("\n".join([*lines, closing] if closing else lines), R.CONTENT_FARM, "farm_placeholder")


def _term(article: str, rng: random.Random) -> str:
    """A word of 2-4 Han characters from the start of ``article`` (a city name when it has none)."""
    terms = [w for w in words(article[:STUB_TERM_WINDOW]) if 2 <= len(w) <= 4 and all(map(is_cjk, w))]
    return rng.choice(terms) if terms else rng.choice(CITIES)


def farm_stub(article: str, rng: random.Random) -> SyntheticPage:
    """A one-line stub page: ``xx是什么意思``, ``xx怎么样``, ``xx的拼音``, maybe with a site suffix."""
    line = rng.choice(STUB_TEMPLATES).format(t=_term(article, rng)) + rng.choice(STUB_SUFFIXES)
    return _whole(line, R.CONTENT_FARM, "farm_stub")


def farm_baike(rng: random.Random) -> SyntheticPage:
    """Generated encyclopedia entry: the fixed outline (概述 / 主要类型划分 …) filled with generic sentences."""
    topic = rng.choice(PROVINCES) + rng.choice(BAIKE_THINGS)
    numbered = rng.random() < 0.5
    lines = [topic]
    for i, heading in enumerate(BAIKE_HEADINGS):
        lines.append(f"{'一二三四'[i]}、{heading}" if numbered else heading)
        lines.append("".join(s.format(t=topic) for s in rng.sample(BAIKE_SENTENCES, rng.randint(2, 3))))
    return _whole("\n".join(lines), R.CONTENT_FARM, "farm_baike")


def farm_explainer(rng: random.Random) -> SyntheticPage:
    """A model-written explainer with no template trace: a topic line, an opening, four to five stock-register
    sentences in two or three paragraphs and a summing-up; only the machine-prose signal sees it."""
    topic = rng.choice(EXPLAINER_TOPICS)
    body = [s.format(t=topic) for s in rng.sample(EXPLAINER_SENTENCES, rng.randint(4, 5))]
    cut = rng.randint(2, len(body) - 1)
    paragraphs = [rng.choice(EXPLAINER_OPENINGS).format(t=topic), "".join(body[:cut]), "".join(body[cut:]),
                  rng.choice(EXPLAINER_CLOSINGS).format(t=topic)]
    return _whole("\n".join([topic + "小知识", *paragraphs]), R.CONTENT_FARM, "farm_explainer")


# ---------------------------------------------------------------------------------------------------------
# clean hard negatives (no spans: everything on the page is genuine)


def _clean(text: str, kind: str, article: str | None = None) -> SyntheticPage:
    return SyntheticPage(text=text, article=text if article is None else article, kind=kind)


def traditional_news(article: str, rng: random.Random) -> SyntheticPage:
    """Native traditional-character news (OpenCC s2hk or s2tw) with 「」 quotation marks."""
    text = opencc_converter(rng.choice(("s2hk", "s2tw"))).convert(article).translate(_HK_QUOTES)
    return _clean(text, "traditional_news")


def _pinyin_lines(paragraphs: list[str]) -> str:
    """Each line under a line of its pinyin, as in a children's reader."""
    out = []
    for p in paragraphs:
        out += [" ".join(r for r in readings(p) if r), p]
    return "\n".join(out)


def _rare_glosses(article: str, rng: random.Random) -> str:
    """``字(zì)`` after the first occurrence of a few rare characters, far below a mirror's density."""
    counts = _cjk_counts(article)
    rare = sorted(c for c in counts if c not in _COMMON_SET)
    budget = int(READING_AID_MAX_SHARE * sum(counts.values()))
    glossed = set(rng.sample(rare, min(len(rare), budget)))
    parens = rng.choice((("(", ")"), ("（", "）")))
    out, seen = [], set()
    for c, reading in zip(article, readings(article), strict=True):
        out.append(c)
        if c in glossed and c not in seen and reading:
            out.append(parens[0] + reading + parens[1])
            seen.add(c)
    return "".join(out)


def pinyin_reading(article: str, rng: random.Random) -> SyntheticPage:
    """Legitimate reading aids: a pinyin line above each line, or ``字(zì)`` on a few rare characters."""
    glossed = _rare_glosses(article, rng) if rng.random() < 0.5 else article
    text = glossed if glossed != article else _pinyin_lines(_paragraphs(article))
    return _clean(text, "pinyin_reading")


def unpunctuated(article: str, rng: random.Random) -> SyntheticPage:
    """The article with its punctuation removed (or turned into spaces), as in old texts and some posts."""
    return _clean(_PUNCT_RE.sub(rng.choice(("", " ")), article).strip(), "unpunctuated")


def repeated_article(article: str, rng: random.Random) -> SyntheticPage:
    """The same article printed twice (print view + page body); the article is kept once."""
    return _clean(article + rng.choice(("\n", "\n\n")) + article, "repeated_article", article=article)


def ascii_punct(article: str, rng: random.Random) -> SyntheticPage:
    """ASCII ``,`` ``?`` ``:`` instead of full-width punctuation (the full stop too, on some pages)."""
    return _clean(ascii_punctuation(article, full_stop=rng.random() < ASCII_FULL_STOP_SHARE), "ascii_punct")


def crackdown_news(rng: random.Random) -> SyntheticPage:
    """Genuine police news about a gambling or porn ring: names brands and bait terms, and is clean."""
    y, m, d = _date(rng)
    city = rng.choice(CITIES)
    n, amount = rng.randint(8, 120), rng.randint(2, 90)
    if rng.random() < 0.6:
        lead = (f"{m}月{d}日，记者从{city}市公安局获悉，警方近日成功捣毁一个网络赌博团伙，抓获犯罪嫌疑人{n}名，"
                f"涉案金额达{amount}亿元。")
        facts = (f"经查，该团伙自{y - 2}年以来，以“{brand_name(rng)}”等境外赌博网站为幌子，通过微信群招揽参赌人员，"
                 "组织“百家乐”“六合彩”等赌博活动，并为赌客提供充值、提现等服务。")
        warn = "警方提醒，网络赌博危害极大，广大群众切勿参与，发现线索请及时拨打110举报。"
    else:
        lead = (f"{m}月{d}日，{city}市公安局通报，警方破获一起利用网络传播淫秽物品牟利案，抓获犯罪嫌疑人{n}名，"
                f"查获淫秽视频{amount * 100}余部，涉案金额{amount}00余万元。")
        facts = ("经查，犯罪嫌疑人搭建“成人视频在线观看”等网站，以会员充值的方式招揽用户，"
                 "并通过境外服务器逃避监管。")
        warn = "警方提醒，制作、传播淫秽物品是违法犯罪行为，广大网民应自觉抵制。"
    tail = "目前，犯罪嫌疑人已被依法采取刑事强制措施，案件正在进一步侦办中。"
    return _clean(f"{lead}\n{facts}\n{tail}\n{warn}", "crackdown_news")


# ---------------------------------------------------------------------------------------------------------
# registry


@dataclass(frozen=True)
class _Context:
    headlines: Sequence[str]
    snippets: Sequence[str]
    title: str | None


_Shape = Callable[[str, random.Random, _Context], SyntheticPage]

_SPAM: dict[str, _Shape] = {
    "gloss_mirror": lambda a, rng, c: gloss_mirror(a, rng),
    "variant_mirror": lambda a, rng, c: variant_mirror(a, rng),
    "deletion_mirror": lambda a, rng, c: deletion_mirror(a, rng),
    "synonym_spin": lambda a, rng, c: synonym_spin(a, rng),
    "brand_title": lambda a, rng, c: brand_title(a, rng, title=c.title),
    "bait_splice": lambda a, rng, c: bait_splice(a, rng),
    "source_lines": lambda a, rng, c: source_lines(a, rng),
    "keyword_stuffing": lambda a, rng, c: keyword_stuffing(a, rng, headlines=c.headlines),
    "stitched_separators": lambda a, rng, c: stitched_separators(a, rng, snippets=c.snippets),
    "scraper_artifacts": lambda a, rng, c: scraper_artifacts(a, rng, title=c.title),
    "respaced_scrape": lambda a, rng, c: respaced_scrape(a, rng, title=c.title),
    "cjk_gibberish": lambda a, rng, c: cjk_gibberish(a, rng),
    "farm_gossip": lambda a, rng, c: farm_gossip(rng),
    "farm_placeholder": lambda a, rng, c: farm_placeholder(rng),
    "farm_stub": lambda a, rng, c: farm_stub(a, rng),
    "farm_baike": lambda a, rng, c: farm_baike(rng),
    "farm_explainer": lambda a, rng, c: farm_explainer(rng),
}
_CLEAN: dict[str, _Shape] = {
    "traditional_news": lambda a, rng, c: traditional_news(a, rng),
    "pinyin_reading": lambda a, rng, c: pinyin_reading(a, rng),
    "unpunctuated": lambda a, rng, c: unpunctuated(a, rng),
    "repeated_article": lambda a, rng, c: repeated_article(a, rng),
    "ascii_punct": lambda a, rng, c: ascii_punct(a, rng),
    "crackdown_news": lambda a, rng, c: crackdown_news(rng),
}
SPAM_SHAPES = tuple(_SPAM)
CLEAN_SHAPES = tuple(_CLEAN)


def generate_shape(
    name: str,
    article: str,
    rng: random.Random,
    *,
    headlines: Sequence[str] = (),
    snippets: Sequence[str] = (),
    title: str | None = None,
) -> SyntheticPage:
    """The page of shape ``name`` (one of ``SPAM_SHAPES`` or ``CLEAN_SHAPES``) built around ``article``."""
    shape = _SPAM.get(name) or _CLEAN.get(name)
    if shape is None:
        raise ValueError(f"unknown shape {name!r}; known: {', '.join(SPAM_SHAPES + CLEAN_SHAPES)}")
    return shape(article, rng, _Context(headlines, snippets, title))
