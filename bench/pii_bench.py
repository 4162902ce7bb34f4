"""PII detection: precision and recall per type and overall, and speed, beside a naive regex baseline.

Cases: values from Faker's zh_CN providers (seeded; MIT) embedded in Chinese sentences, with and without
their context words, plus hand-written formats (+86, separators, landlines, new-energy plates) and negatives
that must not match (unified social credit codes with a valid check character, order and tracking numbers,
dates, prices, ISBNs, Luhn-failing and checksum-failing digit runs, private IPs, bare 5-11 digit runs).
A span counts as found only with the right type and exact offsets.

Speed: MB (UTF-8) per CPU-second of `find_pii` and of `redact` on ~20 MB of text: real Chinese paragraphs from
$WENFORGE_DATA (CMRC 2018 Wikipedia paragraphs and THUCNews titles, read at run time, not stored) with one
case sentence planted every `PLANT_EVERY` documents; Faker sentences when the data folder is absent. The same
text read by the baseline (one regex per type, no checksums, no context words) is the reference.

    python bench/pii_bench.py [--mb 20] [--cases 400]   -> prints a JSON summary
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import time
from pathlib import Path

from faker import Faker

from wenforge.pii import PII_TYPES, find_pii, redact
from wenforge.pii.detect import resolve

SEED = 11643
PLANT_EVERY = 20  # one case sentence per this many real documents in the speed text (a PII-dense crawl)
GOALS = {"precision": 0.98, "recall": 0.97, "mb_per_cpu_s": 10.0}

TEMPLATES = ["{name}的{label}是{v}，有事请联系。", "如需帮助，{label}：{v}（工作日）", "{v}", "我在{city}，{label}{v}，欢迎来电。",
             "报名截止到周五，{label} {v} 。", "【{city}】{name}留言：{label}{v}"]
LABELS = {"phone": ["电话", "手机", "联系方式", "Tel:"], "id_card": ["身份证号", "证件号码", "身份证"],
          "bank_card": ["卡号", "银行卡", "收款账户"], "email": ["邮箱", "Email:", "电子邮件"],
          "ip": ["IP地址", "服务器", "登录IP"], "plate": ["车牌", "车牌号", "肇事车辆"],
          "qq": ["QQ", "QQ号", "扣扣", "企鹅号"], "wechat": ["微信", "微信号", "VX", "wx", "薇信"]}
AREA_CODES = ("010", "021", "022", "023", "020", "0755", "0571", "0512", "0731", "0898", "0351", "0991")
HAND_POSITIVES = [
    ("phone", "+86 138 1234 5678"), ("phone", "0086-13912345678"), ("phone", "(+86)13512345678"),
    ("phone", "138-1234-5678"), ("phone", "010-62345678转123"), ("phone", "（0755）23456789"),
    ("phone", "+86-10-62345678"), ("bank_card", "6222 0212 3456 7890 128"), ("plate", "粤B·D12345"),
    ("plate", "沪AD12345"), ("plate", "京A12345"), ("ip", "2408:8000:1::1"), ("email", "zhang.san+news@sina.com.cn"),
]
HAND_NEGATIVES = [
    "统一社会信用代码：91350100M000100Y43", "订单号：6222021234567890128，请保存", "您的订单202305121234567890已发货",
    "顺丰运单号SF1234567890123，中通快递75312345678901", "发布于2023-05-12 13:45:10，更新于20230512",
    "售价¥13800.00元，原价19999元，月销12345件", "ISBN 978-7-111-12345-6，定价59.00元", "ISBN9787111123456",
    "圆周率3.14159265358979323846264338327950288", "第1234567890123456789号文件", "序列号4111111111111111已失效",
    "版本号v1.2.3.4，内网地址192.168.1.1，本机127.0.0.1", "文档示例地址2001:db8::1，时间12:30:45",
    "我们在QQ音乐上听歌，阅读量123456", "粤语歌曲，京剧表演，沪深300指数", "手机尾号5678，验证码123456",
    "本帖浏览12345678次，楼主zhangsan88", "微信支付和WeChat Pay都可以", "公元1998年7月1日香港回归",
]
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc(fake: Faker) -> str:
    """A unified social credit code with a valid GB 32100 check character (digits and letters)."""
    body = fake.random_element("159") + fake.random_element("123") + fake.numerify("######")
    body += "".join(fake.random_element(USCC_CHARS) for _ in range(9))
    return body + USCC_CHARS[(31 - sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS)) % 31) % 31]


def value(fake: Faker, kind: str) -> str:
    """One seeded value of `kind` as people write it."""
    if kind == "phone":
        area = fake.random_element(AREA_CODES)
        landline = f"{area}-{fake.random_int(2, 8)}{fake.numerify('#' * fake.random_element((6, 7)))}"
        return fake.random_element((fake.phone_number(), fake.phone_number(), "+86 " + fake.phone_number(), landline))
    if kind == "id_card":
        return fake.ssn()
    if kind == "bank_card":
        return fake.credit_card_number(fake.random_element(("unionpay", "visa", "mastercard")))
    if kind == "email":
        return fake.random_element((fake.email(), fake.free_email(), fake.company_email()))
    if kind == "ip":  # public addresses only: private, loopback and documentation ranges identify no one
        while not ipaddress.ip_address(v := fake.random_element((fake.ipv4_public(), fake.ipv6()))).is_global:
            pass
        return v
    if kind == "plate":
        ne = fake.random_element("京沪粤浙苏") + fake.random_element("ABCDEFGH") + fake.random_element("DF") + fake.numerify("#####")
        return fake.random_element((fake.license_plate(), ne))
    if kind == "qq":
        return str(fake.random_int(10_000, 99_999_999_999))
    wechat = fake.random_element((fake.user_name() + fake.numerify("##"), fake.user_name() + "_" + fake.numerify("###")))
    return wechat if len(wechat) >= 6 else wechat + fake.numerify("###")  # WeChat IDs are 6-20 characters


def sentence(fake: Faker, kind: str, v: str) -> tuple[str, tuple[str, int, int]]:
    """A Chinese sentence holding `v`, and the gold span. QQ and WeChat always get their context word."""
    tpl = fake.random_element(TEMPLATES)
    if kind in ("qq", "wechat") and "{label}" not in tpl:
        tpl = "{label}：{v}"
    text = tpl.format(name=fake.name(), city=fake.city(), label=fake.random_element(LABELS[kind]), v=v)
    start = text.index(v)
    return text, (kind, start, start + len(v))


def negatives(fake: Faker, n: int) -> list[str]:
    """Generated texts with no personal data: credit codes, order numbers, broken checksums, bare digit runs."""
    out = []
    for i in range(n):
        k = i % 6
        if k == 0:
            out.append(f"{fake.company()}，统一社会信用代码{uscc(fake)}。")
        elif k == 1:
            ssn = fake.ssn()
            out.append(f"编号{ssn[:17]}{'0' if ssn[17] != '0' else '1'}已作废")  # checksum fails
        elif k == 2:
            card = fake.credit_card_number()
            out.append(f"券码{card[:-1]}{(int(card[-1]) + 3) % 10}")  # Luhn fails
        elif k == 3:
            out.append(f"订单号：{fake.numerify('20##########' + '#' * fake.random_int(4, 7))}，{fake.date()}下单")
        elif k == 4:
            out.append(f"共浏览{fake.random_int(10_000, 99_999_999)}次，价格{fake.pyfloat(4, 2, positive=True)}元")
        else:
            out.append(f"ISBN 978-7-{fake.numerify('###-#####')}-{fake.random_digit()}，{fake.date_time():%Y年%m月%d日 %H:%M}")
    return out


def build_cases(n_per_type: int) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """(text, gold spans) for every generated and hand-written case."""
    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    cases = []
    for kind in PII_TYPES:
        for _ in range(n_per_type):
            text, gold = sentence(fake, kind, value(fake, kind))
            cases.append((text, [gold]))
    for kind, v in HAND_POSITIVES:
        text, gold = sentence(fake, kind, v)
        cases.append((text, [gold]))
    cases += [(t, []) for t in HAND_NEGATIVES + negatives(fake, n_per_type * 3)]
    return cases


_PROV = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
BASELINE = {  # one regex per type, no checksum, no context word, no boundary beyond digits
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
    "id_card": re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])"),
    "bank_card": re.compile(r"(?<![0-9])[0-9]{16,19}(?![0-9])"),
    "ip": re.compile(r"(?<![0-9])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![0-9])"),
    "phone": re.compile(r"(?<![0-9])(?:1[3-9][0-9]{9}|0[0-9]{2,3}-[0-9]{7,8})(?![0-9])"),
    "plate": re.compile(rf"[{_PROV}][A-Z][A-Z0-9]{{5,6}}"),
    "wechat": re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z][-_A-Za-z0-9]{5,19}(?![A-Za-z0-9_-])"),
    "qq": re.compile(r"(?<![0-9])[1-9][0-9]{4,10}(?![0-9])"),
}


# The baseline's overlap order: its bare-digit QQ and any-word WeChat patterns last, or they would take every number.
BASELINE_ORDER = ("email", "id_card", "bank_card", "ip", "phone", "plate", "wechat", "qq")


def baseline_find(text: str) -> list[dict]:
    return resolve([(t, m.start(), m.end()) for t, r in BASELINE.items() for m in r.finditer(text)], BASELINE_ORDER)


def score(finder, cases) -> dict:
    """Precision, recall and counts per type and overall (micro), exact type and offsets."""
    tp = dict.fromkeys(PII_TYPES, 0)
    fp = dict.fromkeys(PII_TYPES, 0)
    fn = dict.fromkeys(PII_TYPES, 0)
    misses = []
    for text, gold in cases:
        pred = {(s["type"], s["start"], s["end"]) for s in finder(text)}
        gold_set = set(gold)
        for t, s, e in pred:
            if (t, s, e) in gold_set:
                tp[t] += 1
            else:
                fp[t] += 1
                misses.append({"false_positive": t, "span": text[s:e], "text": text})
        for t, s, e in gold_set - pred:
            fn[t] += 1
            misses.append({"missed": t, "span": text[s:e], "text": text})

    def pr(a: int, b: int, c: int) -> dict:
        return {"precision": round(a / (a + b), 4) if a + b else 1.0, "recall": round(a / (a + c), 4) if a + c else 1.0,
                "tp": a, "fp": b, "fn": c}

    per_type = {t: pr(tp[t], fp[t], fn[t]) for t in PII_TYPES}
    return {"overall": pr(sum(tp.values()), sum(fp.values()), sum(fn.values())), "per_type": per_type, "errors": misses[:12]}


def speed_texts(mb: float, cases) -> tuple[list[str], str]:
    """~`mb` MB of documents: real paragraphs with planted case sentences (or Faker text), and where they came from."""
    data = Path(os.environ.get("WENFORGE_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    files = [data / "expository" / "cmrc2018_wiki_paragraphs.jsonl", data / "news" / "thucnews_titles.jsonl"]
    base: list[str] = []
    for f in files:
        if f.is_file():
            base += [json.loads(line)["text"] for line in f.open(encoding="utf-8")]
    source = "CMRC 2018 paragraphs + THUCNews titles ($WENFORGE_DATA)"
    if not base:
        fake = Faker("zh_CN")
        fake.seed_instance(SEED)
        base = [fake.paragraph(nb_sentences=8) for _ in range(2000)]
        source = "Faker zh_CN paragraphs (no data folder)"
    out, size, i = [], 0, 0
    target = mb * 1e6
    while size < target:
        t = base[i % len(base)]
        if i % PLANT_EVERY == 0:
            t = t + cases[i // PLANT_EVERY % len(cases)][0]
        out.append(t)
        size += len(t.encode("utf-8"))
        i += 1
    return out, source


def cpu_mb_per_s(fn, texts: list[str]) -> float:
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    t0 = time.process_time()
    for t in texts:
        fn(t)
    return round(mb / (time.process_time() - t0), 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=20.0, help="MB of text for the speed measurement")
    ap.add_argument("--cases", type=int, default=400, help="generated positive cases per type")
    args = ap.parse_args()
    cases = build_cases(args.cases)
    ours, base = score(find_pii, cases), score(baseline_find, cases)
    texts, source = speed_texts(args.mb, cases)
    real_only = [t for i, t in enumerate(texts) if i % PLANT_EVERY][: len(texts) // 4]
    clean_hits = sum(len(find_pii(t)) for t in real_only)
    summary = {
        "cases": {"documents": len(cases), "gold_spans": sum(len(g) for _, g in cases),
                  "negative_documents": sum(not g for _, g in cases), "seed": SEED},
        "wenforge": {**ours, "mb_per_cpu_s": {"find_pii": cpu_mb_per_s(find_pii, texts),
                                               "redact": cpu_mb_per_s(redact, texts)}},
        "baseline_naive_regex": {"overall": base["overall"],
                                 "per_type": {t: {k: v[k] for k in ("precision", "recall")} for t, v in base["per_type"].items()},
                                 "mb_per_cpu_s": cpu_mb_per_s(baseline_find, texts)},
        "speed_text": {"source": source, "mb": round(sum(len(t.encode()) for t in texts) / 1e6, 2), "documents": len(texts),
                       "spans_found_in_unplanted_documents": clean_hits,
                       "unplanted_mb": round(sum(len(t.encode()) for t in real_only) / 1e6, 2)},
        "goals": GOALS,
    }
    o = ours["overall"]
    summary["goals_met"] = {"precision": o["precision"] >= GOALS["precision"], "recall": o["recall"] >= GOALS["recall"],
                            "speed": summary["wenforge"]["mb_per_cpu_s"]["find_pii"] >= GOALS["mb_per_cpu_s"]}
    print(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
