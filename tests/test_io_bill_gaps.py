"""Readers for inputs that needed help before: 主叫号码 / 被叫号码 bills with no call-type
column, landline numbers with their leading 0, and day / month dates no row can settle
(--date-order). The fixtures were written for this project (invented numbers); see
tests/fixtures/README.md."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import read_both, run_cli

from checker.io import InputError, read_input
from checker.parties import display_number, normalise_number

FIX = Path(__file__).resolve().parent / "fixtures"
CC = FIX / "caller_callee"
TZ = ZoneInfo("Asia/Shanghai")
ME = "+8613912345678"


def _local(t) -> str:
    return t.astimezone(TZ).strftime("%m-%d %H:%M")


def _calls(res) -> list:
    """(line, local time, direction, status, other party, the user's side) per event."""
    out = []
    for e in res.events:
        other, mine = (e.to, e.from_) if e.direction == "out" else (e.from_, e.to)
        out.append((e.source.line, _local(e.time), e.direction, e.status, normalise_number(other),
                    normalise_number(mine)))
    return out


def _read(path: Path, **kw):
    return read_both(path, TZ, **kw)


# --------------------------------------------------------------------------- 1. 主叫 / 被叫 bills
def test_caller_callee_bill_with_own_number_in_the_preamble():
    res = _read(CC / "cmcc_caller_callee_gbk.csv")
    s = res.summary
    assert (s.format, s.encoding, s.rows, s.events, s.filtered) == ("calllog", "gb18030", 7, 5, 1)
    assert [r.line for r in res.rejected] == [10] and "25:00:00" in res.rejected[0].reason
    assert _calls(res) == [
        (5, "03-05 07:40", "in", "missed", "+8617012345678", ME),
        (6, "03-05 07:45", "out", "answered", "+8613800138000", ME),
        (7, "03-05 12:30", "in", "missed", "+8616598765432", ME),
        (8, "03-05 22:31", "in", "answered", "+862161234567", ME),  # the user's number written with spaces
        (9, "03-06 09:00", "in", "answered", None, ME),  # a hidden caller is still an incoming call
    ]
    assert all(e.speaker == ("debtor" if e.direction == "out" else "unknown") for e in res.events)
    assert any("13912345678 (from the lines above the header)" in n for n in res.notes)


def test_caller_callee_bill_in_english_infers_the_number_in_every_row():
    res = _read(CC / "calls_calling_called_en.csv")
    assert (res.summary.rows, res.summary.events, res.rejected) == (4, 4, [])
    assert [c[2:5] for c in _calls(res)] == [
        ("in", "missed", "+8617012345678"), ("out", "answered", "+8613800138000"),
        ("in", "missed", "+8616598765432"), ("in", "answered", "+862161234567")]
    assert any("13912345678 is in every row" in n and "--debtor" in n for n in res.notes)


def test_caller_callee_bill_where_two_numbers_are_in_every_row_asks_for_debtor():
    path = CC / "two_numbers_every_row.csv"
    with pytest.raises(InputError) as e:
        read_input(path.name, path.read_bytes(), TZ)
    msg = str(e.value)
    assert msg.startswith("two_numbers_every_row.csv:1: ")
    assert "13912345678 and 17012345678 are both in every row" in msg and "--debtor NUMBER" in msg
    res = _read(path, debtor="139 1234 5678")
    assert [c[1:5] for c in _calls(res)] == [
        ("03-05 07:40", "in", "missed", "+8617012345678"), ("03-05 09:12", "out", "answered", "+8617012345678"),
        ("03-05 22:31", "in", "answered", "+8617012345678")]
    # the other way round: the collector's number as --debtor flips every call
    flipped = _read(path, debtor="17012345678")
    assert [c[2] for c in _calls(flipped)] == ["out", "in", "out"]


def test_caller_callee_bill_with_no_number_in_every_row_names_file_and_header_line():
    data = ("时间,主叫号码,被叫号码,时长\n"
            "2024-03-05 07:40:12,17012345678,13912345678,0\n"
            "2024-03-05 09:40:12,16598765432,13800138000,0\n").encode()
    with pytest.raises(InputError, match=r"^bill\.csv:1: .*no number is in every row.*--debtor NUMBER"):
        read_input("bill.csv", data, TZ)


def test_caller_callee_rows_without_the_users_number_are_counted_in_a_note():
    data = ("时间,主叫号码,被叫号码,时长\n"
            "2024-03-05 07:40:12,17012345678,13912345678,0\n"
            "2024-03-05 09:40:12,16598765432,13800138000,20\n"
            "2024-03-05 10:40:12,,,20\n").encode()
    res = read_input("bill.csv", data, TZ, debtor="13912345678")
    assert res.summary.events == 2 and [r.line for r in res.rejected] == [4]
    assert "no number in the '主叫号码' or '被叫号码' column" in res.rejected[0].reason
    assert any("1 row(s) have your number in neither" in n for n in res.notes)


def test_caller_callee_with_a_call_type_column_takes_the_other_party_from_it():
    data = ("时间,类型,主叫号码,被叫号码,时长\n"
            "2024-03-05 07:40:12,被叫,17012345678,13912345678,0\n"
            "2024-03-05 09:40:12,主叫,13912345678,13800138000,20\n").encode()
    res = read_input("bill.csv", data, TZ)
    assert [c[2:5] for c in _calls(res)] == [("in", "missed", "+8617012345678"),
                                             ("out", "answered", "+8613800138000")]


def test_caller_callee_bill_on_the_command_line(tmp_path):
    p = run_cli("scan", str(CC / "two_numbers_every_row.csv"), "--format", "json")
    err = p.stderr.decode()
    assert p.returncode == 2 and "Traceback" not in err
    assert "two_numbers_every_row.csv:1:" in err and "--debtor" in err
    p = run_cli("scan", str(CC / "two_numbers_every_row.csv"), "--format", "json", "--debtor", "13912345678")
    assert p.returncode == 1, p.stderr.decode()
    doc = json.loads(p.stdout)
    assert doc["inputs"][0]["events"] == 3
    night = sorted(f["time"] for f in doc["findings"] if f["rule"] == "cn.contact.inconvenient_time.night_22_08")
    assert night == ["2024-03-05T07:40:12+08:00", "2024-03-05T22:31:09+08:00"]  # not the user's own 09:12 call


def test_a_debtor_name_cannot_tell_a_caller_callee_bills_direction():
    """--debtor 阿强 is a chat nickname (for the chats beside the bill): the bill is read as if no
    --debtor was given, so a bill whose owner cannot be found asks for the number."""
    with pytest.raises(InputError, match="Give your number with --debtor NUMBER"):
        read_input("b.csv", (CC / "two_numbers_every_row.csv").read_bytes(), TZ, debtor="abc")


def _fixture_module():
    sys.path.insert(0, str(FIX))
    try:
        import make_xlsx
    finally:
        sys.path.remove(str(FIX))
    return make_xlsx


def test_caller_callee_xlsx_keeps_landline_zeros(tmp_path):
    path = _fixture_module().make_caller_callee_xlsx(tmp_path / "unicom.xlsx")
    res = _read(path)
    assert (res.summary.encoding, res.summary.events, res.rejected) == ("xlsx", 4, [])
    assert [(e.direction, e.from_ if e.direction == "in" else e.to) for e in res.events] == [
        ("in", "01088886666"), ("out", "02188886666"), ("in", "02188886666"), ("in", "+86 21 8888 6666")]
    assert {display_number(normalise_number(e.from_ if e.direction == "in" else e.to)) for e in res.events} == {
        "01088886666", "02188886666"}


# --------------------------------------------------------------------------- 2. landline zeros
@pytest.mark.parametrize(("raw", "shown"), [
    ("02188886666", "02188886666"), ("021-8888-6666", "02188886666"), ("+86 21 8888 6666", "02188886666"),
    ("0086 21 88886666", "02188886666"), ("+862188886666", "02188886666"), ("010 1234 5678", "01012345678"),
    ("+86 138 0013 8000", "13800138000"), ("008613800138000", "13800138000"), ("400-800-1234", "4008001234"),
    ("95511", "95511"),
])
def test_display_number_keeps_the_landline_zero(raw, shown):
    assert display_number(normalise_number(raw)) == shown


def test_landline_csv_report_shows_leading_zeros(tmp_path):
    out = tmp_path / "report.json"
    p = run_cli("report", str(FIX / "calllog_csv/landlines_leading_zero.csv"), "-o", str(out))
    assert p.returncode == 1 and "Traceback" not in p.stderr.decode()
    doc = json.loads(out.read_text(encoding="utf-8"))
    numbers = {f["number"] for f in doc["findings"]}
    assert numbers == {"01088886666", "02188886666"}  # five spellings, two numbers, zeros kept
    groups = {g["group"]: g["numbers"] for g in doc["summary"]["collectors"]}
    assert groups == {"01088886666": ["01088886666"], "02188886666": ["02188886666"]}
    assert "2188886666" not in json.dumps(doc, ensure_ascii=False).replace("02188886666", "")


# --------------------------------------------------------------------------- 3. --date-order
def test_ambiguous_dates_are_rejected_naming_date_order():
    res = _read(FIX / "calllog_csv/ambiguous_day_month.csv")
    assert res.summary.events == 0 and [r.line for r in res.rejected] == [2, 3, 4]
    assert all("could be" in r.reason and "--date-order dmy" in r.reason for r in res.rejected)


@pytest.mark.parametrize(("order", "times"), [
    ("dmy", ["03-05 07:40", "03-05 09:12", "03-06 22:31"]),
    ("mdy", ["05-03 07:40", "05-03 09:12", "06-03 22:31"]),
])
def test_date_order_resolves_ambiguous_dates(order, times):
    res = _read(FIX / "calllog_csv/ambiguous_day_month.csv", date_order=order)
    assert res.rejected == [] and [_local(e.time) for e in res.events] == times
    assert not any("month first" in n for n in res.notes)


def test_date_order_never_reads_a_row_another_way():
    data = "时间,号码,类型,时长\n05/03/2024 07:40,17012345678,呼入,0\n3/14/2024 7:40,17012345678,呼入,0\n".encode()
    res = read_input("c.csv", data, TZ, date_order="dmy")
    assert [_local(e.time) for e in res.events] == ["03-05 07:40"]
    assert [r.line for r in res.rejected] == [3] and "not a day/month/year date (--date-order dmy)" in \
        res.rejected[0].reason
    # without --date-order the day over 12 settles it, as before
    res = read_input("c.csv", data, TZ)
    assert [_local(e.time) for e in res.events] == ["05-03 07:40", "03-14 07:40"]


def test_date_order_ymd_reads_a_two_digit_year_first():
    path = FIX / "calllog_csv/two_digit_year_first.csv"
    res = _read(path, date_order="ymd")
    assert [e.time.astimezone(TZ).strftime("%Y-%m-%d %H:%M") for e in res.events] == [
        "2024-03-05 07:40", "2024-03-05 22:31"]
    res = _read(FIX / "calllog_csv/ambiguous_day_month.csv", date_order="ymd")
    assert res.summary.events == 0 and "year last, not first" in res.rejected[0].reason


def test_unambiguous_files_read_the_same_with_or_without_date_order():
    path = FIX / "phone_calllog/huawei_calllog.csv"
    plain = read_input(path.name, path.read_bytes(), TZ)
    for order in ("dmy", "mdy", "ymd"):
        assert read_input(path.name, path.read_bytes(), TZ, date_order=order).events == plain.events


def test_date_order_on_the_command_line(tmp_path):
    f = str(FIX / "calllog_csv/ambiguous_day_month.csv")
    p = run_cli("scan", f, "--format", "json")
    err = p.stderr.decode()
    # every row is ambiguous, so no row could be read: an input error, whose message names the option
    assert p.returncode == 2 and "ambiguous_day_month.csv:2:" in err and "--date-order" in err
    assert "no row could be read" in err and json.loads(p.stdout)["inputs"][0]["events"] == 0
    p = run_cli("scan", f, "--format", "json", "--date-order", "dmy")
    doc = json.loads(p.stdout)
    assert p.returncode == 1 and doc["inputs"][0]["rejected"] == []
    assert sorted(x["time"] for x in doc["findings"] if x["rule"] == "cn.contact.inconvenient_time.night_22_08") == [
        "2024-03-05T07:40:12+08:00", "2024-03-06T22:31:09+08:00"]
    out = tmp_path / "r.json"
    p = run_cli("report", f, "--date-order", "mdy", "-o", str(out))
    assert p.returncode == 1 and json.loads(out.read_text(encoding="utf-8"))["summary"]["period"]
    p = run_cli("scan", f, "--date-order", "ydm")
    assert p.returncode == 2 and "Traceback" not in p.stderr.decode() and "--date-order" in p.stderr.decode()


def test_bad_date_order_value_is_an_input_error():
    with pytest.raises(InputError, match="expected one of dmy, mdy, ymd"):
        read_input("c.csv", b"a,b\n1,2\n", TZ, date_order="dym")
