"""Faker's zh_CN providers (MIT), seeded, for PII test values; Faker has no landline, QQ, WeChat or new-energy
plate provider, so those are drawn from its random source in the same formats people write them."""

import pytest
from faker import Faker

SEED = 20240518
AREA_CODES = ("010", "021", "022", "023", "020", "0755", "0571", "0512", "0731", "0898")


def _fake() -> Faker:
    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    return fake


def landline(fake: Faker) -> str:
    area = fake.random_element(AREA_CODES)
    local = str(fake.random_int(2, 8)) + fake.numerify("#" * fake.random_element((6, 7)))
    return fake.random_element((f"{area}-{local}", f"({area}){local}", f"（{area}）{local}", f"{area} {local}"))


def new_energy_plate(fake: Faker) -> str:
    prov = fake.random_element(("京", "沪", "粤", "浙", "苏"))
    return prov + fake.random_element("ABCDEFGH") + fake.random_element(("D", "F")) + fake.numerify("#####")


@pytest.fixture
def fake() -> Faker:
    """A seeded zh_CN Faker with `landline()` and `new_energy_plate()` added."""
    f = _fake()
    f.landline = lambda: landline(f)
    f.new_energy_plate = lambda: new_energy_plate(f)
    return f
