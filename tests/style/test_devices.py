"""Each L3 device detector: a positive and a negative example, evidence offsets that point at the text."""

import pytest

from wenforge.style.devices import DETECTORS, detect_devices
from wenforge.style.taxonomy import load_taxonomy

CASES = {
    "metaphor": ("她的笑容像春天的阳光一样温暖，仿佛能融化冰雪。", "他像往常一样准时到公司上班，开了三个会。"),
    "parallelism": (
        "我们要感谢土地的馈赠，我们要感谢雨水的滋润，我们要感谢阳光的照耀。",
        "今天下雨了，我没有出门，在家里看了一本书。",
    ),
    "antithesis": ("海内存知己，天涯若比邻。", "会议于上午九点开始，预计持续两个小时左右。"),
    "personification": ("春风轻轻地抚摸着田野，溪水在低声歌唱。", "风险管理部门正在等待审批结果。"),
    "rhetorical_question": ("难道我们就这样放弃吗？", "请问会议室在几楼？我找不到。"),
    "allusion": ("古人云：“学而时习之，不亦说乎？”", "他说明天会把报告发给我。"),
    "hyperbole": ("白发三千丈，我说了一万遍了，简直惊天动地。", "公司去年营收一万元，员工三千人。"),
    "idiom": ("他一丝不苟，兢兢业业，真是鞠躬尽瘁、死而后已。", "今天下午三点开会，讨论预算。"),
    "imagery": ("金色的余晖洒在湛蓝的湖面上，波光粼粼，晚风静静地吹着，带来淡淡的清香。", "本季度销售额同比增长百分之八，利润率保持稳定。"),
    "classical_diction": ("学而时习之，不亦说乎？有朋自远方来，不亦乐乎？吾日三省吾身，其可乎哉！", "我们明天去公园散步，然后去吃晚饭。"),
    "tech_lyrical": ("深夜的服务器在低语，数据像星河一样流淌。", "服务器在凌晨两点完成了数据备份。"),
}


def test_every_taxonomy_device_has_a_detector_and_a_case():
    assert set(DETECTORS) == set(load_taxonomy().l3_labels) == set(CASES)


@pytest.mark.parametrize("device", sorted(CASES))
def test_detector_positive_and_negative(device):
    pos, neg = CASES[device]
    r = detect_devices(pos)[device]
    assert r.present, f"{device} missed in {pos!r}"
    assert r.spans and r.value > 0
    for s in r.spans:
        assert pos[s.start : s.end] == s.span and s.device == device
    assert not detect_devices(neg)[device].present, f"{device} false positive in {neg!r}"


def test_offsets_refer_to_original_traditional_text():
    text = "舉頭望明月，低頭思故鄉。"  # traditional characters: features use simplified, spans index the input
    r = detect_devices(text)["antithesis"]
    assert r.count == 1
    assert r.spans[0].span == text[r.spans[0].start : r.spans[0].end] == "舉頭望明月，低頭思故鄉"
