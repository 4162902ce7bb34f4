"""Every CleanConfig key reaches ``clean_page`` and moves its outcome the way its description says; the hot-list
and stitched evidence decide the pages they should; the datatrove step passes its config through."""

import re
from pathlib import Path

import pytest
from datatrove.data import Document
from pydantic import ValidationError

from wenforge.clean import AdversarialClean, CleanConfig, clean_page
from wenforge.core import reasons as R

ART = ("新华社北京5月10日电 全国政协10日在京召开双周协商座谈会，围绕推进乡村振兴建言资政。与会委员认为，要加快补齐农村基础设施短板。\n"
       "座谈会上，委员们就农村人居环境整治、乡村产业发展等问题发表意见，有关部门负责同志与委员互动交流。\n"
       "会议指出，要坚持农业农村优先发展，完善乡村治理体系，让广大农民群众有更多获得感。")
HOT = "\nTOP1热点:某地暴雨致城区内涝\nTOP2热点:明星离婚案今日开庭"  # two explicit hot-list lines, no bait
STORY_B = ("中新社上海3月2日电 上海市交通委员会2日发布消息，地铁十四号线东延伸段将于本月底开通试运营，全线新增车站五座。\n"
           "据介绍，新线开通后，浦东新区多个大型居住社区的居民出行时间将缩短二十分钟左右，早晚高峰运力明显提升。")
SNIPPET = "武汉市住房和城乡建设局近日发布通知，首套住房商业性个人住房贷款最低首付款比例调整为25%，自11月2日起执行。"
JAMMERS = "\na@1 #b2 c$ %d 9& x*\nq!2 w@ e# 4r$ t% y^\nz& x* c( v) b_ n+\nm= ,k l. ;j h: g?\nu1 ~i o[ p] {a s}"

HOT_PAGE = ART + HOT
NUMBERED_PAGE = ART + "\n1. 网上真人百家乐 注册送彩金\n2. 午夜福利影院 免费在线观看"
LURE_PAGE = ART + "\n午夜福利影院"  # one strong lure line: just over the threshold
TOPICAL_PAGE = ("警方近日捣毁一个网上赌博团伙，该团伙在境外架设真人百家乐平台，通过社交软件招揽赌客，涉案金额逾千万元。\n"
                "据介绍，警方抓获犯罪嫌疑人二十余名，冻结涉案资金三百万元，并提醒市民远离百家乐等网络赌博。\n百家乐 真人视讯")
TWO_STORIES_PAGE = ART + "\n" + STORY_B
SEPARATED_PAGE = ART + "\n******\n" + STORY_B
ONE_STORY_SEPARATOR_PAGE = ART + "\n******\n" + STORY_B.replace("中新社上海3月2日电 ", "")
JAMMER_PAGE = ART + JAMMERS
PLAIN_BRAND_PAGE = "星河科技官网入口 蓝海手机版下载 晨光客户端下载\n" + ART
RESPACED_PAGE = ART.replace("，", " , ")
MARKDOWN_PAGE = ART + "\n**会议要点**" + HOT  # markdown: content-farm evidence 0.3 with nothing of it cut
LEXICON_PAGE = ART + "\n高清无码 成人视频"  # 无码 and 成人视 come from the shared porn_b list only
BOILERPLATE_PAGE = "新华社北京5月10日电 全国政协10日在京召开双周协商座谈会，围绕推进乡村振兴建言资政。\n（责任编辑：李明）"
SNIPPET_PAGE = ART + "\n" + SNIPPET + HOT
SHORT_SPAM_PAGE = "暴雨致城区多处积水，交警部门启动应急预案疏导交通。" + HOT
DUP_CLEAN_PAGE = ART + "\n" + "会议要求各地认真落实好各项惠农政策措施。\n" * 2
DUP_SPAM_PAGE = "乡村振兴 座谈会\n" + ART + "\n乡村振兴 座谈会" + HOT
INLINE_LURE_PAGE = ART.replace("有关部门负责同志与委员互动交流。",
                               "有关部门负责同志与委员互动交流，真人百家乐，并表示将认真研究委员们提出的意见建议，推动各项政策措施落地见效，"
                               "切实解决农民群众急难愁盼问题。") + HOT
BRAND_DIGITS_PAGE = "乡村振兴座谈会在京召开 星河6663\n" + ART + HOT  # a digit-suffix shape of weight 0.2 after the headline
FARM_PAGE = "以下是一篇关于乡村振兴的文章：\n" + ART + "\n希望这篇文章对您有所帮助。"
SPUN_PAGE = ("克日，本市召开消息宣布会，先容年夜型平易近生工程的最新进展。市民存眷的道路改造项目经由过程验收，\n"
             "相关部分表现，今朝工程已规复正常施工，估计年夜部分路段将在本月内开放，欢送市民监督。")
HTML_RESIDUE_PAGE = ART.replace("全国政协", "<b>全国政协</b>")
# a model's smooth explainer: no heading, date, source, stock phrase or leftover, only the way it is written
MACHINE_PAGE = ("室内绿植养护小常识\n"
                "绿植不仅能够美化居住环境，还能在一定程度上净化空气，为忙碌的生活增添一抹自然的气息。然而，许多人在养护过程中常常忽视一些细节，导致植物生长不良。\n"
                "首先，浇水要遵循见干见湿的原则。过于频繁地浇水容易造成根部缺氧，从而引发烂根；而长期干旱则会使叶片发黄、卷曲。因此，应根据土壤的湿润程度以及季节的变化合理调整浇水的频率。\n"
                "其次，光照同样是影响绿植健康的重要因素。大多数室内植物喜欢明亮的散射光，应避免长时间的强光直射，以免灼伤叶片。与此同时，定期转动花盆，可以让植株受光更加均匀，保持优美的株型。\n"
                "总之，只要掌握科学的方法，并给予足够的耐心与关爱，每个人都能让家中的绿植焕发勃勃生机，享受与自然相伴的美好时光。")


def ev(r, kind):
    return r.evidence.get(kind, 0.0)


# key -> (changed value, page, what the change does, check(default result, changed result))
CASES = {
    "spam_threshold": (0.7, HOT_PAGE, "a higher threshold clears a page scored 0.64",
                       lambda b, c: b.spam and not c.spam and c.spam_score == b.spam_score),
    "hotlist_line_weight": (0.0, HOT_PAGE, "hot-list lines weigh nothing: the page is clean and keeps them",
                            lambda b, c: b.spam and not c.spam and ev(c, R.HOTLIST) == 0 and "TOP1热点" in c.text),
    "hotlist_bait_line_weight": (0.5, NUMBERED_PAGE, "numbered lure headlines weigh more",
                                 lambda b, c: ev(c, R.HOTLIST) == pytest.approx(1 - 0.5**2) and ev(b, R.HOTLIST) < 0.5),
    "bait_allowance": (1.5, LURE_PAGE, "a larger allowance absorbs the one lure",
                       lambda b, c: b.spam and not c.spam and ev(c, R.BAIT) < ev(b, R.BAIT)),
    "bait_saturation": (3.0, LURE_PAGE, "slower saturation: the lure's evidence falls below the threshold",
                        lambda b, c: b.spam and not c.spam and 0 < ev(c, R.BAIT) < ev(b, R.BAIT)),
    "topical_bait_discount": (1.0, TOPICAL_PAGE, "no discount for lures the article discusses",
                              lambda b, c: ev(c, R.BAIT) > ev(b, R.BAIT) and c.spam_score > b.spam_score),
    "two_stories_weight": (0.6, TWO_STORIES_PAGE, "two datelined stories alone make the page stitched spam",
                           lambda b, c: not b.spam and c.spam and ev(c, R.STITCHED) == pytest.approx(0.6)),
    "separator_dateline_weight": (0.0, SEPARATED_PAGE, "a divider between two stories no longer flags the page",
                                  lambda b, c: b.spam and not c.spam and ev(c, R.STITCHED) < ev(b, R.STITCHED)),
    "separator_cap": (0.1, ONE_STORY_SEPARATOR_PAGE, "a lower cap on a divider alone",
                      lambda b, c: ev(b, R.STITCHED) == pytest.approx(0.3) and ev(c, R.STITCHED) == pytest.approx(0.1)),
    "jammer_cap": (0.9, JAMMER_PAGE, "five jammer lines count in full and flag the page",
                   lambda b, c: not b.spam and c.spam and ev(c, R.GIBBERISH) > ev(b, R.GIBBERISH)),
    "brand_plain_cap": (0.9, PLAIN_BRAND_PAGE, "brand shapes without a grey trade count in full",
                        lambda b, c: not b.spam and c.spam and ev(c, R.BRAND_INJECTION) > ev(b, R.BRAND_INJECTION)),
    "respaced_weight": (0.6, RESPACED_PAGE, "re-spaced marks alone flag the page",
                        lambda b, c: not b.spam and c.spam and ev(c, R.TEMPLATE_ARTIFACT) == pytest.approx(0.6)),
    "reason_min_evidence": (0.5, MARKDOWN_PAGE, "weak evidence with nothing cut is no longer named",
                            lambda b, c: R.CONTENT_FARM in b.reasons and R.CONTENT_FARM not in c.reasons and c.spam),
    "use_shared_lexicons": (False, LEXICON_PAGE, "without the word lists only curated patterns find bait",
                            lambda b, c: 0 < ev(c, R.BAIT) < ev(b, R.BAIT)),
    "lexicon_categories": (["ads"], LEXICON_PAGE, "without porn_b its terms are not found",
                           lambda b, c: 0 < ev(c, R.BAIT) < ev(b, R.BAIT)),
    "boilerplate": ("drop", BOILERPLATE_PAGE, "boilerplate goes on a clean page too",
                    lambda b, c: "责任编辑" in b.text and "责任编辑" not in c.text and not c.spam),
    "stitched_containment": (0.0, SNIPPET_PAGE, "no paragraph shares less than nothing: the snippet stays",
                             lambda b, c: "武汉市" not in b.text and "武汉市" in c.text),
    "stitched_unigram": (0.0, SNIPPET_PAGE, "no profile is below a zero cosine: the snippet stays",
                         lambda b, c: "武汉市" not in b.text and "武汉市" in c.text),
    "min_salvage_chars": (60, SHORT_SPAM_PAGE, "one salvaged sentence is too little",
                          lambda b, c: b.text and c.text == "" and R.NO_CONTENT in c.reasons),
    "duplicate_min_chars_clean": (10, DUP_CLEAN_PAGE, "a repeated 20-character line goes on a clean page",
                                  lambda b, c: b.text.count("惠农") == 2 and c.text.count("惠农") == 1 and not c.spam),
    "duplicate_min_chars_spam": (4, DUP_SPAM_PAGE, "a repeated 7-character line goes on a spam page",
                                 lambda b, c: b.text.count("乡村振兴 座谈会") == 2 and c.text.count("乡村振兴 座谈会") == 1),
    "bait_cut": (0.3, INLINE_LURE_PAGE, "a weaker lure inside a kept sentence is cut, the sentence stays",
                 lambda b, c: "百家乐" in b.text and "百家乐" not in c.text and "互动交流" in c.text),
    "brand_cut": (0.2, BRAND_DIGITS_PAGE, "a weaker brand shape is cut from the headline it was glued to",
                  lambda b, c: "星河6663" in b.text and "星河6663" not in c.text
                  and c.text.startswith("乡村振兴座谈会在京召开\n")),
    "content_farm_exclude": (0.9, FARM_PAGE, "a higher bar: the generated page is salvaged, not excluded",
                             lambda b, c: b.text == "" and b.reasons[0] == R.CONTENT_FARM and "全国政协" in c.text),
    "machine_prose": (False, MACHINE_PAGE, "only template evidence marks a farm: the machine-written page is kept",
                      lambda b, c: b.text == "" and b.reasons[0] == R.CONTENT_FARM and not c.spam and "浇水" in c.text),
    "machine_prose_threshold": (0.99, MACHINE_PAGE, "a higher bar: the machine-written page is kept",
                                lambda b, c: b.text == "" and b.reasons[0] == R.CONTENT_FARM and not c.spam
                                and "浇水" in c.text),
    "spun_text": ("keep", SPUN_PAGE, "the spun page is kept as it is",
                  lambda b, c: b.text == "" and b.reasons[0] == R.SPUN_TEXT and "道路改造" in c.text),
    "spun_text_exclude": (0.95, SPUN_PAGE, "a higher bar: the spun page is kept",
                          lambda b, c: b.text == "" and b.reasons[0] == R.SPUN_TEXT and "道路改造" in c.text),
    "drop_html_residue": (False, HTML_RESIDUE_PAGE, "leftover tags stay",
                          lambda b, c: "<b>" not in b.text and "<b>" in c.text),
}


def summary(r) -> str:
    return f"spam={r.spam} score={r.spam_score} reasons={r.reasons} evidence={r.evidence} text={r.text[:60]!r}"


def test_every_config_key_has_a_case():
    assert set(CASES) == set(CleanConfig.model_fields)


def test_docs_table_lists_every_key_with_its_default():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "clean.md").read_text(encoding="utf-8")
    table = doc.split("### Configuration", 1)[1].split("\n\n|", 1)[1].split("\n\n", 1)[0]
    rows = dict(re.findall(r"^\| `(\w+)` \| `([^`]*)` \|", table, re.MULTILINE))
    defaults = CleanConfig().model_dump()
    assert set(rows) == set(defaults)
    for key, value in defaults.items():
        assert rows[key] == (f"[{', '.join(value)}]" if isinstance(value, list) else str(value)), key


@pytest.mark.parametrize("key", sorted(CASES))
def test_config_key_changes_the_outcome(key):
    value, page, effect, check = CASES[key]
    assert getattr(CleanConfig(), key) != value
    base = clean_page(page)
    changed = clean_page(page, CleanConfig(**{key: value}))
    assert check(base, changed), \
        f"{key}={value!r} should mean: {effect}\n default: {summary(base)}\n changed: {summary(changed)}"


def test_hotlist_evidence_flags_the_page_and_its_lines_go():
    r = clean_page(HOT_PAGE)
    assert r.evidence[R.HOTLIST] == pytest.approx(1 - (1 - 0.4) ** 2)  # two explicit lines at 0.4 each
    assert r.spam and r.reasons == [R.HOTLIST]  # no other evidence: the hot list alone decides
    assert [(s.reason, s.text) for s in r.removed] == [(R.HOTLIST, "TOP1热点:某地暴雨致城区内涝"),
                                                        (R.HOTLIST, "TOP2热点:明星离婚案今日开庭")]
    assert r.text == ART
    assert clean_page(HOT_PAGE + "\nTOP3热点:新能源汽车销量创新高").evidence[R.HOTLIST] == pytest.approx(1 - 0.6**3)


def test_numbered_lure_headlines_are_hotlist_evidence():
    r = clean_page(NUMBERED_PAGE)
    assert r.evidence[R.HOTLIST] == pytest.approx(1 - (1 - 0.2) ** 2)
    assert {s.reason for s in r.removed if "百家乐" in s.text or "福利" in s.text} == {R.HOTLIST}
    assert r.text == ART


def test_stitched_evidence_flags_two_stories_joined_by_a_divider():
    r = clean_page(SEPARATED_PAGE)
    # two datelined stories (0.2), a divider between them (0.5) and the divider itself (0.3)
    assert r.evidence[R.STITCHED] == pytest.approx(1 - 0.8 * 0.5 * 0.7)
    assert r.spam and r.spam_score == pytest.approx(0.72) and R.STITCHED in r.reasons
    assert "******" not in r.text and "全国政协" in r.text
    two = clean_page(TWO_STORIES_PAGE)
    assert two.evidence[R.STITCHED] == pytest.approx(0.2) and not two.spam  # a digest has two datelines too


def test_config_rejects_unknown_keys_and_bad_values():
    with pytest.raises(ValidationError, match="hotlist_line_weigth"):
        CleanConfig(hotlist_line_weigth=0.1)
    with pytest.raises(ValidationError, match="lexicon_categories"):
        CleanConfig(lexicon_categories=["porn"])
    with pytest.raises(ValidationError, match="bait_saturation"):
        CleanConfig(bait_saturation=0)


@pytest.mark.parametrize("config", [{"hotlist_line_weight": 0.0}, CleanConfig(hotlist_line_weight=0.0)])
def test_datatrove_step_passes_its_config_to_clean_page(config):
    doc = Document(text=HOT_PAGE, id="1")
    assert AdversarialClean().filter(doc) is True and doc.metadata["spam"] is True and doc.text == ART
    doc = Document(text=HOT_PAGE, id="2")
    assert AdversarialClean(config=config).filter(doc) is True
    assert doc.metadata["spam"] is False and doc.metadata["spam_score"] == 0.0 and doc.text == HOT_PAGE


def test_datatrove_step_rejects_unknown_keys():
    with pytest.raises(ValidationError, match="spam_treshold"):
        AdversarialClean(config={"spam_treshold": 0.4})
