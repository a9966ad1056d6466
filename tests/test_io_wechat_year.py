"""Chat dates typed as WeChat shows them, without a year (10月22日 晚上10:15), in a file that
names no year: WeChat leaves the year out for this year's messages, so they are read in the
year of the day the file is read (the year before for a date later than that day)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

import checker.io.times as times
from checker.io import read_input

TZ = ZoneInfo("Asia/Shanghai")

PASTED = """10月22日 晚上10:15
对方：王秀兰，你花呗逾期89天了，今天必须还清
我：我真的没钱
晚上10:32
对方：再不还我们就联系你单位领导
12月30日 上午7:05
对方：今天下午公安就上门抓你
"""


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(times, "TODAY", date(2026, 11, 29))


def test_pasted_chat_without_a_year_is_read_in_this_year(today):
    r = read_input("chat.txt", PASTED.encode(), TZ)
    got = [e.time for e in r.events]
    assert got[0] == datetime(2026, 10, 22, 22, 15, tzinfo=TZ)
    assert got[2] == datetime(2026, 10, 22, 22, 32, tzinfo=TZ)
    assert got[3] == datetime(2025, 12, 30, 7, 5, tzinfo=TZ)  # later than the day read: last year
    note = next(n for n in r.notes if "without a year" in n)
    assert "2025 and 2026" in note and "WeChat shows this year's messages without a year" in note


def test_a_named_year_still_rules(today):
    r = read_input("chat.txt", ("2024年10月 聊天记录\n" + PASTED).encode(), TZ)
    assert [e.time for e in r.events if e.time][0] == datetime(2024, 10, 22, 22, 15, tzinfo=TZ)
    assert not any("WeChat shows" in n for n in r.notes)


def test_today_is_injectable():
    assert times.assumed_year("10月22日", date(2026, 11, 29)) == 2026
    assert times.assumed_year("12月1日", date(2026, 11, 29)) == 2025
    assert times.assumed_year("11月29日", date(2026, 11, 29)) == 2026


def test_wechat_blocks_without_a_year(today):
    text = "王经理 10月22日 22:15\n今天必须还清\n\n王经理 10月22日 22:40\n不还就上门\n"
    r = read_input("wx.txt", text.encode(), TZ)
    assert r.summary.format == "wechat-text"
    assert [e.time for e in r.events] == [datetime(2026, 10, 22, 22, 15, tzinfo=TZ),
                                          datetime(2026, 10, 22, 22, 40, tzinfo=TZ)]
    assert any("read in 2026" in n for n in r.notes)
