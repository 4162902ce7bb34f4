"""A small, honest, template-built seed set for L2 labels with no public source in `shared/data`:
official/legal, official/government, commercial/advertisement and expository/how_to.

These texts are synthetic (slot-filled templates written for wenforge): they teach the classifiers the
surface register of each genre, nothing more. Replace or extend them with real data when available.
Each text gets `split` dev/test from a hash of its content, like the shared data.
"""

from __future__ import annotations

import itertools
import random
import zlib

from wenforge.style.corpus import Item

_LAW_SUBJ = ["用人单位", "经营者", "行政机关", "承租人", "出租人", "当事人", "网络运营者", "个人信息处理者", "生产者", "县级以上人民政府"]
_LAW_ACT = ["应当依法履行告知义务", "不得擅自变更合同内容", "应当建立健全内部管理制度", "应当自收到申请之日起二十日内作出决定",
            "不得收集与其提供的服务无关的个人信息", "应当采取必要措施保障安全", "依照本法规定承担相应的法律责任", "应当如实记录并妥善保存有关资料"]
_LAW_PEN = ["由有关主管部门责令改正，给予警告", "处五千元以上五万元以下罚款", "没收违法所得", "对直接负责的主管人员依法给予处分",
            "构成犯罪的，依法追究刑事责任", "给他人造成损害的，依法承担民事责任"]
_LAW_NAME = ["中华人民共和国劳动合同法", "中华人民共和国民法典", "中华人民共和国个人信息保护法", "中华人民共和国安全生产法", "中华人民共和国行政许可法", "中华人民共和国消费者权益保护法"]

_GOV_ORG = ["市人民政府办公厅", "省教育厅", "区市场监督管理局", "县卫生健康委员会", "市生态环境局", "省人力资源和社会保障厅", "市交通运输局"]
_GOV_TOPIC = ["做好2024年度安全生产工作", "开展营商环境优化专项行动", "加强校园食品安全管理", "推进老旧小区改造", "做好防汛抗旱工作", "规范涉企收费行为", "开展冬季大气污染防治"]
_GOV_REQ = ["各单位要高度重视，切实加强组织领导，明确责任分工", "要坚持问题导向，扎实推进各项工作任务落实", "要严格落实属地管理责任，确保各项措施落到实处",
            "要加强督促检查，对工作不力的单位予以通报批评", "请各地于每月25日前将工作进展情况报送我局", "要广泛开展宣传，营造良好社会氛围"]

_AD_PROD = ["这款蓝牙耳机", "全新智能手表", "本店招牌牛肉面", "新款空气净化器", "进口天然乳胶枕", "儿童英语课程", "轻薄笔记本电脑", "有机鲜牛奶"]
_AD_CLAIM = ["续航长达30小时", "采用进口原料", "一键智能降噪", "三重过滤，除醛率高达99%", "专业老师一对一辅导", "全国包邮，七天无理由退换", "买二送一，限时特惠", "销量连续三年领先"]
_AD_CALL = ["赶快下单吧！", "点击链接立即抢购！", "扫码关注，领取新人优惠券！", "名额有限，先到先得！", "欢迎到店品尝！", "限时秒杀，错过再等一年！", "立即咨询客服！"]

_HOW_TASK = ["更换汽车轮胎", "设置家庭无线路由器", "清洗空调滤网", "腌制泡菜", "备份手机照片", "给绿萝换盆", "制作简历", "安装打印机驱动"]
_HOW_STEP = ["首先准备好所需的工具和材料", "第一步，关闭电源并确认安全", "接着按照说明书找到对应的接口", "然后将旧部件轻轻取下", "再把新部件对准位置安装到位",
             "最后检查一遍是否牢固", "完成后打开开关测试是否正常", "注意不要用力过猛，以免损坏零件", "如果遇到问题，可以查看常见问题解答"]


def _split(text: str) -> str:
    return "test" if zlib.crc32(text.encode("utf-8")) % 5 == 0 else "dev"


def _legal(rng: random.Random) -> str:
    n = rng.randint(3, 90)
    law = rng.choice(_LAW_NAME)
    parts = [f"第{n}条　{rng.choice(_LAW_SUBJ)}{rng.choice(_LAW_ACT)}。"]
    if rng.random() < 0.7:
        parts.append(f"违反本条规定的，{rng.choice(_LAW_PEN)}；{rng.choice(_LAW_PEN)}。")
    if rng.random() < 0.5:
        parts.insert(0, f"根据《{law}》第{rng.randint(1, 200)}条的规定，")
    if rng.random() < 0.5:
        parts.append(f"前款规定的期限届满，{rng.choice(_LAW_SUBJ)}未作出决定的，视为准予。")
    return "".join(parts)


def _gov(rng: random.Random) -> str:
    org, topic = rng.choice(_GOV_ORG), rng.choice(_GOV_TOPIC)
    reqs = rng.sample(_GOV_REQ, 3)
    return (
        f"关于{topic}的通知\n各区县人民政府，市政府各部门：\n为深入贯彻落实党中央、国务院决策部署，进一步{topic}，"
        f"经研究，现就有关事项通知如下：\n一、{reqs[0]}。\n二、{reqs[1]}。\n三、{reqs[2]}。\n特此通知。\n{org}\n"
        f"{rng.randint(2019, 2024)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    )


def _ad(rng: random.Random) -> str:
    prod = rng.choice(_AD_PROD)
    claims = rng.sample(_AD_CLAIM, 2)
    return f"{prod}，{claims[0]}！{claims[1]}，原价{rng.randint(2, 9)}99元，现在只要{rng.randint(1, 9)}9元！{rng.choice(_AD_CALL)}"


def _howto(rng: random.Random) -> str:
    task = rng.choice(_HOW_TASK)
    steps = rng.sample(_HOW_STEP, 4)
    return f"如何{task}？\n" + "\n".join(f"{i + 1}. {s}。" for i, s in enumerate(steps))


def seed_items(n_per_label: int = 150, seed: int = 0) -> list[Item]:
    """Synthetic seed texts for official/legal, official/government, commercial/advertisement, expository/how_to."""
    rng = random.Random(seed)
    makers = [("official", "legal", _legal), ("official", "government", _gov),
              ("commercial", "advertisement", _ad), ("expository", "how_to", _howto)]
    out = []
    for (l1, l2, make), i in itertools.product(makers, range(n_per_label)):
        t = make(rng)
        out.append(Item(t, l1, l2, "seed", _split(t), f"seed:{l2}:{i}"))
    return out
