"""A small, honest, template-built seed set for L2 labels with no public human source in the training data:
official/legal, official/government, commercial/advertisement, expository/how_to, and the web genres
commentary/review (casual reader, viewer and buyer reviews), social/forum_post (threads with replies) and
literature/student_composition (school narratives).

These texts are synthetic (slot-filled templates written for wenforge): they teach the classifiers the
surface register of each genre, nothing more. Replace or extend them with real data when available.
Each text gets `split` dev/test from a hash of its content, like the training data.
"""

from __future__ import annotations

import itertools
import random
import zlib

from wenforge.style.items import Item

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

_GOV_REPORT = ["（一）组织领导情况。{org}高度重视{topic}，成立了以主要负责同志为组长的工作领导小组，明确了责任分工。",
               "（二）制度建设情况。制定出台了《{org}{topic}实施办法》，进一步规范了工作流程。",
               "（三）主要工作成效。全年共受理群众申请{n}件，按时办结率达到百分之百，未发生行政复议和行政诉讼案件。",
               "（四）存在的问题。部分工作人员业务能力有待提高，信息更新不够及时。",
               "（五）下一步工作打算。继续加强队伍建设，推动{topic}工作制度化、规范化、常态化。"]
_GOV_NOTICE = ["根据国务院办公厅通知精神，现将{year}年国庆节放假安排通知如下：10月1日至7日放假调休，共7天。",
               "请各单位妥善安排好值班和安全保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置。",
               "各窗口单位在节假日期间应当公布咨询电话，确保群众办事渠道畅通。", "全市各级各类学校按照上述安排执行，确保师生节日期间安全。"]
_AD_PROD = ["这款蓝牙耳机", "全新智能手表", "本店招牌牛肉面", "新款空气净化器", "进口天然乳胶枕", "儿童英语课程", "轻薄笔记本电脑", "有机鲜牛奶"]
_AD_CLAIM = ["续航长达30小时", "采用进口原料", "一键智能降噪", "三重过滤，除醛率高达99%", "专业老师一对一辅导", "全国包邮，七天无理由退换", "买二送一，限时特惠", "销量连续三年领先"]
_AD_CALL = ["赶快下单吧！", "点击链接立即抢购！", "扫码关注，领取新人优惠券！", "名额有限，先到先得！", "欢迎到店品尝！", "限时秒杀，错过再等一年！", "立即咨询客服！"]

_HOW_TASK = ["更换汽车轮胎", "设置家庭无线路由器", "清洗空调滤网", "腌制泡菜", "备份手机照片", "给绿萝换盆", "制作简历", "安装打印机驱动"]
_HOW_STEP = ["首先准备好所需的工具和材料", "第一步，关闭电源并确认安全", "接着按照说明书找到对应的接口", "然后将旧部件轻轻取下", "再把新部件对准位置安装到位",
             "最后检查一遍是否牢固", "完成后打开开关测试是否正常", "注意不要用力过猛，以免损坏零件", "如果遇到问题，可以查看常见问题解答"]


_REV_FILM = ["《海边的灯塔》", "《逆风少年》", "《第七个夏天》", "《无声的证人》", "《老街》", "《星际迷航者》", "《外婆的菜园》", "《午夜列车》"]
_REV_BOOK = ["《山那边的学校》", "《时间的褶子》", "《一个人的县城》", "《经济学常识十讲》", "《小镇医生手记》", "《长河》"]
_REV_PROD = ["这款扫地机器人", "新买的降噪耳机", "这台空气炸锅", "入手的机械键盘", "这把电动牙刷", "这款儿童手表", "这台投影仪"]
_REV_FILM_BODY = [
    "剧情前半段铺垫太长，差点看睡着，后半段才慢慢进入状态", "男主的演技在线，几场哭戏很有感染力", "配乐是加分项，片尾曲听得我鼻子一酸",
    "结尾处理得太仓促，好几条线都没收住", "摄影很讲究，海边那几个长镜头特别美", "台词有点尬，像是硬塞进去的口号",
    "节奏紧凑，两个小时完全不觉得长", "反派塑造得太脸谱化了，动机交代不清", "导演对小人物的关注挺难得的，没有刻意煽情",
    "特效一般，但故事本身讲得扎实", "女二的戏份比女主还出彩", "笑点密集，全场笑了好几次", "改编得和原著差别挺大，书粉可能接受不了",
]
_REV_BOOK_BODY = [
    "作者的文字很朴素，但细节写得很真", "前几章有点散，读到一半才明白作者想说什么", "书里引用的数据比较老了，部分观点需要辩证看",
    "每一章都很短，适合通勤的时候读", "翻译腔有点重，读起来不太顺", "写父亲的那一章我读了两遍", "案例很多，理论部分讲得浅显易懂",
    "结构清楚，每章最后还有小结", "感觉作者太想讲道理了，故事性弱了一些",
]
_REV_PROD_BODY = [
    "续航比宣传的略短，正常用一天半没问题", "做工不错，拿在手里有分量", "噪音比我预想的大，晚上用有点吵", "App连接偶尔会断，需要重新配对",
    "清洁效果挺好，床底下的灰都能吸出来", "价格不算便宜，但比同档次的牌子划算", "按键手感偏硬，打字久了手指有点累",
    "包装很简陋，说明书也写得不清楚", "客服态度还行，问题很快就回复了", "用了两周没出什么毛病", "颜值很高，放在客厅很搭",
]
_REV_ALBUM = ["《城南旧事》", "《凌晨四点的便利店》", "《山谷回声》", "《白噪音》"]
_REV_ALBUM_BODY = ["前三首歌都挺抓耳，副歌一出来就想跟着哼", "编曲比上一张专辑丰富，加了不少弦乐", "主唱的高音有点吃力，现场估计够呛",
                   "歌词写得很生活化，唱的就是我们这些打工人", "整张专辑风格不太统一，像是拼出来的", "第七首是我的年度单曲循环"]
_REV_CONTEXT = ["先说结论：", "以下有轻微剧透。", "和朋友约好一起去的，", "本来没抱什么期待，", "看了不少人夸，忍不住去看了。",
                "作为原著粉，", "这是今年看的第十几部片子了，", "豆瓣上评分挺高的，", "出差路上在高铁上看完的，"]
_REV_PLOT = ["讲的是一个中年男人回到老家照顾生病父亲的故事", "故事发生在一座南方小城，围绕一桩旧案展开", "讲了几个大学生毕业后在大城市打拼的经历",
             "主角是一个退休的老教师，和一群留守儿童慢慢建立起感情", "围绕一家三代人开的面馆，讲了三十年的变化", "说的是一个外卖员意外卷入一场绑架"]
_REV_RATING = ["评分：★★★☆☆", "我的打分：8/10", "个人评分四星", "推荐指数：★★★★", ""]
_REV_VERDICT = ["总体来说值得一看，给四星", "三星吧，不算难看但也不会二刷", "推荐给喜欢这类题材的朋友", "个人打分7分，瑕不掩瑜",
                "不太推荐，期待越高失望越大", "五星安利，已经推荐给身边的人了", "总的来说还是满意的，会回购", "性价比不错，缺点能接受"]

_FORUM_TITLE = ["【求助】", "【吐槽】", "【讨论】", "【分享】", "", ""]
_FORUM_TOPIC = ["租的房子楼上天天半夜拖椅子怎么办", "第一次养猫，猫不吃猫粮正常吗", "考研二战还是直接找工作，纠结死了",
                "老家的房子要不要翻新", "新手买二手车要注意什么", "孩子上幼儿园老哭，各位家长怎么处理的", "周末去郊区钓鱼，分享一下收获",
                "公司突然说要调岗，这合理吗", "装修完一个月能入住吗", "电动车电池鼓包还能用吗"]
_FORUM_BODY = ["如题，", "各位大佬帮忙看看，", "憋了好几天了，上来说一下。", "先说下情况：", "本人坐标杭州，", "小白一枚，"]
_FORUM_DETAIL = ["之前也跟对方沟通过，没什么用", "网上查了一圈说法都不一样", "家里人意见也不统一", "已经试了好几种办法了",
                 "昨天晚上又折腾到一点多", "问了客服，说让我再等等", "朋友说这种情况挺常见的", "预算有限，最多三千左右"]
_FORUM_ASK = ["有没有遇到过类似情况的？", "在线等，挺急的。", "求支招，谢谢大家！", "大家怎么看？", "说说你们的经验呗。", "先谢过各位了。"]
_FORUM_REPLY = ["我也是，后来直接找物业了", "顶一下，同问", "楼主别急，这个正常，过几天就好了", "哈哈哈哈同款经历", "建议报警，别忍着",
                "楼上说得对", "我家那个也这样，换了牌子就好了", "这种事还是得当面说清楚", "mark一下，坐等后续", "亲身经历，别买，坑"]

_COMP_OPEN = ["在我的记忆里，有许多事像小石子一样沉在心底，可有一件事我至今忘不了。", "那是一个星期天的下午，天阴沉沉的。",
              "时间过得真快，转眼我已经上五年级了。", "每当看到书桌上那个旧文具盒，我就会想起那件事。", "我的妈妈是一个普通的人，却让我很感动。",
              "今年暑假，我学会了一样本领。", "我家楼下有一位修鞋的老爷爷。", "上个周末，我们一家人去乡下看外公外婆。",
              "今天是我的生日，我早早就起床了。", "星期三下午，我们班举行了一场拔河比赛。", "寒假里，我第一次自己坐公交车去少年宫。"]
_COMP_EVENT = ["放学的时候突然下起了大雨，我没有带伞，只好站在教室门口发呆", "我第一次一个人骑自行车上街，心里像揣了只小兔子",
               "考试的成绩发下来了，我只考了七十多分，眼泪一下子就涌了出来", "我在公园的长椅下捡到一个钱包，里面有不少钱",
               "我想给妈妈做一顿早饭，结果把鸡蛋煎糊了", "同桌的铅笔盒被我不小心摔坏了，我不敢告诉她", "我和爸爸一起在阳台上种了几棵小番茄",
               "比赛开始了，我们咬紧牙关，使出了吃奶的力气往后拉", "我养的小金鱼一动不动地浮在水面上，我难过极了",
               "外婆带我去田里摘草莓，我摘了满满一篮子", "我在作文比赛中得了二等奖，老师在全班表扬了我",
               "我和好朋友因为一块橡皮吵了一架，一整天谁也不理谁", "爸爸教我放风筝，风筝刚飞起来就一头栽了下来"]
_COMP_TALK = ["妈妈摸着我的头说：“没关系，下次注意就好。”", "老师笑着对我说：“失败了不要紧，重要的是不放弃。”",
              "爸爸对我说：“做人要诚实，这比什么都重要。”", "老爷爷慢慢地说：“孩子，别着急，一步一步来。”", "同学们都围过来问我：“你怎么了？”"]
_COMP_FEEL = ["我的脸一下子红到了耳根", "我心里暖暖的，像喝了一杯热牛奶", "我心里七上八下的", "我激动得一晚上都没睡着", "我的鼻子一酸，差点哭出来",
              "我高兴得手舞足蹈", "我急得像热锅上的蚂蚁", "我心里比吃了蜜还甜", "我后悔极了"]
_COMP_PERSON = ["我的妈妈", "我的爷爷", "我的班主任", "我的好朋友小雨", "我家的邻居王阿姨"]
_COMP_LOOK = ["个子不高，留着一头短发，笑起来眼睛弯成了月牙", "五十多岁了，头发有些花白，脸上总是带着笑", "戴着一副黑框眼镜，说话的声音很温柔",
              "皮肤黑黑的，一双大眼睛特别有神"]
_COMP_TRAIT = ["她特别勤劳，每天天不亮就起床给全家做早饭", "他很爱看书，家里的书架被他塞得满满的", "她做事认真，批改作业连一个标点都不放过",
               "他非常热心，谁家有困难都会去帮一把", "她有点爱唠叨，可每句话都是为了我好"]
_COMP_POEM = ["“慈母手中线，游子身上衣。”每当读到这句诗，", "俗话说：“一日为师，终身为父。”", "有一首歌里唱道：“世上只有妈妈好。”", ""]
_COMP_END = ["这件事让我明白了：只要坚持，就一定能成功。", "从那以后，我再也不随便乱发脾气了。", "这件事虽然过去很久了，但我一直记在心里。",
             "我终于懂得了，爱就藏在这些小事里。", "我想，这就是成长吧。", "我一定要好好学习，长大报答他们。",
             "通过这次经历，我懂得了团结就是力量。", "这真是快乐又难忘的一天啊！", "我要向他学习，做一个乐于助人的好孩子。"]


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
    kind = rng.randrange(3)
    if kind == 1:
        paras = rng.sample(_GOV_REPORT, 3)
        return f"{org}{rng.randint(2018, 2024)}年度工作报告\n" + "\n".join(
            p.format(org=org, topic=topic[2:], n=rng.randint(20, 900)) for p in paras)
    if kind == 2:
        paras = [_GOV_NOTICE[0].format(year=rng.randint(2018, 2025)), *rng.sample(_GOV_NOTICE[1:], 2)]
        return f"{rng.choice(['各区县人民政府，市政府各部门、各直属机构：', '各有关单位：'])}\n" + "\n".join(paras) + f"\n{org}"
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


def _review(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        title = rng.choice(_REV_FILM)
        head = rng.choice([f"昨晚去看了{title}，", f"{title}看完了，说说感受。", f"刚看完{title}，", f"关于{title}，"])
        head += rng.choice(_REV_CONTEXT) + rng.choice(["这部电影", "影片", "电影", "片子"]) + rng.choice(_REV_PLOT) + "。"
        body = rng.sample(_REV_FILM_BODY, rng.randint(2, 5))
    elif kind == 1:
        title = rng.choice(_REV_BOOK)
        head = rng.choice([f"花了三个晚上读完{title}，", f"{title}读后感：", f"朋友推荐的{title}，", f"读完{title}，"])
        head += rng.choice(["这本书", "书里", "全书"]) + rng.choice(_REV_PLOT) + "。"
        body = rng.sample(_REV_BOOK_BODY, rng.randint(2, 5))
    elif kind == 2:
        head = rng.choice([f"{rng.choice(_REV_PROD)}用了一个月，来说说真实体验。", f"{rng.choice(_REV_PROD)}到手两周，", "晒单：",
                           f"{rng.choice(_REV_PROD)}测评来了。"])
        body = rng.sample(_REV_PROD_BODY, rng.randint(2, 5))
    else:
        head = rng.choice([f"新专辑{rng.choice(_REV_ALBUM)}听了好几遍，", f"{rng.choice(_REV_ALBUM)}乐评：", "听完这张专辑，"])
        body = rng.sample(_REV_ALBUM_BODY, rng.randint(2, 4))
    joiner = rng.choice(["，", "。", "；", "。\n"])
    rating = rng.choice(_REV_RATING)
    return (head + joiner.join(body) + "。" + rng.choice(_REV_VERDICT) + rng.choice(["。", "！", "～", ""])
            + (f"\n{rating}" if rating else ""))


def _forum(rng: random.Random) -> str:
    post = (f"{rng.choice(_FORUM_TITLE)}{rng.choice(_FORUM_TOPIC)}\n{rng.choice(_FORUM_BODY)}"
            f"{'，'.join(rng.sample(_FORUM_DETAIL, 2))}。{rng.choice(_FORUM_ASK)}")
    replies = [f"{i + 2}楼：{r}" if rng.random() < 0.5 else r for i, r in enumerate(rng.sample(_FORUM_REPLY, rng.randint(1, 4)))]
    return post + "\n" + "\n".join(replies)


def _composition(rng: random.Random) -> str:
    if rng.random() < 0.5:
        events = rng.sample(_COMP_EVENT, rng.randint(1, 2))
        parts = [rng.choice(_COMP_OPEN) + "。".join(events) + "。", rng.choice(_COMP_FEEL) + "。" + rng.choice(_COMP_TALK),
                 rng.choice(_COMP_END)]
    else:
        who = rng.choice(_COMP_PERSON)
        parts = [f"{rng.choice(_COMP_POEM)}我就会想起{who}。{who}{rng.choice(_COMP_LOOK)}。",
                 "。".join(rng.sample(_COMP_TRAIT, 2)) + "。", rng.choice(_COMP_EVENT) + "，" + rng.choice(_COMP_TALK)]
        parts.append(f"这就是{who}，我爱{who}！" if rng.random() < 0.5 else rng.choice(_COMP_END))
    body = rng.choice(["\n", "", "\n"]).join(parts)
    if rng.random() < 0.3:
        body = rng.choice(["我的妈妈", "难忘的一件事", "我学会了骑车", "一件小事", "我的老师", "快乐的周末"]) + "\n" + body
    return body


def seed_items(n_per_label: int = 200, seed: int = 0) -> list[Item]:
    """Synthetic seed texts for the labels whose genre has no public human source in the training data folder."""
    rng = random.Random(seed)
    makers = [("official", "legal", _legal), ("official", "government", _gov),
              ("commercial", "advertisement", _ad), ("expository", "how_to", _howto),
              ("commentary", "review", _review), ("social", "forum_post", _forum),
              ("literature", "student_composition", _composition)]
    out = []
    for (l1, l2, make), i in itertools.product(makers, range(n_per_label)):
        t = make(rng)
        out.append(Item(t, l1, l2, "seed", _split(t), f"seed:{l2}:{i}"))
    return out
