"""The shapes of real Chinese web spam (issue 11): one hand-written imitation per signal, and its hard negative."""

from __future__ import annotations

import gzip
import json

import pytest

from wenforge.clean import clean_page
from wenforge.clean.config import CleanConfig
from wenforge.clean.detectors import brand, mirror
from wenforge.clean.detectors.common import split_lines
from wenforge.clean.detectors.hanzi import HANZI_FILE, stats
from wenforge.core import reasons as R

NEWS = ("市交通运输局昨日发布消息，今年全市将新开和优化公交线路三十条，重点解决新建小区和产业园区的出行难题。"
        "据介绍，新开线路将优先覆盖地铁站周边一公里范围内的居住区，实现地铁与公交的无缝衔接。")
NEWS2 = ("有关负责人表示，市民可以通过客服热线反映公交出行需求，相关部门将根据客流数据动态调整公交线路和班次。\n"
         "据了解，新开公交线路全部使用新能源车辆，首末班时间与地铁运营时间衔接，方便市民早晚出行。\n"
         "市交通运输局还将在新建小区周边增设公交站点，并对部分客流较小的公交线路实行定制公交服务。")


def _reasons(text: str, **cfg) -> tuple[bool, str, list[str], list]:
    r = clean_page(text, CleanConfig(**cfg) if cfg else None)
    return r.spam, r.text, r.reasons, r.removed


# ------------------------------------------------------------------------------------------ mirrors

GLOSSED = ("當(dāng)前我國(guó)經(jīng)濟(jì)運(yùn)行總體平穩，發(fā)展質(zhì)量穩步提升。\n"
           "會(huì)議指出，要堅持穩中求進工作總基調，推動經(jīng)濟(jì)實現質的有效提升和量的合理增長。\n"
           "各地區(qū)各部門要認真落實會(huì)議精神，確保各項政策落地見效。")


def test_gloss_mirror_is_spam_and_repaired():
    spam, text, reasons, removed = _reasons(GLOSSED)
    assert spam and R.MIRROR_REPAIRED in reasons
    assert "(" not in text and "當前我國經濟運行總體平穩" in text
    assert all(r.reason == R.MIRROR_REPAIRED for r in removed)
    assert {r.text for r in removed} >= {"(dāng)", "(guó)", "(jīng)", "(jì)"}


def test_toneless_repeated_glosses_count():
    page = "電(dian)(dian)視(shi)(shi)節目種類繁多，電(dian)視(shi)台每天播出新聞，電(dian)視(shi)劇和綜藝節目也很受觀眾歡迎，電(dian)視(shi)觀眾遍布城鄉。"
    spam, text, _, _ = _reasons(page + "\n" + page)
    assert spam and "電視節目種類繁多" in text


def test_reading_aids_are_not_glosses():
    """A children's text glosses every character; a simplified essay glosses a rare character once."""
    poem = "床(chuáng)前(qián)明(míng)月(yuè)光(guāng)，疑(yí)是(shì)地(dì)上(shàng)霜(shuāng)。"
    essay = ("他在门口踌躇(chóu)了很久，终于推门进去。屋里很暗，窗台上摆着几盆吊兰，墙上挂着一幅褪色的山水画。"
             "老人抬起头，眯着眼睛打量他，半晌才开口说话。")
    for page in (poem + "\n" + "举(jǔ)头(tóu)望(wàng)明(míng)月(yuè)，低(dī)头(tóu)思(sī)故(gù)乡(xiāng)。", essay):
        spam, text, _, _ = _reasons(page)
        assert not spam and text == page


def test_variant_mirror_maps_back():
    page = ("壹位老人在公园里晨练，妳看他的动作多么舒展。他说每天坚持锻炼壹个小时，身体比年轻时还好。"
            "妳若问他秘诀，他只说贵在坚持，壹天也不能落下。妳也可以试试。")
    spam, text, reasons, removed = _reasons(page)
    assert spam and R.MIRROR_REPAIRED in reasons
    assert "一位老人" in text and "你看他" in text and "壹" not in text
    assert any(r.replacement == "一" for r in removed)


def test_converter_leftovers_flag_a_traditional_mirror_not_native_text():
    converted = ("關于城市公園建設的調查顯示，由于綠地分布不均，老城區居民散步的去處很少。"
                 "基于此，報告建議優先改造閒置地塊，并且在社區周邊增設小型公園。之后多個城區陸續開工。"
                 "調查還發現，公園開放之后，附近居民的滿意度明顯上升，這里的經驗值得推廣。")
    native = converted.replace("關于", "關於").replace("由于", "由於").replace("基于", "基於").replace("并且", "並且") \
        .replace("之后", "之後").replace("這里", "這裡")
    assert clean_page(converted).spam
    assert not clean_page(native).spam


def test_spun_text_excluded_by_default_and_kept_when_asked():
    spun = ("市体育局克日举行消息宣布会，先容年夜型体育场馆向市民开放的安排。负责人暗示，欢送市民多到场馆锻炼，"
            "经由过程全平易近健身增强体质，各区可以或许按照需要规复夜间开放。")
    spam, text, reasons, _ = _reasons(spun)
    assert spam and text == "" and reasons[0] == R.SPUN_TEXT
    spam, text, reasons, _ = _reasons(spun, spun_text="keep")
    assert spam and "年夜型" in text


def test_character_splitting_spinner_is_spun_text():
    """The second spinner's outputs (人 -> 东说念主, 道 -> 说念, 做 -> 作念, 持续 -> 捏续)."""
    spun = ("今年夏天，演唱会经济捏续成为文旅赛说念的新热点。不少东说念主专程赶来，只为在现场听一场演出。主办方表示，"
            "会把服务作念得更细，让每位不雅众都满意而归。业内东说念主士指出，这一趋势还将捏续。")
    spam, text, reasons, _ = _reasons(spun)
    assert spam and text == "" and reasons[0] == R.SPUN_TEXT


def test_spinner_outputs_are_rare_in_genuine_text():
    """The spinner table holds only outputs that genuine text almost never uses (the detector's premise)."""
    hz = stats()

    def count(w: str) -> int:
        return min(hz.bigrams.get(w[i : i + 2], 0) for i in range(len(w) - 1))

    for spun, orig in mirror.SPUN_FORMS.items():
        orig_count = hz.unigrams.get(orig, 0) if len(orig) == 1 else count(orig)
        assert count(spun) <= 0.05 * orig_count + 1, spun


def test_nianye_fan_is_genuine():
    page = "除夕晚上，全家人围坐在一起吃年夜饭，窗外烟花绽放。年夜饭后，孩子们守岁到深夜，大人们聊着一年的收获。"
    assert not clean_page(page).spam


# ------------------------------------------------------------------------------------------ injected


@pytest.mark.parametrize("title", ["金沙娱乐8827-注册首页", "永利皇宫官网入口_", "蜜桃vlog现在时间下载-", "新葡萄京官网首页 "])
def test_brand_glued_to_a_headline_is_cut(title):
    head = "全市将新开和优化公交线路三十条"
    spam, text, reasons, _removed = _reasons(f"{title}{head}\n{NEWS}\n{NEWS2}")
    assert spam and R.BRAND_INJECTION in reasons
    assert text.splitlines()[0] == head and title.rstrip("-_") not in text
    assert NEWS in text


def test_a_confirmed_brand_is_removed_wherever_its_name_stands():
    """The brand is confirmed once (a grey name glued to digits); its name alone on a line, doubled around a
    separator and glued to the headline goes too, and the headline and article stay."""
    head = "全市将新开和优化公交线路三十条"
    page = f"星耀娱乐-星耀娱乐\n星耀娱乐2024-03-01 10:20\n星耀娱乐\n星耀娱乐{head}\n{NEWS}\n{NEWS2}"
    spam, text, reasons, _removed = _reasons(page)
    assert spam and R.BRAND_INJECTION in reasons
    assert "星耀娱乐" not in text and text.splitlines()[0] == head and NEWS in text and NEWS2 in text


@pytest.mark.parametrize(("shape", "before", "name"), [
    ("彩神平台2023", "", "彩神平台"), ("必一运动 - 官方体育赛事直播观看|", "", "必一运动"), ("体育官网", "365", "365体育"),
    ("金沙娱乐8827", "", "金沙娱乐"), ("体育官网", "", ""), ("娱乐官网", "", ""), ("app下载", "", ""),
])
def test_brand_name_of_a_shape(shape, before, name):
    assert brand.brand_name(shape, before) == name


def test_service_advert_glued_to_a_headline_is_cut_but_contact_lines_stay():
    head = "全市将新开和优化公交线路三十条"
    spam, text, reasons, _ = _reasons(f"{head}惠城开荒保洁13825404095\n{NEWS}\n{NEWS2}")
    assert spam and R.BRAND_INJECTION in reasons and text.splitlines()[0] == head and "13825404095" not in text
    for contact in ("咨询电话13812345678", "客服13812345678", "惠城开荒保洁13825404095"):
        assert not clean_page(f"{contact}\n{NEWS}\n{NEWS2}").spam, contact


def test_handle_tail_on_a_title():
    spam, text, _, _ = _reasons(f"公交线路优化方案公布|xyxy777\n{NEWS}\n{NEWS2}")
    assert spam and "xyxy777" not in text and "公交线路优化方案公布" in text


def test_grey_splice_cut_but_quoted_lures_in_crackdown_news_kept():
    spliced = NEWS.replace("今年全市", "今年股票配资最新报价全市")
    spam, text, _, _ = _reasons(f"公交线路优化\n{spliced}\n{NEWS2}")
    assert spam and "股票配资最新报价" not in text and "今年全市将新开" in text
    crackdown = ("警方捣毁一个网络赌博团伙\n记者从市公安局获悉，警方近日捣毁一个跨境网络赌博团伙，抓获犯罪嫌疑人三十二名。"
                 "经查，该团伙通过社交软件发布“真人开户送彩金”等广告，引诱群众在境外赌博网站充值投注。\n"
                 "警方提醒，网络赌博十赌九骗，切勿轻信所谓稳赚不赔的赌博平台。")
    spam, text, _, _ = _reasons(crackdown)
    assert not spam and text == crackdown


def test_template_artifacts_removed():
    page = (f"公交线路优化方案公布\n来源: sp20241116\n某某消息网2026-01-15号报道\n{NEWS}[db:关键词]\n"
            f"有关负责人表示，市民可以通过客服热线反映出行需求◆◆■，相关部门将根据客流数据调整线路◆■■，方便出行★◆◆★。\n"
            "----公交线路优化//----某某网 http://www.example.com //----")
    spam, text, reasons, _ = _reasons(page)
    assert spam and R.TEMPLATE_ARTIFACT in reasons
    for junk in ("sp20241116", "2026-01-15号", "[db:关键词]", "◆", "http://www.example.com"):
        assert junk not in text
    assert "有关负责人表示，市民可以通过客服热线反映出行需求，相关部门" in text


def test_respaced_marks_alone_do_not_make_spam():
    page = NEWS.replace("，", " , ") + "\n" + NEWS2.replace("，", " , ")
    assert not clean_page(page).spam


def test_keyword_stuffing_lines_dropped():
    counties = " ".join(f"{n}县" for n in ["临泉", "太和", "阜南", "颍上", "界首", "涡阳", "蒙城", "利辛", "怀远", "五河"])
    page = f"公交线路优化方案公布\n{NEWS}\n{NEWS2}\n相关搜索：\n澳门百家乐官网 皇冠体育在线 真人棋牌平台下载 彩票计划软件\n{counties}"
    spam, text, reasons, _ = _reasons(page)
    assert spam and R.KEYWORD_STUFFING in reasons and "临泉县" not in text and NEWS in text


def test_navigation_line_is_not_stuffing():
    page = f"首页 新闻 政务 办事 互动 专题\n{NEWS}\n{NEWS2}"
    spam, text, _, _ = _reasons(page)
    assert not spam and text == page


def test_stitched_seams():
    stray = f"秋天的果园里，苹果压弯了枝头，农人们忙着采摘。\n华闻社南州3月2日电 {NEWS}\n{NEWS2}"
    spam, text, reasons, _ = _reasons(stray)
    assert spam and R.STITCHED in reasons and "目光始终" not in text and NEWS in text
    fragment = f"”该公司首席执行官表示。\n华闻社南州3月2日电 {NEWS}\n{NEWS2}"
    spam, text, _, _ = _reasons(fragment)
    assert spam and "首席执行官" not in text
    joined = (f"公交线路优化******\n新华社北京1月14日电 {NEWS}\n******\n"
              "新华社上海3月2日电 上海今年将建成十座口袋公园，方便市民就近休闲。")
    spam, _, reasons, _ = _reasons(joined)
    assert spam and R.STITCHED in reasons


def test_inline_image_addresses_and_html_comments_are_not_gibberish():
    """A reader page prints its images as data or object-store addresses; a portal leaves an HTML comment with a
    path in it (its < mis-decoded): markup, not injected tokens."""
    images = "\n".join(f"<image>data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB{k}CAYAAAAfFcSJAAAADUlEQVR42mNk"
                        for k in "ABC")
    stores = "\n".join(f"<image>s3://reader-images/8{k}130/8{k}130c9cc3b7547f95e55e02157a496fc.png" for k in "123")
    comment = "壟!-- /8962/web_portal/dicengye_huazhonghua01 -->"
    doi = "10.3969/j.issn.1033-8221.2017.11.025"  # a journal article's identifier above its title
    for extra in (images, stores, comment, doi):
        r = clean_page(f"{NEWS}\n{extra}\n{NEWS2}")
        assert not r.spam and r.evidence.get(R.GIBBERISH, 0.0) < 0.2, extra[:30]


def test_a_title_ending_in_an_ordinary_word_is_no_decorated_copy():
    """号 decorates a title only as a platform account (百家号); an encyclopedia entry named …信号 repeats its
    title in the first sentence and in a table, and is genuine."""
    page = ("跳转到内容\n某市暴雨警告信号\n维基百科，自由的百科全书\n"
            "某市暴雨警告信号（英语：Rainstorm Warning），是某市一个气象警告信号系统。暴雨警告将透过各电台及电视台广播，"
            "目的是及早提醒市民将会下大雨。\n三级制暴雨警告信号定义及安全提示\n[编辑]\n"
            "• 下表是2020年9月1日起使用的黄色、红色、黑色暴雨警告信号及其定义与安全提示：\n级别 标示 意义 安全提示\n"
            "黄色暴雨警告信号\n预测某市广泛地区一小时降雨量将达到约20毫米，或在过去一小时降雨量已达到20毫米，且预料雨势持续。")
    r = clean_page(page)
    assert not r.spam and r.evidence[R.TITLE_INJECTION] == 0
    copy = f"{NEWS[:14]}\n{NEWS[:14]}_某某百家号\n{NEWS}\n{NEWS2}"
    r = clean_page(copy)
    assert R.TITLE_INJECTION in r.evidence and r.evidence[R.TITLE_INJECTION] > 0


def test_keyboard_mash_and_forum_jammers():
    spam, text, _, _ = _reasons(f"公交线路优化\n南州日报记者报道\nqoweiruptkjsdhfgmnbzxcvlk\n{NEWS}\n{NEWS2}")
    assert spam and "qoweiru" not in text
    forum = f"{NEWS}\n# K3 p) Z, M% T: q/ w& b\n{NEWS2}\n+ X. Y! d, u+ s; G"
    spam, text, _, _ = _reasons(forum)
    assert not spam and "M% T" not in text and NEWS2 in text  # jammers go; the post stays


# ------------------------------------------------------------------------------------------ content farms


@pytest.mark.parametrize("page", [
    ("你知道吗?这几天的八卦一个接一个,下面就让我带你看个明白。某当红小花旦深夜现身机场,引发网友热议,究竟是什么情况?"
    "据知情人士透露,她正在筹备新戏。吃瓜群众议论纷纷,让我们拭目以待。"),
    ("本周末,[城市名称]马拉松鸣枪开跑,来自各地的选手参加比赛,[冠军选手姓名]以两小时十分夺冠。"
    "赛后[主办单位名称]表示,明年将继续举办。"),
    "园林植物的三种分类",
    "端午节的由来\n端午节是中国传统节日之一，人们在这一天吃粽子、赛龙舟。\n希望这篇文章对您有所帮助!如果您还有其他问题,请随时告诉我。",
])
def test_content_farms_excluded(page):
    spam, text, reasons, _ = _reasons(page)
    assert spam and text == "" and reasons[0] == R.CONTENT_FARM


def test_dated_sourced_rumour_report_is_not_a_farm():
    page = ("娱乐讯 5日，某演员经纪公司发布声明，否认其与一名歌手秘密结婚的传闻。\n公司回应：纯属捏造\n"
            "声明中表示，近日网上流传的“已领证两年”等说法与事实不符，公司将保留追究法律责任的权利。\n"
            "传闻如何流传？\n两人曾在一部电视剧中合作，剧组花絮照片被网友反复转发，传言由此越传越广。\n"
            "网友看法不一：有人相信，有人观望\n记者注意到，声明发出后，相关话题很快登上热搜。")
    assert not clean_page(page).spam


def test_outline_without_dates_is_a_farm_but_not_with_a_byline_or_first_person():
    heads = ["起跑阶段:选手状态各异", "半程较量:领先集团拉开距离", "冲刺时刻:终点前的逆转"]
    paras = [("发令枪响后，数千名选手涌上赛道，领跑的几位选手很快就把大部队甩在身后，沿途观众的加油声此起彼伏，"
             "赛道两旁挤满了举着标语的市民。"),
             ("跑过二十公里之后，领先集团只剩下五名选手，他们轮流领跑，彼此试探，配速始终保持得十分稳定，"
             "后面的追赶者渐渐被拉开了距离。"),
             ("进入最后两公里，一直跟跑的年轻选手突然加速，在终点前一百米完成反超，观众席上爆发出热烈的欢呼，"
             "他冲线之后激动地跪在了地上。")]
    farm_page = "\n".join(x for pair in zip(heads, paras, strict=True) for x in pair)
    assert clean_page(farm_page).spam
    assert not clean_page("本报记者王明 2024年5月3日\n" + farm_page).spam
    blog = farm_page.replace("发令枪响后", "我站在起点看到发令枪响后").replace("进入最后两公里", "我记得进入最后两公里")
    assert not clean_page(blog).spam


# ------------------------------------------------------------------------------------------ plumbing


def test_explain_lists_replacements():
    d = clean_page("壹位老人说壹天也不能落下，妳看他壹直坚持，妳也可以。妳说呢？").to_dict(explain=True)
    assert any(r.get("replacement") == "一" for r in d["removed"])
    assert all(set(r) >= {"start", "end", "reason", "text"} for r in d["removed"])


def test_new_reason_codes_registered():
    for code in (R.BRAND_INJECTION, R.KEYWORD_STUFFING, R.TEMPLATE_ARTIFACT, R.MIRROR_REPAIRED, R.SPUN_TEXT,
                 R.CONTENT_FARM):
        assert R.check(code) == code and code in R.INJECTION_CODES


def test_spun_text_config_key_rejects_unknown_values():
    with pytest.raises(ValueError):
        CleanConfig(spun_text="drop")


def test_hanzi_asset_is_counts_only():
    with gzip.open(HANZI_FILE, "rt", encoding="utf-8") as fh:
        head = json.loads(fh.readline())
        first = fh.readline().rstrip("\n").split("\t")
    assert len(head["unigrams"]) > 3000 and len(first[0]) == 2 and int(first[1]) > 100
    share, pairs = stats().known_share("市交通运输局发布消息，今年全市将新开和优化公交线路。")
    assert pairs > 10 and share > 0.8


def test_brand_shapes_need_a_shape_not_a_name():
    """A casino named in a sentence is news; the same name with an action glued to a title is injection."""
    lines_news = "澳门金沙酒店今年接待旅客人数创新高，酒店方面表示将继续扩建会展设施。"
    assert not clean_page(f"澳门旅游业复苏\n{lines_news}\n{NEWS2}").spam
    found = brand.detect(split_lines(f"金沙娱乐app下载澳门旅游业复苏\n{lines_news}"))
    assert found and found[0].start == 0


# ------------------------------------------------------------------------------------------ the fixture set

def _fixture_pages() -> list[dict]:
    from pathlib import Path

    path = Path(__file__).parent / "data" / "real_shapes_pages.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# pages of the fixture set the cleaner gets wrong, each a known failure mode documented in docs/clean.md
KNOWN_MISSES = {
    "rs_injected_stitched_stars",  # a ****** divider between two undated stories: dividers alone are weak
    "rs_injected_gibberish_jammer",  # jammer lines alone: forums add them to genuine posts too
}


def test_fixture_pages_written_in_the_shapes_of_real_pages():
    """Hand-written imitations of every real kind: every clean page kept whole, every spam page but the
    known misses flagged, injected strings cut and genuine lines kept on salvaged pages."""
    wrong, lost, left = [], [], []
    genuine = injected = 0
    for page in _fixture_pages():
        r = clean_page(page["text"])
        if r.spam != page["spam"]:
            wrong.append(page["id"])
        out = "".join(r.text.split())
        genuine += len(page["genuine"])
        injected += sum(len(s) >= 4 for s in page["injected"])
        lost += [(page["id"], g) for g in page["genuine"] if "".join(g.split()) not in out]
        left += [(page["id"], s) for s in page["injected"] if len(s) >= 4 and s in r.text]
    assert set(wrong) <= KNOWN_MISSES, wrong
    # floors under today's figures (genuine lines kept 0.87, injected strings removed 0.84): short spam pages
    # lose a paragraph to the stitched detector, and some injected lines survive (docs/clean.md)
    assert len(lost) <= 0.15 * genuine, lost
    assert len(left) <= 0.2 * injected, left


def test_sprinkled_traditional_forms_are_mapped_back():
    page = ("周末的早晨天气晴好，老同学们约在湖边的茶馆见面。大家好几年没见了，坐下来先聊起各自的工作和家庭，"
            "说到当年住在同一间宿舍的日子，对于我们这些人來说，沒有比这更开心的事情了。后来有人提议去湖上划船，"
            "可惜船票已经卖完，也沒有再排队，大家就沿着湖岸慢慢走，一直走到太阳落山才想起还没有吃晚饭，"
            "于是找了一家小饭馆坐下，边吃边聊到很晚，临别时約好明年春天再來聚一次。")
    spam, text, reasons, _removed = _reasons(page)
    assert spam and R.MIRROR_REPAIRED in reasons and "來" not in text and "没有比这更开心" in text
    quoted = page.replace("來", "来").replace("沒", "没").replace("約", "约") + "他最喜欢的书是《紅樓夢》。"
    assert not clean_page(quoted).spam  # a title quoted in its own script is no sprinkle


def test_keyword_prefix_and_foreign_parenthesis_cut_from_headlines():
    body = ("南湖区副区长李明华昨日到社区文化站检查服务工作，先后走访了图书角、排练厅和老年活动室。\n"
            "李明华要求文化站把服务工作做细做实，让居民在家门口就能看演出、借图书、参加活动。\n"
            "检查中，李明华详细了解了排练厅的排期和活动室设施的使用情况，并听取了居民对文化站服务的意见。")
    prefix = f"南湖区李明华 南湖区副区长李明华到社区文化站检查服务工作\n{body}"
    spam, text, _, _ = _reasons(prefix)
    assert spam and text.splitlines()[0] == "南湖区副区长李明华到社区文化站检查服务工作"
    category = f"北京 北京市发布公交线路优化方案\n{NEWS}\n{NEWS2}"
    assert not clean_page(category).spam  # a one-word category is not a keyword prefix
    paren = f"公交线路优化方案公布(突发!某影视公司老板深夜被带走!)\n{NEWS}\n{NEWS2}"
    spam, text, _, _ = _reasons(paren)
    assert spam and "带走" not in text and text.startswith("公交线路优化方案公布")


def test_lure_spliced_into_a_headline_is_cut_by_coherence_with_the_article():
    body = ("华闻社南州1月5日电 南州体育中心5日迎来开放日，两支本地青年足球队上场比赛，工作人员检验了中心的各项设施。\n"
            "南州体育中心建在老工业区旧址上，中心有足球场、游泳馆和一条环形跑道，看台可以坐下三万名观众。\n"
            "体育中心负责人说，开放日之后还将安排多场活动，检验灯光、音响和观众疏散通道的运行情况。")
    page = "南州体育中心新澳开奖结果查询表迎来开放日\n" + body
    spam, text, reasons, _ = _reasons(page)
    assert spam and R.BAIT in reasons and "开奖" not in text
    genuine = "南州体育中心迎来开放日\n" + body.replace("开放日，", "开放日，体育彩票中心也到场助兴，")
    assert not clean_page(genuine).spam  # the article's own words, even lottery ones, are not spliced


def test_handle_as_author_is_a_template_artifact():
    page = f"公交线路优化方案公布\n作者:an888    发布于:2024-01-26 20:50\n{NEWS}\n{NEWS2}"
    r = clean_page(page)
    assert R.TEMPLATE_ARTIFACT in r.reasons and "an888" not in r.text and NEWS in r.text


def test_single_variant_kind_needs_grammatical_places_and_amounts_are_not_variants():
    mirror_page = ("我們小鎮上有壹個很老的集市，每逢週末都有許多人來趕集。集市旁邊有壹條小河，河上架著石橋。"
                   "這裡還有壹座古廟，廟前的大樹已經有幾百年了，每年春天都有遊客專程前來看花，鎮上也因此熱鬧起來。")
    spam, text, _, _ = _reasons(mirror_page)
    assert spam and "一個很老的集市" in text
    judgment = ("主文：被告處有期徒刑壹年，併科罰金新臺幣貳萬元。被告另犯竊盜罪，處有期徒刑柒月。"
                "未扣案之犯罪所得新臺幣叁仟元沒收。如不服本判決，應於判決送達後二十日內提起上訴。")
    assert not clean_page(judgment).spam
    charity = "壹心書屋今日舉辦讀書會。壹心書屋表示，今年共收到捐贈圖書一萬餘冊。壹心書屋的志願者每週到社區講故事。"
    assert not clean_page(charity).spam


def test_pipeline_step_repairs_mirrors_and_excludes_farms_with_their_reason():
    """The datatrove step carries the real-page reasons: a gloss mirror is kept repaired, a content farm and a
    spun page are excluded as clean_content_farm / clean_spun_text."""
    from datatrove.data import Document

    from wenforge.clean import AdversarialClean

    step = AdversarialClean()
    mirror_doc = Document(text=GLOSSED, id="m")
    assert step.filter(mirror_doc) is True
    assert "(" not in mirror_doc.text and R.MIRROR_REPAIRED in mirror_doc.metadata["clean_reasons"]
    farm_doc = Document(text="端午节的由来\n端午节是中国传统节日之一。\n希望这篇文章对您有所帮助!如果您还有其他问题,请随时告诉我。", id="f")
    assert step.filter(farm_doc) == (False, "clean_content_farm")
    spun = ("市体育局克日举行消息宣布会，先容年夜型体育场馆向市民开放的安排，欢送市民多到场馆锻炼，"
            "经由过程全平易近健身增强体质，各区可以或许按照需要规复夜间开放。")
    assert step.filter(Document(text=spun, id="s")) == (False, "clean_spun_text")


def test_large_patterns_keep_their_first_character_guard():
    """The stock-phrase, leftover and source patterns are scanned on every page; they stay fast only while
    their first characters can be listed (an optional group at the front silently loses the guard)."""
    from wenforge.clean.detectors import farm

    for rx in (farm.STOCK_RE, farm.SOURCED_RE):  # (LEFTOVER_RE starts with literals: re skips ahead itself)
        assert rx.pattern.startswith("(?=["), rx.pattern[:40]


def test_emoji_sprinkled_into_words_is_noise_but_a_closing_emoji_is_not():
    page = ("市(🚗)交通运输局(🌟)负责人表示，今年春节期间全市公(🎈)交客流比去年增加两(🍀)成。\n"
            "从出行的时段上看，上午十点到下午三点是客流高峰，地铁站周边的公交线路最为繁忙。")
    r = clean_page(page)
    assert r.spam and "🚗" not in r.text and "市交通运输局" in r.text
    post = NEWS + "大家出行愉快😊\n" + NEWS2
    assert not clean_page(post).spam


def test_spaced_glosses_are_glosses():
    page = GLOSSED.replace("(dāng)", "(dāng )").replace("(jīng)", "( jīng)")
    spam, text, _, _ = _reasons(page)
    assert spam and "dāng" not in text and "jīng" not in text


def test_explain_names_the_page_level_signals():
    d = clean_page("园林植物的三种分类").to_dict(explain=True)
    assert {"reason": R.CONTENT_FARM, "signal": "stub", "detail": "the page is one label or question phrase"} in d["signals"]
    d = clean_page(GLOSSED).to_dict(explain=True)
    glosses = next(s for s in d["signals"] if s["signal"] == "pinyin_glosses")
    assert glosses["reason"] == R.MIRROR_REPAIRED and glosses["detail"]["count"] >= 10


def test_stripped_numbers_mark_a_deletion_mirror_but_not_ordinary_quantities():
    page = ("这座小城有多万居民，去年接待游客的人数创了新高。年5月，新建的博物馆对外开放，馆内共余件藏品。"
            "开馆第一个月，参观者排队走了余里路也不嫌远，讲解员说这是建馆以来最热闹的时候。")
    spam, text, reasons, _ = _reasons(page)
    assert spam and reasons[0] == R.SPUN_TEXT and text == ""
    genuine = ("去年8月，全市新增就业岗位两万余个，其余人员由社区统一安排培训。今年前三季度，共有三十多万人次参加技能培训，"
               "其中一万余人取得职业资格证书，培训补贴发放到位。")
    assert not clean_page(genuine).spam
