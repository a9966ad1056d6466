"""Readers, eighth round: a blind sweep of what a debtor or a volunteer hands over (invented data).

One debtor's three weeks (58 calls, 60 messages: 106 / 95 / mobile collectors, a court's SMS, threats,
insults, fake legal notices, relatives' calls; calls and messages at 07:59 / 08:00 / 20:59 / 21:00)
were rendered in 24 shapes as phones, backup apps and spreadsheets produce them, without reading the
readers first, and compared record by record. These tests hold what that found:

* an Excel serial day written as text (a date-time column formatted General, saved as CSV:
  ``45719.3333333333``) was cut to the second below — 08:00:00 read as 07:59:59, a lawful call made a
  night call; it is now rounded to the nearest second, as Excel shows it (a workbook's date cell a
  hair under the second likewise);
* notes typed under a hand-made table (``注：时长为0表示未接通``, ``整理人：李娜``, ``以上共58条``) were
  rejected rows ("no time", "not a date"), so the page said rows could not be read; a row whose one
  filled cell is such a note is filtered, with its reason (``注意…`` in a message stays rejected);
* a typed status column that asks ``是否接听`` (是 / 否) was not known: every call was read without a
  status, missed calls uncounted as attempts; 是 is answered, 否 missed;
* a ZIP of the evidence folder was refused without saying what was in it; the message now names the
  files inside (a Chinese Windows's GBK names shown in Chinese, a Mac's ``__MACOSX`` left out), so the
  person knows what to upload after unzipping.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest
from conftest import NIGHT, scan_json

from checker.io import InputError, read_input
from checker.web.plain import body_zh

CST = timezone(timedelta(hours=8))
FIX = Path(__file__).parent / "fixtures" / "readers12"


def _read(name: str, data: bytes | None = None):
    return read_input(name, data if data is not None else (FIX / name).read_bytes(), CST)


def test_excel_serial_text_rounds_to_the_nearest_second() -> None:
    res = _read("serial_times.csv")
    assert [e.time.strftime("%Y-%m-%d %H:%M:%S") for e in res.events] == [
        "2025-03-03 08:00:00", "2025-03-03 07:55:00", "2025-03-04 21:00:00", "2025-03-12 21:00:05"]
    out = scan_json(FIX / "serial_times.csv")
    night = [f["time"][:19] for f in out["findings"] if f["rule"] == NIGHT]
    assert night == ["2025-03-03T07:55:00"]  # 08:00:00 is no night call


def test_a_workbook_time_a_hair_under_the_second_is_that_second(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["通话时间", "号码", "类型", "时长"])
    ws.append([datetime(2025, 3, 3, 7, 59, 59, 999_000), "17712340001", "未接来电", 0])
    ws.append([datetime(2025, 3, 3, 7, 59, 30, 400_000), "17712340001", "未接来电", 0])
    b = io.BytesIO()
    wb.save(b)
    res = _read("serials.xlsx", b.getvalue())
    assert [e.time.strftime("%H:%M:%S") for e in res.events] == ["08:00:00", "07:59:30"]


def test_notes_typed_under_a_table_are_filtered_not_rejected() -> None:
    res = _read("excel_gbk_footer.csv")
    assert res.rejected == []
    assert res.summary.events == 4 and res.summary.rows == 7
    assert [e.time.strftime("%m-%d %H:%M") for e in res.events] == ["03-03 07:59", "03-03 08:00", "03-04 21:00",
                                                                    "03-05 19:30"]


def test_notes_under_a_wps_sheet_with_a_merged_title_and_serial_dates(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "张伟手机通话记录（2025年3月3日-3月23日）"
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["序号", "日期", "时间", "对方号码", "呼叫类型", "通话时长"])
    ws.append([1, datetime(2025, 3, 3), "07:59:30", 17712340001, "未接来电", "0秒"])
    ws.append([2, datetime(2025, 3, 3), "08:00:00", 17712340001, "呼入", "45秒"])
    ws.append([])
    ws.append(["注：以上记录根据手机通话记录逐条抄录，共2条。"])
    ws.append(["整理人：李娜（志愿者）  2025年3月24日"])
    b = io.BytesIO()
    wb.save(b)
    res = _read("通话记录整理.xlsx", b.getvalue())
    assert res.rejected == [] and res.summary.events == 2 and res.summary.filtered == 2
    assert [e.time.strftime("%H:%M:%S") for e in res.events] == ["07:59:30", "08:00:00"]


def test_a_message_cut_out_of_its_columns_that_starts_with_a_note_word_stays_rejected() -> None:
    data = ("时间,号码,类型,内容\n2025-03-05 10:00:00,10690000123,接收,您好\n注意：您的账单已逾期\n"
            "说明：请马上还款\n").encode()
    res = _read("msgs.csv", data)
    assert len(res.events) == 1 and len(res.rejected) == 2


def test_a_yes_no_answered_column_says_missed_and_answered() -> None:
    res = _read("yes_no_status.csv")
    assert [e.status for e in res.events][:4] == ["answered", "missed", "missed", "missed"]
    out = scan_json(FIX / "yes_no_status.csv")
    assert any("未接通的拨打 7 次" in f["evidence"] for f in out["findings"]), [f["evidence"] for f in out["findings"]]


def test_an_unknown_word_in_a_yes_no_column_is_still_rejected_with_its_reason() -> None:
    data = "时间,号码,是否接听\n2025-03-05 10:00:00,17712340001,也许\n2025-03-05 11:00:00,17712340001,是\n".encode()
    res = _read("typed.csv", data)
    assert len(res.events) == 1 and "也许" in res.rejected[0].reason


def test_a_zip_of_the_evidence_folder_names_the_files_inside() -> None:
    with pytest.raises(InputError) as e:
        _read("evidence_gbk_names.zip")
    msg = str(e.value)
    assert "holding 通话记录.csv, 短信.txt; unzip it" in msg
    assert "MACOSX" not in msg and "DS_Store" not in msg
    zh = body_zh(msg.split(": ", 1)[1])
    assert zh is not None and "通话记录.csv、短信.txt" in zh and "解压" in zh
