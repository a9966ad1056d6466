"""Readers, seventh round: a blind sweep of message and call-transcript exports (invented data).

One debtor's three weeks (tests/fixtures/readers11/truth.py: SMS from 106 / 95 / mobile senders,
WeChat, messages to his mother, six recorded calls) were rendered in 21 export shapes without
reading the readers first, and compared record by record. These tests hold what that found:

* messages typed with a Chinese clock after the date (``2025年3月9日13时05分``, ``晚上11点40分``,
  ``凌晨2点15分``, ``上午8点``) were filtered as the file's "title" — a threat and an insult at
  night lost in silence; they are now messages at that time (``8点前`` in a message is never a time);
* a call transcript whose title line ends with a date and time (``通义听悟 | 催收电话 2025-03-12
  20:59``, ``17012345678  2025年3月9日 21:00``) above ``发言人1 00:01`` / ``对方 00:02`` blocks was
  read as ONE WeChat message from the title's "nickname": every turn merged, the debtor's own words
  judged; it is now a transcript, one turn per block;
* 腾讯会议's ``会议时间：2025/03/14 10:30:00-10:31:20 (GMT+08:00)`` (a range and a zone) was not
  read as the call's start, so no turn had a time; it now dates the turns (in the zone it names);
* 小米's title ``通话录音  17012345678`` was read as a turn of an unknown speaker; it is filtered;
* ``[00:00:01.450] 说话人1：…`` offsets under the call's start time were read as clocks on that day
  (00:00:01 — every turn "at midnight"); they are now the start plus the offset;
* a typed date with its weekday in brackets before the clock (``2025年3月9日（星期日）23时``) was
  not read (the line had no time); it is, and ``23时`` alone is on the hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from conftest import EVENING, NIGHT, read_both, scan_json

from checker.io import read_input

CST = timezone(timedelta(hours=8))
FIX = Path(__file__).parent / "fixtures" / "readers11"


def _at(s: str) -> datetime:
    return datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=CST)


def test_typed_chinese_clocks_are_message_times_not_a_title() -> None:
    res = read_both(FIX / "typed_cn_clocks.txt", CST)
    assert res.summary.format == "text"
    assert res.summary.filtered == 0 and not res.summary.rejected
    assert [e.time for e in res.events] == [
        _at("2025-03-09 13:05"), _at("2025-03-09 23:40"), _at("2025-03-10 02:15"), _at("2025-03-07 20:59"),
        _at("2025-03-07 21:00"), _at("2025-03-06 07:59"), _at("2025-03-06 08:00")]
    assert res.events[0].text.startswith("你欠速易借")
    assert res.events[0].from_ == "17012345678"  # the number after the time is the sender


def test_typed_chinese_clocks_judged_at_their_hours() -> None:
    out = scan_json(FIX / "typed_cn_clocks.txt")
    hours = {(f["rule"], f["source"]["line"]) for f in out["findings"] if f["rule"] in (NIGHT, EVENING)}
    # 23:40, 02:15, 21:00 and 07:59 are inconvenient; 13:05, 20:59 and 08:00 (上午8点) are not
    assert hours == {(NIGHT, 2), (NIGHT, 3), (EVENING, 5), (NIGHT, 6)}
    assert any(f["source"]["line"] == 2 and "insult" in f["rule"] for f in out["findings"])


def test_a_deadline_after_the_date_is_not_a_clock() -> None:
    text = "2025年3月9日 13:05 17012345678：最后通知\n2025年3月10日8点前必须还款，否则后果自负\n"
    res = read_input("typed.txt", text.encode(), CST)
    # the second line starts with a date but 8点前 is a deadline: no time read, never a title, and kept
    assert [e.time for e in res.events] == [_at("2025-03-09 13:05"), None]
    assert any("2025年3月10日8点前" in n for n in res.notes)


def test_a_line_with_a_date_and_a_clock_is_never_filtered_as_the_title() -> None:
    text = "3月份收到的短信（从手机抄的）\n2025年3月9日傍晚6点半 17012345678：你再不还钱试试\n"
    res = read_input("typed.txt", text.encode(), CST)
    assert res.summary.filtered == 1  # the real title only
    assert [e.time for e in res.events] == [_at("2025-03-09 18:30")]


def test_tingwu_blocks_under_a_dated_title_are_a_transcript() -> None:
    res = read_both(FIX / "tingwu_titled.txt", CST)
    assert res.summary.format == "transcript"
    assert len(res.events) == 12 and res.summary.filtered == 1  # the title
    assert {e.speaker for e in res.events} == {"unknown"}  # 发言人1 / 发言人2 say nobody
    assert res.events[0].text == "王先生，我是信和的张经理。"
    named = read_input("tingwu.txt", (FIX / "tingwu_titled.txt").read_bytes(), CST, collector_speakers=("发言人1",))
    assert [e.speaker for e in named.events][:2] == ["collector", "debtor"]


def test_phone_transcript_blocks_under_number_and_time_are_one_call() -> None:
    res = read_both(FIX / "phone_blocks_titled.txt", CST)
    assert res.summary.format == "transcript"
    assert len(res.events) == 14
    assert [e.speaker for e in res.events][:2] == ["collector", "debtor"]  # 对方 / 我
    assert res.events[0].time == _at("2025-03-09 21:00") + timedelta(seconds=2)
    out = scan_json(FIX / "phone_blocks_titled.txt")
    lines = {f["source"]["line"] for f in out["findings"]}
    assert not lines & {e.source.line for e in res.events if e.speaker == "debtor"}


def test_a_chat_with_dated_headers_is_still_a_chat() -> None:
    chat = ("信和-张经理 2025-03-15 21:30:00\n还不回？\n\n王小明 2025-03-15 21:35:00\n00:05 我就睡了\n\n"
            "信和-张经理 2025-03-16 06:45:00\n今天再不还钱就发你公司群\n")
    assert read_input("chat.txt", chat.encode(), CST).summary.format == "wechat-text"


def test_tencent_meeting_time_range_dates_the_turns() -> None:
    res = read_both(FIX / "tencent_range.txt", CST)
    assert res.summary.format == "transcript"
    assert res.events[0].time == _at("2025-03-14 10:30") + timedelta(seconds=1)
    assert res.events[-1].time == _at("2025-03-14 10:30") + timedelta(seconds=72)
    # the zone the header names: 10:30 in GMT+09:00 is 09:30 in Beijing
    text = (FIX / "tencent_range.txt").read_text(encoding="utf-8").replace("GMT+08:00", "GMT+09:00")
    res9 = read_input("tencent.txt", text.encode(), CST)
    assert res9.events[0].time == _at("2025-03-14 09:30") + timedelta(seconds=1)


def test_xiaomi_title_with_the_number_is_not_a_turn() -> None:
    res = read_both(FIX / "xiaomi_titled.txt", CST)
    assert res.summary.format == "transcript" and res.summary.filtered == 1
    assert len(res.events) == 12 and all(e.speaker in ("collector", "debtor") for e in res.events)
    assert all(e.time == _at("2025-03-12 20:59") for e in res.events)


def test_bracketed_offsets_under_a_start_time_are_offsets_not_clocks() -> None:
    res = read_both(FIX / "bracket_offsets.txt", CST)
    assert res.summary.format == "transcript" and len(res.events) == 16
    start = _at("2025-03-11 07:59")
    assert res.events[0].time == start + timedelta(seconds=1)  # (to the second)
    assert res.events[-1].time == start + timedelta(seconds=79)
    # without the start time the turns keep no time (as before), never the day's 00:00:01
    body = (FIX / "bracket_offsets.txt").read_text(encoding="utf-8").split("\n", 2)[2]
    assert {e.time for e in read_input("t.txt", body.encode(), CST).events} == {None}


def test_a_typed_chat_at_midnight_keeps_its_clocks() -> None:
    # a typed chat (two date lines): its clocks are clocks, even just after midnight
    chat = "2025年3月8日\n00:00:05 17012345678：还钱\n2025年3月9日\n00:00:05 17012345678：还钱\n00:00:40 我：明天还\n"
    res = read_input("chat.txt", chat.encode(), CST)
    assert res.summary.format == "text"
    assert [e.time for e in res.events] == [_at("2025-03-08 00:00") + timedelta(seconds=5),
                                            _at("2025-03-09 00:00") + timedelta(seconds=5),
                                            _at("2025-03-09 00:00") + timedelta(seconds=40)]


def test_weekday_in_brackets_before_the_clock() -> None:
    res = read_both(FIX / "typed_weekday.txt", CST)
    assert [e.time for e in res.events] == [_at("2025-03-09 23:00"), _at("2025-03-10 23:40"), _at("2025-03-11 22:00")]
    assert not res.notes or not any("not read as a time" in n for n in res.notes)
