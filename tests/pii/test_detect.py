"""Each PII type is found with its exact span; checksums, dates, prefixes and context words are enforced;
ordinary numbers (credit codes, order and tracking numbers, dates, prices, ISBNs) are left alone."""

import pytest

from wenforge.pii import find_pii
from wenforge.pii.detect import id_checksum_ok, luhn_ok, valid_id_number

N = 25  # values per type drawn from Faker


def _found(text: str) -> list[tuple[str, str]]:
    return [(s["type"], text[s["start"]:s["end"]]) for s in find_pii(text)]


def _values(fake, kind: str) -> list[str]:
    makers = {
        "phone": lambda: fake.random_element((fake.phone_number(), "+86 " + fake.phone_number(), fake.landline())),
        "id_card": fake.ssn,
        "bank_card": lambda: fake.credit_card_number(fake.random_element(("unionpay", "visa", "mastercard"))),
        "email": lambda: fake.random_element((fake.email(), fake.free_email(), fake.company_email())),
        "ip": lambda: fake.random_element((fake.ipv4_public(), fake.ipv6())),
        "plate": lambda: fake.random_element((fake.license_plate(), fake.new_energy_plate())),
    }
    return [makers[kind]() for _ in range(N)]


@pytest.mark.parametrize("kind", ["phone", "id_card", "bank_card", "email", "ip", "plate"])
def test_each_generated_value_is_found_with_its_span(fake, kind):
    for value in _values(fake, kind):
        text = f"{fake.name()}说：我的信息是{value}，请{fake.city()}的同事核对。"
        assert _found(text) == [(kind, value)], text


def test_qq_and_wechat_need_their_context_word(fake):
    for _ in range(N):
        qq = str(fake.random_int(10_000, 99_999_999_999))
        wx = fake.user_name() + fake.numerify("##")
        word = fake.random_element(("QQ", "QQ号", "扣扣", "企鹅号"))
        wword = fake.random_element(("微信", "微信号", "VX", "wx", "薇信"))
        assert _found(f"有问题加{word}：{qq}，或者{wword}: {wx}。") == [("qq", qq), ("wechat", wx)]
        assert _found(f"本帖浏览{qq}次，作者{wx}。") == []  # the same values without the words


@pytest.mark.parametrize("written", ["13812345678", "138-1234-5678", "138 1234 5678", "+8613812345678",
                                     "+86 138 1234 5678", "0086-13812345678", "(+86)13812345678"])
def test_mobile_numbers_in_the_ways_people_write_them(written):
    assert _found(f"联系电话{written}。") == [("phone", written)]


@pytest.mark.parametrize("written", ["010-62345678", "(021)52345678", "（0755）2345678", "0571 88123456",
                                     "010-62345678转123", "+86-10-62345678"])
def test_landlines_with_area_codes(written):
    assert _found(f"办公室{written}，工作日接听。") == [("phone", written)]


def test_a_bare_landline_needs_a_phone_word():
    assert _found("座机02152345678") == [("phone", "02152345678")]
    assert _found("批次02152345678已入库") == []


def test_full_width_digits_are_read_as_digits():
    text = "手机１３８１２３４５６７８"
    assert _found(text) == [("phone", "１３８１２３４５６７８")]


def test_id_checksum_date_and_province_are_enforced(fake):
    for _ in range(N):
        ssn = fake.ssn()
        assert valid_id_number(ssn)
        wrong = ssn[:17] + ("0" if ssn[17] != "0" else "1")
        assert not id_checksum_ok(wrong) and _found(f"身份证{wrong}") == []
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

    def with_check(first17: str) -> str:
        return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]

    assert valid_id_number(with_check("11010519900307123"))
    assert not valid_id_number(with_check("11010519900230123"))  # 30 February
    assert not valid_id_number(with_check("99010519900307123"))  # no province 99
    assert _found("身份证号" + with_check("11010519900230123")) == []


def test_bank_cards_need_luhn_a_network_prefix_and_16_to_19_digits(fake):
    for _ in range(N):
        card = fake.credit_card_number()
        assert luhn_ok(card)
        broken = card[:-1] + str((int(card[-1]) + 1) % 10)
        assert _found(f"卡号{broken}") == []
    assert _found("卡号 6222 0212 3456 7890 128") == [("bank_card", "6222 0212 3456 7890 128")]
    assert _found("卡号 6222-0212-3456-7890-128") == [("bank_card", "6222-0212-3456-7890-128")]
    luhn_no_prefix = "8000000000000003"  # passes Luhn, but no card network issues 8...
    assert luhn_ok(luhn_no_prefix) and _found(f"号码 {luhn_no_prefix}") == []


NEGATIVES = [
    "统一社会信用代码：91350100M000100Y43",
    "统一社会信用代码 913100001322127318",
    "订单号：6222021234567890128，请保存",
    "您的订单202305121234567890已发货",
    "顺丰运单号SF1234567890123，中通快递75312345678901",
    "发布于2023-05-12 13:45:10，更新于20230512",
    "售价¥13800.00元，原价19999元，月销12345件",
    "ISBN 978-7-111-12345-6，定价59.00元",
    "ISBN9787111123456",
    "圆周率3.14159265358979323846264338327950288",
    "第1234567890123456789号文件",
    "序列号4111111111111111已失效",
    "版本号v1.2.3.4，内网地址192.168.1.1，本机127.0.0.1",
    "文档示例地址2001:db8::1，时间12:30:45",
    "我们在QQ音乐上听歌，阅读量123456",
    "粤语歌曲，京剧表演，沪深300指数",
    "手机尾号5678，验证码123456",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_numbers_are_not_pii(text):
    assert _found(text) == []


def test_overlaps_keep_the_most_specific_type():
    assert _found("发到13812345678@qq.com") == [("email", "13812345678@qq.com")]
    assert _found("微信：13812345678") == [("phone", "13812345678")]
    assert _found("QQ：1234567，QQ邮箱1234567@qq.com") == [("qq", "1234567"), ("email", "1234567@qq.com")]


def test_types_filter_keeps_only_those(fake):
    text = f"电话13812345678，邮箱{fake.email()}"
    assert [s["type"] for s in find_pii(text, {"email"})] == ["email"]
    assert [s["type"] for s in find_pii(text)] == ["phone", "email"]
