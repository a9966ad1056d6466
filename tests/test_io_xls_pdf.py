"""Old binary Excel (.xls) workbooks and PDF bills / chats, end to end.

The .xls files are committed fixtures written once with xlwt by
tests/fixtures/xls/make_xls.py (its EXPECTED says what to read); the PDFs are written
here with fpdf2 and the Chinese font collcheck ships (tests/fixtures/make_pdf.py)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT, read_both, run_cli

from checker.io import InputError, read_input
from checker.model import CallEvent, MessageEvent

FIX = Path(__file__).resolve().parent / "fixtures"
XLS = FIX / "xls"
TZ = ZoneInfo("Asia/Shanghai")
NIGHT = "cn.contact.inconvenient_time.night_22_08"


def _import(name: str, where: Path):
    sys.path.insert(0, str(where))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(where))


make_xls = _import("make_xls", XLS)
make_pdf = _import("make_pdf", FIX)


def _other(e) -> str | None:
    """The other party's number (the caller of an incoming call, the callee of an outgoing one)."""
    return e.from_ if e.direction == "in" else e.to


def _scan_json(*args: str) -> dict:
    p = run_cli("scan", *args, "--format", "json")
    assert p.returncode in (0, 1), p.stderr.decode()
    assert "Traceback" not in p.stderr.decode()
    return json.loads(p.stdout)


def _refused(path: Path, *words: str) -> str:
    p = run_cli("scan", str(path))
    err = p.stderr.decode()
    assert p.returncode == 2 and "Traceback" not in err, err
    assert path.name in err and all(w in err for w in words), err
    return err


# ---------------------------------------------------------------------------------------------
# .xls

def test_xls_carrier_bill_reads_like_xlsx():
    path = XLS / "cmcc_bill_202403.xls"
    want = make_xls.EXPECTED[path.name]
    res = read_both(path, TZ)  # the in-memory and the streaming reader agree, no row lost
    s = res.summary
    assert (s.format, s.encoding) == (want["format"], "xls")
    assert (s.rows, s.events, s.filtered) == (want["rows"], want["events"], want["filtered"])
    assert s.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    got = [(r.reason.split("'")[1], r.line) for r in res.rejected]
    assert got == want["rejected"]  # every rejected row names its sheet and its Excel row
    assert "8.61659E+12" in res.rejected[0].reason and "8.62E+12" in res.rejected[1].reason
    assert "2024-02-30" in res.rejected[2].reason and "很久" in res.rejected[3].reason
    calls = [e for e in res.events if isinstance(e, CallEvent)]
    assert len(calls) == 7
    # serial dates are the right datetimes, to the second
    want_times = [t for t, *_ in make_xls.MARCH + make_xls.APRIL]
    assert [c.time.replace(tzinfo=None) for c in calls] == want_times
    assert all(c.time.utcoffset().total_seconds() == 8 * 3600 for c in calls)
    # numbers stored as floats come out as their digits (the landline's lost 0 is added where
    # it is shown, as for an XLSX numeric cell: see test_xls_carrier_bill_findings)
    assert [_other(c) for c in calls[:5]] == ["17012345678", "17012345678", "13800138000", "2188886666",
                                             "17012345678"]
    assert not any(_other(c).endswith(".0") for c in calls)
    assert [c.direction for c in calls[:5]] == ["in", "in", "out", "in", "in"]
    assert [c.duration_s for c in calls[:4]] == [83, 83, 45, 30]
    assert calls[4].status == "missed"
    # the first sheet's records keep FILE:ROW ids, the second sheet's are SHEET!ROW
    assert calls[0].id == "cmcc_bill_202403.xls:6" and calls[-1].id == "cmcc_bill_202403.xls:4月!7"


def test_xls_carrier_bill_findings():
    doc = _scan_json(str(XLS / "cmcc_bill_202403.xls"))
    night = sorted(f["time"] for f in doc["findings"] if f["rule"] == NIGHT)
    assert night == ["2024-03-05T07:40:12+08:00", "2024-03-05T22:31:09+08:00", "2024-04-02T06:15:30+08:00"]
    assert len(night) == make_xls.EXPECTED["cmcc_bill_202403.xls"]["night"]
    landline = next(f for f in doc["findings"] if f["rule"] == NIGHT and f["time"].endswith("22:31:09+08:00"))
    assert "02188886666" in landline["evidence"]
    inp = doc["inputs"][0]
    assert (inp["format"], inp["encoding"]) == ("calllog", "xls")
    assert [r["line"] for r in inp["rejected"]] == [11, 12, 13, 8]


def test_xls_messages_in_the_1904_date_system():
    path = XLS / "sms_export_1904.xls"
    want = make_xls.EXPECTED[path.name]
    res = read_both(path, TZ)
    s = res.summary
    assert (s.format, s.encoding, s.rows, s.events, len(s.rejected)) == \
        (want["format"], "xls", want["rows"], want["events"], 0)
    msgs = [e for e in res.events if isinstance(e, MessageEvent)]
    assert [m.time.replace(tzinfo=None) for m in msgs] == [t for t, *_ in make_xls.SMS]
    assert [_other(m) for m in msgs] == ["10690000123"] * 3  # not 10690000123.0
    assert [m.direction for m in msgs] == ["in", "out", "in"]
    assert "上门找你家人" in msgs[0].text
    doc = _scan_json(str(path))
    assert any(f["time"] == "2024-03-05T21:40:00+08:00" and f["category"] != "contact.inconvenient_time"
               for f in doc["findings"])


@pytest.mark.parametrize("name, words", [
    ("empty_sheet.xls", ("holds no data", "'Sheet1'")),
    ("encrypted.xls", ("password-protected",)),
])
def test_xls_refused_with_a_reason(name, words):
    path = XLS / name
    with pytest.raises(InputError) as e:
        read_input(name, path.read_bytes(), TZ)
    assert name in str(e.value) and all(w in str(e.value) for w in words)
    _refused(path, *words)


def test_xls_damaged_or_not_a_workbook(tmp_path):
    data = (XLS / "cmcc_bill_202403.xls").read_bytes()
    cut = tmp_path / "cut.xls"
    cut.write_bytes(data[:3000])
    _refused(cut, "cannot be read")
    with pytest.raises(InputError, match="holds a table"):
        read_input("bill.xls", data, TZ, input_format="transcript")


def test_xls_fixtures_are_what_the_script_writes(tmp_path):
    pytest.importorskip("xlwt")  # only where the fixtures are made, never a dependency
    for p in make_xls.write_all(tmp_path):
        assert p.read_bytes() == (XLS / p.name).read_bytes(), p.name


# ---------------------------------------------------------------------------------------------
# PDF

@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("pdf")
    return {"bill": make_pdf.bill(d / "bill.pdf"), "wechat": make_pdf.wechat(d / "wechat.pdf"),
            "scanned": make_pdf.scanned(d / "scanned.pdf"), "otf": make_pdf.bill(d / "otf.pdf", otf=True)}


def test_pdf_bill_calls(pdfs):
    path = pdfs["bill"]
    res = read_both(path, TZ)
    s = res.summary
    assert (s.format, s.encoding) == ("calllog", "pdf")
    assert s.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()  # the PDF's own hash
    calls = [e for e in res.events if isinstance(e, CallEvent)]
    rows = make_pdf.bill_calls()
    good = [r for r in rows if not r[0].startswith("2024-03-07 25")]
    assert len(calls) == len(good) == make_pdf.BILL["events"]
    assert [c.time.replace(tzinfo=None) for c in calls] == [datetime.fromisoformat(r[0]) for r in good]
    assert [_other(c) for c in calls] == [r[2] for r in good]
    assert [c.direction for c in calls] == ["out" if r[3] == "主叫" else "in" for r in good]
    assert [c.duration_s for c in calls[:3]] == [83, 45, 0]
    # the row whose 通信地点 is blank is read with its cells under the right columns
    blank = next(c for c in calls if c.time.hour == 22)
    assert (_other(blank), blank.direction, blank.duration_s) == (make_pdf.COLLECTOR, "in", 12)
    # page footers and the second page's header are filtered, not rejected
    assert s.filtered == 3 and s.rows == s.events + s.filtered + len(s.rejected)
    # the bad row names its page and the line on that page; its line is a line of the text
    assert len(res.rejected) == make_pdf.BILL["rejected"]
    bad = res.rejected[0]
    assert bad.reason.startswith("page 2, line 2: ") and "25:61" in bad.reason
    assert any("text layer" in n and "page 2 starts at line" in n for n in res.notes)


def test_pdf_bill_findings(pdfs):
    doc = _scan_json(str(pdfs["bill"]))
    night = [f for f in doc["findings"] if f["rule"] == NIGHT]
    assert len(night) == make_pdf.BILL["night"]
    assert {f["time"][11:16] for f in night} == {"07:50", "22:10"}
    inp = doc["inputs"][0]
    assert inp["sha256"] == hashlib.sha256(pdfs["bill"].read_bytes()).hexdigest()
    assert all(f["source"]["sha256"] == inp["sha256"] for f in doc["findings"])
    assert [r["reason"][:16] for r in inp["rejected"]] == ["page 2, line 2: "]


def test_pdf_wechat_chat(pdfs):
    res = read_both(pdfs["wechat"], TZ)
    s = res.summary
    assert (s.format, s.encoding, s.events, len(s.rejected)) == ("wechat-text", "pdf", 3, 0)
    msgs = [e for e in res.events if isinstance(e, MessageEvent)]
    assert [m.time.strftime("%H:%M:%S") for m in msgs] == ["21:13:02", "21:15:40", "22:40:11"]
    assert "老赖" in msgs[2].text and "家里人" in msgs[2].text  # a message wrapped over two lines is one
    doc = _scan_json(str(pdfs["wechat"]), "--debtor", "阿强")
    cats = {f["category"] for f in doc["findings"]}
    assert "contact.third_party" in cats and "contact.inconvenient_time" in cats


def test_pdf_scanned_is_refused(pdfs):
    _refused(pdfs["scanned"], "a scanned PDF with no text")


def test_pdf_garbled_text_is_refused_not_misread(pdfs):
    """fpdf2's OpenType font encoding comes out of the extraction one character at a
    time: an error, never a table read wrong or judged as transcript text."""
    _refused(pdfs["otf"], "cannot be decoded cleanly")


def test_pdf_locked_damaged(pdfs, tmp_path):
    from pypdf import PdfWriter

    locked = tmp_path / "locked.pdf"
    w = PdfWriter(clone_from=str(pdfs["bill"]))
    w.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    w.write(str(locked))
    _refused(locked, "password-protected PDF")
    # encrypted against editing only: opens with the empty password, as many bills do
    open_ = tmp_path / "no_edit.pdf"
    w = PdfWriter(clone_from=str(pdfs["bill"]))
    w.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    w.write(str(open_))
    assert read_input("no_edit.pdf", open_.read_bytes(), TZ).summary.events == make_pdf.BILL["events"]
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(pdfs["bill"].read_bytes()[:400])
    _refused(cut, "cannot be read")


def test_binary_readers_are_imported_only_when_needed():
    """Start-up of `collcheck scan -` does not grow: xlrd and pypdf load with such a file."""
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "checker", "scan", "-"],
                       input="催收员：你好，请按时还款。\n".encode(), capture_output=True, cwd=ROOT, timeout=300)
    assert p.returncode in (0, 1), p.stderr.decode()[-2000:]
    imported = {ln.split("|")[-1].strip() for ln in p.stderr.decode().splitlines() if "|" in ln}
    assert not {m for m in imported if m.split(".")[0] in ("xlrd", "pypdf")}
