"""Call logs in export shapes a second outside tester rendered from one debtor's month of calls
(fixtures in tests/fixtures/calls6/, invented numbers; the merged-cell workbook is written here):

* a ColorOS-style export with a two-digit year first (``25/03/05 07:59``) had been read day first
  without a word: 25 March 2001, 2002 … 2031 — every call in the wrong year, every night call
  and bombing day found on a date that never was;
* a 中国移动 详单 converted from PDF to Excel writes each day's date once, in a cell merged down
  over that day's calls: every call but the first of a day had been rejected ("the date column
  is empty"), and with them four of the five findings;
* a bill saved from Excel whose daily subtotals read ``2025-03-05 小计`` had each subtotal
  rejected as a row with a bad time, instead of filtered like ``小计``;
* a row with more filled cells than the header was read without a word;
* 对方已拒接 / 对方无人接听 / 对方正忙 — what the other side did with the person's own call — had
  been read as a rejected or missed *incoming* call (the debtor's 22:40 call became a collector's
  night call);
* headers 通话对象 (the number), 类别 (the call type) and 呼叫时长 were not known: the calls had no
  number (so no collector could be matched) or no direction.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from conftest import CONNECTED, EVENING, NIGHT, flagged, read_both, scan_json

from checker.io import read_input
from checker.io.table import call_kind
from checker.io.times import TimeParser, date_order

FIX = Path(__file__).resolve().parent / "fixtures" / "calls6"
TZ = ZoneInfo("Asia/Shanghai")


def _calls(res):
    return [(e.source.line, e.time.astimezone(TZ).strftime("%Y-%m-%d %H:%M"), e.direction, e.status, e.duration_s)
            for e in res.events]



# ---------------------------------------------------------------------------------------------
# 25/03/05: a two-digit year first

def test_a_two_digit_year_first_is_learnt_from_the_column():
    res = read_both(FIX / "coloros_two_digit_year_gbk.csv", TZ)
    assert not res.rejected
    calls = _calls(res)
    assert {c[1][:7] for c in calls} == {"2025-03"}
    assert calls[:4] == [(2, "2025-03-01 15:48", "in", "missed", 0), (3, "2025-03-01 19:50", "in", "answered", 142),
                         (4, "2025-03-02 15:20", "in", "rejected", 0), (5, "2025-03-03 07:59", "in", "missed", 0)]
    assert (12, "2025-03-27 07:20", "in", "rejected", 0) in calls


def test_two_digit_year_first_findings_fall_on_the_right_days():
    out = scan_json(FIX / "coloros_two_digit_year_gbk.csv")
    assert flagged(out, NIGHT) == ["2025-03-03 07:59", "2025-03-06 22:30", "2025-03-12 23:10", "2025-03-27 07:20"]
    assert flagged(out, EVENING) == ["2025-03-04 21:00"]
    # --date-order ymd says the same
    ymd = scan_json(FIX / "coloros_two_digit_year_gbk.csv", "--date-order", "ymd")
    assert flagged(ymd, NIGHT) == flagged(out, NIGHT)


def test_two_digit_year_day_first_is_learnt_too():
    # the first number moves like a day, the last stays put like a year
    assert date_order(["25/03/24 10:00", "26/03/24 10:00", "27/03/24 10:00"]) == ("dmy", False)
    assert date_order(["25/03/01 10:00", "25/03/02 10:00", "25/03/03 10:00"]) == ("ymd", False)
    assert date_order(["31/03/24 10:00", "13/03/24 10:00"]) == (None, False)  # two rows cannot tell
    assert date_order(["05/03/2025 10:00", "25/03/2025 10:00"]) == ("dmy", False)  # four-digit years as before


def test_an_ambiguous_two_digit_date_is_rejected_naming_date_order():
    data = "号码,类型,时间,时长\n95188123,呼入,25/03/24 22:30,60\n".encode()
    res = read_input("one.csv", data, TZ)
    assert not res.events and len(res.rejected) == 1
    assert "--date-order ymd" in res.rejected[0].reason and "2025-03-24" in res.rejected[0].reason
    with_ymd = read_input("one.csv", data, TZ, date_order="ymd")
    assert _calls(with_ymd) == [(2, "2025-03-24 22:30", "in", "answered", 60)]
    with_dmy = read_input("one.csv", data, TZ, date_order="dmy")
    assert _calls(with_dmy) == [(2, "2024-03-25 22:30", "in", "answered", 60)]


def test_a_parser_told_ymd_reads_two_digit_years_first():
    p = TimeParser(TZ, order="ymd")
    assert p.parse("25/03/05 19:40").strftime("%Y-%m-%d %H:%M") == "2025-03-05 19:40"


def test_a_row_with_more_cells_than_the_header_is_read_and_said():
    res = read_both(FIX / "coloros_two_digit_year_gbk.csv", TZ)
    assert (10, "2025-03-11 10:00", "in", "answered", 12) in _calls(res)
    assert any("1 row(s) have more cells than the header on line 1 (line 10)" in n for n in res.notes)


# ---------------------------------------------------------------------------------------------
# A PDF-to-Excel bill: each day's date merged down over its calls

def _merged_bill(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["中国移动通信客户详单"])
    ws.merge_cells("A1:H1")
    ws.append(["客户姓名：张*  手机号码：139****5678  查询周期：2025-03-01至2025-03-31"])
    ws.merge_cells("A2:H2")
    ws.append([])
    hdr = ["日期", "时间", "通信地点", "通信方式", "对方号码", "通信时长", "通信类型", "实收通信费(元)"]
    ws.append(hdr)
    rows = [("2025.03.20", "10:00:00", "95188123"), (None, "11:00:00", "4008001234"), (None, "13:00:00", "95188123"),
            (None, "15:00:00", "4008001234"), (None, "16:00:00", "17012345678"),
            ("2025.03.28", "21:59:00", "17012345678"), (None, "23:10:00", "16500001001")]
    for d, t, n in rows:
        ws.append([d, t, "深圳", "被叫", n, "00:01:30", "国内通话", 0])
    ws.merge_cells("A5:A9")
    ws.merge_cells("A10:A11")
    ws.merge_cells("B12:C13")  # a block merged across columns and rows below the table: nothing to read
    wb.save(path)
    return path


def test_a_date_merged_down_over_a_days_calls_dates_each_of_them(tmp_path):
    res = read_both(_merged_bill(tmp_path / "cmcc_pdf2excel.xlsx"), TZ)
    assert not res.rejected
    assert [c[1] for c in _calls(res)] == ["2025-03-20 10:00", "2025-03-20 11:00", "2025-03-20 13:00",
                                          "2025-03-20 15:00", "2025-03-20 16:00", "2025-03-28 21:59",
                                          "2025-03-28 23:10"]


def test_merged_dates_give_the_bills_findings(tmp_path):
    out = scan_json(_merged_bill(tmp_path / "cmcc_pdf2excel.xlsx"))
    assert flagged(out, NIGHT) == ["2025-03-28 23:10"]
    assert flagged(out, EVENING) == ["2025-03-28 21:59"]
    assert [f["date"] for f in out["findings"] if f["rule"] == CONNECTED] == ["2025-03-20"]


# ---------------------------------------------------------------------------------------------
# 2025-03-05 小计: a day's subtotal names its day

def test_a_days_subtotal_that_names_its_day_is_filtered():
    res = read_both(FIX / "cmcc_day_subtotals_gbk.csv", TZ)
    assert not res.rejected
    assert [c[1:4] for c in _calls(res)] == [("2025-03-03 08:00", "in", "answered"),
                                             ("2025-03-03 18:17", "out", "answered"),
                                             ("2025-03-12 23:10", "in", "answered")]
    assert res.summary.filtered == 4  # three subtotals and the 合计


# ---------------------------------------------------------------------------------------------
# 对方已拒接: the other side did not take the person's own call

@pytest.mark.parametrize("value", ["对方已拒接", "对方无人接听", "对方未接听", "对方正忙", "对方忙", "对方关机",
                                   "被叫方拒接"])
def test_what_the_other_side_did_is_the_persons_own_call(value):
    assert call_kind(value) == ("out", None)


@pytest.mark.parametrize("value,kind", [("来电拒接", ("in", "rejected")), ("呼入未接", ("in", "missed")),
                                        ("被叫未接通", ("in", "missed")), ("对方来电未接", ("in", "missed"))])
def test_incoming_unanswered_calls_stay_incoming(value, kind):
    assert call_kind(value) == kind


def test_the_persons_own_unanswered_night_calls_are_not_the_collectors():
    out = scan_json(FIX / "other_side_types.csv")
    assert flagged(out, NIGHT) == ["2025-03-25 22:55", "2025-03-25 23:00"]


# ---------------------------------------------------------------------------------------------
# 通话对象 / 类别 / 呼叫时长

def test_header_synonyms_of_call_history_tools():
    res = read_both(FIX / "header_synonyms.csv", TZ)
    assert not res.rejected
    assert [(e.from_ or e.to, e.direction, e.duration_s) for e in res.events] == [("95188123", "in", 125),
                                                                                  ("95188123", "out", 30)]
