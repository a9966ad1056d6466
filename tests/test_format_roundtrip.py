"""What the readers lose: the labelled messages of corpus/dev/messages.jsonl rendered, in code, into
the export shapes a debtor has, read back with collcheck's own reader and scanned with the same pack.
Every message must get the same set of finding categories as when the same message is scanned from a
JSONL batch that says what the export can say.

The shapes (one test case each):

1. SMS Backup & Restore XML (``<smses><sms address date type body readable_date contact_name/>``);
2. a phone's message CSV with Chinese headers (时间, 号码, 类型 接收 / 发送, 内容) saved as GBK;
3. the same table as an XLSX workbook (the times as real Excel date cells);
4. a WeChat chat CSV as PyWxDump writes the MSG table (IsSender, CreateTime, StrTalker, StrContent, Type=1);
5. a WeChat chat copied as text (``昵称 2025-03-05 21:13:02`` then the message line);
6. a pasted chat with labels (``2025-03-05 21:13 对方：…`` / ``2025-03-05 21:13 我：…``);
7. an Android ``mmssms.db`` (table ``sms``: _id, address, date in ms, type 1 / 2, body).

What the exports cannot carry, and how the reference JSONL is made to match (it is scanned in the
same run, with the same rules, never compared against stored numbers — the rules change):

* **Speaker.** An export says only who sent a message: the debtor's messages (``speaker: debtor``) are
  rendered as sent (type 2, 发送, IsSender=1, the debtor's nickname, 我) and the reference says
  ``speaker: debtor, direction: out``; the collector's and unknown senders' messages as received, and
  the reference says ``speaker: unknown, direction: in`` (an inbox cannot say a sender is a collector).
  ``third_party`` records are **dropped**: a phone's export cannot say that a message came from the
  debtor's mother rather than from a collector.
* **Time.** 155 records have no time; an export always has one, so each gets a made-up daytime
  (10:00–13:15 on days from 2025-06-02, five minutes apart) in the reference too. Times are the
  local time in Asia/Shanghai (the corpus also has ``Z`` and ``+09:00`` times). The pasted chat has
  minutes only: its reference times are cut to the minute.
* **The other party.** Phone exports hold numbers: every other party of the corpus (a number, a
  masked number, a WeChat nickname) gets its own made-up mobile number (17012340001, …), and the
  reference's ``from`` (received) or ``to`` (sent) is that number; ``contact_name`` is ``(Unknown)``,
  as the app writes for a number that is not a saved contact, so no message is exempted as a saved
  contact's. WeChat exports hold the nickname itself. A pasted chat holds no party at all.
* **Channel.** SMS-shaped exports and the pasted chat (read as message text) give ``sms``; the WeChat
  exports ``wechat``; the reference says the same. In the copied WeChat text, a block whose sender is
  a phone number (``1069022847716 2025-02-19 09:02:00``) is read as an SMS pasted in that shape (a
  reader's decision, README): its expected channel is ``sms``.
* **Encoding.** GBK cannot write every character (emoji, ``¥``): the GBK CSV leaves out the messages
  whose text it cannot encode, as a phone that saves GBK would mangle them.

Each event read back is matched to its source message by its text (the corpus texts are unique); a
message the reader loses, or an event whose text changed, is a mismatch too.

A second test looks below the findings, at what each event keeps: its local time (to the minute for
the pasted chat), its direction, its channel and the other party (the number, or the nickname). In a
copied WeChat text a sent message shows only its sender (the debtor), never whom it went to, so only
received messages' party is compared there; the pasted chat names no party. Its speaker is not
compared: a pasted chat's 对方 is documented as the collector, the reference's received messages are
``unknown``, and both are judged alike (the first test checks that their findings agree)."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import categories_by_text
from openpyxl import Workbook

from checker.pack import cached_pack
from checker.pipeline import run

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "dev" / "messages.jsonl"
TZ = ZoneInfo("Asia/Shanghai")
DEBTOR_NICK = "阿强"  # the debtor's own WeChat nickname in the copied chat (given as --debtor)
UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class Msg:
    id: str
    time: datetime  # local (Asia/Shanghai), to the second
    sent: bool  # the debtor's own message
    party: str  # the other party as the corpus names it
    number: str  # that party's made-up phone number
    text: str


@cache
def messages() -> tuple[Msg, ...]:
    recs = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    numbers: dict[str, str] = {}
    out, untimed = [], 0
    for r in recs:
        if r["speaker"] == "third_party":
            continue
        sent = r["speaker"] == "debtor"
        party = (r.get("to") if sent else r.get("from")) or "?"
        number = numbers.setdefault(party, f"1701234{len(numbers) + 1:04d}")
        if r.get("time"):
            t = datetime.fromisoformat(r["time"].replace("Z", "+00:00")).astimezone(TZ)
        else:
            t = datetime(2025, 6, 2, 10, 0, tzinfo=TZ) + timedelta(days=untimed // 40, minutes=5 * (untimed % 40))
            untimed += 1
        out.append(Msg(r["id"], t.replace(microsecond=0), sent, party, number, r["text"]))
    return tuple(sorted(out, key=lambda m: (m.time, m.id)))


def ms(m: Msg) -> int:
    return int(m.time.timestamp() * 1000)


def stamp(m: Msg) -> str:
    return m.time.strftime("%Y-%m-%d %H:%M:%S")


# ---------------------------------------------------------------- renderers: (file name, bytes, {id: line})


def sms_xml(msgs):
    root = ET.Element("smses", count=str(len(msgs)), backup_set="0f0e0d0c", type="full")
    lines = {}
    for m in msgs:
        el = ET.SubElement(root, "sms", protocol="0", address=m.number, date=str(ms(m)), type="2" if m.sent else "1",
                           subject="null", body=m.text, toa="null", sc_toa="null", service_center="null", read="1",
                           status="-1", locked="0", date_sent="0", sub_id="1",
                           readable_date=f"{m.time.year}年{m.time.month}月{m.time.day}日 {m.time:%H:%M:%S}",
                           contact_name="(Unknown)")
        lines[m.id] = ET.tostring(el, encoding="unicode").strip()
    head = ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
            "<!--File Created By SMS Backup & Restore v10.20.002 on 02/06/2025 09:00:00-->\n")
    body = ET.tostring(root, encoding="unicode").replace("><sms ", ">\n  <sms ").replace("</smses>", "\n</smses>")
    return "sms-20250602090000.xml", (head + body + "\n").encode("utf-8"), lines


def _table_rows(msgs):
    return [[stamp(m), m.number, "发送" if m.sent else "接收", m.text] for m in msgs]


def _csv_line(row) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    return buf.getvalue().rstrip("\n")


def gbk_csv(msgs):
    msgs = [m for m in msgs if _gbk(m.text)]
    rows = _table_rows(msgs)
    text = "\r\n".join(_csv_line(r) for r in [["时间", "号码", "类型", "内容"], *rows]) + "\r\n"
    return "短信导出.csv", text.encode("gbk"), {m.id: _csv_line(r) for m, r in zip(msgs, rows, strict=True)}


def _gbk(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def xlsx(msgs):
    wb = Workbook()
    ws = wb.active
    ws.title = "短信"
    ws.append(["时间", "号码", "类型", "内容"])
    for m in msgs:
        ws.append([m.time.replace(tzinfo=None), m.number, "发送" if m.sent else "接收", m.text])
        ws.cell(row=ws.max_row, column=1).number_format = "yyyy-mm-dd hh:mm:ss"
    buf = io.BytesIO()
    wb.save(buf)
    return "短信导出.xlsx", buf.getvalue(), {m.id: _csv_line(r) for m, r in zip(msgs, _table_rows(msgs), strict=True)}


def pywxdump_csv(msgs):
    header = ["localId", "TalkerId", "MsgSvrID", "Type", "SubType", "IsSender", "CreateTime", "StrTalker",
              "StrContent"]
    rows = [[str(i), "1", str(8100000000000 + i), "1", "0", "1" if m.sent else "0", str(ms(m) // 1000), m.party,
             m.text] for i, m in enumerate(msgs, 1)]
    text = "\n".join(_csv_line(r) for r in [header, *rows]) + "\n"
    return "MSG_all.csv", text.encode("utf-8"), {m.id: _csv_line(r) for m, r in zip(msgs, rows, strict=True)}


def wechat_text(msgs):
    lines, blocks = {}, []
    for m in msgs:
        block = f"{DEBTOR_NICK if m.sent else m.party} {stamp(m)}\n{m.text}"
        lines[m.id] = block
        blocks.append(block)
    return "微信聊天记录.txt", ("\n\n".join(blocks) + "\n").encode("utf-8"), lines


def pasted(msgs):
    lines = {m.id: f"{m.time:%Y-%m-%d %H:%M} {'我' if m.sent else '对方'}：{m.text}" for m in msgs}
    return "聊天记录.txt", ("\n".join(lines[m.id] for m in msgs) + "\n").encode("utf-8"), lines


def mmssms_db(msgs):
    con = sqlite3.connect(":memory:")
    con.execute("create table sms (_id integer primary key autoincrement, thread_id integer, address text, "
                "person integer, date integer, date_sent integer default 0, protocol integer, read integer "
                "default 0, status integer default -1, type integer, body text, service_center text, "
                "locked integer default 0, seen integer default 0)")
    lines = {}
    for m in msgs:
        row = (1, m.number, ms(m), 2 if m.sent else 1, m.text)
        con.execute("insert into sms (thread_id, address, date, type, body, read, seen) values (?, ?, ?, ?, ?, 1, 1)",
                    row)
        lines[m.id] = "sms row " + repr(row[1:])
    con.commit()
    data = con.serialize()
    con.close()
    return "mmssms.db", bytes(data), lines


# ------------------------------------------------------------------ what each export can say, as JSONL


@dataclass(frozen=True)
class Shape:
    render: object
    channel: str  # sms / wechat
    party: str  # number / nickname / none
    minutes: bool = False  # times to the minute only
    debtor: str | None = None  # --debtor given to the reader


SHAPES = {
    "sms_backup_xml": Shape(sms_xml, "sms", "number"),
    "gbk_csv": Shape(gbk_csv, "sms", "number"),
    "xlsx": Shape(xlsx, "sms", "number"),
    "pywxdump_csv": Shape(pywxdump_csv, "wechat", "nickname"),
    "wechat_text": Shape(wechat_text, "wechat", "nickname", debtor=DEBTOR_NICK),
    "pasted_chat": Shape(pasted, "sms", "none", minutes=True),
    "mmssms_db": Shape(mmssms_db, "sms", "number"),
}


def reference(shape: Shape, msgs) -> bytes:
    out = []
    for m in msgs:
        t = m.time.replace(second=0) if shape.minutes else m.time
        rec = {"id": m.id, "channel": shape.channel, "time": t.isoformat(), "direction": "out" if m.sent else "in",
               "speaker": "debtor" if m.sent else "unknown", "text": m.text}
        other = {"number": m.number, "nickname": m.party}.get(shape.party)
        if other:
            rec["to" if m.sent else "from"] = other
        out.append(json.dumps(rec, ensure_ascii=False))
    return ("\n".join(out) + "\n").encode("utf-8")


def categories(name: str, data: bytes, msgs, debtor: str | None = None):
    """{message id: frozenset of finding categories} for the messages whose event survived reading and
    the parties step, plus the texts of events that matched no message."""
    scan, _ = run([(name, data)], cached_pack("cn"), TZ, debtor=debtor)
    return categories_by_text(scan, {m.text.strip(): m.id for m in msgs})


XFAIL: dict[str, str] = {}


@pytest.mark.parametrize("fmt", [pytest.param(f, marks=pytest.mark.xfail(strict=True, reason=XFAIL[f]))
                                 if f in XFAIL else f for f in SHAPES])
def test_export_keeps_findings(fmt):
    shape = SHAPES[fmt]
    name, data, lines = shape.render(messages())
    msgs = [m for m in messages() if m.id in lines]  # the messages this export carries
    assert len(msgs) > 300 or (fmt == "gbk_csv" and len(msgs) > 250)
    want, stray_ref = categories(f"reference_{fmt}.jsonl", reference(shape, msgs), msgs)
    got, stray = categories(name, data, msgs, debtor=shape.debtor)
    assert not stray_ref and len(want) == len(msgs)  # the reference itself keeps every message
    diffs = [f"{m.id}: {lines[m.id]!r}: reference {sorted(want[m.id])} read "
             f"{sorted(got[m.id]) if m.id in got else 'LOST'}" for m in msgs if got.get(m.id) != want[m.id]]
    report = "\n".join(diffs[:15] + [f"events whose text matches no message: {stray[:5]!r}"] * bool(stray))
    assert not diffs and not stray, f"{fmt}: {len(diffs)} of {len(msgs)} messages differ\n{report}"


# what a reader loses without (yet) changing a finding: format -> the exact difference
EVENT_XFAIL: dict[str, str] = {}


@pytest.mark.parametrize("fmt", [pytest.param(f, marks=pytest.mark.xfail(strict=True, reason=EVENT_XFAIL[f]))
                                 if f in EVENT_XFAIL else f for f in SHAPES])
def test_export_keeps_event_fields(fmt):
    from checker.io import read_input

    shape = SHAPES[fmt]
    name, data, lines = shape.render(messages())
    by_text = {m.text: m for m in messages() if m.id in lines}
    res = read_input(name, data, TZ, debtor=shape.debtor)
    assert sorted(e.text for e in res.events) == sorted(by_text)  # every message, its text unchanged
    diffs = []
    for ev in res.events:
        m = by_text[ev.text]
        kept = {"time": ev.time, "direction": ev.direction, "channel": ev.channel}
        channel = shape.channel
        if fmt == "wechat_text" and not m.sent and re.fullmatch(r"\+?\d[\d \-]{3,}\d", m.party or ""):
            channel = "sms"  # by design: a block whose sender is a phone number is an SMS copied in that shape
        want = {"time": m.time.replace(second=0) if shape.minutes else m.time,
                "direction": "out" if m.sent else "in", "channel": channel}
        party = {"number": m.number, "nickname": m.party}.get(shape.party)
        if party and not (m.sent and fmt == "wechat_text"):
            kept["party"], want["party"] = ev.to if m.sent else ev.from_, party
        if kept != want:
            diffs.append(f"{m.id}: {lines[m.id]!r}: read {kept} want {want}")
    assert not diffs, f"{fmt}: {len(diffs)} of {len(res.events)} events differ\n" + "\n".join(diffs[:10])
