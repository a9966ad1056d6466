"""Generated call logs in random formats and encodings, with junk rows: the reader never
crashes (the only exception it may raise is InputError), and every data row is an
event, a rejected row or a filtered row — events + rejected + filtered == data rows."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from datetime import datetime, timedelta
from xml.sax.saxutils import quoteattr
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.io import InputError, open_path, read_input

TZ = ZoneInfo("Asia/Shanghai")

HEADERS = {
    "time": ["通话起始时间", "起始时间", "呼叫时间", "开始时间", "start_time", "Date/Time", "通话时间"],
    "number": ["对方号码", "号码", "Number", "number", "电话号码"],
    "type": ["呼叫类型", "类型", "通信方式", "Type", "type", "通话类型"],
    "duration": ["通话时长", "通信时长", "通话时长(秒)", "Duration", "duration", "时长"],
}
EXTRA = ["通信地点", "费用", "Name", "套餐优惠", "备注信息"]
TYPES = {
    "zh": ["主叫", "被叫", "未接", "拒接", "呼入", "呼出"],
    "en": ["Incoming", "Outgoing", "Missed", "Rejected"],
    "android": ["1", "2", "3", "5"],
}
PREAMBLE = ["中国移动 个人客户通话详单", "客户姓名：王**", "查询周期：2024年03月01日至2024年03月31日",
            "手机号码：139****0000,,,", "", "说明：本详单仅供参考"]
# Junk text: ASCII, CJK and punctuation that GBK can hold, plus (for Unicode encodings) emoji.
GBK_SAFE = st.characters(codec="gbk", exclude_categories=("Cc", "Cs", "Cn"))
ANY_SAFE = st.characters(exclude_categories=("Cc", "Cs", "Cn"))
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le"]


def fmt_time(t: datetime, style: str) -> str:
    if style == "iso":
        return t.strftime("%Y-%m-%d %H:%M:%S")
    if style == "slash":
        return f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}"
    if style == "cn":
        return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M:%S}"
    if style == "ampm":
        ap = "上午" if t.hour < 12 else "下午"
        return f"{t.year}/{t.month}/{t.day} {ap} {t.hour % 12 or 12}:{t.minute:02d}"
    if style == "yearless":
        return f"{t:%m-%d %H:%M:%S}"
    if style == "epoch":
        return str(int(t.replace(tzinfo=TZ).timestamp() * 1000))
    raise AssertionError(style)


def fmt_duration(s: int, style: str) -> str:
    if style == "secs":
        return str(s)
    if style == "clock":
        return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
    return f"{s // 60}分{s % 60}秒" if s >= 60 else f"{s}秒"


@st.composite
def call_logs(draw):
    container = draw(st.sampled_from(["csv", "csv", "csv", "xml", "xlsx"]))
    encoding = draw(st.sampled_from(ENCODINGS)) if container == "csv" else "utf-8"
    unicode_ok = encoding.startswith("utf")
    alphabet = ANY_SAFE if unicode_ok else GBK_SAFE
    vocab = draw(st.sampled_from(sorted(TYPES)))
    time_style = draw(st.sampled_from(["iso", "slash", "cn", "ampm", "epoch", "yearless"]))
    dur_style = draw(st.sampled_from(["secs", "clock", "cn"]))
    preamble = draw(st.booleans()) or time_style == "yearless"
    n_valid = draw(st.integers(0, 25))
    start = datetime(2024, 3, 1, 0, 0) + timedelta(minutes=draw(st.integers(0, 40000)))
    valid = []
    for i in range(n_valid):
        t = start + timedelta(minutes=37 * i)
        valid.append((t, f"170{draw(st.integers(10_000_000, 99_999_999))}", draw(st.sampled_from(TYPES[vocab])),
                      draw(st.integers(0, 4000))))
    junk_kinds = draw(st.lists(st.sampled_from(["random", "bad_time", "bad_duration", "bad_type", "total", "header",
                                                "blank", "short"]), max_size=12))
    junk_text = [draw(st.lists(st.text(alphabet, max_size=12), min_size=0, max_size=9)) for _ in junk_kinds]
    positions = [draw(st.integers(0, n_valid)) for _ in junk_kinds]
    return dict(container=container, encoding=encoding, vocab=vocab, time_style=time_style, dur_style=dur_style,
                preamble=preamble, valid=valid, junk=list(zip(junk_kinds, junk_text, positions, strict=True)),
                header=[draw(st.sampled_from(HEADERS[k])) for k in ("time", "number", "type", "duration")],
                extra=draw(st.lists(st.sampled_from(EXTRA), max_size=2, unique=True)),
                delimiter=draw(st.sampled_from([",", "\t", ";"])))


def _rows(spec) -> tuple[list[str], list[list[str]], int]:
    """(header, rows after the header, data rows among them)."""
    header = spec["header"] + spec["extra"]
    width = len(header)
    good = []
    for t, number, kind, secs in spec["valid"]:
        row = [fmt_time(t, spec["time_style"]), number, kind, fmt_duration(secs, spec["dur_style"])]
        good.append(row + ["北京"] * (width - 4))
    rows = list(good)
    for kind, text, pos in sorted(spec["junk"], key=lambda j: -j[2]):
        if kind == "random":
            row = [c.replace("\r", " ").replace("\n", " ") for c in text]
        elif kind == "bad_time":
            row = ["2024/13/45 7:58", "17012345678", TYPES[spec["vocab"]][0], "5"] + [""] * (width - 4)
        elif kind == "bad_duration":
            row = [fmt_time(datetime(2024, 3, 9, 10), spec["time_style"]), "17012345678", TYPES[spec["vocab"]][0],
                   "很久"] + [""] * (width - 4)
        elif kind == "bad_type":
            row = [fmt_time(datetime(2024, 3, 9, 10), spec["time_style"]), "17012345678", "视频通话", "5"] + \
                [""] * (width - 4)
        elif kind == "total":
            row = ["合计", "", "", "共10次"] + [""] * (width - 4)
        elif kind == "header":
            row = list(header)
        elif kind == "short":
            row = [fmt_time(datetime(2024, 3, 9, 10), spec["time_style"]), "17012345678"]
        else:
            row = [" "] * width if text else []
        rows.insert(pos, row)
    data_rows = sum(1 for r in rows if any(c.strip() for c in r))
    return header, rows, data_rows


def build(spec) -> tuple[bytes, int]:
    """The file's bytes and how many data rows it holds."""
    if spec["container"] == "xml":
        return _build_xml(spec)
    header, rows, data_rows = _build_table(spec)
    if spec["container"] == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        if spec["preamble"]:
            for line in PREAMBLE:
                ws.append([line])
        ws.append(header)
        for r in rows:
            # a cell starting with = would be written as a formula, which has no value until Excel runs it
            ws.append([("＝" + c[1:] if c.startswith("=") else c) if c.strip() else None for c in r] if r else [])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue(), data_rows
    out = io.StringIO()
    if spec["preamble"]:
        out.write("\n".join(PREAMBLE) + "\n")
    w = csv.writer(out, delimiter=spec["delimiter"], lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    return out.getvalue().encode(spec["encoding"]), data_rows


def _build_table(spec):
    header, rows, data_rows = _rows(spec)
    return header, rows, data_rows


def _build_xml(spec) -> tuple[bytes, int]:
    lines = ["<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>", '<calls count="0">']
    n = 0
    for t, number, _kind, secs in spec["valid"]:
        ms = int(t.replace(tzinfo=TZ).timestamp() * 1000)
        lines.append(f'  <call number="{number}" duration="{secs}" date="{ms}" type="{1 + secs % 3}" '
                     f'contact_name="(Unknown)" />')
        n += 1
    for kind, text, pos in spec["junk"]:
        attrs = " ".join(f"{k}={quoteattr(v)}" for k, v in zip(("number", "duration", "date", "type", "contact_name"),
                                                                 text, strict=False))
        if kind == "header":
            lines.insert(2 + pos, "  <note>not a call</note>")
            continue
        lines.insert(2 + min(pos, n), f"  <call {attrs} />")
        n += 1
    lines.append("</calls>")
    return "\n".join(lines).encode("utf-8"), n


@settings(max_examples=int(os.environ.get("COLLCHECK_HYPOTHESIS_EXAMPLES", "300")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(call_logs())
def test_call_logs_never_crash_and_every_data_row_is_accounted_for(spec):
    data, data_rows = build(spec)
    try:
        res = read_input("gen.log", data, TZ)
    except InputError as e:
        # a generated log always has a header we know: the only allowed failure is a
        # GBK file that happens to decode as UTF-8 text
        assert spec["encoding"] in ("gbk", "gb18030") or data_rows == 0 and spec["container"] == "xml", str(e)
        return
    s = res.summary
    assert s.events + s.filtered + len(s.rejected) == s.rows
    assert s.rows == data_rows, (s, data_rows)
    assert all(r.line >= 1 and r.reason for r in res.rejected)
    enc_ok = s.encoding.replace("gbk", "gb18030").replace("-sig", "") in (
        spec["encoding"].replace("gbk", "gb18030").replace("-sig", ""), "utf-16", "xlsx")
    if spec["container"] != "xml" and enc_ok:
        assert s.events >= len(spec["valid"])  # every good row is an event
    if spec["container"] == "csv":
        # the streaming reader agrees with the in-memory one
        fd, path = tempfile.mkstemp(suffix=".csv")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            try:
                reading = open_path(path, TZ, name="gen.log")
                streamed = list(reading)
            except InputError:
                return
            assert streamed == res.events and reading.summary() == s
        finally:
            os.unlink(path)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_never_crash(data):
    try:
        res = read_input("junk.bin", data, TZ)
    except InputError:
        return
    s = res.summary
    assert s.events + s.filtered + len(s.rejected) == s.rows


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(st.characters(exclude_categories=("Cs",)), max_size=30), max_size=12),
       st.sampled_from(["calllog", "messages", "wechat-csv", "calllog-xml", "sms-xml", "srt", "vtt", "whisper-json",
                        "funasr-json", "wechat-text", "transcript", "text", "jsonl"]))
def test_any_text_under_any_forced_format_never_crashes(lines, fmt):
    data = "\n".join(lines).encode("utf-8")
    try:
        res = read_input("forced.txt", data, TZ, input_format=fmt)
    except InputError:
        return
    s = res.summary
    assert s.events + s.filtered + len(s.rejected) == s.rows
