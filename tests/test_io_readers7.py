"""Readers, third round (invented numbers and names).

Part 1 — known gaps:
* English call-log times without the comma (``Mar 5 2025 at 7:40:12 PM``, ``5 Mar 2025 19:40``);
* 晚 / 早 / 凌晨 / 中午 / 傍晚 / 夜里 clocks, with a date column or in one cell;
* 已挂断 / 已挂 / 挂断 (a rejected incoming call), 对方已挂断 / 呼叫失败 (the person's own call);
* cells merged down in an old .xls workbook (xlrd's merged ranges);
* a bill with a 通信方式 主叫 / 被叫 column beside a 呼叫类型 of statuses (未接通): the direction
  column decides;
* WeChat voice / video call notices in chat exports are calls, never text.

Part 2 — one debtor's fortnight of messages (tests/fixtures/readers7/, see its README) in
message-export shapes the other tests do not have.
"""

from __future__ import annotations

import struct
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import scan_json

from checker.io import read_input

CST = timezone(timedelta(hours=8))
HERE = Path(__file__).parent / "fixtures"


def _read(tmp_path: Path, name: str, text: str, **kw):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    res = read_input(name, p.read_bytes(), CST, **kw)
    s = res.summary
    assert s.events + s.filtered + len(s.rejected) == s.rows
    return res


def _cats(out: dict) -> dict[int, set[str]]:
    got: dict[int, set[str]] = {}
    for f in out["findings"]:
        got.setdefault(f["source"]["line"], set()).add(f["category"])
    return got


# --- 1. English call-log times ------------------------------------------------------------------

def test_english_call_log_times_with_and_without_commas(tmp_path):
    res = _read(tmp_path, "iphone.csv", "Name,Number,Date,Type,Duration\n"
                ",17012345679,Mar 5 2025 at 7:40:12 PM,Incoming,35\n"
                ',17012345679,"Mar 5, 2025 at 7:40 PM",Incoming,35\n'
                ",17012345679,5 Mar 2025 19:40,Missed,0\n"
                ",17012345679,5 March 2025 07:05,Missed,0\n"
                ',17012345679,"March 6, 2025 at 9:05 p.m.",Incoming,12\n')
    assert not res.rejected
    assert [e.time for e in res.events] == [
        datetime(2025, 3, 5, 19, 40, 12, tzinfo=CST), datetime(2025, 3, 5, 19, 40, tzinfo=CST),
        datetime(2025, 3, 5, 19, 40, tzinfo=CST), datetime(2025, 3, 5, 7, 5, tzinfo=CST),
        datetime(2025, 3, 6, 21, 5, tzinfo=CST)]


# --- 2. 晚 / 早 / 凌晨 / 中午 / 傍晚 / 夜里 ---------------------------------------------------------

@pytest.mark.parametrize("clock, want", [
    ("晚7:40", (5, 19, 40)), ("晚上7:40", (5, 19, 40)), ("早7:40", (5, 7, 40)), ("早上7:59", (5, 7, 59)),
    ("凌晨1:05", (5, 1, 5)), ("凌晨12:30", (5, 0, 30)), ("中午12:10", (5, 12, 10)), ("中午1:10", (5, 13, 10)),
    ("傍晚6:30", (5, 18, 30)), ("夜里11:20", (5, 23, 20)), ("夜间10:10", (5, 22, 10)), ("晚21:15", (5, 21, 15)),
    # 12 o'clock at night is midnight at the end of the day written: 00:xx of the next day
    ("夜里12:20", (6, 0, 20)), ("晚上12:05", (6, 0, 5)), ("晚12:05", (6, 0, 5)),
])
def test_chinese_day_part_clocks(tmp_path, clock, want):
    d, h, m = want
    for name, text in (("cols.csv", f"号码,类型,日期,时间,时长\n17012345679,呼入,2025-03-05,{clock},30\n"),
                       ("cell.csv", f"号码,类型,时间,时长\n17012345679,呼入,2025-03-05 {clock},30\n"),
                       ("cn.csv", f"号码,类型,时间,时长\n17012345679,呼入,2025年3月5日 {clock},30\n")):
        res = _read(tmp_path, name, text)
        assert not res.rejected, (name, res.rejected)
        assert res.events[0].time == datetime(2025, 3, d, h, m, tzinfo=CST), name


def test_an_hour_over_12_after_a_morning_word_is_rejected(tmp_path):
    res = _read(tmp_path, "bad.csv", "号码,类型,时间,时长\n17012345679,呼入,2025-03-05 早19:40,30\n")
    assert len(res.rejected) == 1 and "早" in res.rejected[0].reason


# --- 3. 已挂断 / 对方已挂断 / 呼叫失败 -----------------------------------------------------------------

def test_hang_up_call_types(tmp_path):
    res = _read(tmp_path, "hang.csv", "号码,类型,时间,时长\n"
                "17012345679,已挂断,2025-03-05 21:40,0\n"
                "17012345679,已挂,2025-03-05 21:41,\n"
                "17012345679,挂断,2025-03-05 21:42,0\n"
                "17012345679,已挂断,2025-03-05 21:43,25\n"   # talk time: answered, then hung up
                "17012345679,对方已挂断,2025-03-05 21:44,0\n"
                "17012345679,呼叫失败,2025-03-05 21:45,0\n"
                "17012345679,来电 已挂断,2025-03-05 21:46,0\n")
    assert not res.rejected
    got = [(e.direction, e.status) for e in res.events]
    assert got == [("in", "rejected"), ("in", "rejected"), ("in", "rejected"), ("in", "answered"),
                   ("out", None), ("out", None), ("in", "rejected")]


# --- 4. merged cells in an old .xls workbook ---------------------------------------------------

_END, _FREE, _FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def _workbook_stream(data: bytes) -> bytes:
    """The Workbook stream of a small compound file (regular 512-byte sectors, one FAT sector)."""
    fat_sector = struct.unpack_from("<I", data, 76)[0]
    fat = struct.unpack_from("<128I", data, 512 + fat_sector * 512)
    d = struct.unpack_from("<I", data, 48)[0]
    start, size = struct.unpack_from("<II", data, 512 + d * 512 + 128 + 116)  # entry 1: Workbook
    out, s = b"", start
    while s not in (_END, _FREE):
        out += data[512 + s * 512: 512 + (s + 1) * 512]
        s = fat[s]
    return out[:size]


def _compound(stream: bytes) -> bytes:
    """A compound file of one stream, Workbook: its sectors, then the directory, then the FAT."""
    stream += b"\0" * (-len(stream) % 512)
    n = len(stream) // 512
    fat = list(range(1, n)) + [_END, _END, _FATSECT]
    fat += [_FREE] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16le") if name else b""
        e = raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
        return e + struct.pack("<III", _FREE, _FREE, child) + b"\0" * 36 + struct.pack("<IQ", start, size)

    dirs = entry("Root Entry", 5, 1, _END, 0) + entry("Workbook", 2, _FREE, 0, len(stream))
    dirs += entry("", 0, _FREE, _FREE, 0) * 2
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    head += b"\0" * 6 + struct.pack("<9I", 0, 1, n, 0, 4096, _END, 0, _END, 0)
    head += struct.pack("<109I", n + 1, *([_FREE] * 108))
    return head + stream + dirs + struct.pack("<128I", *fat)


def _merge_down(src: Path, dst: Path, col: int, first: int, last: int) -> None:
    """The .xls ``src`` with the cells below (first, col) down to row ``last`` of its last
    sheet blanked and (first .. last, col) merged — a PDF-to-Excel bill's day written once."""
    wb = _workbook_stream(src.read_bytes())
    recs, pos = [], 0
    while pos + 4 <= len(wb):
        t, n = struct.unpack_from("<HH", wb, pos)
        recs.append((t, wb[pos + 4: pos + 4 + n]))
        pos += 4 + n
        if t == 0 and n == 0:
            break
    last_bof = max(i for i, r in enumerate(recs) if r[0] == 0x0809)
    out = b""
    for i, (t, body) in enumerate(recs):
        if i > last_bof and t in (0x0203, 0x027E):  # NUMBER / RK in the merged range: a BLANK now
            r, c, xf = struct.unpack_from("<HHH", body)
            if c == col and first < r <= last:
                t, body = 0x0201, struct.pack("<HHH", r, c, xf)
        if i > last_bof and t == 0x000A:  # before the sheet's EOF: MERGEDCELLS
            mc = struct.pack("<5H", 1, first, last, col, col)
            out += struct.pack("<HH", 0x00E5, len(mc)) + mc
        out += struct.pack("<HH", t, len(body)) + body
    dst.write_bytes(_compound(out))


def test_a_start_time_merged_down_in_an_old_xls_reads_every_row(tmp_path):
    import xlrd

    p = tmp_path / "merged.xls"
    _merge_down(HERE / "xls" / "cmcc_bill_202403.xls", p, col=1, first=5, last=7)
    sheet = xlrd.open_workbook(str(p), formatting_info=True).sheet_by_name("4月")
    assert sheet.merged_cells == [(5, 8, 1, 2)] and sheet.cell_value(6, 1) == ""
    res = read_input(p.name, p.read_bytes(), CST)
    april = [e for e in res.events if e.time and e.time.month == 4]
    # rows 6 and 7 (Excel numbering) had the merged value only on row 6; row 8 is rejected for its duration
    assert [e.source.line for e in april] == [6, 7]
    assert april[0].time == april[1].time
    assert not [r for r in res.rejected if "no time" in r.reason]
    assert [r.line for r in res.rejected if "4月" in r.reason] == [8]


# --- 5. a direction column beside a call type of statuses -----------------------------------------

def test_the_direction_column_decides_a_bare_unconnected(tmp_path):
    res = _read(tmp_path, "bill.csv", "起始时间,通信地点,通信方式,对方号码,通信时长,通信类型,呼叫类型\n"
                "2025-03-05 21:40:00,北京,被叫,17012345679,0秒,本地,未接通\n"
                "2025-03-05 21:50:00,北京,主叫,17012345679,0秒,本地,未接通\n"
                "2025-03-05 22:00:00,北京,被叫,17012345679,30秒,本地,已接通\n"
                "2025-03-05 22:10:00,北京,被叫,17012345679,0秒,本地,已挂断\n"
                "2025-03-05 22:20:00,北京,被叫,17012345679,0秒,本地,对方已挂断\n")
    assert not res.rejected
    assert [(e.direction, e.status) for e in res.events] == [
        ("in", "missed"), ("out", "missed"), ("in", "answered"), ("in", "rejected"), ("in", "missed")]
    assert any("gives the direction" in n for n in res.notes)


def test_a_call_type_column_with_directions_is_still_the_call_type(tmp_path):
    res = _read(tmp_path, "phone.csv", "号码,呼叫类型,通话方式,时间,时长\n"
                "17012345679,未接通,电话,2025-03-05 21:40,0\n17012345679,被叫,电话,2025-03-05 21:50,30\n")
    assert [(e.direction, e.status) for e in res.events] == [("out", None), ("in", "answered")]


# --- 6. WeChat voice / video calls ---------------------------------------------------------------

CALLS_TXT = """速易借-王经理 2025-03-05 21:40:02
[语音通话] 通话时长 00:35

速易借-王经理 2025-03-05 21:45:10
语音通话 已取消

速易借-王经理 2025-03-05 21:50:00
视频通话 对方已拒绝

速易借-王经理 2025-03-05 21:55:00
[Voice Call] Duration 01:02

速易借-王经理 2025-03-05 22:05:00
通话要是再取消，我们就拒绝协商了

阿强 2025-03-05 22:06:00
[语音通话] 已取消
"""


def test_chat_call_notices_are_calls_not_text(tmp_path):
    from checker.model import CallEvent

    res = _read(tmp_path, "calls.txt", CALLS_TXT, debtor="阿强")
    got = [(type(e) is not CallEvent and isinstance(e, CallEvent), e.channel, e.direction,
            getattr(e, "status", None), getattr(e, "duration_s", None)) for e in res.events]
    assert got == [(True, "call", "in", "answered", 35.0), (True, "call", "in", "missed", None),
                   (True, "call", "in", "rejected", None), (True, "call", "in", "answered", 62.0),
                   (False, "wechat", "in", None, None), (True, "call", "out", "missed", None)]
    assert [e.text for e in res.events if isinstance(e, CallEvent)] == [None] * 5
    assert any("call notice" in n for n in res.notes)


def test_chat_calls_count_for_frequency_and_hours_and_stay_judged_with_numbers(tmp_path):
    p = tmp_path / "calls.txt"
    p.write_text(CALLS_TXT, encoding="utf-8")
    nums = tmp_path / "nums.txt"
    nums.write_text("17000000000\n", encoding="utf-8")
    for extra in ((), ("--numbers", str(nums))):
        out = scan_json(p, "--debtor", "阿强", *extra)
        cats = _cats(out)
        assert cats[1] == {"contact.inconvenient_time"}  # 21:40 answered call
        assert cats[10] == {"contact.inconvenient_time", "contact.excessive_frequency"}  # the fourth attempt
        assert 16 not in cats  # the person's own call
        assert not [f for f in out["findings"] if f["source"]["line"] < 13
                    and not f["category"].startswith("contact.")]
        ev = [f["evidence"] for f in out["findings"] if f["source"]["line"] == 1][0]
        assert "微信通话" in ev and "速易借-王经理" in ev


# --- Part 2: one fortnight in six message-export shapes (tests/fixtures/readers7) ------------------

R7 = HERE / "readers7"
EXPECTED = __import__("json").loads((R7 / "expected.json").read_text(encoding="utf-8"))
SHAPES = {  # file: (--debtor, times to the second?, the export names the contacts?)
    "hisuite_sms.csv": (None, True, True),
    "oppo_backup.vmsg": (None, True, False),
    "iphone_smsdb.csv": (None, True, False),
    "google_messages.json": (None, True, True),
    "wechat_merged_forward.txt": ("阿强", False, True),
    "dingtalk_chat.txt": ("阿强", False, True),
}


def _by_message(name: str) -> tuple[list, dict[int, int]]:
    debtor, _, _ = SHAPES[name]
    res = read_input(name, (R7 / name).read_bytes(), CST, debtor=debtor)
    s = res.summary
    assert (s.rows, s.events, s.filtered, len(s.rejected)) == (60, 60, 0, 0), (name, s.rejected[:3])
    index = {m["text"]: i for i, m in enumerate(EXPECTED)}
    line_of = {}
    for ev in res.events:
        line_of[ev.source.line] = index[ev.text.strip()]  # every message's words, whole
    return res.events, line_of


@pytest.mark.parametrize("name", list(SHAPES))
def test_every_message_is_read_with_its_time_and_side(name):
    events, line_of = _by_message(name)
    _, seconds, _ = SHAPES[name]
    assert sorted(line_of.values()) == list(range(60))
    for ev in events:
        m = EXPECTED[line_of[ev.source.line]]
        want = datetime.fromisoformat(m["time"])
        assert ev.time == (want if seconds else want.replace(second=0)), (name, m["text"])
        mine = ev.direction == "out" or ev.speaker == "debtor"
        assert mine == m["sent"], (name, m["text"])


def _findings(name: str) -> dict[int, set[str]]:
    debtor, _, _ = SHAPES[name]
    _, line_of = _by_message(name)
    out = scan_json(R7 / name, *(("--debtor", debtor) if debtor else ()))
    got: dict[int, set[str]] = {i: set() for i in range(60)}
    for f in out["findings"]:
        got[line_of[f["source"]["line"]]].add(f["category"])
    return got


def test_the_shapes_give_the_same_findings_message_by_message():
    """The readers agree: every shape gives each collector message the findings the HiSuite CSV
    gives it (the rules' own misses and extras, the same in every shape, are not the readers'),
    the contact-hours finding exactly where the labels put it, and the person's own messages none.
    A mother's messages are exempt where the export names her (妈妈); a .vmsg or sms.db export
    has no names, so hers are judged there like any number's."""
    ref = _findings("hisuite_sms.csv")
    for name, (_, _, named) in SHAPES.items():
        got = ref if name == "hisuite_sms.csv" else _findings(name)
        for i, m in enumerate(EXPECTED):
            hours = "contact.inconvenient_time" in got[i]
            if m["sent"]:
                assert not got[i], (name, m["text"])
            elif m["who"] != "mom" or named:
                assert got[i] == ref[i], (name, m["text"])
                assert hours == ("inconvenient_time" in m["labels"]), (name, m["text"])


def test_an_emailed_collection_notice_is_one_message():
    p = R7 / "collection_notice.eml"
    res = read_input(p.name, p.read_bytes(), CST)
    assert res.summary.format == "sms-text" and res.summary.rows == 1 and len(res.events) == 1
    ev = res.events[0]
    assert ev.time == datetime(2025, 3, 5, 23, 40, tzinfo=CST) and ev.from_ == "legal@suyijie.example"
    assert "移交法院" in ev.text and "去你单位" in ev.text and ev.speaker == "unknown"
    cats = {f["category"] for f in scan_json(p)["findings"]}
    assert {"contact.inconvenient_time", "threat.visit"} <= cats


def test_vmsg_drafts_are_filtered_and_a_cut_block_rejected(tmp_path):
    text = ("BEGIN:VMSG\r\nVERSION:1.1\r\nBEGIN:VCARD\r\nTEL:17012345679\r\nEND:VCARD\r\nX-BOX:DRAFT\r\n"
            "BEGIN:VBODY\r\nDate:2025/03/05 21:40:02\r\n草稿\r\nEND:VBODY\r\nEND:VMSG\r\n"
            "BEGIN:VMSG\r\nBEGIN:VCARD\r\nFN:李专员\r\nTEL:170 1234 5679\r\nEND:VCARD\r\nX-BOX:INBOX\r\n"
            "BEGIN:VBODY\r\nDate:2025/03/05 22:40:02\r\n"
            "Subject;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=E8=BF=98=E9=92=B1\r\nEND:VBODY\r\nEND:VMSG\r\n"
            "BEGIN:VMSG\r\nX-BOX:INBOX\r\nBEGIN:VBODY\r\nDate:2025/03/05 22:41:00\r\n半截")
    res = _read(tmp_path, "b.vmsg", text)
    assert res.summary.filtered == 1 and [r.line for r in res.rejected] == [23]
    assert [(e.text, e.from_, e.time.hour) for e in res.events] == [("还钱", "17012345679", 22)]


def test_a_batch_record_with_call_notice_text_stays_a_message(tmp_path):
    """The batch contract (JSONL) says each record's channel: a wechat record whose text reads
    like a call notice stays a message, and the streaming path (--format jsonl) and the whole-file
    path (--format json) give the same findings."""
    import json

    from conftest import run_cli

    p = tmp_path / "batch.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "a1", "channel": "wechat", "time": "2025-03-05T21:40:00+08:00", "speaker": "collector",
         "from": "王经理", "text": "[语音通话] 通话时长 00:35"},
        {"id": "a2", "channel": "wechat", "time": "2025-03-05T21:41:00+08:00", "speaker": "collector",
         "from": "王经理", "text": "语音通话 已取消"}]) + "\n", encoding="utf-8")
    whole = scan_json(p)
    streamed = run_cli("scan", str(p), "--format", "jsonl")
    assert streamed.returncode == 1, streamed.stderr
    lines = [json.loads(x) for x in streamed.stdout.splitlines() if x.strip()]
    assert [(f["record"], f["evidence"]) for f in whole["findings"]] == [(f["record"], f["evidence"]) for f in lines]
    assert all("微信消息" in f["evidence"] for f in whole["findings"]) and len(lines) == 2
    assert b"call notice" not in run_cli("scan", str(p), "--format", "json").stderr


def test_an_unreadable_email_or_vmsg_is_not_told_to_name_columns(tmp_path):
    """No row of an e-mail or a .vmsg backup could be read: exit 2 with the file and the reason, and
    no --columns advice (they have no columns; a table does get it: test_io_calllog_gaps.py)."""
    from conftest import run_cli

    (tmp_path / "a.eml").write_text("From: x\nSubject: y\nDate: garbage\n\n", encoding="utf-8")
    (tmp_path / "b.vmsg").write_text("BEGIN:VMSG\r\n", encoding="utf-8")
    for name, why in (("a.eml", "an e-mail with no text"), ("b.vmsg", "with no END:VMSG")):
        r = run_cli("scan", str(tmp_path / name))
        err = r.stderr.decode()
        assert r.returncode == 2 and f"{name}: no row could be read" in err and why in err, err
        assert "--columns" not in err and "Traceback" not in err
