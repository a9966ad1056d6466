"""Readers, fourth round: files people have edited (invented numbers and names).

One debtor's fortnight (84 calls, 40 messages) was rendered as the files a debtor or a relative
makes of an export — re-saved by Excel, a WPS workbook with a title row, calls and messages on two
sheets, the collectors' rows copied into a new workbook without the header, calls typed by hand, a
call log pasted into Word as a table, messages copied from the phone into a notes app — and read
call by call against the ground truth. These tests hold the defects that comparison found:

* messages copied under date lines as ``07:30 16500001001：…``: the number after a clock alone is the
  sender (it was read as text and given the speaker of the line above — a collector's threat read as
  the debtor's own message, never judged); 我哥 / 我姐 are relatives; the note's title line is not a
  message; a clock-only line below a dated line is on that line's day;
* a Word document with a pasted table: each table row is one line of tab-separated cells (it was one
  line per cell, read as a transcript);
* a workbook with a calls sheet and a messages sheet: both are read (it was refused);
* a call log without its header row: the columns are told by their values, with a note (it was
  refused);
* a call log typed by hand: a 情况 column of 接了 / 没接 / 挂了 / 我打的, and 早上8点 / 9点半 / 3点钟.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import read_both, scan_json

from checker.io import read_input
from checker.io.common import InputError
from checker.web.plain import body_zh

CST = timezone(timedelta(hours=8))
NUMBERS = "速易借: 95188001 4008009000 02161234567\n好分期: 075583216666 17012345678 16500001001\n"


def _read(tmp_path: Path, name: str, data: bytes | str, **kw):
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_both(p, CST, **kw)


def _zh_all(notes) -> None:
    for n in notes:
        body = n.split(": ", 1)[1]
        assert body_zh(body) is not None, body


# --- 1. messages copied from the phone into a notes app ------------------------------------------

NOTES = """3月份收到的短信（从手机抄的）

2025年3月4日
07:30 16500001001：再不还款我们就去你单位找你领导
12:00 我：我这周五还一部分
12:01 17012345678：周五之前必须全额结清
13:20 我哥：有人打电话到我这里说你欠钱了？
2025年3月5日
09:10 95188001：您已被列入失信黑名单，影响子女上学
22:30 16500001001：明天上午十点前还款
"""


def test_a_number_after_a_clock_is_the_sender_not_the_text(tmp_path):
    res = _read(tmp_path, "备忘录.txt", NOTES)
    got = [(e.time.strftime("%m-%d %H:%M"), e.speaker, e.from_, e.text) for e in res.events]
    assert got == [
        ("03-04 07:30", "unknown", "16500001001", "再不还款我们就去你单位找你领导"),
        ("03-04 12:00", "debtor", None, "我这周五还一部分"),
        ("03-04 12:01", "unknown", "17012345678", "周五之前必须全额结清"),  # was the debtor's (line above)
        ("03-04 13:20", "third_party", None, "有人打电话到我这里说你欠钱了？"),  # 我哥: a relative
        ("03-05 09:10", "unknown", "95188001", "您已被列入失信黑名单，影响子女上学"),
        ("03-05 22:30", "unknown", "16500001001", "明天上午十点前还款")]
    assert res.summary.filtered == 1  # the title line
    assert any("a title line above the chat's first date" in n for n in res.notes)
    _zh_all(res.notes)


def test_the_notes_app_messages_are_judged_by_the_collectors_numbers(tmp_path):
    p = tmp_path / "备忘录.txt"
    p.write_text(NOTES, encoding="utf-8")
    nums = tmp_path / "numbers.txt"
    nums.write_text(NUMBERS, encoding="utf-8")
    out = scan_json(p, "--numbers", str(nums), "--debtor", "13912345678")
    cats = {(f["source"]["line"], f["category"]) for f in out["findings"]}
    assert (4, "contact.inconvenient_time") in cats and (4, "threat.visit") in cats  # 07:30, 单位找你领导
    assert (10, "contact.inconvenient_time") in cats  # 22:30
    assert (9, "false_legal.consequence") in cats
    assert not any(line in (5, 7) for line, _c in cats)  # the debtor's and the brother's lines


def test_a_clock_alone_below_a_dated_line_is_on_its_day(tmp_path):
    res = _read(tmp_path, "n.txt", "3月4日 07:30 16500001001：还钱\n12:00 我：好\n21:40 16500001001：快点\n"
                                   "2025年3月 短信\n")
    assert [e.time for e in res.events[:3]] == [datetime(2025, 3, 4, 7, 30, tzinfo=CST),
                                                datetime(2025, 3, 4, 12, 0, tzinfo=CST),
                                                datetime(2025, 3, 4, 21, 40, tzinfo=CST)]


@pytest.mark.parametrize("label", ["我哥", "我姐", "我的弟", "我舅"])
def test_one_kinship_character_after_wo_is_a_relative(label):
    from checker.io.pasted import is_family_label

    assert is_family_label(label)
    assert not is_family_label("哥") and not is_family_label("小哥")


# --- 2. a Word document with a pasted table ------------------------------------------------------

def _docx(rows: list[list[str]], before: str = "催收电话记录（整理）", after: str = "以上是我整理的。") -> bytes:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def cell(text: str) -> str:  # a cell may hold two paragraphs (a line break typed in it)
        paras = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in text.split("\n"))
        return f"<w:tc>{paras}</w:tc>"
    tr = "".join("<w:tr>" + "".join(cell(c) for c in r) + "</w:tr>" for r in rows)
    body = (f"<w:p><w:r><w:t>{before}</w:t></w:r></w:p><w:tbl>{tr}</w:tbl>"
            f"<w:p><w:r><w:t>{after}</w:t></w:r></w:p>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>{body}'
                   "</w:body></w:document>")
    return buf.getvalue()


def test_a_table_pasted_into_word_is_read_as_the_call_log_it_is(tmp_path):
    data = _docx([["通话时间", "对方号码", "呼叫类型", "通话时长"],
                  ["2025-03-04 07:40:00", "02161234567", "未接来电", "0"],
                  ["2025-03-04 21:00:00", "075583216666", "已拒接", "0"],
                  ["2025-03-05 09:00:00", "13600001111", "呼入", "1分\n20秒"]])
    res = _read(tmp_path, "记录.docx", data)
    assert res.summary.format == "calllog"
    assert [(e.time.strftime("%d %H:%M"), e.from_, e.status, e.duration_s) for e in res.events] == [
        ("04 07:40", "02161234567", "missed", 0), ("04 21:00", "075583216666", "rejected", 0),
        ("05 09:00", "13600001111", "answered", 80)]
    # the line below the table is counted, never dropped
    assert [r.line for r in res.rejected] == [6]


# --- 3. calls and messages on two sheets of one workbook -----------------------------------------

def test_a_workbook_with_a_calls_sheet_and_a_messages_sheet_reads_both(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "电话"
    ws.append(["通话时间", "号码", "类型", "时长"])
    ws.append(["2025-03-04 07:40:00", "02161234567", "未接来电", 0])
    ws.append(["2025-03-04 08:00:00", "02161234567", "呼入", 95])
    ws2 = wb.create_sheet("短信")
    ws2.append(["时间", "号码", "类型", "内容"])
    ws2.append([datetime(2025, 3, 4, 22, 30), "16500001001", "接收", "明天上午十点前还款"])
    p = tmp_path / "我的记录.xlsx"
    wb.save(p)
    res = read_both(p, CST)
    assert res.summary.format == "calllog+messages"
    assert [(e.channel, e.time.strftime("%H:%M")) for e in res.events] == [
        ("call", "07:40"), ("call", "08:00"), ("sms", "22:30")]
    assert res.events[2].text == "明天上午十点前还款"
    assert any("sheet '电话' a call log, sheet '短信' a message table" in n for n in res.notes)
    _zh_all(res.notes)
    from checker.web.plain import format_zh
    assert format_zh(res.summary.format) == "通话记录、短信表格"


# --- 4. a call log without its header row --------------------------------------------------------

def test_collector_rows_copied_into_a_new_workbook_without_the_header(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([datetime(2025, 3, 4, 7, 40), "02161234567", "未接来电", 0])
    ws.append([datetime(2025, 3, 4, 8, 0), "02161234567", "呼入", 95])
    ws.append([datetime(2025, 3, 4, 21, 0), "075583216666", "已拒接", 0])
    p = tmp_path / "复制的.xlsx"
    wb.save(p)
    res = read_both(p, CST)
    assert [(e.line if hasattr(e, "line") else e.source.line, e.status) for e in res.events] == [
        (1, "missed"), (2, "answered"), (3, "rejected")]
    assert any("no header row; the columns were told by their values (time column 1, number column 2, "
               "call type column 3, duration column 4)" in n for n in res.notes)
    _zh_all(res.notes)


def test_a_headerless_csv_is_read_and_an_unclear_one_still_refused(tmp_path):
    res = _read(tmp_path, "calls.csv", "2025/3/4 7:40,02161234567,未接,0\n2025/3/4 8:00,02161234567,呼入,95\n"
                                      "2025/3/5 6:55,16500001001,拒接,0\n")
    assert [(e.time.hour, e.from_, e.status) for e in res.events] == [
        (7, "02161234567", "missed"), (8, "02161234567", "answered"), (6, "16500001001", "rejected")]
    # two columns of numbers: which is the other party cannot be told — refused, as before
    with pytest.raises(InputError, match="header is not one collcheck knows"):
        read_input("c.csv", "2025/3/4 7:40,02161234567,13912345678,未接\n2025/3/4 8:00,02161234567,13912345678,呼入\n"
                   .encode(), CST)



def test_a_damaged_row_in_a_headerless_log_is_rejected_not_the_file(tmp_path):
    """One row whose time cannot be read among the first rows: that row is rejected with its line
    and reason, the others are read — the file is not refused for it."""
    res = _read(tmp_path, "calls.csv", "2025/3/4 7:40,02161234567,未接,0\n2025/3/4 22:40,02161234567,呼入,95\n"
                                      "昨天晚上,16500001001,拒接,0\n2025/3/5 6:55,16500001001,拒接,0\n")
    assert [(e.time.hour, e.status) for e in res.events] == [(7, "missed"), (22, "answered"), (6, "rejected")]
    assert [r.line for r in res.rejected] == [3] and "昨天晚上" in res.rejected[0].reason
    # a header nobody knows, whose columns hold no times at all, stays refused
    with pytest.raises(InputError, match="header is not one collcheck knows"):
        read_input("c.csv", "开始,对方,情形\nfoo,bar,baz\nqux,quux,corge\n".encode(), CST)

# --- 5. calls typed by hand ----------------------------------------------------------------------

def test_calls_typed_by_hand(tmp_path):
    res = _read(tmp_path, "手记.csv", "2025年3月 催收电话（我自己记的）\n时间,号码,情况,备注\n"
                "3月4日 早上8点,02161234567,接了,催收\n3月4日 晚上9点半,075583216666,没接,催收\n"
                "3月5日 下午3点钟,17012345678,挂了,\n3月5日 晚上9点40,17012345678,挂断,\n"
                "3/5 7:40pm,13600001111,我打的,我妈\n3月6日 6:55,16500001001,没有接,\n")
    assert [(e.time.strftime("%d %H:%M"), e.direction, e.status) for e in res.events] == [
        ("04 08:00", "in", "answered"), ("04 21:30", "in", "missed"), ("05 15:00", "in", "rejected"),
        ("05 21:40", "in", "rejected"), ("05 19:40", "out", None), ("06 06:55", "in", "missed")]


def test_a_typed_log_without_a_year_says_how_to_give_it(tmp_path):
    p = tmp_path / "手记.csv"
    p.write_text("时间,号码,情况\n3月4日 早上8点,02161234567,接了\n", encoding="utf-8")
    res = read_input(p.name, p.read_bytes(), CST)
    assert not res.events and "a line above the header that names the year (2025年3月)" in res.rejected[0].reason
    reason = ("time '3月4日 早上8点' has no year and the file does not say which; expected e.g. 2024/3/5 7:58, "
              "or a line above the header that names the year (2025年3月)")
    assert "2025年3月" in body_zh(reason)
