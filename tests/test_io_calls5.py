"""Call logs in export shapes an outside tester rendered from one debtor's month of calls
(fixtures in tests/fixtures/calls5/, invented numbers):

* an 爱思助手-style iPhone export whose 通话方式 column holds the service (电话 / FaceTime音频) and
  whose 通话类型 column holds the call type — every row had been rejected for '电话';
* a UK-locale iMazing log sorted by time: no day over 12 until line 41, so the first 40 lines
  had not told the date order and every row of March 1–12 had been rejected as ambiguous;
* a Google-Takeout-like JSON array whose talk time is ``durationSeconds`` — unknown, so no call
  had a duration and no INCOMING call counted as connected;
* 未接通 / 未拨通 / 已取消 / Cancelled — a phone's outgoing call that did not connect — had been
  read as an incoming missed call (a debtor's own 22:40 call to a collector became a night call
  by the collector) or rejected;
* a phone's call list written with relative days (今天 / 昨天 / 前天 / 星期二) under an export time
  (导出时间：2025-03-31 22:00) — every such row had been rejected.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from conftest import CONNECTED, EVENING, NIGHT, flagged, read_both, scan_json

from checker.io import read_input
from checker.io.table import call_kind

FIX = Path(__file__).resolve().parent / "fixtures" / "calls5"
TZ = ZoneInfo("Asia/Shanghai")


def _calls(res):
    return [(e.source.line, e.time.astimezone(TZ).strftime("%m-%d %H:%M:%S"), e.direction, e.status, e.duration_s)
            for e in res.events]



# ---------------------------------------------------------------------------------------------
# 通话方式 (the service) beside 通话类型 (the call type)

def test_a_service_column_gives_way_to_the_call_type_column():
    res = read_both(FIX / "aisi_service_column.csv", TZ)
    assert not res.rejected
    assert _calls(res) == [
        (2, "03-03 07:59:59", "in", "missed", 0),
        (3, "03-03 08:00:00", "in", "answered", 42),
        (4, "03-03 12:10:00", "out", "answered", 300),
        (5, "03-03 22:40:00", "out", None, 0),  # 已取消: the debtor hung up before an answer
        (6, "03-04 21:00:00", "in", "answered", 65),
    ]
    assert any("'通话方式' column holds no call type (e.g. '电话'); the '通话类型' column is read" in n
               for n in res.notes)
    out = scan_json(FIX / "aisi_service_column.csv")
    assert flagged(out, NIGHT, 5, 19) == ["03-03 07:59:59"] and flagged(out, EVENING, 5, 19) == ["03-04 21:00:00"]


def _workbook(csv_path, encoding="utf-8"):
    """The CSV fixture's rows as an XLSX workbook's bytes."""
    wb = openpyxl.Workbook()
    with open(csv_path, encoding=encoding) as f:
        for row in csv.reader(f):
            wb.active.append(row)
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def test_a_service_column_in_a_workbook():
    res = read_input("aisi.xlsx", _workbook(FIX / "aisi_service_column.csv", "utf-8-sig"), TZ)
    assert not res.rejected and len(res.events) == 5
    assert [e.direction for e in res.events] == ["in", "in", "out", "out", "in"]


def test_a_column_of_junk_is_still_rejected_row_by_row():
    """Without another call-type column, a direction column of unknown words keeps rejecting."""
    text = ("号码,通话方式,开始时间,时长\n17012345678,电话,2025-03-03 08:00:00,42\n"
            "17012345678,呼入,2025-03-03 09:00:00,42\n")
    res = read_input("x.csv", text.encode(), TZ)
    assert [r.line for r in res.rejected] == [2] and "call type '电话' is not known" in res.rejected[0].reason
    assert len(res.events) == 1


# ---------------------------------------------------------------------------------------------
# The date order told by a row past the first 40

def test_the_date_order_is_learnt_from_rows_past_the_first_forty():
    res = read_both(FIX / "imazing_uk_sorted.csv", TZ)
    assert not res.rejected and len(res.events) == 46
    assert _calls(res)[0][:2] == (2, "03-01 09:00:00")
    assert _calls(res)[-1][1].startswith("03-14")
    # 05/03/2025 is 5 March: every day of the month in order, none read month first
    days = [e.time.astimezone(TZ).date() for e in res.events]
    assert days == sorted(days) and {d.month for d in days} == {3}


def test_the_date_order_past_the_first_forty_rows_of_a_workbook():
    res = read_input("calls.xlsx", _workbook(FIX / "imazing_uk_sorted.csv"), TZ)
    assert not res.rejected and len(res.events) == 46
    assert {e.time.astimezone(TZ).month for e in res.events} == {3}


def test_a_date_order_no_row_tells_is_still_rejected():
    lines = ["Date,Number,Call Type,Duration"] + [f"0{d}/03/2025 10:00:00,17012345678,Missed,0" for d in range(1, 10)]
    res = read_input("x.csv", ("\n".join(lines) + "\n").encode(), TZ)
    assert len(res.rejected) == 9 and "--date-order" in res.rejected[0].reason


def test_date_order_given_is_not_second_guessed_by_later_rows():
    res = read_input("calls.csv", (FIX / "imazing_uk_sorted.csv").read_bytes(), TZ, date_order="mdy")
    # 13/03/2025 cannot be month first: rejected, never read the other way round
    assert res.rejected and all("13/03/2025" in r.raw or "14/03/2025" in r.raw for r in res.rejected)


# ---------------------------------------------------------------------------------------------
# durationSeconds

def test_duration_seconds_key_gives_talk_time_and_connected_calls():
    res = read_both(FIX / "takeout_duration_seconds.json", TZ)
    assert _calls(res) == [
        (2, "03-18 09:05:10", "in", "answered", 95),
        (3, "03-18 11:30:00", "in", "answered", 60),
        (4, "03-18 13:00:00", "in", "missed", 0),
        (5, "03-18 14:00:00", "in", "answered", 30),
        (6, "03-18 16:45:00", "in", "answered", 120),
        (7, "03-18 22:30:00", "out", None, 0),
    ]
    out = scan_json(FIX / "takeout_duration_seconds.json")
    assert [f["date"] for f in out["findings"] if f["rule"] == CONNECTED] == ["2025-03-18"]
    assert not flagged(out, NIGHT, 5, 19)  # 22:30 is the debtor's own call


@pytest.mark.parametrize("key", ["durationSeconds", "duration_sec", "callDurationSecs", "duration_in_seconds"])
def test_duration_keys_that_name_seconds(key):
    text = json.dumps([{"number": "17012345678", "type": "1", "date": "2025-03-18 09:05:10", key: 95}])
    assert read_input("x.json", text.encode(), TZ).events[0].duration_s == 95


# ---------------------------------------------------------------------------------------------
# Outgoing calls that did not connect

@pytest.mark.parametrize(("text", "want"), [
    ("未接通", ("out", None)), ("未拨通", ("out", None)), ("已取消", ("out", None)), ("Cancelled", ("out", None)),
    ("Canceled", ("out", None)), ("呼出未接通", ("out", None)),
    ("被叫未接通", ("in", "missed")), ("来电未接通", ("in", "missed")), ("未接来电", ("in", "missed")),
    ("未接", ("in", "missed")), ("Missed", ("in", "missed")),
])
def test_unconnected_outgoing_call_types(text, want):
    assert call_kind(text) == want


def test_the_debtors_unconnected_night_call_is_not_the_collectors():
    res = read_both(FIX / "oppo_unconnected.csv", TZ)
    assert [(e.source.line, e.direction, e.status) for e in res.events] == [
        (2, "out", None), (3, "out", None), (4, "in", "missed"), (5, "in", "missed"), (6, "out", "answered")]
    out = scan_json(FIX / "oppo_unconnected.csv")
    assert flagged(out, NIGHT, 5, 19) == ["03-21 22:45:00", "03-21 22:50:00"]


# ---------------------------------------------------------------------------------------------
# Relative days under an export time

def test_relative_days_are_dated_from_the_export_day():
    res = read_both(FIX / "relative_days_export_time.csv", TZ)
    assert [(e.source.line, e.time.astimezone(TZ).strftime("%m-%d %H:%M")) for e in res.events] == [
        (3, "03-25 21:05"),  # 星期二 before Monday 03-31
        (4, "03-29 22:10"),  # 星期六
        (5, "03-29 07:59"),  # 前天
        (6, "03-30 20:59"),  # 昨天
        (7, "03-31 08:00"),  # 今天
    ]
    # 星期日 is yesterday's weekday: a list shows yesterday as 昨天, so the day cannot be told
    assert [r.line for r in res.rejected] == [8] and "names yesterday's weekday" in res.rejected[0].reason
    assert any("5 time(s) written as a relative day" in n and "2025-03-31" in n for n in res.notes)
    out = scan_json(FIX / "relative_days_export_time.csv")
    assert flagged(out, NIGHT, 5, 19) == ["03-29 07:59:00", "03-29 22:10:00"]
    assert flagged(out, EVENING, 5, 19) == ["03-25 21:05:00"]


def test_relative_days_without_an_export_day_are_rejected_saying_why():
    res = read_both(FIX / "relative_days_no_export_time.csv", TZ)
    assert len(res.events) == 1
    assert [r.line for r in res.rejected] == [3, 4]
    assert all("is a relative day" in r.reason and "导出时间" in r.reason for r in res.rejected)


def test_relative_days_in_a_workbook_under_an_export_time():
    wb = openpyxl.Workbook()
    with open(FIX / "relative_days_export_time.csv", encoding="utf-8") as f:
        for row in csv.reader(f):
            wb.active.append(row)
    b = io.BytesIO()
    wb.save(b)
    res = read_input("calls.xlsx", b.getvalue(), TZ)
    assert len(res.events) == 5 and [r.line for r in res.rejected] == [8]
    assert res.events[0].time.astimezone(TZ).strftime("%m-%d %H:%M") == "03-25 21:05"
