"""What the call-log readers lose: a debtor's call history over three weeks, built in code (seeded random, so
the same every run), rendered into the call-log shapes a debtor has, read back with collcheck's own readers
and scanned with the same pack and the same numbers file. Every shape must give the same frequency and
contact-hour findings as the same calls scanned from a JSONL batch that says what the shape can say.

The history (2026-10-05 … 2026-10-25, Asia/Shanghai; the debtor is 13912345678):

* collectors, named in the numbers file (``--numbers``, README "Who is judged"): 速易借 with rotating 170 /
  171 numbers and a Shanghai landline (one named line), 花花贷 with two mobiles and a Shenzhen landline
  (another named line), and an unnamed 400 number (a line without a name: pooled for the per-debtor count);
* family (妈妈, 老婆) and deliveries (a courier's mobile, 95338): incoming and outgoing, answered and missed,
  some at night — out of scope with ``--numbers``, in the reference and in every shape alike;
* answered calls with durations, missed, rejected and outgoing calls (the debtor calling back);
* days with many calls of one lender: more than 3 connected calls across its rotating numbers, more than 6
  unanswered attempts from one number, more than 3 attempts; a day whose calls stay at the limit, two
  lenders on one day (counted apart), calls at 23:59:50 and 00:00:10 (two local days);
* calls right at 07:59:00 / 07:59:59 / 08:00:00 / 20:59:59 / 21:00:00 / 21:59:59 / 22:00:00, and random calls
  before 08:00 and from 21:00.

Every call starts at its own second, so a call read back is found again by its time.

The shapes (one test case each):

1. ``android_csv``: an Android call-log CSV (``number, date`` in epoch ms, ``duration`` s, ``type`` 1 in / 2 out /
   3 missed / 5 rejected, ``name``);
2. ``phone_csv_gbk``: a Chinese phone export (姓名, 号码, 类型 呼入 / 呼出 / 未接 / 拒接, 通话时间,
   通话时长 ``1分23秒`` / ``1小时2分5秒``, 归属地) saved as GBK, the landlines written ``021-58889999``;
3. ``bill_csv``: a carrier itemised bill (通话详单) as GBK CSV: a preamble (客户姓名 / 手机号码 / 查询时段), then
   起始时间 ``10-05 08:31:02`` (the year from the preamble), 通信地点, 通信方式 主叫 / 被叫, 对方号码, 通信时长
   ``00:01:23`` (``01:02:05`` for the call over an hour), 通信类型 (charge types: 本地通话 / 国内长途), 费用; a
   ``第1页 共N页`` marker and the header again every 40 rows, a 合计 line at the end;
4. ``bill_xlsx``: the same bill as an XLSX workbook (the start times as real Excel date cells with the year, the
   numbers as numeric cells: ``2158889999`` for the landline 021-58889999, README "Numbers keep their leading zeros");
5. ``android_xml``: an Android call-log backup (``<calls><call number duration date type readable_date
   contact_name/>``), the mobiles written ``+86…``;
6. ``calllog_db``: an Android ``calllog.db`` (table ``calls``), and ``callhistory``: an iPhone
   ``CallHistory.storedata`` (``ZCALLRECORD``: ZDATE seconds since 2001, ZDURATION with a fraction, ZORIGINATED,
   ZANSWERED, ZNAME).

What the shapes can carry, and how the reference JSONL is made to match (it is scanned in the same run, with the
same rules and the same numbers file, never compared against stored numbers — the rules change):

* **Missed and rejected calls.** A carrier bill lists only calls that were connected (billed): missed and
  rejected calls are **not on a bill**, and its reference leaves them out. A bill has no status either: as the
  README says (a call without a status counts as answered when it lasted), its reference gives the duration and
  no status. An iPhone records no rejection: ZANSWERED 0 is a missed call, and its reference says ``missed``
  for a rejected one (both are unanswered attempts). The other shapes carry 1 / 2 / 3 / 5 or 呼入 / 呼出 / 未接 /
  拒接, and their reference says ``answered`` / ``missed`` / ``rejected``.
* **Direction and party.** Every shape says in or out (type codes, 呼入 / 呼出, 主叫 / 被叫, ZORIGINATED) and the
  other party's number; the reference says ``direction``, ``from`` / ``to`` (the debtor's number on the other
  side). Time: every shape has the second; the reference writes it with ``+08:00``.
* **Names.** Family and delivery calls carry the contact's name where the shape has a name column; with
  ``--numbers`` only the listed numbers are judged, so names exempt nothing here.

Compared per rule: for frequency findings the set of (local day, the collector groups of the calls it counts),
for contact-hour findings the set of (local call time, number).

A second test looks below the findings, at each call read back: its local time, its direction, its number
(normalised), its duration where the shape carries one and, for incoming calls, its status (or, without a
status, answered when it lasted); a call lost or an event that matches no call is a mismatch too."""

from __future__ import annotations

import csv
import io
import json
import random
import sqlite3
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from checker.pack import cached_pack
from checker.parties import normalise_number, parse_numbers
from checker.pipeline import run

TZ = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
APPLE = datetime(2001, 1, 1, tzinfo=UTC)
DEBTOR = "13912345678"
START = datetime(2026, 10, 5, tzinfo=TZ)
DAYS = 21

SUYIJIE = ("17012340001", "17112340002", "17112340003", "02158889999")  # 速易借: rotating numbers, one line
HUAHUA = ("17198760001", "17098760002", "075588886666")  # 花花贷
UNNAMED = ("4008123456",)  # a line without a name
COLLECTORS = SUYIJIE + HUAHUA + UNNAMED
FAMILY = {"13800000001": "妈妈", "13800000002": "老婆"}
DELIVERY = {"15500001111": "快递小哥", "95338": "顺丰速运"}
NUMBERS_FILE = ("# 催收号码（一行一个催收方）\n"
                f"速易借: {' '.join(SUYIJIE)}\n"
                f"花花贷：{', '.join(HUAHUA)}\n"
                f"{UNNAMED[0]}\n").encode()


@dataclass(frozen=True)
class Call:
    id: str
    time: datetime  # local (Asia/Shanghai), to the second, unique
    number: str  # the other party
    direction: str  # in / out
    status: str  # answered / missed / rejected (an outgoing call: answered / missed)
    duration: int  # seconds; 0 unless answered
    name: str | None  # the saved contact's name

    @property
    def collector(self) -> bool:
        return self.number in COLLECTORS


@cache
def calls() -> tuple[Call, ...]:
    rng = random.Random(20261005)
    made: dict[datetime, tuple] = {}

    def add(t: datetime, number: str, direction: str = "in", status: str = "answered", duration: int | None = None):
        while t in made:  # every call at its own second
            t += timedelta(seconds=1)
        if duration is None:
            duration = rng.randint(6, 900) if status == "answered" else 0
        made[t] = (number, direction, status, duration)

    def at(day: int, hh: int, mm: int, ss: int = 0) -> datetime:
        return START + timedelta(days=day, hours=hh, minutes=mm, seconds=ss)

    # the calls that matter first, at their exact seconds
    for n, (hh, mm) in enumerate([(9, 2), (10, 15), (11, 40), (14, 5), (16, 30)]):  # 5 connected, rotating
        add(at(2, hh, mm, 7), SUYIJIE[n % 4])
    for n in range(8):  # and 8 unanswered across the rotating numbers
        add(at(2, 9 + n, 41, 13), SUYIJIE[(n + 1) % 4], status="missed" if n % 3 else "rejected")
    for n in range(7):  # 7 missed + 1 rejected from ONE number
        add(at(6, 8, 5 + 9 * n, 30), HUAHUA[0], status="missed")
    add(at(6, 19, 45, 1), HUAHUA[0], status="rejected")
    for hh in (9, 12, 15, 18):  # 4 connected from the unnamed 400 line
        add(at(9, hh, 20, 44), UNNAMED[0])
    for hh in (9, 13, 17):  # 3 connected from 速易借 (at the limit) and 1 from 花花贷 (another lender)
        add(at(11, hh, 3, 3), SUYIJIE[hh % 4])
    add(at(11, 15, 33, 33), HUAHUA[2])
    add(at(13, 23, 59, 50), SUYIJIE[3], duration=95)  # across midnight: two local days
    add(at(14, 0, 0, 10), SUYIJIE[1], duration=40)
    boundary = [(7, 59, 0, "answered"), (7, 59, 59, "missed"), (8, 0, 0, "answered"), (20, 59, 59, "rejected"),
                (21, 0, 0, "answered"), (21, 59, 59, "missed"), (22, 0, 0, "answered")]
    for n, (hh, mm, ss, status) in enumerate(boundary):
        add(at(15, hh, mm, ss), COLLECTORS[n % len(COLLECTORS)], status=status)
    add(at(4, 10, 10, 10), SUYIJIE[0], duration=3725)  # a call over an hour (1小时2分5秒, 01:02:05)
    add(at(15, 7, 30, 0), "13800000001")  # family at night: out of scope
    add(at(15, 22, 30, 0), "13800000002", status="missed")

    # three weeks of everyday calls around them
    statuses = ["answered", "missed", "rejected"]
    for d in range(DAYS):
        day = START + timedelta(days=d)
        for _ in range(rng.randint(1, 5)):
            add(day + timedelta(seconds=rng.randint(8 * 3600 + 1800, 20 * 3600 + 1800)), rng.choice(COLLECTORS),
                status=rng.choices(statuses, [4, 4, 2])[0])
        if rng.random() < 0.35:  # early
            add(day + timedelta(seconds=rng.randint(6 * 3600 + 1800, 8 * 3600 - 1)), rng.choice(COLLECTORS),
                status=rng.choices(statuses, [3, 5, 2])[0])
        if rng.random() < 0.35:  # late
            add(day + timedelta(seconds=rng.randint(21 * 3600, 24 * 3600 - 1)), rng.choice(COLLECTORS),
                status=rng.choices(statuses, [3, 5, 2])[0])
        if rng.random() < 0.3:  # the debtor calls a collector back
            add(day + timedelta(seconds=rng.randint(8 * 3600, 23 * 3600)), rng.choice(COLLECTORS), "out",
                rng.choice(["answered", "missed"]))
        for _ in range(rng.randint(1, 3)):  # family, both ways, any hour
            add(day + timedelta(seconds=rng.randint(6 * 3600, 23 * 3600 + 1800)), rng.choice(list(FAMILY)),
                rng.choice(["in", "out"]), rng.choices(statuses, [6, 2, 1])[0])
        if rng.random() < 0.5:  # deliveries
            add(day + timedelta(seconds=rng.randint(9 * 3600, 20 * 3600)), rng.choice(list(DELIVERY)),
                status=rng.choices(statuses, [5, 2, 1])[0])

    out = []
    for n, t in enumerate(sorted(made), 1):
        number, direction, status, duration = made[t]
        if direction == "out" and status == "rejected":
            status = "missed"
        name = FAMILY.get(number) or DELIVERY.get(number)
        out.append(Call(f"c{n:03d}", t, number, direction, status, duration, name))
    return tuple(out)


def ms(c: Call) -> int:
    return int(c.time.timestamp() * 1000)


def stamp(c: Call) -> str:
    return f"{c.time:%Y-%m-%d %H:%M:%S}"


def clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _csv_line(row) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    return buf.getvalue().rstrip("\n")


ANDROID_TYPE = {("in", "answered"): 1, ("in", "missed"): 3, ("in", "rejected"): 5, ("out", "answered"): 2,
                ("out", "missed"): 2}


# ---------------------------------------------------------------- renderers: calls -> (file name, bytes, {id: line})


def android_csv(cs):
    lines = {c.id: _csv_line([c.number, ms(c), c.duration, ANDROID_TYPE[c.direction, c.status], c.name or ""])
             for c in cs}
    return "calllog.csv", ("number,date,duration,type,name\n" + "\n".join(lines.values()) + "\n").encode(), lines


def _landline_dashed(number: str) -> str:
    if number.startswith("02"):
        return f"{number[:3]}-{number[3:]}"
    if number.startswith("0"):
        return f"{number[:4]}-{number[4:]}"
    return number


def _cn_duration(s: int) -> str:
    if s >= 3600:
        return f"{s // 3600}小时{s // 60 % 60}分{s % 60}秒"
    return f"{s // 60}分{s % 60}秒" if s >= 60 else f"{s}秒"


def phone_csv_gbk(cs):
    kind = {("in", "answered"): "呼入", ("in", "missed"): "未接", ("in", "rejected"): "拒接",
            ("out", "answered"): "呼出", ("out", "missed"): "呼出"}
    place = {"021": "上海", "075": "广东深圳", "400": ""}
    lines = {c.id: _csv_line([c.name or "", _landline_dashed(c.number), kind[c.direction, c.status], stamp(c),
                              _cn_duration(c.duration), place.get(c.number[:3], "上海")]) for c in cs}
    text = "姓名,号码,类型,通话时间,通话时长,归属地\n" + "\n".join(lines.values()) + "\n"
    return "通话记录.csv", text.encode("gbk"), lines


BILL_HEADER = ["起始时间", "通信地点", "通信方式", "对方号码", "通信时长", "通信类型", "费用(元)"]


def _bill_row(c: Call, when) -> list:
    far = c.number.startswith("0755")
    return [when, "上海", "主叫" if c.direction == "out" else "被叫", c.number, clock(c.duration),
            "国内长途" if far else "本地通话", "0.30" if far and c.direction == "out" else "0.00"]


def billed(cs):
    """A bill lists the connected calls only."""
    return [c for c in cs if c.status == "answered"]


PREAMBLE = ["中国移动通信 客户话费详单", "客户姓名：王强", f"手机号码：{DEBTOR}",
            "查询时段：2026年10月01日至2026年10月31日"]


def bill_csv(cs):
    rows, lines = [*PREAMBLE, ",".join(BILL_HEADER)], {}
    bill = billed(cs)
    pages = (len(bill) + 39) // 40
    for n, c in enumerate(bill):
        if n and n % 40 == 0:
            rows += [f"第{n // 40}页 共{pages}页", ",".join(BILL_HEADER)]
        lines[c.id] = _csv_line(_bill_row(c, f"{c.time:%m-%d %H:%M:%S}"))
        rows.append(lines[c.id])
    rows += [f"第{pages}页 共{pages}页", f"合计,,,,{clock(sum(c.duration for c in bill))},,"]
    return "通话详单.csv", ("\n".join(rows) + "\n").encode("gbk"), lines


def bill_xlsx(cs):
    wb = Workbook()
    ws = wb.active
    ws.title = "通话详单"
    for line in PREAMBLE:
        ws.append([line])
    ws.append(BILL_HEADER)
    lines = {}
    for c in billed(cs):
        row = _bill_row(c, c.time.replace(tzinfo=None))
        row[3] = int(c.number)  # a numeric cell, as carriers' downloads store numbers: a landline loses its 0
        ws.append(row)
        ws.cell(ws.max_row, 1).number_format = "yyyy-mm-dd hh:mm:ss"
        lines[c.id] = f"row {ws.max_row}: {stamp(c)} {c.direction} {c.number} {c.duration}s"
    ws.append(["合计", None, None, None, clock(sum(c.duration for c in billed(cs)))])
    buf = io.BytesIO()
    wb.save(buf)
    return "通话详单.xlsx", buf.getvalue(), lines


def android_xml(cs):
    root = ET.Element("calls", count=str(len(cs)), backup_set="5d0e7c1a", backup_date="1792944000000",
                      type="full")
    lines = {}
    for c in cs:
        number = "+86" + c.number if c.number.startswith("1") and len(c.number) == 11 else c.number
        el = ET.SubElement(root, "call", number=number, duration=str(c.duration), date=str(ms(c)),
                           type=str(ANDROID_TYPE[c.direction, c.status]), presentation="1", subscription_id="1",
                           post_dial_digits="", readable_date=f"{c.time:%Y年%m月%d日 %H:%M:%S}",
                           contact_name=c.name or "(Unknown)")
        lines[c.id] = ET.tostring(el, encoding="unicode").strip()
    body = ET.tostring(root, encoding="unicode")
    return "calls-20261026.xml", ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n" + body).encode(), lines


def _serialize(con: sqlite3.Connection) -> bytes:
    con.commit()
    data = bytes(con.serialize())
    con.close()
    return data


def calllog_db(cs):
    con = sqlite3.connect(":memory:")
    con.execute("create table calls (_id integer primary key autoincrement, number text, presentation integer "
                "default 1, date integer, duration integer, type integer, new integer default 0, name text, "
                "countryiso text default 'CN', geocoded_location text)")
    lines = {}
    for c in cs:
        row = (c.number, ms(c), c.duration, ANDROID_TYPE[c.direction, c.status], c.name)
        con.execute("insert into calls (number, date, duration, type, name) values (?, ?, ?, ?, ?)", row)
        lines[c.id] = "calls row " + repr(row)
    return "calllog.db", _serialize(con), lines


def callhistory(cs):
    con = sqlite3.connect(":memory:")
    con.execute("create table ZCALLRECORD (Z_PK integer primary key, Z_ENT integer, Z_OPT integer, ZANSWERED integer, "
                "ZCALLTYPE integer, ZORIGINATED integer, ZDATE timestamp, ZDURATION float, ZADDRESS varchar, "
                "ZNAME varchar, ZISO_COUNTRY_CODE varchar)")
    lines = {}
    for c in cs:
        answered = int(c.status == "answered")
        row = (answered, int(c.direction == "out"), (c.time - APPLE).total_seconds(),
               c.duration + 0.4 * answered, c.number, c.name)
        con.execute("insert into ZCALLRECORD (Z_ENT, Z_OPT, ZCALLTYPE, ZANSWERED, ZORIGINATED, ZDATE, ZDURATION, "
                    "ZADDRESS, ZNAME, ZISO_COUNTRY_CODE) values (2, 1, 1, ?, ?, ?, ?, ?, ?, 'cn')", row)
        lines[c.id] = "ZCALLRECORD row " + repr(row)
    return "CallHistory.storedata", _serialize(con), lines


# ------------------------------------------------------------------ what each shape can say, as JSONL


@dataclass(frozen=True)
class Shape:
    render: object
    status: str  # "full": answered / missed / rejected; "no_rejected": rejected is missed; "none": by duration
    only_connected: bool = False  # missed and rejected calls are not in it (a bill)


SHAPES = {
    "android_csv": Shape(android_csv, "full"),
    "phone_csv_gbk": Shape(phone_csv_gbk, "full"),
    "bill_csv": Shape(bill_csv, "none", only_connected=True),
    "bill_xlsx": Shape(bill_xlsx, "none", only_connected=True),
    "android_xml": Shape(android_xml, "full"),
    "calllog_db": Shape(calllog_db, "full"),
    "callhistory": Shape(callhistory, "no_rejected"),
}


@cache
def rendered(fmt: str):
    """(file name, bytes, {call id: line}, calls carried) for one shape."""
    name, data, lines = SHAPES[fmt].render(calls())
    return name, data, lines, [c for c in calls() if c.id in lines]


def want_status(shape: Shape, c: Call) -> str:
    """The status the shape says (for a shape without one: answered, as every call on it lasted)."""
    return "missed" if shape.status == "no_rejected" and c.status == "rejected" else c.status


def reference(shape: Shape, carried) -> bytes:
    out = []
    for c in carried:
        rec = {"id": c.id, "channel": "call", "direction": c.direction, "time": c.time.isoformat(),
               "from": c.number if c.direction == "in" else DEBTOR, "to": DEBTOR if c.direction == "in" else c.number,
               "duration_s": c.duration}
        if shape.status != "none":
            rec["status"] = want_status(shape, c)
        out.append(json.dumps(rec, ensure_ascii=False))
    return ("\n".join(out) + "\n").encode("utf-8")


def numbers():
    return parse_numbers(NUMBERS_FILE, "collectors.txt")


def _local(t: datetime | None) -> str | None:
    return f"{t.astimezone(TZ):%Y-%m-%d %H:%M:%S}" if t else None


def findings(inputs):
    """{rule: set of keys} — frequency: (local day, collector groups of its calls); any other rule: (local
    time, number) — and the events that were judged."""
    scan, _ = run(inputs, cached_pack("cn"), TZ, directory=numbers())
    events = {ev.id: ev for ev in scan.events}
    out: dict[str, set] = {}
    for f in scan.findings:
        if f.date is not None:
            key = (f.date, tuple(sorted({events[r].collector_group or "?" for r in f.covered_records()})))
        else:
            ev = events[f.record]
            key = (_local(f.time), normalise_number(ev.from_ if ev.direction != "out" else ev.to))
        out.setdefault(f.rule, set()).add(key)
    return out, scan.events


def test_history_has_what_the_rules_look_for():
    cs = calls()
    coll = [c for c in cs if c.collector and c.direction == "in"]
    assert 150 < len(cs) < 400 and len(coll) > 100
    assert {c.status for c in coll} == {"answered", "missed", "rejected"} and any(c.direction == "out" for c in cs)
    clocks = {f"{c.time:%H:%M:%S}" for c in coll}
    assert {"07:59:00", "07:59:59", "08:00:00", "20:59:59", "21:00:00", "21:59:59", "22:00:00"} <= clocks
    assert len({c.time for c in cs}) == len(cs)  # every call at its own second
    assert calls() == calls.__wrapped__()  # deterministic


XFAIL: dict[str, str] = {}


@pytest.mark.parametrize("fmt", [pytest.param(f, marks=pytest.mark.xfail(strict=True, reason=XFAIL[f]))
                                 if f in XFAIL else f for f in SHAPES])
def test_calllog_keeps_findings(fmt):
    shape = SHAPES[fmt]
    name, data, lines, carried = rendered(fmt)
    assert len(carried) == sum(not shape.only_connected or c.status == "answered" for c in calls())
    want, ref_events = findings([(f"reference_{fmt}.jsonl", reference(shape, carried))])
    judged = {c.id for c in carried if c.collector and c.direction == "in"}
    assert judged <= {ev.id for ev in ref_events}  # the reference keeps every incoming collector call
    kept_in = {c.id for c in carried if c.direction == "in"} & {ev.id for ev in ref_events}
    assert kept_in == judged  # and no incoming family or delivery call (the debtor's own calls stay, never judged)
    assert any("frequency" in r for r in want) and any("inconvenient_time" in r for r in want)
    got, _ = findings([(name, data)])
    diffs = []
    for rule in sorted(set(want) | set(got)):
        w, g = want.get(rule, set()), got.get(rule, set())
        if w != g:
            diffs.append(f"{rule}: reference {len(w)}, read {len(g)}; only in the reference {sorted(w - g)[:6]}; "
                         f"only read {sorted(g - w)[:6]}")
    assert not diffs, f"{fmt}: {len(diffs)} rules differ\n" + "\n".join(diffs)


# what a reader loses without (yet) changing a finding: format -> the exact difference
EVENT_XFAIL: dict[str, str] = {}


@pytest.mark.parametrize("fmt", [pytest.param(f, marks=pytest.mark.xfail(strict=True, reason=EVENT_XFAIL[f]))
                                 if f in EVENT_XFAIL else f for f in SHAPES])
def test_calllog_keeps_call_fields(fmt):
    from checker.io import read_input

    shape = SHAPES[fmt]
    name, data, lines, carried = rendered(fmt)
    by_time = {_local(c.time): c for c in carried}
    res = read_input(name, data, TZ)
    s = res.summary
    assert s.events + s.filtered + len(s.rejected) == s.rows  # never a row lost
    assert not s.rejected, f"{fmt}: rows rejected: {s.rejected[:5]}"  # a preamble, page marker or 合计 is filtered
    diffs, seen, stray = [], set(), []
    for ev in res.events:
        c = by_time.get(_local(ev.time))
        if c is None:
            stray.append((_local(ev.time), ev.from_, ev.to, ev.direction))
            continue
        seen.add(c.id)
        number = ev.from_ if ev.direction == "in" else ev.to
        kept = {"channel": ev.channel, "direction": ev.direction, "number": normalise_number(number),
                "duration": round(getattr(ev, "duration_s", None) or 0)}
        want = {"channel": "call", "direction": c.direction, "number": normalise_number(c.number),
                "duration": c.duration}
        if c.direction == "in":
            status = getattr(ev, "status", None)
            if shape.status == "none":
                status = status or ("answered" if (getattr(ev, "duration_s", None) or 0) > 0 else None)
            kept["status"], want["status"] = status, want_status(shape, c)
        if kept != want:
            diffs.append(f"{c.id} {_local(c.time)}: {lines[c.id]!r}: read {kept} want {want}")
    lost = [f"{c.id} {_local(c.time)}: {lines[c.id]!r}" for c in carried if c.id not in seen]
    assert not diffs and not lost and not stray, (
        f"{fmt}: {len(diffs)} of {len(res.events)} calls differ, {len(lost)} of {len(carried)} lost, "
        f"{len(stray)} events match no call\n" + "\n".join(diffs[:10] + lost[:5]) + f"\nstray: {stray[:5]}")
