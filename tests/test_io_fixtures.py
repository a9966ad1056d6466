"""One realistic file per input format (tests/fixtures/<format>/), each with asserted
counts: data rows, events, rejected rows and their lines, filtered rows, and for
contacts the night contacts (22:00–08:00) and the days with more than 3 connected
calls, judged by the pack's own rules. The counts always add up."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import run_cli

from checker.engine import scan
from checker.io import open_path, read_input

FIX = Path(__file__).resolve().parent / "fixtures"
TZ = ZoneInfo("Asia/Shanghai")
NIGHT = "cn.contact.inconvenient_time.night_22_08"
CONNECTED = "cn.contact.excessive_frequency.connected_calls_daily"

# file, --input-format, sniffed format, encoding, rows, events, rejected lines, filtered, night, days over 3
CASES = [
    ("carrier_bill/cmcc_202403_gbk.csv", None, "calllog", "gb18030", 21, 16, [13, 24], 3, 4, 2),
    ("calllog_csv/same_calls_iso.csv", None, "calllog", "utf-8", 16, 16, [], 0, 4, 2),
    ("calllog_csv/calls_en_12h.csv", None, "calllog", "utf-8", 11, 9, [10, 12], 0, 2, 1),
    ("calllog_utf16/phone_calllog_unicode.txt", None, "calllog", "utf-16", 15, 13, [11, 17], 0, 3, 1),
    ("android_csv/calllog_backup.csv", None, "calllog", "utf-8", 13, 11, [6, 11], 0, 3, 1),
    ("calllog_xml/calls-20240403091245.xml", None, "calllog-xml", "utf-8", 12, 10, [9, 13], 0, 3, 1),
    ("sms_xml/sms-20240403091245.xml", None, "sms-xml", "utf-8", 10, 7, [19], 2, 3, 0),
    ("messages_csv/sms_export.csv", None, "messages", "utf-8-sig", 8, 5, [9, 10], 1, 1, 0),
    ("wechat_csv/memotrace_wangjingli.csv", None, "wechat-csv", "utf-8", 8, 6, [8], 1, 3, 0),
    ("wechat_text/wangjingli_copy.txt", None, "wechat-text", "utf-8", 5, 4, [15], 0, 1, 0),
    ("text/sms_pasted.txt", "text", "text", "utf-8", 5, 5, [], 0, 0, 0),
    ("transcript/call_ab_20240414.txt", None, "transcript", "utf-8", 5, 4, [4], 0, 0, 0),
    ("srt/call_20240412.srt", None, "srt", "utf-8", 6, 4, [13, 20], 0, 0, 0),
    ("vtt/call_20240412.vtt", None, "vtt", "utf-8", 5, 4, [22], 0, 0, 0),
    ("whisper_json/call_20240413.json", None, "whisper-json", "utf-8", 5, 4, [3], 0, 0, 0),
    ("funasr_json/call_20240413_1530.json", None, "funasr-json", "utf-8", 5, 4, [4], 0, 0, 0),
]


def contact_counts(events, pack) -> tuple[int, int]:
    """(night contacts, days over 3 connected calls) as the pack's rules judge them."""
    compiled = pack.subset([NIGHT, CONNECTED]).compiled()
    findings = list(scan(events, compiled, TZ))
    return sum(f.rule == NIGHT for f in findings), sum(f.rule == CONNECTED for f in findings)


@pytest.mark.parametrize(("rel", "fmt_in", "fmt", "enc", "rows", "events", "rejected", "filtered", "night", "days"),
                         CASES, ids=[c[0] for c in CASES])
def test_fixture_counts(pack, rel, fmt_in, fmt, enc, rows, events, rejected, filtered, night, days):
    path = FIX / rel
    res = read_input(rel, path.read_bytes(), TZ, input_format=fmt_in)
    s = res.summary
    assert (s.format, s.encoding) == (fmt, enc)
    assert s.rows == rows
    assert s.events == len(res.events) == events
    assert [r.line for r in res.rejected] == rejected
    assert all(r.reason and r.file == rel for r in res.rejected)
    assert s.filtered == filtered
    assert s.events + s.filtered + len(s.rejected) == s.rows  # nothing is lost
    assert contact_counts(res.events, pack) == (night, days)
    # every event points back at its file, line and hash
    assert all(e.source.file == rel and e.source.sha256 == s.sha256 and e.id.startswith(rel) for e in res.events)
    assert len({e.id for e in res.events}) == len(res.events)
    # the streaming reader gives the same
    reading = open_path(str(path), TZ, name=rel, input_format=fmt_in)
    streamed = list(reading)
    assert streamed == res.events
    assert reading.summary() == s


def test_xlsx_carrier_bill(pack, tmp_path):
    import sys

    sys.path.insert(0, str(FIX))
    try:
        from make_xlsx import EXPECTED, make_xlsx
    finally:
        sys.path.remove(str(FIX))
    path = make_xlsx(tmp_path / "telecom_bill.xlsx")
    res = read_input("telecom_bill.xlsx", path.read_bytes(), TZ)
    s = res.summary
    assert (s.format, s.encoding) == ("calllog", "xlsx")
    assert s.rows == EXPECTED["rows"] and s.events == EXPECTED["events"] and s.filtered == EXPECTED["filtered"]
    got = [(r.reason.split("'")[1] if r.reason.startswith("sheet") else "3月", r.line) for r in res.rejected]
    assert got == EXPECTED["rejected"]
    assert s.events + s.filtered + len(s.rejected) == s.rows
    assert contact_counts(res.events, pack) == (EXPECTED["night"], EXPECTED["days_over"])
    assert any("说明" in n for n in res.notes)  # the cover sheet is named, not silently skipped
    assert len({e.id for e in res.events}) == len(res.events)
    assert any(e.id.startswith("telecom_bill.xlsx:4月!") for e in res.events)


@pytest.mark.parametrize("rel", [c[0] for c in CASES if c[1] is None])
def test_sniffed_by_content_not_by_name(rel, tmp_path):
    """The same bytes under a name that says nothing are read the same way."""
    src = FIX / rel
    dst = tmp_path / "export.dat"
    shutil.copyfile(src, dst)
    a = read_input(rel, src.read_bytes(), TZ).summary
    b = read_input("export.dat", dst.read_bytes(), TZ).summary
    assert (a.format, a.rows, a.events, a.filtered, len(a.rejected)) == \
        (b.format, b.rows, b.events, b.filtered, len(b.rejected))


def _finding_keys(doc: dict) -> list[tuple]:
    """What a finding says, without the record ids and lines that differ between files."""
    return sorted((f["rule"], f["category"], f["severity"], f["time"], f.get("date"), f["evidence"],
                   len(f.get("records") or [])) for f in doc["findings"])


@pytest.mark.parametrize("numbers", [False, True])
def test_carrier_bill_and_clean_csv_give_the_same_findings(numbers):
    """The same calls as a GBK carrier bill (preamble, 上午/下午 times, 1分23秒, a page
    break, junk rows) and as a clean UTF-8 ISO CSV give the same findings."""
    extra = ["--numbers", str(FIX / "carrier_bill" / "collectors.txt")] if numbers else []
    docs = []
    for rel in ("carrier_bill/cmcc_202403_gbk.csv", "calllog_csv/same_calls_iso.csv"):
        p = run_cli("scan", str(FIX / rel), "--format", "json", *extra)
        assert p.returncode == 1, p.stderr.decode()
        assert "Traceback" not in p.stderr.decode()
        docs.append(json.loads(p.stdout))
    bill, clean = docs
    assert _finding_keys(bill) == _finding_keys(clean)
    rules = {f["rule"] for f in bill["findings"]}
    assert NIGHT in rules and CONNECTED in rules
    inp = bill["inputs"][0]
    assert inp["events"] + inp["filtered"] + len(inp["rejected"]) == inp["rows"]
    if numbers:  # mum's call is not a collector's: 03-07 drops to 3 connected calls
        assert sum(f["rule"] == CONNECTED for f in bill["findings"]) == 1
    else:
        assert sum(f["rule"] == CONNECTED for f in bill["findings"]) == 2
