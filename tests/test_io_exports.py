"""Real export formats people in China have: phone call-log exports (MIUI, Huawei /
Honor, OPPO, vivo), iPhone call history from desktop tools (English US locale and
爱思助手), the three carriers' itemised bills (CSV converted from XLS, GBK TSV, an
HTML table saved as .xls), SMS exports with phrase types, iMazing messages, PyWxDump
and MemoTrace WeChat exports, WeChat text under date dividers. The fixtures were
written for this project (invented names and numbers); see tests/fixtures/README.md.

Each file is checked exactly: format, encoding, data rows, events, rejected lines,
filtered rows, and every event's local time, direction, status and normalised number.
The same calls appear in most call logs: an incoming missed call at 07:40 (a night
contact), the debtor's own outgoing call at 07:45 (never a finding), a rejected call
at 12:30 and an answered call at 22:31 (a night contact)."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import run_cli

from checker.engine import scan
from checker.io import InputError, open_path, read_input
from checker.parties import normalise_number

FIX = Path(__file__).resolve().parent / "fixtures"
TZ = ZoneInfo("Asia/Shanghai")
NIGHT = "cn.contact.inconvenient_time.night_22_08"

MOBILE, MUM, VIRTUAL, LANDLINE = "+8617012345678", "+8613800138000", "+8616598765432", "+862161234567"
# (line, local time, direction, status, number) of the calls most of the phone logs hold
SAME_CALLS = [
    ("03-05 07:40", "in", "missed", MOBILE),
    ("03-05 09:12", "in", "answered", MOBILE),
    ("03-05 07:45", "out", "answered", MUM),
    ("03-05 12:30", "in", "rejected", VIRTUAL),
    ("03-05 22:31", "in", "answered", LANDLINE),
]


def _lines(*lines: int) -> list:
    return [(ln, *c) for ln, c in zip(lines, SAME_CALLS, strict=False)]


# file, format, encoding, rows, events, rejected lines, filtered, calls, night-contact local times
CALL_CASES = [
    ("phone_calllog/miui_calllog.csv", "calllog", "utf-8", 6, 5, [6], 0,
     _lines(2, 3, 4, 5, 7), ["07:40", "22:31"]),
    ("phone_calllog/huawei_calllog.csv", "calllog", "utf-8", 5, 5, [], 0,
     _lines(2, 3, 4, 5, 6), ["07:40", "22:31"]),
    ("phone_calllog/vivo_calllog.csv", "calllog", "utf-8", 6, 5, [7], 0,
     _lines(2, 3, 4, 5, 6), ["07:40", "22:31"]),
    ("phone_calllog/oppo_calllog.csv", "calllog", "utf-8", 5, 5, [], 0,
     _lines(2, 3, 4, 5, 6), ["07:40", "22:31"]),
    # line 8's Cancelled is the iPhone's outgoing call hung up before an answer: the debtor's own
    # attempt (it had been rejected as an unknown call type)
    ("iphone_calllog/imazing_calls_en_us.csv", "calllog", "utf-8", 7, 7, [], 0,
     _lines(2, 3, 4, 5, 6) + [(7, "03-14 20:05", "in", "answered", MOBILE), (8, "03-14 20:09", "out", None, MOBILE)],
     ["07:40", "22:31"]),
    ("iphone_calllog/aisi_calls.csv", "calllog", "utf-8", 4, 4, [], 0,
     _lines(2, 3, 4) + [(5, "03-05 21:20", "in", "missed", VIRTUAL)], ["07:40"]),
    ("carrier_bill/cucc_202403_xls.csv", "calllog", "gb18030", 6, 4, [9], 1,
     [(ln, *SAME_CALLS[i]) for ln, i in ((6, 0), (7, 1), (8, 2), (10, 4))], ["07:40", "22:31"]),
    ("carrier_bill/ctcc_202403.txt", "calllog", "gb18030", 6, 4, [9], 1,
     [(ln, *SAME_CALLS[i]) for ln, i in ((5, 0), (6, 1), (7, 2), (8, 4))], ["07:40", "22:31"]),
    ("carrier_bill/cmcc_202403_html.xls", "calllog", "gb18030", 5, 4, [], 1,
     [(ln, *SAME_CALLS[i]) for ln, i in ((8, 0), (9, 1), (10, 2), (11, 4))], ["07:40", "22:31"]),
]

REJECTED_SAYS = {
    "phone_calllog/miui_calllog.csv": "duration '#N/A'",
    "phone_calllog/vivo_calllog.csv": "says 上午 but the hour is 13",
    "carrier_bill/cucc_202403_xls.csv": "scientific notation",
    "carrier_bill/ctcc_202403.txt": "time '03-05 25:10:00': the clock 25:10:00 is out of range",
    "messages_csv/sms_phrases.csv": "message type '已读' is not known",
    "wechat_text/date_dividers.txt": "no message after it",
}

# file, format, encoding, rows, events, rejected, filtered,
# messages (line, local time, direction, speaker, other party), night-contact local times
MESSAGE_CASES = [
    ("messages_csv/sms_phrases.csv", "messages", "utf-8", 5, 3, [7], 1,
     [(2, "03-05 15:07", "in", "unknown", MOBILE), (3, "03-05 22:40", "in", "unknown", MOBILE),
      (5, "03-05 22:45", "out", "debtor", MOBILE)], ["22:40"]),
    ("messages_csv/imazing_messages.csv", "messages", "utf-8", 2, 2, [], 0,
     # the sent message's other party is its Chat Session (it has no Sender ID)
     [(2, "03-05 22:40", "in", "unknown", MOBILE), (3, "03-05 22:45", "out", "debtor", MOBILE)], ["22:40"]),
    ("wechat_csv/pywxdump_export.csv", "wechat-csv", "utf-8", 3, 3, [], 0,
     [(2, "03-05 21:13", "in", "unknown", "催收-王经理"), (3, "03-05 21:15", "out", "debtor", "我"),
      (4, "03-05 22:31", "in", "unknown", "催收-王经理")], ["22:31"]),
    ("wechat_text/memotrace_export.txt", "wechat-text", "utf-8", 3, 3, [], 0,
     [(1, "03-05 21:13", "in", "unknown", "催收-王经理"), (4, "03-05 21:15", "out", "debtor", "我"),
      (7, "03-05 22:31", "in", "unknown", "催收-王经理")], ["22:31"]),
    ("wechat_text/date_dividers.txt", "wechat-text", "utf-8", 4, 3, [11], 0,
     [(3, "03-05 21:13", "in", "unknown", "催收-王经理"), (5, "03-05 21:15", "out", "debtor", "我"),
      (9, "03-06 07:30", "in", "unknown", "催收-王经理")], ["07:30"]),
]


def _local(t) -> str:
    return t.astimezone(TZ).strftime("%m-%d %H:%M")


def _night(events, pack) -> list[str]:
    compiled = pack.subset([NIGHT]).compiled()
    return sorted(f.time.astimezone(TZ).strftime("%H:%M") for f in scan(events, compiled, TZ) if f.rule == NIGHT)


def _read(rel: str):
    path = FIX / rel
    res = read_input(rel, path.read_bytes(), TZ)
    s = res.summary
    assert s.events + s.filtered + len(s.rejected) == s.rows  # nothing is lost
    assert all(r.reason and r.file == rel for r in res.rejected)
    if rel in REJECTED_SAYS:
        assert any(REJECTED_SAYS[rel] in r.reason for r in res.rejected), [r.reason for r in res.rejected]
    reading = open_path(str(path), TZ, name=rel)  # the streaming reader gives the same
    assert list(reading) == res.events
    assert reading.summary() == s
    neutral = read_input("export.dat", path.read_bytes(), TZ).summary  # sniffed by content, not by name
    assert (neutral.format, neutral.rows, neutral.events) == (s.format, s.rows, s.events)
    return res


@pytest.mark.parametrize(("rel", "fmt", "enc", "rows", "events", "rejected", "filtered", "calls", "night"),
                         CALL_CASES, ids=[c[0] for c in CALL_CASES])
def test_call_log_exports(pack, rel, fmt, enc, rows, events, rejected, filtered, calls, night):
    res = _read(rel)
    s = res.summary
    assert (s.format, s.encoding, s.rows, s.events, s.filtered) == (fmt, enc, rows, events, filtered)
    assert [r.line for r in res.rejected] == rejected
    got = [(e.source.line, _local(e.time), e.direction, e.status, normalise_number(e.from_ or e.to))
           for e in res.events]
    assert got == calls
    assert all(e.speaker == ("debtor" if e.direction == "out" else "unknown") for e in res.events)
    # the incoming missed call at 07:40 is a night contact; the debtor's own call at 07:45 is not
    assert _night(res.events, pack) == night


@pytest.mark.parametrize(("rel", "fmt", "enc", "rows", "events", "rejected", "filtered", "msgs", "night"),
                         MESSAGE_CASES, ids=[c[0] for c in MESSAGE_CASES])
def test_message_exports(pack, rel, fmt, enc, rows, events, rejected, filtered, msgs, night):
    res = _read(rel)
    s = res.summary
    assert (s.format, s.encoding, s.rows, s.events, s.filtered) == (fmt, enc, rows, events, filtered)
    assert [r.line for r in res.rejected] == rejected
    got = [(e.source.line, _local(e.time), e.direction, e.speaker,
            normalise_number(e.from_ or e.to) if fmt == "messages" else (e.from_ or e.to)) for e in res.events]
    assert got == msgs
    assert all(e.text for e in res.events)
    assert _night(res.events, pack) == night


def test_multiline_sms_and_wechat_bodies_stay_whole():
    sms = read_input("s.csv", (FIX / "messages_csv/sms_phrases.csv").read_bytes(), TZ).events
    assert sms[1].text == "再不还钱我们就去你单位找你，\n让你同事都知道"
    wx = read_input("w.txt", (FIX / "wechat_text/date_dividers.txt").read_bytes(), TZ).events
    # a message line ending in a clock earlier than its block is text, not a new block
    assert wx[1].text == "这周五发工资就还，你们可以明天 10:00\n再打来"


def test_html_bill_on_the_command_line_with_numbers(tmp_path):
    numbers = tmp_path / "collectors.txt"
    numbers.write_text("某某分期: +86 170-1234-5678, 0086 165 9876 5432\n", encoding="utf-8")
    p = run_cli("scan", str(FIX / "carrier_bill/cmcc_202403_html.xls"), "--format", "json", "--numbers", str(numbers))
    err = p.stderr.decode()
    assert p.returncode == 1 and "Traceback" not in err
    doc = json.loads(p.stdout)
    inp = doc["inputs"][0]
    assert (inp["format"], inp["rows"], inp["events"] + inp["filtered"], inp["rejected"]) == ("calllog", 5, 5, [])
    night = [f["time"] for f in doc["findings"] if f["rule"] == NIGHT]
    assert night == ["2024-03-05T07:40:12+08:00"]  # the 22:31 landline is not a listed collector


# ---------------------------------------------------------------------------------------------
# Times, types and errors the exports above rely on

@pytest.mark.parametrize(("text", "want"), [
    ("Mar 5, 2024 at 3:07 PM", "2024-03-05 15:07"),
    ("Tuesday, March 5, 2024 3:07 PM", "2024-03-05 15:07"),
    ("Tue Mar 05 15:07:12 CST 2024", "2024-03-05 15:07"),
    ("2024-03-05 15:07:12 CST", "2024-03-05 15:07"),
    ("周二 2024/3/5 15:07", "2024-03-05 15:07"),
    ("2024-03-05 07:40:12 星期二", "2024-03-05 07:40"),
    ("2024-03-05 (周二) 15:07", "2024-03-05 15:07"),
    ("3/14/2024 7:40 PM", "2024-03-14 19:40"),
    ("14/3/2024 19:40", "2024-03-14 19:40"),
    ("3/5/24, 7:40 AM", "2024-03-05 07:40"),
])
def test_more_export_times(text, want):
    from checker.io.times import TimeParser

    assert TimeParser(TZ).parse(text).strftime("%Y-%m-%d %H:%M") == want


def test_year_last_date_order_is_never_guessed_from_one_value():
    def read(body: str):
        return read_input("calls.csv", ("时间,号码,类型,时长\n" + body).encode(), TZ)

    # 24-hour clocks and no day over 12: the order is unknown, every row says so
    res = read("05/03/2024 07:40,17012345678,呼入,0\n06/03/2024 09:40,17012345678,呼入,10\n")
    assert res.summary.events == 0 and [r.line for r in res.rejected] == [2, 3]
    assert "could be" in res.rejected[0].reason and "day over 12" in res.rejected[0].reason
    # a day over 12 anywhere in the first rows settles it for every row
    res = read("05/03/2024 07:40,17012345678,呼入,0\n13/03/2024 09:40,17012345678,呼入,10\n")
    assert [_local(e.time) for e in res.events] == ["03-05 07:40", "03-13 09:40"]
    # AM/PM and nothing else: the US order, and a note says it was assumed
    res = read("3/5/2024 7:40 AM,17012345678,呼入,0\n")
    assert _local(res.events[0].time) == "03-05 07:40"
    assert any("month first" in n for n in res.notes)
    # a file that mixes the two orders: the row that disagrees is rejected
    res = read("3/14/2024 7:40 AM,17012345678,呼入,0\n14/3/2024 7:40 AM,17012345678,呼入,0\n")
    assert res.summary.events == 1 and "mixes date orders" in res.rejected[0].reason


@pytest.mark.parametrize(("text", "want"), [
    ("响一声", ("in", "missed")),
    ("Unanswered", ("in", "missed")),
    ("Outgoing (unanswered)", ("out", None)),
    ("Answered on another device", ("in", "answered")),
])
def test_more_call_types(text, want):
    from checker.io.table import call_kind

    assert call_kind(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("收到的短信", "in"), ("已接收短信", "in"), ("Incoming SMS", "in"),
    ("发出的短信", "out"), ("已发送", "out"), ("Sent", "out"),
])
def test_message_types_written_as_phrases(text, want):
    from checker.io.table import message_direction

    assert message_direction(text, False) == want


def test_message_phrases_for_unsent_are_filtered():
    from checker.io.common import Filtered
    from checker.io.table import message_direction

    assert isinstance(message_direction("发送失败的短信", False), Filtered)


@pytest.mark.parametrize(("data", "says"), [
    (b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table>'
     b"<Row><Cell><Data>x</Data></Cell></Row></Table></Worksheet></Workbook>", "Excel 2003 XML spreadsheet"),
    (b"<html><body><p>session expired</p></body></html>", "HTML page with no table"),
    ("<html><table><tr><td>甲</td><td>乙</td></tr><tr><td>1</td><td>2</td></tr></table></html>".encode(),
     "HTML table"),
])
def test_unreadable_spreadsheets_and_pages_say_what_they_are(data, says):
    with pytest.raises(InputError, match=says):
        read_input("bill.xls", data, TZ)


def test_html_table_with_a_table_input_format(tmp_path):
    path = tmp_path / "bill.xls"
    path.write_bytes((FIX / "carrier_bill/cmcc_202403_html.xls").read_bytes())
    for fmt in (None, "calllog"):
        reading = open_path(str(path), TZ, input_format=fmt)
        assert len(list(reading)) == 4 and reading.summary().format == "calllog"
    with pytest.raises(InputError, match="not one collcheck knows"):
        read_input("bill.xls", path.read_bytes(), TZ, input_format="messages")


def test_a_later_date_confirms_the_month_first_order_an_am_pm_clock_suggested(tmp_path):
    """The month-first guess comes from the first rows (an AM/PM clock, no day over 12); a
    later row with a day over 12 confirms it, so the note saying no date confirms it goes."""
    rows = [f"11/0{1 + i % 9}/2026 9:{10 + i:02d} PM,Incoming,1380000{i:04d},60" for i in range(45)]
    rows.append("11/13/2026 10:15 AM,Incoming,13800000001,60")
    p = tmp_path / "calls.csv"
    p.write_text("Date,Type,Number,Duration\n" + "\n".join(rows) + "\n", encoding="utf-8")
    res = read_input(p.name, p.read_bytes(), ZoneInfo("Asia/Shanghai"))
    assert len(res.events) == 46 and res.events[-1].time.day == 13
    assert not any("month first" in n for n in res.notes)
    early = read_input(p.name, "\n".join(["Date,Type,Number,Duration", *rows[:45]]).encode(), ZoneInfo("Asia/Shanghai"))
    assert any("month first" in n for n in early.notes)


def test_a_gbk_line_in_a_utf8_file_is_read_in_its_own_encoding_with_a_note():
    """One GBK line pasted into a UTF-8 batch made the whole file read as GB18030: the UTF-8
    lines became mojibake and their violations were silently missed."""
    lines = [json.dumps({"id": "u1", "channel": "sms", "speaker": "collector", "text": "您好"}, ensure_ascii=False),
             json.dumps({"id": "u2", "channel": "sms", "speaker": "collector", "text": "明天我们就派人上门找你"},
                        ensure_ascii=False),
             json.dumps({"id": "u3", "channel": "sms", "speaker": "collector", "text": "你就是个老赖，还有脸接电话？"},
                        ensure_ascii=False)]
    data = b"\n".join([lines[0].encode("utf-8"), lines[1].encode("gbk"), lines[2].encode("utf-8")]) + b"\n"
    res = read_input("mix.jsonl", data, ZoneInfo("Asia/Shanghai"))
    assert [e.text for e in res.events] == ["您好", "明天我们就派人上门找你", "你就是个老赖，还有脸接电话？"]
    assert res.summary.encoding == "utf-8" and not res.rejected
    assert any("1 line(s) (2) are not UTF-8" in n for n in res.notes)
    found = scan(res.events, __import__("checker.pack", fromlist=["cached_pack"]).cached_pack("cn").compiled())
    assert {f.record for f in found} == {"u2", "u3"}


def test_a_streamed_batch_rejects_a_non_utf8_line_saying_so(tmp_path):
    from checker.batch import FileStats, scan_stream
    from checker.pack import cached_pack

    good = json.dumps({"id": "a", "channel": "sms", "speaker": "collector", "text": "再不还就去你单位"},
                      ensure_ascii=False)
    bad = json.dumps({"id": "b", "channel": "sms", "speaker": "collector", "text": "明天上门"}, ensure_ascii=False)
    p = tmp_path / "b.jsonl"
    p.write_bytes(good.encode() + b"\n" + bad.encode("gbk") + b"\n" + good.replace('"a"', '"c"').encode() + b"\n")
    stats = [x for x in scan_stream([str(p)], cached_pack("cn"), "Asia/Shanghai", 1, None, {})
             if isinstance(x, FileStats)]
    (rej,) = stats[0].rejected
    assert rej.line == 2 and rej.reason.startswith("not UTF-8 text") and "明天上门" in rej.raw
    assert stats[0].rows == 3 and stats[0].events == 2


def test_a_gbk_line_that_happens_to_be_valid_utf8_stays_gbk():
    """业 为 之 are two GBK bytes that also form one UTF-8 character: a GBK file holding such
    a line is GBK throughout, not a mixed file with one 'UTF-8' line of Latin letters."""
    from checker.io.encoding import decode

    notes: list[str] = []
    data = "\n".join(["还款提醒", "也为之", "请按时还款"]).encode("gbk")
    assert decode(data, "g.txt", notes=notes) == ("还款提醒\n也为之\n请按时还款", "gb18030")
    assert notes == []
