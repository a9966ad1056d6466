"""Readers, fifth round: call evidence from phone security apps and recorders (invented numbers).

One debtor's three weeks (96 calls: 95xxx / 400 / landline / mobile collectors, a hidden number,
family, deliveries; blocked, missed, answered; the 07:59:59 / 08:00:00 / 20:59:59 / 21:00:00
boundaries; a bombing day) were rendered as the evidence a debtor has when the phone's own call
log is not it — a 360手机卫士 blocked list copied from the screen, 腾讯手机管家 / 华为 骚扰拦截 tables,
a 小米 list copied line by line, a recordings folder listed by ``ls -l`` / ``dir`` / bare names, and a
call list read from screenshots — and compared call by call. These tests hold what that found:

* a blocked-call list or screenshot call list as text was read as a chat or transcript (times as
  date lines, numbers as messages): it is now read as calls (format ``call-list``);
* a recordings folder listing was one transcript with no time: each recording's file name is now an
  answered call at the name's start time (not the listing's modification time);
* a 华为 骚扰拦截 table (号码, 拦截时间, 类型, 归属地) was refused as an unknown header, and a
  腾讯手机管家 one was read as a table without a header: 拦截时间 is the time, every row a blocked
  (rejected) incoming call, and the 类型 / 标记 column the number's mark, not a call type;
* dates without a year, relative days (今天 / 周三) and grouped calls (``95188123(3)``) are read
  from the day the list names, or rejected saying what to add — never put on a guessed date.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import EVENING, NIGHT, flagged, read_both, scan_json

from checker.io import read_input
from checker.web.plain import body_zh

CST = timezone(timedelta(hours=8))
FIX = Path(__file__).parent / "fixtures" / "readers9"
NUMBERS = "速易借: 95188123 4006661234 02161230000\n好分期: 075583210000 17012340001 16500002002\n"


def _at(s: str) -> datetime:
    return datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST)


def _calls(res) -> list[tuple]:
    return [(e.time.strftime("%Y-%m-%d %H:%M:%S"), e.from_ if e.direction == "in" else e.to, e.direction, e.status)
            for e in res.events]


def _zh_all(res) -> None:
    for n in res.notes:
        body = n.split(": ", 1)[1]
        assert body_zh(body) is not None, body
    for r in res.rejected:
        assert body_zh(r.reason) is not None, r.reason


def _numbers(tmp_path: Path) -> str:
    p = tmp_path / "numbers.txt"
    p.write_text(NUMBERS, encoding="utf-8")
    return str(p)


# --- 1. a security app's blocked-call list copied from the screen --------------------------------

def test_360_blocked_list_is_read_as_blocked_calls():
    res = read_both(FIX / "blocked_360.txt", CST)
    assert res.summary.format == "call-list"
    assert _calls(res) == [
        ("2025-03-04 07:59:59", "02161230000", "in", "rejected"),
        ("2025-03-04 08:00:00", "02161230000", "in", "rejected"),
        ("2025-03-04 20:59:59", "075583210000", "in", "rejected"),
        ("2025-03-04 21:00:00", "075583210000", "in", "rejected"),
        ("2025-03-05 15:45:00", None, "in", "rejected"),  # 未知号码: a hidden caller
        ("2025-03-06 22:00:00", "17012340001", "in", "rejected"),  # +86 170 1234 0001
    ]
    assert not res.rejected and res.summary.rows == 6
    _zh_all(res)


def test_360_blocked_list_findings_at_the_boundaries(tmp_path):
    out = scan_json(FIX / "blocked_360.txt", "--numbers", _numbers(tmp_path))
    assert flagged(out, NIGHT, end=19) == ["2025-03-04 07:59:59", "2025-03-06 22:00:00"]
    assert flagged(out, EVENING, end=19) == ["2025-03-04 21:00:00"]


def test_a_list_copied_line_by_line_takes_the_year_from_its_title_or_is_rejected():
    body = "电话\n17012340001  疑似催收  3月6日 16:16  广东深圳 电信\n4006661234  骚扰电话  3月9日 07:05\n" \
           "未知号码  骚扰电话  3月19日 06:30\n"
    res = read_input("xiaomi.txt", ("2025年3月 骚扰拦截记录\n" + body).encode(), CST)
    assert _calls(res) == [("2025-03-06 16:16:00", "17012340001", "in", "rejected"),
                           ("2025-03-09 07:05:00", "4006661234", "in", "rejected"),
                           ("2025-03-19 06:30:00", None, "in", "rejected")]
    # no year anywhere: every row is rejected saying what to add, never dated in a guessed year
    res = read_input("xiaomi.txt", ("骚扰拦截\n" + body).encode(), CST)
    assert not res.events and [r.line for r in res.rejected] == [3, 4, 5]
    assert all("has no year: write the day the list was taken" in r.reason for r in res.rejected)
    _zh_all(res)


# --- 2. blocked-call tables: 拦截时间 -------------------------------------------------------------

def test_huawei_blocked_table_csv_and_xlsx():
    openpyxl = pytest.importorskip("openpyxl")
    want = [("2025-03-04 07:59:59", "02161230000", "in", "rejected"),
            ("2025-03-04 21:00:00", "075583210000", "in", "rejected"),
            ("2025-03-06 12:00:00", "95338", "in", "rejected")]
    res = read_both(FIX / "blocked_huawei.csv", CST)
    assert res.summary.format == "calllog" and _calls(res) == want and not res.rejected
    assert not any("no header row" in n for n in res.notes)
    assert res.contact_names["95338"] == {"快递送餐"}  # the 类型 column is the mark, not a call type
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (FIX / "blocked_huawei.csv").read_text(encoding="utf-8").splitlines():
        ws.append(row.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    res = read_input("huawei.xlsx", buf.getvalue(), CST)
    assert _calls(res) == want and not res.rejected


def test_tencent_blocked_table_with_a_reason_column():
    csv = ("号码,标记类型,标记人数,拦截时间,归属地,拦截原因\n"
           "17012340001,疑似催收,已被2381人标记,2025-03-06 23:30:00,广东深圳,响一声\n"
           "未知号码,骚扰电话,已被0人标记,2025-03-08 11:00:00,,黑名单拦截\n")
    res = read_input("tencent.csv", csv.encode(), CST)
    assert _calls(res) == [("2025-03-06 23:30:00", "17012340001", "in", "rejected"),
                           ("2025-03-08 11:00:00", None, "in", "rejected")]
    assert not any("no header row" in n for n in res.notes)


# --- 3. a recordings folder listed ---------------------------------------------------------------

def test_recordings_listed_by_ls():
    res = read_both(FIX / "recordings_ls.txt", CST)
    assert res.summary.format == "call-list"
    assert _calls(res) == [
        ("2025-03-03 21:40:11", "17012340001", "in", "answered"),  # the name's start, not the ls time 21:41
        ("2025-03-03 10:02:10", "13600009999", "in", "answered"),
        ("2025-03-17 07:15:02", "17012340001", "in", "answered"),  # (0317071502): the year of the ls date
        ("2024-12-31 07:55:00", "02161230000", "in", "answered"),  # listed 2025-01-02: last year's call
        ("2025-03-18 08:10:00", "95188123", "out", "answered"),  # 呼出_…: the person's own call
    ]
    assert [(r.line, r.reason.split(":")[0]) for r in res.rejected] == [(8, "recording 'readme.m4a'")]
    assert res.contact_names["13600009999"] == {"妈妈"}  # 通话录音@妈妈(…): the phone's saved name
    assert any("4 call recording(s) are read from their file names as answered incoming calls" in n
               for n in res.notes)
    _zh_all(res)


def test_recordings_listed_by_dir_in_gbk(tmp_path):
    res = read_both(FIX / "recordings_dir.txt", CST)
    assert _calls(res) == [("2025-03-04 08:00:00", "02161230000", "in", "answered"),  # +86 21 6123 0000
                           ("2025-03-18 21:43:00", "16500002002", "in", "answered"),
                           ("2025-03-17 07:15:02", "17012340001", "in", "answered")]
    assert res.summary.filtered == 1  # '3 个文件' below the list, counted
    out = scan_json(FIX / "recordings_dir.txt", "--numbers", _numbers(tmp_path))
    assert flagged(out, NIGHT, end=19) == ["2025-03-17 07:15:02"]
    assert flagged(out, EVENING, end=19) == ["2025-03-18 21:43:00"]


def test_recording_names_without_a_year_are_rejected_not_guessed():
    names = "Call@+8617012340001(0317071502).m4a\nCall@95188123(0303091520).m4a\n" \
            "17012340001_20250303_214011.m4a\n"
    res = read_input("names.txt", names.encode(), CST)
    assert _calls(res) == [("2025-03-03 21:40:11", "17012340001", "in", "answered")]
    assert [r.line for r in res.rejected] == [1, 2]
    assert "gives the day without a year (0317071502)" in res.rejected[0].reason
    _zh_all(res)
    # a line above naming the year dates them
    res = read_input("names.txt", ("2025年 通话录音\n" + names).encode(), CST)
    assert [c[0] for c in _calls(res)] == ["2025-03-17 07:15:02", "2025-03-03 09:15:20", "2025-03-03 21:40:11"]


# --- 4. a call list read from screenshots ---------------------------------------------------------

def test_screenshot_call_list_dated_from_the_screenshot_day():
    res = read_both(FIX / "ocr_calllist.txt", CST)
    assert res.summary.format == "call-list"
    assert _calls(res) == [
        ("2025-03-23 21:20:00", "95188123", "in", "answered"),  # 今天
        ("2025-03-22 20:15:00", None, "out", "answered"),  # 昨天, 妈妈: a name, no number on the screen
        ("2025-03-21 21:15:00", "17012340001", "in", "missed"),  # 周五 21：15
        ("2025-03-17 07:40:00", "02161230000", "in", "missed"),  # 周一
        ("2025-03-16 08:00:00", "16500002002", "in", "answered"),  # 3月16日: the screenshot's year
        ("2024-12-30 22:30:00", "075583210000", "in", "missed"),  # after the screenshot day: last year
    ]
    assert [e.duration_s for e in res.events][:2] == [35, 360]
    # 02161230000(3): three calls, one time shown; the two others are rejected rows on that line
    assert [(r.line, r.reason[:25]) for r in res.rejected] == [(13, "call 2 of the 3 grouped a"),
                                                                (13, "call 3 of the 3 grouped a")]
    assert res.summary.rows == 8
    _zh_all(res)


def test_screenshot_call_list_without_its_day_is_rejected_saying_what_to_add():
    text = (FIX / "ocr_calllist.txt").read_text(encoding="utf-8").replace("截图时间：2025-03-23 22:10\n", "")
    res = read_input("shot.txt", text.encode(), CST)
    assert not res.events and len(res.rejected) == 6
    assert "'今天 21:20' is a relative day" in res.rejected[0].reason and "截图时间" in res.rejected[0].reason
    _zh_all(res)


def test_chats_and_transcripts_are_not_call_lists():
    chat = ("[2025-03-06 22:31:05] 催收员：我是速借花的，号码 17012340001 已被标记\n"
            "[2025-03-06 22:31:09] 我：你们打了多少次了，通话记录我都截图了\n"
            "[2025-03-06 22:31:15] 催收员：明天 09:00 前还款\n" * 2)
    assert read_input("chat.txt", chat.encode(), CST).summary.format != "call-list"


def test_a_chat_whose_headers_are_numbers_is_not_a_call_list():
    # an SMS copied in the WeChat-text shape ('17012340001 2025-03-04 07:40:00', then the text) that
    # speaks of 通话记录 and 标记: messages to judge, never calls without their words
    chat = ("17012340001 2025-03-04 07:40:00\n我们已经调出你的通话记录了，你被标记为老赖\n\n"
            "17012340001 2025-03-04 07:45:00\n今天不还就联系你家人\n\n我 2025-03-04 07:50:00\n别打了\n\n"
            "17012340001 2025-03-04 08:10:00\n那就等着吧\n")
    res = read_input("sms.txt", chat.encode(), CST)
    assert res.summary.format != "call-list" and res.events[0].text.startswith("我们已经调出")
    talk = "".join(f"王经理：录音发你了 1701234000{i}_2025030{i}_071502.m4a\n我：收到\n" for i in range(1, 5))
    assert read_input("chat.txt", talk.encode(), CST).summary.format != "call-list"


def test_a_blocked_sms_list_on_one_line_each_keeps_its_words():
    # a security app's blocked SMS copied one per line (number, time, then the message): the words
    # after the time are no call's (no type, duration, mark or 归属地), so the text is a message
    # list and each text is judged — it was read as calls and the threats were lost
    sms = ("拦截短信记录\n17012340001 2025-03-04 07:40 还钱\n17012340002 2025-03-04 21:40 明天去你家\n"
           "17012340003 2025-03-05 09:00 你妈电话我有了\n")
    res = read_input("sms.txt", sms.encode(), CST)
    assert res.summary.format != "call-list"
    assert any("明天去你家" in (e.text or "") for e in res.events)
    # the one-line call list beside it stays calls: mark, 归属地, carrier and 响一声 after the time
    calls = ("骚扰拦截\n17012340001 疑似催收 2025-03-06 16:16 广东深圳 移动\n"
             "17012340002 已被2381人标记 2025-03-06 22:16 响一声\n未知号码 2025-03-07 07:10 拦截\n")
    res = read_input("calls.txt", calls.encode(), CST)
    assert res.summary.format == "call-list" and len(res.events) == 3
