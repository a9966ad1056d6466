"""Readers, sixth round: a blind sweep of real export formats (invented numbers and people).

One debtor's two weeks (59 calls, 60 messages: collectors' mobiles, 95xxx / 400 / landlines, a
hidden number, family, deliveries, a bank's lawful reminders; the 07:59:59 / 08:00:00 / 20:59:59 /
21:00:00 boundaries; a bombing day; threats and disclosures) were written down first and then
rendered, without reading the readers, as SMS Backup & Restore XML, carrier bills (CSV / XLSX /
PDF text), iMazing CSVs, 留痕 / WeChatMsg / QQ / PC WeChat / Telegram chats and sheets typed
from screenshots. These tests hold what that found:

* a sheet typed from screenshots with calls and messages in one table (类型 来电 / 未接 / 去电 /
  拒接 / 拦截 beside 收到短信 / 发出短信) rejected every call row as an unknown message type: a
  row with no text whose type names a call is now read as a call (its 时长 the talk time);
* a message table whose direction column says 收 / 发 (one character, as people type it) was
  rejected row by row: 收 is received, 发 is sent;
* a Telegram voice call (a service message with "action": "phone_call") was filtered as "a
  member joined, a message pinned": it is now a call — the actor called, duration_seconds is the
  talk time, discard_reason missed / busy an unanswered or declined call.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from conftest import NIGHT, flagged, read_both, scan_json

from checker.model import CallEvent, MessageEvent
from checker.web.plain import body_zh

CST = timezone(timedelta(hours=8))


def _at(s: str) -> datetime:
    return datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST)


def _retyped(path: Path, rows: list[tuple]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["日期", "时间", "号码", "类型", "时长", "内容"])
    for r in rows:
        ws.append(list(r))
    for c in ws["A"][1:]:
        c.number_format = "yyyy/m/d"
    wb.save(path)
    return path


MIXED = [
    (date(2025, 3, 3), "07:59:59", "17012340001", "来电", 35, None),
    (date(2025, 3, 3), "08:00:00", "17012340001", "未接", 0, None),
    (date(2025, 3, 3), "09:20:00", "17012340001", "收到短信", None, "张先生您好，我是速易借的李经理，麻烦回个电话。"),
    (date(2025, 3, 3), "09:25:00", "17012340001", "发出短信", None, "下周五能还一部分吗？"),
    (date(2025, 3, 4), "09:10:00", "13700003333", "去电", 125, None),
    (date(2025, 3, 5), "16:05:05", "4008001234", "拒接", 0, None),
    (date(2025, 3, 6), "15:45:00", "95766", "拦截", None, None),
    (date(2025, 3, 8), "23:15:40", "17012340001", "未接", None, None),
]


def test_retyped_sheet_with_calls_and_messages_reads_both(tmp_path: Path) -> None:
    res = read_both(_retyped(tmp_path / "retyped.xlsx", MIXED), CST)
    assert not res.summary.rejected
    calls = [e for e in res.events if isinstance(e, CallEvent)]
    msgs = [e for e in res.events if isinstance(e, MessageEvent)]
    assert [(e.time, e.direction, e.status, e.duration_s) for e in calls] == [
        (_at("2025-03-03 07:59:59"), "in", "answered", 35),
        (_at("2025-03-03 08:00:00"), "in", "missed", 0),
        (_at("2025-03-04 09:10:00"), "out", "answered", 125),
        (_at("2025-03-05 16:05:05"), "in", "rejected", 0),
        (_at("2025-03-06 15:45:00"), "in", "rejected", None),
        (_at("2025-03-08 23:15:40"), "in", "missed", None),
    ]
    assert [(e.time, e.direction, e.text[:4]) for e in msgs] == [
        (_at("2025-03-03 09:20:00"), "in", "张先生您"), (_at("2025-03-03 09:25:00"), "out", "下周五能")]
    note = next(n for n in res.notes if "names a call" in n)
    assert "6 row(s)" in note and body_zh(note.split(": ", 1)[1])
    out = scan_json(tmp_path / "retyped.xlsx")
    assert flagged(out, NIGHT, 0, 19) == ["2025-03-03 07:59:59", "2025-03-08 23:15:40"]


def test_call_type_with_text_is_still_a_rejected_message(tmp_path: Path) -> None:
    # a row that has words is a message: a call type there is a mistake to show, not a call to invent
    rows = [*MIXED[:3], (date(2025, 3, 9), "10:00:00", "17012340001", "来电", None, "接电话！")]
    res = read_both(_retyped(tmp_path / "retyped.xlsx", rows), CST)
    assert [r.line for r in res.summary.rejected] == [5]
    assert "message type '来电' is not known" in res.summary.rejected[0].reason


def test_one_character_received_sent(tmp_path: Path) -> None:
    p = tmp_path / "短信.csv"
    p.write_text("时间,号码,收/发,内容\n2025-03-05 09:00:00,17012340001,收,再不还钱我们就上门找你\n"
                 "2025-03-05 09:30:00,17012340001,发,我会报警的\n", encoding="utf-8")
    res = read_both(p, CST)
    assert not res.summary.rejected
    assert [(e.direction, e.speaker) for e in res.events] == [("in", "unknown"), ("out", "debtor")]


def _telegram(path: Path, extra: list[dict], name: str = "李经理") -> Path:
    msgs = [{"id": 1, "type": "message", "date": "2025-03-05T09:00:00", "date_unixtime": "1741136400",
             "from": name, "from_id": "user222", "text": "再不还钱我们就上门找你", "text_entities": []},
            {"id": 2, "type": "message", "date": "2025-03-05T09:30:00", "date_unixtime": "1741138200",
             "from": "张伟", "from_id": "user111", "text": "我会报警的", "text_entities": []}, *extra]
    path.write_text(json.dumps({"name": name, "type": "personal_chat", "id": 222, "messages": msgs},
                               ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _call(i: int, when: str, actor: str, **kw) -> dict:
    t = _at(when)
    return {"id": i, "type": "service", "date": t.strftime("%Y-%m-%dT%H:%M:%S"),
            "date_unixtime": str(int(t.timestamp())), "actor": actor, "actor_id": "user" + str(i),
            "action": "phone_call", "text": "", "text_entities": [], **kw}


def test_telegram_calls_are_calls(tmp_path: Path) -> None:
    p = _telegram(tmp_path / "result.json", [
        _call(3, "2025-03-08 23:10:00", "李经理", discard_reason="missed"),
        _call(4, "2025-03-09 10:00:00", "李经理", duration_seconds=65, discard_reason="hangup"),
        _call(5, "2025-03-09 11:00:00", "李经理", discard_reason="busy"),
        _call(6, "2025-03-09 12:00:00", "张伟", duration_seconds=30, discard_reason="hangup"),
        {"id": 7, "type": "service", "date": "2025-03-09T13:00:00", "actor": "李经理", "action": "pin_message",
         "text": ""},
    ])
    res = read_both(p, CST)
    calls = [(e.time, e.direction, e.status, e.duration_s) for e in res.events if isinstance(e, CallEvent)]
    assert calls == [(_at("2025-03-08 23:10:00"), "in", "missed", 0),
                     (_at("2025-03-09 10:00:00"), "in", "answered", 65),
                     (_at("2025-03-09 11:00:00"), "in", "rejected", 0),
                     (_at("2025-03-09 12:00:00"), "out", "answered", 30)]
    assert res.summary.filtered == 1  # the pinned message only
    out = scan_json(p)
    assert flagged(out, NIGHT, 0, 19) == ["2025-03-08 23:10:00"]


def test_telegram_call_in_a_relatives_chat_is_filtered(tmp_path: Path) -> None:
    p = _telegram(tmp_path / "result.json", [_call(3, "2025-03-08 23:10:00", "妈妈", discard_reason="missed")],
                  name="妈妈")
    res = read_both(p, CST)
    assert not any(isinstance(e, CallEvent) for e in res.events)
    assert body_zh("a Telegram call with a relative (妈妈, 表哥 …), not a collector's")


def test_typed_time_cell_as_time_value(tmp_path: Path) -> None:
    # a clock typed into a time-formatted cell (openpyxl gives a time) beside a date cell
    rows = [(date(2025, 3, 4), time(21, 0, 0), "02158889999", "未接", 0, None)]
    res = read_both(_retyped(tmp_path / "retyped.xlsx", rows), CST)
    assert [(e.time, e.status) for e in res.events] == [(_at("2025-03-04 21:00:00"), "missed")]


UNICOM_TEXT = """中国联通 通话详单
用户号码：138****5678   查询月份：2025年03月

序号 通话起始时间 通话时长 呼叫类型 对方号码 本机通话地 对方归属地 通话类型 优惠项 费用(元)
1 03-03 07:59:59 00:00:35 被叫 17012340001 上海 上海 本地 套餐内 0.00
2 03-03 20:59:59 00:01:00 被叫 02158889999 上海 上海 本地 套餐内 0.00
3 03-04 09:10:00 00:02:05 主叫 13700003333 上海 上海 本地 套餐内 0.00
4 03-08 23:15:40上海 00:00:10 被叫 17012340001 上海 本地 套餐内 0.00 多余
合计 4条 0.00
第1页 共1页
"""


def test_single_space_bill_text_under_a_known_header(tmp_path: Path) -> None:
    # a 通话详单 copied out of a PDF viewer: one space between cells, the date and its clock one cell,
    # the year from the preamble's 查询月份
    p = tmp_path / "联通详单.txt"
    p.write_text(UNICOM_TEXT, encoding="utf-8")
    res = read_both(p, CST)
    assert [(e.time, e.direction, e.from_ or e.to, e.duration_s) for e in res.events] == [
        (_at("2025-03-03 07:59:59"), "in", "17012340001", 35), (_at("2025-03-03 20:59:59"), "in", "02158889999", 60),
        (_at("2025-03-04 09:10:00"), "out", "13700003333", 125)]
    assert res.summary.filtered == 2  # the total and the page marker
    # a row with a cell too many (a glued place split off, one word more) is shown, not guessed
    assert [r.line for r in res.summary.rejected] == [8]
    reason = res.summary.rejected[0].reason
    assert "with one space between cells" in reason and body_zh(reason)
    out = scan_json(p)
    assert flagged(out, NIGHT, 0, 19) == ["2025-03-03 07:59:59"]


def test_single_space_list_without_header_is_still_refused(tmp_path: Path) -> None:
    from checker.io import read_input
    from checker.io.common import InputError

    p = tmp_path / "calls.txt"
    p.write_text("2025-03-05 22:15 17012345679 来电 120\n2025-03-06 07:15 17012345679 未接 0\n"
                 "2025-03-07 09:15 17012345679 来电 60\n", encoding="utf-8")
    try:
        res = read_input(p.name, p.read_bytes(), CST)
    except InputError:
        return
    assert not any(isinstance(e, CallEvent) for e in res.events)


def test_day_month_name_year_and_withheld_caller_words(tmp_path: Path) -> None:
    # an Android call-log app's CSV (dd-MMM-yyyy, INCOMING / MISSED) and an iPhone's No Caller ID
    p = tmp_path / "calllogs.csv"
    p.write_text("Number,Name,Date,Duration,Type\n17012340001,,03-Mar-2025 07:59:59,35,INCOMING\n"
                 "No Caller ID,,06-Mar-2025 06:30:12,0,MISSED\nPrivate number,,3/Mar/2025 21:00:00,0,REJECTED\n",
                 encoding="utf-8")
    res = read_both(p, CST)
    assert [(e.time, e.from_, e.status) for e in res.events] == [
        (_at("2025-03-03 07:59:59"), "17012340001", "answered"), (_at("2025-03-06 06:30:12"), None, "missed"),
        (_at("2025-03-03 21:00:00"), None, "rejected")]
    # a two-digit year after a month name is not guessed
    import pytest

    from checker.io.common import RowError
    from checker.io.times import TimeParser

    with pytest.raises(RowError, match="is not a date"):
        TimeParser(CST).parse("03-Mar-25 07:59:59")
