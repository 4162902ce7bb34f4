"""Replacement: typed placeholders or salted hashes, spans over the input text, refusals that name the problem."""

import re

import pytest

from wenforge.pii import PLACEHOLDERS, PIIError, redact
from wenforge.pii.replace import Salt


def _rebuild(original: str, spans: list[dict], tokens: list[str]) -> str:
    out, pos = [], 0
    for s, tok in zip(spans, tokens):
        out += [original[pos:s["start"]], tok]
        pos = s["end"]
    return "".join(out) + original[pos:]


def test_placeholders_are_typed_and_spans_are_over_the_input(fake):
    values = {"phone": fake.phone_number(), "id_card": fake.ssn(), "bank_card": fake.credit_card_number(),
              "email": fake.email(), "ip": fake.ipv4_public(), "plate": fake.license_plate()}
    text = "；".join(f"{k}是{v}" for k, v in values.items()) + "；QQ：123456789；微信：zhang_san88。"
    new, spans = redact(text)
    assert [text[s["start"]:s["end"]] for s in spans] == [*values.values(), "123456789", "zhang_san88"]
    assert new == _rebuild(text, spans, [PLACEHOLDERS[s["type"]] for s in spans])
    for tag in ("<PHONE>", "<ID_CARD>", "<BANK_CARD>", "<EMAIL>", "<IP>", "<PLATE>", "<QQ>", "<WECHAT>"):
        assert tag in new
    assert not any(v in new for v in values.values())


def test_hash_is_salted_stable_and_the_same_for_one_number_however_written():
    text = "手机13812345678，又写作+86 138-1234-5678；另一个13912345678"
    a, spans = redact(text, "hash", salt="s1")
    b, _ = redact(text, "hash", salt="s1")
    c, _ = redact(text, "hash", salt="s2")
    assert a == b and a != c and len(spans) == 3
    first, second, third = re.findall(r"<PHONE:[0-9a-f]{10}>", a)
    assert first == second != third
    assert "13812345678" not in a and "1234" not in a


def test_hash_mode_without_a_salt_and_unknown_modes_or_types_are_refused(monkeypatch):
    monkeypatch.delenv("WENFORGE_PII_SALT", raising=False)
    with pytest.raises(PIIError, match="salt"):
        redact("13812345678", "hash")
    with pytest.raises(PIIError, match="mode"):
        redact("13812345678", "mask")
    with pytest.raises(PIIError, match="'passport'"):
        redact("13812345678", types=["phone", "passport"])


def test_only_the_asked_types_are_replaced():
    new, spans = redact("电话13812345678，邮箱ab@163.com", types=["email"])
    assert new == "电话13812345678，邮箱<EMAIL>" and [s["type"] for s in spans] == ["email"]


def test_a_salt_never_prints():
    s = Salt("very-secret")
    assert "very-secret" not in repr(s) + str(s) and s.reveal() == "very-secret"
