"""A carrier bill whose text runs its columns together (a PDF's text layer) is read as a
call log, or refused — never read as a transcript with no findings."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

import checker.io.pdf as pdf
from checker.io import InputError, read_input
from checker.model import CallEvent

TZ = ZoneInfo("Asia/Shanghai")

ROWS = [("2026-10-20 07:05:27", "被叫", "075586001234", "2分18秒"),
        ("2026-10-20 08:35:27", "被叫", "17052318846", "2分9秒"),
        ("2026-10-20 12:31:00", "主叫", "13907355678", "13分45秒"),
        ("2026-10-20 22:52:43", "被叫", "17052318847", "1分51秒"),
        ("2026-10-21 13:08:00", "被叫", "13907355678", "7分17秒"),
        ("2026-10-22 08:13:28", "被叫", "17052318847", "3分9秒")]


def _bill(header: str) -> str:
    lines = ["中国移动通信 客户详单", "语音通信", header]
    lines += [f"{t}湖南衡阳     {d}       {n:<13} {dur:<8}   本地通话     0.00" for t, d, n, dur in ROWS]
    return "\n".join(lines) + "\n"


HEADER = "     起始时间          通信地点     通信方式        对方号码       通信时长     通信类型     实收通信费(元)"


def test_time_glued_to_the_next_column_is_split():
    r = read_input("bill.txt", _bill(HEADER).encode(), TZ)
    assert r.summary.format == "calllog" and not r.rejected
    assert len(r.events) == 6 and all(isinstance(e, CallEvent) for e in r.events)
    first = r.events[0]
    assert first.time == datetime(2026, 10, 20, 7, 5, 27, tzinfo=TZ)
    assert first.from_ == "075586001234" and first.direction == "in" and first.duration_s == 138
    assert r.events[2].direction == "out"


def test_pdf_radicals_read_as_the_characters_they_print_as():
    assert pdf._unradical("通信\u2f45式 通信时\u2ed3 客\u2f3e 语\u2fb3") == "通信方式 通信时长 客户 语音"
    assert pdf._unradical("通信方式") == "通信方式"


def test_a_bill_with_an_unknown_header_is_refused_not_read_as_a_transcript():
    unknown = "     甲          乙     丙        丁       戊     己     庚"
    with pytest.raises(InputError) as e:
        read_input("bill.txt", _bill(unknown).encode(), TZ)
    msg = str(e.value)
    assert "bill.txt" in msg and "itemised call bill" in msg and "CSV" in msg and "transcript" in msg


def test_a_pdf_bill_that_is_not_a_table_is_refused(monkeypatch):
    text = _bill("     甲          乙     丙        丁       戊     己     庚")
    monkeypatch.setattr(pdf, "pdf_text", lambda data, name: (text, [1], []))
    with pytest.raises(InputError) as e:
        read_input("详单.pdf", b"%PDF-1.4\n", TZ)
    assert "PDF" in str(e.value) and "Excel (XLSX) or CSV" in str(e.value)
    # --input-format transcript still reads it as asked
    r = read_input("详单.pdf", b"%PDF-1.4\n", TZ, input_format="transcript")
    assert r.summary.format == "transcript"


def test_chats_and_sms_lists_with_numbers_are_not_taken_for_bills():
    chat = "".join(f"[2026-10-2{i} 21:1{i}] 对方：请联系 13800138000 还款，今天通话记录已留存\n" for i in range(6))
    assert read_input("chat.txt", chat.encode(), TZ).summary.format == "text"
    sms = "".join(f"2026-10-2{i} 21:1{i} 13800138000 请尽快还款\n" for i in range(6))
    read_input("sms.txt", sms.encode(), TZ)  # not refused: no call type or duration on its lines


def test_a_hand_typed_call_list_is_refused_and_read_once_it_has_a_header():
    """README: a typed list of calls without a header is an input error (its columns are not
    guessed); with a comma-separated header line it is a call log with its night calls."""
    rows = ["2025-03-05 07:05 17012345678 来电 未接", "2025-03-05 22:15 17012345679 来电 接通",
            "2025-03-06 06:50 17012345678 来电 未接", "2025-03-06 23:30 17012345679 来电 接通",
            "2025-03-07 21:40 17012345678 来电 未接", "2025-03-07 10:00 17012345678 来电 未接"]
    tz = ZoneInfo("Asia/Shanghai")
    with pytest.raises(InputError, match="looks like an itemised call bill"):
        read_input("calls.txt", ("\n".join(rows) + "\n").encode(), tz)
    csv = "时间,号码,类型,时长\n2025-03-05 07:05,17012345678,来电,0\n2025-03-05 22:15,17012345679,来电,120\n"
    res = read_input("calls.csv", csv.encode(), tz)
    assert [(e.time.hour, e.status) for e in res.events] == [(7, "missed"), (22, "answered")]
