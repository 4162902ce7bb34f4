"""Genres of real writing: the web-era L2 labels on hand-written texts (our own words), their L1 placement,
and that non-literary modern text stays out of `literature` whatever its surface."""

import pytest

from wenforge.style import score_style
from wenforge.style.taxonomy import load_taxonomy
from wenforge.text.chars import to_traditional

FILM_REVIEW = (
    "周末去电影院看了《雾港》，说说观感。前四十分钟铺垫得太慢，我旁边的人都开始玩手机了，好在中段那场码头追逐戏拍得很带劲，"
    "导演的调度能力还是有的。男主演技稳定，就是人物动机交代得不清楚，他为什么突然背叛师父，电影没给出让人信服的理由。"
    "配乐偏吵，几处抒情段落被音效盖住了。结尾留了个续集的口子，有点刻意。总体三星半，冲着动作戏可以一看，别抱太高期待。"
)
BOOK_REVIEW = (
    "这本书我断断续续读了半个月。作者是一名乡村医生，书里记的都是他二十年出诊遇到的病人和家属，文字朴素，没有煽情，"
    "但有几章写得很扎实，比如那位坚持自己熬药的老太太，细节真实得让人心疼。缺点是后半本重复较多，编辑应该再删一删。"
    "如果你喜欢非虚构写作，这本值得放进书单，评分四星。"
)
PRODUCT_REVIEW = (
    "入手这款无线吸尘器一个月了，来交作业。优点：机身轻，单手举起来吸窗帘顶没压力；吸力对付地毯上的猫毛够用；"
    "充电两个半小时能用四十分钟左右。缺点：集尘盒太小，家里有宠物的话一天要倒两三次；最高档噪音很大，晚上不敢开。"
    "售价一千出头，同价位里算是均衡的选择，给个八十分。"
)
ABSTRACT = (
    "摘要：针对小样本条件下滚动轴承故障诊断精度不足的问题，本文提出一种融合时频特征与注意力机制的诊断方法。"
    "首先利用连续小波变换将振动信号转换为时频图，然后构建轻量卷积网络提取多尺度特征，并引入通道注意力模块增强关键频段的表达。"
    "在公开数据集和自建试验台数据上的实验结果表明，该方法在每类仅二十个训练样本时诊断准确率达到百分之九十六点三，"
    "较对比方法提高四个百分点以上，具有较好的泛化能力和工程应用价值。"
)
MODERN_POEM = (
    "我把黄昏折好\n放进你的口袋\n你走过那座旧桥的时候\n它会轻轻地响\n\n"
    "像一只不肯睡去的鸟\n在河水的背面\n数着\n一盏一盏亮起来的窗\n\n"
    "我不问你去哪里\n只请你记得\n风从北边来\n那是我在说话"
)
FORUM_POST = (
    "【求助】合租室友总是半夜在客厅打电话怎么办\n如题，坐标成都，和两个人合租三室一厅。其中一个室友每天十二点以后在客厅打语音，"
    "声音特别大，我第二天七点就要起床上班。当面提过两次，他嘴上答应，过两天又照旧。房东说管不了这种事。"
    "各位有啥好办法吗？真的快崩溃了，在线等。\n2楼：直接跟房东说要换房，别客气\n3楼：同款室友，最后我搬走了哈哈\n"
    "楼主：谢谢大家，我再找他聊一次试试"
)
WEB_FICTION = (
    "第三十七章 丹田异变\n叶尘盘膝坐在洞府深处，周身灵气如潮水般涌来，经脉中传出一阵阵刺痛。"
    "筑基九层的瓶颈已经卡了他整整三年，今日借着那枚血魂丹的药力，终于有了松动的迹象。\n"
    "“给我破！”他低喝一声，体内真元疯狂运转，丹田中那团金色的雾气骤然收缩，化作一颗米粒大小的金丹雏形。\n"
    "就在此时，洞府外传来一声冷笑：“小子，你的机缘到头了。”一道黑影破开禁制，元婴期的威压铺天盖地地压了下来。"
    "叶尘嘴角溢出一丝鲜血，眼中却燃起了战意。"
)
COMPOSITION = (
    "难忘的一次包饺子\n上个星期六，奶奶说要教我包饺子，我高兴得跳了起来。奶奶先把面团揉得光溜溜的，再擀成一张张圆圆的饺子皮。"
    "我学着奶奶的样子，舀一勺馅放在皮中间，可是一捏，馅就从旁边挤了出来，我的手上、脸上全是面粉，像一只小花猫。"
    "奶奶笑着说：“别急，慢慢来，边上先捏紧。”我又试了好几次，终于包出了一个像样的饺子。\n"
    "饺子煮好了，我吃着自己包的饺子，觉得比什么都香。通过这件事，我明白了做任何事都要有耐心。"
)
OPINION = (
    "青少年是否应该限制使用手机？我认为，与其一味禁止，不如教会他们合理使用。首先，手机已经是学习和生活的工具，"
    "查资料、上网课都离不开它，完全禁止既不现实，也会让孩子与同龄人脱节。其次，禁止往往激发逆反心理，"
    "越是不让碰，越想偷偷地玩。因此，学校和家长应当与孩子共同制定使用规则，明确时间和用途，并以身作则。"
    "综上所述，引导比禁止更有效，只有学会自我管理，青少年才能真正成为手机的主人。"
)

CASES = [
    ("film_review", FILM_REVIEW, "commentary", "review"),
    ("book_review", BOOK_REVIEW, "commentary", "review"),
    ("product_review", PRODUCT_REVIEW, "commentary", "review"),
    ("abstract", ABSTRACT, "academic", "academic"),
    ("modern_poem", MODERN_POEM, "literature", "modern_poetry"),
    ("forum_post", FORUM_POST, "social", "forum_post"),
    ("web_fiction", WEB_FICTION, "literature", "web_fiction"),
    pytest.param(
        "composition", COMPOSITION, "literature", "student_composition",
        marks=pytest.mark.xfail(strict=True, reason="known limit: no human school compositions to train on; the "
                                "template seeds do not generalise, a real-style composition reads as modern_fiction"),
    ),
    ("opinion", OPINION, "commentary", "opinion"),
]
TEXTS = [(c.values if hasattr(c, "values") else c) for c in CASES]


def test_new_labels_are_placed_in_the_taxonomy():
    t = load_taxonomy()
    for _name, _text, l1, l2 in TEXTS:
        assert t.parent(l2) == l1
    for old in ("classical_poetry", "modern_fiction", "news_report", "encyclopedia", "legal", "advertisement"):
        assert old in t.l2_labels


@pytest.mark.parametrize("name,text,l1,l2", CASES, ids=[t[0] for t in TEXTS])
def test_genre_of_hand_written_text(name, text, l1, l2):
    r = score_style(text)
    assert (r.l1, r.l2) == (l1, l2)


@pytest.mark.parametrize("name,text", [(n, t) for n, t, l1, _ in TEXTS if l1 != "literature"])
def test_non_literary_modern_text_stays_out_of_literature_on_any_surface(name, text):
    ascii_text = text.replace("，", ",").replace("。", ".").replace("：", ":").replace("？", "?").replace("；", ";")
    for variant in (text, ascii_text, to_traditional(text)):
        assert score_style(variant).l1 != "literature", name


def test_literary_score_orders_poem_and_fiction_above_abstract_and_forum():
    lit = [score_style(t).literary_score for t in (MODERN_POEM, WEB_FICTION, COMPOSITION)]
    plain = [score_style(t).literary_score for t in (ABSTRACT, FORUM_POST, PRODUCT_REVIEW)]
    assert min(lit) > max(plain)


def test_surface_variants_keep_the_genre_and_score():
    for name, text, _l1, _l2 in TEXTS:
        base = score_style(text)
        ascii_text = text.replace("，", ",").replace("？", "?").replace("：", ":").replace("；", ";")
        for variant in (ascii_text, to_traditional(text)):
            r = score_style(variant)
            assert (r.l1, r.l2) == (base.l1, base.l2), name
            assert abs(r.literary_score - base.literary_score) <= 0.05, name


def test_student_composition_is_literature():
    assert score_style(COMPOSITION).l1 == "literature"
