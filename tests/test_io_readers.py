"""Readers in detail: times, durations, call types, encodings, --columns, unreadable
files, time zones, speakers of ASR output, streaming in constant memory."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import run_cli

from checker.io import InputError, open_path, read_input
from checker.io.common import ReadContext, RowError, make_call
from checker.io.table import call_kind
from checker.io.times import TimeParser, parse_duration
from checker.model import CallEvent, Source

TZ = ZoneInfo("Asia/Shanghai")
FIX = Path(__file__).resolve().parent / "fixtures"


def sh(*a: int) -> datetime:
    return datetime(*a, tzinfo=TZ)


@pytest.mark.parametrize(("text", "want"), [
    ("2024-03-05 07:58:00", sh(2024, 3, 5, 7, 58)),
    ("2024-03-05T07:58:00+08:00", sh(2024, 3, 5, 7, 58)),
    ("2024-03-04T23:58:00Z", sh(2024, 3, 5, 7, 58)),
    ("2024/3/5 7:58", sh(2024, 3, 5, 7, 58)),
    ("2024.3.5 7:58", sh(2024, 3, 5, 7, 58)),
    ("2024年3月5日 07:58:00", sh(2024, 3, 5, 7, 58)),
    ("2024年3月5日7时58分", sh(2024, 3, 5, 7, 58)),
    ("2024年3月5日 星期二 07:58", sh(2024, 3, 5, 7, 58)),
    ("2024/3/5 下午 9:13", sh(2024, 3, 5, 21, 13)),
    ("2024/3/5下午9:13:05", sh(2024, 3, 5, 21, 13, 5)),
    ("2024-03-05 9:13 PM", sh(2024, 3, 5, 21, 13)),
    ("2024-03-05 12:10 AM", sh(2024, 3, 5, 0, 10)),
    ("2024/3/5 中午12:30", sh(2024, 3, 5, 12, 30)),
    ("2024/3/5 凌晨12:30", sh(2024, 3, 5, 0, 30)),
    ("03-05 上午07:58:12", sh(2024, 3, 5, 7, 58, 12)),  # the year from the bill's preamble
    ("1709596680000", sh(2024, 3, 5, 7, 58)),
    ("1709596680", sh(2024, 3, 5, 7, 58)),
    ("20240305075800", sh(2024, 3, 5, 7, 58)),
    ("2024-03-05 07:58:00 +0000", sh(2024, 3, 5, 15, 58)),
    ("Mar 5, 2024 9:13:05 PM", sh(2024, 3, 5, 21, 13, 5)),
    ("下午 9:13", time(21, 13)),
    ("9:13 PM", time(21, 13)),
    ("2024-03-05", date(2024, 3, 5)),
])
def test_times(text, want):
    got = TimeParser(TZ, year=2024).parse(text)
    assert got == want
    if isinstance(want, datetime):
        assert got.tzinfo is not None and got.utcoffset() == want.utcoffset() or got == want


@pytest.mark.parametrize(("text", "why"), [
    ("2024/13/45 7:58", "time '2024/13/45 7:58' is not a date; expected e.g. 2024/3/5 7:58"),
    ("2024-02-30 10:00", "is not a date"),
    ("7:61", "is not a date"),
    ("上午 13:00", "says 上午 but the hour is 13"),
    ("yesterday", "is not a date"),
    ("", "empty"),
])
def test_bad_times_say_why(text, why):
    with pytest.raises(RowError, match=why.replace("(", r"\(").replace(")", r"\)")):
        TimeParser(TZ, year=2024).parse(text)


def test_the_format_cache_gives_what_the_parser_gives():
    """Times sharing a date and hour come from the cache; they must equal a fresh parse."""
    warm = TimeParser(TZ, year=2024)
    for text in ["2024/3/5 上午07:58:12", "2024/3/5 上午07:00:00", "2024/3/5 上午07:59:59", "2024/3/5 下午07:58:12",
                 "2024-03-05 23:59:59", "2024-03-05 23:00:01", "03-05 12:30:00", "03-05 12:00:59",
                 "2024年3月5日 晚上12:10:00", "2024年3月5日 晚上12:59:30", "2024-03-05 24:00:00", "2024-03-05 24:30:00",
                 "2024-03-05 07:61:00", "2024-03-05 07:5x:00"]:
        for _ in range(2):
            try:
                got = warm.parse(text)
            except RowError as e:
                got = str(e)
            try:
                want = TimeParser(TZ, year=2024).parse(text)
            except RowError as e:
                want = str(e)
            assert got == want, text


def test_a_date_without_a_year_needs_one():
    with pytest.raises(RowError, match="has no year"):
        TimeParser(TZ).parse("03-05 07:58")


@pytest.mark.parametrize(("text", "secs"), [
    ("83", 83), ("83秒", 83), ("00:01:23", 83), ("01:23", 83), ("1:02:03", 3723), ("1分23秒", 83),
    ("1小时2分3秒", 3723), ("2分钟", 120), ("1m23s", 83), ("83.5", 83.5), ("0", 0), ("", None), ("--", None),
    # Chinese numerals (a bill typed by hand, an app's words): exact
    ("一分钟", 60), ("两分三十秒", 150), ("十五秒", 15), ("半小时", 1800), ("一个半小时", 5400), ("二十五分钟", 1500),
])
def test_durations(text, secs):
    assert parse_duration(text) == secs


@pytest.mark.parametrize("text", ["-5", "#N/A", "约两分钟", "1:2:3:4", "12:75", "abc"])
def test_bad_durations(text):
    with pytest.raises(RowError, match="is not a duration; expected e.g. 83, 00:01:23 or 1分23秒"):
        parse_duration(text)


@pytest.mark.parametrize(("text", "want"), [
    ("被叫", ("in", None)), ("主叫", ("out", None)), ("呼入", ("in", None)), ("呼出", ("out", None)),
    ("未接", ("in", "missed")), ("未接来电", ("in", "missed")), ("拒接", ("in", "rejected")),
    ("已接来电", ("in", "answered")), ("呼出未接通", ("out", None)), ("被叫-本地", ("in", None)),
    ("Incoming", ("in", None)), ("Outgoing", ("out", None)), ("Missed", ("in", "missed")),
    ("Rejected", ("in", "rejected")), ("Blocked", ("in", "rejected")),
    ("1", ("in", None)), ("2", ("out", None)), ("3", ("in", "missed")), ("4", ("in", "missed")),
    ("5", ("in", "rejected")), ("6", ("in", "rejected")), ("7", ("in", "answered")),
])
def test_call_types(text, want):
    assert call_kind(text) == want


def test_unknown_call_types_are_errors():
    with pytest.raises(RowError, match="not an Android call type"):
        call_kind("9")
    with pytest.raises(RowError, match="主叫, 被叫, 未接, 拒接"):
        call_kind("视频通话")


def test_fast_events_equal_dataclass_events():
    ctx = ReadContext("log.csv", "abc", TZ)
    t = sh(2024, 3, 5, 7, 58)
    fast = make_call(ctx, 7, t, "in", "17012345678", 83, "answered")
    slow = CallEvent(id="log.csv:7", channel="call", source=Source("log.csv", 7, "abc"), time=t, direction="in",
                     from_="17012345678", duration_s=83, status="answered")
    assert fast == slow and hash(fast.source) == hash(slow.source) and repr(fast) == repr(slow)
    assert dataclasses.replace(fast, relation="母亲").relation == "母亲"
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.status = "missed"


# ---------------------------------------------------------------------------------------------
# Encodings and formats

CLEAN = ("开始时间,对方号码,呼叫类型,通话时长\n"
         "2024/3/5 下午 10:13,17012345678,呼入,1分23秒\n"
         "2024/3/5 上午 9:00,17012345678,未接,0\n")


@pytest.mark.parametrize("enc", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings_give_the_same_events(enc):
    base = read_input("a.csv", CLEAN.encode("utf-8"), TZ)
    res = read_input("a.csv", CLEAN.encode(enc), TZ)
    assert res.summary.encoding.replace("gbk", "gb18030") == {"gbk": "gb18030"}.get(enc, enc)
    strip = [(e.time, e.direction, e.status, e.from_, e.duration_s) for e in res.events]
    assert strip == [(e.time, e.direction, e.status, e.from_, e.duration_s) for e in base.events]
    assert len(strip) == 2


def test_unknown_header_lists_the_columns_and_suggests_columns():
    data = "起呼时刻,对端,类别,秒数\n2024-03-05 07:58:00,17012345678,来,83\n".encode()
    with pytest.raises(InputError) as e:
        read_input("odd.csv", data, TZ)
    msg = str(e.value)
    assert "odd.csv" in msg and "'起呼时刻', '对端', '类别', '秒数'" in msg and "--columns" in msg
    res = read_input("odd.csv", data, TZ, columns="time=起呼时刻,number=对端,duration=秒数")
    ev = res.events[0]
    assert (ev.time, ev.from_, ev.duration_s, ev.status) == (sh(2024, 3, 5, 7, 58), "17012345678", 83, "answered")
    assert res.summary.rows == 1


def test_columns_by_number_without_a_header():
    data = "2024-03-05 07:58:00;17012345678;被叫;83\n2024-03-05 08:10:00;17012345678;未接;0\n".encode()
    res = read_input("raw.txt", data, TZ, columns="time=1,number=2,direction=3,duration=4")
    assert [e.status for e in res.events] == ["answered", "missed"]
    assert res.summary.rows == 2


def test_columns_on_the_command_line(tmp_path):
    f = tmp_path / "odd.csv"
    f.write_text("起呼时刻,对端,类别,秒数\n2024-03-05 23:58:00,17012345678,被叫,83\n", encoding="utf-8")
    p = run_cli("scan", str(f), "--format", "json")
    err = p.stderr.decode()
    assert p.returncode == 2 and "--columns" in err and "起呼时刻" in err and "Traceback" not in err
    p = run_cli("scan", str(f), "--format", "json",
                "--columns", "time=起呼时刻,number=对端,direction=类别,duration=秒数")
    assert p.returncode == 1, p.stderr.decode()
    p = run_cli("scan", str(f), "--columns", "colour=red")
    assert p.returncode == 2 and "colour" in p.stderr.decode()


def test_input_format_overrides_sniffing(tmp_path):
    text = "再不还我们就去你单位找你领导\n好的\n"
    assert read_input("m.txt", text.encode(), TZ).summary.format == "transcript"
    res = read_input("m.txt", text.encode(), TZ, input_format="text")
    assert res.summary.format == "text" and {e.channel for e in res.events} == {"sms"}
    with pytest.raises(InputError, match="header"):
        read_input("sms.csv", (FIX / "messages_csv" / "sms_export.csv").read_bytes(), TZ, input_format="calllog")
    f = tmp_path / "calls.whatever"
    f.write_bytes((FIX / "srt" / "call_20240412.srt").read_bytes())
    p = run_cli("scan", str(f), "--input-format", "srt", "--format", "json")
    assert p.returncode in (0, 1) and '"format": "srt"' in p.stdout.decode()


def _xlsx_damaged() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        # a fixed date: the bytes name the test (pytest-xdist workers must collect the same ids)
        z.writestr(zipfile.ZipInfo("xl/workbook.xml", date_time=(2024, 3, 5, 0, 0, 0)), "<not a workbook")
    return buf.getvalue()


@pytest.mark.parametrize(("data", "says"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".xls"),
    (_xlsx_damaged(), "not a readable XLSX"),
    (b"PK\x03\x04garbage", "ZIP"),
    (b"<html><body>not a backup</body></html>", "XML"),
    (b"<smses count='1'><sms address='1' date='x' type='1' body='", "not a readable XML"),
    (b"<?xml version='1.0'?><!DOCTYPE smses [<!ENTITY a 'aaaa'>]><smses><sms body='&a;'/></smses>", "refused"),
    (b"   \n\n", "empty"),
    (b'{"text": "x", "segments": 5}', "Whisper"),
])
def test_unreadable_inputs_are_input_errors(data, says):
    with pytest.raises(InputError, match=says) as e:
        read_input("bad.bin", data, TZ)
    assert "bad.bin" in str(e.value)


def test_unreadable_file_on_the_command_line(tmp_path):
    f = tmp_path / "bill.pdf"
    f.write_bytes(b"%PDF-1.4\n1 0 obj\n")
    p = run_cli("scan", str(f))
    assert p.returncode == 2 and "bill.pdf" in p.stderr.decode() and "Traceback" not in p.stderr.decode()


def test_truncated_xml_keeps_what_came_before_and_names_the_break():
    full = (FIX / "sms_xml" / "sms-20240403091245.xml").read_text(encoding="utf-8")
    cut = full[: full.index("<sms", full.index("95588") - 200)] + '<sms protocol="0" address="955'
    res = read_input("sms.xml", cut.encode(), TZ)
    s = res.summary
    assert s.events >= 4 and res.rejected[-1].reason.startswith("the XML breaks off here")
    assert s.events + s.filtered + len(s.rejected) == s.rows


def test_emoji_written_as_surrogate_pairs_survive():
    res = read_input("s.xml", (FIX / "sms_xml" / "sms-20240403091245.xml").read_bytes(), TZ)
    assert any(e.text and e.text.endswith("\U0001F620") for e in res.events)


def test_unclosed_quote_is_one_rejected_row_naming_the_lines():
    data = ('开始时间,对方号码,呼叫类型,通话时长\n'
            '2024-03-05 09:00:00,"17012345678,被叫,10\n'
            '2024-03-05 10:00:00,17012345678,被叫,10\n').encode()
    res = read_input("q.csv", data, TZ)
    s = res.summary
    assert (s.rows, s.events, [r.line for r in res.rejected]) == (2, 1, [2])  # line 3 is not swallowed
    sms = ('时间,号码,类型,内容\n2024-03-05 09:00:00,1069,接收,"第一行\n第二行"\n'
           '2024-03-05 10:00:00,1069,接收,"没有结尾的引号\n2024-03-05 11:00:00,1069,接收,x\n').encode()
    res = read_input("m.csv", sms, TZ)  # a message may hold a line break: CSV rules decide
    assert res.events[0].text == "第一行\n第二行"
    assert res.summary.rows == 2 and res.summary.events == 2


# ---------------------------------------------------------------------------------------------
# Time zones: naive times are local to --tz; epoch and offset times are instants

def test_naive_times_are_local_to_tz():
    ny = ZoneInfo("America/New_York")
    a = read_input("a.csv", CLEAN.encode(), TZ).events[0].time
    b = read_input("a.csv", CLEAN.encode(), ny).events[0].time
    assert a.replace(tzinfo=None) == b.replace(tzinfo=None) == datetime(2024, 3, 5, 22, 13)
    assert b.utcoffset() == timedelta(hours=-5)


def test_epoch_and_offset_times_are_converted_not_relabelled():
    xml = (FIX / "calllog_xml" / "calls-20240403091245.xml").read_bytes()
    sh_ev = read_input("c.xml", xml, TZ).events[0]
    utc_ev = read_input("c.xml", xml, timezone.utc).events[0]
    assert sh_ev.time == utc_ev.time  # the same instant
    assert sh_ev.time.astimezone(TZ).hour == 7 and utc_ev.time.hour == 23
    data = b"time,number,type,duration\n2024-03-05T14:10:00Z,17012345678,incoming,30\n"
    ev = read_input("o.csv", data, ZoneInfo("America/New_York")).events[0]
    assert ev.time.astimezone(TZ).hour == 22  # a night call for a Shanghai debtor


# ---------------------------------------------------------------------------------------------
# Speakers in ASR output and WeChat: ambiguous labels are never guessed

def test_funasr_spk_ids_are_ambiguous_until_named_or_told_by_what_they_say():
    data = (FIX / "funasr_json" / "call_20240413_1530.json").read_bytes()
    # spk 0 introduces the lender (这里是速易借的贷后专员) and spk 1 never does: 0 is read as the
    # collector, 1 as the debtor, and a note says so and how to say otherwise
    res = read_input("f.json", data, TZ)
    assert [e.speaker for e in res.events] == ["collector", "collector", "debtor", "collector"]
    assert any("0 speaks as the agent" in n and "--collector-speaker 1" in n for n in res.notes)
    # with no cue on either side, never guessed
    plain = data.replace("您好，这里是速易借的贷后专员。".encode(), "喂。".encode()).replace(
        "您的欠款今天必须处理。".encode(), "今天必须处理。".encode())
    res = read_input("f.json", plain, TZ)
    assert {e.speaker for e in res.events} == {"unknown"}
    assert any("--collector-speaker 0" in n for n in res.notes)
    res = read_input("f.json", data, TZ, collector_speakers=("0",))
    assert [e.speaker for e in res.events] == ["collector", "collector", "debtor", "collector"]
    res2 = read_input("f.json", data, TZ, collector_speakers=("spk0",))
    assert [e.speaker for e in res2.events] == [e.speaker for e in res.events]


def test_whisperx_speaker_labels():
    data = ('{"segments": [{"start": 0, "end": 1, "text": "我是法院的", "speaker": "SPEAKER_00"},'
            '{"start": 1, "end": 2, "text": "你是谁", "speaker": "SPEAKER_01"}]}').encode()
    assert [e.speaker for e in read_input("w.json", data, TZ).events] == ["unknown", "unknown"]
    res = read_input("w.json", data, TZ, collector_speakers=("SPEAKER_00",))
    assert [e.speaker for e in res.events] == ["collector", "debtor"]


def test_wechat_nicknames():
    data = (FIX / "wechat_text" / "wangjingli_copy.txt").read_bytes()
    res = read_input("w.txt", data, TZ, collector_speakers=("催收-王经理",))
    assert [e.speaker for e in res.events] == ["collector", "debtor", "collector", "debtor"]
    assert [e.direction for e in res.events] == ["in", "out", "in", "out"]


def test_jsonl_and_whisper_json_are_told_apart():
    jl = b'{"id": "a", "channel": "sms", "text": "segments"}\n{"id": "b", "channel": "sms", "text": "x"}\n'
    assert read_input("x.txt", jl, TZ).summary.format == "jsonl"
    wj = b'{"text": "x", "segments": [{"start": 0, "end": 1, "text": "x"}], "language": "zh"}'
    assert read_input("x.txt", wj, TZ).summary.format == "whisper-json"


# ---------------------------------------------------------------------------------------------
# Filtering and streaming

def test_keep_filter_counts_filtered_rows():
    data = (FIX / "carrier_bill" / "cmcc_202403_gbk.csv").read_bytes()
    res = read_input("b.csv", data, TZ, keep=lambda e: None if e.from_ != "13911112222" and e.to != "13911112222"
                     else "not a collector number")
    s = res.summary
    assert s.events == 14 and s.filtered == 3 + 2
    assert s.events + s.filtered + len(s.rejected) == s.rows == 21
    assert any("not a collector number" in n for n in res.notes)


def test_streaming_reader_holds_neither_the_file_nor_the_events(tmp_path):
    import tracemalloc

    f = tmp_path / "big.csv"
    with f.open("w", encoding="utf-8") as out:
        out.write("start_time,number,type,duration\n")
        base = datetime(2024, 1, 1)
        for i in range(60_000):
            t = base + timedelta(seconds=37 * i)
            out.write(f"{t:%Y-%m-%d %H:%M:%S},1701234{i % 10000:04d},{'incoming' if i % 3 else 'missed'},{i % 300}\n")
    size = f.stat().st_size
    tracemalloc.start()
    try:
        reading = open_path(str(f), TZ)
        n = sum(1 for _ in reading)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == 60_000 and reading.summary().rows == 60_000
    assert peak < size / 4, (peak, size)  # far less than the file: lines are read one at a time
