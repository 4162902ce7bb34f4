"""Fact sheets: relative times, contradictions found and not found, sheet errors."""

import datetime as dt

import pytest

from wenforge.eval.detectors.facts import FactSheetError, check_facts, load_facts, resolve_times

REF = dt.date(2024, 6, 1)


@pytest.mark.parametrize("text,year", [
    ("十二年前", 2012), ("去年", 2023), ("前年", 2022), ("三年后", 2027), ("今年", 2024), ("明年", 2025),
    ("2010年", 2010), ("二〇一〇年", 2010), ("5年以前", 2019), ("十八个月前", 2022), ("大前年", 2021),
])
def test_relative_and_absolute_times_resolve(text, year):
    ts = resolve_times(f"{text}，他在那里。", REF)
    assert [t.year for t in ts] == [year]


@pytest.mark.parametrize("text,lo,hi", [
    ("十多年前", 2005, 2014), ("十余年前", 2005, 2014), ("二十多年前", 1995, 2004), ("三年多前", 2020, 2021),
    ("十来年前", 2012, 2016), ("二十来年前", 2000, 2008), ("几年前", 2015, 2022), ("十几年前", 2005, 2013),
    ("九十年代末", 1997, 1999), ("上世纪八十年代", 1980, 1989), ("2000年代初", 2000, 2003),
])
def test_vague_times_become_ranges(text, lo, hi):
    (t,) = resolve_times(f"{text}，他在那里。", REF)
    assert (t.lo, t.hi) == (lo, hi) and lo <= t.year <= hi


def test_ages_and_months_in_other_word_orders():
    assert [t.age for t in resolve_times("那年我才二十五岁。", REF)] == [25]
    assert [t.year for t in resolve_times("半年前他搬了家。", REF)] == [2023]  # 2024-06 minus six months
    assert [t.year for t in resolve_times("上个月他搬了家。", REF)] == [2024]


def reasons(out):
    return [c["reason"] for c in out["contradictions"]]


def test_the_invented_lab_scene_is_caught(sheet):
    # graduated 2009; "twelve years ago" is 2012: three years after he left university
    out = check_facts("十二年前，我还在大学的实验室里熬夜做实验。", sheet)
    assert reasons(out) == ["no_fact_covers_time"]
    c = out["contradictions"][0]
    assert c["claim"]["year"] == 2012 and c["fact"]["end"] == 2009
    assert "十二年前" in c["span"]["text"]


def test_consistent_statements_have_no_contradictions(sheet):
    for text in ["二〇〇七年，我在清华读书。", "去年我在华为工作。", "十七年前，我在清华的实验室里做实验。",
                 "三年后我还会在华为工作。", "我1987年出生。", "2009年我从清华毕业，同年加入华为。"]:
        assert check_facts(text, sheet)["contradictions"] == [], text


@pytest.mark.parametrize("text,reason", [
    ("2012年，我在清华大学的实验室里。", "time_outside_fact"),
    ("2006年我在北京大学读书。", "object_conflict"),
    ("我1990年出生。", "born_mismatch"),
    ("2008年我从清华毕业。", "graduation_mismatch"),
    ("1980年我在读书。", "before_birth"),
    ("2018年，王芳在北京工作。", "after_death"),
])
def test_contradictions_found(sheet, text, reason):
    assert reason in reasons(check_facts(text, sheet))


def test_a_vague_time_contradicts_only_when_no_year_of_it_fits(sheet):
    # studied 2005-2009: 十多年前 (2005-2014) may be 2007, so it is no contradiction; 几年前 (2015-2022) is
    assert check_facts("十多年前，我在清华的实验室里做实验。", sheet)["contradictions"] == []
    out = check_facts("几年前，我还在清华的实验室里做实验。", sheet)
    assert reasons(out) == ["time_outside_fact"]
    assert out["contradictions"][0]["claim"]["years"] == [2015, 2022]
    assert reasons(check_facts("九十年代末，我在清华读书。", sheet)) == ["time_outside_fact"]  # born 1987


def test_the_object_the_relation_is_about_wins_over_a_nearer_one():
    sheet = load_facts({"reference_date": "2025-01-01", "facts": [
        {"subject": "张伟", "relation": "founded", "object": "星河科技", "start": 2010},
        {"subject": "张伟", "relation": "held_position", "object": "董事长", "start": 2010}]})
    out = check_facts("2008年张伟出任星河科技董事长。", sheet)
    assert reasons(out) == ["time_outside_fact"] and out["contradictions"][0]["claim"]["object"] == "董事长"
    assert check_facts("2012年张伟出任星河科技董事长。", sheet)["contradictions"] == []


def test_a_stated_period_must_lie_inside_the_fact(sheet):
    # studied 2005-2009: the whole stated period is claimed, so 2003-2007 contradicts it although 2005-2007 fits
    assert reasons(check_facts("2003年至2007年，我在清华读书。", sheet)) == ["time_outside_fact"]
    assert check_facts("2005年到2009年，我在清华读书。", sheet)["contradictions"] == []
    (t,) = resolve_times("2003-2007年", REF)
    assert (t.lo, t.hi, t.whole) == (2003, 2007, True)


def test_a_visit_is_not_a_study_claim(sheet):
    assert check_facts("2015年，我回到清华看望导师。", sheet)["contradictions"] == []
    assert reasons(check_facts("2015年，我还在清华跟着导师做课题。", sheet)) == ["time_outside_fact"]


def test_entering_a_university_is_a_study_claim(sheet):
    assert reasons(check_facts("2001年，我考入清华大学。", sheet)) == ["time_outside_fact"]
    assert reasons(check_facts("2014年，我还是清华大学的一名学生。", sheet)) == ["time_outside_fact"]
    assert check_facts("2014年，我在华为带的学生来自清华大学。", sheet)["contradictions"] == []
    assert check_facts("2005年，我考入清华大学。", sheet)["contradictions"] == []


def test_carried_time_and_ages(sheet):
    out = check_facts("2014年春天。那时我每天泡在大学的实验室。", sheet)
    assert reasons(out) == ["no_fact_covers_time"]
    assert check_facts("我二十岁那年在清华读书。", sheet)["contradictions"] == []  # 1987 + 20 = 2007


def test_line_subject_overrides_default(sheet):
    out = check_facts("2018年她在北京生活。", sheet, subject="王芳")
    assert reasons(out) == ["after_death"]


def test_bad_sheets_get_clear_errors(tmp_path):
    with pytest.raises(FactSheetError, match="reference_date"):
        load_facts({"facts": []})
    with pytest.raises(FactSheetError, match="relation"):
        load_facts({"reference_date": "2024-01-01", "facts": [{"subject": "a", "relation": "likes"}]})
    p = tmp_path / "f.yaml"
    p.write_text("reference_date: 2024-01-01\nfactz: []\n", encoding="utf-8")
    with pytest.raises(FactSheetError, match=r"f\.yaml: unknown key 'factz'"):
        load_facts(p)
