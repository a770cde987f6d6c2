"""The ROC calendar helper: formats, the parser's accepted shapes and its refusals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from i18n import set_language
from i18n.roc import (
    MSG_DAY,
    MSG_EMPTY,
    MSG_MONTH,
    MSG_SHAPE,
    MSG_YEAR_TOO_LARGE,
    MSG_YEAR_TOO_SMALL,
    RocDateError,
    format_roc_long,
    format_roc_short,
    parse_roc_date,
    roc_year,
)

ROC_DATES = st.dates(min_value=date(1912, 1, 1), max_value=date(9999, 12, 31))


def test_roc_year() -> None:
    assert roc_year(2026) == 115
    assert roc_year(1912) == 1


@pytest.mark.parametrize("year", [1911, 1900, 0, -5])
def test_roc_year_refuses_years_before_1912(year: int) -> None:
    with pytest.raises(ValueError, match="1912"):
        roc_year(year)


def test_formats() -> None:
    assert format_roc_long(date(2026, 11, 24)) == "民國115年11月24日"
    assert format_roc_short(date(2026, 11, 24)) == "115/11/24"
    assert format_roc_short(date(2026, 1, 5)) == "115/01/05"
    assert parse_roc_date("115/1/5") == parse_roc_date("115/01/05") == date(2026, 1, 5)


def test_year_one_is_yuan_nian() -> None:
    assert format_roc_long(date(1912, 1, 1)) == "民國元年1月1日"
    assert format_roc_short(date(1912, 1, 1)) == "1/01/01"
    assert parse_roc_date("民國元年1月1日") == date(1912, 1, 1)
    assert parse_roc_date("民國1年1月1日") == date(1912, 1, 1)
    assert format_roc_long(date(1913, 1, 1)) == "民國2年1月1日"


def test_formatting_needs_a_date_after_1911() -> None:
    with pytest.raises(ValueError):
        format_roc_long(date(1911, 12, 31))


@given(ROC_DATES)
@example(date(1912, 1, 1))
@example(date(9999, 12, 31))
def test_long_form_round_trips(day: date) -> None:
    assert parse_roc_date(format_roc_long(day)) == day


@given(ROC_DATES)
@example(date(1912, 1, 1))
@example(date(9999, 12, 31))
def test_short_form_round_trips(day: date) -> None:
    assert parse_roc_date(format_roc_short(day)) == day


@pytest.mark.parametrize(
    "text",
    [
        "民國115年11月24日",
        "中華民國115年11月24日",
        "115年11月24日",
        "民國 115 年 11 月 24 日",
        "115/11/24",
        "115-11-24",
        "115.11.24",
        "１１５/１１/２４",
        "１１５／１１／２４",
        "民國１１５年１１月２４日",
        "  115/11/24 \t",
        "\u3000115/11/24\u3000",
        "1151124",
        "１１５１１２４",
    ],
)
def test_accepted_shapes(text: str) -> None:
    assert parse_roc_date(text) == date(2026, 11, 24)


def test_leap_days() -> None:
    assert parse_roc_date("民國113年2月29日") == date(2024, 2, 29)
    assert parse_roc_date("113/02/29") == date(2024, 2, 29)
    assert parse_roc_date("89/2/29") == date(2000, 2, 29)  # divisible by 400
    with pytest.raises(RocDateError) as error:
        parse_roc_date("民國112年2月29日")
    assert error.value.msgid == MSG_DAY
    assert error.value.params == {"day": 29, "month": 2, "year": 112, "days": 28}
    with pytest.raises(RocDateError):
        parse_roc_date("189/2/29")  # 2100 is not a leap year


def test_digits_alone_take_a_two_or_three_digit_year() -> None:
    assert parse_roc_date("991205") == date(2010, 12, 5)
    assert parse_roc_date("1000101") == date(2011, 1, 1)
    for text in ("11512", "11511245", "1151324"):
        with pytest.raises(RocDateError):
            parse_roc_date(text)


def test_year_boundaries() -> None:
    new_years_eve = parse_roc_date("114/12/31")
    assert new_years_eve == date(2025, 12, 31)
    assert format_roc_long(new_years_eve + timedelta(days=1)) == "民國115年1月1日"
    assert format_roc_short(new_years_eve + timedelta(days=1)) == "115/01/01"
    assert parse_roc_date("民國115年1月1日") - new_years_eve == timedelta(days=1)
    assert parse_roc_date("8088/12/31") == date(9999, 12, 31)


@pytest.mark.parametrize(
    ("text", "msgid"),
    [
        ("", MSG_EMPTY),
        ("   ", MSG_EMPTY),
        ("abc", MSG_SHAPE),
        ("民國abc年1月1日", MSG_SHAPE),
        ("115/11", MSG_SHAPE),
        ("115/11-24", MSG_SHAPE),
        ("115年11月24", MSG_SHAPE),
        ("115/11/24/1", MSG_SHAPE),
        ("115/13/01", MSG_MONTH),
        ("民國115年13月1日", MSG_MONTH),
        ("115/0/1", MSG_MONTH),
        ("115/12/32", MSG_DAY),
        ("115/11/31", MSG_DAY),
        ("115/11/0", MSG_DAY),
        ("0/1/1", MSG_YEAR_TOO_SMALL),
        ("民國0年1月1日", MSG_YEAR_TOO_SMALL),
        ("民國-1年1月1日", MSG_YEAR_TOO_SMALL),
        ("-1/01/01", MSG_YEAR_TOO_SMALL),
        ("8089/1/1", MSG_YEAR_TOO_LARGE),
    ],
)
def test_refused(text: str, msgid: str) -> None:
    with pytest.raises(RocDateError) as error:
        parse_roc_date(text)
    assert error.value.msgid == msgid


def test_error_is_a_value_error_with_english_text() -> None:
    with pytest.raises(ValueError, match="Month 13 does not exist"):
        parse_roc_date("115/13/1")


def test_error_is_translated_where_shown() -> None:
    with pytest.raises(RocDateError) as error:
        parse_roc_date("112/2/29")
    set_language("zh_TW")
    assert error.value.translated() == "29日不存在：民國112年2月共有28天。"
    set_language("en")
    assert error.value.translated() == "Day 29 does not exist: month 2 of ROC year 112 has 28 days."
